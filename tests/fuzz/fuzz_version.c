/*
 * libFuzzer target for srctl/deps/version: the input is split at NUL bytes
 * into up to three strings a, b, c (missing ones are ""), and for every
 * ecosystem we check that comparing never crashes and is a total order:
 *
 *   reflexive       compare(a, a) == 0
 *   antisymmetric   sign(compare(a, b)) == -sign(compare(b, a))
 *   transitive      a <= b <= c implies a <= c (strictly if either is)
 *
 * Build and run (from the repository root):
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *     -Isrctl -I. tests/fuzz/fuzz_version.c srctl/deps/version*.c \
 *     -o fuzz_version
 *   ./fuzz_version -max_total_time=60 -max_len=512
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deps/version.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int r)
{
	return (r > 0) - (r < 0);
}

static void fail(enum sr_ecosystem eco, const char *what, const char *a,
		 const char *b, const char *c)
{
	fprintf(stderr, "fuzz_version: %s: %s\n  a=\"%s\"\n  b=\"%s\"\n"
		"  c=\"%s\"\n", sr_ecosystem_name(eco), what, a, b, c);
	abort();
}

static void check(enum sr_ecosystem eco, const char *a, const char *b,
		  const char *c)
{
	int ab = sign(sr_version_compare(eco, a, b));
	int ba = sign(sr_version_compare(eco, b, a));
	int bc = sign(sr_version_compare(eco, b, c));
	int ac = sign(sr_version_compare(eco, a, c));

	(void)sr_version_valid(eco, a);
	if (sr_version_compare(eco, a, a) != 0)
		fail(eco, "compare(a, a) != 0", a, b, c);
	if (ab != -ba)
		fail(eco, "compare(a, b) != -compare(b, a)", a, b, c);
	if (ab <= 0 && bc <= 0 && ac > 0)
		fail(eco, "a <= b <= c but a > c", a, b, c);
	if (ab >= 0 && bc >= 0 && ac < 0)
		fail(eco, "a >= b >= c but a < c", a, b, c);
	if (((ab < 0 && bc <= 0) || (ab <= 0 && bc < 0)) && ac >= 0)
		fail(eco, "a < b <= c but a >= c", a, b, c);
	if (((ab > 0 && bc >= 0) || (ab >= 0 && bc > 0)) && ac <= 0)
		fail(eco, "a > b >= c but a <= c", a, b, c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3);
	const char *s[3];
	size_t at = 0;
	int e, n;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	for (n = 0; n < 3; n++) {
		s[n] = buf + at;
		at += strlen(buf + at) + 1;
		if (at > size + 2)
			at = size + 2;
	}
	for (e = 0; e < SR_ECO__COUNT; e++) {
		enum sr_ecosystem eco = (enum sr_ecosystem)e;

		check(eco, s[0], s[1], s[2]);
		check(eco, s[1], s[2], s[0]);
		check(eco, s[2], s[0], s[1]);
	}
	free(buf);
	return 0;
}

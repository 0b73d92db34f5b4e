/*
 * deps_floor FILE [ROUNDS]: read and parse a manifest with srctl's own
 * parser (sr_manifest_parse), nothing else, and print the dependency
 * count and the wall time of the best round. The floor that 'srctl deps'
 * is measured against in bench/deps.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/error.h"
#include "base/fs.h"
#include "manifest/manifest.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double best = -1;
	size_t deps = 0;
	int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 1, i;

	if (argc < 2) {
		fprintf(stderr, "usage: deps_floor FILE [ROUNDS]\n");
		return 2;
	}
	for (i = 0; i < rounds; i++) {
		struct sr_manifest *m = NULL;
		double t0 = now(), t;
		char *text;
		size_t len;

		if (sr_fs_read(&text, &len, argv[1], (size_t)1 << 30) < 0) {
			fprintf(stderr, "deps_floor: %s\n", sr_error_last());
			return 3;
		}
		sr_manifest_parse(&m, argv[1], text, len, NULL);
		deps = m->n;
		sr_manifest_free(m);
		free(text);
		t = now() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	printf("%zu deps %.3f s\n", deps, best);
	return 0;
}

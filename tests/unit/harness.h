/*
 * A minimal unit-test harness (after cmark's api_test/harness.h). Each
 * test file defines main() that calls its test functions and returns
 * sr_test_done(). CHECK records a failure and goes on.
 */
#ifndef SR_TEST_HARNESS_H
#define SR_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int sr_test_failures;
static int sr_test_checks;

#define CHECK(cond) do { \
	sr_test_checks++; \
	if (!(cond)) { \
		sr_test_failures++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			__LINE__, #cond); \
	} \
} while (0)

#define CHECK_INT(got, want) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	sr_test_checks++; \
	if (g_ != w_) { \
		sr_test_failures++; \
		fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", \
			__FILE__, __LINE__, #got, g_, w_); \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	sr_test_checks++; \
	if (!g_ || !w_ || strcmp(g_, w_) != 0) { \
		sr_test_failures++; \
		fprintf(stderr, "%s:%d: %s:\n  got:  %s\n  want: %s\n", \
			__FILE__, __LINE__, #got, g_ ? g_ : "(null)", \
			w_ ? w_ : "(null)"); \
	} \
} while (0)

static inline int sr_test_done(void)
{
	printf("%d checks, %d failed\n", sr_test_checks, sr_test_failures);
	return sr_test_failures ? 1 : 0;
}

#endif

/*
 * Source scans: pcre2 matching that reports where a pattern matched, for
 * validators that look for constructs in source files (Java annotations).
 * Part of the engine module, the only place that includes <pcre2.h>; the
 * JSON Schema flavour (no positions) is regex.h. A pattern is compiled
 * once (Perl syntax, UTF-8, JIT when available) and can then be matched
 * any number of times; every match runs under a match limit.
 */
#ifndef SR_ENGINE_SRCSCAN_H
#define SR_ENGINE_SRCSCAN_H

#include <stddef.h>

#define SR_SRCSCAN_GROUPS 8	/* capture groups reported, 1..8 */
#define SR_SRCSCAN_UNSET ((size_t)-1)

struct sr_srcscan;

/* Byte offsets of a match and of its capture groups. */
struct sr_srcscan_match {
	size_t start;
	size_t end;	/* just past the match */
	/* group[i] is group i+1: {start, end}, SR_SRCSCAN_UNSET if unset */
	size_t group[SR_SRCSCAN_GROUPS][2];
};

/*
 * Compile the NUL-terminated Perl-style 'pattern'. Returns 0 and sets
 * '*out', or SR_EINVALID (message in sr_error_last()) and '*out' NULL.
 */
int sr_srcscan_new(struct sr_srcscan **out, const char *pattern);

/*
 * Find the first match in the 'len' bytes at 's' that starts at or after
 * byte 'from' (lookbehinds see the bytes before it). Returns 1 and fills
 * '*m', 0 when there is none, SR_ERROR when the match gave up.
 */
int sr_srcscan_next(struct sr_srcscan_match *m, const struct sr_srcscan *re,
		    const char *s, size_t len, size_t from);

void sr_srcscan_free(struct sr_srcscan *re);

#endif

/*
 * UTF-8 checks for input files. srctl reads YAML as UTF-8 (a UTF-8 byte
 * order mark is allowed); anything else is reported with the position of
 * the first offending byte.
 */
#ifndef SR_UTF8_H
#define SR_UTF8_H

#include <stddef.h>

#include "pos.h"

enum sr_utf8_problem {
	SR_UTF8_OK = 0,
	SR_UTF8_INVALID,   /* a malformed or overlong sequence, or a surrogate */
	SR_UTF8_NUL,       /* a NUL byte */
	SR_UTF8_UTF16      /* a UTF-16 or UTF-32 byte order mark */
};

/*
 * Check 'len' bytes at 'text'. On a problem, '*where' gets its position
 * (line and code-point column) and the problem is returned.
 */
enum sr_utf8_problem sr_utf8_check(const char *text, size_t len,
				   struct sr_pos *where);

/* The number of code points in the 'len' bytes at 's'. */
size_t sr_utf8_count(const char *s, size_t len);

#endif

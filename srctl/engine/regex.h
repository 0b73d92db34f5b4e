/*
 * Regular expressions: the pcre2 adapter, and the only place in srctl that
 * includes <pcre2.h>. A pattern is compiled once (UTF-8, JIT-compiled when
 * pcre2 has a JIT) and can then be matched any number of times, from any
 * number of threads. Every match runs under a match limit, so a hostile
 * pattern fails with an error instead of hanging.
 *
 * SR_REGEX_ECMA reads the pattern as ECMA-262 with the "u" flag, the
 * dialect JSON Schema's "pattern" uses, and translates it into pcre2
 * syntax: \d, \w and \b stay ASCII-only, \s also matches the Unicode
 * spaces ECMA lists, "." does not match line terminators, "$" matches only
 * at the very end, \uXXXX (surrogate pairs too) and \u{X} become code
 * points, \p{Letter}-style long property names become pcre2's short ones,
 * and escapes ECMA does not define (\a, \e, \z, \Q...) are errors.
 * Differences that remain: variable-length lookbehind is rejected, and
 * \S inside a character class uses ASCII whitespace.
 */
#ifndef SR_ENGINE_REGEX_H
#define SR_ENGINE_REGEX_H

#include <stddef.h>

enum sr_regex_flags {
	SR_REGEX_ECMA = 1 << 0	/* ECMA-262 syntax, see above */
};

struct sr_regex;

/*
 * Compile the 'len' bytes at 'pattern'. Returns 0 and sets '*out', or
 * SR_EINVALID with a message like "invalid regular expression '(': missing
 * closing parenthesis at offset 1" in sr_error_last() and '*out' NULL.
 */
int sr_regex_new(struct sr_regex **out, const char *pattern, size_t len,
		 unsigned flags);

/*
 * Search the 'len' bytes at 's' (UTF-8, NULs allowed). Returns 1 when the
 * pattern matches somewhere, 0 when it does not, and SR_ERROR when the
 * match gave up (match limit reached, or 's' is not valid UTF-8).
 */
int sr_regex_search(const struct sr_regex *re, const char *s, size_t len);

/* The pattern as given to sr_regex_new. Borrowed. */
const char *sr_regex_source(const struct sr_regex *re);

void sr_regex_free(struct sr_regex *re);

#endif

/*
 * Allocation wrappers that never return NULL: on exhaustion they print and
 * abort (a CLI has nothing better to do), which removes most error paths.
 * SR_ASSERT is for programming errors and is always on.
 */
#ifndef SR_XMALLOC_H
#define SR_XMALLOC_H

#include <stddef.h>

void *sr_xmalloc(size_t size);
void *sr_xcalloc(size_t nmemb, size_t size);
void *sr_xrealloc(void *ptr, size_t size);
/* Grow an array of 'elem' sized items to hold at least 'need' items. */
void *sr_xgrow(void *ptr, size_t *cap, size_t need, size_t elem);
char *sr_xstrdup(const char *s);
char *sr_xstrndup(const char *s, size_t n);

void sr_assert_fail(const char *expr, const char *file, int line);
#define SR_ASSERT(expr) \
	((expr) ? (void)0 : sr_assert_fail(#expr, __FILE__, __LINE__))

#define SR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif

#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t size)
{
	fprintf(stderr, "srctl: out of memory allocating %zu bytes\n", size);
	abort();
}

void *sr_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

void *sr_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *sr_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

void *sr_xgrow(void *ptr, size_t *cap, size_t need, size_t elem)
{
	size_t n;

	if (need <= *cap)
		return ptr;
	n = *cap ? *cap : 8;
	while (n < need) {
		if (n > ((size_t)-1) / 2 / elem)
			oom((size_t)-1);
		n *= 2;
	}
	*cap = n;
	return sr_xrealloc(ptr, n * elem);
}

char *sr_xstrdup(const char *s)
{
	return sr_xstrndup(s, strlen(s));
}

char *sr_xstrndup(const char *s, size_t n)
{
	char *p = sr_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void sr_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "srctl: internal error: assertion '%s' failed at %s:%d\n",
		expr, file, line);
	abort();
}

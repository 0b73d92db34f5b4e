#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void sr_buf_grow(struct sr_buf *b, size_t extra)
{
	b->ptr = sr_xgrow(b->ptr, &b->cap, b->len + extra + 1, 1);
}

void sr_buf_add(struct sr_buf *b, const void *data, size_t len)
{
	sr_buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void sr_buf_adds(struct sr_buf *b, const char *s)
{
	sr_buf_add(b, s, strlen(s));
}

void sr_buf_addc(struct sr_buf *b, char c)
{
	sr_buf_add(b, &c, 1);
}

void sr_buf_vaddf(struct sr_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	sr_buf_grow(b, 64);
	n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	SR_ASSERT(n >= 0);
	if ((size_t)n >= b->cap - b->len) {
		sr_buf_grow(b, (size_t)n);
		n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void sr_buf_addf(struct sr_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sr_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void sr_buf_add_json(struct sr_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	sr_buf_addc(b, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"': sr_buf_add(b, "\\\"", 2); break;
		case '\\': sr_buf_add(b, "\\\\", 2); break;
		case '\n': sr_buf_add(b, "\\n", 2); break;
		case '\r': sr_buf_add(b, "\\r", 2); break;
		case '\t': sr_buf_add(b, "\\t", 2); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				sr_buf_addf(b, "\\u%04x", *p);
			else
				sr_buf_addc(b, (char)*p);
		}
	}
	sr_buf_addc(b, '"');
}

void sr_buf_add_xml(struct sr_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		switch (*p) {
		case '<': sr_buf_adds(b, "&lt;"); break;
		case '>': sr_buf_adds(b, "&gt;"); break;
		case '&': sr_buf_adds(b, "&amp;"); break;
		case '"': sr_buf_adds(b, "&quot;"); break;
		case '\'': sr_buf_adds(b, "&apos;"); break;
		default:
			/* XML 1.0 forbids most control characters outright */
			if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
				sr_buf_addc(b, '?');
			else
				sr_buf_addc(b, (char)*p);
		}
	}
}

void sr_buf_reset(struct sr_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

const char *sr_buf_cstr(const struct sr_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *sr_buf_detach(struct sr_buf *b)
{
	char *s = b->ptr ? b->ptr : sr_xstrdup("");

	/* detached strings are kept (findings by the thousand): no slack */
	if (b->ptr && b->cap > b->len + 1)
		s = sr_xrealloc(s, b->len + 1);
	b->ptr = NULL;
	b->len = b->cap = 0;
	return s;
}

void sr_buf_release(struct sr_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

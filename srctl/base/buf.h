/*
 * sr_buf: a growable byte string, always NUL-terminated once anything was
 * added. The struct owns 'ptr'; sr_buf_release frees it, sr_buf_detach hands
 * it to the caller.
 */
#ifndef SR_BUF_H
#define SR_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct sr_buf {
	char *ptr;
	size_t len;
	size_t cap;
};

#define SR_BUF_INIT { NULL, 0, 0 }

void sr_buf_grow(struct sr_buf *b, size_t extra);
void sr_buf_add(struct sr_buf *b, const void *data, size_t len);
void sr_buf_adds(struct sr_buf *b, const char *s);
void sr_buf_addc(struct sr_buf *b, char c);
void sr_buf_addf(struct sr_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sr_buf_vaddf(struct sr_buf *b, const char *fmt, va_list ap);
/* Append 's' as a JSON string literal, quotes included. */
void sr_buf_add_json(struct sr_buf *b, const char *s);
/* Append 's' escaped for XML text and attribute values. */
void sr_buf_add_xml(struct sr_buf *b, const char *s);
/* Empty the buffer, keeping its memory. */
void sr_buf_reset(struct sr_buf *b);
/* The contents, "" when nothing was added. Borrowed. */
const char *sr_buf_cstr(const struct sr_buf *b);
/* Hand the string to the caller (never NULL) and reset the buffer. */
char *sr_buf_detach(struct sr_buf *b);
void sr_buf_release(struct sr_buf *b);

#endif

/*
 * The .properties reader for Spring Boot configuration (see spring.h).
 * Positions are 1-based lines and code-point columns, like the YAML
 * document model's; a leading UTF-8 byte order mark takes no column.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "spring.h"
#include "base/banned.h"

struct reader {
	const char *s;
	size_t len;
	size_t i;	/* next byte */
	struct sr_pos pos;	/* of s[i] */
};

static bool at_end(const struct reader *r)
{
	return r->i >= r->len;
}

static char peek(const struct reader *r)
{
	return at_end(r) ? '\0' : r->s[r->i];
}

static bool is_eol(char c)
{
	return c == '\n' || c == '\r';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

/* Step over one byte, keeping the position. */
static void advance(struct reader *r)
{
	char c = r->s[r->i++];

	r->pos.offset = r->i;
	if (c == '\n' || (c == '\r' && peek(r) != '\n')) {
		r->pos.line++;
		r->pos.col = 1;
	} else if (c != '\r' && ((unsigned char)c & 0xc0) != 0x80) {
		r->pos.col++;
	}
}

/* Step over a line terminator (\n, \r or \r\n), if there is one. */
static void skip_eol(struct reader *r)
{
	if (peek(r) == '\r')
		advance(r);
	if (peek(r) == '\n')
		advance(r);
}

static void skip_spaces(struct reader *r)
{
	while (!at_end(r) && is_space(peek(r)))
		advance(r);
}

static void skip_line(struct reader *r)
{
	while (!at_end(r) && !is_eol(peek(r)))
		advance(r);
	skip_eol(r);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void add_utf8(struct sr_buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		sr_buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		sr_buf_addc(b, (char)(0xc0 | (cp >> 6)));
		sr_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sr_buf_addc(b, (char)(0xe0 | (cp >> 12)));
		sr_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sr_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		sr_buf_addc(b, (char)(0xf0 | (cp >> 18)));
		sr_buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sr_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sr_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Four hex digits after "\u" at s[i], or -1. */
static long hex4(const struct reader *r, size_t i)
{
	long v = 0;
	size_t k;

	if (i + 4 > r->len)
		return -1;
	for (k = 0; k < 4; k++) {
		int h = hexval(r->s[i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/*
 * The backslash at r->i: a line continuation (returns true, and the
 * next line's leading white space is skipped) or an escape, appended
 * to 'b'. A malformed \u escape is kept as written.
 */
static bool escape(struct reader *r, struct sr_buf *b)
{
	char c;
	long cp;

	advance(r);	/* the backslash */
	if (at_end(r))
		return true;
	c = peek(r);
	if (is_eol(c)) {
		skip_eol(r);
		skip_spaces(r);
		return true;
	}
	if (c == 'u' && (cp = hex4(r, r->i + 1)) >= 0) {
		int k;

		for (k = 0; k < 5; k++)
			advance(r);
		/* a surrogate pair written as two escapes */
		if (cp >= 0xd800 && cp <= 0xdbff && peek(r) == '\\' &&
		    r->i + 1 < r->len && r->s[r->i + 1] == 'u') {
			long lo = hex4(r, r->i + 2);

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				for (k = 0; k < 6; k++)
					advance(r);
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
			}
		}
		if (cp >= 0xd800 && cp <= 0xdfff)
			cp = 0xfffd;	/* a lone surrogate */
		add_utf8(b, (unsigned long)cp);
		return false;
	}
	switch (c) {
	case 't':
		sr_buf_addc(b, '\t');
		break;
	case 'n':
		sr_buf_addc(b, '\n');
		break;
	case 'r':
		sr_buf_addc(b, '\r');
		break;
	case 'f':
		sr_buf_addc(b, '\f');
		break;
	default:
		/* \<char> is the char itself (a multi-byte one whole) */
		do {
			sr_buf_addc(b, peek(r));
			advance(r);
		} while (!at_end(r) &&
			 ((unsigned char)peek(r) & 0xc0) == 0x80);
		return false;
	}
	advance(r);
	return false;
}

/* Is the rest of this line "---" and white space (a "#---" separator)? */
static bool is_separator(const struct reader *r)
{
	size_t i = r->i + 1;

	if (i + 3 > r->len || memcmp(r->s + i, "---", 3) != 0)
		return false;
	for (i += 3; i < r->len && !is_eol(r->s[i]); i++)
		if (!is_space(r->s[i]))
			return false;
	return true;
}

static void read_entry(struct reader *r, struct sr_spring_props *out,
		       unsigned doc)
{
	struct sr_buf key = SR_BUF_INIT, value = SR_BUF_INIT;
	struct sr_spring_prop *p;
	struct sr_pos key_pos = r->pos, value_pos;

	/* the key ends at an unescaped '=', ':' or white space */
	while (!at_end(r) && !is_eol(peek(r))) {
		char c = peek(r);

		if (c == '=' || c == ':' || is_space(c))
			break;
		if (c == '\\') {
			escape(r, &key);
			continue;
		}
		sr_buf_addc(&key, c);
		advance(r);
	}
	skip_spaces(r);
	if (peek(r) == '=' || peek(r) == ':') {
		advance(r);
		skip_spaces(r);
	}
	value_pos = r->pos;
	while (!at_end(r) && !is_eol(peek(r))) {
		if (peek(r) == '\\') {
			bool cont = escape(r, &value);

			/* an empty value continued on the next line */
			if (cont && !value.len)
				value_pos = r->pos;
			continue;
		}
		sr_buf_addc(&value, peek(r));
		advance(r);
	}
	skip_eol(r);
	out->v = sr_xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	p = &out->v[out->n++];
	p->key = sr_buf_detach(&key);
	p->value = sr_buf_detach(&value);
	p->key_pos = key_pos;
	p->value_pos = value_pos;
	p->doc = doc;
}

void sr_spring_props_parse(struct sr_spring_props *out, const char *text,
			   size_t len)
{
	struct reader r;
	unsigned doc = 0;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.s = text;
	r.len = len;
	r.pos.line = 1;
	r.pos.col = 1;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		r.i = 3;
		r.pos.offset = 3;
	}
	while (!at_end(&r)) {
		size_t start = r.i;

		skip_spaces(&r);
		if (at_end(&r))
			break;
		if (is_eol(peek(&r))) {
			skip_eol(&r);
			continue;
		}
		if (peek(&r) == '#' || peek(&r) == '!') {
			if (r.i == start && is_separator(&r))
				doc++;
			skip_line(&r);
			continue;
		}
		read_entry(&r, out, doc);
	}
	out->ndocs = doc + 1;
}

void sr_spring_props_release(struct sr_spring_props *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].key);
		free(p->v[i].value);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

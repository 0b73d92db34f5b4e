#include "utf8.h"

#include <string.h>

/* Length of a well-formed sequence starting at p (at most 'avail' bytes), 0 if ill-formed. */
static size_t seq_len(const unsigned char *p, size_t avail)
{
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		if (avail >= 2 && (p[1] & 0xc0) == 0x80)
			return 2;
		return 0;
	}
	if (c >= 0xe0 && c <= 0xef) {
		unsigned lo = 0x80, hi = 0xbf;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		if (c == 0xed)
			hi = 0x9f;	/* surrogates */
		if (avail >= 3 && p[1] >= lo && p[1] <= hi &&
		    (p[2] & 0xc0) == 0x80)
			return 3;
		return 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned lo = 0x80, hi = 0xbf;
		if (c == 0xf0)
			lo = 0x90;
		if (c == 0xf4)
			hi = 0x8f;
		if (avail >= 4 && p[1] >= lo && p[1] <= hi &&
		    (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80)
			return 4;
		return 0;
	}
	return 0;
}

static void locate(const unsigned char *s, size_t off, struct sr_pos *where)
{
	size_t i, line_start = 0;
	unsigned line = 1;

	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			line++;
			line_start = i + 1;
		}
	}
	where->line = line;
	where->col = (unsigned)sr_utf8_count((const char *)s + line_start,
					     off - line_start) + 1;
	where->offset = off;
}

enum sr_utf8_problem sr_utf8_check(const char *text, size_t len,
				   struct sr_pos *where)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	if (len >= 2 && ((s[0] == 0xfe && s[1] == 0xff) ||
			 (s[0] == 0xff && s[1] == 0xfe))) {
		where->line = where->col = 1;
		where->offset = 0;
		return SR_UTF8_UTF16;
	}
	while (i < len) {
		size_t n;

		/* fast path over ASCII, eight bytes at a time */
		while (i + 8 <= len) {
			unsigned long long w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			/* a zero byte: (w - 0x01..) & ~w & 0x80.. */
			if ((w - 0x0101010101010101ULL) & ~w &
			    0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		if (s[i] == 0) {
			locate(s, i, where);
			return SR_UTF8_NUL;
		}
		n = seq_len(s + i, len - i);
		if (!n) {
			locate(s, i, where);
			return SR_UTF8_INVALID;
		}
		i += n;
	}
	return SR_UTF8_OK;
}

size_t sr_utf8_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * RubyGems: Gem::Version.
 *
 * A version is valid when it matches Gem::Version::ANCHORED_VERSION_PATTERN
 * (blank means "0"). Its segments are the runs of digits and of letters,
 * with every "-" read as ".pre."; numeric runs are numbers, letter runs
 * make a prerelease. Trailing zeros are trimmed from the numeric prefix
 * and from the rest ("canonical segments"), then segments compare in turn,
 * the shorter padded with 0: numbers numerically, strings bytewise, a
 * string below a number.
 */
#include "version.h"

#include <string.h>

#include "base/banned.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	       c == '\f' || c == '\r';
}

/*
 * \A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z
 */
bool sr_version__rubygems_valid(const char *v)
{
	const char *p = v;

	while (is_space(*p))
		p++;
	if (is_digit(*p)) {
		while (is_digit(*p))
			p++;
		while (*p == '.' && (is_digit(p[1]) || is_alpha(p[1]))) {
			p++;
			while (is_digit(*p) || is_alpha(*p))
				p++;
		}
		if (*p == '-') {
			do {
				const char *s = ++p;

				while (is_digit(*p) || is_alpha(*p) ||
				       *p == '-')
					p++;
				if (p == s)
					return false;
			} while (*p == '.');
		}
	}
	while (is_space(*p))
		p++;
	return *p == '\0';
}

struct seg {
	const char *s;
	size_t len;
	bool num;
};

/* Raw segments: digit runs, letter runs, and "pre" for each '-'. */
struct raw {
	const char *p;
};

static bool raw_next(struct raw *r, struct seg *out)
{
	const char *s;

	while (*r->p && *r->p != '-' && !is_digit(*r->p) &&
	       !is_alpha(*r->p))
		r->p++;
	if (!*r->p)
		return false;
	if (*r->p == '-') {
		r->p++;
		out->s = "pre";
		out->len = 3;
		out->num = false;
		return true;
	}
	s = r->p;
	out->num = is_digit(*s);
	if (out->num) {
		while (is_digit(*r->p))
			r->p++;
	} else {
		while (is_alpha(*r->p))
			r->p++;
	}
	out->s = s;
	out->len = (size_t)(r->p - s);
	return true;
}

static bool is_zero(const struct seg *g)
{
	size_t i;

	if (!g->num)
		return false;
	for (i = 0; i < g->len; i++) {
		if (g->s[i] != '0')
			return false;
	}
	return true;
}

/* Canonical segments, produced one at a time. */
struct canon {
	struct raw raw;
	bool in_string;		/* past the first letter segment */
	size_t zeros;		/* kept zeros still to hand out */
};

static bool canon_next(struct canon *c, struct seg *out)
{
	static const struct seg zero = { "0", 1, true };

	for (;;) {
		struct raw ahead;
		struct seg next;
		size_t run = 1;
		bool more;

		if (c->zeros) {
			c->zeros--;
			*out = zero;
			return true;
		}
		if (!raw_next(&c->raw, out))
			return false;
		if (!is_zero(out)) {
			if (!out->num)
				c->in_string = true;
			return true;
		}
		/* A run of zeros: keep it unless it ends its part. */
		ahead = c->raw;
		for (;;) {
			struct raw at = ahead;

			more = raw_next(&ahead, &next);
			if (!more || !is_zero(&next)) {
				ahead = at;
				break;
			}
			run++;
		}
		c->raw = ahead;
		if (more && (c->in_string || next.num)) {
			c->zeros = run - 1;
			*out = zero;
			return true;
		}
	}
}

static void canon_init(struct canon *c, const char *v)
{
	c->raw.p = v;
	c->in_string = false;
	c->zeros = 0;
}

int sr_version__rubygems_cmp(const char *a, const char *b)
{
	static const struct seg zero = { "0", 1, true };
	bool va = sr_version__rubygems_valid(a);
	bool vb = sr_version__rubygems_valid(b);
	struct canon x, y;

	if (!va || !vb)
		return sr_version__fallback(va, vb, a, b);
	canon_init(&x, a);
	canon_init(&y, b);
	for (;;) {
		struct seg l, r;
		bool hl = canon_next(&x, &l), hr = canon_next(&y, &r);
		int c;

		if (!hl && !hr)
			return 0;
		if (!hl)
			l = zero;
		if (!hr)
			r = zero;
		if (l.num && r.num) {
			c = sr_version__numcmp(l.s, l.len, r.s, r.len);
		} else if (l.num != r.num) {
			c = l.num ? 1 : -1;
		} else {
			size_t n = l.len < r.len ? l.len : r.len;

			c = memcmp(l.s, r.s, n);
			if (!c)
				c = l.len == r.len ? 0 : l.len < r.len ? -1 : 1;
		}
		if (c)
			return c < 0 ? -1 : 1;
	}
}

/*
 * PyPI: PEP 440 versions as packaging.version.Version parses and orders
 * them (the regular expression of PEP 440 appendix B, case-insensitive,
 * surrounding whitespace and a leading "v" allowed).
 *
 * Order: epoch, release (trailing zeros do not count), then pre-release
 * (a dev release of the bare release sorts before its pre-releases; no
 * pre-release sorts after all of them), post-release (none first), dev
 * release (none last), local version (none first; numeric segments above
 * alphanumeric ones, more segments above fewer).
 */
#include "version.h"

#include <string.h>

#include "base/banned.h"

struct pep440 {
	const char *epoch;
	size_t epochlen;
	const char *rel;	/* "1.2.3" */
	size_t rellen;
	int pre;		/* -1 none, 0 a, 1 b, 2 rc */
	const char *pren;
	size_t prenlen;
	bool post;
	const char *postn;
	size_t postnlen;
	bool dev;
	const char *devn;
	size_t devnlen;
	const char *local;	/* NULL when none */
	size_t locallen;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * The length of the whitespace character at 'p' (Python's \s for str
 * patterns: ASCII whitespace, U+001C..U+001F and the Unicode spaces), or 0.
 */
static size_t space(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == ' ' || (*p >= '\t' && *p <= '\r') ||
	    (*p >= 0x1c && *p <= 0x1f))
		return 1;
	if (p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2;
	if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x80 &&
	    ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 ||
	     p[2] == 0xa9 || p[2] == 0xaf))
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return 3;
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

static const char *skip_space(const char *p)
{
	for (;;) {
		size_t n = space(p);

		if (!n)
			return p;
		p += n;
	}
}

static bool is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

static size_t digits(const char *p)
{
	size_t n = 0;

	while (is_digit(p[n]))
		n++;
	return n;
}

/* Does 'p' start with 'word' (lowercase), ignoring ASCII case? */
static size_t starts_with(const char *p, const char *word)
{
	size_t i;

	for (i = 0; word[i]; i++) {
		char c = p[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != word[i])
			return 0;
	}
	return i;
}

/* One of 'words' at *p (longest listed first); its index, or -1. */
static int keyword(const char **p, const char *const *words, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		size_t len = starts_with(*p, words[i]);

		if (len) {
			*p += len;
			return i;
		}
	}
	return -1;
}

/*
 * "[-_.]? <keyword> [-_.]? N?" at *p: the keyword's index, its number
 * (empty when omitted), and *p advanced; -1 and *p unchanged if absent.
 */
static int lettered(const char **p, const char *const *words, int n,
		    const char **num, size_t *numlen)
{
	const char *q = *p;
	int k;

	if (is_sep(*q))
		q++;
	k = keyword(&q, words, n);
	if (k < 0)
		return -1;
	/* Taking the separator is always safe: what may follow allows one. */
	if (is_sep(*q))
		q++;
	*num = q;
	*numlen = digits(q);
	*p = q + *numlen;
	return k;
}

static bool parse(const char *s, struct pep440 *v)
{
	static const char *const pre_words[] = {
		"alpha", "beta", "preview", "pre", "rc", "a", "b", "c"
	};
	static const int pre_rank[] = { 0, 1, 2, 2, 2, 0, 1, 2 };
	static const char *const post_words[] = { "post", "rev", "r" };
	static const char *const dev_words[] = { "dev" };
	const char *p = s;
	size_t n;
	int k;

	memset(v, 0, sizeof(*v));
	v->pre = -1;
	p = skip_space(p);
	if (*p == 'v' || *p == 'V')
		p++;
	n = digits(p);
	if (!n)
		return false;
	if (p[n] == '!') {
		v->epoch = p;
		v->epochlen = n;
		p += n + 1;
		n = digits(p);
		if (!n)
			return false;
	}
	v->rel = p;
	p += n;
	while (*p == '.' && is_digit(p[1]))
		p += 1 + digits(p + 1);
	v->rellen = (size_t)(p - v->rel);

	k = lettered(&p, pre_words, 8, &v->pren, &v->prenlen);
	if (k >= 0)
		v->pre = pre_rank[k];
	if (*p == '-' && is_digit(p[1])) {
		/* The implicit post-release: "1.0-1". */
		v->post = true;
		v->postn = p + 1;
		v->postnlen = digits(p + 1);
		p += 1 + v->postnlen;
	} else if (lettered(&p, post_words, 3, &v->postn, &v->postnlen) >=
		   0) {
		v->post = true;
	}
	if (lettered(&p, dev_words, 1, &v->devn, &v->devnlen) >= 0)
		v->dev = true;
	if (*p == '+') {
		v->local = ++p;
		for (;;) {
			if (!is_alnum(*p))
				return false;
			while (is_alnum(*p))
				p++;
			if (!is_sep(*p) || !is_alnum(p[1]))
				break;
			p++;
		}
		v->locallen = (size_t)(p - v->local);
	}
	p = skip_space(p);
	return *p == '\0';
}

bool sr_version__pypi_valid(const char *v)
{
	struct pep440 pv;

	return parse(v, &pv);
}

/* Numbers that may be omitted (empty means 0). */
static int optcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	if (!alen) {
		a = "0";
		alen = 1;
	}
	if (!blen) {
		b = "0";
		blen = 1;
	}
	return sr_version__numcmp(a, alen, b, blen);
}

/* Release segments, the shorter padded with zeros. */
static int release_cmp(const char *a, const char *ae, const char *b,
		       const char *be)
{
	while (a < ae || b < be) {
		size_t n = a < ae ? digits(a) : 0, m = b < be ? digits(b) : 0;
		int r = optcmp(a, n, b, m);

		if (r)
			return r;
		a += n + (a + n < ae);
		b += m + (b + m < be);
	}
	return 0;
}

/* packaging's key classes: -infinity, a value, +infinity. */
static int pre_class(const struct pep440 *v)
{
	if (v->pre < 0 && !v->post && v->dev)
		return 0;
	return v->pre < 0 ? 2 : 1;
}

static int ci_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; i < alen && i < blen; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return alen == blen ? 0 : alen < blen ? -1 : 1;
}

static size_t segment(const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && !is_sep(p[n]))
		n++;
	return n;
}

static bool all_digits(const char *s, size_t n)
{
	return digits(s) >= n;
}

static int local_cmp(const struct pep440 *x, const struct pep440 *y)
{
	const char *a = x->local, *b = y->local, *ae, *be;

	if (!a || !b)
		return (!a) == (!b) ? 0 : a ? 1 : -1;
	ae = a + x->locallen;
	be = b + y->locallen;
	for (;;) {
		size_t n = segment(a, ae), m = segment(b, be);
		bool an = all_digits(a, n), bn = all_digits(b, m);
		int r;

		if (an && bn)
			r = sr_version__numcmp(a, n, b, m);
		else if (an != bn)
			r = an ? 1 : -1;
		else
			r = ci_cmp(a, n, b, m);
		if (r)
			return r;
		a += n;
		b += m;
		if (a == ae || b == be)
			return a == ae && b == be ? 0 : a == ae ? -1 : 1;
		a++;
		b++;
	}
}

int sr_version__pypi_cmp(const char *a, const char *b)
{
	struct pep440 x, y;
	bool va = parse(a, &x), vb = parse(b, &y);
	int r, cx, cy;

	if (!va || !vb)
		return sr_version__fallback(va, vb, a, b);
	r = optcmp(x.epoch, x.epochlen, y.epoch, y.epochlen);
	if (r)
		return r;
	r = release_cmp(x.rel, x.rel + x.rellen, y.rel, y.rel + y.rellen);
	if (r)
		return r;
	cx = pre_class(&x);
	cy = pre_class(&y);
	if (cx != cy)
		return cx < cy ? -1 : 1;
	if (cx == 1) {
		if (x.pre != y.pre)
			return x.pre < y.pre ? -1 : 1;
		r = optcmp(x.pren, x.prenlen, y.pren, y.prenlen);
		if (r)
			return r;
	}
	if (x.post != y.post)
		return x.post ? 1 : -1;
	if (x.post) {
		r = optcmp(x.postn, x.postnlen, y.postn, y.postnlen);
		if (r)
			return r;
	}
	if (x.dev != y.dev)
		return x.dev ? -1 : 1;
	if (x.dev) {
		r = optcmp(x.devn, x.devnlen, y.devn, y.devnlen);
		if (r)
			return r;
	}
	return local_cmp(&x, &y);
}

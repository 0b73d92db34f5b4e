/*
 * The SemVer family: npm (node-semver, loose), Go (x/mod/semver), crates.io
 * and plain SemVer 2.0.0. All share the precedence rules of SemVer 2.0.0
 * item 11 and differ only in the grammar they accept.
 */
#include "version.h"

#include <string.h>

#include "base/banned.h"

/* node-semver's MAX_LENGTH. */
#define NPM_MAX_LENGTH 256

struct semver {
	const char *num[3];	/* major, minor, patch; "0" when omitted */
	size_t numlen[3];
	const char *pre;	/* prerelease without the '-', or NULL */
	size_t prelen;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	       c == '\f' || c == '\r';
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
	}
	return true;
}

/* A run of digits at *p; with 'strict', no leading zero unless just "0". */
static bool number(const char **p, bool strict, const char **out,
		   size_t *len)
{
	const char *s = *p;

	while (is_digit(**p))
		(*p)++;
	if (*p == s)
		return false;
	if (strict && *s == '0' && *p - s > 1)
		return false;
	*out = s;
	*len = (size_t)(*p - s);
	return true;
}

/*
 * Dot-separated identifiers at *p ([0-9A-Za-z-]+ each); with 'numeric0',
 * all-digit identifiers may not have leading zeros.
 */
static bool identifiers(const char **p, bool numeric0)
{
	for (;;) {
		const char *s = *p;

		while (is_ident_char(**p))
			(*p)++;
		if (*p == s)
			return false;
		if (numeric0 && *s == '0' && *p - s > 1 &&
		    all_digits(s, (size_t)(*p - s)))
			return false;
		if (**p != '.')
			return true;
		(*p)++;
	}
}

/* What follows MAJOR.MINOR.PATCH: [-]prerelease, +build, the end. */
static bool tail(const char *p, const char *end, bool loose,
		 struct semver *v)
{
	v->pre = NULL;
	v->prelen = 0;
	if (p < end && (*p == '-' || (loose && is_ident_char(*p)))) {
		const char *pre;

		/*
		 * node-semver's loose grammar makes the hyphen optional, so
		 * "1.2.3-" is "1.2.3" with the prerelease "-".
		 */
		if (*p == '-' && (!loose || is_ident_char(p[1])))
			p++;
		pre = p;
		if (!identifiers(&p, !loose))
			return false;
		v->pre = pre;
		v->prelen = (size_t)(p - pre);
	}
	if (p < end && *p == '+') {
		p++;
		if (!identifiers(&p, false))
			return false;
	}
	return p == end;
}

static bool parse(enum sr_ecosystem eco, const char *s, struct semver *v)
{
	bool loose = eco == SR_ECO_NPM;
	const char *p = s, *end = s + strlen(s);
	int i;

	v->pre = NULL;
	v->prelen = 0;
	if (loose) {
		if ((size_t)(end - s) > NPM_MAX_LENGTH)
			return false;
		while (end > p && is_space(end[-1]))
			end--;
		while (p < end && (is_space(*p) || *p == 'v' || *p == '='))
			p++;
	} else if (*p == 'v') {
		p++;
	}
	for (i = 0; i < 3; i++) {
		if (i > 0) {
			if (eco == SR_ECO_GO && p == end) {
				/* "v1" and "v1.2" mean v1.0.0 and v1.2.0. */
				v->num[i] = "0";
				v->numlen[i] = 1;
				continue;
			}
			if (*p != '.')
				return false;
			p++;
		}
		if (!number(&p, !loose, &v->num[i], &v->numlen[i]))
			return false;
	}
	if (tail(p, end, loose, v))
		return true;
	/*
	 * node-semver's loose regular expression backtracks into the patch
	 * number when the rest does not match: "1.2.34.5" is 1.2.3-4.5.
	 */
	while (loose && v->numlen[2] > 1) {
		v->numlen[2]--;
		if (tail(v->num[2] + v->numlen[2], end, loose, v))
			return true;
	}
	return false;
}

bool sr_version__semver_valid(enum sr_ecosystem eco, const char *v)
{
	struct semver sv;

	return parse(eco, v, &sv);
}

/* Compare two prerelease identifiers (SemVer 2.0.0 item 11.4). */
static int ident_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	bool an = all_digits(a, alen), bn = all_digits(b, blen);
	size_t n;
	int r;

	if (an && bn)
		return sr_version__numcmp(a, alen, b, blen);
	if (an != bn)
		return an ? -1 : 1;
	n = alen < blen ? alen : blen;
	r = memcmp(a, b, n);
	if (r)
		return r < 0 ? -1 : 1;
	return alen == blen ? 0 : alen < blen ? -1 : 1;
}

static int pre_cmp(const struct semver *a, const struct semver *b)
{
	const char *p = a->pre, *q = b->pre, *pe, *qe;

	if (!p || !q)
		return (!p) == (!q) ? 0 : p ? -1 : 1;
	pe = p + a->prelen;
	qe = q + b->prelen;
	for (;;) {
		const char *ps = p, *qs = q;
		int r;

		while (p < pe && *p != '.')
			p++;
		while (q < qe && *q != '.')
			q++;
		r = ident_cmp(ps, (size_t)(p - ps), qs, (size_t)(q - qs));
		if (r)
			return r;
		if (p == pe || q == qe)
			return p == pe && q == qe ? 0 : p == pe ? -1 : 1;
		p++;
		q++;
	}
}

int sr_version__semver_cmp(enum sr_ecosystem eco, const char *a,
			   const char *b)
{
	struct semver x, y;
	bool va = parse(eco, a, &x), vb = parse(eco, b, &y);
	int i, r;

	if (!va || !vb)
		return sr_version__fallback(va, vb, a, b);
	for (i = 0; i < 3; i++) {
		r = sr_version__numcmp(x.num[i], x.numlen[i], y.num[i],
				       y.numlen[i]);
		if (r)
			return r;
	}
	return pre_cmp(&x, &y);
}

/*
 * Packagist: PHP's version_compare() as osv.dev orders Packagist versions
 * (osv/ecosystems/packagist.py; osv-scanner ports the same rules).
 *
 * A leading "v" or "V" is dropped; "-", "_" and "+" are dots; a dot is
 * inserted between a digit and a non-digit. The dot-separated parts (empty
 * ones included) compare in turn: numbers numerically, a number against a
 * word as the special form "#", words by special form:
 *
 *   any other word < dev < alpha = a < beta = b < RC = rc < # < pl = p
 *
 * When one version runs out, a remaining number makes the longer one
 * greater, and remaining words compare against "#" ("1.0" > "1.0-beta",
 * "1.0-p1" > "1.0"). Special forms match case-insensitively and "patch"
 * counts as "p", as Composer normalises them; otherwise every string is a
 * valid version, as for version_compare(). One deviation keeps the order
 * transitive: a literal "#" part sorts below every number instead of equal
 * to all of them.
 */
#include "version.h"

#include <string.h>

#include "base/banned.h"

#define W_HASH 4

struct part {
	const char *s;
	size_t len;
};

struct parts {
	const char *p;
	bool done;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_sep(char c)
{
	return c == '.' || c == '-' || c == '_' || c == '+';
}

static void parts_init(struct parts *t, const char *v)
{
	if (*v == 'v' || *v == 'V')
		v++;
	t->p = v;
	t->done = false;
}

/* The next part; like Python's str.split('.'), there is at least one. */
static bool parts_next(struct parts *t, struct part *out)
{
	const char *s = t->p;

	if (t->done)
		return false;
	if (!*s) {
		out->s = s;
		out->len = 0;
		t->done = true;
		return true;
	}
	if (is_sep(*s)) {
		out->s = s;
		out->len = 0;
		t->p++;
		return true;
	}
	if (is_digit(*s)) {
		while (is_digit(*t->p))
			t->p++;
	} else {
		while (*t->p && !is_digit(*t->p) && !is_sep(*t->p))
			t->p++;
	}
	out->s = s;
	out->len = (size_t)(t->p - s);
	if (!*t->p)
		t->done = true;
	else if (is_sep(*t->p))
		t->p++;
	return true;
}

static bool is_number(const struct part *x)
{
	size_t i;

	if (!x->len)
		return false;
	for (i = 0; i < x->len; i++) {
		if (!is_digit(x->s[i]))
			return false;
	}
	return true;
}

static bool ieq(const struct part *x, const char *word)
{
	size_t i;

	for (i = 0; i < x->len; i++) {
		char c = x->s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (!word[i] || c != word[i])
			return false;
	}
	return !word[x->len];
}

/* The special-form weight of a word (numbers weigh as "#"). */
static int weight(const struct part *x)
{
	static const struct {
		const char *word;
		int weight;
	} forms[] = {
		{ "dev", 0 }, { "alpha", 1 }, { "a", 1 }, { "beta", 2 },
		{ "b", 2 }, { "rc", 3 }, { "#", W_HASH }, { "pl", 5 },
		{ "p", 5 }, { "patch", 5 },
	};
	size_t i;

	if (is_number(x))
		return W_HASH;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (ieq(x, forms[i].word))
			return forms[i].weight;
	}
	return -1;
}

static int part_cmp(const struct part *x, const struct part *y)
{
	bool nx = is_number(x), ny = is_number(y);
	int wx, wy;

	if (nx && ny)
		return sr_version__numcmp(x->s, x->len, y->s, y->len);
	wx = weight(x);
	wy = weight(y);
	if (wx != wy)
		return wx < wy ? -1 : 1;
	/*
	 * A number against the word "#": PHP and osv.dev call them equal,
	 * which is not transitive (1 = # = 2); "#" goes below numbers here.
	 */
	return nx == ny ? 0 : nx ? 1 : -1;
}

/* The longer version's remaining parts against nothing. */
static int rest_cmp(struct parts *t, const struct part *first)
{
	struct part x = *first;

	do {
		int w;

		if (is_number(&x))
			return 1;
		w = weight(&x);
		if (w != W_HASH)
			return w < W_HASH ? -1 : 1;
	} while (parts_next(t, &x));
	return 0;
}

bool sr_version__packagist_valid(const char *v)
{
	(void)v;
	return true;
}

int sr_version__packagist_cmp(const char *a, const char *b)
{
	struct parts x, y;

	parts_init(&x, a);
	parts_init(&y, b);
	for (;;) {
		struct part l, r;
		bool hl = parts_next(&x, &l), hr = parts_next(&y, &r);
		int c;

		if (!hl && !hr)
			return 0;
		if (!hr)
			return rest_cmp(&x, &l);
		if (!hl)
			return -rest_cmp(&y, &r);
		c = part_cmp(&l, &r);
		if (c)
			return c;
	}
}

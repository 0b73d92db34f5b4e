/*
 * Instance values: the JSON kind of a node, exact decimal numbers, JSON
 * equality and hashing, and short renderings for messages.
 */
#include "schema/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "base/banned.h"

/* Exponents saturate here: far beyond any double, far below overflow. */
#define EXP_LIMIT (1LL << 40)

static bool plain(const struct sr_node *n)
{
	return n->type == SR_NODE_SCALAR && n->style == SR_STYLE_PLAIN &&
	       !(n->tag && !strcmp(n->tag, "tag:yaml.org,2002:str"));
}

/*
 * Parse a decimal number (JSON's grammar, plus YAML's "+1", ".5" and
 * "5."), the whole of 's'. Returns false if 's' is not one.
 */
static bool parse_decimal(const char *s, size_t len, struct sr_num *out)
{
	size_t i = 0, ndig = 0;
	long long adj = 0, e = 0;
	bool any = false, eneg = false;
	char dig[SR_NUM_DIGITS + 1];
	bool inexact = false;

	memset(out, 0, sizeof(*out));
	out->kind = SR_NUM_FINITE;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		out->neg = s[i++] == '-';
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		any = true;
		if (ndig == 0 && s[i] == '0')
			continue;	/* leading zero */
		if (ndig < SR_NUM_DIGITS + 1) {
			dig[ndig++] = (char)(s[i] - '0');
		} else {
			adj++;	/* dropped integer digit */
			if (s[i] != '0')
				inexact = true;
		}
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			any = true;
			if (ndig == 0 && s[i] == '0') {
				adj--;
				continue;
			}
			if (ndig < SR_NUM_DIGITS + 1) {
				dig[ndig++] = (char)(s[i] - '0');
				adj--;
			} else if (s[i] != '0') {
				inexact = true;
			}
		}
	}
	if (!any)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		bool edig = false;

		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			eneg = s[i++] == '-';
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			edig = true;
			if (e < EXP_LIMIT)
				e = e * 10 + (s[i] - '0');
		}
		if (!edig)
			return false;
	}
	if (i != len)
		return false;
	if (ndig > SR_NUM_DIGITS) {
		/* keep SR_NUM_DIGITS digits, truncating the rest */
		if (dig[SR_NUM_DIGITS])
			inexact = true;
		adj += (long long)(ndig - SR_NUM_DIGITS);
		ndig = SR_NUM_DIGITS;
	}
	while (ndig && dig[ndig - 1] == 0) {
		ndig--;
		adj++;
	}
	e = (eneg ? -e : e) + adj;
	if (e > EXP_LIMIT)
		e = EXP_LIMIT;
	if (e < -EXP_LIMIT)
		e = -EXP_LIMIT;
	out->ndig = (unsigned char)ndig;
	memcpy(out->dig, dig, ndig);
	out->exp = ndig ? e : 0;
	out->inexact = inexact;
	if (!ndig)
		out->neg = false;
	return true;
}

static bool parse_special(const char *s, struct sr_num *out)
{
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	memset(out, 0, sizeof(*out));
	if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF")) {
		out->kind = SR_NUM_INF;
		out->neg = neg;
		return true;
	}
	if (!strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN")) {
		out->kind = SR_NUM_NAN;
		return true;
	}
	return false;
}

static void from_ll(long long v, struct sr_num *out)
{
	unsigned long long u;
	char tmp[24];
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->kind = SR_NUM_FINITE;
	out->neg = v < 0;
	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	while (u) {
		tmp[n++] = (char)(u % 10);
		u /= 10;
	}
	while (n && tmp[0] == 0) {
		memmove(tmp, tmp + 1, --n);
		out->exp++;
	}
	out->ndig = (unsigned char)n;
	while (n) {
		out->dig[out->ndig - n] = tmp[n - 1];
		n--;
	}
	if (!out->ndig) {
		out->neg = false;
		out->exp = 0;
	}
}

bool sr_schema__num(const struct sr_node *n, struct sr_num *out)
{
	long long v;

	if (!n || !plain(n) || !n->u.scalar.len)
		return false;
	if (parse_decimal(n->u.scalar.str, n->u.scalar.len, out))
		return true;
	if (sr_node_int(n, &v)) {	/* 0x1f, 0o17 */
		from_ll(v, out);
		return true;
	}
	return parse_special(n->u.scalar.str, out);
}

unsigned sr_schema__kind(const struct sr_node *n)
{
	struct sr_num num;
	bool b;
	char c;

	if (!n)
		return SR_JT_NULL;
	if (n->type == SR_NODE_MAP)
		return SR_JT_OBJ;
	if (n->type == SR_NODE_SEQ)
		return SR_JT_ARR;
	if (!plain(n))
		return SR_JT_STR;
	c = n->u.scalar.str[0];
	if (sr_node_is_null(n))
		return SR_JT_NULL;
	if ((c == 't' || c == 'f' || c == 'T' || c == 'F') &&
	    sr_node_bool(n, &b))
		return SR_JT_BOOL;
	if (((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') &&
	    sr_schema__num(n, &num)) {
		if (num.kind == SR_NUM_FINITE && num.exp >= 0)
			return SR_JT_INT;
		return SR_JT_NUM;
	}
	return SR_JT_STR;
}

const char *sr_schema__kind_name(unsigned kind)
{
	switch (kind) {
	case SR_JT_NULL: return "null";
	case SR_JT_BOOL: return "boolean";
	case SR_JT_INT: return "integer";
	case SR_JT_NUM: return "number";
	case SR_JT_STR: return "string";
	case SR_JT_ARR: return "array";
	case SR_JT_OBJ: return "object";
	default: return "value";
	}
}

/* Compare magnitudes of two finite numbers. */
static int mag_cmp(const struct sr_num *a, const struct sr_num *b)
{
	long long oa, ob;
	size_t i, n;

	if (!a->ndig || !b->ndig)
		return (a->ndig != 0) - (b->ndig != 0);
	oa = a->exp + a->ndig;
	ob = b->exp + b->ndig;
	if (oa != ob)
		return oa < ob ? -1 : 1;
	n = a->ndig > b->ndig ? a->ndig : b->ndig;
	for (i = 0; i < n; i++) {
		int da = i < a->ndig ? a->dig[i] : 0;
		int db = i < b->ndig ? b->dig[i] : 0;

		if (da != db)
			return da < db ? -1 : 1;
	}
	return 0;
}

int sr_schema__num_cmp(const struct sr_num *a, const struct sr_num *b)
{
	int sa, sb, m;

	if (a->kind == SR_NUM_NAN || b->kind == SR_NUM_NAN)
		return 2;
	sa = a->kind == SR_NUM_FINITE && !a->ndig ? 0 : a->neg ? -1 : 1;
	sb = b->kind == SR_NUM_FINITE && !b->ndig ? 0 : b->neg ? -1 : 1;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (!sa)
		return 0;
	if (a->kind == SR_NUM_INF || b->kind == SR_NUM_INF) {
		if (a->kind == b->kind)
			return 0;
		m = a->kind == SR_NUM_INF ? 1 : -1;
	} else {
		m = mag_cmp(a, b);
	}
	return sa < 0 ? -m : m;
}

static double to_double(const struct sr_num *a)
{
	char buf[SR_NUM_DIGITS + 40];
	size_t i, n = 0;

	if (a->kind == SR_NUM_INF)
		return a->neg ? -INFINITY : INFINITY;
	if (a->kind == SR_NUM_NAN)
		return NAN;
	if (!a->ndig)
		return 0.0;
	if (a->neg)
		buf[n++] = '-';
	for (i = 0; i < a->ndig; i++)
		buf[n++] = (char)('0' + a->dig[i]);
	snprintf(buf + n, sizeof(buf) - n, "e%lld", a->exp);
	return strtod(buf, NULL);
}

static bool small_mantissa(const struct sr_num *a, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (a->ndig > 19 || a->inexact)
		return false;
	for (i = 0; i < a->ndig; i++)
		v = v * 10 + (uint64_t)a->dig[i];
	*out = v;
	return true;
}

/* 10^k mod m, by squaring. */
static uint64_t pow10_mod(long long k, uint64_t m)
{
	unsigned __int128 r = 1 % m, b = 10 % m;

	while (k > 0) {
		if (k & 1)
			r = r * b % m;
		b = b * b % m;
		k >>= 1;
	}
	return (uint64_t)r;
}

bool sr_schema__num_multiple(const struct sr_num *a, const struct sr_num *b)
{
	uint64_t ma, mb;
	double q;

	if (a->kind != SR_NUM_FINITE || b->kind != SR_NUM_FINITE || !b->ndig)
		return false;
	if (!a->ndig)
		return true;
	if (small_mantissa(a, &ma) && small_mantissa(b, &mb)) {
		/*
		 * a = ma * 10^ea, b = mb * 10^eb, neither mantissa ending in
		 * 0. With ea < eb, a / b = ma / (mb * 10^k) needs 10 | ma.
		 */
		if (a->exp < b->exp)
			return false;
		return (unsigned __int128)(ma % mb) *
			       pow10_mod(a->exp - b->exp, mb) % mb == 0;
	}
	q = to_double(a) / to_double(b);
	return isfinite(q) && q == floor(q);
}

const char *sr_schema__key(const struct sr_node *k, size_t *len)
{
	if (!k || k->type != SR_NODE_SCALAR) {
		*len = 0;
		return "";
	}
	*len = k->u.scalar.len;
	return k->u.scalar.str;
}

static bool key_eq(const struct sr_node *a, const struct sr_node *b)
{
	size_t la, lb;
	const char *sa = sr_schema__key(a, &la), *sb = sr_schema__key(b, &lb);

	return la == lb && !memcmp(sa, sb, la);
}

bool sr_schema__equal(const struct sr_node *a, const struct sr_node *b)
{
	unsigned ka = sr_schema__kind(a), kb = sr_schema__kind(b);
	size_t i, j;

	if (a == b)
		return true;
	if ((ka & SR_JT_NUMBER) && (kb & SR_JT_NUMBER)) {
		struct sr_num na, nb;

		sr_schema__num(a, &na);
		sr_schema__num(b, &nb);
		return sr_schema__num_cmp(&na, &nb) == 0;
	}
	if (ka != kb)
		return false;
	switch (ka) {
	case SR_JT_NULL:
		return true;
	case SR_JT_BOOL: {
		bool ba = false, bb = false;

		sr_node_bool(a, &ba);
		sr_node_bool(b, &bb);
		return ba == bb;
	}
	case SR_JT_STR:
		return a->u.scalar.len == b->u.scalar.len &&
		       !memcmp(a->u.scalar.str, b->u.scalar.str,
			       a->u.scalar.len);
	case SR_JT_ARR:
		if (a->u.seq.n != b->u.seq.n)
			return false;
		for (i = 0; i < a->u.seq.n; i++)
			if (!sr_schema__equal(a->u.seq.items[i],
					      b->u.seq.items[i]))
				return false;
		return true;
	case SR_JT_OBJ:
		if (a->u.map.n != b->u.map.n)
			return false;
		for (i = 0; i < a->u.map.n; i++) {
			const struct sr_pair *p = &a->u.map.pairs[i];
			bool found = false;

			for (j = 0; j < b->u.map.n && !found; j++) {
				const struct sr_pair *q = &b->u.map.pairs[j];

				if (key_eq(p->key, q->key)) {
					if (!sr_schema__equal(p->value,
							      q->value))
						return false;
					found = true;
				}
			}
			if (!found)
				return false;
		}
		return true;
	default:
		return false;
	}
}

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

uint64_t sr_schema__hash(const struct sr_node *n)
{
	unsigned kind = sr_schema__kind(n);
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	if (kind & SR_JT_NUMBER) {
		struct sr_num num;

		sr_schema__num(n, &num);
		h = fnv(h, "n", 1);
		h = fnv(h, &num.kind, 1);
		h = fnv(h, &num.neg, 1);
		h = fnv(h, num.dig, num.ndig);
		return fnv(h, &num.exp, sizeof(num.exp));
	}
	h = fnv(h, &kind, sizeof(kind));
	switch (kind) {
	case SR_JT_BOOL: {
		bool b = false;

		sr_node_bool(n, &b);
		return fnv(h, &b, 1);
	}
	case SR_JT_STR:
		return fnv(h, n->u.scalar.str, n->u.scalar.len);
	case SR_JT_ARR:
		for (i = 0; i < n->u.seq.n; i++) {
			uint64_t c = sr_schema__hash(n->u.seq.items[i]);

			h = fnv(h, &c, sizeof(c));
		}
		return h;
	case SR_JT_OBJ: {
		uint64_t sum = 0;

		for (i = 0; i < n->u.map.n; i++) {
			size_t klen;
			const char *k = sr_schema__key(n->u.map.pairs[i].key,
						       &klen);
			uint64_t c = fnv(1469598103934665603ULL, k, klen);

			c = c * 31 + sr_schema__hash(n->u.map.pairs[i].value);
			sum += c * 0x9e3779b97f4a7c15ULL;
		}
		return fnv(h, &sum, sizeof(sum));
	}
	default:
		return h;
	}
}

/* Append a JSON string literal of 'len' bytes (NULs escaped). */
static void add_json_string(struct sr_buf *b, const char *s, size_t len,
			    size_t max)
{
	size_t i;

	sr_buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= max) {
			/* do not cut inside a UTF-8 sequence */
			while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
				sr_buf_addc(b, s[i++]);
			sr_buf_adds(b, "...");
			break;
		}
		switch (c) {
		case '"': sr_buf_adds(b, "\\\""); break;
		case '\\': sr_buf_adds(b, "\\\\"); break;
		case '\n': sr_buf_adds(b, "\\n"); break;
		case '\r': sr_buf_adds(b, "\\r"); break;
		case '\t': sr_buf_adds(b, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				sr_buf_addf(b, "\\u%04x", c);
			else
				sr_buf_addc(b, (char)c);
		}
	}
	sr_buf_addc(b, '"');
}

static void render(struct sr_buf *b, const struct sr_node *n, size_t start,
		   size_t max)
{
	unsigned kind = sr_schema__kind(n);
	size_t i;

	if (b->len - start > max) {
		sr_buf_adds(b, "...");
		return;
	}
	switch (kind) {
	case SR_JT_NULL:
		sr_buf_adds(b, "null");
		return;
	case SR_JT_BOOL: {
		bool v = false;

		sr_node_bool(n, &v);
		sr_buf_adds(b, v ? "true" : "false");
		return;
	}
	case SR_JT_STR:
		add_json_string(b, n->u.scalar.str, n->u.scalar.len,
				max > b->len - start ? max - (b->len - start) :
				0);
		return;
	case SR_JT_ARR:
		sr_buf_addc(b, '[');
		for (i = 0; i < n->u.seq.n; i++) {
			if (i)
				sr_buf_addc(b, ',');
			if (b->len - start > max) {
				sr_buf_adds(b, "...");
				break;
			}
			render(b, n->u.seq.items[i], start, max);
		}
		sr_buf_addc(b, ']');
		return;
	case SR_JT_OBJ:
		sr_buf_addc(b, '{');
		for (i = 0; i < n->u.map.n; i++) {
			size_t klen;
			const char *k;

			if (i)
				sr_buf_addc(b, ',');
			if (b->len - start > max) {
				sr_buf_adds(b, "...");
				break;
			}
			k = sr_schema__key(n->u.map.pairs[i].key, &klen);
			add_json_string(b, k, klen, max);
			sr_buf_addc(b, ':');
			render(b, n->u.map.pairs[i].value, start, max);
		}
		sr_buf_addc(b, '}');
		return;
	default:
		/* numbers as written */
		sr_buf_add(b, n->u.scalar.str, n->u.scalar.len);
		return;
	}
}

void sr_schema__render(struct sr_buf *b, const struct sr_node *n, size_t max)
{
	render(b, n, b->len, max);
}

void sr_schema__describe(struct sr_buf *b, const struct sr_node *n)
{
	unsigned kind = sr_schema__kind(n);

	sr_buf_adds(b, sr_schema__kind_name(kind));
	if (kind == SR_JT_OBJ || kind == SR_JT_ARR || kind == SR_JT_NULL)
		return;
	sr_buf_addc(b, ' ');
	sr_schema__render(b, n, 40);
}

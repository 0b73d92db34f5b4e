/*
 * Maven version order: a port of Maven 4's ComparableVersion.
 *
 * ComparableVersion parses a version into a list of items (numbers,
 * qualifier strings, "combinations" such as "alpha1") where a hyphen or a
 * digit/letter transition opens a nested list. Every nested list is added
 * as the last item of the list being built and then becomes the list being
 * built, so the tree is always a chain: level 0 holds its items and then
 * (maybe) level 1, which holds its items and then (maybe) level 2, and so
 * on. We keep each level's scalar items in one fixed-size array, so
 * parsing and comparing need no allocation.
 *
 * Differences from Java, all on input no real version has: letters are
 * lowercased with a simple one-to-one mapping (Latin, Greek, Cyrillic,
 * Armenian, fullwidth), and only ASCII digits count as digits (Java's
 * CombinationItem also treats other Unicode digits as digits).
 */
#include "version.h"

#include <stdint.h>
#include <string.h>

#include "base/xmalloc.h"
#include "base/banned.h"

/* Maven's MAX_VERSION_LENGTH, in UTF-16 code units. */
#define MVN_MAX_UNITS 256
/* At most one item per character, plus the "0" a leading separator adds. */
#define MVN_MAX_ITEMS (MVN_MAX_UNITS + 4)
/* 4-byte UTF-8 sequences are 2 units, so bytes <= 3 * units. */
#define MVN_MAX_BYTES (3 * MVN_MAX_UNITS)

enum mvn_type {
	MVN_INT,	/* digits */
	MVN_STR,	/* a qualifier */
	MVN_COMBO	/* a qualifier followed by digits, e.g. "rc1" */
};

/* Qualifier ranks: QUALIFIERS' index, RELEASE for ""/ga/final/release. */
enum {
	Q_ALPHA, Q_BETA, Q_MILESTONE, Q_RC, Q_SNAPSHOT, Q_RELEASE, Q_SP,
	Q_UNKNOWN
};

struct mvn_item {
	uint8_t type;
	uint8_t rank;		/* MVN_STR, MVN_COMBO: the string's rank */
	uint16_t soff, slen;	/* MVN_STR, MVN_COMBO: the string */
	uint16_t noff, nlen;	/* MVN_INT, MVN_COMBO: digits, no leading 0s */
};

struct mvn {
	const char *s;
	struct mvn_item item[MVN_MAX_ITEMS];
	uint16_t lstart[MVN_MAX_ITEMS];	/* level k's items start here */
	uint16_t llen[MVN_MAX_ITEMS];	/* and there are this many */
	int nlvl;			/* level k < nlvl - 1 ends in k + 1 */
	int nitems;
};

static bool is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

/*
 * Decode one code point at 's' (before 'end'); *n gets its length. A byte
 * that does not start a well-formed sequence decodes alone to
 * 0x110000 + byte, which sorts after every code point.
 */
static uint32_t decode(const unsigned char *s, const unsigned char *end,
		       size_t *n)
{
	uint32_t c = s[0], min;
	size_t len, i;

	if (c < 0x80) {
		*n = 1;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		goto bad;
	}
	if ((size_t)(end - s) < len)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*n = len;
	return c;
bad:
	*n = 1;
	return 0x110000 + s[0];
}

/* Simple lowercase mapping for the alphabets people put in versions. */
static uint32_t lower(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f) || (c >= 0xff21 && c <= 0xff3a))
		return c + 32;
	if ((c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14a && c <= 0x177) || (c >= 0x460 && c <= 0x481) ||
	    (c >= 0x48a && c <= 0x4bf) || (c >= 0x4d0 && c <= 0x52f) ||
	    (c >= 0x1e00 && c <= 0x1e95) || (c >= 0x1ea0 && c <= 0x1eff))
		return c % 2 == 0 ? c + 1 : c;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e) ||
	    (c >= 0x4c1 && c <= 0x4ce))
		return c % 2 == 1 ? c + 1 : c;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	if (c >= 0x531 && c <= 0x556)
		return c + 48;
	if (c >= 0x388 && c <= 0x38a)
		return c + 37;
	if (c == 0x38e || c == 0x38f)
		return c + 63;
	switch (c) {
	case 0x178: return 0xff;
	case 0x386: return 0x3ac;
	case 0x38c: return 0x3cc;
	case 0x4c0: return 0x4cf;
	default: return c;
	}
}

/* Sort key giving Java's String order (UTF-16 code units). */
static uint32_t utf16_key(uint32_t c)
{
	if (c < 0xd800)
		return c;
	if (c >= 0x10000)
		return c < 0x110000 ? 0xd800 + (c - 0x10000) : c + 0x100000;
	return c + 0x100000;	/* U+E000..U+FFFF: after all surrogates */
}

/* Java's compareTo of two lowercased strings. */
static int text_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const unsigned char *p = (const unsigned char *)a, *pe = p + alen;
	const unsigned char *q = (const unsigned char *)b, *qe = q + blen;

	while (p < pe && q < qe) {
		size_t n, m;
		uint32_t x = utf16_key(lower(decode(p, pe, &n)));
		uint32_t y = utf16_key(lower(decode(q, qe, &m)));

		if (x != y)
			return x < y ? -1 : 1;
		p += n;
		q += m;
	}
	return p < pe ? 1 : q < qe ? -1 : 0;
}

static bool ascii_ieq(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (!word[i] || c != word[i])
			return false;
	}
	return !word[len];
}

/* The rank of qualifier 's'; 'combo' when digits follow (StringItem). */
static uint8_t qualifier_rank(const char *s, size_t len, bool combo)
{
	static const struct {
		const char *word;
		uint8_t rank;
	} words[] = {
		{ "alpha", Q_ALPHA }, { "beta", Q_BETA },
		{ "milestone", Q_MILESTONE }, { "rc", Q_RC }, { "cr", Q_RC },
		{ "snapshot", Q_SNAPSHOT }, { "", Q_RELEASE },
		{ "ga", Q_RELEASE }, { "final", Q_RELEASE },
		{ "release", Q_RELEASE }, { "sp", Q_SP },
	};
	size_t i;

	if (combo && len == 1) {
		switch (s[0]) {
		case 'a': case 'A': return Q_ALPHA;
		case 'b': case 'B': return Q_BETA;
		case 'm': case 'M': return Q_MILESTONE;
		default: break;
		}
	}
	for (i = 0; i < SR_ARRAY_SIZE(words); i++) {
		if (ascii_ieq(s, len, words[i].word))
			return words[i].rank;
	}
	return Q_UNKNOWN;
}

/* A digit run without its leading zeros ("0" when all zeros). */
static void strip_zeros(const char *s, size_t off, size_t len,
			uint16_t *noff, uint16_t *nlen)
{
	while (len > 1 && s[off] == '0') {
		off++;
		len--;
	}
	*noff = (uint16_t)off;
	*nlen = (uint16_t)len;
}

/* ComparableVersion.parseItem for s[off, off + len). */
static void add_item(struct mvn *v, bool combination, bool digits,
		     size_t off, size_t len)
{
	struct mvn_item *it = &v->item[v->nitems++];

	v->llen[v->nlvl - 1]++;
	memset(it, 0, sizeof(*it));
	if (combination) {
		/* Letters, maybe a '-' (the "X-1" form), then digits. */
		size_t d = 0, slen;

		while (d < len && !is_digit((unsigned char)v->s[off + d]))
			d++;
		slen = d;
		if (slen && v->s[off + slen - 1] == '-')
			slen--;
		it->type = MVN_COMBO;
		it->soff = (uint16_t)off;
		it->slen = (uint16_t)slen;
		it->rank = qualifier_rank(v->s + off, slen, true);
		strip_zeros(v->s, off + d, len - d, &it->noff, &it->nlen);
	} else if (digits) {
		it->type = MVN_INT;
		strip_zeros(v->s, off, len, &it->noff, &it->nlen);
	} else {
		it->type = MVN_STR;
		it->soff = (uint16_t)off;
		it->slen = (uint16_t)len;
		it->rank = qualifier_rank(v->s + off, len, false);
	}
}

/* IntItem.ZERO */
static void add_zero(struct mvn *v)
{
	struct mvn_item *it = &v->item[v->nitems++];

	v->llen[v->nlvl - 1]++;
	memset(it, 0, sizeof(*it));
	it->type = MVN_INT;
	it->noff = 0;
	it->nlen = 0;	/* an empty digit run reads as 0 */
}

static void new_level(struct mvn *v)
{
	v->lstart[v->nlvl] = (uint16_t)v->nitems;
	v->llen[v->nlvl] = 0;
	v->nlvl++;
}

static bool is_zero(const struct mvn *v, const struct mvn_item *it)
{
	return it->nlen == 0 || (it->nlen == 1 && v->s[it->noff] == '0');
}

/* Item.isNull() for scalars. */
static bool item_is_null(const struct mvn *v, const struct mvn_item *it)
{
	switch (it->type) {
	case MVN_INT:
		return is_zero(v, it);
	case MVN_STR:
		return it->slen == 0;
	default:
		return false;
	}
}

static void remove_item(struct mvn *v, int k, int i)
{
	struct mvn_item *base = &v->item[v->lstart[k]];

	memmove(base + i, base + i + 1,
		(size_t)(v->llen[k] - i - 1) * sizeof(*base));
	v->llen[k]--;
}

/* ListItem.normalize() for level k (levels above k are done). */
static void normalize(struct mvn *v, int k)
{
	int i;

	for (i = v->llen[k] + (k < v->nlvl - 1) - 1; i >= 0; i--) {
		bool has_sub = k < v->nlvl - 1;
		int size = v->llen[k] + has_sub;
		const struct mvn_item *it, *next;

		if (i == v->llen[k]) {
			/* The nested list: null when empty, and always last. */
			if (v->llen[k + 1] == 0 && k + 1 == v->nlvl - 1)
				v->nlvl = k + 1;
			continue;
		}
		it = &v->item[v->lstart[k] + i];
		if (!item_is_null(v, it))
			continue;
		if (i == size - 1) {
			remove_item(v, k, i);
		} else if (i + 1 < v->llen[k]) {
			next = it + 1;
			if (next->type == MVN_STR)
				remove_item(v, k, i);
		} else {
			/* Next is the nested list: look at its first item. */
			next = &v->item[v->lstart[k + 1]];
			if (v->llen[k + 1] > 0 && next->type != MVN_INT)
				remove_item(v, k, i);
		}
	}
	if (v->llen[k] == 0 && k < v->nlvl - 1) {
		/* Only a nested list is left: take its items. */
		memmove(&v->lstart[k], &v->lstart[k + 1],
			(size_t)(v->nlvl - k - 1) * sizeof(v->lstart[0]));
		memmove(&v->llen[k], &v->llen[k + 1],
			(size_t)(v->nlvl - k - 1) * sizeof(v->llen[0]));
		v->nlvl--;
	}
}

/* How many UTF-16 units Java would see; stops counting past the limit. */
static size_t utf16_units(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t units = 0;

	while (p < end && units <= MVN_MAX_UNITS) {
		size_t n;
		uint32_t c = decode(p, end, &n);

		units += c >= 0x10000 && c < 0x110000 ? 2 : 1;
		p += n;
	}
	return units;
}

static bool length_ok(const char *s, size_t *len)
{
	*len = strnlen(s, MVN_MAX_BYTES + 1);
	return *len <= MVN_MAX_BYTES && utf16_units(s, *len) <= MVN_MAX_UNITS;
}

bool sr_version__maven_valid(const char *v)
{
	size_t len;

	return length_ok(v, &len);
}

/* ComparableVersion.parseVersion. */
static bool parse(struct mvn *v, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	bool is_dig = false, combination = false;
	size_t len, i, start = 0, n;

	if (!length_ok(s, &len))
		return false;
	v->s = s;
	v->nitems = 0;
	v->nlvl = 0;
	new_level(v);
	for (i = 0; i < len; i += n) {
		uint32_t c = decode(u + i, u + len, &n);

		if (c == '.') {
			if (i == start)
				add_zero(v);
			else
				add_item(v, combination, is_dig, start,
					 i - start);
			combination = false;
			start = i + 1;
		} else if (c == '-') {
			if (i == start) {
				add_zero(v);
			} else {
				/* "X-1" is read as "X1". */
				if (!is_dig && i + 1 < len &&
				    is_digit(u[i + 1])) {
					combination = true;
					continue;
				}
				add_item(v, combination, is_dig, start,
					 i - start);
			}
			start = i + 1;
			if (v->llen[v->nlvl - 1])
				new_level(v);
			combination = false;
		} else if (is_digit(c)) {
			if (!is_dig && i > start) {
				combination = true;
				if (v->llen[v->nlvl - 1])
					new_level(v);
			}
			is_dig = true;
		} else {
			if (is_dig && i > start) {
				add_item(v, combination, true, start,
					 i - start);
				start = i;
				new_level(v);
				combination = false;
			}
			is_dig = false;
		}
	}
	if (len > start) {
		/* "1.0.0.X1" < "1.0.0-X2": a final ".X" counts as "-X". */
		if (!is_dig && v->llen[v->nlvl - 1])
			new_level(v);
		add_item(v, combination, is_dig, start, len - start);
	}
	for (i = (size_t)v->nlvl; i-- > 0;)
		normalize(v, (int)i);
	return true;
}

/*
 * Comparison. An "element" of level k is one of its scalar items, or
 * (after them) level k + 1 as a nested list.
 */

static int num_cmp(const struct mvn *va, const struct mvn_item *a,
		   const struct mvn *vb, const struct mvn_item *b)
{
	bool za = is_zero(va, a), zb = is_zero(vb, b);

	if (za || zb)
		return za == zb ? 0 : za ? -1 : 1;
	return sr_version__numcmp(va->s + a->noff, a->nlen, vb->s + b->noff,
				  b->nlen);
}

/* StringItem vs StringItem (also the string parts of combinations). */
static int str_cmp(const struct mvn *va, const struct mvn_item *a,
		   const struct mvn *vb, const struct mvn_item *b)
{
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank != Q_UNKNOWN)
		return 0;
	return text_cmp(va->s + a->soff, a->slen, vb->s + b->soff, b->slen);
}

/* StringItem.compareTo(null): 1-rc < 1, 1-sp > 1. */
static int str_null(const struct mvn_item *it)
{
	return it->rank == Q_RELEASE ? 0 : it->rank < Q_RELEASE ? -1 : 1;
}

/* Item.compareTo(null) for a scalar. */
static int item_null(const struct mvn *v, const struct mvn_item *it)
{
	int r;

	switch (it->type) {
	case MVN_INT:
		return is_zero(v, it) ? 0 : 1;
	case MVN_STR:
		return str_null(it);
	default:
		r = str_null(it);
		return r ? r : is_zero(v, it) ? 0 : 1;
	}
}

/* ListItem.compareTo(null) for level k, from its item 'from' on. */
static int list_null(const struct mvn *v, int k, int from)
{
	for (; k < v->nlvl; k++, from = 0) {
		int i;

		for (i = from; i < v->llen[k]; i++) {
			int r = item_null(v, &v->item[v->lstart[k] + i]);

			if (r)
				return r;
		}
	}
	return 0;
}

/* Scalar vs scalar: IntItem/StringItem/CombinationItem.compareTo. */
static int item_cmp(const struct mvn *va, const struct mvn_item *a,
		    const struct mvn *vb, const struct mvn_item *b)
{
	int r;

	if (a->type == MVN_INT)
		return b->type == MVN_INT ? num_cmp(va, a, vb, b) : 1;
	if (b->type == MVN_INT)
		return -1;
	r = str_cmp(va, a, vb, b);
	if (a->type == MVN_STR && b->type == MVN_STR)
		return r;
	if (a->type == MVN_COMBO && b->type == MVN_COMBO)
		return r ? r : num_cmp(va, a, vb, b);
	if (r)
		return r;
	if (a->type == MVN_STR) {
		/* "1-ga" vs "1-ga1": the number decides; "1-x" < "1-x1". */
		if (str_null(a) == 0)
			return -(is_zero(vb, b) ? 0 : 1);
		return -1;
	}
	if (str_null(a) == 0)
		return is_zero(va, a) ? 0 : 1;
	return 1;
}

/* ListItem (level k of va) vs a StringItem or CombinationItem. */
static int list_cmp_item(const struct mvn *va, int k,
			 const struct mvn *vb, const struct mvn_item *b)
{
	int r;

	if (b->type == MVN_INT)
		return -1;
	if (va->llen[k] == 0) {
		if (k == va->nlvl - 1)
			return -item_null(vb, b);
		/* The first element is the nested list. */
		return list_cmp_item(va, k + 1, vb, b);
	}
	r = item_cmp(va, &va->item[va->lstart[k]], vb, b);
	return r ? r : list_null(va, k, 1);
}

/* ListItem vs ListItem: level ka of va against level kb of vb. */
static int list_cmp(const struct mvn *va, int ka, const struct mvn *vb,
		    int kb)
{
	for (;;) {
		bool suba = ka < va->nlvl - 1, subb = kb < vb->nlvl - 1;
		int na = va->llen[ka], nb = vb->llen[kb];
		int i, r;

		for (i = 0; i < na || i < nb; i++) {
			const struct mvn_item *a = NULL, *b = NULL;

			if (i < na)
				a = &va->item[va->lstart[ka] + i];
			if (i < nb)
				b = &vb->item[vb->lstart[kb] + i];
			if (a && b) {
				r = item_cmp(va, a, vb, b);
			} else if (a) {
				/* b's element here is its nested list or null */
				if (subb) {
					r = a->type == MVN_INT ? 1 :
					    -list_cmp_item(vb, kb + 1, va, a);
					if (r)
						return r;
					/* a's rest vs nothing left in b */
					return list_null(va, ka, i + 1);
				}
				r = item_null(va, a);
			} else {
				if (suba) {
					r = b->type == MVN_INT ? -1 :
					    list_cmp_item(va, ka + 1, vb, b);
					if (r)
						return r;
					return -list_null(vb, kb, i + 1);
				}
				r = -item_null(vb, b);
			}
			if (r)
				return r;
		}
		/* Both levels' items are equal: compare the nested lists. */
		if (suba && subb) {
			ka++;
			kb++;
			continue;
		}
		if (suba)
			return list_null(va, ka + 1, 0);
		if (subb)
			return -list_null(vb, kb + 1, 0);
		return 0;
	}
}

int sr_version__maven_cmp(const char *a, const char *b)
{
	struct mvn x, y;
	bool va = parse(&x, a), vb = parse(&y, b);

	if (!va || !vb)
		return sr_version__fallback(va, vb, a, b);
	return list_cmp(&x, 0, &y, 0);
}

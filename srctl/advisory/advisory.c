/*
 * The advisory set: records, the (ecosystem, name) index and matching.
 */
#include "advisory/advisory.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisory/internal.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "base/banned.h"

struct sr_advisory_set *sr_advisory_set_new(sr_advisory_problem_fn problem,
					    void *payload)
{
	struct sr_advisory_set *set = sr_xcalloc(1, sizeof(*set));

	set->problem = problem;
	set->payload = payload;
	return set;
}

void sr_adv__problem(struct sr_advisory_set *set, enum sr_severity sev,
		     const char *path, struct sr_pos pos, const char *fmt, ...)
{
	struct sr_buf b = SR_BUF_INIT;
	va_list ap;

	if (!set->problem)
		return;
	va_start(ap, fmt);
	sr_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	set->problem(set->payload, sev, path, pos.line, pos.col,
		     sr_buf_cstr(&b));
	sr_buf_release(&b);
}

const char *sr_adv__source(struct sr_advisory_set *set, const char *path)
{
	if (set->n_sources && !strcmp(set->sources[set->n_sources - 1], path))
		return set->sources[set->n_sources - 1];
	set->sources = sr_xgrow(set->sources, &set->sources_cap,
				set->n_sources + 1, sizeof(*set->sources));
	set->sources[set->n_sources] = sr_xstrdup(path);
	return set->sources[set->n_sources++];
}

struct sr_advisory *sr_adv__new(struct sr_advisory_set *set)
{
	struct sr_advisory *a = sr_xcalloc(1, sizeof(*a));

	a->score = -1;
	a->severity = SR_SEV_ERROR;
	set->adv = sr_xgrow(set->adv, &set->adv_cap, set->n_adv + 1,
			    sizeof(*set->adv));
	set->adv[set->n_adv++] = a;
	return a;
}

char *sr_adv__normalise(enum sr_ecosystem eco, const char *name)
{
	struct sr_buf b = SR_BUF_INIT;
	const char *p;

	if (eco != SR_ECO_PYPI)
		return sr_xstrdup(name);
	/* PEP 503: lower case, each run of '-', '_' and '.' one '-' */
	for (p = name; *p; p++) {
		if (*p == '-' || *p == '_' || *p == '.') {
			while (p[1] == '-' || p[1] == '_' || p[1] == '.')
				p++;
			sr_buf_addc(&b, '-');
		} else {
			sr_buf_addc(&b, (char)tolower((unsigned char)*p));
		}
	}
	return sr_buf_detach(&b);
}

enum sr_severity sr_adv__severity_of_score(double score)
{
	if (score >= 7.0)
		return SR_SEV_ERROR;
	if (score >= 4.0)
		return SR_SEV_WARNING;
	return SR_SEV_INFO;
}

bool sr_adv__severity_of_word(const char *word, enum sr_severity *out)
{
	static const struct {
		const char *word;
		enum sr_severity sev;
	} words[] = {
		{ "CRITICAL", SR_SEV_ERROR }, { "HIGH", SR_SEV_ERROR },
		{ "MODERATE", SR_SEV_WARNING }, { "MEDIUM", SR_SEV_WARNING },
		{ "LOW", SR_SEV_INFO },
	};
	size_t i;

	for (i = 0; word && i < SR_ARRAY_SIZE(words); i++) {
		if (!strcasecmp(word, words[i].word)) {
			*out = words[i].sev;
			return true;
		}
	}
	return false;
}

/* FNV-1a over the name and the ecosystem. */
static size_t hash_key(enum sr_ecosystem eco, const char *name)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	h ^= (uint64_t)eco + 1;
	h *= 1099511628211ULL;
	return (size_t)h;
}

static struct sr_adv_bucket *find_slot(struct sr_adv_bucket *b, size_t nb,
				       enum sr_ecosystem eco, const char *name,
				       size_t h)
{
	size_t i = h & (nb - 1);

	while (b[i].name &&
	       !(b[i].hash == h && b[i].eco == eco && !strcmp(b[i].name, name)))
		i = (i + 1) & (nb - 1);
	return &b[i];
}

static void grow_index(struct sr_advisory_set *set)
{
	size_t nb = set->n_buckets ? set->n_buckets * 2 : 256, i;
	struct sr_adv_bucket *b = sr_xcalloc(nb, sizeof(*b));

	for (i = 0; i < set->n_buckets; i++) {
		struct sr_adv_bucket *old = &set->buckets[i];

		if (old->name)
			*find_slot(b, nb, old->eco, old->name, old->hash) = *old;
	}
	free(set->buckets);
	set->buckets = b;
	set->n_buckets = nb;
}

/*
 * Event order: by version, "introduced: 0" before everything and
 * "limit: *" after; at one version, introduced before the others, so
 * "introduced X, fixed X" affects nothing.
 */
static enum sr_ecosystem sort_eco;

static int event_rank(const struct sr_adv_event *e)
{
	if (!e->version)
		return e->kind == SR_ADV_INTRODUCED ? -1 : 1;
	return 0;
}

static int cmp_event(const void *pa, const void *pb)
{
	const struct sr_adv_event *a = pa, *b = pb;
	int ra = event_rank(a), rb = event_rank(b), c;

	if (ra != rb || ra != 0)
		return ra - rb;
	c = sr_version_compare(sort_eco, a->version, b->version);
	if (c)
		return c;
	return (a->kind != SR_ADV_INTRODUCED) - (b->kind != SR_ADV_INTRODUCED);
}

void sr_adv__add_affected(struct sr_advisory_set *set, enum sr_ecosystem eco,
			  const char *name, struct sr_adv_affected *a)
{
	char *norm = sr_adv__normalise(eco, name);
	size_t h = hash_key(eco, norm), i;
	struct sr_adv_bucket *slot;

	for (i = 0; i < a->n_ranges; i++) {
		sort_eco = a->ranges[i].eco;
		qsort(a->ranges[i].ev, a->ranges[i].n, sizeof(*a->ranges[i].ev),
		      cmp_event);
	}
	if ((set->n_used + 1) * 4 > set->n_buckets * 3)
		grow_index(set);
	slot = find_slot(set->buckets, set->n_buckets, eco, norm, h);
	if (!slot->name) {
		slot->name = norm;
		slot->eco = eco;
		slot->hash = h;
		set->n_used++;
	} else {
		free(norm);
	}
	a->next = slot->head;
	slot->head = a;
}

void sr_adv__affected_free(struct sr_adv_affected *a)
{
	size_t i, j;

	for (i = 0; i < a->n_ranges; i++) {
		for (j = 0; j < a->ranges[i].n; j++)
			free(a->ranges[i].ev[j].version);
		free(a->ranges[i].ev);
	}
	free(a->ranges);
	for (i = 0; i < a->n_versions; i++)
		free(a->versions[i]);
	free(a->versions);
	free(a);
}

size_t sr_advisory_count(const struct sr_advisory_set *set)
{
	return set->n_adv;
}

size_t sr_advisory_package_count(const struct sr_advisory_set *set)
{
	return set->n_used;
}

/*
 * Is 'v' in range 'r'? On a match, *fix is the first fixed version above
 * 'v' (or NULL) and *last the last_affected version that ends the range
 * (or NULL).
 */
static bool in_range(const struct sr_adv_range *r, const char *v,
		     const char **fix, const char **last)
{
	bool affected = false, has_limit = false, below_limit = false;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct sr_adv_event *e = &r->ev[i];
		int c = e->version ? sr_version_compare(r->eco, v, e->version)
				   : 0;

		switch (e->kind) {
		case SR_ADV_INTRODUCED:
			if (!e->version || c >= 0)
				affected = true;
			break;
		case SR_ADV_FIXED:
			if (c >= 0)
				affected = false;
			break;
		case SR_ADV_LAST_AFFECTED:
			if (c > 0)
				affected = false;
			break;
		case SR_ADV_LIMIT:
			has_limit = true;
			if (!e->version || c < 0)
				below_limit = true;
			break;
		}
	}
	if (!affected || (has_limit && !below_limit))
		return false;
	*fix = *last = NULL;
	for (i = 0; i < r->n; i++) {
		const struct sr_adv_event *e = &r->ev[i];

		if (!e->version)
			continue;
		if (e->kind == SR_ADV_FIXED &&
		    sr_version_compare(r->eco, v, e->version) < 0) {
			*fix = e->version;
			break;
		}
		if (e->kind == SR_ADV_LAST_AFFECTED &&
		    sr_version_compare(r->eco, v, e->version) <= 0) {
			*last = e->version;
			break;
		}
	}
	return true;
}

static bool in_versions(const struct sr_adv_affected *a,
			enum sr_ecosystem eco, const char *v)
{
	size_t i;

	for (i = 0; i < a->n_versions; i++)
		if (!strcmp(a->versions[i], v) ||
		    (sr_version_valid(eco, a->versions[i]) &&
		     !sr_version_compare(eco, a->versions[i], v)))
			return true;
	return false;
}

/* Add 'fix' to the hit's list of fixed versions, once. */
static void add_fix(struct sr_advisory_hits *hits, struct sr_advisory_hit *h,
		    const char *fix)
{
	struct sr_buf b = SR_BUF_INIT;
	const char *p;
	size_t n = strlen(fix);

	if (!h->fixed) {
		h->fixed = fix;
		return;
	}
	for (p = h->fixed; p; p = strstr(p, ", ")) {
		if (*p == ',')
			p += 2;
		if (!strncmp(p, fix, n) && (p[n] == ',' || !p[n]))
			return;
	}
	sr_buf_addf(&b, "%s, %s", h->fixed, fix);
	hits->owned = sr_xgrow(hits->owned, &hits->owned_cap,
			       hits->n_owned + 1, sizeof(*hits->owned));
	hits->owned[hits->n_owned++] = sr_buf_detach(&b);
	h->fixed = hits->owned[hits->n_owned - 1];
}

size_t sr_advisory_match(const struct sr_advisory_set *set,
			 enum sr_ecosystem eco, const char *name,
			 const char *version, struct sr_advisory_hits *hits)
{
	const struct sr_adv_bucket *slot;
	const struct sr_adv_affected *a;
	size_t start = hits->n, i, j;
	char *norm;

	if (!set->n_used || !version || !sr_version_valid(eco, version))
		return 0;
	norm = sr_adv__normalise(eco, name);
	slot = find_slot(set->buckets, set->n_buckets, eco, norm,
			 hash_key(eco, norm));
	free(norm);
	for (a = slot->head; a; a = a->next) {
		const char *fix = NULL, *last = NULL;
		bool hit = in_versions(a, eco, version);
		struct sr_advisory_hit *h = NULL;

		for (i = 0; i < a->n_ranges; i++) {
			const char *f, *l;

			if (!sr_version_valid(a->ranges[i].eco, version) ||
			    !in_range(&a->ranges[i], version, &f, &l))
				continue;
			hit = true;
			if (f && !fix)
				fix = f;
			if (l && !last)
				last = l;
		}
		if (!hit)
			continue;
		for (j = start; j < hits->n; j++)
			if (hits->v[j].adv == a->adv)
				h = &hits->v[j];
		if (!h) {
			hits->v = sr_xgrow(hits->v, &hits->cap, hits->n + 1,
					   sizeof(*hits->v));
			h = &hits->v[hits->n++];
			memset(h, 0, sizeof(*h));
			h->adv = a->adv;
		}
		if (fix)
			add_fix(hits, h, fix);
		if (last && !h->last_affected)
			h->last_affected = last;
	}
	return hits->n - start;
}

void sr_advisory_hits_reset(struct sr_advisory_hits *hits)
{
	size_t i;

	for (i = 0; i < hits->n_owned; i++)
		free(hits->owned[i]);
	hits->n_owned = 0;
	hits->n = 0;
}

void sr_advisory_hits_release(struct sr_advisory_hits *hits)
{
	sr_advisory_hits_reset(hits);
	free(hits->owned);
	free(hits->v);
	memset(hits, 0, sizeof(*hits));
}

void sr_advisory_set_free(struct sr_advisory_set *set)
{
	size_t i, j;

	if (!set)
		return;
	for (i = 0; i < set->n_buckets; i++) {
		struct sr_adv_affected *a = set->buckets[i].head, *next;

		for (; a; a = next) {
			next = a->next;
			sr_adv__affected_free(a);
		}
		free(set->buckets[i].name);
	}
	free(set->buckets);
	for (i = 0; i < set->n_adv; i++) {
		struct sr_advisory *a = set->adv[i];

		free(a->id);
		for (j = 0; j < a->n_aliases; j++)
			free(a->aliases[j]);
		free(a->aliases);
		free(a->summary);
		free(a->reason);
		free(a->url);
		free(a);
	}
	free(set->adv);
	for (i = 0; i < set->n_sources; i++)
		free(set->sources[i]);
	free(set->sources);
	for (i = 0; i < set->filter_cap; i++)
		free(set->filter[i]);
	free(set->filter);
	free(set->readbuf);
	free(set);
}

/*
 * The filter's folding: lower case, each run of '-', '_' and '.' one '-'
 * (PEP 503, and harmless for the other ecosystems: the filter only needs
 * to never miss). Writes at most 'cap' - 1 bytes; false if longer.
 */
static bool fold(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (o + 1 >= cap)
			return false;
		if (c == '-' || c == '_' || c == '.') {
			while (i + 1 < n && (s[i + 1] == '-' || s[i + 1] == '_' ||
					     s[i + 1] == '.'))
				i++;
			c = '-';
		} else if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

static size_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static char **filter_slot(char **v, size_t cap, const char *key)
{
	size_t i = hash_str(key) & (cap - 1);

	while (v[i] && strcmp(v[i], key))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

#define FILTER_NAME_MAX 512

void sr_advisory_filter_add(struct sr_advisory_set *set, const char *name)
{
	char key[FILTER_NAME_MAX];
	char **slot;

	if (!name || !fold(name, strlen(name), key, sizeof(key)))
		return;
	if ((set->filter_n + 1) * 2 > set->filter_cap) {
		size_t cap = set->filter_cap ? set->filter_cap * 2 : 1024, i;
		char **v = sr_xcalloc(cap, sizeof(*v));

		for (i = 0; i < set->filter_cap; i++)
			if (set->filter[i])
				*filter_slot(v, cap, set->filter[i]) =
					set->filter[i];
		free(set->filter);
		set->filter = v;
		set->filter_cap = cap;
	}
	slot = filter_slot(set->filter, set->filter_cap, key);
	if (!*slot) {
		*slot = sr_xstrdup(key);
		set->filter_n++;
		if (strlen(key) > set->filter_maxlen)
			set->filter_maxlen = strlen(key);
	}
}

void sr_advisory_filter_enable(struct sr_advisory_set *set)
{
	set->filter_on = true;
}

size_t sr_advisory_skipped(const struct sr_advisory_set *set)
{
	return set->skipped;
}

bool sr_adv__filter_wants(const struct sr_advisory_set *set,
			  const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	char key[FILTER_NAME_MAX];
	char stack[256];
	size_t depth = 0;
	bool want = false;

	if (!set->filter_on)
		return true;
	/*
	 * One pass over the text: every string is looked up, and brackets
	 * must balance, so a truncated or broken file is parsed (and
	 * reported) even when it names no package of the scan.
	 */
	for (; p < end; p++) {
		const char *q;

		switch (*p) {
		case '{':
		case '[':
			if (depth == sizeof(stack))
				return true;
			stack[depth++] = *p == '{' ? '}' : ']';
			break;
		case '}':
		case ']':
			if (!depth || stack[--depth] != *p)
				return true;
			break;
		case '"':
			q = memchr(p + 1, '"', (size_t)(end - p - 1));
			if (!q || memchr(p + 1, '\\', (size_t)(q - p - 1)))
				return true;	/* unterminated, or escapes */
			/* folding stops once longer than every name */
			if (!want && set->filter_n &&
			    fold(p + 1, (size_t)(q - p - 1), key,
				 set->filter_maxlen + 2) &&
			    *filter_slot(set->filter, set->filter_cap, key))
				want = true;
			p = q;
			break;
		default:
			break;
		}
	}
	return want || depth != 0;
}

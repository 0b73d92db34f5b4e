/*
 * Private to advisory/: the set's representation, shared by the index
 * and matcher (advisory.c) and the two loaders (osv.c, list.c).
 */
#ifndef SR_ADVISORY_INTERNAL_H
#define SR_ADVISORY_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "advisory/advisory.h"
#include "base/pos.h"

enum sr_adv_event_kind {
	SR_ADV_INTRODUCED,
	SR_ADV_FIXED,
	SR_ADV_LAST_AFFECTED,
	SR_ADV_LIMIT
};

struct sr_adv_event {
	enum sr_adv_event_kind kind;
	char *version;		/* NULL: introduced "0" or limit "*" */
};

struct sr_adv_range {
	enum sr_ecosystem eco;	/* ordering: the package's, or SemVer */
	struct sr_adv_event *ev;	/* sorted by sr_adv_range_sort */
	size_t n;
};

/* One (ecosystem, package) entry of one advisory. */
struct sr_adv_affected {
	struct sr_advisory *adv;
	struct sr_adv_range *ranges;
	size_t n_ranges;
	char **versions;
	size_t n_versions;
	struct sr_adv_affected *next;	/* same package, other advisory */
};

struct sr_adv_bucket {
	char *name;		/* normalised */
	enum sr_ecosystem eco;
	size_t hash;
	struct sr_adv_affected *head;
};

struct sr_advisory_set {
	sr_advisory_problem_fn problem;
	void *payload;
	struct sr_advisory **adv;
	size_t n_adv;
	size_t adv_cap;
	char **sources;		/* file names the records point to */
	size_t n_sources;
	size_t sources_cap;
	struct sr_adv_bucket *buckets;	/* open addressing, power of two */
	size_t n_buckets;
	size_t n_used;
	bool git_noted;
	/* the OSV filter: a set of folded names, open addressing */
	char **filter;
	size_t filter_cap;	/* slots, a power of two */
	size_t filter_n;
	size_t filter_maxlen;	/* of the folded names (< FILTER_NAME_MAX) */
	bool filter_on;
	size_t skipped;
	char *readbuf;		/* reused for every OSV file */
	size_t readbuf_cap;
};

/*
 * Could the OSV text name a package of the filter? True when no filter
 * is on, when a string is one of its names, when a string has escapes
 * (not decoded here), and when a string is not terminated (so the parser
 * reports it).
 */
bool sr_adv__filter_wants(const struct sr_advisory_set *set,
			  const char *text, size_t len);

void sr_adv__problem(struct sr_advisory_set *set, enum sr_severity sev,
		     const char *path, struct sr_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Keep a copy of 'path' for the records read from it; returns the copy. */
const char *sr_adv__source(struct sr_advisory_set *set, const char *path);

/* A new, empty record owned by the set. */
struct sr_advisory *sr_adv__new(struct sr_advisory_set *set);

/*
 * Add 'a' (allocated by the caller; the set takes it) under the package
 * 'name' of 'eco'. Sorts each range's events.
 */
void sr_adv__add_affected(struct sr_advisory_set *set, enum sr_ecosystem eco,
			  const char *name, struct sr_adv_affected *a);

/* Free an affected entry that was not added. */
void sr_adv__affected_free(struct sr_adv_affected *a);

/* PEP 503 for PyPI, the name itself for the others; caller frees. */
char *sr_adv__normalise(enum sr_ecosystem eco, const char *name);

/* Map a CVSS score or a GitHub severity word to srctl's severities. */
enum sr_severity sr_adv__severity_of_score(double score);
bool sr_adv__severity_of_word(const char *word, enum sr_severity *out);

#endif

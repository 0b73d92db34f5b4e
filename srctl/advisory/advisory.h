/*
 * Advisories: the known-bad versions srctl deps matches dependencies
 * against. Two sources feed one set: OSV records (JSON, schema 1.2-1.7;
 * single files, directories searched recursively, or an unpacked
 * per-ecosystem export) and the organisation's own list (YAML, the
 * format of rules/known-bad.yaml). The set owns every record and indexes
 * the affected packages by (ecosystem, normalised name) in a hash table,
 * so a lookup costs one hash and a few version comparisons.
 *
 * OSV evaluation follows the schema's reference algorithm: per range,
 * events sorted by version ("introduced: 0" first, "limit: *" last), a
 * version is affected after an 'introduced' it reaches and until a
 * 'fixed' it reaches or a 'last_affected' it passes, and below a 'limit'
 * when the range has any; the 'versions' list matches exactly. SEMVER
 * ranges compare as SemVer 2.0.0, ECOSYSTEM ranges with the package's
 * ecosystem (deps/version.h); GIT ranges are not evaluated (one note per
 * set). Withdrawn records and ecosystems srctl has no ordering for are
 * skipped. Severity: the base score computed from a CVSS 3.x vector, or
 * else database_specific.severity (GitHub's LOW / MODERATE / HIGH /
 * CRITICAL), mapped to srctl's: 7.0 and above (high, critical) error,
 * 4.0 and above (moderate) warning, below that info; none given: error.
 *
 * Nothing here prints: problems with the data (a malformed file, an entry
 * with a bad range) go to a callback with a position, and loading goes on
 * with the rest.
 */
#ifndef SR_ADVISORY_H
#define SR_ADVISORY_H

#include <stdbool.h>
#include <stddef.h>

#include "deps/version.h"
#include "report/finding.h"

struct sr_advisory {
	char *id;		/* "GHSA-...", or a known-bad list entry's id */
	char **aliases;		/* "CVE-..." */
	size_t n_aliases;
	char *summary;		/* or NULL */
	enum sr_severity severity;
	double score;		/* CVSS base score, or -1 when none */
	char *reason;		/* known-bad list: why; else NULL */
	char *url;		/* known-bad list: the advisory link, or NULL */
	bool listed;		/* from a known-bad list, not OSV */
	const char *source;	/* the file it was read from (the set's) */
	unsigned line;		/* of the record or list entry */
};

/* One advisory that affects a version, and how to get out of it. */
struct sr_advisory_hit {
	const struct sr_advisory *adv;
	/*
	 * The first fixed versions above the version of each range that
	 * matched (distinct, ascending, ", "-separated), or NULL when none
	 * is known; then last_affected says the last affected version when
	 * a range ends with one (else NULL). Borrowed from the set.
	 */
	const char *fixed;
	const char *last_affected;
};

struct sr_advisory_hits {
	struct sr_advisory_hit *v;
	size_t n;
	size_t cap;
	/* private: storage for the joined fixed strings */
	char **owned;
	size_t n_owned;
	size_t owned_cap;
};

#define SR_ADVISORY_HITS_INIT { NULL, 0, 0, NULL, 0, 0 }

/*
 * A problem with advisory data at path:line:col (line 0: the whole file;
 * path NULL: an I/O error whose message names the file).
 * 'severity' is SR_SEV_ERROR for data that was not used (a malformed
 * file, an invalid list entry), SR_SEV_WARNING for parts skipped, and
 * SR_SEV_INFO for notes (GIT ranges).
 */
typedef void (*sr_advisory_problem_fn)(void *payload,
				       enum sr_severity severity,
				       const char *path, unsigned line,
				       unsigned col, const char *message);

struct sr_advisory_set;

struct sr_advisory_set *sr_advisory_set_new(sr_advisory_problem_fn problem,
					    void *payload);

/*
 * A filter for OSV loading: the package names of the scanned manifests.
 * With a filter set, an OSV file none of whose JSON strings is one of
 * these names (compared lower-cased, with runs of '-', '_' and '.' as
 * one '-') cannot affect the scan and is only scanned, not parsed: a
 * big advisory database then costs little more than reading it. Such a
 * file is checked only for unterminated strings and unbalanced brackets
 * (those make it parsed, and reported): other syntax errors, and records
 * without an id, go unreported in files that name no scanned package.
 */
void sr_advisory_filter_add(struct sr_advisory_set *set, const char *name);
/* Use the names added so far from now on. */
void sr_advisory_filter_enable(struct sr_advisory_set *set);
/* OSV files skipped by the filter so far. */
size_t sr_advisory_skipped(const struct sr_advisory_set *set);

/*
 * Load OSV records from 'path': a .json file, or a directory whose .json
 * files (at any depth; other files are ignored) are each one record.
 * Returns 0 when everything could be read (malformed records are
 * problems, not failures), SR_ERROR when 'path' or a file or directory
 * below it could not be read (the cause in sr_error_last(); the rest is
 * still loaded, and each unreadable file is also a problem).
 */
int sr_advisory_load_osv(struct sr_advisory_set *set, const char *path);

/*
 * Load a known-bad list (YAML, see docs/deps.md) held in 'text', read
 * from 'path' (for positions). Entries with problems are skipped; the
 * return is SR_EINVALID if there were any, else 0.
 */
int sr_advisory_load_list(struct sr_advisory_set *set, const char *path,
			  const char *text, size_t len);

/* Records loaded so far, and affected (ecosystem, package) pairs. */
size_t sr_advisory_count(const struct sr_advisory_set *set);
size_t sr_advisory_package_count(const struct sr_advisory_set *set);

/*
 * Append to 'hits' every advisory affecting 'version' of package 'name'
 * in ecosystem 'eco' (name as a manifest parser gives it; PyPI names are
 * compared PEP 503-normalised). Each advisory appears at most once.
 * Returns the number appended.
 */
size_t sr_advisory_match(const struct sr_advisory_set *set,
			 enum sr_ecosystem eco, const char *name,
			 const char *version, struct sr_advisory_hits *hits);

void sr_advisory_hits_reset(struct sr_advisory_hits *hits);
void sr_advisory_hits_release(struct sr_advisory_hits *hits);

void sr_advisory_set_free(struct sr_advisory_set *set);

/*
 * The CVSS 3.0/3.1 base score of 'vector' ("CVSS:3.1/AV:N/AC:L/..."), as
 * the specification's formula rounds it (0.0 to 10.0); -1 when the
 * vector is not a complete, valid 3.x base vector.
 */
double sr_cvss3_base_score(const char *vector);

#endif

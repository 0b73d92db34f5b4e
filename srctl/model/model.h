/*
 * The repository model: what cross-file rules need to know about the whole
 * run, collected while files are checked one at a time and used after the
 * walk (SPEC.md section 5). A service is a directory holding a timeout
 * contract; its targets carry the contract's bounds. Validators add the
 * facts other validators or commands read (facts that only their own
 * service's contract decides stay with the validator: validators/
 * deferred.h); the model owns every string and location it holds, so
 * documents can be freed as soon as their file is done, and its memory
 * grows with the facts, not with the files.
 */
#ifndef SR_MODEL_H
#define SR_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/pos.h"
#include "base/strmap.h"

/*
 * Where a fact came from, for findings reported after its file is done.
 * The strings are shared by every location in a file; the source line is
 * read again only if a finding is reported there.
 */
struct sr_loc {
	const char *path;	/* as shown to the user */
	const char *relpath;	/* relative to the scanned root */
	struct sr_pos pos;
};

/* One <protocol>.<direction>.<target> of a timeout contract. */
struct sr_target {
	const char *protocol;
	const char *direction;
	const char *name;
	bool has_base;
	bool has_max;
	long long base;		/* ms */
	long long max;		/* ms */
	double multiplier;	/* 1 when absent */
	const struct sr_loc *loc;	/* of the target's key */
};

struct sr_service {
	const char *name;
	const char *dir;	/* relpath of its directory, "" for the root */
	const struct sr_loc *loc;	/* of the contract */
	struct sr_target *targets;
	size_t ntargets;
	size_t cap;
};

/*
 * Facts the cross-file rules compare with the contracts. Names are the
 * short names contracts use: the first DNS label of a host
 * ("redis.cache.svc.cluster.local" is "redis"), an instance name as
 * written.
 */

/* Something that breaks the circuit towards 'name'. */
enum sr_breaker_kind {
	SR_BREAKER_ISTIO,	/* the DestinationRules for a host as written */
	SR_BREAKER_R4J		/* a resilience4j circuitbreaker instance */
};

struct sr_breaker {
	enum sr_breaker_kind kind;
	bool has_outlier;	/* Istio: outlierDetection in any of them */
	const char *name;
	const char *full_name;	/* the host as written, or the instance */
	const struct sr_loc *loc;	/* Istio: the first without, if none has */
};

/* A dependency named somewhere, for check-deps. */
enum sr_ref_kind {
	SR_REF_READINESS,	/* a readiness probe's include= list */
	SR_REF_ROUTE,		/* a route's destination host */
	SR_REF_DESTINATION_RULE,	/* a DestinationRule's host */
	SR_REF_R4J		/* a resilience4j circuit breaker instance */
};

struct sr_dep_ref {
	enum sr_ref_kind kind;
	const char *name;
	const struct sr_loc *loc;
};

#define SR_FACTS(type, name) \
	struct { type *v; size_t n; size_t cap; } name

struct sr_model {
	struct sr_service *services;
	size_t nservices;
	size_t cap;
	SR_FACTS(struct sr_breaker, breakers);
	/*
	 * Refs are kept only when keep_refs is set (check-deps reads them;
	 * validate needs no more than to know that routes exist): a
	 * validator makes a location for a ref only then.
	 */
	SR_FACTS(struct sr_dep_ref, refs);
	bool keep_refs;
	size_t nroutes;		/* SR_REF_ROUTE refs seen, kept or not */
	unsigned serial;	/* private: see sr_model_serial */
	void *arena;	/* private */
	const char **interned;	/* private: open addressing on the text */
	size_t ninterned;
	size_t intern_cap;
	struct sr_strmap by_dir;	/* private: dir -> service index + 1 */
	struct sr_strmap by_name;	/* private: name -> first such + 1 */
};

struct sr_model *sr_model_new(void);
void sr_model_free(struct sr_model *m);

/*
 * Copies owned by the model, for facts that outlive their file. Equal
 * strings share one copy (names repeat across thousands of files), so
 * never modify one.
 */
const char *sr_model_strdup(struct sr_model *m, const char *s);
void *sr_model_alloc(struct sr_model *m, size_t size);

/*
 * A file's path and relpath for its locations, copied once per file: the
 * relpath is the tail of the path when it ends with it, as a walked file's
 * does. Not interned (every file has its own).
 */
void sr_model_file_paths(struct sr_model *m, const char *path,
			 const char *relpath, const char **path_copy,
			 const char **relpath_copy);

/*
 * The service whose contract lives in directory 'dir', added with 'name'
 * if it is not known yet. Borrowed; valid until the next add.
 */
struct sr_service *sr_model_service(struct sr_model *m, const char *name,
				    const char *dir, const struct sr_loc *loc);
void sr_model_add_target(struct sr_model *m, struct sr_service *svc,
			 const struct sr_target *t);
/* A contract document is done: give back the room left for more targets. */
void sr_model_trim_targets(struct sr_service *svc);

/*
 * Record a fact. The model copies the struct and every string in it
 * (locations come from sr_ctx_loc and are the model's already).
 */
void sr_model_add_breaker(struct sr_model *m, const struct sr_breaker *b);
void sr_model_add_ref(struct sr_model *m, const struct sr_dep_ref *r);

/* A number unique within the run (1, 2, ...), to tell facts apart. */
unsigned sr_model_serial(struct sr_model *m);

/* The short name of a host: its first DNS label, in the model's memory. */
const char *sr_model_short_name(struct sr_model *m, const char *host);

/* The service a file belongs to: the deepest service directory above it. */
const struct sr_service *sr_model_service_for(const struct sr_model *m,
					      const char *relpath);
/*
 * With files in tree order (check.h), the service of 'relpath' once the
 * walk, now at 'walk_relpath', has left the service's directory, else
 * NULL. Then every file below that directory has been checked, its
 * contract included, and no deeper service can come for 'relpath': what
 * depends only on that service can be decided and freed. '*seen' (start
 * it at 0) keeps the number of services when 'relpath' had none, so a
 * file without a service costs nothing until another service is added.
 */
const struct sr_service *sr_model_service_left(const struct sr_model *m,
					       const char *relpath,
					       size_t *seen,
					       const char *walk_relpath);
const struct sr_service *sr_model_service_named(const struct sr_model *m,
						const char *name);
const struct sr_target *sr_service_target(const struct sr_service *svc,
					  const char *name);

#endif

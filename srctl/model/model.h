/*
 * The repository model: what cross-file rules need to know about the whole
 * run, collected while files are checked one at a time and used after the
 * walk (SPEC.md section 5). A service is a directory holding a timeout
 * contract; its targets carry the contract's bounds. Validators add the
 * facts they own; the model owns every string and location it holds, so
 * documents can be freed as soon as their file is done, and its memory
 * grows with the facts, not with the files.
 */
#ifndef SR_MODEL_H
#define SR_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/pos.h"

/* Where a fact came from, for findings reported after its file is done. */
struct sr_loc {
	const char *path;	/* as shown to the user */
	const char *relpath;	/* relative to the scanned root */
	struct sr_pos pos;
	const char *source_line;	/* or NULL */
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

struct sr_model {
	struct sr_service *services;
	size_t nservices;
	size_t cap;
	void *arena;	/* private */
};

struct sr_model *sr_model_new(void);
void sr_model_free(struct sr_model *m);

/* Copies owned by the model, for facts that outlive their file. */
const char *sr_model_strdup(struct sr_model *m, const char *s);
void *sr_model_alloc(struct sr_model *m, size_t size);

/*
 * The service whose contract lives in directory 'dir', added with 'name'
 * if it is not known yet. Borrowed; valid until the next add.
 */
struct sr_service *sr_model_service(struct sr_model *m, const char *name,
				    const char *dir, const struct sr_loc *loc);
void sr_model_add_target(struct sr_model *m, struct sr_service *svc,
			 const struct sr_target *t);

/* The service a file belongs to: the deepest service directory above it. */
const struct sr_service *sr_model_service_for(const struct sr_model *m,
					      const char *relpath);
const struct sr_service *sr_model_service_named(const struct sr_model *m,
						const char *name);
const struct sr_target *sr_service_target(const struct sr_service *svc,
					  const char *name);

#endif

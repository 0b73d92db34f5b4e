/*
 * Facts of a file that only the contract of the file's own service
 * decides (a readiness probe's include= list, a route timeout towards a
 * contract target). With files in tree order they are decided as soon as
 * the walk has left the service's directory (sr_model_service_left) and
 * freed, so memory follows the services being walked, not the repository;
 * the rest are decided after the last file. One list per validator.
 */
#ifndef SR_VALIDATORS_DEFERRED_H
#define SR_VALIDATORS_DEFERRED_H

#include <stddef.h>

#include "check/check.h"
#include "model/model.h"

struct sr_deferred_file {
	char *path;		/* copies, for the locations of findings */
	char *relpath;
	size_t services_seen;	/* for sr_model_service_left */
	void *v;		/* n facts of the list's 'size' */
	size_t n;
	size_t cap;
};

struct sr_deferred {
	size_t size;		/* of one fact */
	/* compare a file's facts with its service's contract */
	void (*decide)(const struct sr_check_opts *opts,
		       const struct sr_deferred_file *f,
		       const struct sr_service *svc);
	void (*release)(void *fact);	/* what a fact owns; may be NULL */
	const struct sr_model *owner;	/* private: the run of the files */
	struct sr_deferred_file **files;
	size_t n;
	size_t cap;
};

/* Room for one more fact of ctx's file, zeroed. */
void *sr_deferred_add(struct sr_deferred *d, struct sr_ctx *ctx);

/* Decide and free the files whose service the walk, at ctx, has left. */
void sr_deferred_left(struct sr_deferred *d, struct sr_ctx *ctx);

/* After the last file: decide the files that have a service, free all. */
void sr_deferred_finish(struct sr_deferred *d,
			const struct sr_check_opts *opts,
			const struct sr_model *m);

/* Where a fact of 'f' at 'pos' is reported. */
struct sr_loc sr_deferred_loc(const struct sr_deferred_file *f,
			      struct sr_pos pos);

#endif

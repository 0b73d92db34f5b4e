/*
 * The per-file pipeline shared by validate and lint: read the file within
 * the size limit, check its encoding, parse it into documents, collect its
 * suppressions, detect what each document is and run the matching
 * validators. Validators report through sr_emit(), which applies the
 * configuration (rule off, severity override, --only) and suppressions
 * and copies what the finding needs, so nothing refers back to the file.
 */
#ifndef SR_CHECK_H
#define SR_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/pos.h"
#include "config/config.h"
#include "doc/doc.h"
#include "model/model.h"
#include "report/finding.h"
#include "schemamap/schemamap.h"

struct sr_check_late;

struct sr_check_opts {
	const struct sr_config *config;
	struct sr_findings *findings;	/* where findings go */
	bool syntax_only;		/* lint: no contract validators */
	const char *only;		/* comma-separated areas, or NULL */
	size_t max_file_size;		/* bytes */
	struct sr_doc_limits limits;
	/*
	 * Where file text comes from (git's index for --staged); NULL reads
	 * the file system. The contract of sr_fs_read, given the path shown
	 * and the path relative to the root.
	 */
	int (*read)(void *payload, const char *path, const char *relpath,
		    char **out, size_t *len, size_t limit);
	/*
	 * Which files' findings are reported; NULL: every file's. The other
	 * files are still checked for what cross-file rules learn from them,
	 * and are not counted as checked.
	 */
	bool (*report)(void *payload, const char *relpath);
	void *payload;		/* for read and report */
	bool node_paths;	/* set sr_finding.pointer (for baselines) */
	/*
	 * Files arrive in tree order: all files below a directory one after
	 * the other (one sorted walk). Validators may then finish what
	 * concerns a directory once the files have moved past it, instead of
	 * keeping it all until sr_check_finish.
	 */
	bool tree_order;
	/* JSON Schemas to apply (schema/violation), or NULL */
	const struct sr_schemamap *schemas;
	/* set by sr_check_begin, released by sr_check_finish */
	struct sr_model *model;
	struct sr_check_late *late;	/* private */
};

#define SR_MAX_FILE_SIZE_DEFAULT (8u * 1024 * 1024)

/* One file being checked; validators see it through sr_emit(). */
struct sr_ctx;

/*
 * Check one file. 'path' is what to open and show, 'relpath' is relative
 * to the scanned root. Returns 0 (findings, if any, are in
 * opts->findings), or SR_ERROR when the file could not be read at all
 * (message in sr_error_last()).
 */
int sr_check_file(const struct sr_check_opts *opts, const char *path,
		  const char *relpath);

/*
 * The same for a file the user named: it is read as YAML whatever its
 * name (rendered.golden, manifest.txt), unless a validator claims it.
 */
int sr_check_named_file(const struct sr_check_opts *opts, const char *path,
			const char *relpath);

/* Set up a run: the model and what cross-file findings need later. */
void sr_check_begin(struct sr_check_opts *opts);

/*
 * After the last file: run the validators' cross-file checks, which
 * report with sr_emit_late(), then release what sr_check_begin set up.
 */
void sr_check_finish(struct sr_check_opts *opts);

/* Does srctl read files with this base name (YAML and friends)? */
bool sr_check_wants(const char *name);

/*
 * Report rule 'rule' at node 'at' (its start position; NULL: the whole
 * file). 'fix' may be NULL. The message is formatted like printf. The
 * rule must be in the catalogue.
 */
void sr_emit(struct sr_ctx *ctx, const char *rule, const struct sr_node *at,
	     const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The same at an explicit position. */
void sr_emit_at(struct sr_ctx *ctx, const char *rule, struct sr_pos pos,
		const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Capture where 'node' is (NULL: the whole file) for a finding reported
 * after the file is done. Owned by the run's model.
 */
const struct sr_loc *sr_ctx_loc(struct sr_ctx *ctx, const struct sr_node *node);
/* The file's path and relpath as those locations hold them. */
void sr_ctx_loc_paths(struct sr_ctx *ctx, const char **path,
		      const char **relpath);

/*
 * Report a cross-file finding at a captured location, from a validator's
 * finish step. Configuration and the file's suppressions apply.
 */
void sr_emit_late(const struct sr_check_opts *opts, const struct sr_loc *loc,
		  const char *rule, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* What validators may want to know about the file. Borrowed. */
const char *sr_ctx_path(const struct sr_ctx *ctx);	/* as shown */
const char *sr_ctx_relpath(const struct sr_ctx *ctx);
const char *sr_ctx_name(const struct sr_ctx *ctx);
const struct sr_config *sr_ctx_config(const struct sr_ctx *ctx);
struct sr_model *sr_ctx_model(const struct sr_ctx *ctx);
/* The run's options (for sr_emit_late from within a file's check). */
const struct sr_check_opts *sr_ctx_opts(const struct sr_ctx *ctx);

#endif

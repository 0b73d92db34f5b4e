/*
 * The files a run checks when git chooses them (SPEC.md section 9):
 * what is staged for the next commit (--staged), or what changed since the
 * merge base with a revision (--changed-since). Those files are the
 * targets, whose findings are reported. Cross-file rules also need the
 * rest of each target's service (its timeout contract and the manifests
 * beside it), so the scope adds every file below the service directory as
 * context: checked, so the model learns its facts, but not reported.
 *
 * With --staged every file is read from the index, never the work tree,
 * so what is checked is what will be committed; a file deleted from the
 * index does not exist (a deleted timeout.yaml: the service has none).
 * With --changed-since files are read from the work tree. Paths are
 * relative to the top of the work tree. Owns its repository handle.
 */
#ifndef SR_SCOPE_H
#define SR_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

struct sr_scope;

struct sr_scope_opts {
	bool staged;		/* else: changed since 'rev' */
	const char *rev;
	bool worktree;		/* --changed-since: the work tree too */
	const struct sr_config *config;	/* include/exclude, or NULL */
	const char *const *paths;	/* limit the targets to these */
	int npaths;
	bool (*want)(const char *name);	/* which base names to check */
	bool no_context;	/* the targets alone (deps: no service) */
};

/*
 * Check the combination of --staged, --changed-since REV and
 * --include-worktree that command 'cmd' was given; false, with the usage
 * error said on stderr, when it cannot be used.
 */
bool sr_scope_args_ok(const char *cmd, bool staged, const char *since,
		      bool worktree);

/*
 * Find the repository around the current directory and collect the
 * targets and their context. Returns 0; SR_ENOTFOUND when not inside a
 * work tree or the revision cannot be used; SR_ERROR otherwise (message
 * in sr_error_last()).
 */
int sr_scope_open(struct sr_scope **out, const struct sr_scope_opts *o);

/*
 * Call 'fn' for every file to check, targets and context, in path order.
 * Returns 0 or what 'fn' returned.
 */
int sr_scope_each(struct sr_scope *s,
		  int (*fn)(void *payload, const char *relpath, bool target),
		  void *payload);

/* The top of the work tree (a real path). Borrowed. */
const char *sr_scope_top(const struct sr_scope *s);

/* Is 'relpath' a target (its findings are reported)? */
bool sr_scope_is_target(const struct sr_scope *s, const char *relpath);
size_t sr_scope_ntargets(const struct sr_scope *s);

/* Does 'relpath' exist where the scope reads files from? */
bool sr_scope_exists(struct sr_scope *s, const char *relpath);

/*
 * Read a file from where the scope reads files: sr_check_opts.read's
 * contract, with the scope as payload.
 */
int sr_scope_read(void *scope, const char *path, const char *relpath,
		  char **out, size_t *len, size_t limit);

void sr_scope_free(struct sr_scope *s);

#endif

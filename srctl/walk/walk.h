/*
 * File discovery: walk the paths given on the command line in a stable
 * (sorted) order, skipping .git, what .gitignore ignores (inside a git
 * work tree) and what the configuration excludes, and never following a
 * symlink out of the root it was found under. Files named explicitly are
 * always visited (like git add: naming a file is a decision).
 */
#ifndef SR_WALK_H
#define SR_WALK_H

#include <stdbool.h>

#include "config/config.h"

struct sr_walk_file {
	const char *path;	/* to open, and to show: as given + below */
	const char *relpath;	/* relative to the root, '/'-separated */
	const char *name;	/* base name */
	bool explicit_arg;	/* named on the command line */
};

/* Return 0 to go on; anything else stops the walk and is returned. */
typedef int (*sr_walk_file_fn)(void *payload, const struct sr_walk_file *f);
/* Something skipped that the user may want to know about. */
typedef void (*sr_walk_note_fn)(void *payload, const char *path,
				const char *why);
/* Should a file with this base name be visited at all? */
typedef bool (*sr_walk_want_fn)(const char *name);

struct sr_walk_opts {
	const struct sr_config *config;	/* include/exclude; may be NULL */
	bool use_gitignore;
	sr_walk_want_fn want;
	sr_walk_file_fn on_file;
	sr_walk_note_fn on_note;
	void *payload;
};

/*
 * Walk 'paths' ('n' of them; none means "."). The root for relpath is the
 * path itself for a directory, and the file's directory for a file.
 * Returns 0, what on_file returned, or SR_ERROR when a named path does not
 * exist (message in sr_error_last()); unreadable directories below a root
 * are notes, and the walk goes on.
 */
int sr_walk(const char *const *paths, int n, const struct sr_walk_opts *opts);

/*
 * Would the walk of the configuration's directory visit 'relpath' as far
 * as include/exclude go (its directories not excluded, the file included
 * and not excluded)? For reading one known file without a walk.
 */
bool sr_walk_config_admits(const struct sr_config *c, const char *relpath);

#endif

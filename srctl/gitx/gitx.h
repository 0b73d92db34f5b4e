/*
 * Git access through libgit2: the only module that includes <git2.h>.
 */
#ifndef SR_GITX_H
#define SR_GITX_H

#include <stdbool.h>
#include <stddef.h>

struct sr_gitx;

/*
 * Open the repository whose work tree contains 'path'. Returns NULL when
 * 'path' is not inside a work tree (not an error).
 */
struct sr_gitx *sr_gitx_open(const char *path);
/*
 * The top of the work tree containing the absolute directory 'dir', found
 * by looking for a '.git' entry in it and its parents, without starting
 * libgit2 (whose start-up reads the system's CA bundle: tens of ms that
 * commands which only need the top should not pay). NULL when there is
 * none; the caller frees the result.
 */
char *sr_gitx_find_top(const char *dir);
/* The work tree's top directory, absolute, no trailing '/'. Borrowed. */
const char *sr_gitx_workdir(const struct sr_gitx *g);
/*
 * Is 'abspath' (an absolute path inside the work tree) ignored by the
 * repository's .gitignore files, info/exclude and core.excludesFile?
 */
bool sr_gitx_ignored(struct sr_gitx *g, const char *abspath, bool is_dir);
void sr_gitx_free(struct sr_gitx *g);

/*
 * History, for audit-log (the block below is audit-log's; other commands
 * add theirs in blocks of their own).
 *
 * sr_gitx_log() walks the commits reachable from HEAD, oldest first, and
 * hands every file a commit changed (compared with its first parent, an
 * empty tree for a root commit; renames detected) to a callback with both
 * versions of its text. Without 'first_parent' every commit is walked and
 * merge commits are skipped, as 'git log' shows them: a change is told at
 * the commit that made it. With 'first_parent' only the first-parent
 * chain is walked and a merge reports what it brought in.
 */
struct sr_gitx_tree;	/* a commit's tree, or the work tree */

struct sr_gitx_commit {
	char id[41];		/* hex */
	char short_id[8];	/* the first 7 hex digits */
	const char *author;	/* name */
	const char *email;
	long long time;		/* author time, seconds since the epoch */
	int offset;		/* the author's UTC offset, minutes */
	long long commit_time;	/* committer time */
	unsigned nparents;
};

struct sr_gitx_change {
	const char *old_path;	/* NULL: added */
	const char *new_path;	/* NULL: deleted */
	const char *old_text;	/* NULL when there is no old side */
	size_t old_len;
	const char *new_text;	/* NULL when there is no new side */
	size_t new_len;
	/* the trees the two sides come from, for sr_gitx_tree_read */
	const struct sr_gitx_tree *old_tree;
	const struct sr_gitx_tree *new_tree;
};

/* Is a file with this work-tree-relative path worth reading? */
typedef bool (*sr_gitx_want_fn)(void *payload, const char *path);
/* One changed file; a non-zero return stops the walk and is returned. */
typedef int (*sr_gitx_change_fn)(void *payload,
				 const struct sr_gitx_commit *commit,
				 const struct sr_gitx_change *change);

struct sr_gitx_log_opts {
	bool first_parent;
	const char *hide;	/* a revision whose history is left out */
	long long since;	/* leave out commits older than this (0: all) */
	const char *prefix;	/* only paths below this directory, or NULL */
	size_t max_blob;	/* larger versions are passed as NULL */
	sr_gitx_want_fn want;
	sr_gitx_change_fn fn;
	void *payload;
};

/*
 * Walk the history as described above. Returns 0, the callback's
 * non-zero value, SR_ENOTFOUND when HEAD has no commit yet (nothing to
 * walk), or SR_ERROR with a message in sr_error_last().
 */
int sr_gitx_log(struct sr_gitx *g, const struct sr_gitx_log_opts *opts);

/*
 * Compare revision 'rev' with the work tree (staged or not, untracked
 * files included): one callback per differing file, with the commit
 * describing 'rev'. Same return values as sr_gitx_log.
 */
int sr_gitx_diff_workdir(struct sr_gitx *g, const char *rev,
			 const struct sr_gitx_log_opts *opts);

/*
 * Read 'path' (work-tree-relative) from a tree handed to a callback.
 * Returns 0 with *out NUL-terminated and owned by the caller,
 * SR_ENOTFOUND when the tree has no such file, or SR_ERROR.
 */
int sr_gitx_tree_read(const struct sr_gitx_tree *t, const char *path,
		      char **out, size_t *len);

/* The commit time of revision 'rev' (for --since REV), or SR_ERROR. */
int sr_gitx_rev_time(struct sr_gitx *g, const char *rev, long long *out);

/*
 * The directory git runs this repository's hooks from: core.hooksPath
 * (relative to the top of the work tree when relative), else the hooks/
 * directory of the common git directory. For srctl init --hook. Returns
 * 0 with *out owned by the caller, or SR_ERROR.
 */
int sr_gitx_hooks_dir(struct sr_gitx *g, char **out);

/* --- staged and changed files (validate --staged, --changed-since) ---
 * Paths are relative to the work tree's top, '/'-separated. The index is
 * read once, on first use, and kept: what is staged is what is checked.
 */

enum sr_gitx_status {
	SR_GITX_ADDED,
	SR_GITX_MODIFIED,
	SR_GITX_DELETED,
	SR_GITX_RENAMED		/* 'old_path' says from where */
};

/* Return 0 to go on; anything else stops and is returned. */
typedef int (*sr_gitx_path_fn)(void *payload, const char *path,
				 const char *old_path,
				 enum sr_gitx_status kind);

/*
 * The files staged for the next commit with new content: HEAD's tree
 * against the index (an empty tree when HEAD has no commit yet), added or
 * modified; conflicted entries are left out. Deletions and renames' old
 * paths are reported only when the index cannot be read through its
 * cache-tree (libgit2's diff is used then): callers must not rely on
 * them. Returns 0, what 'fn' returned, or SR_ERROR (message in
 * sr_error_last()).
 */
int sr_gitx_staged(struct sr_gitx *g, sr_gitx_path_fn fn, void *payload);

/*
 * The changes from the merge base of 'rev' and HEAD to HEAD (to the work
 * tree, untracked files included, with 'worktree'). SR_ENOTFOUND when
 * 'rev' does not resolve or has no merge base with HEAD (a shallow
 * clone), SR_ERROR otherwise; the message says which.
 */
int sr_gitx_changed_since(struct sr_gitx *g, const char *rev, bool worktree,
			  sr_gitx_path_fn fn, void *payload);

/* Is 'relpath' a file in the index (stage 0)? */
bool sr_gitx_index_has(struct sr_gitx *g, const char *relpath);

/*
 * Call 'fn' for every file in the index below directory 'dir' ("" for
 * all), in index order. Costs what the directory holds, not the index.
 */
int sr_gitx_index_list(struct sr_gitx *g, const char *dir,
		       int (*fn)(void *payload, const char *relpath),
		       void *payload);

/*
 * Read the staged content of 'relpath' like sr_fs_read: 0, SR_ETOOLARGE
 * (*len holds the size), SR_ENOTFOUND or SR_ERROR.
 */
int sr_gitx_index_read(struct sr_gitx *g, const char *relpath, char **out,
		       size_t *len, size_t limit);

/*
 * The git configuration value 'name' ("user.email") as git would read
 * it for the repository at 'path' (or the global configuration outside
 * one); NULL when unset. Caller frees.
 */
char *sr_gitx_config_string(const char *path, const char *name);

/*
 * The same lookup started in the background with the git program
 * (`git -C path config --get name`), collected with
 * sr_gitx_config_finish: git answers in a few milliseconds while srctl
 * goes on, where loading and starting libgit2 costs some 15 ms (Debian's
 * parses the system CA bundle). When git cannot be run or fails, finish
 * asks libgit2 instead. Every started query must be finished.
 */
struct sr_gitx_config_query;
struct sr_gitx_config_query *sr_gitx_config_start(const char *path,
						  const char *name);
/* The value or NULL when unset (caller frees); frees 'q'. */
char *sr_gitx_config_finish(struct sr_gitx_config_query *q);

#endif

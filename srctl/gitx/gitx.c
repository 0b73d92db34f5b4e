#include "gitx/gitx.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <git2.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "base/banned.h"

struct chg_index;
static void chg_fast_free(struct chg_index *x);

/*
 * git_ignore_path_is_ignored() rebuilds its stack of ignore files on every
 * call and stats each of them (and the path itself), about five stat()s
 * per query: 10 000 files cost well over 100 ms. Most queries cannot come
 * out "ignored" at all, so a prefilter answers those without libgit2.
 *
 * The prefilter reads the same ignore files (each .gitignore on the path,
 * info/exclude, core.excludesFile) once and keeps, for every positive
 * pattern, its literal tail: the characters after its last wildcard or
 * '/'. Every name a pattern matches ends with that tail (compared without
 * case, in case core.ignoreCase is set). A pattern without such a tail
 * ("tmp*", "logs/" + "**") makes its file "wild", and queries under it go
 * to libgit2. Negative patterns can only un-ignore, so they are skipped.
 *
 * libgit2 also reports a path ignored when a parent directory is, so the
 * prefilter only answers for entries of a directory that libgit2 (or the
 * prefilter) already found not ignored: the walker asks about a directory
 * before it looks inside. Anything uncertain goes to libgit2, which stays
 * the authority.
 */

struct ign_level {
	size_t dir_len;		/* length of the directory in g->dir */
	bool clear;		/* this directory is known not ignored */
	bool wild;		/* some pattern has no literal tail */
	struct sr_buf tails;	/* NUL-separated */
	size_t n_tails;
};

struct sr_gitx {
	git_repository *repo;
	char *workdir;		/* realpath, no trailing '/' */
	size_t workdir_len;
	struct sr_buf rel;	/* scratch for work-tree-relative paths */
	struct sr_buf scratch;

	bool prefilter;		/* false when an ignore file was unreadable */
	struct ign_level global; /* info/exclude and core.excludesFile */
	struct ign_level *levels; /* [0] is the top, then one per directory */
	size_t n_levels;
	size_t cap_levels;
	struct sr_buf dir;	/* directory of levels[n_levels - 1] */
	struct sr_buf last_clear; /* the last directory found not ignored */
	git_index *index;	/* staged-files block: read on first use */
	struct chg_index *fast;	/* staged-files block: our own index read */
	bool fast_tried;
};

/*
 * libgit2 is loaded with dlopen on first use, not linked: with its TLS,
 * SSH and Kerberos dependencies it costs every run about 5 ms of dynamic
 * loading, and many runs never touch git (srctl timeout outside a
 * repository, rules, version). Calls go through G(name), a pointer of the
 * declared type. SRCTL_GIT2_SONAME is the library CMake found.
 */
#define GIT_FUNCTIONS(X) \
	X(git_blob_free) \
	X(git_blob_lookup) \
	X(git_blob_rawcontent) \
	X(git_blob_rawsize) \
	X(git_buf_dispose) \
	X(git_commit_author) \
	X(git_commit_free) \
	X(git_commit_id) \
	X(git_commit_lookup) \
	X(git_commit_parent) \
	X(git_commit_parentcount) \
	X(git_commit_time) \
	X(git_commit_tree) \
	X(git_config_free) \
	X(git_config_get_path) \
	X(git_config_get_string_buf) \
	X(git_config_open_default) \
	X(git_diff_find_options_init) \
	X(git_diff_find_similar) \
	X(git_diff_free) \
	X(git_diff_get_delta) \
	X(git_diff_num_deltas) \
	X(git_diff_options_init) \
	X(git_diff_tree_to_index) \
	X(git_diff_tree_to_tree) \
	X(git_diff_tree_to_workdir_with_index) \
	X(git_error_clear) \
	X(git_error_last) \
	X(git_ignore_path_is_ignored) \
	X(git_index_entry_stage) \
	X(git_index_entrycount) \
	X(git_index_find_prefix) \
	X(git_index_free) \
	X(git_index_get_byindex) \
	X(git_index_get_bypath) \
	X(git_libgit2_init) \
	X(git_merge_base) \
	X(git_object_free) \
	X(git_object_peel) \
	X(git_oid_cpy) \
	X(git_oid_fromraw) \
	X(git_oid_tostr) \
	X(git_repository_commondir) \
	X(git_repository_config_snapshot) \
	X(git_repository_free) \
	X(git_repository_head_unborn) \
	X(git_repository_index) \
	X(git_repository_is_bare) \
	X(git_repository_is_shallow) \
	X(git_repository_open_ext) \
	X(git_repository_path) \
	X(git_repository_workdir) \
	X(git_revparse_single) \
	X(git_revwalk_free) \
	X(git_revwalk_hide) \
	X(git_revwalk_new) \
	X(git_revwalk_next) \
	X(git_revwalk_push_head) \
	X(git_revwalk_simplify_first_parent) \
	X(git_revwalk_sorting) \
	X(git_tree_entry_byname) \
	X(git_tree_entry_bypath) \
	X(git_tree_entry_filemode) \
	X(git_tree_entry_free) \
	X(git_tree_entry_id) \
	X(git_tree_entry_type) \
	X(git_tree_free) \
	X(git_tree_id) \
	X(git_tree_lookup)

static struct {
#define GIT_FIELD(f) __typeof__(f) *f;
	GIT_FUNCTIONS(GIT_FIELD)
#undef GIT_FIELD
} gitlib;

#define G(f) (*gitlib.f)

/* dlsym returns an object pointer; POSIX guarantees the conversion. */
static bool load_libgit2(char *why, size_t size)
{
	void *h = dlopen(SRCTL_GIT2_SONAME, RTLD_LAZY | RTLD_LOCAL);
	const char *err;

	if (!h) {
		err = dlerror();
		snprintf(why, size, "%s", err ? err : SRCTL_GIT2_SONAME);
		return false;
	}
#define GIT_LOAD(f) \
	if (!(*(void **)(&gitlib.f) = dlsym(h, #f))) { \
		snprintf(why, size, "%s: no %s", SRCTL_GIT2_SONAME, #f); \
		return false; \
	}
	GIT_FUNCTIONS(GIT_LOAD)
#undef GIT_LOAD
	G(git_libgit2_init)();
	return true;
}

/*
 * Load and start libgit2 once. When it cannot be loaded (a broken
 * install), say so once: git's features are then unavailable, as outside
 * a repository.
 */
static bool gitx_init_once(void)
{
	static int state;	/* 0 not tried, 1 loaded, -1 failed */
	char why[512];

	if (!state) {
		state = load_libgit2(why, sizeof(why)) ? 1 : -1;
		if (state < 0)
			fprintf(stderr, "srctl: warning: cannot load libgit2 "
				"(%s): .gitignore, --staged, --changed-since "
				"and history are unavailable\n", why);
	}
	return state > 0;
}

/* Add the positive patterns of an ignore file's text to 'lv'. */
static void parse_tails(struct ign_level *lv, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q;
		size_t n;

		if (!eol)
			eol = end;
		n = (size_t)(eol - p);
		if (n == 0 || p[0] == '#' || p[0] == '!')
			goto next;
		/* trailing blanks and CRs have rules of their own: be safe */
		if (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' ||
		    memchr(p, '\0', n)) {
			lv->wild = true;
			goto next;
		}
		while (n && p[n - 1] == '/')
			n--;
		q = p + n;
		while (q > p && !strchr("*?[]\\/", q[-1]))
			q--;
		if (q == p + n) {
			lv->wild = true;
			goto next;
		}
		sr_buf_add(&lv->tails, q, (size_t)(p + n - q));
		sr_buf_addc(&lv->tails, '\0');
		lv->n_tails++;
next:
		p = eol + 1;
	}
}

/* Read one ignore file into 'lv'; a missing file adds nothing. */
static void load_tails(struct sr_gitx *g, struct ign_level *lv,
		       const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	rc = sr_fs_read(&text, &len, path, 16u << 20);
	if (rc == 0)
		parse_tails(lv, text, len);
	else if (access(path, F_OK) == 0 || (errno != ENOENT &&
					      errno != ENOTDIR))
		g->prefilter = false;	/* there, but unreadable to us */
	free(text);
	sr_error_clear();
}

static void load_global(struct sr_gitx *g)
{
	git_config *cfg = NULL;
	git_buf val = { 0 };
	const char *env;

	sr_buf_reset(&g->scratch);
	sr_buf_addf(&g->scratch, "%sinfo/exclude",
		    G(git_repository_commondir)(g->repo));
	load_tails(g, &g->global, sr_buf_cstr(&g->scratch));
	if (strcmp(G(git_repository_commondir)(g->repo),
		   G(git_repository_path)(g->repo)) != 0) {
		sr_buf_reset(&g->scratch);
		sr_buf_addf(&g->scratch, "%sinfo/exclude",
			    G(git_repository_path)(g->repo));
		load_tails(g, &g->global, sr_buf_cstr(&g->scratch));
	}

	if (G(git_repository_config_snapshot)(&cfg, g->repo) < 0) {
		g->prefilter = false;
		goto done;
	}
	if (G(git_config_get_path)(&val, cfg, "core.excludesfile") == 0) {
		load_tails(g, &g->global, val.ptr);
		goto done;
	}
	/* the default, $XDG_CONFIG_HOME/git/ignore; read both candidates */
	env = getenv("XDG_CONFIG_HOME");
	if (env && *env) {
		sr_buf_reset(&g->scratch);
		sr_buf_addf(&g->scratch, "%s/git/ignore", env);
		load_tails(g, &g->global, sr_buf_cstr(&g->scratch));
	}
	env = getenv("HOME");
	if (env && *env) {
		sr_buf_reset(&g->scratch);
		sr_buf_addf(&g->scratch, "%s/.config/git/ignore", env);
		load_tails(g, &g->global, sr_buf_cstr(&g->scratch));
	}
done:
	G(git_buf_dispose)(&val);
	G(git_config_free)(cfg);
	G(git_error_clear)();
}

static void push_level(struct sr_gitx *g, size_t dir_len)
{
	struct ign_level *lv;

	g->levels = sr_xgrow(g->levels, &g->cap_levels, g->n_levels + 1,
			     sizeof(*g->levels));
	lv = &g->levels[g->n_levels++];
	memset(lv, 0, sizeof(*lv));
	lv->dir_len = dir_len;
	lv->clear = dir_len == 0 ||
		    (g->last_clear.len == dir_len &&
		     memcmp(g->last_clear.ptr, g->dir.ptr, dir_len) == 0);

	sr_buf_reset(&g->scratch);
	sr_buf_adds(&g->scratch, g->workdir);
	if (dir_len) {
		sr_buf_addc(&g->scratch, '/');
		sr_buf_add(&g->scratch, g->dir.ptr, dir_len);
	}
	sr_buf_adds(&g->scratch, "/.gitignore");
	load_tails(g, lv, sr_buf_cstr(&g->scratch));
}

static void pop_level(struct sr_gitx *g)
{
	sr_buf_release(&g->levels[--g->n_levels].tails);
}

/* Make the levels those of directory rel[0 .. dir_len). */
static void sync_levels(struct sr_gitx *g, const char *rel, size_t dir_len)
{
	while (g->n_levels > 1) {
		size_t n = g->levels[g->n_levels - 1].dir_len;

		if (n <= dir_len && memcmp(g->dir.ptr, rel, n) == 0 &&
		    (n == dir_len || rel[n] == '/'))
			break;
		pop_level(g);
	}
	if (g->n_levels == 0)
		push_level(g, 0);
	while (g->levels[g->n_levels - 1].dir_len < dir_len) {
		size_t start = g->levels[g->n_levels - 1].dir_len;
		const char *slash;
		size_t end;

		if (start)
			start++;
		slash = memchr(rel + start, '/', dir_len - start);
		end = slash ? (size_t)(slash - rel) : dir_len;
		sr_buf_reset(&g->dir);
		sr_buf_add(&g->dir, rel, end);
		push_level(g, end);
	}
	sr_buf_reset(&g->dir);
	sr_buf_add(&g->dir, rel, dir_len);
}

static bool tails_match(const struct ign_level *lv, const char *base,
			size_t blen)
{
	const char *t = lv->tails.ptr;
	size_t i;

	if (lv->wild)
		return true;
	for (i = 0; i < lv->n_tails; i++) {
		size_t tlen = strlen(t);

		if (tlen <= blen &&
		    strncasecmp(base + blen - tlen, t, tlen) == 0)
			return true;
		t += tlen + 1;
	}
	return false;
}

/* Could any positive pattern that applies to 'rel' match it? */
static bool may_be_ignored(struct sr_gitx *g, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	size_t dir_len = slash ? (size_t)(slash - rel) : 0;
	const char *base = slash ? slash + 1 : rel;
	size_t blen = strlen(base), i;

	if (!g->prefilter)
		return true;
	sync_levels(g, rel, dir_len);
	if (!g->prefilter || !g->levels[g->n_levels - 1].clear)
		return true;
	if (tails_match(&g->global, base, blen))
		return true;
	for (i = 0; i < g->n_levels; i++) {
		if (tails_match(&g->levels[i], base, blen))
			return true;
	}
	return false;
}

static void mark_clear(struct sr_gitx *g, const char *rel)
{
	size_t len = strlen(rel);

	sr_buf_reset(&g->last_clear);
	sr_buf_add(&g->last_clear, rel, len);
	if (g->n_levels && g->levels[g->n_levels - 1].dir_len == len &&
	    memcmp(g->dir.ptr, rel, len) == 0)
		g->levels[g->n_levels - 1].clear = true;
}

char *sr_gitx_find_top(const char *dir)
{
	struct sr_buf cur = SR_BUF_INIT, probe = SR_BUF_INIT;
	char *top = NULL;
	struct stat st;

	sr_buf_adds(&cur, dir);
	while (cur.len > 1 && cur.ptr[cur.len - 1] == '/')
		cur.ptr[--cur.len] = '\0';
	for (;;) {
		sr_buf_reset(&probe);
		sr_buf_add(&probe, cur.ptr, cur.len);
		sr_buf_adds(&probe, cur.len > 1 ? "/.git" : ".git");
		/* a directory, or a file pointing at one (worktrees, submodules) */
		if (stat(probe.ptr, &st) == 0 &&
		    (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
			top = sr_buf_detach(&cur);
			break;
		}
		if (cur.len <= 1)
			break;
		while (cur.len > 1 && cur.ptr[cur.len - 1] != '/')
			cur.len--;
		if (cur.len > 1)
			cur.len--;	/* the slash, unless it is the root */
		cur.ptr[cur.len] = '\0';
	}
	sr_buf_release(&cur);
	sr_buf_release(&probe);
	return top;
}

struct sr_gitx *sr_gitx_open(const char *path)
{
	git_repository *repo = NULL;
	struct sr_gitx *g = NULL;
	const char *wd;
	char *real = NULL;
	size_t len;

	if (!gitx_init_once() ||
	    G(git_repository_open_ext)(&repo, path, 0, NULL) < 0)
		goto done;
	if (G(git_repository_is_bare)(repo))
		goto done;
	wd = G(git_repository_workdir)(repo);
	if (!wd)
		goto done;
	real = realpath(wd, NULL);
	if (!real)
		goto done;
	len = strlen(real);
	while (len > 1 && real[len - 1] == '/')
		real[--len] = '\0';

	g = sr_xcalloc(1, sizeof(*g));
	g->repo = repo;
	g->workdir = real;
	g->workdir_len = len;
	g->prefilter = true;
	load_global(g);
	repo = NULL;
	real = NULL;
done:
	free(real);
	G(git_repository_free)(repo);
	G(git_error_clear)();
	return g;
}

const char *sr_gitx_workdir(const struct sr_gitx *g)
{
	return g->workdir;
}

bool sr_gitx_ignored(struct sr_gitx *g, const char *abspath, bool is_dir)
{
	const char *rel;
	int ignored = 0;

	if (strncmp(abspath, g->workdir, g->workdir_len) != 0)
		return false;
	rel = abspath + g->workdir_len;
	if (g->workdir_len == 1)	/* the work tree is "/" */
		rel = abspath + 1;
	else if (*rel == '/')
		rel++;
	else
		return false;	/* a sibling such as /repo2 of /repo */
	if (!*rel)
		return false;	/* the top itself */

	if (may_be_ignored(g, rel)) {
		sr_buf_reset(&g->rel);
		sr_buf_adds(&g->rel, rel);
		/* a trailing '/' says "directory" and saves libgit2 a stat */
		if (is_dir)
			sr_buf_addc(&g->rel, '/');
		if (G(git_ignore_path_is_ignored)(&ignored, g->repo,
					       sr_buf_cstr(&g->rel)) < 0) {
			G(git_error_clear)();
			return false;
		}
	}
	if (!ignored && is_dir)
		mark_clear(g, rel);
	return ignored != 0;
}

void sr_gitx_free(struct sr_gitx *g)
{
	if (!g)
		return;
	while (g->n_levels)
		pop_level(g);
	free(g->levels);
	sr_buf_release(&g->global.tails);
	sr_buf_release(&g->dir);
	sr_buf_release(&g->last_clear);
	sr_buf_release(&g->scratch);
	sr_buf_release(&g->rel);
	G(git_index_free)(g->index);
	chg_fast_free(g->fast);
	G(git_repository_free)(g->repo);
	free(g->workdir);
	free(g);
}

/* --- history, for audit-log ---------------------------------------- */

struct sr_gitx_tree {
	git_repository *repo;
	git_tree *tree;		/* NULL: the work tree, or the empty tree */
	const char *workdir;	/* set: read from the work tree */
};

/* Carry libgit2's message over to sr_error. */
static int git_fail(const char *what)
{
	const git_error *e = G(git_error_last)();

	sr_error_set("%s: %s", what, e && e->message ? e->message :
		     "unknown libgit2 error");
	G(git_error_clear)();
	return SR_ERROR;
}

/* A blob's bytes, NUL-terminated and owned by the caller. */
static int blob_text(git_repository *repo, const git_oid *id, size_t max,
		     char **out, size_t *len)
{
	git_blob *blob = NULL;
	git_object_size_t size;

	*out = NULL;
	*len = 0;
	if (G(git_blob_lookup)(&blob, repo, id) < 0)
		return git_fail("cannot read blob");
	size = G(git_blob_rawsize)(blob);
	if (max && size > max) {
		G(git_blob_free)(blob);
		return 0;	/* too large to be a policy file: skipped */
	}
	*out = sr_xmalloc((size_t)size + 1);
	memcpy(*out, G(git_blob_rawcontent)(blob), (size_t)size);
	(*out)[size] = '\0';
	*len = (size_t)size;
	G(git_blob_free)(blob);
	return 0;
}

int sr_gitx_tree_read(const struct sr_gitx_tree *t, const char *path,
		      char **out, size_t *len)
{
	git_tree_entry *e = NULL;
	int rc;

	*out = NULL;
	*len = 0;
	if (t->workdir) {
		struct sr_buf full = SR_BUF_INIT;

		sr_buf_addf(&full, "%s/%s", t->workdir, path);
		if (access(full.ptr, F_OK) != 0) {
			sr_buf_release(&full);
			return SR_ENOTFOUND;
		}
		rc = sr_fs_read(out, len, full.ptr, 16u << 20);
		sr_buf_release(&full);
		return rc;
	}
	if (!t->tree)
		return SR_ENOTFOUND;
	rc = G(git_tree_entry_bypath)(&e, t->tree, path);
	if (rc == GIT_ENOTFOUND) {
		G(git_error_clear)();
		return SR_ENOTFOUND;
	}
	if (rc < 0)
		return git_fail("cannot look up a path");
	if (G(git_tree_entry_type)(e) != GIT_OBJECT_BLOB) {
		G(git_tree_entry_free)(e);
		return SR_ENOTFOUND;
	}
	rc = blob_text(t->repo, G(git_tree_entry_id)(e), 16u << 20, out, len);
	G(git_tree_entry_free)(e);
	return rc;
}

static void describe_commit(struct sr_gitx_commit *c, const git_commit *commit)
{
	const git_signature *a = G(git_commit_author)(commit);

	memset(c, 0, sizeof(*c));
	G(git_oid_tostr)(c->id, sizeof(c->id), G(git_commit_id)(commit));
	memcpy(c->short_id, c->id, 7);
	c->short_id[7] = '\0';
	c->author = a && a->name ? a->name : "";
	c->email = a && a->email ? a->email : "";
	c->time = a ? (long long)a->when.time : 0;
	c->offset = a ? a->when.offset : 0;
	c->commit_time = (long long)G(git_commit_time)(commit);
	c->nparents = G(git_commit_parentcount)(commit);
}

static bool wanted(const struct sr_gitx_log_opts *o, const char *path)
{
	return path && (!o->want || o->want(o->payload, path));
}

/* Hand every wanted delta of 'diff' to the callback. */
static int emit_diff(git_repository *repo, git_diff *diff,
		     const struct sr_gitx_commit *c,
		     const struct sr_gitx_tree *old_t,
		     const struct sr_gitx_tree *new_t,
		     const struct sr_gitx_log_opts *o)
{
	git_diff_find_options fopts;
	size_t i, n;
	int rc = 0;

	G(git_diff_find_options_init)(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	if (G(git_diff_find_similar)(diff, &fopts) < 0)
		return git_fail("cannot detect renames");
	n = G(git_diff_num_deltas)(diff);
	for (i = 0; i < n && rc == 0; i++) {
		const git_diff_delta *d = G(git_diff_get_delta)(diff, i);
		struct sr_gitx_change ch;
		char *old_text = NULL, *new_text = NULL;
		bool has_old, has_new;

		if (d->status == GIT_DELTA_UNMODIFIED ||
		    d->status == GIT_DELTA_IGNORED ||
		    d->status == GIT_DELTA_UNREADABLE)
			continue;
		has_old = d->status != GIT_DELTA_ADDED &&
			  d->status != GIT_DELTA_UNTRACKED;
		has_new = d->status != GIT_DELTA_DELETED;
		memset(&ch, 0, sizeof(ch));
		ch.old_path = has_old ? d->old_file.path : NULL;
		ch.new_path = has_new ? d->new_file.path : NULL;
		if (!wanted(o, ch.old_path) && !wanted(o, ch.new_path))
			continue;
		ch.old_tree = old_t;
		ch.new_tree = new_t;
		if (has_old && (rc = blob_text(repo, &d->old_file.id,
					       o->max_blob, &old_text,
					       &ch.old_len)) < 0)
			break;
		if (has_new && new_t->workdir) {
			rc = sr_gitx_tree_read(new_t, ch.new_path, &new_text,
					       &ch.new_len);
			if (rc == SR_ENOTFOUND) {
				ch.new_path = NULL;
				rc = 0;
			}
		} else if (has_new) {
			rc = blob_text(repo, &d->new_file.id, o->max_blob,
				       &new_text, &ch.new_len);
		}
		if (rc == 0) {
			ch.old_text = old_text;
			ch.new_text = new_text;
			rc = o->fn(o->payload, c, &ch);
		}
		free(old_text);
		free(new_text);
	}
	return rc;
}

static void diff_opts(git_diff_options *d, const struct sr_gitx_log_opts *o,
		      char **spec)
{
	if (o->prefix && *o->prefix) {
		spec[0] = (char *)o->prefix;
		d->pathspec.strings = spec;
		d->pathspec.count = 1;
	}
}

/* One commit of the walk: compared with its first parent. */
static int log_commit(struct sr_gitx *g, git_commit *commit,
		      const struct sr_gitx_log_opts *o)
{
	git_diff_options dopts;
	struct sr_gitx_tree old_t = { g->repo, NULL, NULL };
	struct sr_gitx_tree new_t = { g->repo, NULL, NULL };
	git_commit *parent = NULL;
	git_diff *diff = NULL;
	struct sr_gitx_commit c;
	char *spec[1];
	int rc = 0;

	G(git_diff_options_init)(&dopts, GIT_DIFF_OPTIONS_VERSION);
	describe_commit(&c, commit);
	if (c.nparents > 0 && G(git_commit_parent)(&parent, commit, 0) < 0) {
		rc = git_fail("cannot read a parent commit");
		goto done;
	}
	if ((parent && G(git_commit_tree)(&old_t.tree, parent) < 0) ||
	    G(git_commit_tree)(&new_t.tree, commit) < 0) {
		rc = git_fail("cannot read a commit's tree");
		goto done;
	}
	diff_opts(&dopts, o, spec);
	if (G(git_diff_tree_to_tree)(&diff, g->repo, old_t.tree, new_t.tree,
				  &dopts) < 0) {
		rc = git_fail("cannot compare trees");
		goto done;
	}
	rc = emit_diff(g->repo, diff, &c, &old_t, &new_t, o);
done:
	G(git_diff_free)(diff);
	G(git_tree_free)(old_t.tree);
	G(git_tree_free)(new_t.tree);
	G(git_commit_free)(parent);
	return rc;
}

static int peel_commit(git_commit **out, git_repository *repo,
		       const char *rev)
{
	git_object *obj = NULL;
	int rc;

	*out = NULL;
	if (G(git_revparse_single)(&obj, repo, rev) < 0) {
		G(git_error_clear)();
		sr_error_set("unknown revision '%s'", rev);
		return SR_ENOTFOUND;
	}
	rc = G(git_object_peel)((git_object **)out, obj, GIT_OBJECT_COMMIT);
	G(git_object_free)(obj);
	if (rc < 0) {
		G(git_error_clear)();
		sr_error_set("'%s' does not name a commit", rev);
		return SR_ENOTFOUND;
	}
	return 0;
}

int sr_gitx_rev_time(struct sr_gitx *g, const char *rev, long long *out)
{
	git_commit *c = NULL;
	int rc = peel_commit(&c, g->repo, rev);

	if (rc < 0)
		return rc;
	*out = (long long)G(git_commit_time)(c);
	G(git_commit_free)(c);
	return 0;
}

int sr_gitx_log(struct sr_gitx *g, const struct sr_gitx_log_opts *o)
{
	git_revwalk *walk = NULL;
	git_commit *hide = NULL;
	git_oid id;
	int rc;

	if (G(git_revwalk_new)(&walk, g->repo) < 0)
		return git_fail("cannot walk the history");
	G(git_revwalk_sorting)(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME |
			    GIT_SORT_REVERSE);
	rc = G(git_repository_head_unborn)(g->repo) == 1 ? GIT_EUNBORNBRANCH :
	     G(git_revwalk_push_head)(walk);
	if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
		G(git_error_clear)();
		rc = SR_ENOTFOUND;
		goto done;
	}
	if (rc < 0) {
		rc = git_fail("cannot read HEAD");
		goto done;
	}
	if (o->first_parent)
		G(git_revwalk_simplify_first_parent)(walk);
	if (o->hide) {
		rc = peel_commit(&hide, g->repo, o->hide);
		if (rc < 0) {
			rc = SR_ERROR;
			goto done;
		}
		if (G(git_revwalk_hide)(walk, G(git_commit_id)(hide)) < 0) {
			rc = git_fail("cannot leave out a revision");
			goto done;
		}
	}
	for (;;) {
		git_commit *commit = NULL;
		int next = G(git_revwalk_next)(&id, walk);

		if (next == GIT_ITEROVER) {
			G(git_error_clear)();
			rc = 0;
			break;
		}
		if (next < 0 || G(git_commit_lookup)(&commit, g->repo, &id) < 0) {
			rc = git_fail("cannot walk the history");
			break;
		}
		rc = 0;
		if ((o->first_parent || G(git_commit_parentcount)(commit) <= 1) &&
		    (!o->since ||
		     (long long)G(git_commit_time)(commit) >= o->since))
			rc = log_commit(g, commit, o);
		G(git_commit_free)(commit);
		if (rc != 0)
			break;
	}
done:
	G(git_commit_free)(hide);
	G(git_revwalk_free)(walk);
	return rc;
}

int sr_gitx_diff_workdir(struct sr_gitx *g, const char *rev,
			 const struct sr_gitx_log_opts *o)
{
	git_diff_options dopts;
	struct sr_gitx_tree old_t = { g->repo, NULL, NULL };
	struct sr_gitx_tree new_t = { g->repo, NULL, NULL };
	git_commit *commit = NULL;
	git_diff *diff = NULL;
	struct sr_gitx_commit c;
	char *spec[1];
	int rc;

	G(git_diff_options_init)(&dopts, GIT_DIFF_OPTIONS_VERSION);
	new_t.workdir = g->workdir;
	rc = peel_commit(&commit, g->repo, rev);
	if (rc < 0)
		return SR_ERROR;
	describe_commit(&c, commit);
	if (G(git_commit_tree)(&old_t.tree, commit) < 0) {
		rc = git_fail("cannot read a commit's tree");
		goto done;
	}
	dopts.flags |= GIT_DIFF_INCLUDE_UNTRACKED |
		       GIT_DIFF_RECURSE_UNTRACKED_DIRS;
	diff_opts(&dopts, o, spec);
	if (G(git_diff_tree_to_workdir_with_index)(&diff, g->repo, old_t.tree,
						&dopts) < 0) {
		rc = git_fail("cannot compare with the work tree");
		goto done;
	}
	rc = emit_diff(g->repo, diff, &c, &old_t, &new_t, o);
done:
	G(git_diff_free)(diff);
	G(git_tree_free)(old_t.tree);
	G(git_commit_free)(commit);
	return rc;
}

int sr_gitx_hooks_dir(struct sr_gitx *g, char **out)
{
	git_config *cfg = NULL;
	git_buf val = { 0 };
	struct sr_buf dir = SR_BUF_INIT;
	int rc;

	*out = NULL;
	if (G(git_repository_config_snapshot)(&cfg, g->repo) < 0)
		return git_fail("cannot read the git configuration");
	rc = G(git_config_get_path)(&val, cfg, "core.hooksPath");
	if (rc == 0 && val.ptr && *val.ptr) {
		if (val.ptr[0] != '/')
			sr_buf_addf(&dir, "%s/", g->workdir);
		sr_buf_adds(&dir, val.ptr);
	} else {
		/* commondir ends with '/' */
		sr_buf_addf(&dir, "%shooks", G(git_repository_commondir)(g->repo));
	}
	G(git_error_clear)();
	G(git_buf_dispose)(&val);
	G(git_config_free)(cfg);
	*out = sr_buf_detach(&dir);
	return 0;
}

/* --- staged and changed files (validate --staged, --changed-since) --- */

static int chg_git_fail(const char *what)
{
	const git_error *e = G(git_error_last)();

	sr_error_set("%s: %s", what, e && e->message ? e->message : "failed");
	G(git_error_clear)();
	return SR_ERROR;
}

static git_index *chg_get_index(struct sr_gitx *g)
{
	if (!g->index && G(git_repository_index)(&g->index, g->repo) < 0) {
		chg_git_fail("cannot read the index");
		g->index = NULL;
	}
	return g->index;
}

/* HEAD's tree, NULL in *out when HEAD has no commit yet. */
static int chg_head_tree(struct sr_gitx *g, git_tree **out)
{
	git_object *obj = NULL;
	int r;

	*out = NULL;
	r = G(git_revparse_single)(&obj, g->repo, "HEAD^{tree}");
	if (r == GIT_ENOTFOUND || r == GIT_EUNBORNBRANCH) {
		G(git_error_clear)();
		return 0;
	}
	if (r < 0)
		return chg_git_fail("cannot read HEAD");
	*out = (git_tree *)obj;
	return 0;
}

static int chg_each_delta(git_diff *diff, sr_gitx_path_fn fn, void *payload)
{
	git_diff_find_options fopts;
	size_t i, n;
	int r;

	G(git_diff_find_options_init)(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	/* renames only: copies would need every unmodified file read */
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	if (G(git_diff_find_similar)(diff, &fopts) < 0)
		return chg_git_fail("cannot detect renames");
	n = G(git_diff_num_deltas)(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = G(git_diff_get_delta)(diff, i);
		enum sr_gitx_status kind;

		/* submodules and symlinks have no text to check */
		if ((d->new_file.mode != GIT_FILEMODE_BLOB &&
		     d->new_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
		     d->status != GIT_DELTA_DELETED) ||
		    (d->status == GIT_DELTA_DELETED &&
		     d->old_file.mode != GIT_FILEMODE_BLOB &&
		     d->old_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE))
			continue;
		switch (d->status) {
		case GIT_DELTA_ADDED:
		case GIT_DELTA_UNTRACKED:
		case GIT_DELTA_COPIED:
			kind = SR_GITX_ADDED;
			break;
		case GIT_DELTA_DELETED:
			kind = SR_GITX_DELETED;
			break;
		case GIT_DELTA_RENAMED:
			kind = SR_GITX_RENAMED;
			break;
		case GIT_DELTA_MODIFIED:
		case GIT_DELTA_TYPECHANGE:
			kind = SR_GITX_MODIFIED;
			break;
		default:
			continue;
		}
		r = fn(payload, kind == SR_GITX_DELETED ? d->old_file.path :
			       d->new_file.path,
		       kind == SR_GITX_RENAMED ? d->old_file.path : NULL, kind);
		if (r)
			return r;
	}
	return 0;
}

static void chg_diff_opts(git_diff_options *o)
{
	G(git_diff_options_init)(o, GIT_DIFF_OPTIONS_VERSION);
	o->ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
	/* which files changed is all that is asked: no content, no hunks */
	o->flags |= GIT_DIFF_SKIP_BINARY_CHECK;
}

/*
 * What is staged, at the cost of what is staged. libgit2's tree-to-index
 * diff reads every tree of HEAD and libgit2's index reader allocates per
 * entry: in a 10 000-file repository that is most of a pre-commit run.
 * git itself avoids both with the index's cache-tree extension ("TREE"):
 * for every directory whose entries have not changed since the last
 * commit or write-tree it records the tree id, so a directory whose
 * recorded id equals HEAD's is skipped unread. So the index file is read
 * here directly (versions 2 and 3, the ones git writes by default), into
 * one buffer without per-entry allocations, and only the directories the
 * cache-tree does not vouch for are compared with HEAD's trees. Anything
 * unusual (version 4, a split index, a malformed file) falls back to
 * libgit2's index and diff. Deletions are not reported by this path:
 * sr_gitx_staged's callers skip them anyway (documented below).
 */

struct chg_entry {
	const char *path;	/* into chg_index.buf (NUL-terminated) */
	size_t len;
	unsigned mode;
	unsigned stage;
	const unsigned char *oid;	/* 20 bytes, into buf */
};

struct chg_node {		/* a cache-tree directory */
	const char *name;	/* component, into buf */
	size_t len;
	bool valid;		/* entry_count >= 0 */
	const unsigned char *oid;
	size_t first_child;	/* index into nodes, or SIZE_MAX */
	size_t next_sibling;
};

struct chg_index {
	char *buf;		/* the index file, mapped read-only */
	size_t size;
	struct chg_entry *e;
	size_t n;
	struct chg_node *nodes;	/* [0] is the root when n_nodes > 0 */
	size_t n_nodes;
	size_t cap_nodes;
};

static void chg_fast_free(struct chg_index *x)
{
	if (!x)
		return;
	if (x->buf)
		munmap(x->buf, x->size);
	free(x->e);
	free(x->nodes);
	free(x);
}

static unsigned long chg_be32(const unsigned char *p)
{
	return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
	       ((unsigned long)p[2] << 8) | p[3];
}

/* Parse one cache-tree node and its subtrees; SIZE_MAX when malformed. */
static size_t chg_parse_node(struct chg_index *x, const char **pp,
			     const char *end, int depth)
{
	const char *p = *pp, *name = p, *q;
	long count, nsub, k;
	size_t self, prev = SIZE_MAX;
	char *num_end;

	if (depth > 256)
		return SIZE_MAX;
	q = memchr(p, '\0', (size_t)(end - p));
	if (!q)
		return SIZE_MAX;
	p = q + 1;
	/* "<entry_count> <subtrees>\n", both ASCII decimal */
	if (p >= end || !memchr(p, '\n', (size_t)(end - p)))
		return SIZE_MAX;
	count = strtol(p, &num_end, 10);
	if (num_end == p || *num_end != ' ')
		return SIZE_MAX;
	p = num_end + 1;
	nsub = strtol(p, &num_end, 10);
	if (num_end == p || *num_end != '\n' || nsub < 0)
		return SIZE_MAX;
	p = num_end + 1;
	x->nodes = sr_xgrow(x->nodes, &x->cap_nodes, x->n_nodes + 1,
			    sizeof(*x->nodes));
	self = x->n_nodes++;
	x->nodes[self].name = name;
	x->nodes[self].len = (size_t)(q - name);
	x->nodes[self].valid = count >= 0;
	x->nodes[self].oid = NULL;
	x->nodes[self].first_child = SIZE_MAX;
	x->nodes[self].next_sibling = SIZE_MAX;
	if (count >= 0) {
		if (end - p < 20)
			return SIZE_MAX;
		x->nodes[self].oid = (const unsigned char *)p;
		p += 20;
	}
	*pp = p;
	for (k = 0; k < nsub; k++) {
		size_t child = chg_parse_node(x, pp, end, depth + 1);

		if (child == SIZE_MAX)
			return SIZE_MAX;
		if (prev == SIZE_MAX)
			x->nodes[self].first_child = child;
		else
			x->nodes[prev].next_sibling = child;
		prev = child;
	}
	return self;
}

/*
 * Map the index read-only: it can be megabytes (100 bytes an entry), and
 * git replaces it by renaming a new file over it, so the mapping stays
 * whole. SR_ENOTFOUND when there is none.
 */
static int chg_map(const char *path, char **buf, size_t *size)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? SR_ENOTFOUND : SR_ERROR;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 ||
	    (unsigned long long)st.st_size > (1ull << 31)) {
		close(fd);
		return SR_ERROR;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return SR_ERROR;
	*buf = p;
	*size = (size_t)st.st_size;
	return 0;
}

/* Read <gitdir>/index; NULL when it is not something this reader knows. */
static struct chg_index *chg_fast_load(struct sr_gitx *g)
{
	struct sr_buf path = SR_BUF_INIT;
	struct chg_index *x = sr_xcalloc(1, sizeof(*x));
	const unsigned char *u;
	unsigned long version, count, i;
	size_t pos = 12, cap = 0;
	int r;

	sr_buf_addf(&path, "%sindex", G(git_repository_path)(g->repo));
	r = chg_map(sr_buf_cstr(&path), &x->buf, &x->size);
	sr_buf_release(&path);
	if (r == SR_ENOTFOUND)
		return x;	/* nothing staged, nothing committed */
	if (r < 0)
		goto fail;
	u = (const unsigned char *)x->buf;
	if (x->size < 12 + 20 || memcmp(x->buf, "DIRC", 4) != 0)
		goto fail;
	version = chg_be32(u + 4);
	count = chg_be32(u + 8);
	if (version != 2 && version != 3)
		goto fail;
	x->e = sr_xgrow(NULL, &cap, count ? count : 1, sizeof(*x->e));
	for (i = 0; i < count; i++) {
		struct chg_entry *e = &x->e[i];
		size_t fixed = 62, flags, nul;
		const char *name, *z;

		if (pos + fixed > x->size - 20)
			goto fail;
		flags = ((size_t)u[pos + 60] << 8) | u[pos + 61];
		if (flags & 0x4000) {
			if (version < 3)
				goto fail;
			fixed += 2;
		}
		name = x->buf + pos + fixed;
		if (pos + fixed >= x->size - 20)
			goto fail;
		z = memchr(name, '\0', x->size - 20 - pos - fixed);
		if (!z)
			goto fail;
		nul = (size_t)(z - name);
		e->path = name;
		e->len = nul;
		e->mode = (unsigned)chg_be32(u + pos + 24);
		e->oid = u + pos + 40;
		e->stage = (unsigned)((flags >> 12) & 3);
		/* entries are padded with NULs to a multiple of 8 bytes */
		pos += (fixed + nul + 8) & ~(size_t)7;
	}
	x->n = count;
	/* extensions, up to the trailing checksum */
	while (pos + 8 <= x->size - 20) {
		unsigned long len = chg_be32(u + pos + 4);
		const char *data = x->buf + pos + 8;

		if (len > x->size - 20 - pos - 8)
			goto fail;
		if (!memcmp(x->buf + pos, "link", 4) ||
		    !memcmp(x->buf + pos, "sdir", 4))
			goto fail;	/* split or sparse index */
		if (!memcmp(x->buf + pos, "TREE", 4) && len) {
			const char *p = data;

			if (chg_parse_node(x, &p, data + len, 0) == SIZE_MAX) {
				/* no cache-tree: correct, only slower */
				x->n_nodes = 0;
			}
		}
		pos += 8 + len;
	}
	return x;
fail:
	chg_fast_free(x);
	return NULL;
}

/*
 * Our reading of the index, or NULL for libgit2's. SRCTL_GIT_SLOW_INDEX
 * forces libgit2's, so that tests can compare the two.
 */
static struct chg_index *chg_fast(struct sr_gitx *g)
{
	if (!g->fast_tried) {
		g->fast_tried = true;
		if (!getenv("SRCTL_GIT_SLOW_INDEX"))
			g->fast = chg_fast_load(g);
	}
	return g->fast;
}

/* The first entry whose path is not below 'path' in git's order. */
static size_t chg_lower_bound(const struct chg_index *x, const char *path)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(x->e[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The stage-0 entry for 'path', or NULL. */
static const struct chg_entry *chg_fast_get(const struct chg_index *x,
					    const char *path)
{
	size_t i = chg_lower_bound(x, path);

	if (i < x->n && !strcmp(x->e[i].path, path) && x->e[i].stage == 0)
		return &x->e[i];
	return NULL;
}

static bool chg_is_blob_mode(unsigned mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/*
 * The child directory 'name' of 'node', or NULL. Git writes a cache-tree's
 * subtrees ordered by (length, name) and the index is walked in name
 * order, so the two orders agree on runs of equal-length names (svc-0001,
 * svc-0002, ...): the search starts after the previous match (*hint) and
 * wraps around, which makes a directory of a thousand services linear
 * instead of quadratic.
 */
static const struct chg_node *chg_child(const struct chg_index *x,
					const struct chg_node *node,
					const char *name, size_t len,
					size_t *hint)
{
	size_t start, i;

	if (!node || node->first_child == SIZE_MAX)
		return NULL;
	start = *hint != SIZE_MAX ? *hint : node->first_child;
	i = start;
	do {
		if (x->nodes[i].len == len &&
		    !memcmp(x->nodes[i].name, name, len)) {
			*hint = x->nodes[i].next_sibling;
			return &x->nodes[i];
		}
		i = x->nodes[i].next_sibling;
		if (i == SIZE_MAX)
			i = node->first_child;
	} while (i != start);
	return NULL;
}

/*
 * The end of the run of entries in [i, hi) below the directory whose path
 * is the first 'plen' bytes of entry i's path (including its '/'). Entries
 * are sorted by path, so "below it" holds for a prefix of the range.
 */
static size_t chg_dir_end(const struct chg_index *x, size_t i, size_t hi,
			  size_t plen)
{
	const char *dir = x->e[i].path;
	size_t lo = i + 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->e[mid].len >= plen && !memcmp(x->e[mid].path, dir, plen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Report the staged entries [lo, hi) below directory prefix 'dlen' bytes
 * long that differ from HEAD's tree 'head' for that directory (NULL: the
 * directory is not in HEAD), skipping what the cache-tree vouches for.
 */
static int chg_check_dir(struct sr_gitx *g, const struct chg_index *x,
			 size_t lo, size_t hi, size_t dlen,
			 const struct chg_node *node, const git_oid *head_id,
			 sr_gitx_path_fn fn, void *payload)
{
	git_tree *head = NULL;
	size_t i = lo, hint = SIZE_MAX;
	int r = 0;

	if (node && node->valid && head_id &&
	    !memcmp(node->oid, head_id->id, 20))
		return 0;	/* unchanged since HEAD: not even read */
	if (head_id && G(git_tree_lookup)(&head, g->repo, head_id) < 0)
		return chg_git_fail("cannot read a tree of HEAD");
	while (i < hi && !r) {
		const struct chg_entry *e = &x->e[i];
		const char *rest = e->path + dlen;
		const char *slash = memchr(rest, '/', e->len - dlen);

		if (!slash) {
			const git_tree_entry *te = head ?
				G(git_tree_entry_byname)(head, rest) : NULL;

			if (e->stage == 0 && chg_is_blob_mode(e->mode) &&
			    (!te || G(git_tree_entry_filemode)(te) != e->mode ||
			     memcmp(G(git_tree_entry_id)(te)->id, e->oid, 20)))
				r = fn(payload, e->path, NULL,
				       te ? SR_GITX_MODIFIED : SR_GITX_ADDED);
			i++;
		} else {
			size_t clen = (size_t)(slash - rest);
			size_t j = chg_dir_end(x, i, hi, dlen + clen + 1);
			const struct chg_node *child =
				chg_child(x, node, rest, clen, &hint);
			const git_tree_entry *te = NULL;
			char name[256];

			if (head && clen < sizeof(name)) {
				memcpy(name, rest, clen);
				name[clen] = '\0';
				te = G(git_tree_entry_byname)(head, name);
				if (te && G(git_tree_entry_type)(te) != GIT_OBJECT_TREE)
					te = NULL;
			}
			r = chg_check_dir(g, x, i, j, dlen + clen + 1, child,
					  te ? G(git_tree_entry_id)(te) : NULL,
					  fn, payload);
			i = j;
		}
	}
	G(git_tree_free)(head);
	return r;
}

static int chg_staged_fast(struct sr_gitx *g, const struct chg_index *x,
			   sr_gitx_path_fn fn, void *payload)
{
	git_tree *head = NULL;
	int r;

	if (chg_head_tree(g, &head) < 0)
		return SR_ERROR;
	r = chg_check_dir(g, x, 0, x->n, 0, x->n_nodes ? &x->nodes[0] : NULL,
			  head ? G(git_tree_id)(head) : NULL, fn, payload);
	G(git_tree_free)(head);
	return r;
}

int sr_gitx_staged(struct sr_gitx *g, sr_gitx_path_fn fn, void *payload)
{
	git_diff_options o;
	git_diff *diff = NULL;
	git_tree *tree = NULL;
	git_index *index;
	struct chg_index *x = chg_fast(g);
	int r;

	if (x)
		return chg_staged_fast(g, x, fn, payload);
	index = chg_get_index(g);
	if (!index)
		return SR_ERROR;
	if (chg_head_tree(g, &tree) < 0)
		return SR_ERROR;
	chg_diff_opts(&o);
	if (G(git_diff_tree_to_index)(&diff, g->repo, tree, index, &o) < 0)
		r = chg_git_fail("cannot compare the index with HEAD");
	else
		r = chg_each_delta(diff, fn, payload);
	G(git_diff_free)(diff);
	G(git_tree_free)(tree);
	return r;
}

/* The commit 'spec' names, SR_ENOTFOUND with a message when none. */
static int chg_resolve_commit(struct sr_gitx *g, const char *spec,
			  git_commit **out)
{
	git_object *obj = NULL;
	int r;

	if (G(git_revparse_single)(&obj, g->repo, spec) < 0) {
		G(git_error_clear)();
		sr_error_set("unknown revision '%s'", spec);
		return SR_ENOTFOUND;
	}
	r = G(git_object_peel)((git_object **)out, obj, GIT_OBJECT_COMMIT);
	G(git_object_free)(obj);
	if (r < 0) {
		G(git_error_clear)();
		sr_error_set("'%s' does not name a commit", spec);
		return SR_ENOTFOUND;
	}
	return 0;
}

int sr_gitx_changed_since(struct sr_gitx *g, const char *rev, bool worktree,
			  sr_gitx_path_fn fn, void *payload)
{
	git_commit *head = NULL, *other = NULL, *base_commit = NULL;
	git_tree *base = NULL, *head_t = NULL;
	git_diff *diff = NULL;
	git_diff_options o;
	git_oid base_oid;
	int r;

	r = chg_resolve_commit(g, "HEAD", &head);
	if (r < 0) {
		sr_error_set("HEAD has no commit to compare with '%s'", rev);
		return SR_ENOTFOUND;
	}
	r = chg_resolve_commit(g, rev, &other);
	if (r < 0)
		goto done;
	if (G(git_merge_base)(&base_oid, g->repo, G(git_commit_id)(head),
			   G(git_commit_id)(other)) < 0) {
		G(git_error_clear)();
		sr_error_set("no merge base between '%s' and HEAD%s", rev,
			     G(git_repository_is_shallow)(g->repo) ?
			     " in this shallow clone (fetch more history, "
			     "e.g. 'git fetch --unshallow')" : "");
		r = SR_ENOTFOUND;
		goto done;
	}
	if (G(git_commit_lookup)(&base_commit, g->repo, &base_oid) < 0 ||
	    G(git_commit_tree)(&base, base_commit) < 0 ||
	    G(git_commit_tree)(&head_t, head) < 0) {
		r = chg_git_fail("cannot read the merge base");
		goto done;
	}
	chg_diff_opts(&o);
	if (worktree) {
		o.flags |= GIT_DIFF_INCLUDE_UNTRACKED |
			   GIT_DIFF_RECURSE_UNTRACKED_DIRS;
		r = G(git_diff_tree_to_workdir_with_index)(&diff, g->repo, base,
							&o);
	} else {
		r = G(git_diff_tree_to_tree)(&diff, g->repo, base, head_t, &o);
	}
	if (r < 0)
		r = chg_git_fail("cannot compute the changes");
	else
		r = chg_each_delta(diff, fn, payload);
done:
	G(git_diff_free)(diff);
	G(git_tree_free)(base);
	G(git_tree_free)(head_t);
	G(git_commit_free)(base_commit);
	G(git_commit_free)(other);
	G(git_commit_free)(head);
	return r;
}

bool sr_gitx_index_has(struct sr_gitx *g, const char *relpath)
{
	struct chg_index *x = chg_fast(g);
	git_index *index;

	if (x)
		return chg_fast_get(x, relpath) != NULL;
	index = chg_get_index(g);

	return index && G(git_index_get_bypath)(index, relpath, 0) != NULL;
}

int sr_gitx_index_list(struct sr_gitx *g, const char *dir,
		       int (*fn)(void *payload, const char *relpath),
		       void *payload)
{
	struct chg_index *x = chg_fast(g);
	git_index *index;
	size_t dlen = strlen(dir), pos = 0, n;
	int r;

	if (x) {
		sr_buf_reset(&g->scratch);
		if (dlen)
			sr_buf_addf(&g->scratch, "%s/", dir);
		for (pos = chg_lower_bound(x, sr_buf_cstr(&g->scratch));
		     pos < x->n; pos++) {
			const struct chg_entry *e = &x->e[pos];

			if (dlen && (e->len <= dlen ||
				     strncmp(e->path, dir, dlen) != 0 ||
				     e->path[dlen] != '/'))
				break;
			if (e->stage != 0 || !chg_is_blob_mode(e->mode))
				continue;
			r = fn(payload, e->path);
			if (r)
				return r;
		}
		return 0;
	}
	index = chg_get_index(g);
	if (!index)
		return SR_ERROR;
	n = G(git_index_entrycount)(index);
	if (dlen) {
		/* entries are sorted by path: start at the first below dir/ */
		sr_buf_reset(&g->scratch);
		sr_buf_adds(&g->scratch, dir);
		sr_buf_addc(&g->scratch, '/');
		if (G(git_index_find_prefix)(&pos, index,
					  sr_buf_cstr(&g->scratch)) < 0) {
			G(git_error_clear)();
			return 0;
		}
	}
	for (; pos < n; pos++) {
		const git_index_entry *e = G(git_index_get_byindex)(index, pos);

		if (dlen && (strncmp(e->path, dir, dlen) != 0 ||
			     e->path[dlen] != '/'))
			break;
		if (G(git_index_entry_stage)(e) != 0 ||
		    (e->mode != GIT_FILEMODE_BLOB &&
		     e->mode != GIT_FILEMODE_BLOB_EXECUTABLE))
			continue;
		r = fn(payload, e->path);
		if (r)
			return r;
	}
	return 0;
}

int sr_gitx_index_read(struct sr_gitx *g, const char *relpath, char **out,
		       size_t *len, size_t limit)
{
	struct chg_index *x = chg_fast(g);
	git_index *index;
	const git_index_entry *e = NULL;
	const struct chg_entry *fe = NULL;
	git_blob *blob = NULL;
	git_object_size_t size;
	git_oid id;

	*out = NULL;
	*len = 0;
	if (x) {
		fe = chg_fast_get(x, relpath);
	} else {
		index = chg_get_index(g);
		if (!index)
			return SR_ERROR;
		e = G(git_index_get_bypath)(index, relpath, 0);
	}
	if (!e && !fe) {
		sr_error_set("'%s' is not in the index", relpath);
		return SR_ENOTFOUND;
	}
	if (fe)
		G(git_oid_fromraw)(&id, fe->oid);
	else
		G(git_oid_cpy)(&id, &e->id);
	if (G(git_blob_lookup)(&blob, g->repo, &id) < 0) {
		sr_buf_reset(&g->scratch);
		sr_buf_addf(&g->scratch, "cannot read staged '%s'", relpath);
		return chg_git_fail(sr_buf_cstr(&g->scratch));
	}
	size = G(git_blob_rawsize)(blob);
	*len = (size_t)size;
	if (size > limit) {
		G(git_blob_free)(blob);
		return SR_ETOOLARGE;
	}
	*out = sr_xmalloc((size_t)size + 1);
	memcpy(*out, G(git_blob_rawcontent)(blob), (size_t)size);
	(*out)[size] = '\0';
	G(git_blob_free)(blob);
	return 0;
}

char *sr_gitx_config_string(const char *path, const char *name)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	git_buf buf = { 0 };
	char *out = NULL;
	int rc;

	if (!gitx_init_once())
		return NULL;
	if (G(git_repository_open_ext)(&repo, path, 0, NULL) == 0)
		rc = G(git_repository_config_snapshot)(&cfg, repo);
	else
		rc = G(git_config_open_default)(&cfg);
	if (rc == 0 && G(git_config_get_string_buf)(&buf, cfg, name) == 0 &&
	    buf.ptr && *buf.ptr)
		out = sr_xstrdup(buf.ptr);
	G(git_buf_dispose)(&buf);
	G(git_config_free)(cfg);
	G(git_repository_free)(repo);
	return out;
}

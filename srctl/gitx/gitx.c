#include "gitx/gitx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <git2.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "base/banned.h"

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
};

static void gitx_init_once(void)
{
	static bool done;

	if (!done) {
		git_libgit2_init();
		done = true;
	}
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
		    git_repository_commondir(g->repo));
	load_tails(g, &g->global, sr_buf_cstr(&g->scratch));
	if (strcmp(git_repository_commondir(g->repo),
		   git_repository_path(g->repo)) != 0) {
		sr_buf_reset(&g->scratch);
		sr_buf_addf(&g->scratch, "%sinfo/exclude",
			    git_repository_path(g->repo));
		load_tails(g, &g->global, sr_buf_cstr(&g->scratch));
	}

	if (git_repository_config_snapshot(&cfg, g->repo) < 0) {
		g->prefilter = false;
		goto done;
	}
	if (git_config_get_path(&val, cfg, "core.excludesfile") == 0) {
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
	git_buf_dispose(&val);
	git_config_free(cfg);
	git_error_clear();
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

struct sr_gitx *sr_gitx_open(const char *path)
{
	git_repository *repo = NULL;
	struct sr_gitx *g = NULL;
	const char *wd;
	char *real = NULL;
	size_t len;

	gitx_init_once();
	if (git_repository_open_ext(&repo, path, 0, NULL) < 0)
		goto done;
	if (git_repository_is_bare(repo))
		goto done;
	wd = git_repository_workdir(repo);
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
	git_repository_free(repo);
	git_error_clear();
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
		if (git_ignore_path_is_ignored(&ignored, g->repo,
					       sr_buf_cstr(&g->rel)) < 0) {
			git_error_clear();
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
	git_repository_free(g->repo);
	free(g->workdir);
	free(g);
}

char *sr_gitx_config_string(const char *path, const char *name)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	git_buf buf = { 0 };
	char *out = NULL;
	int rc;

	gitx_init_once();
	if (git_repository_open_ext(&repo, path, 0, NULL) == 0)
		rc = git_repository_config_snapshot(&cfg, repo);
	else
		rc = git_config_open_default(&cfg);
	if (rc == 0 && git_config_get_string_buf(&buf, cfg, name) == 0 &&
	    buf.ptr && *buf.ptr)
		out = sr_xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	git_config_free(cfg);
	git_repository_free(repo);
	return out;
}

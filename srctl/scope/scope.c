#include "scope/scope.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/glob.h"
#include "base/xmalloc.h"
#include "gitx/gitx.h"
#include "base/banned.h"

struct strs {
	char **v;
	size_t n;
	size_t cap;
};

struct sr_scope {
	const struct sr_scope_opts *o;
	struct sr_gitx *git;
	const char *top;	/* the work tree, borrowed from git */
	char **limits;		/* --staged PATH...: relative to top */
	size_t nlimits;
	struct strs targets;	/* sorted, unique once collected */
	struct strs dirs;	/* service directories for context */
	struct strs files;	/* targets and context, sorted, unique */
	struct sr_buf tmp;
};

static void strs_add(struct strs *s, const char *v)
{
	s->v = sr_xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = sr_xstrdup(v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strs_sort_unique(struct strs *s)
{
	size_t i, k = 0;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_str);
	for (i = 1; i < s->n; i++) {
		if (!strcmp(s->v[i], s->v[k]))
			free(s->v[i]);
		else
			s->v[++k] = s->v[i];
	}
	s->n = k + 1;
}

static bool strs_has(const struct strs *s, const char *v)
{
	return s->n && bsearch(&v, s->v, s->n, sizeof(*s->v), cmp_str);
}

static void strs_release(struct strs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* 'abs' relative to directory 'dir' (both absolute), or NULL. */
static const char *below(const char *abs, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return abs + 1;
	if (strncmp(abs, dir, n) != 0)
		return NULL;
	if (abs[n] == '\0')
		return "";
	return abs[n] == '/' ? abs + n + 1 : NULL;
}

/* Turn the PATH arguments into paths relative to the work tree's top. */
static int set_limits(struct sr_scope *s)
{
	char *cwd = getcwd(NULL, 0);
	char *real;
	int i;

	if (!cwd) {
		sr_error_set("cannot read the current directory: %s",
			     strerror(errno));
		return SR_ERROR;
	}
	/* the top is a realpath: compare with the real current directory */
	real = realpath(cwd, NULL);
	free(cwd);
	if (!real) {
		sr_error_set("cannot resolve the current directory: %s",
			     strerror(errno));
		return SR_ERROR;
	}
	s->limits = sr_xcalloc((size_t)s->o->npaths + 1, sizeof(*s->limits));
	for (i = 0; i < s->o->npaths; i++) {
		const char *arg = s->o->paths[i], *rel;
		struct sr_buf abs = SR_BUF_INIT;

		if (arg[0] != '/')
			sr_buf_addf(&abs, "%s/", real);
		sr_buf_adds(&abs, arg);
		sr_fs_normalise(abs.ptr);
		rel = below(abs.ptr, s->top);
		if (!rel) {
			sr_error_set("'%s' is outside the repository at '%s'",
				     arg, s->top);
			sr_buf_release(&abs);
			free(real);
			return SR_EINVALID;
		}
		s->limits[s->nlimits++] = sr_xstrdup(rel);
		sr_buf_release(&abs);
	}
	free(real);
	return 0;
}

static bool under_limits(const struct sr_scope *s, const char *relpath)
{
	size_t i;

	if (!s->nlimits)
		return true;
	for (i = 0; i < s->nlimits; i++) {
		const char *l = s->limits[i];
		size_t n = strlen(l);

		if (!n || (!strncmp(relpath, l, n) &&
			   (relpath[n] == '\0' || relpath[n] == '/')))
			return true;
	}
	return false;
}

static bool any_glob(char **globs, size_t n, const char *rel)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sr_glob_match(globs[i], rel, false))
			return true;
	return false;
}

/* The walker's rules for a file: a wanted name, included, not excluded. */
static bool selected(struct sr_scope *s, const char *relpath)
{
	const struct sr_config *c = s->o->config;
	const char *name = strrchr(relpath, '/'), *rel;

	name = name ? name + 1 : relpath;
	if (s->o->want && !s->o->want(name))
		return false;
	if (!c || !c->dir)
		return true;
	sr_buf_reset(&s->tmp);
	sr_buf_addf(&s->tmp, "%s/%s", s->top, relpath);
	rel = below(sr_buf_cstr(&s->tmp), c->dir);
	if (!rel)
		return true;	/* outside the configuration's directory */
	if (c->n_include && !any_glob(c->include, c->n_include, rel))
		return false;
	return !any_glob(c->exclude, c->n_exclude, rel);
}

bool sr_scope_exists(struct sr_scope *s, const char *relpath)
{
	if (s->o->staged)
		return sr_gitx_index_has(s->git, relpath);
	sr_buf_reset(&s->tmp);
	sr_buf_addf(&s->tmp, "%s/%s", s->top, relpath);
	return access(sr_buf_cstr(&s->tmp), F_OK) == 0;
}

static int on_change(void *payload, const char *path, const char *old_path,
		     enum sr_gitx_status kind)
{
	struct sr_scope *s = payload;

	(void)old_path;	/* a rename's old path is gone: not checked */
	if (kind == SR_GITX_DELETED)
		return 0;
	if (under_limits(s, path) && selected(s, path))
		strs_add(&s->targets, path);
	return 0;
}

/*
 * The service a target belongs to: the deepest directory above it that
 * holds a timeout contract (where the scope reads from). The contract
 * itself makes its own directory a service.
 */
static void add_service_dir(struct sr_scope *s, const char *relpath)
{
	static const char *const contracts[] = { "timeout.yaml",
						 "timeout.yml" };
	struct sr_buf dir = SR_BUF_INIT, probe = SR_BUF_INIT;
	const char *slash = strrchr(relpath, '/');
	size_t k;

	sr_buf_add(&dir, relpath, slash ? (size_t)(slash - relpath) : 0);
	for (;;) {
		for (k = 0; k < 2; k++) {
			sr_buf_reset(&probe);
			if (dir.len)
				sr_buf_addf(&probe, "%s/", sr_buf_cstr(&dir));
			sr_buf_adds(&probe, contracts[k]);
			if (sr_scope_exists(s, sr_buf_cstr(&probe))) {
				strs_add(&s->dirs, sr_buf_cstr(&dir));
				goto done;
			}
		}
		if (!dir.len)
			break;
		slash = strrchr(sr_buf_cstr(&dir), '/');
		dir.len = slash ? (size_t)(slash - dir.ptr) : 0;
		dir.ptr[dir.len] = '\0';
	}
done:
	sr_buf_release(&dir);
	sr_buf_release(&probe);
}

static int add_context(void *payload, const char *relpath)
{
	struct sr_scope *s = payload;

	if (selected(s, relpath) &&
	    (s->o->staged || sr_scope_exists(s, relpath)))
		strs_add(&s->files, relpath);
	return 0;
}

bool sr_scope_args_ok(const char *cmd, bool staged, const char *since,
		      bool worktree)
{
	if (staged && since) {
		fprintf(stderr, "srctl %s: --staged and --changed-since cannot be used together\n",
			cmd);
		return false;
	}
	if (worktree && !since) {
		fprintf(stderr, "srctl %s: --include-worktree needs --changed-since\n",
			cmd);
		return false;
	}
	if (since && !*since) {
		fprintf(stderr, "srctl %s: --changed-since needs a revision\n",
			cmd);
		return false;
	}
	return true;
}

int sr_scope_open(struct sr_scope **out, const struct sr_scope_opts *o)
{
	struct sr_scope *s = sr_xcalloc(1, sizeof(*s));
	size_t i;
	int r;

	*out = NULL;
	s->o = o;
	s->git = sr_gitx_open(".");
	if (!s->git) {
		sr_error_set("not inside a git work tree: %s needs a repository",
			     o->staged ? "--staged" : "--changed-since");
		sr_scope_free(s);
		return SR_ENOTFOUND;
	}
	s->top = sr_gitx_workdir(s->git);
	r = set_limits(s);
	if (r == 0)
		r = o->staged ? sr_gitx_staged(s->git, on_change, s) :
			sr_gitx_changed_since(s->git, o->rev, o->worktree,
					      on_change, s);
	if (r < 0) {
		sr_scope_free(s);
		return r;
	}
	strs_sort_unique(&s->targets);
	for (i = 0; i < s->targets.n; i++) {
		if (!o->no_context)
			add_service_dir(s, s->targets.v[i]);
		strs_add(&s->files, s->targets.v[i]);
	}
	strs_sort_unique(&s->dirs);
	for (i = 0; i < s->dirs.n; i++) {
		/* a service below another is part of its listing already */
		if (i && !strncmp(s->dirs.v[i], s->dirs.v[i - 1],
				  strlen(s->dirs.v[i - 1])) &&
		    (!*s->dirs.v[i - 1] ||
		     s->dirs.v[i][strlen(s->dirs.v[i - 1])] == '/'))
			continue;
		r = sr_gitx_index_list(s->git, s->dirs.v[i], add_context, s);
		if (r < 0) {
			sr_scope_free(s);
			return r;
		}
	}
	strs_sort_unique(&s->files);
	*out = s;
	return 0;
}

int sr_scope_each(struct sr_scope *s,
		  int (*fn)(void *payload, const char *relpath, bool target),
		  void *payload)
{
	size_t i;
	int r;

	for (i = 0; i < s->files.n; i++) {
		r = fn(payload, s->files.v[i],
		       strs_has(&s->targets, s->files.v[i]));
		if (r)
			return r;
	}
	return 0;
}

const char *sr_scope_top(const struct sr_scope *s)
{
	return s->top;
}

bool sr_scope_is_target(const struct sr_scope *s, const char *relpath)
{
	return strs_has(&s->targets, relpath);
}

size_t sr_scope_ntargets(const struct sr_scope *s)
{
	return s->targets.n;
}

int sr_scope_read(void *scope, const char *path, const char *relpath,
		  char **out, size_t *len, size_t limit)
{
	struct sr_scope *s = scope;

	(void)path;
	if (s->o->staged)
		return sr_gitx_index_read(s->git, relpath, out, len, limit);
	sr_buf_reset(&s->tmp);
	sr_buf_addf(&s->tmp, "%s/%s", s->top, relpath);
	return sr_fs_read(out, len, sr_buf_cstr(&s->tmp), limit);
}

void sr_scope_free(struct sr_scope *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nlimits; i++)
		free(s->limits[i]);
	free(s->limits);
	strs_release(&s->targets);
	strs_release(&s->dirs);
	strs_release(&s->files);
	sr_buf_release(&s->tmp);
	sr_gitx_free(s->git);
	free(s);
}

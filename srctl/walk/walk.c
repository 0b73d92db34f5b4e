#include "walk/walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/glob.h"
#include "base/xmalloc.h"
#include "gitx/gitx.h"
#include "base/banned.h"

#define MAX_DEPTH 256
#define NO_OFFSET ((size_t)-1)

struct dir_id {
	dev_t dev;
	ino_t ino;
};

/* The state of one sr_walk() call. */
struct walker {
	const struct sr_walk_opts *o;
	char *cfg_dir;		/* realpath of config->dir, or NULL */
	size_t cfg_dir_len;
	struct sr_gitx **repos;	/* opened work trees, reused across roots */
	size_t n_repos;
	size_t cap_repos;

	/* per root */
	struct sr_buf disp;	/* the path shown and opened */
	size_t rel_off;		/* where relpath starts in disp */
	struct sr_buf abs;	/* realpath(root) + '/' + relpath */
	size_t cfg_off;		/* config-relative path in abs, or NO_OFFSET */
	const char *root_real;	/* realpath(root) */
	size_t root_real_len;
	struct sr_gitx *git;	/* NULL: .gitignore does not apply */
	bool use_exclude;
	struct dir_id stack[MAX_DEPTH + 2];
	int depth;
};

struct entry {
	const char *name;
	unsigned char type;	/* DT_* */
};

static void buf_truncate(struct sr_buf *b, size_t len)
{
	if (b->ptr) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

/* Append '/' + name unless the path is empty (or just "/"). */
static void buf_push(struct sr_buf *b, const char *name)
{
	if (b->len && b->ptr[b->len - 1] != '/')
		sr_buf_addc(b, '/');
	sr_buf_adds(b, name);
}

/*
 * The path as the user should see it: no "." components, no duplicate or
 * trailing slashes. "." and "./" become "" (children show as "svc/a.yaml").
 */
static void normalise(struct sr_buf *out, const char *path)
{
	const char *p = path;

	if (*p == '/')
		sr_buf_addc(out, '/');
	while (*p) {
		const char *end;
		size_t n;

		while (*p == '/')
			p++;
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n && !(n == 1 && p[0] == '.')) {
			if (out->len && out->ptr[out->len - 1] != '/')
				sr_buf_addc(out, '/');
			sr_buf_add(out, p, n);
		}
		p += n;
	}
}

static void note(struct walker *w, const char *path, const char *why)
{
	if (w->o->on_note)
		w->o->on_note(w->o->payload, *path ? path : ".", why);
}

static const char *cfg_rel(const struct walker *w)
{
	if (w->cfg_off == NO_OFFSET)
		return NULL;
	return w->cfg_off > w->abs.len ? "" : w->abs.ptr + w->cfg_off;
}

static bool any_glob(char **globs, size_t n, const char *rel, bool is_dir)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (sr_glob_match(globs[i], rel, is_dir))
			return true;
	}
	return false;
}

static bool excluded(const struct walker *w, bool is_dir)
{
	const struct sr_config *c = w->o->config;
	const char *rel = cfg_rel(w);

	if (!c || !w->use_exclude || !rel || !*rel)
		return false;
	return any_glob(c->exclude, c->n_exclude, rel, is_dir);
}

static bool included(const struct walker *w)
{
	const struct sr_config *c = w->o->config;
	const char *rel = cfg_rel(w);

	if (!c || !c->n_include || !rel)
		return true;
	return any_glob(c->include, c->n_include, rel, false);
}

bool sr_walk_config_admits(const struct sr_config *c, const char *relpath)
{
	const char *slash;

	if (!c)
		return true;
	if (c->n_include && !any_glob(c->include, c->n_include, relpath, false))
		return false;
	for (slash = strchr(relpath, '/'); slash; slash = strchr(slash + 1, '/')) {
		char *dir = sr_xstrndup(relpath, (size_t)(slash - relpath));
		bool out = any_glob(c->exclude, c->n_exclude, dir, true);

		free(dir);
		if (out)
			return false;
	}
	return !any_glob(c->exclude, c->n_exclude, relpath, false);
}

static bool ignored(struct walker *w, bool is_dir)
{
	return w->git && sr_gitx_ignored(w->git, w->abs.ptr, is_dir);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Is realpath 'real' the root or below it? */
static bool inside_root(const struct walker *w, const char *real)
{
	size_t n = w->root_real_len;

	if (n == 1)	/* the root is "/" */
		return true;
	return strncmp(real, w->root_real, n) == 0 &&
	       (real[n] == '\0' || real[n] == '/');
}

static int walk_dir(struct walker *w);

static int visit_file(struct walker *w, const char *name)
{
	struct sr_walk_file f;

	if (w->o->want && !w->o->want(name))
		return 0;
	if (!included(w) || excluded(w, false) || ignored(w, false))
		return 0;
	f.path = w->disp.ptr;
	f.relpath = w->disp.ptr + w->rel_off;
	f.name = name;
	f.explicit_arg = false;
	return w->o->on_file ? w->o->on_file(w->o->payload, &f) : 0;
}

/*
 * A symlink: follow it only to something inside the root. Sets *type to
 * the target's DT_DIR / DT_REG, or returns false after a note.
 */
static bool follow_link(struct walker *w, unsigned char *type)
{
	struct stat st;
	char *real;
	bool ok;

	if (stat(w->disp.ptr, &st) < 0) {
		note(w, w->disp.ptr, errno == ELOOP ? "symlink loop" :
		     errno == ENOENT ? "broken symlink" : strerror(errno));
		return false;
	}
	real = realpath(w->disp.ptr, NULL);
	if (!real) {
		note(w, w->disp.ptr, strerror(errno));
		return false;
	}
	ok = inside_root(w, real);
	free(real);
	if (!ok) {
		note(w, w->disp.ptr, "symlink points outside the root");
		return false;
	}
	*type = S_ISDIR(st.st_mode) ? DT_DIR :
		S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
	return true;
}

static int visit_entry(struct walker *w, const struct entry *e)
{
	unsigned char type = e->type;

	if (strcmp(e->name, ".git") == 0)
		return 0;
	if (type == DT_UNKNOWN) {
		struct stat st;

		if (lstat(w->disp.ptr, &st) < 0) {
			note(w, w->disp.ptr, strerror(errno));
			return 0;
		}
		type = S_ISDIR(st.st_mode) ? DT_DIR :
		       S_ISREG(st.st_mode) ? DT_REG :
		       S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
	}
	if (type == DT_LNK) {
		/* what git ignores is the link, not its target */
		if (ignored(w, false))
			return 0;
		if (!follow_link(w, &type))
			return 0;
	}
	if (type == DT_REG)
		return visit_file(w, e->name);
	if (type != DT_DIR)
		return 0;	/* fifos, sockets, devices: never policy */
	if (excluded(w, true) || ignored(w, true))
		return 0;
	if (w->depth > MAX_DEPTH) {
		note(w, w->disp.ptr,
		     "directory nesting deeper than 256 levels");
		return 0;
	}
	return walk_dir(w);
}

/* Walk the directory at w->disp, a directory 'w->depth' levels down. */
static int walk_dir(struct walker *w)
{
	const char *path = w->disp.len ? w->disp.ptr : ".";
	size_t disp_len = w->disp.len, abs_len = w->abs.len;
	struct entry *ents = NULL;
	size_t n = 0, cap = 0, i;
	struct sr_buf names = SR_BUF_INIT;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = 0, k;

	d = opendir(path);
	if (!d) {
		note(w, w->disp.ptr ? w->disp.ptr : "", strerror(errno));
		return 0;
	}
	if (fstat(dirfd(d), &st) == 0) {
		for (k = 0; k < w->depth; k++) {
			if (w->stack[k].dev == st.st_dev &&
			    w->stack[k].ino == st.st_ino) {
				note(w, path, "symlink loop");
				goto done;
			}
		}
		w->stack[w->depth].dev = st.st_dev;
		w->stack[w->depth].ino = st.st_ino;
	}

	/* names go into one buffer, by offset, until the reading is over */
	for (;;) {
		const char *nm;

		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		nm = de->d_name;

		if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
			continue;
		ents = sr_xgrow(ents, &cap, n + 1, sizeof(*ents));
		ents[n].name = (const char *)(uintptr_t)names.len;
		ents[n].type = de->d_type;
		n++;
		sr_buf_add(&names, nm, strlen(nm) + 1);
	}
	if (errno) {
		note(w, path, strerror(errno));
		goto done;
	}
	for (i = 0; i < n; i++)
		ents[i].name = names.ptr + (uintptr_t)ents[i].name;
	if (n)	/* an empty directory: ents is NULL, which qsort may not get */
		qsort(ents, n, sizeof(*ents), cmp_entry);

	w->depth++;
	for (i = 0; i < n && rc == 0; i++) {
		buf_push(&w->disp, ents[i].name);
		buf_push(&w->abs, ents[i].name);
		rc = visit_entry(w, &ents[i]);
		buf_truncate(&w->disp, disp_len);
		buf_truncate(&w->abs, abs_len);
	}
	w->depth--;
done:
	closedir(d);
	free(ents);
	sr_buf_release(&names);
	return rc;
}

/* The repository for 'real', reusing one already open for the same tree. */
static struct sr_gitx *repo_for(struct walker *w, const char *real)
{
	struct sr_gitx *g;
	char *top = sr_gitx_find_top(real);
	size_t i;

	/* outside any work tree, libgit2 need not start at all */
	if (!top)
		return NULL;
	free(top);
	g = sr_gitx_open(real);
	if (!g)
		return NULL;
	for (i = 0; i < w->n_repos; i++) {
		if (strcmp(sr_gitx_workdir(w->repos[i]),
			   sr_gitx_workdir(g)) == 0) {
			sr_gitx_free(g);
			return w->repos[i];
		}
	}
	w->repos = sr_xgrow(w->repos, &w->cap_repos, w->n_repos + 1,
			    sizeof(*w->repos));
	w->repos[w->n_repos++] = g;
	return g;
}

static int walk_root(struct walker *w, const char *arg)
{
	char *real = NULL;
	int rc = 0;

	sr_buf_reset(&w->disp);
	sr_buf_reset(&w->abs);
	normalise(&w->disp, arg);
	w->rel_off = w->disp.len;
	if (w->disp.len && w->disp.ptr[w->disp.len - 1] != '/')
		w->rel_off++;

	real = realpath(w->disp.len ? w->disp.ptr : ".", NULL);
	if (!real) {
		note(w, w->disp.len ? w->disp.ptr : ".", strerror(errno));
		return 0;
	}
	sr_buf_adds(&w->abs, real);
	w->root_real = real;
	w->root_real_len = w->abs.len;

	/* config globs: the root's path relative to the config's directory */
	w->cfg_off = NO_OFFSET;
	if (w->cfg_dir) {
		size_t n = w->cfg_dir_len;

		if (n == 1)
			w->cfg_off = 1;
		else if (strncmp(real, w->cfg_dir, n) == 0 &&
			 (real[n] == '/' || real[n] == '\0'))
			w->cfg_off = n + 1;
	}
	/* a root named explicitly is walked even if excluded or ignored */
	w->use_exclude = true;
	if (excluded(w, true))
		w->use_exclude = false;
	w->git = NULL;
	if (w->o->use_gitignore) {
		w->git = repo_for(w, real);
		if (w->git && sr_gitx_ignored(w->git, real, true))
			w->git = NULL;
	}

	w->depth = 0;
	rc = walk_dir(w);
	w->root_real = NULL;
	free(real);
	return rc;
}

static int visit_named_file(struct walker *w, const char *arg)
{
	struct sr_walk_file f;
	const char *base;

	sr_buf_reset(&w->disp);
	normalise(&w->disp, arg);
	base = strrchr(w->disp.ptr, '/');
	base = base ? base + 1 : w->disp.ptr;
	f.path = w->disp.ptr;
	f.relpath = base;
	f.name = base;
	f.explicit_arg = true;
	return w->o->on_file ? w->o->on_file(w->o->payload, &f) : 0;
}

int sr_walk(const char *const *paths, int n, const struct sr_walk_opts *opts)
{
	static const char *const dot[] = { "." };
	struct walker w;
	struct stat st;
	int rc = 0, i;
	size_t k;

	if (n <= 0) {
		paths = dot;
		n = 1;
	}
	/* every named path must exist before anything is reported */
	for (i = 0; i < n; i++) {
		if (stat(paths[i], &st) < 0) {
			sr_error_set("cannot access '%s': %s", paths[i],
				     strerror(errno));
			return SR_ERROR;
		}
	}

	memset(&w, 0, sizeof(w));
	w.o = opts;
	if (opts->config && opts->config->dir &&
	    (opts->config->n_include || opts->config->n_exclude)) {
		w.cfg_dir = realpath(opts->config->dir, NULL);
		if (w.cfg_dir)
			w.cfg_dir_len = strlen(w.cfg_dir);
	}

	for (i = 0; i < n && rc == 0; i++) {
		if (stat(paths[i], &st) < 0) {
			sr_error_set("cannot access '%s': %s", paths[i],
				     strerror(errno));
			rc = SR_ERROR;
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk_root(&w, paths[i]);
		} else {
			rc = visit_named_file(&w, paths[i]);
		}
	}

	for (k = 0; k < w.n_repos; k++)
		sr_gitx_free(w.repos[k]);
	free(w.repos);
	free(w.cfg_dir);
	sr_buf_release(&w.disp);
	sr_buf_release(&w.abs);
	return rc;
}

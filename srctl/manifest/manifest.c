#define _POSIX_C_SOURCE 200809L
#include "manifest/manifest.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "manifest/mparse.h"
#include "base/banned.h"

/* Beyond this a manifest is not read (a lockfile of a million entries is
 * well under it). */
#define SR_MANIFEST_MAX_BYTES ((size_t)256 << 20)

struct format {
	const char *name;
	sr_mp_fn parse;
};

static const struct format formats[] = {
	{ "package-lock.json", sr_mp_npm },
	{ "yarn.lock", sr_mp_yarn },
	{ "pnpm-lock.yaml", sr_mp_pnpm },
	{ "go.mod", sr_mp_gomod },
	{ "go.sum", sr_mp_gosum },
	{ "pom.xml", sr_mp_maven },
	{ "gradle.lockfile", sr_mp_gradle_lock },
	{ "build.gradle", sr_mp_gradle_build },
	{ "libs.versions.toml", sr_mp_gradle_toml },
	{ "requirements.txt", sr_mp_pip },
	{ "poetry.lock", sr_mp_poetry },
	{ "Pipfile.lock", sr_mp_pipenv },
	{ "Cargo.lock", sr_mp_cargo },
	{ "Gemfile.lock", sr_mp_bundler },
	{ "composer.lock", sr_mp_composer },
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

const char *sr_manifest_format_for(const char *basename)
{
	const char *b = basename;
	size_t i;

	if (!b)
		return NULL;
	for (i = 0; i < SR_ARRAY_SIZE(formats); i++)
		if (strcmp(b, formats[i].name) == 0)
			return formats[i].name;
	if (strcmp(b, "npm-shrinkwrap.json") == 0)
		return "package-lock.json";
	if (strcmp(b, "buildscript-gradle.lockfile") == 0)
		return "gradle.lockfile";
	if (strcmp(b, "build.gradle.kts") == 0)
		return "build.gradle";
	if (strcmp(b, "gems.locked") == 0)
		return "Gemfile.lock";
	/* requirements-dev.txt, dev-requirements.txt, requirements.prod.txt */
	if (ends_with(b, ".txt") && strstr(b, "requirements"))
		return "requirements.txt";
	return NULL;
}

static const struct format *format_named(const char *name)
{
	size_t i;

	for (i = 0; name && i < SR_ARRAY_SIZE(formats); i++)
		if (strcmp(name, formats[i].name) == 0)
			return &formats[i];
	return NULL;
}

static int parse_as(struct sr_manifest **out, const char *format,
		    const char *path, const char *text, size_t len,
		    const char *root, const struct sr_manifest_source *src)
{
	const struct format *f = format_named(format);
	struct sr_manifest *m;
	struct sr_mp p;
	struct sr_pos where;
	char *copy, *dir = NULL;
	size_t n = len, skip;
	enum sr_utf8_problem u;

	*out = NULL;
	if (!f) {
		sr_error_set("'%s': not a known manifest format",
			     format ? format : "(null)");
		return SR_ERROR;
	}
	m = sr_xcalloc(1, sizeof(*m));
	m->path = sr_xstrdup(path);
	m->format = f->name;
	if (!root) {
		const char *slash = strrchr(path, '/');
		dir = slash ? sr_xstrndup(path, (size_t)(slash - path) + 1)
			    : sr_xstrdup(".");
		root = dir;
	}
	p.m = m;
	p.root = root;
	p.fspath = path;
	p.path = NULL;
	p.depth = 0;
	p.src = src;
	/*
	 * Parsers work on NUL-terminated valid UTF-8: text from the first
	 * bad byte's line on is dropped with a problem, so that nothing
	 * downstream (names in JSON reports) sees invalid bytes.
	 */
	u = sr_utf8_check(text, len, &where);
	if (u != SR_UTF8_OK) {
		size_t cut = where.offset;

		if (u == SR_UTF8_UTF16) {
			sr_mp_problem(&p, 1, 1,
				      "UTF-16 or UTF-32 text, not UTF-8");
			cut = 0;
		} else {
			sr_mp_problem(&p, where.line, where.col, "%s",
				      u == SR_UTF8_NUL ? "NUL byte"
						       : "invalid UTF-8");
		}
		while (cut > 0 && text[cut - 1] != '\n')
			cut--;
		n = cut;
	}
	copy = sr_xstrndup(text, n);
	/* a BOM is not part of the first line for editors either */
	skip = n >= 3 && memcmp(copy, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	f->parse(&p, copy + skip, n - skip);
	free(copy);
	free(dir);
	*out = m;
	return 0;
}

int sr_manifest_parse_as(struct sr_manifest **out, const char *format,
			 const char *path, const char *text, size_t len,
			 const char *root)
{
	return parse_as(out, format, path, text, len, root, NULL);
}

static const char *format_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *format = sr_manifest_format_for(slash ? slash + 1 : path);

	if (!format)
		sr_error_set("'%s': not a known manifest file name", path);
	return format;
}

int sr_manifest_parse(struct sr_manifest **out, const char *path,
		      const char *text, size_t len, const char *root)
{
	const char *format = format_of(path);

	*out = NULL;
	if (!format)
		return SR_ERROR;
	return parse_as(out, format, path, text, len, root, NULL);
}

int sr_manifest_parse_from(struct sr_manifest **out, const char *relpath,
			   const char *text, size_t len,
			   const struct sr_manifest_source *src)
{
	const char *format = format_of(relpath);

	*out = NULL;
	if (!format)
		return SR_ERROR;
	return parse_as(out, format, relpath, text, len, ".", src);
}

int sr_manifest_parse_file(struct sr_manifest **out, const char *path,
			   const char *root)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	rc = sr_fs_read(&text, &len, path, SR_MANIFEST_MAX_BYTES);
	if (rc == SR_ETOOLARGE) {
		sr_error_set("cannot read '%s': larger than %zu MiB", path,
			     SR_MANIFEST_MAX_BYTES >> 20);
		return SR_ERROR;
	}
	if (rc)
		return SR_ERROR;
	rc = sr_manifest_parse(out, path, text, len, root);
	free(text);
	return rc;
}

void sr_manifest_free(struct sr_manifest *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->deps[i].name);
		free(m->deps[i].version);
	}
	for (i = 0; i < m->n_problems; i++)
		free(m->problems[i].message);
	for (i = 0; i < m->n_files; i++)
		free(m->files[i]);
	free(m->deps);
	free(m->problems);
	free(m->files);
	free(m->path);
	free(m);
}

/* Shared helpers (mparse.h). */

void sr_mp_dep(struct sr_mp *p, enum sr_ecosystem eco, const char *name,
	       size_t nlen, const char *version, size_t vlen, unsigned line,
	       unsigned col, int direct)
{
	struct sr_manifest *m = p->m;
	struct sr_dep *d;

	if (m->n == m->cap_deps)
		m->deps = sr_xgrow(m->deps, &m->cap_deps, m->n + 1,
				   sizeof(*m->deps));
	d = &m->deps[m->n++];
	d->ecosystem = sr_ecosystem_name(eco);
	d->eco = eco;
	d->name = sr_xstrndup(name, nlen);
	d->version = version ? sr_xstrndup(version, vlen) : sr_xstrdup("");
	d->line = line;
	d->col = col;
	d->direct = direct;
	d->path = p->path;
}

void sr_mp_problem(struct sr_mp *p, unsigned line, unsigned col,
		   const char *fmt, ...)
{
	struct sr_manifest *m = p->m;
	struct sr_manifest_problem *pr;
	struct sr_buf b = SR_BUF_INIT;
	va_list ap;

	/* a garbage file could otherwise give one problem per line */
	if (m->n_problems >= 100)
		return;
	m->problems = sr_xrealloc(m->problems,
				  (m->n_problems + 1) * sizeof(*m->problems));
	pr = &m->problems[m->n_problems++];
	va_start(ap, fmt);
	sr_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	pr->path = p->path;
	pr->line = line;
	pr->col = col;
	pr->message = sr_buf_detach(&b);
}

/*
 * 'path' without "." segments and with "dir/.." pairs folded, for
 * messages ("a/child/../pom.xml" is "a/pom.xml"); a leading ".." stays.
 */
static char *tidy(const char *path)
{
	size_t n = strlen(path), o = 0, i = 0;
	char *out = sr_xmalloc(n + 2);
	bool abs = path[0] == '/';

	while (i < n) {
		size_t start = i, len;

		while (i < n && path[i] != '/')
			i++;
		len = i - start;
		i++;
		if (len == 0 || (len == 1 && path[start] == '.'))
			continue;
		if (len == 2 && path[start] == '.' && path[start + 1] == '.') {
			/* drop the last segment unless it is ".." itself */
			size_t last = o;
			while (last > 0 && out[last - 1] != '/')
				last--;
			if (o > 0 && !(o - last == 2 && out[last] == '.' &&
				       out[last + 1] == '.')) {
				o = last > 0 ? last - 1 : 0;
				continue;
			}
			if (o == 0 && abs)
				continue;
		}
		if (o > 0 || abs)
			out[o++] = '/';
		memcpy(out + o, path + start, len);
		o += len;
	}
	if (o == 0)
		out[o++] = abs ? '/' : '.';
	out[o] = '\0';
	return out;
}

const char *sr_mp_keep_path(struct sr_mp *p, const char *path)
{
	struct sr_manifest *m = p->m;

	m->files = sr_xrealloc(m->files, (m->n_files + 1) * sizeof(char *));
	m->files[m->n_files] = tidy(path);
	return m->files[m->n_files++];
}

void sr_mp_set_add(struct sr_mp_set *s, const char *name)
{
	s->v = sr_xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = name;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void sr_mp_set_sort(struct sr_mp_set *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_str);
}

bool sr_mp_set_has(const struct sr_mp_set *s, const char *name)
{
	return s->n && bsearch(&name, s->v, s->n, sizeof(*s->v), cmp_str);
}

void sr_mp_set_free(struct sr_mp_set *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

char *sr_mp_pypi_name(const char *name, size_t len)
{
	char *out = sr_xmalloc(len + 1);
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char c = name[i];
		if (c == '-' || c == '_' || c == '.') {
			if (o == 0 || out[o - 1] != '-')
				out[o++] = '-';
			continue;
		}
		out[o++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[o] = '\0';
	return out;
}

unsigned sr_mp_col(const char *bol, const char *at)
{
	return (unsigned)sr_utf8_count(bol, (size_t)(at - bol)) + 1;
}

void sr_mp_lines_init(struct sr_mp_lines *l, const char *text, size_t len)
{
	l->s = NULL;
	l->len = 0;
	l->no = 0;
	l->next = text;
	l->end = text + len;
}

bool sr_mp_line_next(struct sr_mp_lines *l)
{
	const char *nl;

	if (l->next >= l->end)
		return false;
	l->s = l->next;
	nl = memchr(l->s, '\n', (size_t)(l->end - l->s));
	if (!nl)
		nl = l->end;
	l->len = (size_t)(nl - l->s);
	if (l->len && l->s[l->len - 1] == '\r')
		l->len--;
	l->next = nl < l->end ? nl + 1 : l->end;
	l->no++;
	return true;
}

static void doc_problem(void *payload, const char *rule, struct sr_pos pos,
			const char *message)
{
	(void)rule;
	sr_mp_problem(payload, pos.line, pos.col, "%s", message);
}

struct sr_stream *sr_mp_doc(struct sr_mp *p, const char *text, size_t len,
			    bool json, struct sr_node **root)
{
	struct sr_doc_limits lim = SR_DOC_LIMITS_INIT;
	struct sr_stream *s;

	s = json ? sr_stream_parse_json(text, len, &lim, doc_problem, p)
		 : sr_stream_parse(text, len, &lim, doc_problem, p);
	*root = s->n ? s->docs[0].root : NULL;
	if (!*root && !p->m->n_problems)
		sr_mp_problem(p, 1, 1, "empty file");
	return s;
}

const char *sr_mp_json_str(const struct sr_node *n)
{
	if (!n || !sr_node_is_scalar(n) || n->style == SR_STYLE_PLAIN)
		return NULL;
	return sr_node_str(n);
}

const char *sr_mp_type(const struct sr_node *n, bool json)
{
	const char *t = sr_node_type_name(n);

	if (strcmp(t, "null") == 0)
		return "null";
	if (strcmp(t, "integer") == 0)
		return "an integer";
	if (strcmp(t, "mapping") == 0)
		return json ? "an object" : "a mapping";
	if (strcmp(t, "sequence") == 0)
		return json ? "an array" : "a sequence";
	if (strcmp(t, "string") == 0)
		return "a string";
	if (strcmp(t, "float") == 0)
		return "a number";
	if (strcmp(t, "boolean") == 0)
		return "a boolean";
	return t;
}

void sr_mp_node_problem(struct sr_mp *p, const struct sr_node *n,
			const char *fmt, ...)
{
	struct sr_buf b = SR_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sr_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	sr_mp_problem(p, n ? n->start.line : 0, n ? n->start.col : 0, "%s",
		      sr_buf_cstr(&b));
	sr_buf_release(&b);
}

void sr_mp_dep_at(struct sr_mp *p, enum sr_ecosystem eco, const char *name,
		  const char *version, const struct sr_node *at, int direct)
{
	sr_mp_dep(p, eco, name, strlen(name), version,
		  version ? strlen(version) : 0, at ? at->start.line : 0,
		  at ? at->start.col : 0, direct);
}

/* Is 'path' (resolved) inside the directory 'root' (resolved)? */
static bool under(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return true;
	return strncmp(root, path, n) == 0 &&
	       (path[n] == '/' || path[n] == '\0');
}

/*
 * 'path' relative to the top of a tree with "." and ".." resolved, in
 * place; false when it is absolute or ".." leaves the tree.
 */
static bool normalise_rel(char *path)
{
	char *in = path, *out = path;

	if (*path == '/')
		return false;
	while (*in) {
		char *end = strchr(in, '/');
		size_t n = end ? (size_t)(end - in) : strlen(in);

		if (n == 0 || (n == 1 && in[0] == '.')) {
			;	/* "a//b", "./a" */
		} else if (n == 2 && in[0] == '.' && in[1] == '.') {
			if (out == path)
				return false;
			out--;	/* drop the '/' and the component before it */
			while (out > path && out[-1] != '/')
				out--;
		} else {
			memmove(out, in, n);
			out += n;
			*out++ = '/';
		}
		in += n + (end ? 1 : 0);
	}
	if (out > path)
		out--;	/* the last '/' */
	*out = '\0';
	return out > path;
}

/* sr_mp_read through p->src: paths are relative to its top. */
static int read_from_source(struct sr_mp *p, const char *path, char **text,
			    size_t *len)
{
	char *rel = sr_xstrdup(path);
	int rc;

	if (!normalise_rel(rel)) {
		sr_error_set("'%s' is outside the scanned tree", path);
		free(rel);
		return SR_ERROR;
	}
	rc = p->src->read(p->src->payload, rel, rel, text, len,
			  SR_MANIFEST_MAX_BYTES);
	if (rc == SR_ETOOLARGE)	/* the other failures say why already */
		sr_error_set("cannot read '%s': too large", rel);
	free(rel);
	if (rc) {
		free(*text);
		*text = NULL;
		return SR_ERROR;
	}
	return 0;
}

int sr_mp_read(struct sr_mp *p, const char *path, char **text, size_t *len)
{
	char *rroot, *rpath;
	int rc;

	*text = NULL;
	*len = 0;
	if (p->src)
		return read_from_source(p, path, text, len);
	rpath = realpath(path, NULL);
	if (!rpath) {
		sr_error_set("cannot read '%s': %s", path, strerror(errno));
		return SR_ERROR;
	}
	rroot = realpath(p->root, NULL);
	if (!rroot || !under(rroot, rpath)) {
		sr_error_set("'%s' is outside the scanned tree", path);
		free(rroot);
		free(rpath);
		return SR_ERROR;
	}
	free(rroot);
	free(rpath);
	rc = sr_fs_read(text, len, path, SR_MANIFEST_MAX_BYTES);
	if (rc == SR_ETOOLARGE)
		sr_error_set("cannot read '%s': too large", path);
	return rc ? SR_ERROR : 0;
}

/*
 * Semi-private: what the per-format parsers (manifest_<format>.c) share.
 * A parser gets a struct sr_mp naming the manifest being filled and the
 * file being read (the manifest itself, or a file it pulls in), and adds
 * dependencies and problems through the helpers here, which own every
 * allocation. Nothing here prints.
 */
#ifndef SR_MPARSE_H
#define SR_MPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/xmalloc.h"
#include "doc/doc.h"
#include "manifest/manifest.h"

struct sr_mp {
	struct sr_manifest *m;
	const char *root;	/* scan root, never NULL */
	const char *fspath;	/* the file being read, as on disk */
	const char *path;	/* sr_dep.path for it: NULL for the manifest */
	unsigned depth;		/* nesting of included files */
	/* includes are read through this, paths relative to its top */
	const struct sr_manifest_source *src;	/* NULL: from disk */
};

/* One parser per format; 'text' is NUL-terminated at text[len]. */
typedef void (*sr_mp_fn)(struct sr_mp *p, const char *text, size_t len);

void sr_mp_npm(struct sr_mp *p, const char *text, size_t len);
void sr_mp_yarn(struct sr_mp *p, const char *text, size_t len);
void sr_mp_pnpm(struct sr_mp *p, const char *text, size_t len);
void sr_mp_gomod(struct sr_mp *p, const char *text, size_t len);
void sr_mp_gosum(struct sr_mp *p, const char *text, size_t len);
void sr_mp_maven(struct sr_mp *p, const char *text, size_t len);
void sr_mp_gradle_lock(struct sr_mp *p, const char *text, size_t len);
void sr_mp_gradle_build(struct sr_mp *p, const char *text, size_t len);
void sr_mp_gradle_toml(struct sr_mp *p, const char *text, size_t len);
void sr_mp_pip(struct sr_mp *p, const char *text, size_t len);
void sr_mp_poetry(struct sr_mp *p, const char *text, size_t len);
void sr_mp_pipenv(struct sr_mp *p, const char *text, size_t len);
void sr_mp_cargo(struct sr_mp *p, const char *text, size_t len);
void sr_mp_bundler(struct sr_mp *p, const char *text, size_t len);
void sr_mp_composer(struct sr_mp *p, const char *text, size_t len);

/*
 * Add a dependency read from the current file. 'name' and 'version' are
 * copied ('nlen'/'vlen' bytes; version NULL means none). Names are taken
 * as given: normalise before (sr_mp_pypi_name).
 */
void sr_mp_dep(struct sr_mp *p, enum sr_ecosystem eco, const char *name,
	       size_t nlen, const char *version, size_t vlen, unsigned line,
	       unsigned col, int direct);
void sr_mp_problem(struct sr_mp *p, unsigned line, unsigned col,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * Keep 'path' for sr_dep.path, tidied for messages ("a/b/../c" is "a/c");
 * the returned copy lives with the manifest. Read files by their own
 * path, not this one: a symbolic link makes the two differ.
 */
const char *sr_mp_keep_path(struct sr_mp *p, const char *path);

/*
 * A set of names, for "is this package a direct dependency?" over large
 * lockfiles: add every name, sort once, then look up in O(log n).
 */
struct sr_mp_set {
	const char **v;		/* borrowed strings */
	size_t n, cap;
};
void sr_mp_set_add(struct sr_mp_set *s, const char *name);
void sr_mp_set_sort(struct sr_mp_set *s);
bool sr_mp_set_has(const struct sr_mp_set *s, const char *name);
void sr_mp_set_free(struct sr_mp_set *s);

/* PEP 503: lower case, every run of "-", "_" and "." as one "-". */
char *sr_mp_pypi_name(const char *name, size_t len);

/* The 1-based code-point column of 'at' in the line starting at 'bol'. */
unsigned sr_mp_col(const char *bol, const char *at);

/*
 * Lines of a text: after sr_mp_lines_init, each sr_mp_line_next() sets
 * s/len to the next line without its "\n" or "\r\n" and no to its 1-based
 * number; false at the end.
 */
struct sr_mp_lines {
	const char *s;
	size_t len;
	unsigned no;
	const char *next, *end;
};
void sr_mp_lines_init(struct sr_mp_lines *l, const char *text, size_t len);
bool sr_mp_line_next(struct sr_mp_lines *l);

/*
 * Parse JSON (json) or YAML into a stream whose problems become the
 * manifest's; the caller frees it. *root gets the first document's root,
 * NULL when there is none (a problem then says so).
 */
struct sr_stream *sr_mp_doc(struct sr_mp *p, const char *text, size_t len,
			    bool json, struct sr_node **root);
/*
 * A JSON string's text: NULL for anything else (numbers, booleans and
 * null are plain scalars in the document model; strings are quoted).
 */
const char *sr_mp_json_str(const struct sr_node *n);
/* "an object" (JSON) or "a mapping" (YAML), "an integer", ...: the
 * node's type for messages. */
const char *sr_mp_type(const struct sr_node *n, bool json);
/* A problem at node 'n' (or the whole file when n is NULL). */
void sr_mp_node_problem(struct sr_mp *p, const struct sr_node *n,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Add a dependency whose position is that of node 'at'. */
void sr_mp_dep_at(struct sr_mp *p, enum sr_ecosystem eco, const char *name,
		  const char *version, const struct sr_node *at, int direct);

/*
 * Read a file another file refers to (a parent pom, a -r include) when it
 * lies under the scan root (through p->src when set): 0 and the
 * NUL-terminated text, or SR_ERROR with the reason in sr_error_last().
 */
int sr_mp_read(struct sr_mp *p, const char *path, char **text, size_t *len);

#endif

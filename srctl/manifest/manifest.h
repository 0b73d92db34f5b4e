/*
 * Dependency manifests and lockfiles: turn one file into the list of
 * packages it pins, for matching against advisories (srctl deps).
 *
 * One parser per format (manifest_<format>.c); this header is the whole
 * interface. A parser never fails on bad input: what it cannot read
 * becomes a problem with a position (reported as deps/manifest-parse
 * findings by the caller) and parsing goes on with whatever it can still
 * read. Ecosystems are OSV's names, the same strings sr_ecosystem_parse()
 * (deps/version.h) accepts; package names are normalised as OSV stores
 * them (PyPI: PEP 503, lower case with runs of "-_." as "-"; Maven:
 * "group:artifact"; npm: the scope kept, "@scope/name").
 *
 * Positions are 1-based; columns count code points. A dependency's
 * position is that of its version in the file (or of its entry when the
 * version is not written next to the name); 0/0 when unknown.
 */
#ifndef SR_MANIFEST_H
#define SR_MANIFEST_H

#include <stddef.h>

#include "deps/version.h"

struct sr_dep {
	const char *ecosystem;	/* OSV name, static: "npm", "Maven" */
	enum sr_ecosystem eco;	/* the same, for sr_version_compare() */
	char *name;
	char *version;		/* never NULL; "": the file pins none */
	unsigned line, col;
	int direct;		/* 1 direct, 0 transitive, -1 unknown */
	/*
	 * The file the entry was read from when it is not the manifest
	 * itself (a requirements file included with -r, a parent pom);
	 * NULL for the manifest. Borrowed from the manifest.
	 */
	const char *path;
};

struct sr_manifest_problem {
	const char *path;	/* as sr_dep.path: NULL for the manifest */
	unsigned line, col;	/* 0/0: the whole file */
	char *message;		/* one line, no trailing period */
};

struct sr_manifest {
	char *path;		/* as given to sr_manifest_parse() */
	const char *format;	/* static: "package-lock.json", ... */
	struct sr_dep *deps;	/* in file order */
	size_t n;
	struct sr_manifest_problem *problems;	/* in the order found */
	size_t n_problems;
	char **files;		/* private: owns sr_dep.path strings */
	size_t n_files;
	size_t cap_deps;	/* private */
};

/*
 * The format that handles a file of this base name ("package-lock.json",
 * "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "go.mod",
 * "go.sum", "pom.xml", "gradle.lockfile", "buildscript-gradle.lockfile",
 * "build.gradle", "build.gradle.kts", "libs.versions.toml",
 * "requirements.txt" and "requirements-*.txt", "*-requirements.txt",
 * "poetry.lock", "Pipfile.lock", "Cargo.lock", "Gemfile.lock",
 * "composer.lock"), or NULL when none does. The returned string is the
 * format name stored in sr_manifest.format.
 */
const char *sr_manifest_format_for(const char *basename);

/*
 * Parse 'len' bytes at 'text', the contents of the file at 'path' (its
 * base name picks the format; see sr_manifest_format_for). 'root' is the
 * top of the scanned tree: a pom.xml parent and requirements.txt -r
 * includes are read from disk only when they lie under it (NULL: the
 * directory of 'path'). *out is always set, and the call returns 0, even
 * for garbage; SR_ERROR (with sr_error_last()) only when 'path' names no
 * known format. Problems go in (*out)->problems.
 */
int sr_manifest_parse(struct sr_manifest **out, const char *path,
		      const char *text, size_t len, const char *root);

/*
 * The same with the format given (one of the names listed above, as
 * sr_manifest_format_for returns them), whatever the file is called.
 */
int sr_manifest_parse_as(struct sr_manifest **out, const char *format,
			 const char *path, const char *text, size_t len,
			 const char *root);

/*
 * Where the files a manifest refers to are read from when not from disk:
 * git's index for deps --staged. 'read' has sr_check_opts.read's
 * contract; it is given paths relative to the top of the work tree.
 */
struct sr_manifest_source {
	int (*read)(void *payload, const char *path, const char *relpath,
		    char **out, size_t *len, size_t limit);
	void *payload;
};

/*
 * sr_manifest_parse for a file 'relpath' (relative to the top of the
 * tree 'src' reads) whose includes are read through 'src'; an include
 * that would leave the tree is a problem, as one outside 'root' is above.
 */
int sr_manifest_parse_from(struct sr_manifest **out, const char *relpath,
			   const char *text, size_t len,
			   const struct sr_manifest_source *src);

/*
 * Read 'path' (at most 256 MiB) and parse it as above. SR_ERROR with the
 * cause in sr_error_last() ("cannot read 'x': ...") when it cannot be
 * read; *out is then NULL.
 */
int sr_manifest_parse_file(struct sr_manifest **out, const char *path,
			   const char *root);

void sr_manifest_free(struct sr_manifest *m);

#endif

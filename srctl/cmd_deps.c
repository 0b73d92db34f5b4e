/*
 * srctl deps (SPEC.md section 7): find dependency manifests and lockfiles
 * (by name while walking, as validate finds YAML, or named on the command
 * line), parse them, and report every pinned version that an advisory
 * affects: the bundled known-bad list (rules/known-bad.yaml), the
 * organisation's list (deps.known_bad), and OSV advisories from
 * --advisories and the configuration's advisories:. Rules deps/known-bad,
 * deps/manifest-parse, deps/ignore-expired and deps/ignore-no-reason.
 *
 * The advisories are loaded and indexed before the walk, so each manifest
 * is matched as soon as it is parsed and freed before the next one.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "advisory/advisory.h"
#include "base/buf.h"
#include "base/embedded.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "catalog/catalog.h"
#include "cmd.h"
#include "config/config.h"
#include "exitcode.h"
#include "manifest/manifest.h"
#include "opt.h"
#include "report/report.h"
#include "scope/scope.h"
#include "walk/walk.h"
#include "base/banned.h"

#define BUILTIN_LIST "rules/known-bad.yaml"
#define MANIFEST_MAX_SIZE (256u << 20)
#define LIST_MAX_SIZE (16u << 20)

/* An ignore from the configuration, and whether it still applies. */
struct ignore {
	const struct sr_deps_ignore *cfg;
	bool expired;
};

/* A manifest parsed during the walk, matched after it. */
struct parsed {
	struct sr_manifest *m;
	char *path;		/* as the walk showed it */
	char *relpath;
	char *root;
};

struct run {
	const struct sr_config *cfg;
	struct sr_scope *scope;	/* --staged, --changed-since; else NULL */
	struct parsed *parsed;
	size_t n_parsed;
	size_t parsed_cap;
	struct sr_findings *findings;
	struct sr_advisory_set *set;
	struct ignore *ignores;
	size_t n_ignores;
	struct sr_advisory_hits hits;
	bool quiet;
	bool io_error;		/* exit 3 */
	bool usage_error;	/* exit 2 */
	unsigned manifests;
	unsigned long deps;
	/* the manifest being reported on, for source lines */
	const char *text;	/* NULL: read 'text_path' when a line is needed */
	size_t len;
	const char *text_path;
	char *owned_text;
	size_t *line_start;	/* offsets of line starts, built on demand */
	size_t n_lines;
};

static const char *today(void)
{
	static char buf[16];
	const char *env = getenv("SRCTL_TODAY");
	time_t now;
	struct tm tm;

	if (env && strlen(env) == 10)
		return env;
	if (!buf[0]) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	}
	return buf;
}

/* Read a manifest from where the run reads them: the scope, or disk. */
static int read_text(struct run *run, const char *path, char **text,
		     size_t *len)
{
	if (run->scope)
		return sr_scope_read(run->scope, path, path, text, len,
				     MANIFEST_MAX_SIZE);
	return sr_fs_read(text, len, path, MANIFEST_MAX_SIZE);
}

/* The text of line 'line' (1-based) of the current manifest, or NULL. */
static char *source_line(struct run *run, unsigned line)
{
	size_t i, cap = 0, start, end;

	if (!run->text && run->text_path && line) {
		/* matched after the walk: read it again, once */
		if (read_text(run, run->text_path, &run->owned_text,
			      &run->len) < 0)
			run->owned_text = NULL;
		run->text = run->owned_text;
		run->text_path = NULL;
	}
	if (!run->text || !line)
		return NULL;
	if (!run->line_start) {
		run->line_start = sr_xgrow(NULL, &cap, 1, sizeof(size_t));
		run->line_start[run->n_lines++] = 0;
		for (i = 0; i < run->len; i++) {
			if (run->text[i] != '\n')
				continue;
			run->line_start = sr_xgrow(run->line_start, &cap,
						   run->n_lines + 1,
						   sizeof(size_t));
			run->line_start[run->n_lines++] = i + 1;
		}
	}
	if (line > run->n_lines)
		return NULL;
	start = run->line_start[line - 1];
	end = start;
	while (end < run->len && run->text[end] != '\n' &&
	       run->text[end] != '\r')
		end++;
	return sr_xstrndup(run->text + start, end - start);
}

/*
 * Add a finding of rule 'rule' unless the configuration turns it off;
 * 'dflt' is the severity before the configuration's override (SR_SEV_OFF:
 * the catalogue's default). Takes 'src' (may be NULL).
 */
static void deps_report(struct run *run, const char *rule,
			enum sr_severity dflt, const char *path,
			const char *relpath, unsigned line, unsigned col,
			char *src, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 10, 11)));

static void deps_report(struct run *run, const char *rule,
			enum sr_severity dflt, const char *path,
			const char *relpath, unsigned line, unsigned col,
			char *src, const char *fix, const char *fmt, ...)
{
	const struct sr_rule *r = sr_catalog_find(rule);
	struct sr_finding f;
	struct sr_buf msg = SR_BUF_INIT;
	va_list ap;

	SR_ASSERT(r != NULL);
	if (dflt == SR_SEV_OFF)
		dflt = r->severity;
	memset(&f, 0, sizeof(f));
	f.severity = sr_config_severity(run->cfg, rule, dflt);
	if (f.severity == SR_SEV_OFF) {
		free(src);
		return;
	}
	va_start(ap, fmt);
	sr_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	f.rule = sr_xstrdup(rule);
	f.path = sr_xstrdup(path);
	f.relpath = sr_xstrdup(relpath);
	f.start.line = line;
	f.start.col = line ? (col ? col : 1) : 0;
	f.message = sr_buf_detach(&msg);
	f.fix = fix ? sr_xstrdup(fix) : NULL;
	f.source_line = src;
	sr_findings_take(run->findings, &f);
}

static bool same_id(const struct sr_advisory *a, const char *id)
{
	size_t i;

	if (!strcmp(a->id, id))
		return true;
	for (i = 0; i < a->n_aliases; i++)
		if (!strcmp(a->aliases[i], id))
			return true;
	return false;
}

/* Do two OSV records describe the same vulnerability (shared ids)? */
static bool same_vuln(const struct sr_advisory *a, const struct sr_advisory *b)
{
	size_t i;

	if (a->listed || b->listed)
		return false;
	if (same_id(a, b->id))
		return true;
	for (i = 0; i < b->n_aliases; i++)
		if (same_id(a, b->aliases[i]))
			return true;
	return false;
}

/*
 * Does 'want' (from deps.ignore) name package 'name'? PyPI names compare
 * as PEP 503 says (case, and runs of '-', '_', '.'), since the parsers
 * give them normalised and people write them as the project does.
 */
static bool same_package(const struct sr_dep *d, const char *want)
{
	const char *a = want, *b = d->name;

	if (d->eco != SR_ECO_PYPI)
		return !strcmp(want, d->name);
	for (;;) {
		bool sa = *a == '-' || *a == '_' || *a == '.';
		bool sb = *b == '-' || *b == '_' || *b == '.';

		if (sa && sb) {
			while (*a == '-' || *a == '_' || *a == '.')
				a++;
			while (*b == '-' || *b == '_' || *b == '.')
				b++;
			continue;
		}
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

/* The live ignore covering this hit, or NULL. */
static const struct ignore *ignored(const struct run *run,
				    const struct sr_dep *d,
				    const struct sr_advisory *a)
{
	size_t i;

	for (i = 0; i < run->n_ignores; i++) {
		const struct ignore *ig = &run->ignores[i];

		if (ig->expired)
			continue;
		if (ig->cfg->id && !same_id(a, ig->cfg->id))
			continue;
		if (ig->cfg->package && !same_package(d, ig->cfg->package))
			continue;
		return ig;
	}
	return NULL;
}

static void ids_of(struct sr_buf *b, const struct sr_advisory *a)
{
	size_t i;

	sr_buf_adds(b, a->id);
	if (!a->n_aliases && a->score < 0)
		return;
	sr_buf_adds(b, " (");
	for (i = 0; i < a->n_aliases; i++)
		sr_buf_addf(b, "%s%s", i ? ", " : "", a->aliases[i]);
	if (a->score >= 0)
		sr_buf_addf(b, "%sCVSS %.1f", a->n_aliases ? ", " : "",
			    a->score);
	sr_buf_addc(b, ')');
}

static void report_hit(struct run *run, const struct sr_dep *d,
		       const char *path, const char *relpath,
		       const struct sr_advisory_hit *h)
{
	const struct sr_advisory *a = h->adv;
	struct sr_buf ids = SR_BUF_INIT, fix = SR_BUF_INIT;
	struct sr_buf fixed = SR_BUF_INIT;
	const char *why;

	ids_of(&ids, a);
	if (h->fixed) {
		sr_buf_addf(&fixed, "fixed in %s", h->fixed);
		sr_buf_addf(&fix, "upgrade %s to %s or later", d->name,
			    h->fixed);
	} else if (h->last_affected) {
		sr_buf_addf(&fixed, "affected up to %s, no fixed version "
			    "listed", h->last_affected);
		sr_buf_addf(&fix, "upgrade %s past %s", d->name,
			    h->last_affected);
	} else {
		sr_buf_adds(&fixed, "no fixed version listed");
		sr_buf_addf(&fix, "remove or replace %s, or pin a version "
			    "the advisory does not list", d->name);
	}
	if (a->listed) {
		why = a->reason;
		deps_report(run, "deps/known-bad", a->severity, path, relpath,
			    d->line, d->col,
			    d->path ? NULL : source_line(run, d->line),
			    sr_buf_cstr(&fix),
			    "%s %s is on the known-bad list as %s, %s: %s%s%s",
			    d->name, d->version, sr_buf_cstr(&ids),
			    sr_buf_cstr(&fixed), why, a->url ? "; see " : "",
			    a->url ? a->url : "");
	} else {
		why = a->summary;
		deps_report(run, "deps/known-bad", a->severity, path, relpath,
			    d->line, d->col,
			    d->path ? NULL : source_line(run, d->line),
			    sr_buf_cstr(&fix),
			    "%s %s is affected by %s, %s%s%s", d->name,
			    d->version, sr_buf_cstr(&ids), sr_buf_cstr(&fixed),
			    why ? ": " : "", why ? why : "");
	}
	sr_buf_release(&ids);
	sr_buf_release(&fix);
	sr_buf_release(&fixed);
}

/*
 * The path to show for a file a manifest pulled in (a parent pom, a -r
 * include), and its path relative to the root.
 */
static const char *rel_to(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (!strcmp(root, "."))
		return strncmp(path, "./", 2) ? path : path + 2;
	if (!strncmp(path, root, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

/* Problems of a manifest, reported while its text is at hand. */
static void report_problems(struct run *run, const struct sr_manifest *m,
			    const struct sr_walk_file *f, const char *root)
{
	size_t i;

	for (i = 0; i < m->n_problems; i++) {
		const struct sr_manifest_problem *p = &m->problems[i];
		const char *path = p->path ? p->path : f->path;
		const char *rel = p->path ? rel_to(p->path, root) : f->relpath;

		deps_report(run, "deps/manifest-parse", SR_SEV_OFF, path, rel,
			    p->line, p->col,
			    p->path ? NULL : source_line(run, p->line),
			    "fix the file; the entries srctl could not read "
			    "are not checked",
			    "cannot read this %s: %s", m->format, p->message);
	}
}

static void match_manifest(struct run *run, const struct parsed *pm)
{
	const struct sr_manifest *m = pm->m;
	size_t i, j, k;

	for (i = 0; i < m->n; i++) {
		const struct sr_dep *d = &m->deps[i];
		const char *path = d->path ? d->path : pm->path;
		const char *rel = d->path ? rel_to(d->path, pm->root)
					  : pm->relpath;

		run->deps++;
		sr_advisory_hits_reset(&run->hits);
		if (!sr_advisory_match(run->set, d->eco, d->name, d->version,
				       &run->hits))
			continue;
		for (j = 0; j < run->hits.n; j++) {
			const struct sr_advisory_hit *h = &run->hits.v[j];
			bool dup = false;

			for (k = 0; k < j && !dup; k++)
				dup = same_vuln(run->hits.v[k].adv, h->adv);
			if (dup)
				continue;
			if (ignored(run, d, h->adv)) {
				run->findings->suppressed++;
				continue;
			}
			report_hit(run, d, path, rel, h);
		}
	}
}

static void set_text(struct run *run, const char *text, size_t len,
		     const char *path)
{
	free(run->owned_text);
	run->owned_text = NULL;
	free(run->line_start);
	run->line_start = NULL;
	run->n_lines = 0;
	run->text = text;
	run->len = len;
	run->text_path = path;
}

/* Match every manifest the walk kept (unless 'free_only'), free them. */
static void match_all(struct run *run, bool free_only)
{
	size_t i;

	for (i = 0; i < run->n_parsed; i++) {
		struct parsed *pm = &run->parsed[i];

		if (!free_only) {
			set_text(run, NULL, 0, pm->path);
			match_manifest(run, pm);
			set_text(run, NULL, 0, NULL);
		}
		sr_manifest_free(pm->m);
		free(pm->path);
		free(pm->relpath);
		free(pm->root);
	}
	free(run->parsed);
	run->parsed = NULL;
	run->n_parsed = 0;
	run->parsed_cap = 0;
}

/* The scanned root 'f' was found under: its path minus its relpath. */
static char *root_of(const struct sr_walk_file *f)
{
	size_t n = strlen(f->path), r = strlen(f->relpath);

	if (r <= n && !strcmp(f->path + n - r, f->relpath)) {
		n -= r;
		while (n > 1 && f->path[n - 1] == '/')
			n--;
		if (n == 0)
			return sr_xstrdup(".");
		return sr_xstrndup(f->path, n);
	}
	return sr_xstrdup(".");
}

/*
 * Check the manifest 'f' whose text is 'text': report its problems, keep
 * it for matching after the walk. 'src' (the scope's) or 'root' says where
 * the files it includes are read from.
 */
static void take_manifest(struct run *run, const struct sr_walk_file *f,
			  const char *text, size_t len, char *root,
			  const struct sr_manifest_source *src)
{
	struct sr_manifest *m = NULL;
	struct parsed *pm;
	size_t i;
	int rc;

	rc = src ? sr_manifest_parse_from(&m, f->relpath, text, len, src)
		 : sr_manifest_parse(&m, f->path, text, len, root);
	if (rc < 0) {
		fprintf(stderr, "srctl: error: %s\n", sr_error_last());
		run->io_error = true;
		sr_manifest_free(m);
		free(root);
		return;
	}
	run->manifests++;
	run->findings->files++;
	set_text(run, text, len, NULL);
	report_problems(run, m, f, root);
	set_text(run, NULL, 0, NULL);
	for (i = 0; i < m->n; i++)
		sr_advisory_filter_add(run->set, m->deps[i].name);
	run->parsed = sr_xgrow(run->parsed, &run->parsed_cap,
			       run->n_parsed + 1, sizeof(*run->parsed));
	pm = &run->parsed[run->n_parsed++];
	pm->m = m;
	pm->path = sr_xstrdup(f->path);
	pm->relpath = sr_xstrdup(f->relpath);
	pm->root = root;
}

/* Read 'f' (at most MANIFEST_MAX_SIZE); false, said why, when it cannot. */
static bool read_manifest(struct run *run, const struct sr_walk_file *f,
			  char **text, size_t *len)
{
	int rc = read_text(run, f->path, text, len);

	if (rc == SR_ETOOLARGE) {
		fprintf(stderr, "srctl: error: '%s' is larger than %u MiB; "
			"not checked\n", f->path, MANIFEST_MAX_SIZE >> 20);
		run->io_error = true;
		return false;
	}
	if (rc < 0) {
		fprintf(stderr, "srctl: error: %s\n", sr_error_last());
		run->io_error = true;
		return false;
	}
	return true;
}

static int on_file(void *payload, const struct sr_walk_file *f)
{
	struct run *run = payload;
	char *text = NULL;
	size_t len = 0;

	if (!sr_manifest_format_for(f->name)) {
		if (f->explicit_arg) {
			fprintf(stderr, "srctl deps: '%s' is not a manifest "
				"or lockfile srctl reads (see 'srctl deps "
				"--help')\n", f->path);
			run->usage_error = true;
		}
		return 0;
	}
	if (read_manifest(run, f, &text, &len))
		take_manifest(run, f, text, len, root_of(f), NULL);
	free(text);
	return 0;
}

/* A manifest the scope chose: read from the index for --staged. */
static int on_scope_file(void *payload, const char *relpath, bool target)
{
	struct run *run = payload;
	struct sr_manifest_source src = { sr_scope_read, run->scope };
	const char *slash = strrchr(relpath, '/');
	struct sr_walk_file f = { relpath, relpath,
				  slash ? slash + 1 : relpath, false };
	char *text = NULL;
	size_t len = 0;

	if (!target)
		return 0;
	if (read_manifest(run, &f, &text, &len))
		take_manifest(run, &f, text, len, sr_xstrdup("."), &src);
	free(text);
	return 0;
}

static bool wants(const char *name)
{
	return sr_manifest_format_for(name) != NULL;
}

static void on_note(void *payload, const char *path, const char *why)
{
	struct run *run = payload;

	if (!run->quiet)
		fprintf(stderr, "srctl: warning: skipping '%s': %s\n", path, why);
}

struct problems {
	bool quiet;
	bool list_error;	/* an invalid known-bad list: exit 2 */
	bool loading_list;
};

static void on_advisory_problem(void *payload, enum sr_severity sev,
				const char *path, unsigned line, unsigned col,
				const char *message)
{
	struct problems *p = payload;
	const char *level;

	if (!path) {
		fprintf(stderr, "srctl: error: %s\n", message);
		return;
	}
	if (p->loading_list) {
		p->list_error = true;
		level = "error";
	} else if (sev == SR_SEV_INFO) {
		if (p->quiet)
			return;
		level = "note";
	} else {
		level = "warning";
	}
	if (line)
		fprintf(stderr, "%s:%u:%u: %s: %s\n", path, line, col, level,
			message);
	else
		fprintf(stderr, "%s: %s: %s\n", path, level, message);
}

/*
 * 'path' from the configuration, relative to its file's directory unless
 * absolute: as the configuration's own path is shown (relative to the
 * current directory when below it), the result opens and reads well in
 * messages.
 */
static char *config_relative(const struct sr_config *cfg, const char *path)
{
	struct sr_buf b = SR_BUF_INIT;
	const char *slash = cfg->path ? strrchr(cfg->path, '/') : NULL;

	if (path[0] == '/' || !cfg->path)
		return sr_xstrdup(path);
	if (slash)
		sr_buf_add(&b, cfg->path, (size_t)(slash - cfg->path + 1));
	sr_buf_adds(&b, path);
	return sr_buf_detach(&b);
}

static const struct sr_embedded *builtin_list(void)
{
	const struct sr_embedded *e;

	for (e = sr_embedded; e->path; e++)
		if (!strcmp(e->path, BUILTIN_LIST))
			return e;
	return NULL;
}

/*
 * Load the known-bad lists. Returns an SR_EXIT_* code, or -1 when the
 * bundled list is broken (a build defect).
 */
static int load_lists(struct sr_advisory_set *set, struct problems *p,
		      const struct sr_config *cfg, bool no_builtin)
{
	const struct sr_embedded *e = builtin_list();
	int exit_code = SR_EXIT_OK;

	if (!no_builtin) {
		p->loading_list = true;
		if (!e || sr_advisory_load_list(set, BUILTIN_LIST, e->data,
						e->size) < 0) {
			fprintf(stderr, "srctl: internal error: the bundled "
				"known-bad list is invalid\n");
			return -1;
		}
		p->loading_list = false;
	}
	if (cfg->deps_known_bad) {
		char *path = config_relative(cfg, cfg->deps_known_bad);
		char *text = NULL;
		size_t len = 0;
		int rc = sr_fs_read(&text, &len, path, LIST_MAX_SIZE);

		if (rc == SR_ETOOLARGE)
			sr_error_set("'%s' is larger than %u MiB", path,
				     LIST_MAX_SIZE >> 20);
		if (rc < 0) {
			fprintf(stderr, "srctl: error: deps.known_bad: %s\n",
				sr_error_last());
			exit_code = SR_EXIT_RUNTIME;
		} else {
			p->loading_list = true;
			sr_advisory_load_list(set, path, text, len);
			p->loading_list = false;
			if (p->list_error) {
				fprintf(stderr, "srctl: invalid known-bad list "
					"'%s'\n", path);
				exit_code = SR_EXIT_USAGE;
			}
		}
		free(text);
		free(path);
	}
	return exit_code;
}

/*
 * Load the OSV advisories (after the walk: only files that name a
 * package of the manifests are parsed). Returns an SR_EXIT_* code.
 */
static int load_osv(struct sr_advisory_set *set, const struct sr_config *cfg,
		    const struct sr_opt_list *cli)
{
	int exit_code = SR_EXIT_OK;
	size_t i;

	sr_advisory_filter_enable(set);
	for (i = 0; i < cfg->n_advisories; i++) {
		char *path = config_relative(cfg, cfg->advisories[i]);

		if (sr_advisory_load_osv(set, path) < 0 &&
		    exit_code == SR_EXIT_OK)
			exit_code = SR_EXIT_RUNTIME;
		free(path);
	}
	for (i = 0; i < (size_t)cli->n; i++)
		if (sr_advisory_load_osv(set, cli->v[i]) < 0 &&
		    exit_code == SR_EXIT_OK)
			exit_code = SR_EXIT_RUNTIME;
	return exit_code;
}

/* Expired ignores and ignores without a reason are findings of their own. */
static void check_ignores(struct run *run)
{
	const struct sr_config *cfg = run->cfg;
	const char *path = cfg->path ? cfg->path : ".srctl.yaml";
	size_t i;

	run->ignores = sr_xcalloc(cfg->n_deps_ignore + 1,
				  sizeof(*run->ignores));
	run->n_ignores = cfg->n_deps_ignore;
	for (i = 0; i < cfg->n_deps_ignore; i++) {
		const struct sr_deps_ignore *d = &cfg->deps_ignore[i];
		struct sr_buf what = SR_BUF_INIT;

		run->ignores[i].cfg = d;
		if (d->id && d->package)
			sr_buf_addf(&what, "%s in %s", d->id, d->package);
		else
			sr_buf_adds(&what, d->id ? d->id : d->package);
		if (d->until && strcmp(today(), d->until) > 0) {
			run->ignores[i].expired = true;
			deps_report(run, "deps/ignore-expired", SR_SEV_OFF,
				    path, path, d->pos.line, d->pos.col, NULL,
				    "fix the dependency, or renew the ignore "
				    "with a new 'until' and a reason",
				    "the ignore of %s expired on %s and no "
				    "longer applies", sr_buf_cstr(&what),
				    d->until);
		}
		if (!d->reason)
			deps_report(run, "deps/ignore-no-reason", SR_SEV_OFF,
				    path, path, d->pos.line, d->pos.col, NULL,
				    "add 'reason:' saying why the advisory "
				    "does not apply or when it will be fixed",
				    "the ignore of %s has no reason",
				    sr_buf_cstr(&what));
		sr_buf_release(&what);
	}
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/*
 * Drop repeated findings from a sorted list: a file included by two
 * manifests (requirements-dev.txt and requirements.txt both reading
 * common.txt with -r) is read, and reported, by each.
 */
static void drop_duplicates(struct sr_findings *list)
{
	size_t i, out = 0;

	for (i = 0; i < list->n; i++) {
		struct sr_finding *f = &list->v[i];
		const struct sr_finding *prev = out ? &list->v[out - 1] : NULL;

		if (prev && !strcmp(prev->rule, f->rule) &&
		    !strcmp(prev->path, f->path) &&
		    prev->start.line == f->start.line &&
		    prev->start.col == f->start.col &&
		    !strcmp(prev->message, f->message) &&
		    same_str(prev->fix, f->fix)) {
			if (!prev->source_line) {
				/* keep the excerpt, if one of them has it */
				list->v[out - 1].source_line = f->source_line;
				f->source_line = NULL;
			}
			sr_finding_release(f);
			continue;
		}
		list->v[out++] = *f;
	}
	list->n = out;
}

/* Unknown rule ids in the configuration are configuration errors. */
static bool bad_config_rules(const struct sr_config *cfg)
{
	bool bad = false;
	size_t i;

	for (i = 0; i < cfg->n_rules; i++) {
		const char *id = cfg->rules[i].id;
		const char *hint;
		size_t n = strlen(id);

		if (sr_catalog_find(id) || (n > 2 && !strcmp(id + n - 2, "/*")))
			continue;
		hint = sr_catalog_suggest(id);
		fprintf(stderr, "%s:%u:%u: unknown rule '%s'%s%s%s\n",
			cfg->path ? cfg->path : ".srctl.yaml",
			cfg->rules[i].pos.line, cfg->rules[i].pos.col, id,
			hint ? " (did you mean '" : "", hint ? hint : "",
			hint ? "'?)" : "");
		bad = true;
	}
	return bad;
}

int cmd_deps(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl deps [options] [PATH...]",
		"Check the dependency manifests and lockfiles under PATH (default:\n"
		"the current directory) against known-bad versions: the bundled\n"
		"list (rules/known-bad.yaml), the organisation's list\n"
		"(deps.known_bad in .srctl.yaml) and OSV advisories (--advisories,\n"
		"advisories: in .srctl.yaml). Manifests are found by name, skipping\n"
		"what .gitignore ignores and .srctl.yaml excludes; files named on\n"
		"the command line are always read. Offline: nothing is fetched.",
		"Manifests: package-lock.json, npm-shrinkwrap.json, yarn.lock,\n"
		"pnpm-lock.yaml, go.mod, go.sum, pom.xml, gradle.lockfile,\n"
		"buildscript-gradle.lockfile, build.gradle(.kts), libs.versions.toml,\n"
		"*requirements*.txt, poetry.lock, Pipfile.lock, Cargo.lock,\n"
		"Gemfile.lock, gems.locked, composer.lock (docs/deps.md).\n"
		"\nIn a git repository, --staged checks the manifests staged for the\n"
		"next commit as staged (read from git's index, with the files they\n"
		"include), and --changed-since REV those changed since the merge\n"
		"base of REV and HEAD: the pre-commit hook and pull-request CI.\n"
		"\nIgnore an advisory in .srctl.yaml: deps: { ignore: [{ id: GHSA-...,\n"
		"package: NAME, reason: ..., until: YYYY-MM-DD }] }.\n"
		"\nExit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or\n"
		"configuration error, 3 a file or advisory could not be read.\n"
	};
	const char *format = "text", *fail_on = "error", *config_path = NULL;
	bool no_color = false, quiet = false, no_gitignore = false;
	bool no_builtin = false, staged = false, worktree = false;
	const char *since = NULL;
	struct sr_opt_list advisories = { { 0 }, 0 };
	const struct sr_opt opts[] = {
		SR_OPT_STRING('f', "format", &format, "FORMAT",
			      "text (default), short, json, sarif, junit, github or codequality"),
		SR_OPT_STRING(0, "fail-on", &fail_on, "LEVEL",
			      "exit 1 on findings of LEVEL or worse: error (default), warning, info"),
		SR_OPT_LIST('a', "advisories", &advisories, "PATH",
			    "OSV advisories: a .json file or a directory (repeatable)"),
		SR_OPT_STRING('c', "config", &config_path, "FILE",
			      "use FILE instead of the nearest .srctl.yaml"),
		SR_OPT_BOOL(0, "staged", &staged,
			    "check the manifests staged for commit (git's index), not the work tree"),
		SR_OPT_STRING(0, "changed-since", &since, "REV",
			      "check only manifests changed since the merge base of REV and HEAD"),
		SR_OPT_BOOL(0, "include-worktree", &worktree,
			    "with --changed-since: uncommitted and untracked changes too"),
		SR_OPT_BOOL(0, "no-builtin-list", &no_builtin,
			    "do not use the bundled known-bad list"),
		SR_OPT_BOOL(0, "no-gitignore", &no_gitignore,
			    "read manifests that .gitignore ignores too"),
		SR_OPT_BOOL(0, "no-color", &no_color,
			    "no colour in text output (also: NO_COLOR set)"),
		SR_OPT_BOOL('q', "quiet", &quiet,
			    "no summary when nothing is found, no notes or skip warnings"),
		SR_OPT_END()
	};
	struct sr_opt_list paths = { { 0 }, 0 };
	struct sr_findings findings = SR_FINDINGS_INIT;
	struct sr_report_opts ropts = { 0 };
	struct sr_walk_opts wopts = { 0 };
	struct sr_scope_opts sopts = { 0 };
	struct sr_config *cfg = NULL;
	struct sr_buf errors = SR_BUF_INIT;
	struct problems probs = { 0 };
	enum sr_severity threshold;
	struct run run;
	int r, exit_code = SR_EXIT_OK;

	memset(&run, 0, sizeof(run));
	r = sr_opt_parse("deps", &usage, opts, argc, argv, &paths);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (!sr_report_opts_set(&ropts, "deps", format, no_color, quiet))
		return SR_EXIT_USAGE;
	if (!sr_severity_parse(fail_on, &threshold) || threshold == SR_SEV_OFF) {
		fprintf(stderr, "srctl deps: --fail-on takes error, warning or info, not '%s'\n",
			fail_on);
		return SR_EXIT_USAGE;
	}
	if (!sr_scope_args_ok("deps", staged, since, worktree))
		return SR_EXIT_USAGE;
	if (sr_catalog_load() < 0) {
		fprintf(stderr, "srctl: internal error: %s\n", sr_error_last());
		return SR_EXIT_RUNTIME;
	}
	r = sr_config_load(&cfg, config_path,
			   paths.n && !staged && !since ? paths.v[0] : ".",
			   &errors);
	if (r < 0 || bad_config_rules(cfg)) {
		fprintf(stderr, "%s", sr_buf_cstr(&errors));
		if (errors.len && errors.ptr[errors.len - 1] != '\n')
			fputc('\n', stderr);
		fprintf(stderr, "srctl: invalid configuration\n");
		exit_code = SR_EXIT_USAGE;
		goto done;
	}

	probs.quiet = quiet;
	run.set = sr_advisory_set_new(on_advisory_problem, &probs);
	exit_code = load_lists(run.set, &probs, cfg, no_builtin);
	if (exit_code < 0) {
		exit_code = SR_EXIT_RUNTIME;
		goto done;
	}
	if (exit_code == SR_EXIT_USAGE)
		goto done;
	if (exit_code == SR_EXIT_RUNTIME)
		run.io_error = true;
	exit_code = SR_EXIT_OK;

	run.cfg = cfg;
	run.findings = &findings;
	run.quiet = quiet;
	check_ignores(&run);
	if (staged || since) {
		sopts.staged = staged;
		sopts.rev = since;
		sopts.worktree = worktree;
		sopts.config = cfg;
		sopts.paths = (const char *const *)paths.v;
		sopts.npaths = paths.n;
		sopts.want = wants;
		sopts.no_context = true;
		r = sr_scope_open(&run.scope, &sopts);
		if (r < 0) {
			fprintf(stderr, "srctl deps: %s\n", sr_error_last());
			exit_code = r == SR_ERROR ? SR_EXIT_RUNTIME :
				    SR_EXIT_USAGE;
			goto done;
		}
		r = sr_scope_each(run.scope, on_scope_file, &run);
	} else {
		wopts.config = cfg;
		wopts.use_gitignore = !no_gitignore;
		wopts.want = wants;
		wopts.on_file = on_file;
		wopts.on_note = on_note;
		wopts.payload = &run;
		r = sr_walk((const char *const *)paths.v, paths.n, &wopts);
	}
	if (r < 0) {
		fprintf(stderr, "srctl deps: %s\n", sr_error_last());
		exit_code = SR_EXIT_USAGE;
		goto done;
	}
	if (run.usage_error) {
		exit_code = SR_EXIT_USAGE;
		goto done;
	}
	if (load_osv(run.set, cfg, &advisories) != SR_EXIT_OK)
		run.io_error = true;
	match_all(&run, false);

	sr_findings_sort(&findings);
	drop_duplicates(&findings);
	if (sr_report_write(stdout, &findings, &ropts) < 0) {
		fprintf(stderr, "srctl: error: %s\n", sr_error_last());
		exit_code = SR_EXIT_RUNTIME;
	} else if (run.io_error) {
		exit_code = SR_EXIT_RUNTIME;
	} else if (sr_findings_any_at_least(&findings, threshold)) {
		exit_code = SR_EXIT_FINDINGS;
	}
done:
	match_all(&run, true);	/* what an early exit left */
	set_text(&run, NULL, 0, NULL);
	sr_advisory_hits_release(&run.hits);
	free(run.ignores);
	sr_advisory_set_free(run.set);
	sr_scope_free(run.scope);
	sr_findings_release(&findings);
	sr_config_free(cfg);
	sr_buf_release(&errors);
	sr_catalog_free();
	return exit_code;
}

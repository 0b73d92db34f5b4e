/*
 * srctl validate and srctl lint: walk the paths, check every YAML file,
 * report. lint is validate without the contract validators.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "baseline/baseline.h"
#include "catalog/catalog.h"
#include "check/check.h"
#include "cmd.h"
#include "config/config.h"
#include "exitcode.h"
#include "opt.h"
#include "report/report.h"
#include "scope/scope.h"
#include "schemamap/schemamap.h"
#include "walk/walk.h"
#include "base/banned.h"

struct run {
	const struct sr_check_opts *check;
	bool quiet;
	bool io_error;
	struct sr_scope *scope;	/* --staged, --changed-since */
	bool track;		/* keep 'checked', for stale baseline entries */
	char **checked;		/* baseline keys of the files checked */
	size_t nchecked;
	size_t cap;
	char *bdir;		/* the baseline's directory, or NULL */
	char *root;		/* what finding paths are relative to */
};

enum mode { MODE_VALIDATE, MODE_LINT, MODE_BASELINE };

/*
 * Is 'path' inside the templates/ directory of a Helm chart (a directory
 * holding Chart.yaml)? Those files are Go templates, not YAML, until
 * rendered with 'helm template'.
 */
static bool in_helm_templates(const char *path)
{
	const char *p = path;

	while ((p = strstr(p, "templates/")) != NULL) {
		if (p == path || p[-1] == '/') {
			struct sr_buf chart = SR_BUF_INIT;
			bool found;

			sr_buf_add(&chart, path, (size_t)(p - path));
			sr_buf_adds(&chart, "Chart.yaml");
			found = access(chart.ptr, F_OK) == 0;
			sr_buf_release(&chart);
			if (found)
				return true;
		}
		p += 10;
	}
	return false;
}

static int on_file(void *payload, const struct sr_walk_file *f)
{
	struct run *run = payload;

	if (!f->explicit_arg && in_helm_templates(f->path))
		return 0;
	if (run->track && run->bdir) {
		run->checked = sr_xgrow(run->checked, &run->cap,
					run->nchecked + 1, sizeof(char *));
		run->checked[run->nchecked++] =
			sr_baseline_key(run->bdir, run->root, f->path);
	}

	if ((f->explicit_arg ?
	     sr_check_named_file(run->check, f->path, f->relpath) :
	     sr_check_file(run->check, f->path, f->relpath)) < 0) {
		fprintf(stderr, "srctl: error: %s\n", sr_error_last());
		run->io_error = true;
	}
	return 0;
}

/*
 * The same for a file the scope chose: Helm templates are looked for where
 * the scope reads (the index for --staged).
 */
static bool scope_helm_template(struct sr_scope *scope, const char *relpath)
{
	const char *p = relpath;
	bool found = false;

	while (!found && (p = strstr(p, "templates/")) != NULL) {
		if (p == relpath || p[-1] == '/') {
			struct sr_buf chart = SR_BUF_INIT;

			sr_buf_add(&chart, relpath, (size_t)(p - relpath));
			sr_buf_adds(&chart, "Chart.yaml");
			found = sr_scope_exists(scope, chart.ptr);
			sr_buf_release(&chart);
		}
		p += 10;
	}
	return found;
}

static int on_scope_file(void *payload, const char *relpath, bool target)
{
	struct run *run = payload;

	(void)target;	/* context files are checked too; check.report
			   keeps their findings out */
	if (scope_helm_template(run->scope, relpath))
		return 0;
	if (sr_check_file(run->check, relpath, relpath) < 0) {
		fprintf(stderr, "srctl: error: %s\n", sr_error_last());
		run->io_error = true;
	}
	return 0;
}

static bool scope_report(void *payload, const char *relpath)
{
	return sr_scope_is_target(payload, relpath);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Was this file (by its baseline key) checked in the run? */
static bool run_checked(void *payload, const char *key)
{
	struct run *run = payload;

	if (run->scope) {
		char *rel = sr_baseline_key(run->root, run->bdir, key);
		bool is = sr_scope_is_target(run->scope, rel);

		free(rel);
		return is;
	}
	return run->nchecked &&
	       bsearch(&key, run->checked, run->nchecked,
		       sizeof(char *), cmp_str) != NULL;
}

/* The findings' file names in a baseline (see sr_baseline_key). */
static char **baseline_keys(const struct run *run,
			    const struct sr_findings *findings)
{
	char **keys = sr_xcalloc(findings->n + 1, sizeof(*keys));
	size_t i;

	for (i = 0; i < findings->n; i++)
		keys[i] = run->bdir ?
			sr_baseline_key(run->bdir, run->root,
					findings->v[i].path) :
			sr_xstrdup(findings->v[i].relpath);
	return keys;
}

static void free_keys(char **keys, size_t n)
{
	size_t i;

	for (i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
}

static void on_note(void *payload, const char *path, const char *why)
{
	struct run *run = payload;

	if (!run->quiet)
		fprintf(stderr, "srctl: warning: skipping '%s': %s\n", path, why);
}

static bool parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return false;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (*end == 'i' && end[-1] != 0)
		end++;
	if (*end == 'B')
		end++;
	if (*end || v == 0)
		return false;
	*out = (size_t)v;
	return true;
}

/*
 * --only takes rule ids, areas and area wildcards; a typo would otherwise
 * silently report nothing.
 */
static int check_only(const char *cmd, const char *only)
{
	const char *p = only;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (!n || !sr_catalog_selects(p, n)) {
			char *sel = sr_xstrndup(p, n);
			const char *hint = n ? sr_catalog_suggest_selector(sel) : NULL;

			fprintf(stderr, "srctl %s: --only: '%s' is not a rule "
				"area or id%s%s%s (see 'srctl rules list')\n",
				cmd, sel, hint ? "; did you mean '" : "",
				hint ? hint : "", hint ? "'?" : "");
			free(sel);
			return -1;
		}
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* Unknown rule ids in the configuration are configuration errors. */
static int check_config_rules(const struct sr_config *cfg)
{
	int bad = 0;
	size_t i;

	for (i = 0; i < cfg->n_rules; i++) {
		const char *id = cfg->rules[i].id;
		const char *hint;
		size_t n = strlen(id);
		bool wildcard;

		if (sr_catalog_find(id) ||
		    (n > 2 && !strcmp(id + n - 2, "/*") &&
		     sr_catalog_selects(id, n)))
			continue;
		wildcard = id[n - 1] == '*';
		if (wildcard) {
			/* suggest an area for an area wildcard */
			char *area = sr_xstrndup(id, n - 2);
			hint = sr_catalog_suggest_selector(area);
			free(area);
			if (hint && strchr(hint, '/'))
				hint = NULL;
		} else {
			hint = sr_catalog_suggest(id);
		}
		fprintf(stderr, "%s:%u:%u: unknown rule %s'%s'%s%s%s%s\n",
			cfg->path ? cfg->path : ".srctl.yaml",
			cfg->rules[i].pos.line, cfg->rules[i].pos.col,
			wildcard ? "area " : "", id,
			hint ? " (did you mean '" : "", hint ? hint : "",
			hint && wildcard ? "/*" : "", hint ? "'?)" : "");
		bad = 1;
	}
	return bad;
}

/* Apply --baseline: leave out what it holds, note what it no longer sees. */
static int apply_baseline(const char *cmd, const char *path,
			  struct sr_findings *findings, struct run *run)
{
	struct sr_buf errors = SR_BUF_INIT;
	struct sr_baseline *bl = NULL;
	char **keys;
	size_t i, nkeys;
	int r;

	r = sr_baseline_load(&bl, path, &errors);
	if (r < 0) {
		fprintf(stderr, "%s", sr_buf_cstr(&errors));
		fprintf(stderr, "srctl %s: cannot use baseline '%s'\n", cmd,
			path);
		sr_buf_release(&errors);
		return r == SR_EPARSE ? SR_EXIT_USAGE : SR_EXIT_RUNTIME;
	}
	if (run->nchecked)
		qsort(run->checked, run->nchecked, sizeof(char *), cmp_str);
	keys = baseline_keys(run, findings);
	nkeys = findings->n;
	sr_baseline_apply(bl, findings, keys, run_checked, run);
	free_keys(keys, nkeys);
	for (i = 0; !run->quiet && i < sr_baseline_nstale(bl); i++) {
		const char *rule, *file, *where;

		sr_baseline_stale(bl, i, &rule, &file, &where);
		fprintf(stderr, "srctl: note: %s: [%s] at %s is in the baseline but no longer found; 'srctl baseline' drops it\n",
			file, rule, *where ? where : "/");
	}
	sr_baseline_free(bl);
	sr_buf_release(&errors);
	return SR_EXIT_OK;
}

static int run_check(const char *cmd, const struct sr_usage *usage,
		     enum mode mode, int argc, char **argv)
{
	const char *format = "text", *fail_on = "error", *config_path = NULL;
	const char *only = NULL, *max_size = NULL, *since = NULL;
	const char *baseline = NULL, *output = SR_BASELINE_DEFAULT;
	bool no_color = false, quiet = false, no_gitignore = false;
	bool staged = false, worktree = false, no_schemas = false;
	const struct sr_opt check_opts[] = {
		SR_OPT_STRING('f', "format", &format, "FORMAT",
			      "text (default), short, json, sarif, junit, github or codequality"),
		SR_OPT_STRING(0, "fail-on", &fail_on, "LEVEL",
			      "exit 1 on findings of LEVEL or worse: error (default), warning, info"),
		SR_OPT_STRING('c', "config", &config_path, "FILE",
			      "use FILE instead of the nearest .srctl.yaml"),
		SR_OPT_STRING(0, "only", &only, "AREAS",
			      "report only these rule areas or ids, comma-separated (yaml/* always)"),
		SR_OPT_BOOL(0, "staged", &staged,
			    "check what is staged for commit (git's index), not the work tree"),
		SR_OPT_STRING(0, "changed-since", &since, "REV",
			      "check only files changed since the merge base of REV and HEAD"),
		SR_OPT_BOOL(0, "include-worktree", &worktree,
			    "with --changed-since: uncommitted and untracked changes too"),
		SR_OPT_STRING(0, "baseline", &baseline, "FILE",
			      "report only findings not in FILE (made by 'srctl baseline')"),
		SR_OPT_STRING(0, "max-file-size", &max_size, "SIZE",
			      "skip larger files with yaml/too-large (default 8M)"),
		SR_OPT_BOOL(0, "no-schemas", &no_schemas,
			    "skip JSON Schema checks (shipped and .srctl.yaml schemas:)"),
		SR_OPT_BOOL(0, "no-gitignore", &no_gitignore,
			    "check files that .gitignore ignores too"),
		SR_OPT_BOOL(0, "no-color", &no_color,
			    "no colour in text output (also: NO_COLOR set)"),
		SR_OPT_BOOL('q', "quiet", &quiet,
			    "no summary when nothing is found, no skip warnings"),
		SR_OPT_END()
	};
	const struct sr_opt baseline_opts[] = {
		SR_OPT_STRING('o', "output", &output, "FILE",
			      "write the baseline to FILE (default " SR_BASELINE_DEFAULT ")"),
		SR_OPT_STRING('c', "config", &config_path, "FILE",
			      "use FILE instead of the nearest .srctl.yaml"),
		SR_OPT_STRING(0, "only", &only, "AREAS",
			      "record only these rule areas or ids, comma-separated (yaml/* always)"),
		SR_OPT_STRING(0, "max-file-size", &max_size, "SIZE",
			      "skip larger files with yaml/too-large (default 8M)"),
		SR_OPT_BOOL(0, "no-gitignore", &no_gitignore,
			    "check files that .gitignore ignores too"),
		SR_OPT_BOOL('q', "quiet", &quiet,
			    "no skip warnings, no line saying what was written"),
		SR_OPT_END()
	};
	const struct sr_opt *opts = mode == MODE_BASELINE ? baseline_opts :
				    check_opts;
	struct sr_opt_list paths = { { 0 }, 0 };
	struct sr_findings findings = SR_FINDINGS_INIT;
	struct sr_check_opts check = { 0 };
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_report_opts ropts = { 0 };
	struct sr_walk_opts wopts = { 0 };
	struct sr_scope_opts sopts = { 0 };
	struct sr_config *cfg = NULL;
	struct sr_schemamap *schemas = NULL;
	struct sr_buf errors = SR_BUF_INIT;
	enum sr_severity threshold;
	struct run run = { 0 };
	size_t i;
	int r, exit_code = SR_EXIT_OK;

	r = sr_opt_parse(cmd, usage, opts, argc, argv, &paths);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (!sr_report_opts_set(&ropts, cmd, format, no_color, quiet))
		return SR_EXIT_USAGE;
	if (!sr_severity_parse(fail_on, &threshold) || threshold == SR_SEV_OFF) {
		fprintf(stderr, "srctl %s: --fail-on takes error, warning or info, not '%s'\n",
			cmd, fail_on);
		return SR_EXIT_USAGE;
	}
	if (!sr_scope_args_ok(cmd, staged, since, worktree))
		return SR_EXIT_USAGE;
	check.max_file_size = SR_MAX_FILE_SIZE_DEFAULT;
	if (max_size && !parse_size(max_size, &check.max_file_size)) {
		fprintf(stderr, "srctl %s: --max-file-size takes a size such as 8M or 500K, not '%s'\n",
			cmd, max_size);
		return SR_EXIT_USAGE;
	}
	if (sr_catalog_load() < 0) {
		fprintf(stderr, "srctl: internal error: %s\n", sr_error_last());
		return SR_EXIT_RUNTIME;
	}
	if (only && check_only(cmd, only) < 0) {
		exit_code = SR_EXIT_USAGE;
		goto done;
	}
	r = sr_config_load(&cfg, config_path,
			   paths.n && !staged && !since ? paths.v[0] : ".",
			   &errors);
	if (r == SR_EINVALID) {
		fprintf(stderr, "%s", sr_buf_cstr(&errors));
		if (errors.len && errors.ptr[errors.len - 1] != '\n')
			fputc('\n', stderr);
		fprintf(stderr, "srctl: invalid configuration\n");
		exit_code = SR_EXIT_USAGE;
		goto done;
	} else if (r < 0) {
		fprintf(stderr, "srctl: %s\n", sr_error_last());
		exit_code = SR_EXIT_USAGE;
		goto done;
	}
	if (check_config_rules(cfg)) {
		fprintf(stderr, "srctl: invalid configuration\n");
		exit_code = SR_EXIT_USAGE;
		goto done;
	}

	/* every schema is compiled once here, then used for every file */
	if (!no_schemas &&
	    sr_schemamap_new(&schemas, mode == MODE_LINT ? SR_SCHEMAMAP_ALL :
			     SR_SCHEMAMAP_UNVALIDATED, cfg, &errors) < 0) {
		fprintf(stderr, "%s", sr_buf_cstr(&errors));
		fprintf(stderr, "srctl: cannot use the schemas of the configuration\n");
		exit_code = SR_EXIT_USAGE;
		goto done;
	}

	check.config = cfg;
	check.schemas = schemas;
	check.findings = &findings;
	check.syntax_only = mode == MODE_LINT;
	check.only = only;
	check.limits = limits;
	check.node_paths = baseline || mode == MODE_BASELINE;
	run.check = &check;
	run.quiet = quiet;
	run.track = baseline != NULL;
	if (check.node_paths)
		run.bdir = sr_baseline_dir(baseline ? baseline : output);

	/* the model is at its largest after the walk: findings wait on disk */
	sr_findings_park(&findings);
	if (staged || since) {
		sopts.staged = staged;
		sopts.rev = since;
		sopts.worktree = worktree;
		sopts.config = cfg;
		sopts.paths = (const char *const *)paths.v;
		sopts.npaths = paths.n;
		sopts.want = sr_check_wants;
		r = sr_scope_open(&run.scope, &sopts);
		if (r < 0) {
			fprintf(stderr, "srctl %s: %s\n", cmd, sr_error_last());
			exit_code = r == SR_ERROR ? SR_EXIT_RUNTIME :
				    SR_EXIT_USAGE;
			goto done;
		}
		if (check.node_paths)
			run.root = sr_xstrdup(sr_scope_top(run.scope));
		check.read = sr_scope_read;
		check.report = scope_report;
		check.payload = run.scope;
		sr_check_begin(&check);
		r = sr_scope_each(run.scope, on_scope_file, &run);
		sr_check_finish(&check);
	} else {
		if (check.node_paths)
			run.root = realpath(".", NULL);
		if (!run.root) {	/* names fall back to relpaths */
			free(run.bdir);
			run.bdir = NULL;
		}
		wopts.config = cfg;
		wopts.use_gitignore = !no_gitignore;
		wopts.want = sr_check_wants;
		wopts.on_file = on_file;
		wopts.on_note = on_note;
		wopts.payload = &run;
		/* one root: the walk's sorted depth-first order */
		check.tree_order = paths.n <= 1;
		sr_check_begin(&check);
		r = sr_walk((const char *const *)paths.v, paths.n, &wopts);
		sr_check_finish(&check);
	}
	if (r >= 0 && sr_findings_unpark(&findings) < 0) {
		fprintf(stderr, "srctl %s: %s\n", cmd, sr_error_last());
		exit_code = SR_EXIT_RUNTIME;
		goto done;
	}
	if (r < 0) {
		fprintf(stderr, "srctl %s: %s\n", cmd, sr_error_last());
		exit_code = SR_EXIT_USAGE;
		goto done;
	}

	sr_findings_sort(&findings);
	if (mode == MODE_BASELINE) {
		char **keys = baseline_keys(&run, &findings);

		r = sr_baseline_write(output, &findings, keys);
		free_keys(keys, findings.n);
		if (r < 0) {
			fprintf(stderr, "srctl: error: %s\n", sr_error_last());
			exit_code = SR_EXIT_RUNTIME;
		} else if (!quiet) {
			fprintf(stderr, "srctl: wrote %zu finding%s in %u file%s to %s\n",
				findings.n, findings.n == 1 ? "" : "s",
				findings.files, findings.files == 1 ? "" : "s",
				output);
		}
		if (run.io_error)
			exit_code = SR_EXIT_RUNTIME;
		goto done;
	}
	if (baseline) {
		exit_code = apply_baseline(cmd, baseline, &findings, &run);
		if (exit_code != SR_EXIT_OK)
			goto done;
	}
	if (sr_report_write(stdout, &findings, &ropts) < 0) {
		fprintf(stderr, "srctl: error: %s\n", sr_error_last());
		exit_code = SR_EXIT_RUNTIME;
	} else if (run.io_error) {
		exit_code = SR_EXIT_RUNTIME;
	} else if (sr_findings_any_at_least(&findings, threshold)) {
		exit_code = SR_EXIT_FINDINGS;
	}
done:
	for (i = 0; i < run.nchecked; i++)
		free(run.checked[i]);
	free(run.checked);
	free(run.bdir);
	free(run.root);
	sr_scope_free(run.scope);
	sr_findings_release(&findings);
	sr_schemamap_free(schemas);
	sr_config_free(cfg);
	sr_buf_release(&errors);
	sr_catalog_free();
	return exit_code;
}

int cmd_validate(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl validate [options] [PATH...]",
		"Check the files under PATH (default: the current directory)\n"
		"against srctl's contracts: timeout contracts (timeout.yaml),\n"
		"Kubernetes health probes, Istio and Gateway API routes and\n"
		"DestinationRules, Spring Boot resilience4j settings and Java\n"
		"@CircuitBreaker annotations, and the rules across them (hard-coded\n"
		"timeouts, missing breakers); and against JSON Schemas: the\n"
		"'schemas:' of .srctl.yaml and the shipped ones of kinds no contract\n"
		"rule reads (docs/schemas.md). Files ignored by .gitignore\n"
		"and excluded in .srctl.yaml are skipped; files named on the command\n"
		"line are always checked. Helm chart templates (templates/ beside a\n"
		"Chart.yaml) are not YAML until rendered and are skipped: check the\n"
		"output of 'helm template' instead.",
		"With --staged the files staged for commit are checked as they are in\n"
		"git's index (a later edit in the work tree is not seen), and with\n"
		"--changed-since REV the files changed between the merge base of REV\n"
		"and HEAD; PATHs then limit those files. Findings are reported for\n"
		"those files only; the rest of their service (its timeout.yaml and\n"
		"the manifests below it) is read for the cross-file rules. Paths are\n"
		"shown relative to the top of the work tree.\n"
		"\nSuppress a finding with '# srctl:ignore RULE -- reason' on its line or\n"
		"the line above, '# srctl:ignore-file RULE -- reason' anywhere in the\n"
		"file, or the annotation srctl.io/ignore: \"RULE,RULE\" on a workload.\n"
		"\nWhile the cross-file rules run, findings wait in an unlinked temporary\n"
		"file in $TMPDIR (else /tmp), or in memory when none can be made.\n"
		"\nExit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or\n"
		"configuration error, 3 a file could not be read or output failed.\n"
	};

	return run_check("validate", &usage, MODE_VALIDATE, argc, argv);
}

int cmd_lint(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl lint [options] [PATH...]",
		"Check that the YAML files under PATH (default: the current directory)\n"
		"are well-formed: syntax, duplicate keys, encoding, size, nesting and\n"
		"alias limits (the yaml/* rules), and that they match their JSON\n"
		"Schemas (schema/violation): the shipped schemas by kind (timeout\n"
		"contracts, Kubernetes workloads, Istio, memory contracts, rule files)\n"
		"and the 'schemas:' of .srctl.yaml. No contract rules: this is the fast\n"
		"pre-commit mode.",
		"Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or\n"
		"configuration error, 3 a file could not be read or output failed.\n"
	};

	return run_check("lint", &usage, MODE_LINT, argc, argv);
}

int cmd_baseline(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl baseline [options] [PATH...]",
		"Record the current findings under PATH (default: the current\n"
		"directory) in a baseline file, so that 'srctl validate --baseline\n"
		"FILE' fails only on new ones. A finding is recorded by rule, file and\n"
		"the path of its node in the document, not its line, so edits\n"
		"elsewhere in the file keep it matched. Files are named relative to\n"
		"the baseline file's directory, so validate may check any PATH, or\n"
		"run with --staged, against it. The file is replaced atomically.",
		"Exit codes: 0 written, 2 usage or configuration error, 3 a file could\n"
		"not be read or the baseline could not be written.\n"
	};

	return run_check("baseline", &usage, MODE_BASELINE, argc, argv);
}

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
#include "catalog/catalog.h"
#include "check/check.h"
#include "cmd.h"
#include "config/config.h"
#include "exitcode.h"
#include "opt.h"
#include "report/report.h"
#include "schemamap/schemamap.h"
#include "walk/walk.h"
#include "base/banned.h"

struct run {
	const struct sr_check_opts *check;
	bool quiet;
	bool io_error;
};

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

	if ((f->explicit_arg ?
	     sr_check_named_file(run->check, f->path, f->relpath) :
	     sr_check_file(run->check, f->path, f->relpath)) < 0) {
		fprintf(stderr, "srctl: error: %s\n", sr_error_last());
		run->io_error = true;
	}
	return 0;
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

/* Unknown rule ids in the configuration are configuration errors. */
static int check_config_rules(const struct sr_config *cfg)
{
	int bad = 0;
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
		bad = 1;
	}
	return bad;
}

static int run_check(const char *cmd, const struct sr_usage *usage,
		     bool syntax_only, int argc, char **argv)
{
	const char *format = "text", *fail_on = "error", *config_path = NULL;
	const char *only = NULL, *max_size = NULL;
	bool no_color = false, quiet = false, no_gitignore = false;
	bool no_schemas = false;
	const struct sr_opt opts[] = {
		SR_OPT_STRING('f', "format", &format, "FORMAT",
			      "text (default), short, json, sarif, junit or github"),
		SR_OPT_STRING(0, "fail-on", &fail_on, "LEVEL",
			      "exit 1 on findings of LEVEL or worse: error (default), warning, info"),
		SR_OPT_STRING('c', "config", &config_path, "FILE",
			      "use FILE instead of the nearest .srctl.yaml"),
		SR_OPT_STRING(0, "only", &only, "AREAS",
			      "report only these rule areas or ids, comma-separated (yaml/* always)"),
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
	struct sr_opt_list paths = { { 0 }, 0 };
	struct sr_findings findings = SR_FINDINGS_INIT;
	struct sr_check_opts check = { 0 };
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_report_opts ropts = { 0 };
	struct sr_walk_opts wopts = { 0 };
	struct sr_config *cfg = NULL;
	struct sr_schemamap *schemas = NULL;
	struct sr_buf errors = SR_BUF_INIT;
	enum sr_severity threshold;
	struct run run = { 0 };
	int r, exit_code = SR_EXIT_OK;

	r = sr_opt_parse(cmd, usage, opts, argc, argv, &paths);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (!sr_format_parse(format, &ropts.format)) {
		fprintf(stderr, "srctl %s: unknown format '%s' (text, short, json, sarif, junit, github)\n",
			cmd, format);
		return SR_EXIT_USAGE;
	}
	if (!sr_severity_parse(fail_on, &threshold) || threshold == SR_SEV_OFF) {
		fprintf(stderr, "srctl %s: --fail-on takes error, warning or info, not '%s'\n",
			cmd, fail_on);
		return SR_EXIT_USAGE;
	}
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
	r = sr_config_load(&cfg, config_path, paths.n ? paths.v[0] : ".", &errors);
	if (r < 0) {
		fprintf(stderr, "%s", sr_buf_cstr(&errors));
		if (errors.len && errors.ptr[errors.len - 1] != '\n')
			fputc('\n', stderr);
		fprintf(stderr, "srctl: invalid configuration\n");
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
	    sr_schemamap_new(&schemas, syntax_only ? SR_SCHEMAMAP_ALL :
			     SR_SCHEMAMAP_UNVALIDATED, cfg, &errors) < 0) {
		fprintf(stderr, "%s", sr_buf_cstr(&errors));
		fprintf(stderr, "srctl: cannot use the schemas of the configuration\n");
		exit_code = SR_EXIT_USAGE;
		goto done;
	}

	check.config = cfg;
	check.schemas = schemas;
	check.findings = &findings;
	check.syntax_only = syntax_only;
	check.only = only;
	check.limits = limits;
	run.check = &check;
	run.quiet = quiet;

	wopts.config = cfg;
	wopts.use_gitignore = !no_gitignore;
	wopts.want = sr_check_wants;
	wopts.on_file = on_file;
	wopts.on_note = on_note;
	wopts.payload = &run;
	sr_check_begin(&check);
	r = sr_walk((const char *const *)paths.v, paths.n, &wopts);
	sr_check_finish(&check);
	if (r < 0) {
		fprintf(stderr, "srctl %s: %s\n", cmd, sr_error_last());
		exit_code = SR_EXIT_USAGE;
		goto done;
	}

	sr_findings_sort(&findings);
	ropts.color = ropts.format == SR_FORMAT_TEXT && !no_color &&
		      !getenv("NO_COLOR") && isatty(STDOUT_FILENO);
	ropts.quiet = quiet;
	ropts.command = cmd;
	if (sr_report_write(stdout, &findings, &ropts) < 0) {
		fprintf(stderr, "srctl: error: %s\n", sr_error_last());
		exit_code = SR_EXIT_RUNTIME;
	} else if (run.io_error) {
		exit_code = SR_EXIT_RUNTIME;
	} else if (sr_findings_any_at_least(&findings, threshold)) {
		exit_code = SR_EXIT_FINDINGS;
	}
done:
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
		"Check the YAML files under PATH (default: the current directory)\n"
		"against srctl's contracts: timeout contracts (timeout.yaml) now,\n"
		"more contract kinds as they are added, and against JSON Schemas: the\n"
		"'schemas:' of .srctl.yaml and the shipped ones of kinds no contract\n"
		"rule reads (docs/schemas.md). Files ignored by .gitignore\n"
		"and excluded in .srctl.yaml are skipped; files named on the command\n"
		"line are always checked. Helm chart templates (templates/ beside a\n"
		"Chart.yaml) are not YAML until rendered and are skipped: check the\n"
		"output of 'helm template' instead.",
		"Suppress a finding with '# srctl:ignore RULE -- reason' on its line or\n"
		"the line above, '# srctl:ignore-file RULE -- reason' anywhere in the\n"
		"file, or the annotation srctl.io/ignore: \"RULE,RULE\" on a workload.\n"
		"\nExit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or\n"
		"configuration error, 3 a file could not be read or output failed.\n"
	};

	return run_check("validate", &usage, false, argc, argv);
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

	return run_check("lint", &usage, true, argc, argv);
}

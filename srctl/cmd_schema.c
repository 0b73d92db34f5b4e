/*
 * srctl schema: list the JSON Schemas built into srctl, print one, or
 * check YAML/JSON files against a schema file or a shipped schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "cmd.h"
#include "doc/doc.h"
#include "exitcode.h"
#include "opt.h"
#include "report/report.h"
#include "schema/schema.h"
#include "schemamap/schemamap.h"
#include "base/banned.h"

#define INSTANCE_MAX_SIZE (64u * 1024 * 1024)

static const struct sr_usage usage = {
	"srctl schema [list | show NAME | check FILE... --schema SCHEMA]",
	"List the JSON Schemas built into srctl, print one, or check YAML or\n"
	"JSON files (every document of a multi-document file) against a schema:\n"
	"a schema file (JSON or YAML, draft 2020-12 or draft-07) or the name of\n"
	"a shipped one.",
	"Violations are schema/violation findings at the offending node.\n"
	"\nExit codes: 0 every document is valid, 1 violations or YAML errors,\n"
	"2 usage error or a schema that cannot be read or is not a valid\n"
	"schema, 3 a file could not be read or output failed.\n"
};

/* The first sentence-ish line of a schema's "title". */
static void print_title(const struct sr_schemamap_shipped *sh)
{
	struct sr_stream *s = sr_stream_parse_json(sh->text, sh->len, NULL,
						   NULL, NULL);
	const char *title = s->n ? sr_node_str(sr_map_get(s->docs[0].root,
							  "title")) : NULL;

	printf("%s\n", title ? title : "");
	sr_stream_free(s);
}

static int list(void)
{
	size_t i, n = sr_schemamap_shipped_count();
	int width = 0;

	for (i = 0; i < n; i++) {
		int w = (int)strlen(sr_schemamap_shipped_at(i)->name);

		if (w > width)
			width = w;
	}
	for (i = 0; i < n; i++) {
		const struct sr_schemamap_shipped *sh =
			sr_schemamap_shipped_at(i);

		printf("%-*s  ", width, sh->name);
		print_title(sh);
	}
	return SR_EXIT_OK;
}

static int unknown_schema(const char *name)
{
	const char *names[64];
	const char *hint;
	size_t i, n = sr_schemamap_shipped_count();

	for (i = 0; i < n && i < 64; i++)
		names[i] = sr_schemamap_shipped_at(i)->name;
	fprintf(stderr, "srctl schema: no shipped schema named '%s'\n", name);
	hint = sr_suggest(name, names, (int)i);
	if (hint)
		fprintf(stderr, "hint: did you mean '%s'?\n", hint);
	fprintf(stderr, "hint: see 'srctl schema list'\n");
	return SR_EXIT_USAGE;
}

static int show(const char *name)
{
	const struct sr_schemamap_shipped *sh = sr_schemamap_shipped_find(name);

	if (!sh)
		return unknown_schema(name);
	if (fwrite(sh->text, 1, sh->len, stdout) != sh->len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "srctl schema: cannot write the schema\n");
		return SR_EXIT_RUNTIME;
	}
	return SR_EXIT_OK;
}

/* One instance file being checked. */
struct instance {
	const char *path;
	const char *text;
	size_t len;
	struct sr_findings *findings;
};

/* The text of line 'line' (1-based) of the file, or NULL. */
static char *line_of(const struct instance *in, unsigned line)
{
	const char *p = in->text, *end = in->text + in->len, *nl;
	unsigned n;

	if (!line)
		return NULL;
	for (n = 1; n < line && p < end; n++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		nl = end;
	if (nl > p && nl[-1] == '\r')
		nl--;
	if (line == 1 && nl - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	return sr_xstrndup(p, (size_t)(nl - p));
}

static void add(struct instance *in, const char *rule, struct sr_pos pos,
		const char *message, const char *pointer)
{
	struct sr_finding f;

	memset(&f, 0, sizeof(f));
	f.rule = sr_xstrdup(rule);
	f.severity = SR_SEV_ERROR;
	f.path = sr_xstrdup(in->path);
	f.relpath = sr_xstrdup(in->path);
	f.start = pos;
	f.message = sr_xstrdup(message);
	f.source_line = line_of(in, pos.line);
	f.pointer = pointer ? sr_xstrdup(pointer) : NULL;
	sr_findings_take(in->findings, &f);
}

static void on_problem(void *payload, const char *rule, struct sr_pos pos,
		       const char *message)
{
	add(payload, rule, pos, message, NULL);
}

static void on_violation(void *payload, const struct sr_schema_error *e)
{
	add(payload, "schema/violation", e->pos, e->message, e->pointer);
}

static bool is_json_name(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && !strcmp(path + n - 5, ".json");
}

/* Check every document of 'path'. SR_ERROR when it cannot be read. */
static int check_file(const struct sr_schema *schema, const char *path,
		      struct sr_findings *findings)
{
	struct instance in = { path, NULL, 0, findings };
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_stream *s;
	char *text = NULL;
	size_t len = 0, i;
	int err;

	err = sr_fs_read(&text, &len, path, INSTANCE_MAX_SIZE);
	if (err == SR_ETOOLARGE) {
		sr_error_set("cannot read '%s': larger than 64 MiB", path);
		return SR_ERROR;
	}
	if (err)
		return SR_ERROR;
	in.text = text;
	in.len = len;
	s = is_json_name(path) ?
	    sr_stream_parse_json(text, len, &limits, on_problem, &in) :
	    sr_stream_parse(text, len, &limits, on_problem, &in);
	for (i = 0; i < s->n; i++)
		/* an empty document (a stray "---") has nothing to check */
		if (s->docs[i].root || s->n == 1)
			sr_schema_validate(schema, s->docs[i].root,
					   on_violation, &in);
	findings->files++;
	sr_stream_free(s);
	free(text);
	return 0;
}

static int check(struct sr_opt_list *files, const char *schema_spec,
		 const char *format, bool no_color, bool quiet)
{
	struct sr_findings findings = SR_FINDINGS_INIT;
	struct sr_report_opts ropts = { 0 };
	struct sr_schemamap *m = NULL;
	struct sr_buf errors = SR_BUF_INIT;
	const struct sr_schema *schema = NULL;
	bool io_error = false;
	int i, err, exit_code = SR_EXIT_OK;

	if (!sr_report_opts_set(&ropts, "schema", format, no_color, quiet))
		return SR_EXIT_USAGE;
	if (!schema_spec) {
		fprintf(stderr, "srctl schema check: --schema is required\n");
		fprintf(stderr, "hint: see 'srctl schema --help'\n");
		return SR_EXIT_USAGE;
	}
	if (files->n < 2) {
		fprintf(stderr, "srctl schema check: name the files to check\n");
		fprintf(stderr, "hint: see 'srctl schema --help'\n");
		return SR_EXIT_USAGE;
	}
	sr_schemamap_new(&m, SR_SCHEMAMAP_NONE, NULL, &errors);
	err = sr_schemamap_load_one(&schema, m, schema_spec);
	if (err) {
		fprintf(stderr, "srctl schema: %s\n", sr_error_last());
		if (err != SR_ENOTFOUND)
			fprintf(stderr, "srctl schema: '%s' is not a valid JSON Schema\n",
				schema_spec);
		exit_code = SR_EXIT_USAGE;
		goto done;
	}
	for (i = 1; i < files->n; i++) {
		if (check_file(schema, files->v[i], &findings) < 0) {
			fprintf(stderr, "srctl: error: %s\n", sr_error_last());
			io_error = true;
		}
	}
	sr_findings_sort(&findings);
	if (sr_report_write(stdout, &findings, &ropts) < 0) {
		fprintf(stderr, "srctl: error: %s\n", sr_error_last());
		exit_code = SR_EXIT_RUNTIME;
	} else if (io_error) {
		exit_code = SR_EXIT_RUNTIME;
	} else if (findings.n) {
		exit_code = SR_EXIT_FINDINGS;
	}
done:
	sr_findings_release(&findings);
	sr_schemamap_free(m);
	sr_buf_release(&errors);
	return exit_code;
}

int cmd_schema(int argc, char **argv)
{
	const char *schema = NULL, *format = "text";
	bool no_color = false, quiet = false;
	const struct sr_opt opts[] = {
		SR_OPT_STRING('s', "schema", &schema, "SCHEMA",
			      "check: a schema file or a shipped schema's name"),
		SR_OPT_STRING('f', "format", &format, "FORMAT",
			      "check: text (default), short, json, sarif, junit, github or codequality"),
		SR_OPT_BOOL(0, "no-color", &no_color,
			    "no colour in text output (also: NO_COLOR set)"),
		SR_OPT_BOOL('q', "quiet", &quiet,
			    "check: no summary when nothing is found"),
		SR_OPT_END()
	};
	struct sr_opt_list args = { { 0 }, 0 };
	int r = sr_opt_parse("schema", &usage, opts, argc, argv, &args);

	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (args.n == 0 || (args.n == 1 && !strcmp(args.v[0], "list")))
		return list();
	if (args.n == 2 && !strcmp(args.v[0], "show"))
		return show(args.v[1]);
	if (args.n >= 1 && !strcmp(args.v[0], "check"))
		return check(&args, schema, format, no_color, quiet);
	fprintf(stderr, "srctl schema: expected 'list', 'show NAME' or 'check FILE... --schema SCHEMA'\n");
	fprintf(stderr, "hint: see 'srctl schema --help'\n");
	return SR_EXIT_USAGE;
}

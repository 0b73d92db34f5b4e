/*
 * srctl check-deps (SPEC.md section 5): every dependency the repository
 * names, the targets of timeout contracts, the circuit breakers
 * (resilience4j instances, @CircuitBreaker names, DestinationRule hosts)
 * and the readiness probes' include= lists, must be a declared service
 * or a declared external dependency. Declared are: the services whose
 * timeout contracts are in the tree, the services: registry of
 * .srctl.yaml (a map, a list, or the name of a YAML file listing them)
 * and its external: list. The files are read by the validate pipeline,
 * whose own findings are not shown; undeclared names are reported as
 * service/undeclared in the usual formats.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "catalog/catalog.h"
#include "check/check.h"
#include "cmd.h"
#include "config/config.h"
#include "doc/doc.h"
#include "exitcode.h"
#include "opt.h"
#include "report/report.h"
#include "walk/walk.h"
#include "base/banned.h"

struct run {
	const struct sr_check_opts *check;
	bool quiet;
	bool io_error;
};

static int on_file(void *payload, const struct sr_walk_file *f)
{
	struct run *run = payload;

	if (sr_check_file(run->check, f->path, f->relpath) < 0) {
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

/* The declared names, with no duplicates. */
struct names {
	const char **v;
	size_t n;
	size_t cap;
	char **owned;	/* names read from the registry file */
	size_t nowned;
	size_t owned_cap;
};

static bool names_has(const struct names *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->v[i], name))
			return true;
	return false;
}

static void names_add(struct names *d, const char *name)
{
	if (!name || !*name || names_has(d, name))
		return;
	d->v = sr_xgrow(d->v, &d->cap, d->n + 1, sizeof(*d->v));
	d->v[d->n++] = name;
}

static void names_add_owned(struct names *d, const char *name)
{
	char *copy;

	if (!name || !*name || names_has(d, name))
		return;
	copy = sr_xstrdup(name);
	d->owned = sr_xgrow(d->owned, &d->owned_cap, d->nowned + 1,
			    sizeof(*d->owned));
	d->owned[d->nowned++] = copy;
	names_add(d, copy);
}

static void names_release(struct names *d)
{
	size_t i;

	for (i = 0; i < d->nowned; i++)
		free(d->owned[i]);
	free(d->owned);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

struct registry_problem {
	struct sr_buf *errors;
	const char *path;
};

static void on_registry_problem(void *payload, const char *rule,
				struct sr_pos pos, const char *message)
{
	struct registry_problem *p = payload;

	(void)rule;
	sr_buf_addf(p->errors, "%s:%u:%u: %s\n", p->path, pos.line, pos.col,
		    message);
}

/* Names from a registry document: a list, a map, or {services: ...}. */
static bool registry_names(struct names *d, const struct sr_node *n,
			   bool top)
{
	size_t i;

	if (top && sr_node_is_map(n) && sr_map_get(n, "services"))
		return registry_names(d, sr_map_get(n, "services"), false);
	if (sr_node_is_seq(n)) {
		for (i = 0; i < n->u.seq.n; i++) {
			const struct sr_node *item = n->u.seq.items[i];
			const char *s = sr_node_str(item);

			if (!s && sr_node_is_map(item))
				s = sr_node_str(sr_map_get(item, "name"));
			if (!s)
				return false;
			names_add_owned(d, s);
		}
		return true;
	}
	if (sr_node_is_map(n)) {
		for (i = 0; i < n->u.map.n; i++) {
			const char *s = sr_node_str(n->u.map.pairs[i].key);

			if (!s)
				return false;
			names_add_owned(d, s);
		}
		return true;
	}
	return sr_node_is_null(n);
}

/*
 * Read the registry file that services: names, relative to the
 * configuration's directory. Returns an SR_EXIT_* code.
 */
static int load_registry(struct names *d, const struct sr_config *cfg)
{
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_buf path = SR_BUF_INIT, errors = SR_BUF_INIT;
	struct registry_problem prob;
	struct sr_stream *s = NULL;
	char *text = NULL;
	size_t len = 0, i;
	int ret = SR_EXIT_OK;

	if (cfg->services_file[0] != '/' && cfg->dir)
		sr_buf_addf(&path, "%s/", cfg->dir);
	sr_buf_adds(&path, cfg->services_file);
	if (sr_fs_read(&text, &len, path.ptr, SR_MAX_FILE_SIZE_DEFAULT) < 0) {
		/* the reason without the absolute path it repeats */
		const char *why = strrchr(sr_error_last(), ':');

		fprintf(stderr, "srctl check-deps: cannot read the service registry '%s' (services: in %s): %s\n",
			cfg->services_file, ".srctl.yaml",
			why ? why + 1 + (why[1] == ' ') : sr_error_last());
		ret = SR_EXIT_RUNTIME;
		goto done;
	}
	prob.errors = &errors;
	prob.path = cfg->services_file;
	s = sr_stream_parse(text, len, &limits, on_registry_problem, &prob);
	for (i = 0; i < s->n && !errors.len; i++)
		if (!registry_names(d, s->docs[i].root, true))
			sr_buf_addf(&errors, "%s:%u:%u: the service registry must be a list of names, or a mapping whose keys are the names\n",
				    cfg->services_file, s->docs[i].start.line,
				    s->docs[i].start.col);
	if (errors.len) {
		fprintf(stderr, "%ssrctl: invalid configuration\n", errors.ptr);
		ret = SR_EXIT_USAGE;
	}
done:
	sr_stream_free(s);
	free(text);
	sr_buf_release(&path);
	sr_buf_release(&errors);
	return ret;
}

/* One place a dependency is named. */
struct use {
	const char *name;
	const struct sr_loc *loc;
	const char *what;	/* "a target of payment-gw's timeout contract" */
};

struct uses {
	struct use *v;
	size_t n;
	size_t cap;
};

static int cmp_use(const void *a, const void *b)
{
	const struct use *x = a, *y = b;
	int c = strcmp(x->loc->relpath, y->loc->relpath);

	if (c)
		return c;
	if (x->loc->pos.line != y->loc->pos.line)
		return x->loc->pos.line < y->loc->pos.line ? -1 : 1;
	if (x->loc->pos.col != y->loc->pos.col)
		return x->loc->pos.col < y->loc->pos.col ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void add_use(struct uses *u, const char *name,
		    const struct sr_loc *loc, const char *what)
{
	if (!name || !*name || !loc || !loc->relpath || strchr(name, '*'))
		return;
	u->v = sr_xgrow(u->v, &u->cap, u->n + 1, sizeof(*u->v));
	u->v[u->n].name = name;
	u->v[u->n].loc = loc;
	u->v[u->n].what = what;
	u->n++;
}

static void collect(struct uses *u, struct sr_model *m)
{
	size_t i, k;

	for (i = 0; i < m->nservices; i++) {
		const struct sr_service *svc = &m->services[i];
		struct sr_buf what = SR_BUF_INIT;

		sr_buf_addf(&what, "a target in the timeout contract of %s",
			    svc->name);
		for (k = 0; k < svc->ntargets; k++)
			add_use(u, svc->targets[k].name, svc->targets[k].loc,
				sr_model_strdup(m, what.ptr));
		sr_buf_release(&what);
	}
	for (i = 0; i < m->refs.n; i++) {
		const struct sr_dep_ref *r = &m->refs.v[i];

		if (r->kind == SR_REF_DESTINATION_RULE)
			add_use(u, r->name, r->loc,
				"the host of a DestinationRule");
		else if (r->kind == SR_REF_R4J)
			add_use(u, r->name, r->loc,
				"a resilience4j circuit breaker");
		else if (r->kind == SR_REF_READINESS)
			add_use(u, r->name, r->loc,
				"in a readiness probe's include= list");
	}
	qsort(u->v, u->n, sizeof(*u->v), cmp_use);
}

/* Report each undeclared name once per place it is named. */
static void report(const struct sr_check_opts *check, const struct uses *u,
		   const struct names *declared)
{
	size_t i;

	for (i = 0; i < u->n; i++) {
		const struct use *x = &u->v[i];
		struct sr_buf fix = SR_BUF_INIT;
		const char *hint;

		if (i && !cmp_use(x, &u->v[i - 1]))
			continue;
		if (names_has(declared, x->name))
			continue;
		hint = sr_suggest(x->name, declared->v, (int)declared->n);
		if (hint)
			sr_buf_addf(&fix, "did you mean '%s'? Otherwise d", hint);
		else
			sr_buf_adds(&fix, "D");
		sr_buf_addf(&fix, "eclare it in .srctl.yaml: external: [%s], or under services: if it is a service",
			    x->name);
		sr_emit_late(check, x->loc, "service/undeclared", fix.ptr,
			     "'%s' (%s) is neither a declared service nor a declared external dependency",
			     x->name, x->what);
		sr_buf_release(&fix);
	}
}

int cmd_check_deps(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl check-deps [options] [PATH...]",
		"Check that every dependency named under PATH (default: the current\n"
		"directory) is declared: the targets of timeout contracts, the\n"
		"circuit breakers (resilience4j instances, @CircuitBreaker names,\n"
		"Istio DestinationRule hosts) and readiness probes' include= lists.\n"
		"Declared are the services whose timeout contracts are in the tree,\n"
		"the services: registry of .srctl.yaml (a map, a list, or the name\n"
		"of a YAML file listing them) and its external: list.",
		"Undeclared names are reported as service/undeclared; suppress one\n"
		"with '# srctl:ignore service/undeclared -- reason'.\n"
		"\nExit codes: 0 every name is declared, 1 undeclared names found,\n"
		"2 usage or configuration error, 3 a file could not be read or\n"
		"output failed.\n"
	};
	const char *format = "text", *config_path = NULL;
	bool no_color = false, quiet = false, no_gitignore = false;
	const struct sr_opt opts[] = {
		SR_OPT_STRING('f', "format", &format, "FORMAT",
			      "text (default), short, json, sarif, junit, github or codequality"),
		SR_OPT_STRING('c', "config", &config_path, "FILE",
			      "use FILE instead of the nearest .srctl.yaml"),
		SR_OPT_BOOL(0, "no-gitignore", &no_gitignore,
			    "read files that .gitignore ignores too"),
		SR_OPT_BOOL(0, "no-color", &no_color,
			    "no colour in text output (also: NO_COLOR set)"),
		SR_OPT_BOOL('q', "quiet", &quiet,
			    "no summary when all names are declared, no skip warnings"),
		SR_OPT_END()
	};
	struct sr_opt_list paths = { { 0 }, 0 };
	struct sr_findings pipeline = SR_FINDINGS_INIT;
	struct sr_findings findings = SR_FINDINGS_INIT;
	struct sr_check_opts check = { 0 };
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_report_opts ropts = { 0 };
	struct sr_walk_opts wopts = { 0 };
	struct sr_config *cfg = NULL;
	struct sr_buf errors = SR_BUF_INIT;
	struct names declared = { 0 };
	struct uses uses = { 0 };
	struct run run = { 0 };
	const char *last = NULL;
	size_t i, unparsed = 0;
	int r, exit_code = SR_EXIT_OK;

	r = sr_opt_parse("check-deps", &usage, opts, argc, argv, &paths);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (!sr_report_opts_set(&ropts, "check-deps", format, no_color, quiet))
		return SR_EXIT_USAGE;
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
	for (i = 0; i < cfg->n_services; i++)
		names_add(&declared, cfg->services[i]);
	for (i = 0; i < cfg->n_external; i++)
		names_add(&declared, cfg->external[i]);
	if (cfg->services_file) {
		exit_code = load_registry(&declared, cfg);
		if (exit_code != SR_EXIT_OK)
			goto done;
	}

	check.config = cfg;
	check.findings = &pipeline;
	check.max_file_size = SR_MAX_FILE_SIZE_DEFAULT;
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
	check.model->keep_refs = true;
	r = sr_walk((const char *const *)paths.v, paths.n, &wopts);
	if (r >= 0) {
		/* the model holds every file's facts until sr_check_finish */
		for (i = 0; i < check.model->nservices; i++)
			names_add(&declared, check.model->services[i].name);
		collect(&uses, check.model);
		check.findings = &findings;
		report(&check, &uses, &declared);
		findings.files = pipeline.files;
		check.findings = &pipeline;
	}
	sr_check_finish(&check);
	if (r < 0) {
		fprintf(stderr, "srctl check-deps: %s\n", sr_error_last());
		exit_code = SR_EXIT_USAGE;
		goto done;
	}
	/* files the pipeline could not read, or not to the end */
	sr_findings_sort(&pipeline);
	for (i = 0; i < pipeline.n; i++) {
		const char *rule = pipeline.v[i].rule;

		if ((!strcmp(rule, "yaml/syntax") ||
		     !strcmp(rule, "yaml/encoding") ||
		     !strcmp(rule, "yaml/too-large")) &&
		    (!last || strcmp(last, pipeline.v[i].relpath) != 0)) {
			last = pipeline.v[i].relpath;
			unparsed++;
		}
	}
	if (unparsed && !quiet)
		fprintf(stderr, "srctl check-deps: warning: %zu file%s could not be read as YAML; names in %s are not checked (see 'srctl lint')\n",
			unparsed, unparsed == 1 ? "" : "s",
			unparsed == 1 ? "it" : "them");

	sr_findings_sort(&findings);
	if (sr_report_write(stdout, &findings, &ropts) < 0) {
		fprintf(stderr, "srctl: error: %s\n", sr_error_last());
		exit_code = SR_EXIT_RUNTIME;
	} else if (run.io_error) {
		exit_code = SR_EXIT_RUNTIME;
	} else if (findings.n) {
		exit_code = SR_EXIT_FINDINGS;
	}
done:
	free(uses.v);
	names_release(&declared);
	sr_findings_release(&pipeline);
	sr_findings_release(&findings);
	sr_config_free(cfg);
	sr_buf_release(&errors);
	sr_catalog_free();
	return exit_code;
}

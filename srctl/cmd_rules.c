#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "catalog/catalog.h"
#include "cmd.h"
#include "exitcode.h"
#include "opt.h"
#include "base/banned.h"

static const struct sr_usage usage = {
	"srctl rules [list | explain RULE-ID]",
	"List the rules srctl checks, or explain one: why it matters, how to\n"
	"fix it, and a failing and a passing example.",
	"Rules whose default severity is 'off' are opt-in: enable them in\n"
	".srctl.yaml under 'rules:' with a severity.\n"
};

static void print_indented(const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		printf("    %.*s\n", n, p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static int explain(const char *id)
{
	const struct sr_rule *r = sr_catalog_find(id);

	if (!r) {
		const char *hint = sr_catalog_suggest(id);
		fprintf(stderr, "srctl rules: unknown rule '%s'\n", id);
		if (hint)
			fprintf(stderr, "hint: did you mean '%s'?\n", hint);
		fprintf(stderr, "hint: see 'srctl rules list'\n");
		return SR_EXIT_USAGE;
	}
	printf("%s (%s)\n\n%s\n\nWhy:\n", r->id, sr_severity_name(r->severity),
	       r->summary);
	print_indented(r->rationale);
	printf("\nFix:\n");
	print_indented(r->fix);
	if (r->example_fail) {
		printf("\nFails:\n");
		print_indented(r->example_fail);
	}
	if (r->example_pass) {
		printf("\nPasses:\n");
		print_indented(r->example_pass);
	}
	return SR_EXIT_OK;
}

static void list(void)
{
	size_t i;
	int width = 0;

	for (i = 0; i < sr_catalog_count(); i++) {
		int n = (int)strlen(sr_catalog_at(i)->id);
		if (n > width)
			width = n;
	}
	for (i = 0; i < sr_catalog_count(); i++) {
		const struct sr_rule *r = sr_catalog_at(i);
		printf("%-*s  %-7s  %s\n", width, r->id,
		       sr_severity_name(r->severity), r->summary);
	}
}

int cmd_rules(int argc, char **argv)
{
	static const struct sr_opt opts[] = { SR_OPT_END() };
	struct sr_opt_list args = { { 0 }, 0 };
	int r = sr_opt_parse("rules", &usage, opts, argc, argv, &args);

	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (sr_catalog_load() < 0) {
		fprintf(stderr, "srctl: internal error: %s\n", sr_error_last());
		return SR_EXIT_RUNTIME;
	}
	if (args.n == 0 || (args.n == 1 && !strcmp(args.v[0], "list"))) {
		list();
		r = SR_EXIT_OK;
	} else if (args.n == 2 && !strcmp(args.v[0], "explain")) {
		r = explain(args.v[1]);
	} else {
		fprintf(stderr, "srctl rules: expected 'list' or 'explain RULE-ID'\n");
		fprintf(stderr, "hint: see 'srctl rules --help'\n");
		r = SR_EXIT_USAGE;
	}
	sr_catalog_free();
	return r;
}

/*
 * srctl's entry point: global flags, the command table, dispatch.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "exitcode.h"
#include "opt.h"
#include "base/banned.h"

const struct sr_cmd sr_cmds[] = {
	{ "validate", cmd_validate,
	  "check timeout, circuit-breaker and probe contracts in YAML" },
	{ "lint", cmd_lint,
	  "check YAML syntax and JSON Schemas only (fast; for pre-commit)" },
	{ "baseline", cmd_baseline,
	  "record current findings so that only new ones fail" },
	{ "rules", cmd_rules, "list the rules or explain one" },
	{ "check-deps", cmd_check_deps,
	  "check that every dependency named is a declared service" },
	{ "deps", cmd_deps,
	  "check dependency manifests and lockfiles for known-bad versions" },
	{ "timeout", cmd_timeout,
	  "show, adjust, revert live timeouts inside the contracts" },
	{ "schema", cmd_schema,
	  "list or show the shipped JSON Schemas, check a file against one" },
	{ "version", cmd_version, "print the version" },
	{ "audit-log", cmd_audit_log,
	  "list protection-policy changes from git history" },
	{ "init", cmd_init, "write a starter .srctl.yaml (and a git hook)" },
	{ NULL, NULL, NULL }
};

static void usage(FILE *out)
{
	const struct sr_cmd *c;

	fprintf(out, "usage: srctl <command> [options] [args]\n\n"
		"srctl checks SRE protection policies (timeouts, circuit breakers,\n"
		"health probes) declared in a repository.\n\nCommands:\n");
	for (c = sr_cmds; c->name; c++)
		fprintf(out, "  %-10s  %s\n", c->name, c->summary);
	fprintf(out, "\nRun 'srctl <command> --help' for a command's options.\n"
		"Exit codes: 0 clean, 1 findings at or above --fail-on, "
		"2 usage or configuration error,\n3 I/O or internal error.\n");
}

static const struct sr_cmd *find_cmd(const char *name)
{
	const struct sr_cmd *c;

	for (c = sr_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int unknown_cmd(const char *name)
{
	const char *names[32];
	const char *hint;
	int n = 0;

	for (n = 0; sr_cmds[n].name && n < 32; n++)
		names[n] = sr_cmds[n].name;
	fprintf(stderr, "srctl: '%s' is not a srctl command\n", name);
	hint = sr_suggest(name, names, n);
	if (hint)
		fprintf(stderr, "hint: did you mean '%s'?\n", hint);
	fprintf(stderr, "hint: see 'srctl --help'\n");
	return SR_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct sr_cmd *c;
	const char *name;

	if (argc < 2) {
		usage(stderr);
		return SR_EXIT_USAGE;
	}
	name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		usage(stdout);
		return SR_EXIT_OK;
	}
	if (!strcmp(name, "--version"))
		return cmd_version(0, NULL);
	if (!strcmp(name, "help")) {
		char help[] = "--help";
		char *hargv[] = { help, NULL };

		if (argc < 3) {
			usage(stdout);
			return SR_EXIT_OK;
		}
		c = find_cmd(argv[2]);
		if (!c)
			return unknown_cmd(argv[2]);
		return c->fn(1, hargv);
	}
	if (name[0] == '-') {
		fprintf(stderr, "srctl: unknown option '%s' before the command\n", name);
		fprintf(stderr, "hint: see 'srctl --help'\n");
		return SR_EXIT_USAGE;
	}
	c = find_cmd(name);
	if (!c)
		return unknown_cmd(name);
	return c->fn(argc - 2, argv + 2);
}

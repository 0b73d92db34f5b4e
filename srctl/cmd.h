/*
 * srctl's subcommands. Each is int cmd_<name>(int argc, char **argv),
 * called with argv[0] the first argument after the command name, and
 * returns an SR_EXIT_* code.
 *
 * How to add a subcommand:
 *  1. write srctl/cmd_<name>.c with its own static const struct sr_opt
 *     opts[] and struct sr_usage (they generate --help);
 *  2. declare cmd_<name> below and add one row to sr_cmds[] in main.c;
 *  3. add golden cases under fixtures/cli/ (the --help test covers every
 *     row of sr_cmds[] by itself).
 */
#ifndef SR_CMD_H
#define SR_CMD_H

struct sr_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

int cmd_validate(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_check_deps(int argc, char **argv);
int cmd_deps(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_audit_log(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_timeout(int argc, char **argv);

extern const struct sr_cmd sr_cmds[];

#endif

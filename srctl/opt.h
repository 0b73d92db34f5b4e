/*
 * Command-line options as data: each command declares a table of
 * struct sr_opt, which drives both parsing and the generated --help, so
 * the two cannot drift apart. Long options are --kebab-case and accept
 * "--name value" and "--name=value"; "--" ends the options.
 */
#ifndef SR_OPT_H
#define SR_OPT_H

#include <stdbool.h>
#include <stdio.h>

enum sr_opt_type {
	SR_OPT_BOOL,		/* target: bool *, set to true */
	SR_OPT_STRING,		/* target: const char **, last one wins */
	SR_OPT_LIST,		/* target: struct sr_opt_list *, repeatable */
	SR_OPT_END
};

struct sr_opt_list {
	const char *v[64];
	int n;
};

struct sr_opt {
	enum sr_opt_type type;
	const char *name;	/* long name without "--" */
	char short_name;	/* 0 for none */
	void *target;
	const char *metavar;	/* for options with a value: "FILE" */
	const char *help;	/* one line */
};

#define SR_OPT_BOOL(s, l, t, h) { SR_OPT_BOOL, l, s, t, NULL, h }
#define SR_OPT_STRING(s, l, t, m, h) { SR_OPT_STRING, l, s, t, m, h }
#define SR_OPT_LIST(s, l, t, m, h) { SR_OPT_LIST, l, s, t, m, h }
#define SR_OPT_END() { SR_OPT_END, NULL, 0, NULL, NULL, NULL }

/* What a command tells --help besides its options. */
struct sr_usage {
	const char *synopsis;	/* "srctl validate [options] [PATH...]" */
	const char *summary;	/* one line */
	const char *details;	/* paragraphs after the options, or NULL */
};

#define SR_OPT_HELP 1	/* sr_opt_parse: --help was given and printed */

/*
 * Parse argv[0..argc) (argv[0] is the first argument after the command
 * name). Positional arguments are collected into 'positional' (which may
 * be NULL to accept none). --help/-h prints the help to stdout and
 * returns SR_OPT_HELP. Errors print "srctl CMD: ..." with a "did you
 * mean" hint to stderr and return -1.
 */
int sr_opt_parse(const char *cmd, const struct sr_usage *usage,
		 const struct sr_opt *opts, int argc, char **argv,
		 struct sr_opt_list *positional);

void sr_opt_print_help(FILE *out, const struct sr_usage *usage,
		       const struct sr_opt *opts);

/*
 * The candidate closest to 'word' (edit distance at most a third of its
 * length, rounded up, and at least 1), or NULL.
 */
const char *sr_suggest(const char *word, const char *const *candidates,
		       int n);

#endif

#include "opt.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "base/banned.h"

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t *row = sr_xmalloc((lb + 1) * sizeof(*row));
	size_t d;

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

const char *sr_suggest(const char *word, const char *const *candidates,
		       int n)
{
	size_t limit = (strlen(word) + 2) / 3, best_d = (size_t)-1;
	const char *best = NULL;
	int i;

	if (limit < 1)
		limit = 1;
	for (i = 0; i < n; i++) {
		size_t d = edit_distance(word, candidates[i]);
		/* a prefix of a long name is a likely abbreviation */
		if (d > limit && strlen(word) >= 3 &&
		    strncmp(candidates[i], word, strlen(word)) == 0)
			d = limit;
		if (d <= limit && d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}

static const struct sr_opt *find_long(const struct sr_opt *opts,
				      const char *name, size_t len)
{
	for (; opts->type != SR_OPT_END; opts++)
		if (strlen(opts->name) == len && !strncmp(opts->name, name, len))
			return opts;
	return NULL;
}

static const struct sr_opt *find_short(const struct sr_opt *opts, char c)
{
	for (; opts->type != SR_OPT_END; opts++)
		if (opts->short_name && opts->short_name == c)
			return opts;
	return NULL;
}

static void unknown_option(const char *cmd, const char *arg,
			   const struct sr_opt *opts)
{
	const char *names[128];
	char word[128];
	const char *eq;
	const char *hint;
	size_t len;
	int n = 0;

	for (; opts->type != SR_OPT_END && n < 126; opts++)
		names[n++] = opts->name;
	names[n++] = "help";
	eq = strchr(arg, '=');
	len = eq ? (size_t)(eq - arg) : strlen(arg);
	while (len && *arg == '-') {
		arg++;
		len--;
	}
	if (len >= sizeof(word))
		len = sizeof(word) - 1;
	memcpy(word, arg, len);
	word[len] = '\0';
	hint = sr_suggest(word, names, n);
	fprintf(stderr, "srctl %s: unknown option '--%s'\n", cmd, word);
	if (hint)
		fprintf(stderr, "hint: did you mean '--%s'?\n", hint);
	fprintf(stderr, "hint: see 'srctl %s --help'\n", cmd);
}

static int set_value(const char *cmd, const struct sr_opt *o, const char *v)
{
	if (o->type == SR_OPT_STRING) {
		*(const char **)o->target = v;
		return 0;
	}
	if (o->type == SR_OPT_LIST) {
		struct sr_opt_list *l = o->target;
		if (l->n >= (int)SR_ARRAY_SIZE(l->v)) {
			fprintf(stderr, "srctl %s: too many '--%s' options\n",
				cmd, o->name);
			return -1;
		}
		l->v[l->n++] = v;
		return 0;
	}
	return -1;
}

int sr_opt_parse(const char *cmd, const struct sr_usage *usage,
		 const struct sr_opt *opts, int argc, char **argv,
		 struct sr_opt_list *positional)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct sr_opt *o;

		if (!strcmp(a, "--")) {
			for (i++; i < argc; i++) {
				if (!positional || positional->n >= (int)SR_ARRAY_SIZE(positional->v))
					goto extra;
				positional->v[positional->n++] = argv[i];
			}
			break;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			sr_opt_print_help(stdout, usage, opts);
			return SR_OPT_HELP;
		}
		if (a[0] == '-' && a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			o = find_long(opts, a + 2, len);
			if (!o) {
				unknown_option(cmd, a, opts);
				return -1;
			}
			if (o->type == SR_OPT_BOOL) {
				if (eq) {
					fprintf(stderr, "srctl %s: option '--%s' takes no value\n",
						cmd, o->name);
					return -1;
				}
				*(bool *)o->target = true;
				continue;
			}
			if (eq) {
				if (set_value(cmd, o, eq + 1) < 0)
					return -1;
				continue;
			}
			if (i + 1 >= argc) {
				fprintf(stderr, "srctl %s: option '--%s' needs a value (%s)\n",
					cmd, o->name, o->metavar);
				return -1;
			}
			if (set_value(cmd, o, argv[++i]) < 0)
				return -1;
			continue;
		}
		if (a[0] == '-' && a[1]) {
			o = find_short(opts, a[1]);
			if (!o) {
				fprintf(stderr, "srctl %s: unknown option '%s'\n", cmd, a);
				fprintf(stderr, "hint: see 'srctl %s --help'\n", cmd);
				return -1;
			}
			if (o->type == SR_OPT_BOOL) {
				if (a[2]) {
					fprintf(stderr, "srctl %s: unknown option '%s'\n", cmd, a);
					return -1;
				}
				*(bool *)o->target = true;
				continue;
			}
			if (a[2]) {
				if (set_value(cmd, o, a + 2) < 0)
					return -1;
				continue;
			}
			if (i + 1 >= argc) {
				fprintf(stderr, "srctl %s: option '-%c' needs a value (%s)\n",
					cmd, o->short_name, o->metavar);
				return -1;
			}
			if (set_value(cmd, o, argv[++i]) < 0)
				return -1;
			continue;
		}
		if (!positional || positional->n >= (int)SR_ARRAY_SIZE(positional->v))
			goto extra;
		positional->v[positional->n++] = a;
	}
	return 0;
extra:
	if (!positional)
		fprintf(stderr, "srctl %s: unexpected argument '%s'\n", cmd, argv[i]);
	else
		fprintf(stderr, "srctl %s: too many arguments\n", cmd);
	fprintf(stderr, "hint: see 'srctl %s --help'\n", cmd);
	return -1;
}

void sr_opt_print_help(FILE *out, const struct sr_usage *usage,
		       const struct sr_opt *opts)
{
	const struct sr_opt *o;

	fprintf(out, "usage: %s\n\n%s\n", usage->synopsis, usage->summary);
	fprintf(out, "\nOptions:\n");
	for (o = opts; o->type != SR_OPT_END; o++) {
		char left[64];

		if (o->short_name && o->metavar)
			snprintf(left, sizeof(left), "-%c, --%s %s", o->short_name,
				 o->name, o->metavar);
		else if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->name);
		else if (o->metavar)
			snprintf(left, sizeof(left), "    --%s %s", o->name, o->metavar);
		else
			snprintf(left, sizeof(left), "    --%s", o->name);
		if (strlen(left) > 26)
			fprintf(out, "  %s\n  %-26s  %s\n", left, "", o->help);
		else
			fprintf(out, "  %-26s  %s\n", left, o->help);
	}
	fprintf(out, "  %-26s  %s\n", "-h, --help", "show this help and exit");
	if (usage->details)
		fprintf(out, "\n%s", usage->details);
}

/*
 * srctl audit-log: the history of protection-policy changes, from the
 * repository's commits (gitx walks them, history/ compares each changed
 * file's two versions) merged with the control plane's adjustment log,
 * or, with --baseline, what differs between a ref and the work tree.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "cmd.h"
#include "config/config.h"
#include "exitcode.h"
#include "gitx/gitx.h"
#include "history/audit.h"
#include "history/policy.h"
#include "opt.h"
#include "base/banned.h"

struct walk {
	struct sr_audit *audit;
	bool error;
};

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Only YAML can hold the policies audit-log follows. */
static bool want(void *payload, const char *path)
{
	(void)payload;
	return has_suffix(path, ".yaml") || has_suffix(path, ".yml");
}

/*
 * The service a file belongs to in 'tree': the nearest directory at or
 * above it holding a timeout contract, named by the contract's 'service'
 * key or the directory's name; without one, the file's directory name.
 */
static char *service_of(const struct sr_gitx_tree *tree, const char *path)
{
	static const char *const names[] = { "timeout.yaml", "timeout.yml" };
	struct sr_buf dir = SR_BUF_INIT, file = SR_BUF_INIT;
	const char *slash = strrchr(path, '/');
	char *out = NULL;
	size_t i;

	sr_buf_add(&dir, path, slash ? (size_t)(slash - path) : 0);
	for (;;) {
		for (i = 0; i < 2 && !out; i++) {
			char *text = NULL;
			size_t len = 0;

			sr_buf_reset(&file);
			if (dir.len)
				sr_buf_addf(&file, "%s/", dir.ptr);
			sr_buf_adds(&file, names[i]);
			if (sr_gitx_tree_read(tree, file.ptr, &text, &len) < 0)
				continue;
			out = sr_policy_contract_service(text, len);
			if (!out) {
				const char *base = strrchr(sr_buf_cstr(&dir),
							   '/');

				out = sr_xstrdup(dir.len ? (base ? base + 1 :
							    dir.ptr) :
						 "(root)");
			}
			free(text);
		}
		if (out || !dir.len)
			break;
		slash = strrchr(dir.ptr, '/');
		dir.len = slash ? (size_t)(slash - dir.ptr) : 0;
		dir.ptr[dir.len] = '\0';
	}
	if (!out) {
		slash = strrchr(path, '/');
		if (!slash) {
			out = sr_xstrdup("(root)");
		} else {
			const char *start = slash;

			while (start > path && start[-1] != '/')
				start--;
			out = sr_xstrndup(start, (size_t)(slash - start));
		}
	}
	sr_error_clear();
	sr_buf_release(&dir);
	sr_buf_release(&file);
	return out;
}

static int on_change(void *payload, const struct sr_gitx_commit *c,
		     const struct sr_gitx_change *ch)
{
	struct walk *w = payload;
	struct sr_audit_origin o;
	char *old_service = NULL, *new_service = NULL;

	o.id = c->id;
	o.short_id = c->short_id;
	o.author = c->author;
	o.email = c->email;
	o.time = c->time;
	o.offset = c->offset;
	if (ch->old_path && ch->old_text)
		old_service = service_of(ch->old_tree, ch->old_path);
	if (ch->new_path && ch->new_text)
		new_service = service_of(ch->new_tree, ch->new_path);
	sr_audit_diff(w->audit, &o, ch->old_path, old_service,
		      ch->old_text, ch->old_len, ch->new_path, new_service,
		      ch->new_text, ch->new_len);
	free(old_service);
	free(new_service);
	return 0;
}

/* --- output ---------------------------------------------------------- */

static const char *or_none(const char *s)
{
	return s ? s : "(none)";
}

static void text_header(struct sr_buf *out, const struct sr_audit_entry *e)
{
	if (e->source == SR_AUDIT_GIT) {
		sr_buf_addf(out, "commit %s  ", e->short_id);
		sr_audit_fmt_time(out, e->time, e->offset, false);
		sr_buf_addf(out, "  %s <%s>\n", e->author, e->email);
		return;
	}
	sr_buf_adds(out, "adjustment  ");
	sr_audit_fmt_time(out, e->time, e->offset, false);
	sr_buf_addf(out, "  %s", e->author ? e->author : "(unknown)");
	if (e->outcome)
		sr_buf_addf(out, "  %s", e->outcome);
	if (e->reason)
		sr_buf_addf(out, ": %s", e->reason);
	sr_buf_addc(out, '\n');
}

static bool same_origin(const struct sr_audit_entry *a,
			const struct sr_audit_entry *b)
{
	if (a->source != b->source || a->time != b->time)
		return false;
	if (a->source == SR_AUDIT_GIT)
		return !strcmp(a->id, b->id);
	return !strcmp(a->service, b->service) &&
	       !strcmp(a->target, b->target) &&
	       !strcmp(a->author ? a->author : "", b->author ? b->author : "");
}

static void write_text(struct sr_buf *out, const struct sr_audit *a,
		       bool headers)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct sr_audit_entry *e = &a->v[i];

		if (headers && (i == 0 || !same_origin(&a->v[i - 1], e))) {
			if (i)
				sr_buf_addc(out, '\n');
			text_header(out, e);
		}
		sr_buf_addf(out, "    %s  %s  %s: %s -> %s", e->service,
			    e->target, e->field, or_none(e->old_value),
			    or_none(e->new_value));
		if (e->path)
			sr_buf_addf(out, "  (%s)", e->path);
		sr_buf_addc(out, '\n');
	}
}

static void json_field(struct sr_buf *out, const char *key, const char *v,
		       bool comma)
{
	sr_buf_addf(out, "\"%s\": ", key);
	if (v)
		sr_buf_add_json(out, v);
	else
		sr_buf_adds(out, "null");
	if (comma)
		sr_buf_adds(out, ", ");
}

static void write_json(struct sr_buf *out, const struct sr_audit *a,
		       const char *baseline)
{
	struct sr_buf date = SR_BUF_INIT;
	size_t i;

	sr_buf_adds(out, "{\n  \"version\": 1,\n  \"baseline\": ");
	if (baseline)
		sr_buf_add_json(out, baseline);
	else
		sr_buf_adds(out, "null");
	sr_buf_adds(out, ",\n  \"changes\": [");
	for (i = 0; i < a->n; i++) {
		const struct sr_audit_entry *e = &a->v[i];
		bool git = e->source == SR_AUDIT_GIT;

		sr_buf_reset(&date);
		sr_audit_fmt_time(&date, e->time, e->offset, true);
		sr_buf_adds(out, i ? ",\n    {" : "\n    {");
		json_field(out, "source", git ? "git" : "adjustment", true);
		if (git) {
			json_field(out, "commit", e->id, true);
			json_field(out, "author", e->author, true);
			json_field(out, "email", e->email, true);
		} else {
			json_field(out, "who", e->author, true);
		}
		json_field(out, "date", date.ptr, true);
		json_field(out, "service", e->service, true);
		json_field(out, "target", e->target, true);
		json_field(out, "field", e->field, true);
		json_field(out, "old", e->old_value, true);
		json_field(out, "new", e->new_value, true);
		if (git) {
			json_field(out, "path", e->path, false);
		} else {
			json_field(out, "reason", e->reason, true);
			json_field(out, "outcome", e->outcome, false);
		}
		sr_buf_addc(out, '}');
	}
	sr_buf_adds(out, a->n ? "\n  ]\n}\n" : "]\n}\n");
	sr_buf_release(&date);
}

/* --- the command ----------------------------------------------------- */

/* PATH relative to the work tree ("" for the top), or NULL if outside. */
static char *relative_to(const char *workdir, const char *path)
{
	char *real = realpath(path, NULL);
	size_t n = strlen(workdir);
	char *out = NULL;

	if (!real)
		return NULL;
	if (!strcmp(real, workdir))
		out = sr_xstrdup("");
	else if (!strncmp(real, workdir, n) && real[n] == '/')
		out = sr_xstrdup(real + n + 1);
	else if (n == 1)
		out = sr_xstrdup(real + 1);
	free(real);
	return out;
}

int cmd_audit_log(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl audit-log [options] [PATH]",
		"List every change of a protection policy in the history of the\n"
		"repository holding PATH (default: the current directory), limited\n"
		"to files under PATH: timeout contract values, Kubernetes probes,\n"
		"circuit breakers (resilience4j, Istio outlierDetection and\n"
		"connectionPool) and route timeouts, per service and target, with\n"
		"the commit, its author and date, and the old and new values. Oldest\n"
		"first. Merge commits are skipped (a change is told where it was\n"
		"made) unless --first-parent follows the first-parent chain only.",
		"--since takes a date (2026-01-31, 2026-01-31T10:00:00Z) or a\n"
		"revision; with a revision, the history it reaches is left out.\n"
		"--adjustments merges the control plane's adjustment log (JSON lines\n"
		"with who, when, service, target, old, new, reason, outcome); without\n"
		"it, the file named by audit.adjustments in .srctl.yaml, if it exists.\n"
		"--baseline REF lists what differs between REF and the work tree\n"
		"instead of the history.\n"
		"\nExit codes: 0 listed (even if empty), 2 usage error or not a git\n"
		"repository, 3 the history or the adjustment log could not be read.\n"
	};
	const char *since = NULL, *service = NULL, *format = "text";
	const char *baseline = NULL, *adjustments = NULL, *config_path = NULL;
	bool first_parent = false;
	const struct sr_opt opts[] = {
		SR_OPT_STRING(0, "since", &since, "DATE|REV",
			      "only changes from DATE on, or after revision REV"),
		SR_OPT_STRING(0, "service", &service, "NAME",
			      "only changes of service NAME"),
		SR_OPT_STRING('f', "format", &format, "FORMAT",
			      "text (default) or json"),
		SR_OPT_STRING(0, "baseline", &baseline, "REF",
			      "list what differs between REF and the work tree"),
		SR_OPT_STRING(0, "adjustments", &adjustments, "FILE",
			      "merge the control-plane adjustment log FILE"),
		SR_OPT_BOOL(0, "first-parent", &first_parent,
			    "follow only the first parent of merges"),
		SR_OPT_STRING('c', "config", &config_path, "FILE",
			      "use FILE instead of the nearest .srctl.yaml"),
		SR_OPT_END()
	};
	struct sr_opt_list paths = { { 0 }, 0 };
	struct sr_gitx_log_opts lopts = { 0 };
	struct sr_audit audit = SR_AUDIT_INIT;
	struct sr_buf out = SR_BUF_INIT, warnings = SR_BUF_INIT;
	struct sr_gitx *g = NULL;
	struct sr_config *cfg = NULL;
	struct sr_buf cfg_errors = SR_BUF_INIT, adj_path = SR_BUF_INIT;
	struct walk w = { &audit, false };
	const char *path;
	char *prefix = NULL;
	long long since_time = 0;
	bool json;
	int r, offset, exit_code = SR_EXIT_OK;
	struct stat st;

	r = sr_opt_parse("audit-log", &usage, opts, argc, argv, &paths);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (paths.n > 1) {
		fprintf(stderr, "srctl audit-log: takes one PATH, got %d\n",
			paths.n);
		return SR_EXIT_USAGE;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "srctl audit-log: unknown format '%s' (text, json)\n",
			format);
		return SR_EXIT_USAGE;
	}
	json = !strcmp(format, "json");
	path = paths.n ? paths.v[0] : ".";
	if (stat(path, &st) != 0) {
		fprintf(stderr, "srctl: cannot read '%s': %s\n", path,
			strerror(errno));
		return SR_EXIT_USAGE;
	}
	if (sr_config_load(&cfg, config_path, path, &cfg_errors) < 0) {
		fprintf(stderr, "%s", sr_buf_cstr(&cfg_errors));
		if (cfg_errors.len &&
		    cfg_errors.ptr[cfg_errors.len - 1] != '\n')
			fputc('\n', stderr);
		fprintf(stderr, "srctl: invalid configuration\n");
		exit_code = SR_EXIT_USAGE;
		goto done;
	}
	/* a configured log is merged when the control plane has written it */
	if (!adjustments && cfg->audit_adjustments) {
		if (cfg->audit_adjustments[0] != '/' && cfg->dir)
			sr_buf_addf(&adj_path, "%s/", cfg->dir);
		sr_buf_adds(&adj_path, cfg->audit_adjustments);
		if (access(adj_path.ptr, F_OK) == 0)
			adjustments = adj_path.ptr;
	}
	g = sr_gitx_open(path);
	if (!g) {
		fprintf(stderr, "srctl audit-log: '%s' is not inside a git work tree\n",
			path);
		exit_code = SR_EXIT_USAGE;
		goto done;
	}
	prefix = relative_to(sr_gitx_workdir(g), path);
	if (!prefix) {
		fprintf(stderr, "srctl audit-log: '%s' is outside the work tree '%s'\n",
			path, sr_gitx_workdir(g));
		exit_code = SR_EXIT_USAGE;
		goto done;
	}
	if (since && !sr_audit_parse_time(since, &since_time, &offset)) {
		if (sr_gitx_rev_time(g, since, &since_time) < 0) {
			fprintf(stderr, "srctl audit-log: --since takes a date or a revision: %s\n",
				sr_error_last());
			exit_code = SR_EXIT_USAGE;
			goto done;
		}
		lopts.hide = since;
		since_time++;	/* the revision itself is left out */
	} else if (since) {
		lopts.since = since_time;
	}

	audit.service = service;
	lopts.first_parent = first_parent;
	lopts.prefix = prefix;
	lopts.max_blob = 16u << 20;
	lopts.want = want;
	lopts.fn = on_change;
	lopts.payload = &w;
	if (baseline)
		r = sr_gitx_diff_workdir(g, baseline, &lopts);
	else
		r = sr_gitx_log(g, &lopts);
	if (r == SR_ENOTFOUND && !baseline) {
		fprintf(stderr, "srctl audit-log: '%s' has no commits yet\n",
			sr_gitx_workdir(g));
	} else if (r < 0) {
		fprintf(stderr, "srctl audit-log: %s\n", sr_error_last());
		exit_code = baseline && strstr(sr_error_last(), "revision") ?
			    SR_EXIT_USAGE : SR_EXIT_RUNTIME;
		goto done;
	}

	if (adjustments && !baseline) {
		if (sr_audit_load_adjustments(&audit, adjustments, since_time,
					      &warnings) < 0) {
			fprintf(stderr, "srctl: %s\n", sr_error_last());
			exit_code = SR_EXIT_RUNTIME;
			goto done;
		}
		if (warnings.len)
			fprintf(stderr, "%s", warnings.ptr);
		sr_audit_merge(&audit);
	}

	if (json) {
		write_json(&out, &audit, baseline);
	} else {
		if (baseline)
			sr_buf_addf(&out, "Differences between %s and the work tree:\n\n",
				    baseline);
		write_text(&out, &audit, !baseline);
		if (baseline && !audit.n)
			sr_buf_adds(&out, "    (none)\n");
	}
	if (out.len && (fwrite(out.ptr, 1, out.len, stdout) != out.len ||
			fflush(stdout) != 0)) {
		fprintf(stderr, "srctl: cannot write output: %s\n",
			strerror(errno));
		exit_code = SR_EXIT_RUNTIME;
	}
done:
	sr_config_free(cfg);
	sr_buf_release(&cfg_errors);
	sr_buf_release(&adj_path);
	free(prefix);
	sr_audit_release(&audit);
	sr_buf_release(&out);
	sr_buf_release(&warnings);
	sr_gitx_free(g);
	return exit_code;
}

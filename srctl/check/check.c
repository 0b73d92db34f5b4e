#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "catalog/catalog.h"
#include "check/suppress.h"
#include "validators/validators.h"
#include "base/banned.h"

/* A finding reported while the file is checked, before filtering. */
struct pending {
	const struct sr_rule *rule;
	struct sr_pos pos;
	char *message;
	char *fix;
	char *pointer;	/* the node's JSON pointer: schema/violation, or with
			   node_paths (baselines) */
};

struct sr_ctx {
	const struct sr_check_opts *opts;
	const char *path;
	const char *relpath;
	const char *name;
	const char *text;
	size_t len;
	struct pending *pending;
	size_t npending;
	size_t cap;
	size_t *line_starts;	/* built on first use */
	size_t nlines;
	const char *loc_path;	/* the model's copies, for sr_ctx_loc */
	const char *loc_relpath;
	struct sr_suppressions *sup;	/* while its documents are checked */
	bool as_yaml;		/* read as YAML: its name says so, or the user */
};

/* Suppressions of the files that had any, for findings reported later. */
struct late_file {
	char *relpath;
	struct sr_suppressions sup;
};

struct sr_check_late {
	struct late_file *v;
	size_t n;
	size_t cap;
	struct sr_ctx reread;	/* the last file read again for a source line */
	char *reread_path;	/* its path: locations may not outlive it */
	char *reread_text;
	struct sr_stream *reread_stream; /* parsed again for node paths */
};

void sr_check_begin(struct sr_check_opts *opts)
{
	opts->model = sr_model_new();
	opts->late = sr_xcalloc(1, sizeof(*opts->late));
}

static bool is_yaml_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

/* Does a validator read this non-YAML file as text? */
static bool text_wanted(const char *name)
{
	const struct sr_validator *const *v;

	for (v = sr_validators; *v; v++)
		if ((*v)->wants_text && (*v)->wants_text(name))
			return true;
	return false;
}

bool sr_check_wants(const char *name)
{
	/* the configuration is checked when it is loaded */
	if (!strcmp(name, ".srctl.yaml") || !strcmp(name, ".srctl.yml"))
		return false;
	return is_yaml_name(name) || text_wanted(name);
}

static void add_pending(struct sr_ctx *ctx, const char *rule,
			struct sr_pos pos, const char *fix, const char *fmt,
			va_list ap)
{
	const struct sr_rule *r = sr_catalog_find(rule);
	struct sr_buf msg = SR_BUF_INIT;
	struct pending *p;

	/* every rule the code reports must be catalogued (a test checks) */
	if (!r) {
		fprintf(stderr, "srctl: internal error: rule '%s' is not in the catalogue\n",
			rule);
		abort();
	}
	sr_buf_vaddf(&msg, fmt, ap);
	ctx->pending = sr_xgrow(ctx->pending, &ctx->cap, ctx->npending + 1,
				sizeof(*ctx->pending));
	p = &ctx->pending[ctx->npending++];
	p->rule = r;
	p->pos = pos;
	p->message = sr_buf_detach(&msg);
	p->fix = fix ? sr_xstrdup(fix) : NULL;
	p->pointer = NULL;
}

void sr_emit_at(struct sr_ctx *ctx, const char *rule, struct sr_pos pos,
		const char *fix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_pending(ctx, rule, pos, fix, fmt, ap);
	va_end(ap);
}

void sr_emit(struct sr_ctx *ctx, const char *rule, const struct sr_node *at,
	     const char *fix, const char *fmt, ...)
{
	struct sr_pos whole = { 0, 0, 0 };
	va_list ap;

	va_start(ap, fmt);
	add_pending(ctx, rule, at ? at->start : whole, fix, fmt, ap);
	va_end(ap);
}

const char *sr_ctx_path(const struct sr_ctx *ctx)
{
	return ctx->path;
}

const char *sr_ctx_relpath(const struct sr_ctx *ctx)
{
	return ctx->relpath;
}

const char *sr_ctx_name(const struct sr_ctx *ctx)
{
	return ctx->name;
}

const struct sr_config *sr_ctx_config(const struct sr_ctx *ctx)
{
	return ctx->opts->config;
}

static void on_problem(void *payload, const char *rule, struct sr_pos pos,
		       const char *message)
{
	sr_emit_at(payload, rule, pos, NULL, "%s", message);
}

/* The text of line 'line' (1-based), without its end of line. */
static char *source_line(struct sr_ctx *ctx, unsigned line)
{
	const size_t max = 400;
	size_t start, end, i;

	if (!ctx->text || line == 0)
		return NULL;
	if (!ctx->line_starts) {
		size_t cap = 0;
		ctx->line_starts = sr_xgrow(NULL, &cap, 64, sizeof(size_t));
		ctx->line_starts[ctx->nlines++] = 0;
		for (i = 0; i < ctx->len; i++) {
			if (ctx->text[i] != '\n')
				continue;
			ctx->line_starts = sr_xgrow(ctx->line_starts, &cap,
						    ctx->nlines + 1, sizeof(size_t));
			ctx->line_starts[ctx->nlines++] = i + 1;
		}
	}
	if (line > ctx->nlines)
		return NULL;
	start = ctx->line_starts[line - 1];
	if (line == 1 && ctx->len >= 3 && !memcmp(ctx->text, "\xef\xbb\xbf", 3))
		start = 3;
	end = line < ctx->nlines ? ctx->line_starts[line] - 1 : ctx->len;
	if (end > start && ctx->text[end - 1] == '\r')
		end--;
	if (end - start > max) {
		/* cut at a character boundary */
		end = start + max;
		while (end > start && ((unsigned char)ctx->text[end] & 0xc0) == 0x80)
			end--;
	}
	return sr_xstrndup(ctx->text + start, end - start);
}

static bool area_selected(const char *only, const char *rule)
{
	const char *slash = strchr(rule, '/');
	size_t alen = slash ? (size_t)(slash - rule) : strlen(rule);
	const char *p = only;

	/* problems reading the file are always shown */
	if (!only || !strncmp(rule, "yaml/", 5))
		return true;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if ((n == alen && !strncmp(p, rule, alen)) ||
		    (n == alen + 2 && !strncmp(p, rule, alen + 1) &&
		     p[alen + 1] == '*') ||
		    (n == strlen(rule) && !strncmp(p, rule, n)))
			return true;
		if (!comma)
			break;
		p = comma + 1;
	}
	return false;
}

/*
 * Report the suppressions' own problems: no reason, or a rule that does
 * not exist. These cannot be suppressed by another comment.
 */
static void check_suppressions(struct sr_ctx *ctx,
			       const struct sr_suppressions *sup)
{
	size_t i;

	for (i = 0; i < sup->n; i++) {
		const struct sr_suppression *s = &sup->v[i];
		size_t n = strlen(s->rule), k;
		bool known = sr_catalog_find(s->rule) != NULL;

		/* an area wildcard must name an area that has rules */
		if (n >= 3 && s->rule[n - 1] == '*' && s->rule[n - 2] == '/')
			for (k = 0; k < sr_catalog_count() && !known; k++)
				known = !strncmp(sr_catalog_at(k)->id, s->rule, n - 1);
		if (!known) {
			const char *hint = sr_catalog_suggest(s->rule);
			struct sr_buf fix = SR_BUF_INIT;

			if (hint)
				sr_buf_addf(&fix, "did you mean '%s'?", hint);
			else
				sr_buf_adds(&fix, "see 'srctl rules list' for the rule ids");
			sr_emit_at(ctx, "suppress/unknown-rule", s->where,
				   fix.ptr, "suppression names unknown rule '%s'",
				   s->rule);
			sr_buf_release(&fix);
		}
		if (s->bad_until)
			sr_emit_at(ctx, "suppress/invalid-until", s->where,
				   "write the date as until=YYYY-MM-DD",
				   "suppression of '%s' has an 'until' that is not "
				   "a date, so it silences nothing", s->rule);
		if (!s->has_reason)
			sr_emit_at(ctx, "suppress/no-reason", s->where,
				   "add ' -- <why>' after the rule id",
				   "suppression of '%s' gives no reason", s->rule);
	}
}

/*
 * Apply configuration and suppressions to one finding. Returns its
 * severity, or SR_SEV_OFF when it is not to be reported (and counts it
 * when a suppression silenced it).
 */
static enum sr_severity admit(const struct sr_check_opts *o,
			      const struct sr_rule *rule, const char *relpath,
			      unsigned line, const struct sr_suppressions *sup)
{
	enum sr_severity sev = sr_config_severity(o->config, rule->id,
						  rule->severity);

	if (sev == SR_SEV_OFF || !area_selected(o->only, rule->id))
		return SR_SEV_OFF;
	if (o->report && !o->report(o->payload, relpath))
		return SR_SEV_OFF;
	/* a suppression's own problems cannot be suppressed */
	if (sup && strncmp(rule->id, "suppress/", 9) != 0 &&
	    sr_suppress_match(sup, rule->id, line)) {
		o->findings->suppressed++;
		return SR_SEV_OFF;
	}
	return sev;
}

/* Apply configuration and suppressions; move what is left to findings. */
static void flush(struct sr_ctx *ctx, const struct sr_suppressions *sup)
{
	const struct sr_check_opts *o = ctx->opts;
	size_t i;

	for (i = 0; i < ctx->npending; i++) {
		struct pending *p = &ctx->pending[i];
		enum sr_severity sev = admit(o, p->rule, ctx->relpath,
					     p->pos.line, sup);
		struct sr_finding f;

		if (sev == SR_SEV_OFF) {
			free(p->message);
			free(p->fix);
			free(p->pointer);
			continue;
		}
		memset(&f, 0, sizeof(f));
		f.rule = sr_xstrdup(p->rule->id);
		f.severity = sev;
		f.path = sr_xstrdup(ctx->path);
		f.relpath = sr_xstrdup(ctx->relpath);
		f.start = p->pos;
		f.message = p->message;
		f.fix = p->fix;
		f.pointer = p->pointer;
		f.source_line = source_line(ctx, p->pos.line);
		sr_findings_take(o->findings, &f);
	}
	ctx->npending = 0;
}

const struct sr_loc *sr_ctx_loc(struct sr_ctx *ctx, const struct sr_node *node)
{
	struct sr_model *m = ctx->opts->model;
	struct sr_loc *loc = sr_model_alloc(m, sizeof(*loc));

	sr_ctx_loc_paths(ctx, &loc->path, &loc->relpath);
	if (node)
		loc->pos = node->start;
	return loc;
}

void sr_ctx_loc_paths(struct sr_ctx *ctx, const char **path,
		      const char **relpath)
{
	if (!ctx->loc_path)
		sr_model_file_paths(ctx->opts->model, ctx->path, ctx->relpath,
				    &ctx->loc_path, &ctx->loc_relpath);
	*path = ctx->loc_path;
	*relpath = ctx->loc_relpath;
}

/* Read a file's text from where the run reads files (disk or index). */
static int read_text(const struct sr_check_opts *opts, const char *path,
		     const char *relpath, char **out, size_t *len)
{
	if (opts->read)
		return opts->read(opts->payload, path, relpath, out, len,
				  opts->max_file_size);
	return sr_fs_read(out, len, path, opts->max_file_size);
}

static void append_pointer_token(struct sr_buf *b, const struct sr_node *key)
{
	const char *k = sr_node_str(key);

	sr_buf_addc(b, '/');
	if (!k) {
		sr_buf_addc(b, '?');	/* a complex key: no name to give */
		return;
	}
	for (; *k; k++) {
		if (*k == '~')
			sr_buf_adds(b, "~0");
		else if (*k == '/')
			sr_buf_adds(b, "~1");
		else
			sr_buf_addc(b, *k);
	}
}

static bool node_holds(const struct sr_node *n, size_t off)
{
	return n && (off == n->start.offset ||
		     (off >= n->start.offset && off < n->end.offset));
}

/*
 * The JSON pointer of the deepest node at character offset 'off' (a key
 * stands for its pair), for fingerprints that survive edits elsewhere in
 * the file. NULL when the document at 'root' does not hold the offset.
 */
static char *pointer_in(const struct sr_node *root, size_t off)
{
	struct sr_buf b = SR_BUF_INIT;
	const struct sr_node *n = root;
	size_t i, depth = 0;

	if (!node_holds(n, off))
		return NULL;
	/* depth bound: aliases cannot loop, but stay safe */
	while (n && depth++ < 1024) {
		const struct sr_node *next = NULL;

		if (n->type == SR_NODE_MAP) {
			for (i = 0; i < n->u.map.n && !next; i++) {
				const struct sr_pair *p = &n->u.map.pairs[i];

				if (node_holds(p->key, off)) {
					append_pointer_token(&b, p->key);
					goto out;
				}
				if (node_holds(p->value, off)) {
					append_pointer_token(&b, p->key);
					next = p->value;
				}
			}
		} else if (n->type == SR_NODE_SEQ) {
			for (i = 0; i < n->u.seq.n && !next; i++)
				if (node_holds(n->u.seq.items[i], off)) {
					sr_buf_addf(&b, "/%zu", i);
					next = n->u.seq.items[i];
				}
		}
		n = next;
	}
out:
	return sr_buf_detach(&b);
}

/* The same in whichever document of 's' holds the offset. */
static char *pointer_at(const struct sr_stream *s, size_t off)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (node_holds(s->docs[i].root, off))
			return pointer_in(s->docs[i].root, off);
	return NULL;
}

/* Node paths of the findings so far that lie in 'doc' (still in memory). */
static void set_pointers(struct sr_ctx *ctx, const struct sr_doc *doc)
{
	size_t i;

	for (i = 0; ctx->opts->node_paths && i < ctx->npending; i++)
		if (!ctx->pending[i].pointer && ctx->pending[i].pos.line)
			ctx->pending[i].pointer =
				pointer_in(doc->root, ctx->pending[i].pos.offset);
}

static void ignore_problem(void *payload, const char *rule,
			   struct sr_pos pos, const char *message)
{
	(void)payload;
	(void)rule;
	(void)pos;
	(void)message;
}

/*
 * A late finding's file, read again (the one-file cache suits findings
 * sorted by file). False when the file is gone.
 */
static bool late_reread(const struct sr_check_opts *opts,
			const struct sr_loc *loc)
{
	struct sr_check_late *late = opts->late;
	size_t len;

	if (!late)
		return false;
	if (!late->reread.path || strcmp(late->reread.path, loc->path) != 0) {
		free(late->reread_path);
		late->reread_path = NULL;
		free(late->reread_text);
		free(late->reread.line_starts);
		if (late->reread_stream)
			sr_stream_free(late->reread_stream);
		late->reread_stream = NULL;
		memset(&late->reread, 0, sizeof(late->reread));
		late->reread_text = NULL;
		if (read_text(opts, loc->path, loc->relpath,
			      &late->reread_text, &len) < 0)
			return false;
		late->reread_path = sr_xstrdup(loc->path);
		late->reread.path = late->reread_path;
		late->reread.text = late->reread_text;
		late->reread.len = len;
	}
	return late->reread_text != NULL;
}

static char *late_source_line(const struct sr_check_opts *opts,
			      const struct sr_loc *loc)
{
	if (!loc->pos.line || !late_reread(opts, loc))
		return NULL;
	return source_line(&opts->late->reread, loc->pos.line);
}

static char *late_pointer(const struct sr_check_opts *opts,
			  const struct sr_loc *loc)
{
	struct sr_check_late *late = opts->late;
	const char *name;

	if (!opts->node_paths || !loc->pos.line || !late_reread(opts, loc))
		return NULL;
	name = strrchr(loc->relpath, '/');
	name = name ? name + 1 : loc->relpath;
	if (!is_yaml_name(name))
		return NULL;	/* Java and .properties: no nodes */
	if (!late->reread_stream)
		late->reread_stream = sr_stream_parse(late->reread_text,
						      late->reread.len,
						      &opts->limits,
						      ignore_problem, NULL);
	return pointer_at(late->reread_stream, loc->pos.offset);
}

const struct sr_check_opts *sr_ctx_opts(const struct sr_ctx *ctx)
{
	return ctx->opts;
}

struct sr_model *sr_ctx_model(const struct sr_ctx *ctx)
{
	return ctx->opts->model;
}

static const struct sr_suppressions *late_suppressions(
	const struct sr_check_late *late, const char *relpath)
{
	size_t i;

	for (i = 0; late && i < late->n; i++)
		if (!strcmp(late->v[i].relpath, relpath))
			return &late->v[i].sup;
	return NULL;
}

void sr_emit_late(const struct sr_check_opts *opts, const struct sr_loc *loc,
		  const char *rule, const char *fix, const char *fmt, ...)
{
	const struct sr_rule *r = sr_catalog_find(rule);
	struct sr_buf msg = SR_BUF_INIT;
	enum sr_severity sev;
	struct sr_finding f;
	va_list ap;

	SR_ASSERT(r != NULL);
	sev = admit(opts, r, loc->relpath, loc->pos.line,
		    late_suppressions(opts->late, loc->relpath));
	if (sev == SR_SEV_OFF)
		return;
	va_start(ap, fmt);
	sr_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	memset(&f, 0, sizeof(f));
	f.rule = sr_xstrdup(r->id);
	f.severity = sev;
	f.path = sr_xstrdup(loc->path);
	f.relpath = sr_xstrdup(loc->relpath);
	f.start = loc->pos;
	f.message = sr_buf_detach(&msg);
	f.fix = fix ? sr_xstrdup(fix) : NULL;
	f.source_line = late_source_line(opts, loc);
	f.pointer = late_pointer(opts, loc);
	sr_findings_take(opts->findings, &f);
}

void sr_check_finish(struct sr_check_opts *opts)
{
	const struct sr_validator *const *v;
	size_t i;

	if (!opts->syntax_only)
		for (v = sr_validators; *v; v++)
			if ((*v)->finish)
				(*v)->finish(opts, opts->model);
	for (i = 0; opts->late && i < opts->late->n; i++) {
		free(opts->late->v[i].relpath);
		sr_suppress_release(&opts->late->v[i].sup);
	}
	if (opts->late) {
		free(opts->late->v);
		free(opts->late->reread_path);
		free(opts->late->reread_text);
		free(opts->late->reread.line_starts);
		if (opts->late->reread_stream)
			sr_stream_free(opts->late->reread_stream);
	}
	free(opts->late);
	opts->late = NULL;
	sr_model_free(opts->model);
	opts->model = NULL;
}

/* Keep a file's suppressions for the findings cross-file rules report. */
static void keep_suppressions(const struct sr_check_opts *opts,
			      const char *relpath, struct sr_suppressions *sup)
{
	struct sr_check_late *late = opts->late;
	struct late_file *lf;

	if (!late || !sup->n) {
		sr_suppress_release(sup);
		return;
	}
	late->v = sr_xgrow(late->v, &late->cap, late->n + 1, sizeof(*late->v));
	lf = &late->v[late->n++];
	lf->relpath = sr_xstrdup(relpath);
	lf->sup = *sup;
	memset(sup, 0, sizeof(*sup));
}

static const char *today(void)
{
	static char buf[16];
	const char *env = getenv("SRCTL_TODAY");
	time_t now;
	struct tm tm;

	if (env && strlen(env) == 10)
		return env;
	if (!buf[0]) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	}
	return buf;
}

static void run_validators(struct sr_ctx *ctx, const struct sr_doc *doc)
{
	const struct sr_validator *const *v;

	for (v = sr_validators; *v; v++)
		if ((*v)->detect(ctx->name, ctx->relpath, doc))
			(*v)->check(ctx, doc);
}

static void on_schema_hit(void *payload, const struct sr_schemamap_hit *hit)
{
	struct sr_ctx *ctx = payload;
	struct pending *p;

	sr_emit_at(ctx, "schema/violation", hit->error->pos, NULL, "%s",
		   hit->error->message);
	p = &ctx->pending[ctx->npending - 1];
	p->pointer = sr_xstrdup(hit->error->pointer);
}

/* One document of a YAML file, while it is in memory. */
static void check_doc(void *payload, const struct sr_doc *doc)
{
	struct sr_ctx *ctx = payload;
	const struct sr_check_opts *o = ctx->opts;

	sr_suppress_annotations(ctx->sup, doc, today());
	/* shapes first: a type error is reported before rules run */
	if (o->schemas)
		sr_schemamap_check(o->schemas, ctx->path, ctx->name,
				   ctx->relpath, doc, on_schema_hit, ctx);
	if (!o->syntax_only)
		run_validators(ctx, doc);
	set_pointers(ctx, doc);
}

static void check_text(struct sr_ctx *ctx, struct sr_suppressions *sup)
{
	const struct sr_check_opts *o = ctx->opts;
	struct sr_pos where;

	switch (sr_utf8_check(ctx->text, ctx->len, &where)) {
	case SR_UTF8_OK:
		break;
	case SR_UTF8_NUL:
		sr_emit_at(ctx, "yaml/encoding", where, NULL,
			   "NUL byte in text; the file is not checked");
		return;
	case SR_UTF8_UTF16:
		sr_emit_at(ctx, "yaml/encoding", where,
			   "save the file as UTF-8",
			   "UTF-16/UTF-32 text is not supported; the file is not checked");
		return;
	default:
		sr_emit_at(ctx, "yaml/encoding", where, NULL,
			   "invalid UTF-8 byte 0x%02X; the file is not checked",
			   (unsigned char)ctx->text[where.offset]);
		return;
	}
	sr_suppress_scan(sup, ctx->text, ctx->len, today(), !ctx->as_yaml);
	if (!ctx->as_yaml) {
		const struct sr_validator *const *v;

		for (v = sr_validators; *v && !o->syntax_only; v++)
			if ((*v)->wants_text && (*v)->wants_text(ctx->name))
				(*v)->check_text(ctx, ctx->text, ctx->len);
		return;
	}
	/* one document at a time: a rendered bundle holds dozens */
	ctx->sup = sup;
	sr_stream_each(ctx->text, ctx->len, &o->limits, on_problem, check_doc,
		       ctx);
	ctx->sup = NULL;
}

static int check_file(const struct sr_check_opts *opts, const char *path,
		      const char *relpath, bool named);

int sr_check_file(const struct sr_check_opts *opts, const char *path,
		  const char *relpath)
{
	return check_file(opts, path, relpath, false);
}

int sr_check_named_file(const struct sr_check_opts *opts, const char *path,
			const char *relpath)
{
	return check_file(opts, path, relpath, true);
}

static int check_file(const struct sr_check_opts *opts, const char *path,
		      const char *relpath, bool named)
{
	struct sr_suppressions sup = { NULL, 0, 0 };
	struct sr_ctx ctx;
	char *text = NULL;
	size_t len = 0;
	const char *slash = strrchr(relpath, '/');
	int err;

	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = opts;
	ctx.path = path;
	ctx.relpath = relpath;
	ctx.name = slash ? slash + 1 : relpath;
	ctx.as_yaml = is_yaml_name(ctx.name) ||
		      (named && !text_wanted(ctx.name));

	err = read_text(opts, path, relpath, &text, &len);
	if (err == SR_ETOOLARGE) {
		char fix[128];

		snprintf(fix, sizeof(fix),
			 "exclude it in .srctl.yaml, or raise --max-file-size above %zu",
			 len);
		sr_emit(&ctx, "yaml/too-large", NULL, fix,
			"file is %zu bytes, over the %zu-byte limit; not checked",
			len, opts->max_file_size);
	} else if (err) {
		return err;
	} else {
		ctx.text = text;
		ctx.len = len;
		check_text(&ctx, &sup);
	}
	if (!opts->report || opts->report(opts->payload, relpath))
		opts->findings->files++;
	check_suppressions(&ctx, &sup);
	flush(&ctx, &sup);
	keep_suppressions(opts, relpath, &sup);
	free(ctx.pending);
	free(ctx.line_starts);
	free(text);
	return 0;
}

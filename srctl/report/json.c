/*
 * The JSON format (SPEC.md section 6, version 1) and the small JSON writer
 * it shares with SARIF. The document is compact, one line, key order fixed:
 *
 *   {"version":1,"findings":[{"rule":..,"severity":..,"file":..,"line":..,
 *    "column":..,"message":..,"fix":..|null[,"pointer":..]}],
 *    "summary":{"files":..,"error":..,"warning":..,"info":..,
 *    "suppressed":..}}
 */
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "report/formats.h"
#include "base/banned.h"

void sr_jw_init(struct sr_jw *w, struct sr_buf *b, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
	w->pretty = pretty;
}

static void newline(struct sr_jw *w)
{
	int i;

	if (!w->pretty)
		return;
	sr_buf_addc(w->b, '\n');
	for (i = 0; i < w->depth; i++)
		sr_buf_adds(w->b, "  ");
}

/* Start a member or element: separator, indentation, key. */
static void member(struct sr_jw *w, const char *key)
{
	if (w->depth > 0) {
		if (w->nonempty[w->depth - 1])
			sr_buf_addc(w->b, ',');
		w->nonempty[w->depth - 1] = true;
		newline(w);
	}
	if (key) {
		sr_buf_add_json(w->b, sr_report__utf8(key, &w->tmp));
		sr_buf_adds(w->b, w->pretty ? ": " : ":");
	}
}

void sr_jw_open(struct sr_jw *w, const char *key, char bracket)
{
	SR_ASSERT(w->depth < SR_JW_MAX_DEPTH);
	member(w, key);
	sr_buf_addc(w->b, bracket);
	w->nonempty[w->depth++] = false;
}

void sr_jw_close(struct sr_jw *w, char bracket)
{
	SR_ASSERT(w->depth > 0);
	w->depth--;
	if (w->nonempty[w->depth])
		newline(w);
	sr_buf_addc(w->b, bracket);
}

void sr_jw_str(struct sr_jw *w, const char *key, const char *val)
{
	member(w, key);
	if (val)
		sr_buf_add_json(w->b, sr_report__utf8(val, &w->tmp));
	else
		sr_buf_adds(w->b, "null");
}

void sr_jw_uint(struct sr_jw *w, const char *key, unsigned long long val)
{
	member(w, key);
	sr_buf_addf(w->b, "%llu", val);
}

void sr_jw_bool(struct sr_jw *w, const char *key, bool val)
{
	member(w, key);
	sr_buf_adds(w->b, val ? "true" : "false");
}

void sr_jw_release(struct sr_jw *w)
{
	sr_buf_release(&w->tmp);
}

void sr_report__json(struct sr_buf *b, const struct sr_findings *list)
{
	struct sr_jw w;
	size_t i;

	sr_jw_init(&w, b, false);
	sr_jw_open(&w, NULL, '{');
	sr_jw_uint(&w, "version", 1);
	sr_jw_open(&w, "findings", '[');
	for (i = 0; i < list->n; i++) {
		const struct sr_finding *f = &list->v[i];

		sr_jw_open(&w, NULL, '{');
		sr_jw_str(&w, "rule", f->rule);
		sr_jw_str(&w, "severity", sr_severity_name(f->severity));
		sr_jw_str(&w, "file", f->relpath);
		sr_jw_uint(&w, "line", f->start.line);
		sr_jw_uint(&w, "column", f->start.col);
		sr_jw_str(&w, "message", f->message);
		sr_jw_str(&w, "fix", f->fix);
		if (f->pointer)
			sr_jw_str(&w, "pointer", f->pointer);
		sr_jw_close(&w, '}');
	}
	sr_jw_close(&w, ']');
	sr_jw_open(&w, "summary", '{');
	sr_jw_uint(&w, "files", list->files);
	sr_jw_uint(&w, "error", sr_findings_count(list, SR_SEV_ERROR));
	sr_jw_uint(&w, "warning", sr_findings_count(list, SR_SEV_WARNING));
	sr_jw_uint(&w, "info", sr_findings_count(list, SR_SEV_INFO));
	sr_jw_uint(&w, "suppressed", list->suppressed);
	if (list->has_baseline)
		sr_jw_uint(&w, "baselined", list->baselined);
	sr_jw_close(&w, '}');
	sr_jw_close(&w, '}');
	sr_buf_addc(b, '\n');
	sr_jw_release(&w);
}

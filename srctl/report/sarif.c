/*
 * SARIF 2.1.0 for GitHub code scanning and other consumers: one run, the
 * driver's rules[] holding the catalogue entry of every rule that appears
 * in the findings (sorted by id), one result per finding. Columns are
 * code points, so the run says columnKind "unicodeCodePoints"; uris are
 * relative to %SRCROOT% (the directory srctl ran in), which the consumer
 * resolves: GitHub maps it to the checkout, so no originalUriBaseIds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "catalog/catalog.h"
#include "report/formats.h"
#include "base/banned.h"

#ifndef SRCTL_VERSION
#define SRCTL_VERSION "unknown"
#endif

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCTL_URI "https://github.com/srctl/srctl"

static const char *level(enum sr_severity sev)
{
	switch (sev) {
	case SR_SEV_ERROR:
		return "error";
	case SR_SEV_WARNING:
		return "warning";
	case SR_SEV_INFO:
		return "note";
	default:
		return "none";
	}
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct rule ids of 'list', sorted. Caller frees the array. */
static const char **rule_ids(const struct sr_findings *list, size_t *out_n)
{
	const char **ids = sr_xcalloc(list->n ? list->n : 1, sizeof(*ids));
	size_t i, n = 0;

	for (i = 0; i < list->n; i++)
		ids[i] = list->v[i].rule;
	if (list->n)
		qsort(ids, list->n, sizeof(*ids), cmp_id);
	for (i = 0; i < list->n; i++)
		if (!n || strcmp(ids[n - 1], ids[i]))
			ids[n++] = ids[i];
	*out_n = n;
	return ids;
}

/* "Fails:" and the snippet, in help.text and as a YAML block in markdown. */
static void add_example(struct sr_buf *text, struct sr_buf *md,
			const char *label, const char *example)
{
	size_t len;

	if (!example)
		return;
	len = strlen(example);
	while (len && (example[len - 1] == '\n' || example[len - 1] == '\r'))
		len--;
	sr_buf_addf(text, "%s%s:\n%.*s", text->len ? "\n\n" : "", label,
		    (int)len, example);
	sr_buf_addf(md, "%s**%s:**\n\n```yaml\n%.*s\n```",
		    md->len ? "\n\n" : "", label, (int)len, example);
}

static void add_rule(struct sr_jw *w, const char *id)
{
	const struct sr_rule *r = sr_catalog_find(id);
	struct sr_buf text = SR_BUF_INIT, md = SR_BUF_INIT;

	sr_jw_open(w, NULL, '{');
	sr_jw_str(w, "id", id);
	if (!r) {
		sr_jw_close(w, '}');
		return;
	}
	sr_jw_str(w, "name", id);
	if (r->summary) {
		sr_jw_open(w, "shortDescription", '{');
		sr_jw_str(w, "text", r->summary);
		sr_jw_close(w, '}');
	}
	if (r->rationale) {
		sr_jw_open(w, "fullDescription", '{');
		sr_jw_str(w, "text", r->rationale);
		sr_jw_close(w, '}');
	}

	if (r->fix) {
		sr_buf_adds(&text, r->fix);
		sr_buf_adds(&md, r->fix);
	}
	add_example(&text, &md, "Fails", r->example_fail);
	add_example(&text, &md, "Passes", r->example_pass);
	if (text.len) {
		sr_jw_open(w, "help", '{');
		sr_jw_str(w, "text", sr_buf_cstr(&text));
		sr_jw_str(w, "markdown", sr_buf_cstr(&md));
		sr_jw_close(w, '}');
	}

	sr_jw_open(w, "defaultConfiguration", '{');
	if (r->severity == SR_SEV_OFF)
		sr_jw_bool(w, "enabled", false);
	else
		sr_jw_str(w, "level", level(r->severity));
	sr_jw_close(w, '}');
	sr_jw_close(w, '}');
	sr_buf_release(&text);
	sr_buf_release(&md);
}

/* FNV-1a over the fields that identify a finding apart from its line. */
static void add_fingerprint(struct sr_jw *w, const struct sr_finding *f)
{
	const char *parts[3];
	uint64_t h = 14695981039346656037ULL;
	char hex[17];
	size_t i;

	parts[0] = f->rule;
	parts[1] = f->relpath;
	parts[2] = f->pointer;
	for (i = 0; i < SR_ARRAY_SIZE(parts); i++) {
		const unsigned char *p = (const unsigned char *)parts[i];

		for (; *p; p++) {
			h ^= *p;
			h *= 1099511628211ULL;
		}
		/* a separator no UTF-8 text has: "a"+"bc" is not "ab"+"c" */
		h ^= 0xff;
		h *= 1099511628211ULL;
	}
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	sr_jw_open(w, "partialFingerprints", '{');
	sr_jw_str(w, "srctlFingerprint/v1", hex);
	sr_jw_close(w, '}');
}

/*
 * 'path' as a relative URI reference: bytes outside RFC 3986's unreserved
 * and sub-delims sets are percent-encoded, ':' too, so that a first
 * segment like "a:b" cannot be read as a scheme.
 */
static const char *uri_encode(const char *path, struct sr_buf *out)
{
	static const char keep[] = "-._~/!$&'()*+,;=@";
	const unsigned char *p = (const unsigned char *)path;

	sr_buf_reset(out);
	for (; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p))
			sr_buf_addc(out, (char)*p);
		else
			sr_buf_addf(out, "%%%02X", *p);
	}
	return sr_buf_cstr(out);
}

static void add_result(struct sr_jw *w, const struct sr_finding *f,
		       size_t rule_index, struct sr_buf *uri)
{
	sr_jw_open(w, NULL, '{');
	sr_jw_str(w, "ruleId", f->rule);
	sr_jw_uint(w, "ruleIndex", rule_index);
	sr_jw_str(w, "level", level(f->severity));
	sr_jw_open(w, "message", '{');
	sr_jw_str(w, "text", f->message);
	sr_jw_close(w, '}');
	sr_jw_open(w, "locations", '[');
	sr_jw_open(w, NULL, '{');
	sr_jw_open(w, "physicalLocation", '{');
	sr_jw_open(w, "artifactLocation", '{');
	sr_jw_str(w, "uri", uri_encode(f->relpath, uri));
	sr_jw_str(w, "uriBaseId", "%SRCROOT%");
	sr_jw_close(w, '}');
	if (f->start.line) {
		sr_jw_open(w, "region", '{');
		sr_jw_uint(w, "startLine", f->start.line);
		if (f->start.col)
			sr_jw_uint(w, "startColumn", f->start.col);
		sr_jw_close(w, '}');
	}
	sr_jw_close(w, '}');
	sr_jw_close(w, '}');
	sr_jw_close(w, ']');
	if (f->pointer)
		add_fingerprint(w, f);
	sr_jw_close(w, '}');
}

void sr_report__sarif(struct sr_buf *b, const struct sr_findings *list)
{
	struct sr_jw w;
	struct sr_buf uri = SR_BUF_INIT;
	size_t i, nids;
	const char **ids = rule_ids(list, &nids);

	sr_jw_init(&w, b, true);
	sr_jw_open(&w, NULL, '{');
	sr_jw_str(&w, "$schema", SARIF_SCHEMA);
	sr_jw_str(&w, "version", "2.1.0");
	sr_jw_open(&w, "runs", '[');
	sr_jw_open(&w, NULL, '{');

	sr_jw_open(&w, "tool", '{');
	sr_jw_open(&w, "driver", '{');
	sr_jw_str(&w, "name", "srctl");
	sr_jw_str(&w, "version", SRCTL_VERSION);
	sr_jw_str(&w, "informationUri", SRCTL_URI);
	sr_jw_open(&w, "rules", '[');
	for (i = 0; i < nids; i++)
		add_rule(&w, ids[i]);
	sr_jw_close(&w, ']');
	sr_jw_close(&w, '}');
	sr_jw_close(&w, '}');

	sr_jw_str(&w, "columnKind", "unicodeCodePoints");
	if (list->has_baseline) {
		/* results the baseline holds are left out; say how many */
		sr_jw_open(&w, "properties", '{');
		sr_jw_uint(&w, "srctlBaselined", list->baselined);
		sr_jw_close(&w, '}');
	}

	sr_jw_open(&w, "results", '[');
	for (i = 0; i < list->n; i++) {
		const char *rule = list->v[i].rule;
		const char **hit = bsearch(&rule, ids, nids, sizeof(*ids),
					   cmp_id);

		SR_ASSERT(hit);
		add_result(&w, &list->v[i], (size_t)(hit - ids), &uri);
	}
	sr_jw_close(&w, ']');

	sr_jw_close(&w, '}');
	sr_jw_close(&w, ']');
	sr_jw_close(&w, '}');
	sr_buf_addc(b, '\n');
	sr_jw_release(&w);
	sr_buf_release(&uri);
	free(ids);
}

/*
 * Findings: severity names, the owning list, and its deterministic order.
 */
#include "finding.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "base/banned.h"

static const char *const severity_names[] = {
	"off", "info", "warning", "error"
};

const char *sr_severity_name(enum sr_severity sev)
{
	if ((size_t)sev < SR_ARRAY_SIZE(severity_names))
		return severity_names[sev];
	return "unknown";
}

bool sr_severity_parse(const char *s, enum sr_severity *out)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < SR_ARRAY_SIZE(severity_names); i++) {
		if (!strcmp(s, severity_names[i])) {
			*out = (enum sr_severity)i;
			return true;
		}
	}
	return false;
}

void sr_findings_take(struct sr_findings *list, struct sr_finding *f)
{
	list->v = sr_xgrow(list->v, &list->cap, list->n + 1, sizeof(*list->v));
	list->v[list->n++] = *f;
	/* the strings are the list's now; leave nothing to free twice */
	memset(f, 0, sizeof(*f));
}

/* strcmp that orders NULL before any string. */
static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_unsigned(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct sr_finding *a = pa, *b = pb;
	int c;

	c = cmp_str(a->path, b->path);
	if (!c)
		c = cmp_unsigned(a->start.line, b->start.line);
	if (!c)
		c = cmp_unsigned(a->start.col, b->start.col);
	if (!c)
		c = cmp_str(a->rule, b->rule);
	if (!c)
		c = cmp_str(a->message, b->message);
	/* the rest only makes the order total, so qsort is deterministic */
	if (!c)
		c = cmp_unsigned(b->severity, a->severity);
	if (!c)
		c = cmp_str(a->relpath, b->relpath);
	if (!c)
		c = cmp_str(a->pointer, b->pointer);
	if (!c)
		c = cmp_str(a->fix, b->fix);
	return c;
}

void sr_findings_sort(struct sr_findings *list)
{
	if (list->n > 1)
		qsort(list->v, list->n, sizeof(*list->v), cmp_finding);
}

size_t sr_findings_count(const struct sr_findings *list, enum sr_severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++)
		if (list->v[i].severity == sev)
			n++;
	return n;
}

bool sr_findings_any_at_least(const struct sr_findings *list,
			      enum sr_severity threshold)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (list->v[i].severity >= threshold)
			return true;
	return false;
}

void sr_finding_release(struct sr_finding *f)
{
	if (!f)
		return;
	free(f->rule);
	free(f->path);
	free(f->relpath);
	free(f->message);
	free(f->fix);
	free(f->source_line);
	free(f->pointer);
	memset(f, 0, sizeof(*f));
}

void sr_findings_release(struct sr_findings *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->n; i++)
		sr_finding_release(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = list->cap = 0;
	list->files = list->suppressed = list->baselined = 0;
	list->has_baseline = false;
}

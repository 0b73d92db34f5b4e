/*
 * Findings: severity names, the owning list, and its deterministic order.
 */
#include "finding.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
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

/* ---- parking: one record per finding, in the order taken ---- */

#define NO_STRING UINT32_MAX	/* the length of a NULL string */

struct parked {
	int severity;
	unsigned line;
	unsigned col;
	size_t offset;
	uint32_t len[7];	/* of the strings that follow, in this order */
};

static void finding_strings(struct sr_finding *f, char **s[7])
{
	s[0] = &f->rule;
	s[1] = &f->path;
	s[2] = &f->relpath;
	s[3] = &f->message;
	s[4] = &f->fix;
	s[5] = &f->source_line;
	s[6] = &f->pointer;
}

/*
 * Write one finding as one record with a single write, so a failure (a
 * full disk) never loses a finding already released: the file may end in
 * a partial record, which the count of parked findings leaves unread.
 */
static bool park_one(int fd, struct sr_finding *f)
{
	struct sr_buf b = SR_BUF_INIT;
	struct parked rec;
	char **s[7];
	size_t i, done = 0;
	bool ok = true;

	memset(&rec, 0, sizeof(rec));
	rec.severity = (int)f->severity;
	rec.line = f->start.line;
	rec.col = f->start.col;
	rec.offset = f->start.offset;
	finding_strings(f, s);
	for (i = 0; i < 7; i++) {
		size_t n = *s[i] ? strlen(*s[i]) : 0;

		if (n >= NO_STRING)
			return false;
		rec.len[i] = *s[i] ? (uint32_t)n : NO_STRING;
	}
	sr_buf_add(&b, &rec, sizeof(rec));
	for (i = 0; i < 7; i++)
		if (*s[i])
			sr_buf_add(&b, *s[i], rec.len[i]);
	while (ok && done < b.len) {
		ssize_t w = write(fd, b.ptr + done, b.len - done);

		if (w > 0)
			done += (size_t)w;
		else
			ok = w < 0 && errno == EINTR;
	}
	sr_buf_release(&b);
	return ok;
}

static bool unpark_one(FILE *in, struct sr_finding *f)
{
	struct parked rec;
	char **s[7];
	size_t i;

	memset(f, 0, sizeof(*f));
	if (fread(&rec, sizeof(rec), 1, in) != 1)
		return false;
	f->severity = (enum sr_severity)rec.severity;
	f->start.line = rec.line;
	f->start.col = rec.col;
	f->start.offset = rec.offset;
	finding_strings(f, s);
	for (i = 0; i < 7; i++) {
		if (rec.len[i] == NO_STRING)
			continue;
		*s[i] = sr_xmalloc((size_t)rec.len[i] + 1);
		if (rec.len[i] && fread(*s[i], rec.len[i], 1, in) != 1) {
			sr_finding_release(f);
			return false;
		}
		(*s[i])[rec.len[i]] = '\0';
	}
	return true;
}

void sr_findings_park(struct sr_findings *list)
{
	if (!list->parking)
		list->park_fd = sr_fs_temp();
	list->parking = list->park_fd >= 0;	/* else stay in memory */
}

static void append(struct sr_findings *list, struct sr_finding *f)
{
	list->v = sr_xgrow(list->v, &list->cap, list->n + 1, sizeof(*list->v));
	list->v[list->n++] = *f;
	memset(f, 0, sizeof(*f));
}

int sr_findings_unpark(struct sr_findings *list)
{
	struct sr_finding *mem = list->v;
	size_t nmem = list->n, i;
	FILE *in = NULL;
	int err = 0;

	if (!list->parking)
		return 0;
	list->parking = false;
	if (lseek(list->park_fd, 0, SEEK_SET) != 0 ||
	    !(in = fdopen(list->park_fd, "rb"))) {
		close(list->park_fd);
		err = -1;
	}
	/* the parked ones come first: they were taken first */
	list->v = NULL;
	list->n = list->cap = 0;
	if (list->nparked) {
		list->v = sr_xmalloc((list->nparked + nmem) * sizeof(*list->v));
		list->cap = list->nparked + nmem;
	}
	for (i = 0; !err && i < list->nparked; i++) {
		struct sr_finding f;

		if (!unpark_one(in, &f))
			err = -1;
		else
			append(list, &f);
	}
	if (err)
		sr_error_set("cannot read back %zu finding%s from a temporary file: %s",
			     list->nparked - list->n,
			     list->nparked - list->n == 1 ? "" : "s",
			     !in || ferror(in) ? strerror(errno) :
			     "it was cut short");
	if (in)
		fclose(in);
	list->nparked = 0;
	for (i = 0; i < nmem; i++)
		append(list, &mem[i]);
	free(mem);
	return err;
}

void sr_findings_take(struct sr_findings *list, struct sr_finding *f)
{
	if (list->parking && !list->n) {
		if (park_one(list->park_fd, f)) {
			list->nparked++;
			sr_finding_release(f);
			return;
		}
		/* cannot write: from here on in memory, after the parked ones */
	}
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
	if (list->parking)
		close(list->park_fd);
	list->parking = false;
	list->nparked = 0;
	list->files = list->suppressed = list->baselined = 0;
	list->has_baseline = false;
}

/*
 * JUnit XML, in the common schema GitLab and Jenkins read: one test suite
 * named after the command, one failing test case per file with findings
 * (named by its relative path) holding one <failure> per finding. The
 * reporter only knows how many files were checked, not which ones passed,
 * so a clean run is a single passing test case named after the suite.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "report/formats.h"
#include "base/banned.h"

static const struct sr_finding *const *sort_base;

/* By relative path, then by position in the (sorted) list: stable. */
static int cmp_index(const void *a, const void *b)
{
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	int c = strcmp(sort_base[ia]->relpath, sort_base[ib]->relpath);

	if (c)
		return c;
	return (ia > ib) - (ia < ib);
}

static void add_xml(struct sr_buf *b, const char *s, struct sr_buf *tmp)
{
	sr_buf_add_xml(b, sr_report__utf8(s, tmp));
}

/*
 * An attribute value: as add_xml, but line breaks and tabs become
 * character references, which attribute-value normalisation would
 * otherwise turn into spaces.
 */
static void add_attr(struct sr_buf *b, const char *s, struct sr_buf *tmp)
{
	const char *p = sr_report__utf8(s, tmp);
	size_t n;

	for (;;) {
		n = strcspn(p, "\n\r\t");
		if (n) {
			char *seg = sr_xstrndup(p, n);

			sr_buf_add_xml(b, seg);
			free(seg);
		}
		p += n;
		if (!*p)
			break;
		sr_buf_addf(b, "&#%d;", *p);
		p++;
	}
}

static void add_failure(struct sr_buf *b, const struct sr_finding *f,
			struct sr_buf *tmp, struct sr_buf *loc)
{
	sr_buf_adds(b, "      <failure type=\"");
	add_attr(b, f->rule, tmp);
	sr_buf_adds(b, "\" message=\"");
	add_attr(b, f->message, tmp);
	sr_buf_adds(b, "\">");
	sr_buf_reset(loc);
	sr_report__location(loc, f);
	add_xml(b, sr_buf_cstr(loc), tmp);
	sr_buf_adds(b, "</failure>\n");
}

void sr_report__junit(struct sr_buf *b, const struct sr_findings *list,
		      const struct sr_report_opts *opts)
{
	struct sr_buf suite = SR_BUF_INIT, tmp = SR_BUF_INIT;
	struct sr_buf loc = SR_BUF_INIT;
	const struct sr_finding **fs = NULL;
	size_t *order = NULL;
	size_t i, j, ncases = 0;

	sr_buf_adds(&suite, "srctl");
	if (opts->command && *opts->command)
		sr_buf_addf(&suite, " %s", opts->command);

	fs = sr_xcalloc(list->n ? list->n : 1, sizeof(*fs));
	order = sr_xcalloc(list->n ? list->n : 1, sizeof(*order));
	for (i = 0; i < list->n; i++) {
		fs[i] = &list->v[i];
		order[i] = i;
	}
	sort_base = fs;
	if (list->n)
		qsort(order, list->n, sizeof(*order), cmp_index);
	sort_base = NULL;
	for (i = 0; i < list->n; i++)
		if (!i || strcmp(fs[order[i - 1]]->relpath,
				 fs[order[i]]->relpath))
			ncases++;

	sr_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sr_buf_addf(b, "<testsuites name=\"srctl\" tests=\"%zu\" "
		    "failures=\"%zu\">\n", ncases ? ncases : 1, ncases);
	sr_buf_adds(b, "  <testsuite name=\"");
	add_attr(b, sr_buf_cstr(&suite), &tmp);
	sr_buf_addf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		    ncases ? ncases : 1, ncases);
	if (list->has_baseline)
		sr_buf_addf(b, "    <properties>\n      <property name=\"baselined\" "
			    "value=\"%u\"/>\n    </properties>\n",
			    list->baselined);

	if (!ncases) {
		sr_buf_adds(b, "    <testcase classname=\"srctl\" name=\"");
		add_attr(b, sr_buf_cstr(&suite), &tmp);
		sr_buf_adds(b, "\"/>\n");
	}
	for (i = 0; i < list->n; i = j) {
		const char *rel = fs[order[i]]->relpath;

		sr_buf_adds(b, "    <testcase classname=\"srctl\" name=\"");
		add_attr(b, rel, &tmp);
		sr_buf_adds(b, "\">\n");
		for (j = i; j < list->n && !strcmp(fs[order[j]]->relpath, rel);
		     j++)
			add_failure(b, fs[order[j]], &tmp, &loc);
		sr_buf_adds(b, "    </testcase>\n");
	}

	sr_buf_adds(b, "  </testsuite>\n</testsuites>\n");
	free(order);
	free(fs);
	sr_buf_release(&loc);
	sr_buf_release(&tmp);
	sr_buf_release(&suite);
}

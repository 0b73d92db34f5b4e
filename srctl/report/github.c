/*
 * GitHub Actions workflow commands, one per finding, which the runner
 * turns into annotations on the pull request:
 *
 *   ::error file=PATH,line=L,col=C,title=RULE::MESSAGE
 *
 * (::warning, ::notice for info). Data is escaped as the Actions toolkit
 * does: '%', CR and LF; property values also ':' and ','.
 */
#include <string.h>

#include "base/buf.h"
#include "report/formats.h"
#include "base/banned.h"

static void add_escaped(struct sr_buf *b, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			sr_buf_adds(b, "%25");
			break;
		case '\r':
			sr_buf_adds(b, "%0D");
			break;
		case '\n':
			sr_buf_adds(b, "%0A");
			break;
		case ':':
			sr_buf_adds(b, property ? "%3A" : ":");
			break;
		case ',':
			sr_buf_adds(b, property ? "%2C" : ",");
			break;
		default:
			sr_buf_addc(b, *s);
		}
	}
}

static const char *command(enum sr_severity sev)
{
	switch (sev) {
	case SR_SEV_ERROR:
		return "error";
	case SR_SEV_WARNING:
		return "warning";
	default:
		return "notice";
	}
}

void sr_report__github(struct sr_buf *b, const struct sr_findings *list)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		const struct sr_finding *f = &list->v[i];

		sr_buf_addf(b, "::%s file=", command(f->severity));
		add_escaped(b, f->path, true);
		if (f->start.line) {
			sr_buf_addf(b, ",line=%u", f->start.line);
			if (f->start.col)
				sr_buf_addf(b, ",col=%u", f->start.col);
		}
		sr_buf_adds(b, ",title=");
		add_escaped(b, f->rule, true);
		sr_buf_adds(b, "::");
		add_escaped(b, f->message, false);
		sr_buf_addc(b, '\n');
	}
	if (list->has_baseline && list->baselined)
		sr_buf_addf(b, "::notice::%u finding%s already in the baseline\n",
			    list->baselined, list->baselined == 1 ? "" : "s");
}

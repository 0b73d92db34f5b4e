/*
 * Reporter dispatch: render into a buffer with the chosen format, then
 * write it in one go and check that the write worked. Also the helpers
 * the formats share.
 */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "report/formats.h"
#include "base/banned.h"

const char *const sr_format_names[] = {
	"text", "short", "json", "sarif", "junit", "github", "codequality",
	NULL
};

bool sr_format_parse(const char *s, enum sr_format *out)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; sr_format_names[i]; i++) {
		if (!strcmp(s, sr_format_names[i])) {
			*out = (enum sr_format)i;
			return true;
		}
	}
	return false;
}

bool sr_report_opts_set(struct sr_report_opts *o, const char *cmd,
			const char *format, bool no_color, bool quiet)
{
	size_t i;

	if (!sr_format_parse(format, &o->format)) {
		fprintf(stderr, "srctl %s: unknown format '%s' (", cmd, format);
		for (i = 0; sr_format_names[i]; i++)
			fprintf(stderr, "%s%s", i ? ", " : "",
				sr_format_names[i]);
		fprintf(stderr, ")\n");
		return false;
	}
	o->color = o->format == SR_FORMAT_TEXT && !no_color &&
		   !getenv("NO_COLOR") && isatty(STDOUT_FILENO);
	o->quiet = quiet;
	o->command = cmd;
	return true;
}

size_t sr_report__utf8_seq(const unsigned char *p)
{
	unsigned lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;
	}
	if (p[1] < lo || p[1] > hi)
		return 0;
	/* a NUL terminator fails this test, so we never read past it */
	for (i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

const char *sr_report__utf8(const char *s, struct sr_buf *tmp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (;;) {
		if (!*p)
			return s;
		n = sr_report__utf8_seq(p);
		if (!n)
			break;
		p += n;
	}

	sr_buf_reset(tmp);
	sr_buf_add(tmp, s, (size_t)((const char *)p - s));
	while (*p) {
		n = sr_report__utf8_seq(p);
		if (n) {
			sr_buf_add(tmp, p, n);
			p += n;
		} else {
			sr_buf_adds(tmp, "\xef\xbf\xbd");	/* U+FFFD */
			p++;
		}
	}
	return sr_buf_cstr(tmp);
}

void sr_report__location(struct sr_buf *b, const struct sr_finding *f)
{
	if (f->start.line)
		sr_buf_addf(b, "%s:%u:%u: ", f->path, f->start.line,
			    f->start.col);
	else
		sr_buf_addf(b, "%s: ", f->path);
	sr_buf_addf(b, "%s: %s", sr_severity_name(f->severity), f->message);
}

int sr_report_write(FILE *out, const struct sr_findings *list,
		    const struct sr_report_opts *opts)
{
	struct sr_buf b = SR_BUF_INIT;
	int ret = 0;

	SR_ASSERT(out && list && opts);
	switch (opts->format) {
	case SR_FORMAT_TEXT:
		sr_report__text(&b, list, opts);
		break;
	case SR_FORMAT_SHORT:
		sr_report__short(&b, list);
		break;
	case SR_FORMAT_JSON:
		sr_report__json(&b, list);
		break;
	case SR_FORMAT_SARIF:
		sr_report__sarif(&b, list);
		break;
	case SR_FORMAT_JUNIT:
		sr_report__junit(&b, list, opts);
		break;
	case SR_FORMAT_GITHUB:
		sr_report__github(&b, list);
		break;
	case SR_FORMAT_CODEQUALITY:
		sr_report__codequality(&b, list);
		break;
	default:
		SR_ASSERT(!"unknown report format");
	}

	errno = 0;
	if ((b.len && fwrite(b.ptr, 1, b.len, out) != b.len) ||
	    fflush(out) != 0 || ferror(out)) {
		sr_error_set("cannot write report: %s",
			     errno ? strerror(errno) : "write error");
		ret = SR_ERROR;
	}
	sr_buf_release(&b);
	return ret;
}

/*
 * The text and short formats. Text is compiler style, like gcc and clang:
 *
 *   svc/t.yaml:4:18: error: message [rule/id]
 *       4 |     redis: { base: "2s" }
 *         |                  ^
 *     fix: use base: 2000
 *
 * followed by a summary line. Short is the first line of each finding
 * only, with no colour and no summary (the golden tests use it).
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "report/formats.h"
#include "base/banned.h"

#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[1;32m"
#define C_RESET "\033[0m"

void sr_report__short(struct sr_buf *b, const struct sr_findings *list)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		sr_report__location(b, &list->v[i]);
		sr_buf_addf(b, " [%s]\n", list->v[i].rule);
	}
}

static const char *severity_color(enum sr_severity sev)
{
	switch (sev) {
	case SR_SEV_ERROR:
		return C_RED;
	case SR_SEV_WARNING:
		return C_MAGENTA;
	case SR_SEV_INFO:
		return C_CYAN;
	default:
		return C_BOLD;
	}
}

/*
 * Decode the code point at 'p', whose well-formed length is 'n' (0 for an
 * ill-formed byte, taken as one column).
 */
static unsigned long decode(const unsigned char *p, size_t n)
{
	switch (n) {
	case 1:
		return p[0];
	case 2:
		return ((p[0] & 0x1fUL) << 6) | (p[1] & 0x3f);
	case 3:
		return ((p[0] & 0x0fUL) << 12) | ((p[1] & 0x3fUL) << 6) |
		       (p[2] & 0x3f);
	case 4:
		return ((p[0] & 0x07UL) << 18) | ((p[1] & 0x3fUL) << 12) |
		       ((p[2] & 0x3fUL) << 6) | (p[3] & 0x3f);
	default:
		return '?';
	}
}

struct range {
	unsigned long lo, hi;
};

/* Combining marks and other characters a terminal draws in no column. */
static const struct range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff },
	{ 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f },
};

/* East Asian wide and fullwidth characters, and emoji: two columns. */
static const struct range double_width[] = {
	{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
	{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
	{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
	{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
	{ 0x1f900, 0x1f9ff }, { 0x20000, 0x3fffd },
};

static bool in_ranges(unsigned long cp, const struct range *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

static unsigned display_width(unsigned long cp)
{
	if (in_ranges(cp, zero_width,
		      sizeof(zero_width) / sizeof(zero_width[0])))
		return 0;
	if (in_ranges(cp, double_width,
		      sizeof(double_width) / sizeof(double_width[0])))
		return 2;
	return 1;
}

/*
 * The padding that puts a caret under code point 'col' (1-based) of
 * 'line' (its first 'len' bytes): a tab for each tab, so the caret lines
 * up however wide the terminal draws tabs, and spaces for the rest.
 */
static void add_caret_padding(struct sr_buf *b, const char *line, size_t len,
			      unsigned col)
{
	const unsigned char *p = (const unsigned char *)line;
	const unsigned char *end = p + len;
	unsigned n;

	for (n = 1; n < col; n++) {
		size_t seq;
		unsigned w;

		if (p >= end) {
			sr_buf_addc(b, ' ');
			continue;
		}
		if (*p == '\t') {
			sr_buf_addc(b, '\t');
			p++;
			continue;
		}
		seq = sr_report__utf8_seq(p);
		if (seq > (size_t)(end - p))
			seq = 0;
		for (w = display_width(decode(p, seq)); w; w--)
			sr_buf_addc(b, ' ');
		p += seq ? seq : 1;
	}
}

static unsigned digits(unsigned n)
{
	unsigned d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static void add_excerpt(struct sr_buf *b, const struct sr_finding *f,
			bool color)
{
	const char *line = f->source_line;
	size_t len = strcspn(line, "\r\n");
	unsigned d = digits(f->start.line);
	int width = (int)(d < 4 ? 4 : d);

	sr_buf_addf(b, " %*u | ", width, f->start.line);
	sr_buf_add(b, line, len);
	sr_buf_addf(b, "\n %*s | ", width, "");
	add_caret_padding(b, line, len, f->start.col);
	sr_buf_adds(b, color ? C_GREEN "^" C_RESET "\n" : "^\n");
}

static void add_finding(struct sr_buf *b, const struct sr_finding *f,
			bool color)
{
	if (color)
		sr_buf_adds(b, C_BOLD);
	if (f->start.line)
		sr_buf_addf(b, "%s:%u:%u:", f->path, f->start.line,
			    f->start.col);
	else
		sr_buf_addf(b, "%s:", f->path);
	if (color)
		sr_buf_addf(b, C_RESET " %s%s:" C_RESET " ",
			    severity_color(f->severity),
			    sr_severity_name(f->severity));
	else
		sr_buf_addf(b, " %s: ", sr_severity_name(f->severity));
	sr_buf_addf(b, "%s [%s]\n", f->message, f->rule);

	if (f->start.line && f->source_line)
		add_excerpt(b, f, color);
	if (f->fix)
		sr_buf_addf(b, "  fix: %s\n", f->fix);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void add_summary(struct sr_buf *b, const struct sr_findings *list)
{
	size_t errors = sr_findings_count(list, SR_SEV_ERROR);
	size_t warnings = sr_findings_count(list, SR_SEV_WARNING);
	size_t infos = sr_findings_count(list, SR_SEV_INFO);

	if (list->n)
		sr_buf_addf(b, "%zu error%s, %zu warning%s, %zu info in ",
			    errors, plural(errors), warnings, plural(warnings),
			    infos);
	else
		sr_buf_adds(b, "no findings in ");
	sr_buf_addf(b, "%u file%s", list->files, plural(list->files));
	if (list->suppressed && list->has_baseline)
		sr_buf_addf(b, " (%u suppressed, %u baselined)",
			    list->suppressed, list->baselined);
	else if (list->suppressed)
		sr_buf_addf(b, " (%u suppressed)", list->suppressed);
	else if (list->has_baseline)
		sr_buf_addf(b, " (%u baselined)", list->baselined);
	sr_buf_addc(b, '\n');
}

void sr_report__text(struct sr_buf *b, const struct sr_findings *list,
		     const struct sr_report_opts *opts)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		add_finding(b, &list->v[i], opts->color);
	if (list->n || !opts->quiet)
		add_summary(b, list);
}

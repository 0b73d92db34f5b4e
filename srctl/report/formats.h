/*
 * Private to report/: the per-format renderers behind sr_report_write and
 * the helpers they share (a small JSON writer, UTF-8 repair, the summary
 * line). Each renderer appends a complete document to 'b'; none of them
 * does I/O, so sr_report_write can check the write in one place.
 */
#ifndef SR_REPORT_FORMATS_H
#define SR_REPORT_FORMATS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "report/report.h"

void sr_report__text(struct sr_buf *b, const struct sr_findings *list,
		     const struct sr_report_opts *opts);
void sr_report__short(struct sr_buf *b, const struct sr_findings *list);
void sr_report__json(struct sr_buf *b, const struct sr_findings *list);
void sr_report__sarif(struct sr_buf *b, const struct sr_findings *list);
void sr_report__junit(struct sr_buf *b, const struct sr_findings *list,
		      const struct sr_report_opts *opts);
void sr_report__github(struct sr_buf *b, const struct sr_findings *list);
void sr_report__codequality(struct sr_buf *b,
			    const struct sr_findings *list);

/*
 * The length of the well-formed UTF-8 sequence at 'p' (NUL-terminated), or
 * 0 if it is ill-formed (overlong, a surrogate, truncated, ...).
 */
size_t sr_report__utf8_seq(const unsigned char *p);

/*
 * 's' with every ill-formed UTF-8 sequence replaced by U+FFFD, so JSON and
 * XML output stay valid. Returns 's' itself when it is well formed,
 * otherwise the contents of 'tmp' (reset first). Borrowed.
 */
const char *sr_report__utf8(const char *s, struct sr_buf *tmp);

/*
 * "path:line:col: severity: message" ("path: severity: message" for a
 * whole-file finding), without the rule and without a newline.
 */
void sr_report__location(struct sr_buf *b, const struct sr_finding *f);

/*
 * A minimal streaming JSON writer. Keys are NULL inside arrays. With
 * 'pretty', every member goes on its own line, indented by two spaces per
 * level. Nesting deeper than SR_JW_MAX_DEPTH is a programming error.
 */
#define SR_JW_MAX_DEPTH 16

struct sr_jw {
	struct sr_buf *b;
	bool pretty;
	int depth;
	bool nonempty[SR_JW_MAX_DEPTH];
	struct sr_buf tmp;	/* owned; scratch for UTF-8 repair */
};

void sr_jw_init(struct sr_jw *w, struct sr_buf *b, bool pretty);
void sr_jw_open(struct sr_jw *w, const char *key, char bracket);
void sr_jw_close(struct sr_jw *w, char bracket);
/* A string, or null when 'val' is NULL. */
void sr_jw_str(struct sr_jw *w, const char *key, const char *val);
void sr_jw_uint(struct sr_jw *w, const char *key, unsigned long long val);
void sr_jw_bool(struct sr_jw *w, const char *key, bool val);
/* Frees the scratch buffer; the output stays in 'b'. */
void sr_jw_release(struct sr_jw *w);

#endif

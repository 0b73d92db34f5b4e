/*
 * Reporters: the only code that writes findings to stdout. Each format
 * renders a complete, sorted sr_findings list in one call.
 *
 *   text    compiler style with the source line and a caret, and a summary
 *   short   one line per finding: path:line:col: severity: message [rule]
 *   json    the stable form of SPEC.md section 6 (version 1)
 *   sarif   SARIF 2.1.0 with rule metadata from the catalogue
 *   junit   JUnit XML: one test case per file, a failure per finding
 *   github  GitHub Actions workflow commands (::error file=...::)
 *   codequality  GitLab Code Quality JSON (merge-request widget)
 */
#ifndef SR_REPORT_H
#define SR_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/finding.h"

enum sr_format {
	SR_FORMAT_TEXT,
	SR_FORMAT_SHORT,
	SR_FORMAT_JSON,
	SR_FORMAT_SARIF,
	SR_FORMAT_JUNIT,
	SR_FORMAT_GITHUB,
	SR_FORMAT_CODEQUALITY
};

/* The names accepted by --format, NULL-terminated, in enum order. */
extern const char *const sr_format_names[];
bool sr_format_parse(const char *s, enum sr_format *out);

struct sr_report_opts {
	enum sr_format format;
	bool color;		/* ANSI colour in text output */
	bool quiet;		/* text: no summary line when nothing was found */
	const char *command;	/* "validate", "lint": names the JUnit suite */
};

/*
 * Fill 'o' for command 'cmd' from its --format, --no-color and --quiet:
 * colour only for text on a terminal, and not when NO_COLOR is set.
 * False, with the usage error on stderr, when 'format' is unknown.
 */
bool sr_report_opts_set(struct sr_report_opts *o, const char *cmd,
			const char *format, bool no_color, bool quiet);

/* Write 'list' to 'out'. Returns 0, or SR_ERROR if writing failed. */
int sr_report_write(FILE *out, const struct sr_findings *list,
		    const struct sr_report_opts *opts);

#endif

/*
 * Suppressions written in the checked file itself:
 *   # srctl:ignore RULE[,RULE...] [until=YYYY-MM-DD] [-- reason]
 *       on the finding's line (after code), or alone on the line above it
 *   # srctl:ignore-file RULE[,RULE...] [until=YYYY-MM-DD] [-- reason]
 *       anywhere in the file, for the whole file
 * ('//' instead of '#' in Java sources) and the Kubernetes annotation srctl.io/ignore: "RULE,RULE" on a
 * workload (or its pod template), for that document, with the reason in
 * " -- reason" or the annotation srctl.io/ignore-reason. RULE may be a
 * whole area: the area name, a slash and an asterisk. An expired
 * suppression (past 'until') silences nothing, and neither does one whose
 * 'until' is not a date (a typo must not silence a rule for ever).
 */
#ifndef SR_SUPPRESS_H
#define SR_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/pos.h"
#include "doc/doc.h"

struct sr_suppression {
	char *rule;		/* a rule id, or an area wildcard */
	unsigned first_line;	/* lines covered, inclusive; 0..UINT_MAX: file */
	unsigned last_line;
	struct sr_pos where;	/* of the suppression itself */
	bool has_reason;
	bool expired;		/* past 'until', or 'until' is not a date */
	bool bad_until;		/* 'until' is not YYYY-MM-DD */
};

struct sr_suppressions {
	struct sr_suppression *v;
	size_t n;
	size_t cap;
};

/*
 * Collect the comment suppressions in 'text'. 'today' is YYYY-MM-DD.
 * 'slashes': '//' starts a comment too (Java sources, not YAML).
 */
void sr_suppress_scan(struct sr_suppressions *out, const char *text,
		      size_t len, const char *today, bool slashes);
/* Collect the annotation suppressions of one document. */
void sr_suppress_annotations(struct sr_suppressions *out,
			     const struct sr_doc *doc, const char *today);
/* Is a finding of 'rule' on 'line' suppressed? */
bool sr_suppress_match(const struct sr_suppressions *s, const char *rule,
		       unsigned line);
void sr_suppress_release(struct sr_suppressions *s);

#endif

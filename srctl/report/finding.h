/*
 * Findings: what srctl reports. A finding copies every string it keeps, so
 * it outlives the document and file it came from; sr_findings owns its
 * findings and sr_findings_release frees them all.
 */
#ifndef SR_FINDING_H
#define SR_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "base/pos.h"

enum sr_severity {
	SR_SEV_OFF = 0,		/* a disabled rule; never on a finding */
	SR_SEV_INFO,
	SR_SEV_WARNING,
	SR_SEV_ERROR
};

/* "off", "info", "warning", "error". */
const char *sr_severity_name(enum sr_severity sev);
/* Parse one of those names; false if it is none of them. */
bool sr_severity_parse(const char *s, enum sr_severity *out);

struct sr_finding {
	char *rule;		/* "area/name" */
	enum sr_severity severity;
	char *path;		/* as the user named it, for text output */
	char *relpath;		/* relative to the scanned root, '/'-separated */
	struct sr_pos start;	/* line 0: the whole file */
	char *message;
	char *fix;		/* or NULL */
	char *source_line;	/* the text of line start.line, or NULL */
	char *pointer;		/* JSON pointer of the node, or NULL */
};

struct sr_findings {
	struct sr_finding *v;
	size_t n;
	size_t cap;
	unsigned files;		/* files checked */
	unsigned suppressed;	/* findings silenced by suppressions */
	bool has_baseline;	/* --baseline: reporters show the count */
	unsigned baselined;	/* findings the baseline already holds */
	bool parking;		/* private: see sr_findings_park */
	int park_fd;
	size_t nparked;
};

#define SR_FINDINGS_INIT { NULL, 0, 0, 0, 0, false, 0, false, -1, 0 }

/* Append 'f'; the list takes over the strings 'f' points to. */
void sr_findings_take(struct sr_findings *list, struct sr_finding *f);
/*
 * Keep the findings taken from now on in an unlinked temporary file
 * instead of memory, until sr_findings_unpark: a validate run then holds
 * its findings and its repository model in memory one after the other,
 * not both at once. Where no temporary file can be written, findings stay
 * in memory (parking is only a saving); none is ever lost.
 */
void sr_findings_park(struct sr_findings *list);
/*
 * Bring the parked findings back, in the order they were taken. -1 (with
 * sr_error_last() set) if the temporary file cannot be read back.
 */
int sr_findings_unpark(struct sr_findings *list);
/* Sort by path, line, column, rule, message: a deterministic order. */
void sr_findings_sort(struct sr_findings *list);
/* How many findings have exactly this severity. */
size_t sr_findings_count(const struct sr_findings *list, enum sr_severity sev);
/* Does any finding reach 'threshold'? */
bool sr_findings_any_at_least(const struct sr_findings *list,
			      enum sr_severity threshold);
void sr_finding_release(struct sr_finding *f);
void sr_findings_release(struct sr_findings *list);

#endif

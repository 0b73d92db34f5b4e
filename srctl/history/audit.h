/*
 * The audit trail of protection policy: a list of changes, each one
 * value of one (service, target, field) going from old to new, from a
 * commit or from the control plane's adjustment log (JSON lines written
 * by 'srctl timeout': who, when, service, target, old, new, reason,
 * outcome). audit-log builds it from the history and prints it; this
 * module compares file versions, reads the adjustment log and orders
 * the result. It owns every string in its list.
 */
#ifndef SR_HISTORY_AUDIT_H
#define SR_HISTORY_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

enum sr_audit_source {
	SR_AUDIT_GIT,
	SR_AUDIT_ADJUSTMENT
};

/* Who and when: a commit, or an adjustment log line. */
struct sr_audit_origin {
	const char *id;		/* full commit id, or NULL */
	const char *short_id;	/* or NULL */
	const char *author;	/* commit author, or the adjustment's 'who' */
	const char *email;	/* or NULL */
	long long time;		/* seconds since the epoch */
	int offset;		/* minutes east of UTC */
};

struct sr_audit_entry {
	enum sr_audit_source source;
	char *id, *short_id, *author, *email;	/* NULL when not known */
	long long time;
	int offset;
	char *service, *target, *field;
	char *old_value, *new_value;	/* NULL: absent */
	char *path;	/* the file (git), or NULL */
	char *reason, *outcome;	/* adjustments, or NULL */
	size_t seq;	/* private: order of arrival */
};

struct sr_audit {
	struct sr_audit_entry *v;
	size_t n;
	size_t cap;
	const char *service;	/* only this service, or NULL */
};

#define SR_AUDIT_INIT { NULL, 0, 0, NULL }

/*
 * Compare the policy values of two versions of a file (either text may
 * be NULL: added or deleted) and add one entry per value that differs.
 * 'old_service'/'new_service' name the service each version belongs to.
 */
void sr_audit_diff(struct sr_audit *a, const struct sr_audit_origin *o,
		   const char *old_path, const char *old_service,
		   const char *old_text, size_t old_len,
		   const char *new_path, const char *new_service,
		   const char *new_text, size_t new_len);

/*
 * Add the adjustments of the JSON-lines file 'path' made at or after
 * 'since' (0: all). Lines that are not adjustment objects are described
 * in 'warnings' ("path:line: why\n") and skipped. Returns 0, or SR_ERROR
 * when the file cannot be read (message in sr_error_last()).
 */
int sr_audit_load_adjustments(struct sr_audit *a, const char *path,
			      long long since, struct sr_buf *warnings);

/*
 * Put adjustments among the commits by time; commits keep the order
 * they were added in (the history's order), and so do adjustments of
 * equal time.
 */
void sr_audit_merge(struct sr_audit *a);

void sr_audit_release(struct sr_audit *a);

/*
 * Parse an ISO 8601 date ("2026-01-31", "2026-01-31T10:00:00Z",
 * "2026-01-31 10:00:00+01:00", fractions of seconds ignored) into
 * seconds since the epoch and the offset it was written with.
 */
bool sr_audit_parse_time(const char *s, long long *out, int *offset);

/* "2026-01-31T10:00:00+01:00" (iso) or "2026-01-31 10:00:00 +0100". */
void sr_audit_fmt_time(struct sr_buf *out, long long t, int offset,
		       bool iso);

#endif

/*
 * The audit log of srctl timeout: one JSON object per line and per
 * attempt (docs/timeout.md "Audit log"), appended with O_APPEND and
 * fsync so that concurrent srctl processes never interleave or lose a
 * line and a line that was reported written is on disk.
 */
#ifndef SR_ADJUST_AUDIT_H
#define SR_ADJUST_AUDIT_H

#include "base/buf.h"

struct sr_audit_rec {
	long long time;		/* unix seconds */
	const char *user;
	const char *command;	/* "adjust", "revert" */
	const char *service;
	const char *target;
	const char *mode;	/* "dynamic", "reset", "set", "revert" */
	long long old_ms;	/* -1: unknown */
	long long new_ms;	/* -1: none */
	const char *reason;
	const char *ttl;	/* as given, or NULL */
	long long expires;	/* 0: none */
	const char *control_plane;
	const char *driver;
	const char *change_id;
	const char *outcome;	/* "ok", "refused", "conflict", ... */
	const char *error;	/* or NULL */
	int retries;		/* conflict re-reads + network retries */
};

/* The record as one JSON object, no newline. */
void sr_audit_json(struct sr_buf *out, const struct sr_audit_rec *r);

/*
 * Append 'line' plus a newline to 'path' (created 0644, its directory
 * too) in one write, then fsync. Returns 0 or SR_ERROR with the cause in
 * 'err'.
 */
int sr_audit_append(const char *path, const char *line, struct sr_buf *err);

/*
 * Read the log: fn(line_no, json_text, data) per non-empty line. A
 * missing file is an empty log. Returns 0, SR_ERROR (cause in 'err') or
 * the first non-zero fn return.
 */
int sr_audit_read(const char *path,
		  int (*fn)(unsigned line_no, const char *json, size_t len,
			    void *data),
		  void *data, struct sr_buf *err);

#endif

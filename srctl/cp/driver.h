/*
 * Control-plane drivers: the one interface `srctl timeout` talks to when it
 * reads or writes the live timeout of an edge (service -> target).
 *
 * A driver maps an edge onto its control plane's object(s) and offers three
 * operations: get (value plus an opaque version token), compare-and-swap
 * put (succeeds only if the object still carries the token read before) and
 * list. Everything driver-specific (key layout, JSON shapes, ETags, etcd
 * revisions) stays inside the driver; cmd_timeout.c only sees this header.
 *
 * This module owns: the parsed configuration of one control_planes entry
 * (struct sr_cp_conf), the driver table and sr_cp_open (cp.c). Drivers live
 * in drv_<name>.c and add one row to the table in cp.c.
 *
 * Drivers never print; on failure they return an SR_CP_* code and append a
 * one-line cause to 'err' (never a password or token).
 */
#ifndef SR_CP_DRIVER_H
#define SR_CP_DRIVER_H

#include <stddef.h>

struct sr_buf;

/* Result codes of every driver operation. */
#define SR_CP_OK 0
#define SR_CP_CONFLICT 1	/* version token no longer current */
#define SR_CP_NOT_FOUND 2	/* no live value for the edge */
#define SR_CP_AUTH 3		/* credentials refused (401/403, etcd 16/7) */
#define SR_CP_INVALID 4		/* the server rejected the request/data */
#define SR_CP_UNAVAILABLE 5	/* transport error, timeout, 5xx: retryable */
#define SR_CP_TLS 6		/* certificate verification / handshake */

/* An edge: the calling service and the dependency it calls. Borrowed. */
struct sr_cp_edge {
	const char *service;
	const char *target;
};

/*
 * A live value (SPEC.md section 8: {"timeout_ms", "change_id",
 * "changed_by", "changed_at", "expires_at", "reason"}). 'version' is the
 * driver's opaque CAS token (etcd mod_revision, HTTP ETag, file counter);
 * "" passed to put means "must not exist yet". 'change_id' is recorded
 * with every write srctl makes, so revert can tell srctl's own write from
 * a later one. 'changed_at' and 'expires' are unix seconds (0 = unknown /
 * no --ttl). Strings may be NULL; owned by the struct.
 */
struct sr_cp_value {
	long long ms;
	char *version;
	char *change_id;
	char *changed_by;
	char *reason;
	long long changed_at;
	long long expires;
};

#define SR_CP_VALUE_INIT { 0, NULL, NULL, NULL, NULL, 0, 0 }

void sr_cp_value_release(struct sr_cp_value *v);
/* Deep copy of 'src' into 'dst' (dst is overwritten, not released). */
void sr_cp_value_copy(struct sr_cp_value *dst, const struct sr_cp_value *src);

/*
 * What a write carries besides the value: the audit record (one JSON
 * object, no newline) a driver that can do so stores atomically with the
 * value (etcd: same txn), and the metadata of struct sr_cp_value.
 */
struct sr_cp_write {
	long long ms;
	const char *change_id;
	const char *changed_by;
	const char *reason;
	long long changed_at;
	long long expires;	/* 0: none */
	const char *audit_json;	/* may be NULL */
	int dry_run;	/* server-side dry run where the driver has one
			 * (istio ?dryRun=All, http ?dryRun=true): checked,
			 * nothing persisted */
};

/*
 * The value object of SPEC.md section 8 for 'w', as one JSON line (no
 * newline), appended to 'out'; and its parser (unknown keys ignored,
 * timeout_ms required). Shared by drivers whose store holds that object.
 */
void sr_cp_value_json(struct sr_buf *out, const struct sr_cp_write *w);
int sr_cp_value_parse(struct sr_cp_value *out, const char *json, size_t len,
		      struct sr_buf *err);

/*
 * One control_planes entry of .srctl.yaml (SPEC.md section 8; keys in
 * brackets). All strings owned, NULL when not set; relative paths are
 * already resolved against the directory of .srctl.yaml.
 */
struct sr_cp_conf {
	char *name;		/* the entry's key; --control-plane NAME */
	char *driver;		/* [driver] "file", "etcd", "http", "istio" */
	char **endpoints;	/* [endpoint] or [endpoints]: URLs; for
				   "file" the overrides file path */
	size_t n_endpoints;
	char *user;		/* [user] */
	char *password_env;	/* [password_env]: env var holding it */
	char *password_file;	/* [password_file] */
	char *token_env;	/* [token_env] */
	char *token_file;	/* [token_file] */
	char *ca;		/* [ca_file]: PEM bundle to verify the server */
	char *cert;		/* [cert_file]: client certificate (mTLS) */
	char *key;		/* [key_file]: client key (mTLS) */
	int insecure;		/* [insecure_skip_verify]: default false */
	char *prefix;		/* [prefix]: key prefix (etcd), path (http) */
	char *kubeconfig;	/* [kubeconfig] (istio); NULL: $KUBECONFIG,
				 * ~/.kube/config, then in-cluster */
	char *namespace_;	/* [namespace] (istio) */
	long long timeout_ms;	/* [timeout]: whole budget incl. retries;
				   0 = the command's --timeout */
	long long cooldown_ms;	/* [cooldown]: 0 = none */
	/* not from the file: set by the command (--timeout) */
	long long deadline_ms;	/* sr_monotonic_ms() time to give up; 0 none */
};

/*
 * The timeout for one request under 'conf': its timeout (default 10 s),
 * cut to what is left before its deadline (at least 1 ms).
 */
long sr_cp_request_timeout_ms(const struct sr_cp_conf *conf);

void sr_cp_conf_release(struct sr_cp_conf *c);

struct sr_cp;

/* A driver: a row of the table in cp.c. */
struct sr_cp_driver {
	const char *name;
	/* Connect/authenticate lazily or eagerly; *ctx is the driver's. */
	int (*open)(void **ctx, const struct sr_cp_conf *conf,
		    struct sr_buf *err);
	/* The live value of 'edge'; SR_CP_NOT_FOUND when none. */
	int (*get)(void *ctx, const struct sr_cp_edge *edge,
		   struct sr_cp_value *out, struct sr_buf *err);
	/*
	 * Write 'w' if the edge's version is still 'expect_version' ("" =
	 * absent). On success *new_version (may be NULL) gets the new token,
	 * caller frees. SR_CP_CONFLICT when the token is stale.
	 */
	int (*put)(void *ctx, const struct sr_cp_edge *edge,
		   const char *expect_version, const struct sr_cp_write *w,
		   char **new_version, struct sr_buf *err);
	/*
	 * Every edge that has a live value: calls fn once per edge (strings
	 * borrowed for the call). A non-zero return of fn stops the walk.
	 */
	int (*list)(void *ctx,
		    int (*fn)(const struct sr_cp_edge *edge,
			      const struct sr_cp_value *v, void *data),
		    void *data, struct sr_buf *err);
	void (*close)(void *ctx);
};

/* An open control plane: driver + its context + the conf it came from. */
struct sr_cp {
	const struct sr_cp_driver *drv;
	void *ctx;
	const struct sr_cp_conf *conf;	/* borrowed: must outlive the sr_cp */
};

/*
 * Open the control plane described by 'conf', dispatching on conf->driver
 * through the table in cp.c. Returns an SR_CP_* code; SR_CP_INVALID with a
 * did-you-mean in 'err' for an unknown driver name.
 */
int sr_cp_open(struct sr_cp **out, const struct sr_cp_conf *conf,
	       struct sr_buf *err);
void sr_cp_close(struct sr_cp *cp);

/* Thin dispatchers so callers need not reach into cp->drv. */
int sr_cp_get(struct sr_cp *cp, const struct sr_cp_edge *edge,
	      struct sr_cp_value *out, struct sr_buf *err);
int sr_cp_put(struct sr_cp *cp, const struct sr_cp_edge *edge,
	      const char *expect_version, const struct sr_cp_write *w,
	      char **new_version, struct sr_buf *err);
int sr_cp_list(struct sr_cp *cp,
	       int (*fn)(const struct sr_cp_edge *edge,
			 const struct sr_cp_value *v, void *data),
	       void *data, struct sr_buf *err);

/* RFC 3339 UTC ("2026-11-23T11:00:00Z") of unix time 't', and back. */
void sr_cp_time_rfc3339(struct sr_buf *out, long long t);
int sr_cp_time_parse(long long *out, const char *s);

/* "ok", "conflict", ... for messages and the audit log. */
const char *sr_cp_rc_name(int rc);

/*
 * The secret configured for 'conf' (password or token) read from its env
 * var or file, trailing newline stripped; NULL when none is configured.
 * Caller frees. Returns SR_CP_AUTH with the cause when configured but
 * unreadable.
 */
int sr_cp_secret(char **out, const struct sr_cp_conf *conf,
		 struct sr_buf *err);

#endif

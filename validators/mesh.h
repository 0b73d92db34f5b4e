/*
 * Service-mesh traffic policy (SPEC.md 4.1, 4.2), shared between mesh.c,
 * which finds Istio and Gateway API objects, checks routes and runs the
 * cross-file step, mesh_dr.c, which checks one DestinationRule, and
 * mesh_value.c, which reads durations the way each API does, counts and
 * the shape of the fields on the way.
 * Semi-private: nothing outside validators/mesh*.c uses it.
 */
#ifndef SR_VALIDATORS_MESH_H
#define SR_VALIDATORS_MESH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "check/check.h"
#include "doc/doc.h"
#include "model/model.h"

#define SR_MESH_NS_PER_MS 1000000LL

/*
 * Parse a duration as Go's time.ParseDuration (and CEL's duration()) do:
 * an optional sign, then one or more <decimal><unit> parts with units ns,
 * us (or the micro sign), ms, s, m, h; "0" alone is zero. Istio's CRDs
 * check durations with CEL. Sets *ns (digits below a nanosecond are
 * dropped, as Go does). False on a syntax error or an overflow.
 */
bool sr_mesh__parse_go_duration(const char *s, long long *ns);

/*
 * Parse a Gateway API duration (GEP-2257): one to four parts of one to
 * five digits followed by h, m, s or ms, e.g. "1h", "500ms", "1m30s".
 * Sets *ms. False when 's' does not match.
 */
bool sr_mesh__parse_gateway_duration(const char *s, long long *ms);

/* Write a millisecond count the short way: "250ms", "2s", "1m30s". */
void sr_mesh__fmt_ms(char *out, size_t size, long long ms);

/*
 * Describe a value for a message: a string quoted ("\"5 s\""), another
 * scalar with its type ("integer 10"), a collection by its type.
 */
void sr_mesh__describe(struct sr_buf *out, const struct sr_node *n);

/* Write a millisecond count as GEP-2257 wants it: "1s500ms", "1m30s". */
void sr_mesh__fmt_gateway(char *out, size_t size, long long ms);

/* The object being checked, for messages and facts. */
struct sr_mesh_obj {
	struct sr_ctx *ctx;
	const char *kind;	/* "VirtualService", "HTTPRoute", ... */
	const char *name;	/* metadata.name, or "?" */
	struct sr_buf path;	/* the field being checked: "http[0].timeout" */
};

/* Append ".key" (or "key" at the start) to o->path; returns the old length. */
size_t sr_mesh__push(struct sr_mesh_obj *o, const char *key);
/* Append "[i]"; returns the old length. */
size_t sr_mesh__push_index(struct sr_mesh_obj *o, size_t i);
/* Cut o->path back to 'len'. */
void sr_mesh__pop(struct sr_mesh_obj *o, size_t len);

/* A duration field as read from an object. */
struct sr_mesh_dur {
	const struct sr_node *node;	/* NULL: absent (or null) */
	bool known;	/* ms holds a value the API accepts */
	long long ms;
};

/*
 * Read the Istio duration at map[field]: a string the API server accepts
 * is at least 1ms (or 0 with 'allow_zero') and a whole number of
 * milliseconds. Anything else is reported as mesh/invalid and left
 * unknown.
 */
struct sr_mesh_dur sr_mesh__istio_duration(struct sr_mesh_obj *o,
					   const struct sr_node *map,
					   const char *field, bool allow_zero);

/*
 * Read an integer field that Istio or the Gateway API rejects when
 * negative. Reports mesh/invalid for anything else. Returns true and sets
 * *out only for a valid value; *node is the field (NULL when absent).
 */
bool sr_mesh__count(struct sr_mesh_obj *o, const struct sr_node *map,
		    const char *field, const struct sr_node **node,
		    long long *out);

/*
 * map[field] when it is a mapping (want_seq false) or a sequence (true).
 * A value of another type is reported as mesh/invalid; absent or null
 * values are not. NULL unless the value has the wanted type.
 */
const struct sr_node *sr_mesh__get(struct sr_mesh_obj *o,
				   const struct sr_node *map,
				   const char *field, bool want_seq);

/* Check one DestinationRule (mesh_dr.c). */
void sr_mesh__check_destination_rule(struct sr_mesh_obj *o,
				     const struct sr_node *obj);

/*
 * What the cross-file step needs beyond the model's shared facts, for one
 * run (mesh.c): routes are kept per host (the first route, the shortest
 * timeout), connectTimeouts one by one.
 */
enum sr_mesh_fact_kind {
	SR_MESH_VS_ROUTE,	/* a host a VirtualService routes to */
	SR_MESH_CONNECT,	/* a DestinationRule's tcp.connectTimeout */
	SR_MESH_VS_TIMEOUT	/* a VirtualService route timeout */
};

void sr_mesh__record(struct sr_ctx *ctx, enum sr_mesh_fact_kind kind,
		     const char *host, const struct sr_node *at,
		     long long ms);

/*
 * A DestinationRule for 'host' as a breaker in the model (cb/missing,
 * cb/outlier-missing). One breaker per host as written stands for all its
 * DestinationRules: the rules ask whether any has outlierDetection and,
 * when none has, where the first one is (the only one given a location).
 */
void sr_mesh__destination_rule(struct sr_ctx *ctx, const char *host,
			       const struct sr_node *at, bool has_outlier);

/* The "what" of the route timeouts this validator records. */
extern const char sr_mesh__istio_what[];
extern const char sr_mesh__httproute_what[];
extern const char sr_mesh__grpcroute_what[];

#endif

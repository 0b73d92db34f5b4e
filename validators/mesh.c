/*
 * Service-mesh traffic policy (SPEC.md 3, 4.1, 4.2): Istio VirtualService
 * and DestinationRule (networking.istio.io), Gateway API HTTPRoute and
 * GRPCRoute (gateway.networking.k8s.io), alone, in multi-document files or
 * in List objects.
 *
 * Per route: timeout/route-missing (no timeout: Istio's default is none),
 * timeout/retry-budget (the tries do not fit in the route timeout), and
 * mesh/invalid for values the API server rejects (durations below 1ms or
 * finer than 1ms for Istio, anything but GEP-2257 durations for the
 * Gateway API). DestinationRules are checked by mesh_dr.c.
 *
 * Facts: every route destination is an SR_REF_ROUTE ref, every
 * DestinationRule host an SR_BREAKER_ISTIO breaker. Route timeouts are
 * compared with the contract of the route's service once that contract is
 * whole (deferred.h): timeout/hardcoded, a route timeout towards a target
 * of the contract outside [base, max]. After the last file, finish()
 * reports cb/outlier-missing (a host routed by a VirtualService, or a
 * contract target where Istio is in use, without outlierDetection) and
 * the connectTimeout part of cb/connection-pool.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/strmap.h"
#include "base/xmalloc.h"
#include "deferred.h"
#include "mesh.h"
#include "validators.h"
#include "base/banned.h"

const char sr_mesh__istio_what[] = "Istio route timeout";
const char sr_mesh__httproute_what[] = "HTTPRoute request timeout";
const char sr_mesh__grpcroute_what[] = "GRPCRoute request timeout";

enum api {
	API_NONE,
	API_VIRTUAL_SERVICE,
	API_DESTINATION_RULE,
	API_HTTP_ROUTE,
	API_GRPC_ROUTE
};

static enum api object_api(const struct sr_node *obj)
{
	const char *api = sr_node_str(sr_map_get(obj, "apiVersion"));
	const char *kind = sr_node_str(sr_map_get(obj, "kind"));

	if (!api || !kind)
		return API_NONE;
	if (!strncmp(api, "networking.istio.io/", 20)) {
		if (!strcmp(kind, "VirtualService"))
			return API_VIRTUAL_SERVICE;
		if (!strcmp(kind, "DestinationRule"))
			return API_DESTINATION_RULE;
	} else if (!strncmp(api, "gateway.networking.k8s.io/", 26)) {
		if (!strcmp(kind, "HTTPRoute"))
			return API_HTTP_ROUTE;
		if (!strcmp(kind, "GRPCRoute"))
			return API_GRPC_ROUTE;
	}
	return API_NONE;
}

/* The items of a List ("List", "VirtualServiceList", ...), or NULL. */
static const struct sr_node *list_items(const struct sr_node *obj)
{
	const char *kind = sr_node_str(sr_map_get(obj, "kind"));
	const struct sr_node *items = sr_map_get(obj, "items");
	size_t n;

	if (!kind || !sr_node_is_seq(items))
		return NULL;
	n = strlen(kind);
	if (n < 4 || strcmp(kind + n - 4, "List") != 0)
		return NULL;
	return items;
}

static bool detect(const char *name, const char *relpath,
		   const struct sr_doc *doc)
{
	const struct sr_node *items;
	size_t i;

	(void)name;
	(void)relpath;
	if (!sr_node_is_map(doc->root))
		return false;
	if (object_api(doc->root) != API_NONE)
		return true;
	items = list_items(doc->root);
	for (i = 0; items && i < items->u.seq.n; i++)
		if (sr_node_is_map(items->u.seq.items[i]) &&
		    object_api(items->u.seq.items[i]) != API_NONE)
			return true;
	return false;
}

/*
 * Facts finish() needs beyond the model's shared lists. They belong to one
 * run (one model): a new model starts new ones, and finish() ends them.
 * Routes are kept per host, not per route, which is all the rules ask.
 */

/* A host VirtualServices route to, for cb/outlier-missing. */
struct routed {
	const char *host;	/* as written where first routed */
	const struct sr_loc *loc;	/* there */
};

/* The shortest route timeout towards one host as written. */
struct shortest {
	const char *host;
	long long ms;
	const struct sr_loc *loc;
	size_t serial;	/* of that route: the earlier wins a tie */
	size_t same_label;	/* check_connect's chain, index + 1 */
};

/* A DestinationRule's connectTimeout, for cb/connection-pool. */
struct connect {
	struct connect *next;
	const char *host;
	long long ms;
	const struct sr_loc *loc;
};

static struct {
	const struct sr_model *owner;
	size_t serial;
	struct routed *routed;
	size_t nrouted, routed_cap;
	struct sr_strmap routed_by_core;	/* host_core -> index + 1 */
	struct shortest *shortest;
	size_t nshortest, shortest_cap;
	struct sr_strmap shortest_by_host;	/* -> index + 1 */
	struct connect *connects;	/* in the model's memory */
	struct sr_strmap dr_by_host;	/* -> model breaker index + 1 */
	bool istio;	/* a VirtualService or DestinationRule was seen */
} facts;

static void facts_release(void)
{
	free(facts.routed);
	sr_strmap_release(&facts.routed_by_core);
	free(facts.shortest);
	sr_strmap_release(&facts.shortest_by_host);
	sr_strmap_release(&facts.dr_by_host);
	memset(&facts, 0, sizeof(facts));
}

static void own_facts(const struct sr_model *m)
{
	if (facts.owner != m) {
		facts_release();
		facts.owner = m;
	}
}

static size_t host_core(const char *h);
static bool loc_before(const struct sr_loc *a, const struct sr_loc *b);

/* Is (ms, loc, serial) a shorter timeout than 'b'? */
static bool shorter(long long ms, const struct sr_loc *loc, size_t serial,
		    const struct shortest *b)
{
	if (ms != b->ms)
		return ms < b->ms;
	if (loc_before(loc, b->loc) || loc_before(b->loc, loc))
		return loc_before(loc, b->loc);
	return serial < b->serial;
}

/*
 * The index of the entry for 'key' in a list of '*n' entries; a new key
 * gets index *n, and *n grows (the caller makes room and fills it).
 */
static size_t entry_index(struct sr_strmap *map, const char *key,
			  size_t len, size_t *n, bool *added)
{
	void **slot = sr_strmap_put(map, key, len);

	*added = !*slot;
	if (*added)
		*slot = (void *)(uintptr_t)++*n;
	return (size_t)(uintptr_t)*slot - 1;
}

void sr_mesh__record(struct sr_ctx *ctx, enum sr_mesh_fact_kind kind,
		     const char *host, const struct sr_node *at,
		     long long ms)
{
	struct sr_model *m = sr_ctx_model(ctx);
	struct sr_loc here;
	struct routed *r;
	struct shortest *t;
	struct connect *c;
	bool added;
	size_t i;

	if (!m)
		return;
	own_facts(m);
	host = sr_model_strdup(m, host);
	/* compared before a location is made for it: most lose */
	here.path = sr_ctx_path(ctx);
	here.relpath = sr_ctx_relpath(ctx);
	memset(&here.pos, 0, sizeof(here.pos));
	if (at)
		here.pos = at->start;
	facts.serial++;
	switch (kind) {
	case SR_MESH_VS_ROUTE:
		/* one per host up to the cluster domain, at its first route */
		i = entry_index(&facts.routed_by_core, host, host_core(host),
				&facts.nrouted, &added);
		facts.routed = sr_xgrow(facts.routed, &facts.routed_cap,
					facts.nrouted, sizeof(*facts.routed));
		r = &facts.routed[i];
		if (added || loc_before(&here, r->loc)) {
			r->host = host;
			r->loc = sr_ctx_loc(ctx, at);
		}
		break;
	case SR_MESH_VS_TIMEOUT:
		i = entry_index(&facts.shortest_by_host, host, strlen(host),
				&facts.nshortest, &added);
		facts.shortest = sr_xgrow(facts.shortest, &facts.shortest_cap,
					  facts.nshortest,
					  sizeof(*facts.shortest));
		t = &facts.shortest[i];
		if (added || shorter(ms, &here, facts.serial, t)) {
			t->host = host;
			t->ms = ms;
			t->loc = sr_ctx_loc(ctx, at);
			t->serial = facts.serial;
		}
		break;
	case SR_MESH_CONNECT:
		c = sr_model_alloc(m, sizeof(*c));
		c->host = host;
		c->ms = ms;
		c->loc = sr_ctx_loc(ctx, at);
		c->next = facts.connects;
		facts.connects = c;
		break;
	}
}

void sr_mesh__destination_rule(struct sr_ctx *ctx, const char *host,
			       const struct sr_node *at, bool has_outlier)
{
	struct sr_model *m = sr_ctx_model(ctx);
	struct sr_breaker *b;
	struct sr_loc here;
	void **slot;

	if (!m)
		return;
	own_facts(m);
	host = sr_model_strdup(m, host);
	slot = sr_strmap_put(&facts.dr_by_host, host, strlen(host));
	if (!*slot) {
		struct sr_breaker nb;

		memset(&nb, 0, sizeof(nb));
		nb.kind = SR_BREAKER_ISTIO;
		nb.name = sr_model_short_name(m, host);
		nb.full_name = host;
		nb.has_outlier = has_outlier;
		nb.loc = has_outlier ? NULL : sr_ctx_loc(ctx, at);
		sr_model_add_breaker(m, &nb);
		*slot = (void *)(uintptr_t)m->breakers.n;
		return;
	}
	b = &m->breakers.v[(size_t)(uintptr_t)*slot - 1];
	if (b->has_outlier)
		return;
	if (has_outlier) {
		b->has_outlier = true;
		b->loc = NULL;
		return;
	}
	here.path = sr_ctx_path(ctx);
	here.relpath = sr_ctx_relpath(ctx);
	memset(&here.pos, 0, sizeof(here.pos));
	if (at)
		here.pos = at->start;
	if (loc_before(&here, b->loc))
		b->loc = sr_ctx_loc(ctx, at);
}

/* Distinct short names of one route's destinations. */
struct names {
	const char **v;
	size_t n;
	size_t cap;
};

static void names_add(struct names *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], name))
			return;
	ns->v = sr_xgrow(ns->v, &ns->cap, ns->n + 1, sizeof(*ns->v));
	ns->v[ns->n++] = name;
}

/*
 * Record a route destination: a ref for check-deps, a fact for
 * cb/outlier-missing (VirtualServices only), its short name in 'ns'.
 */
static void destination(struct sr_ctx *ctx, const struct sr_node *host,
			bool istio, struct names *ns)
{
	struct sr_model *m = sr_ctx_model(ctx);
	const char *h = sr_node_str(host);
	struct sr_dep_ref r;

	if (!m || !h || host->type != SR_NODE_SCALAR || !*h)
		return;
	r.kind = SR_REF_ROUTE;
	r.name = sr_model_short_name(m, h);
	r.loc = m->keep_refs ? sr_ctx_loc(ctx, host) : NULL;
	sr_model_add_ref(m, &r);
	if (istio)
		sr_mesh__record(ctx, SR_MESH_VS_ROUTE, h, host, 0);
	if (ns)
		names_add(ns, r.name);
}

/* A route timeout towards one destination, for timeout/hardcoded. */
struct route_timeout {
	char *name;		/* the destination's short name */
	const char *what;	/* sr_mesh__istio_what, ... */
	long long ms;
	struct sr_pos pos;	/* of the value */
};

static void release_route_timeout(void *fact)
{
	free(((struct route_timeout *)fact)->name);
}

static void check_hardcoded(const struct sr_check_opts *opts,
			    const struct sr_deferred_file *f,
			    const struct sr_service *svc);

/* Route timeouts, until the contract of their service is whole. */
static struct sr_deferred route_timeouts = {
	.size = sizeof(struct route_timeout),
	.decide = check_hardcoded,
	.release = release_route_timeout,
};

/* Record a route timeout towards each destination. */
static void record_timeout(struct sr_ctx *ctx, const struct names *ns,
			   const char *what, const struct sr_node *at,
			   long long ms)
{
	size_t i;

	if (!sr_ctx_model(ctx))
		return;
	for (i = 0; i < ns->n; i++) {
		struct route_timeout *u = sr_deferred_add(&route_timeouts, ctx);

		u->name = sr_xstrdup(ns->v[i]);
		u->what = what;
		u->ms = ms;
		if (at)
			u->pos = at->start;
	}
}

/* The retries of one route against its timeout. */
struct budget {
	const char *timeout_field;	/* as the message names it */
	long long timeout_ms;
	const char *per_field;
	long long per_ms;
	long long attempts;		/* retries after the first try */
	long long backoff_ms;		/* the least wait between tries */
	void (*fmt)(char *out, size_t size, long long ms);
};

/*
 * timeout/retry-budget: both APIs count attempts as retries after the
 * first try, each try may take the whole per-try timeout before it fails
 * in a retriable way, and an explicit backoff is a minimum wait between
 * tries. When that does not fit in the route timeout, the route timeout
 * cuts the last tries off.
 */
static void check_budget(struct sr_mesh_obj *o, const struct sr_node *at,
			 const struct budget *b)
{
	double attempts = (double)b->attempts;
	double total = (attempts + 1) * (double)b->per_ms +
		       attempts * (double)b->backoff_ms;
	char per[32], tmo[32], bo[32], need[32], fix[160];
	struct sr_buf wait = SR_BUF_INIT;
	long long fit;

	if (total <= (double)b->timeout_ms)
		return;
	b->fmt(per, sizeof(per), b->per_ms);
	b->fmt(tmo, sizeof(tmo), b->timeout_ms);
	if (total < 9e15)
		b->fmt(need, sizeof(need), (long long)total);
	else
		snprintf(need, sizeof(need), "%.0fms", total);
	if (b->backoff_ms) {
		b->fmt(bo, sizeof(bo), b->backoff_ms);
		sr_buf_addf(&wait, " + %lld x backoff %s", b->attempts, bo);
	}
	fit = b->timeout_ms >= b->per_ms ?
	      (b->timeout_ms - b->per_ms) / (b->per_ms + b->backoff_ms) : 0;
	if (fit >= 1) {
		snprintf(fix, sizeof(fix), "attempts: %lld, or raise %s to %s",
			 fit, b->timeout_field, need);
	} else {
		double left = (double)b->timeout_ms -
			      attempts * (double)b->backoff_ms;
		long long per_fit = left > 0 ?
				    (long long)(left / (attempts + 1)) : 0;
		char pf[32];

		b->fmt(pf, sizeof(pf), per_fit);
		if (per_fit >= 1)
			snprintf(fix, sizeof(fix),
				 "%s: %s or less, or raise %s to %s",
				 b->per_field, pf, b->timeout_field, need);
		else
			snprintf(fix, sizeof(fix), "raise %s to %s",
				 b->timeout_field, need);
	}
	sr_emit(o->ctx, "timeout/retry-budget", at, fix,
		"%s %s: %s: (1 + attempts %lld) x %s %s%s = %.0f ms exceeds %s %s, so the last tries are cut off",
		o->kind, o->name, o->path.ptr, b->attempts, b->per_field, per,
		wait.ptr ? wait.ptr : "", total, b->timeout_field, tmo);
	sr_buf_release(&wait);
}

/* Istio's retryOn policies (Envoy's x-envoy-retry-on, -grpc-on). */
static bool retry_on_known(const char *p, size_t n)
{
	static const char *const known[] = {
		"5xx", "gateway-error", "reset", "reset-before-request",
		"connect-failure", "retriable-4xx", "refused-stream",
		"retriable-status-codes", "retriable-headers",
		"envoy-ratelimited", "http3-post-connect-failure",
		"cancelled", "deadline-exceeded", "internal",
		"resource-exhausted", "unavailable",
	};
	size_t i;
	int code = 0;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i]) == n && !strncmp(known[i], p, n))
			return true;
	/* an HTTP status code */
	if (n != 3)
		return false;
	for (i = 0; i < 3; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		code = code * 10 + (p[i] - '0');
	}
	return code >= 100 && code <= 599;
}

static void check_retry_on(struct sr_mesh_obj *o, const struct sr_node *n)
{
	const char *s = sr_node_str(n), *p;
	size_t mark = sr_mesh__push(o, "retryOn");

	if (!s || n->type != SR_NODE_SCALAR) {
		sr_emit(o->ctx, "mesh/invalid", n, NULL,
			"%s %s: %s must be a comma-separated string, got %s",
			o->kind, o->name, o->path.ptr, sr_node_type_name(n));
		sr_mesh__pop(o, mark);
		return;
	}
	for (p = s; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (!retry_on_known(p, len)) {
			sr_emit(o->ctx, "mesh/invalid", n,
				"use Envoy's retry policies, e.g. retryOn: gateway-error,connect-failure,refused-stream",
				"%s %s: %s \"%.*s\" is not a retry policy Istio knows; it rejects the VirtualService",
				o->kind, o->name, o->path.ptr, (int)len, p);
			break;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	sr_mesh__pop(o, mark);
}

static const char *route_name(const struct sr_node *route)
{
	const char *s = sr_node_str(sr_map_get(route, "name"));

	return s && *s ? s : NULL;
}

/* One entry of a VirtualService's http list. */
static void check_http_route(struct sr_mesh_obj *o, const struct sr_node *r)
{
	const struct sr_node *dests, *retries, *n;
	struct sr_mesh_dur timeout, per, backoff;
	struct names ns = { NULL, 0, 0 };
	const char *first_host = NULL;
	long long attempts = 0;
	bool forwards, has_attempts = false;
	size_t i, mark;

	dests = sr_mesh__get(o, r, "route", true);
	for (i = 0; dests && i < dests->u.seq.n; i++) {
		const struct sr_node *host = sr_map_path(dests->u.seq.items[i],
							 "destination", "host",
							 NULL);

		if (!first_host)
			first_host = sr_node_str(host);
		destination(o->ctx, host, true, &ns);
	}
	n = sr_mesh__get(o, r, "mirror", false);
	if (n)
		destination(o->ctx, sr_map_get(n, "host"), false, NULL);
	/* redirects and direct responses never reach a destination */
	forwards = dests && dests->u.seq.n && !sr_map_get(r, "redirect") &&
		   !sr_map_get(r, "directResponse") &&
		   !sr_map_get(r, "delegate");

	timeout = sr_mesh__istio_duration(o, r, "timeout", false);
	if (!timeout.node && forwards) {
		const char *rn = route_name(r);

		sr_emit(o->ctx, "timeout/route-missing", r,
			"add timeout: <the longest the caller may wait>, e.g. timeout: 2s",
			"%s %s: %s%s%s%s routes to %s with no timeout; Istio's default is none, so a hung call holds the caller until its own deadline",
			o->kind, o->name, o->path.ptr, rn ? " (" : "",
			rn ? rn : "", rn ? ")" : "",
			first_host ? first_host : "its destination");
	}
	if (timeout.known) {
		record_timeout(o->ctx, &ns, sr_mesh__istio_what, timeout.node,
			       timeout.ms);
		for (i = 0; dests && i < dests->u.seq.n; i++) {
			const char *h = sr_node_str(sr_map_path(
				dests->u.seq.items[i], "destination", "host",
				NULL));

			if (h && *h)
				sr_mesh__record(o->ctx, SR_MESH_VS_TIMEOUT, h,
						timeout.node, timeout.ms);
		}
	}

	retries = sr_mesh__get(o, r, "retries", false);
	if (retries) {
		mark = sr_mesh__push(o, "retries");
		has_attempts = sr_mesh__count(o, retries, "attempts", &n,
					      &attempts);
		per = sr_mesh__istio_duration(o, retries, "perTryTimeout",
					      false);
		backoff = sr_mesh__istio_duration(o, retries, "backoff", false);
		n = sr_map_get(retries, "retryOn");
		if (n && !sr_node_is_null(n))
			check_retry_on(o, n);
		/* attempts 0 (or unset) disables retries */
		if ((!sr_map_get(retries, "attempts") ||
		     (has_attempts && attempts == 0)) &&
		    (per.node || (n && !sr_node_is_null(n)) ||
		     sr_map_get(retries, "retryRemoteLocalities"))) {
			sr_emit(o->ctx, "mesh/invalid", retries,
				"set attempts (the number of retries), or remove the retries block",
				"%s %s: %s configures retries with attempts %s, which disables them; Istio rejects the VirtualService",
				o->kind, o->name, o->path.ptr,
				has_attempts ? "0" : "unset");
		} else if (has_attempts && attempts > 0 && per.known &&
			   timeout.known && timeout.ms > 0 &&
			   (backoff.known || !backoff.node)) {
			struct budget b;

			b.timeout_field = "the route timeout";
			b.timeout_ms = timeout.ms;
			b.per_field = "perTryTimeout";
			b.per_ms = per.ms;
			b.attempts = attempts;
			b.backoff_ms = backoff.known ? backoff.ms : 0;
			b.fmt = sr_mesh__fmt_ms;
			check_budget(o, retries, &b);
		}
		sr_mesh__pop(o, mark);
	}
	free(ns.v);
}

/* The destinations of a VirtualService's tcp or tls routes. */
static void check_stream_routes(struct sr_mesh_obj *o,
				const struct sr_node *list)
{
	size_t i, j;

	for (i = 0; i < list->u.seq.n; i++) {
		const struct sr_node *dests =
			sr_map_get(list->u.seq.items[i], "route");

		for (j = 0; sr_node_is_seq(dests) && j < dests->u.seq.n; j++)
			destination(o->ctx,
				    sr_map_path(dests->u.seq.items[j],
						"destination", "host", NULL),
				    true, NULL);
	}
}

static void check_virtual_service(struct sr_mesh_obj *o,
				  const struct sr_node *obj)
{
	const struct sr_node *spec, *http, *list;
	size_t i, mark;

	spec = sr_mesh__get(o, obj, "spec", false);
	if (!spec)
		return;
	mark = sr_mesh__push(o, "spec");
	http = sr_mesh__get(o, spec, "http", true);
	for (i = 0; http && i < http->u.seq.n; i++) {
		const struct sr_node *r = http->u.seq.items[i];
		size_t m2 = sr_mesh__push(o, "http");

		sr_mesh__push_index(o, i);
		if (sr_node_is_map(r))
			check_http_route(o, r);
		else if (!sr_node_is_null(r))
			sr_emit(o->ctx, "mesh/invalid", r, NULL,
				"%s %s: %s must be a mapping, got %s", o->kind,
				o->name, o->path.ptr, sr_node_type_name(r));
		sr_mesh__pop(o, m2);
	}
	list = sr_mesh__get(o, spec, "tcp", true);
	if (list)
		check_stream_routes(o, list);
	list = sr_mesh__get(o, spec, "tls", true);
	if (list)
		check_stream_routes(o, list);
	sr_mesh__pop(o, mark);
}

/* A Gateway API duration at map[field]. */
static struct sr_mesh_dur gateway_duration(struct sr_mesh_obj *o,
					   const struct sr_node *map,
					   const char *field)
{
	struct sr_mesh_dur d = { NULL, false, 0 };
	const struct sr_node *n = sr_map_get(map, field);
	const char *s = sr_node_str(n);
	struct sr_buf got = SR_BUF_INIT;
	char fix[96], val[32];
	long long ns;
	size_t mark;

	if (!n || sr_node_is_null(n))
		return d;
	d.node = n;
	if (s && n->type == SR_NODE_SCALAR &&
	    sr_mesh__parse_gateway_duration(s, &d.ms)) {
		d.known = true;
		return d;
	}
	mark = sr_mesh__push(o, field);
	if (s && n->type == SR_NODE_SCALAR &&
	    sr_mesh__parse_go_duration(s, &ns) && ns >= SR_MESH_NS_PER_MS) {
		sr_mesh__fmt_gateway(val, sizeof(val),
				     (ns + SR_MESH_NS_PER_MS / 2) /
				     SR_MESH_NS_PER_MS);
		snprintf(fix, sizeof(fix), "%s: %s", field, val);
	} else {
		snprintf(fix, sizeof(fix), "%s: <digits><h|m|s|ms>, e.g. 500ms",
			 field);
	}
	sr_mesh__describe(&got, n);
	sr_emit(o->ctx, "mesh/invalid", n, fix,
		"%s %s: %s %s is not a Gateway API duration (GEP-2257: up to four parts of 1-5 digits and h, m, s or ms, e.g. \"1m30s\")",
		o->kind, o->name, o->path.ptr, got.ptr);
	sr_buf_release(&got);
	sr_mesh__pop(o, mark);
	return d;
}

/* Does a Linkerd annotation give the route a timeout? */
static bool linkerd_timeout(const struct sr_node *obj)
{
	const struct sr_node *a = sr_map_path(obj, "metadata", "annotations",
					      NULL);
	const char *req = sr_node_str(sr_map_get(a, "timeout.linkerd.io/request"));
	const char *resp = sr_node_str(sr_map_get(a, "timeout.linkerd.io/response"));

	return (req && *req) || (resp && *resp);
}

/* Is the route attached to a Service (GAMMA, the mesh use of the API)? */
static bool mesh_route(const struct sr_node *spec)
{
	const struct sr_node *refs = sr_map_get(spec, "parentRefs");
	size_t i;

	for (i = 0; sr_node_is_seq(refs) && i < refs->u.seq.n; i++)
		if (sr_node_eq(sr_map_get(refs->u.seq.items[i], "kind"),
			       "Service"))
			return true;
	return false;
}

static bool has_redirect(const struct sr_node *rule)
{
	const struct sr_node *filters = sr_map_get(rule, "filters");
	size_t i;

	for (i = 0; sr_node_is_seq(filters) && i < filters->u.seq.n; i++) {
		const struct sr_node *f = filters->u.seq.items[i];

		if (sr_node_eq(sr_map_get(f, "type"), "RequestRedirect") ||
		    sr_map_get(f, "requestRedirect"))
			return true;
	}
	return false;
}

struct gw_route {
	struct sr_mesh_obj *o;
	enum api api;
	bool gamma;	/* parentRefs name a Service */
	bool linkerd;	/* a Linkerd annotation sets a timeout */
};

static void check_gateway_rule(struct gw_route *g, const struct sr_node *rule)
{
	struct sr_mesh_obj *o = g->o;
	const struct sr_node *refs, *timeouts, *retry, *n;
	struct sr_mesh_dur req = { NULL, false, 0 }, per = req, backoff = req;
	struct names ns = { NULL, 0, 0 };
	const char *first = NULL;
	long long attempts = 0;
	bool forwards, has_attempts = false;
	size_t i, mark;

	refs = sr_mesh__get(o, rule, "backendRefs", true);
	for (i = 0; refs && i < refs->u.seq.n; i++) {
		const struct sr_node *name = sr_map_get(refs->u.seq.items[i],
							"name");

		if (!first)
			first = sr_node_str(name);
		destination(o->ctx, name, false, &ns);
	}
	/*
	 * A rule without backendRefs sends traffic on only when the route
	 * is attached to a Service (to that Service, in the mesh).
	 */
	forwards = !has_redirect(rule) &&
		   ((refs && refs->u.seq.n) || (!refs && g->gamma));

	timeouts = sr_mesh__get(o, rule, "timeouts", false);
	if (timeouts) {
		mark = sr_mesh__push(o, "timeouts");
		req = gateway_duration(o, timeouts, "request");
		per = gateway_duration(o, timeouts, "backendRequest");
		if (req.known && per.known && req.ms > 0 && per.ms > req.ms) {
			char a[32], b[32], fix[64];

			sr_mesh__fmt_ms(a, sizeof(a), per.ms);
			sr_mesh__fmt_ms(b, sizeof(b), req.ms);
			snprintf(fix, sizeof(fix), "backendRequest: %s or less",
				 b);
			sr_emit(o->ctx, "mesh/invalid", per.node, fix,
				"%s %s: %s.backendRequest %s is longer than request %s; the API server rejects it",
				o->kind, o->name, o->path.ptr, a, b);
		}
		sr_mesh__pop(o, mark);
	}
	if (g->api == API_HTTP_ROUTE && forwards && !g->linkerd &&
	    !(req.node && !req.known) && !(per.node && !per.known) &&
	    (!req.known || req.ms == 0) && (!per.known || per.ms == 0)) {
		if (req.known)
			sr_emit(o->ctx, "timeout/route-missing", req.node,
				"request: <the longest the caller may wait>, e.g. request: 10s",
				"%s %s: %s.timeouts.request 0s disables the request timeout of the route to %s",
				o->kind, o->name, o->path.ptr,
				first ? first : "its backends");
		else
			sr_emit(o->ctx, "timeout/route-missing", rule,
				"add timeouts: {request: <the longest the caller may wait>}, e.g. request: 10s",
				"%s %s: %s routes to %s with no timeouts.request; without it the timeout is up to the implementation, and often there is none",
				o->kind, o->name, o->path.ptr,
				first ? first : "its parent Service");
	}
	if (req.known && req.ms > 0)
		record_timeout(o->ctx, &ns,
			       g->api == API_HTTP_ROUTE ?
			       sr_mesh__httproute_what :
			       sr_mesh__grpcroute_what, req.node, req.ms);

	retry = sr_mesh__get(o, rule, "retry", false);
	if (retry) {
		mark = sr_mesh__push(o, "retry");
		has_attempts = sr_mesh__count(o, retry, "attempts", &n,
					      &attempts);
		backoff = gateway_duration(o, retry, "backoff");
		sr_mesh__pop(o, mark);
		if (has_attempts && attempts > 0 && req.known && req.ms > 0 &&
		    per.known && per.ms > 0 &&
		    (backoff.known || !backoff.node)) {
			struct budget b;

			mark = sr_mesh__push(o, "retry");
			b.timeout_field = "timeouts.request";
			b.timeout_ms = req.ms;
			b.per_field = "timeouts.backendRequest";
			b.per_ms = per.ms;
			b.attempts = attempts;
			b.backoff_ms = backoff.known ? backoff.ms : 0;
			b.fmt = sr_mesh__fmt_gateway;
			check_budget(o, retry, &b);
			sr_mesh__pop(o, mark);
		}
	}
	free(ns.v);
}

static void check_gateway_route(struct sr_mesh_obj *o,
				const struct sr_node *obj, enum api api)
{
	const struct sr_node *spec, *rules;
	struct gw_route g;
	size_t i, mark;

	spec = sr_mesh__get(o, obj, "spec", false);
	if (!spec)
		return;
	g.o = o;
	g.api = api;
	g.gamma = mesh_route(spec);
	g.linkerd = linkerd_timeout(obj);
	mark = sr_mesh__push(o, "spec");
	rules = sr_mesh__get(o, spec, "rules", true);
	for (i = 0; rules && i < rules->u.seq.n; i++) {
		const struct sr_node *r = rules->u.seq.items[i];
		size_t m2 = sr_mesh__push(o, "rules");

		sr_mesh__push_index(o, i);
		if (sr_node_is_map(r))
			check_gateway_rule(&g, r);
		else if (!sr_node_is_null(r))
			sr_emit(o->ctx, "mesh/invalid", r, NULL,
				"%s %s: %s must be a mapping, got %s", o->kind,
				o->name, o->path.ptr, sr_node_type_name(r));
		sr_mesh__pop(o, m2);
	}
	sr_mesh__pop(o, mark);
}

static void check_object(struct sr_ctx *ctx, const struct sr_node *obj)
{
	enum api api = object_api(obj);
	struct sr_model *m = sr_ctx_model(ctx);
	struct sr_mesh_obj o;
	const char *name;

	if (api == API_NONE)
		return;
	name = sr_node_str(sr_map_path(obj, "metadata", "name", NULL));
	memset(&o, 0, sizeof(o));
	o.ctx = ctx;
	o.kind = sr_node_str(sr_map_get(obj, "kind"));
	o.name = name && *name ? name : "?";
	if (m && (api == API_VIRTUAL_SERVICE || api == API_DESTINATION_RULE)) {
		own_facts(m);
		facts.istio = true;
	}
	switch (api) {
	case API_VIRTUAL_SERVICE:
		check_virtual_service(&o, obj);
		break;
	case API_DESTINATION_RULE:
		sr_mesh__check_destination_rule(&o, obj);
		break;
	case API_HTTP_ROUTE:
	case API_GRPC_ROUTE:
		check_gateway_route(&o, obj, api);
		break;
	case API_NONE:
		break;
	}
	sr_buf_release(&o.path);
}

static void check(struct sr_ctx *ctx, const struct sr_doc *doc)
{
	const struct sr_node *items = list_items(doc->root);
	size_t i;

	sr_deferred_left(&route_timeouts, ctx);
	if (object_api(doc->root) != API_NONE) {
		check_object(ctx, doc->root);
		return;
	}
	for (i = 0; items && i < items->u.seq.n; i++)
		if (sr_node_is_map(items->u.seq.items[i]))
			check_object(ctx, items->u.seq.items[i]);
}

/* ---- after the last file ---- */

/* Is 'a' before 'b' in the output order (path, then position)? */
static bool loc_before(const struct sr_loc *a, const struct sr_loc *b)
{
	int c = strcmp(a->relpath, b->relpath);

	if (c)
		return c < 0;
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line;
	return a->pos.col < b->pos.col;
}

/* The contract target a service calls by this name (not a caller's). */
static const struct sr_target *called_target(const struct sr_service *svc,
					     const char *name)
{
	size_t i;

	for (i = 0; svc && i < svc->ntargets; i++) {
		const struct sr_target *t = &svc->targets[i];

		if (!strcmp(t->name, name) &&
		    !(t->direction && !strcmp(t->direction, "upstream")))
			return t;
	}
	return NULL;
}

/* timeout/hardcoded: the route timeouts of a file against its contract. */
static void check_hardcoded(const struct sr_check_opts *opts,
			    const struct sr_deferred_file *f,
			    const struct sr_service *svc)
{
	const struct route_timeout *uses = f->v;
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct route_timeout *u = &uses[i];
		const struct sr_target *t = called_target(svc, u->name);
		char lo[32], hi[32], fix[160];
		struct sr_loc loc;
		bool low, high;

		if (!t)
			continue;
		low = t->has_base && u->ms < t->base;
		high = t->has_max && u->ms > t->max;
		if (!low && !high)
			continue;
		sr_mesh__fmt_ms(lo, sizeof(lo), t->has_base ? t->base : 0);
		sr_mesh__fmt_ms(hi, sizeof(hi), t->has_max ? t->max : 0);
		if (t->has_base && t->has_max)
			snprintf(fix, sizeof(fix),
				 "use a value in [%s, %s], e.g. the base %s, or change the contract",
				 lo, hi, lo);
		else
			snprintf(fix, sizeof(fix), "use %s, or change the contract",
				 low ? lo : hi);
		loc = sr_deferred_loc(f, u->pos);
		sr_emit_late(opts, &loc, "timeout/hardcoded", fix,
			     "%s %lld ms towards %s is %s %s %lld ms of %s.%s.%s in the timeout contract of %s",
			     u->what, u->ms, u->name,
			     low ? "below" : "above", low ? "base" : "max",
			     low ? t->base : t->max, t->protocol, t->direction,
			     t->name, svc->name);
	}
}

/*
 * The part of a host that names the service: without the cluster domain
 * ("reviews.prod.svc.cluster.local" is "reviews.prod"). Returns its length.
 */
static size_t host_core(const char *h)
{
	const char *svc = strstr(h, ".svc.");
	size_t n = strlen(h);

	if (svc)
		return (size_t)(svc - h);
	if (n > 4 && !strcmp(h + n - 4, ".svc"))
		return n - 4;
	return n;
}

static bool same_core(const char *a, const char *b)
{
	size_t la = host_core(a);

	return la == host_core(b) && !strncmp(a, b, la);
}

/*
 * Do two hosts name the same service? The same core does. A bare service
 * name ("reviews") also matches a cluster host with that name
 * ("reviews.prod.svc.cluster.local"), but not another domain
 * ("reviews.com"), and two namespaces stay apart.
 */
static bool same_host(const char *a, const char *b)
{
	size_t la = host_core(a), lb = host_core(b);
	const char *da = memchr(a, '.', la), *db = memchr(b, '.', lb);
	const char *other;

	if (same_core(a, b))
		return true;
	if (da && db)
		return false;
	/* one of them is bare; the other must be in the cluster domain */
	other = da ? a : b;
	if ((da || db) && host_core(other) == strlen(other))
		return false;
	if (da)
		return (size_t)(da - a) == lb && !strncmp(a, b, lb);
	if (db)
		return (size_t)(db - b) == la && !strncmp(a, b, la);
	return false;
}

/*
 * Does a DestinationRule host cover 'host'? The same service does; a
 * wildcard host covers the names under its suffix, and a bare service
 * name when the suffix is inside the cluster domain ("*.local", "*").
 */
static bool covers(const struct sr_breaker *b, const char *host)
{
	const char *pat = b->full_name;
	size_t hn, sn;

	if (!pat)
		return false;
	if (pat[0] != '*')
		return same_host(pat, host);
	if (!pat[1])
		return true;
	if (pat[1] != '.')
		return false;
	hn = strlen(host);
	sn = strlen(pat + 1);
	if (hn > sn && !strcmp(host + hn - sn, pat + 1))
		return true;
	return !strchr(host, '.') && sn >= 6 &&
	       !strcmp(pat + 1 + sn - 6, ".local");
}

/* A name cb/outlier-missing looks at, with where to report it. */
struct wanted {
	const char *host;
	const struct sr_loc *loc;
	const char *svc;	/* for a contract target */
	size_t next;		/* the next with the same first label, + 1 */
};

/*
 * The first label of a host ("reviews" of "reviews.prod.svc..."): two
 * hosts that same_host() or a non-wildcard covers() matches share it, so
 * the checks below compare only within one label's bucket instead of every
 * host with every other one.
 */
static size_t first_label(const char *h)
{
	const char *dot = strchr(h, '.');

	return dot ? (size_t)(dot - h) : strlen(h);
}

/* Chain item 'i' (0-based) into the bucket of 'key'; 'next' is per item. */
static void bucket_add(struct sr_strmap *map, size_t *next, const char *key,
		       size_t i)
{
	void **head = sr_strmap_put(map, key, first_label(key));

	next[i] = (size_t)(uintptr_t)*head;
	*head = (void *)(uintptr_t)(i + 1);
}

static size_t bucket_head(const struct sr_strmap *map, const char *key)
{
	return (size_t)(uintptr_t)sr_strmap_get(map, key, first_label(key));
}

/* The wanted host the same as 'host' (by 'same'), or NULL. */
static struct wanted *wanted_find(struct wanted *w, const struct sr_strmap *idx,
				  const char *host,
				  bool (*same)(const char *, const char *))
{
	size_t k;

	for (k = bucket_head(idx, host); k; k = w[k - 1].next)
		if (same(w[k - 1].host, host))
			return &w[k - 1];
	return NULL;
}

static void wanted_add(struct wanted **w, size_t *nw, size_t *cap,
		       struct sr_strmap *idx, const char *host,
		       const struct sr_loc *loc, const char *svc)
{
	struct wanted *x;
	void **head;

	*w = sr_xgrow(*w, cap, *nw + 1, sizeof(**w));
	x = &(*w)[*nw];
	x->host = host;
	x->loc = loc;
	x->svc = svc;
	head = sr_strmap_put(idx, host, first_label(host));
	x->next = (size_t)(uintptr_t)*head;
	*head = (void *)(uintptr_t)++*nw;
}

/*
 * The DestinationRule that covers 'host': one with outlierDetection
 * (*covered), or else the best one without, or NULL. 'bnext' chains the
 * breakers of one first label; 'wild' lists the wildcard ones.
 */
static const struct sr_breaker *
find_cover(const struct sr_model *m, const struct sr_strmap *bidx,
	   const size_t *bnext, const size_t *wild, size_t nwild,
	   const char *host, bool *covered)
{
	const struct sr_breaker *without = NULL;
	int without_rank = 2;
	size_t j = bucket_head(bidx, host), w = 0;

	*covered = false;
	for (;;) {
		const struct sr_breaker *b;

		if (j) {
			b = &m->breakers.v[j - 1];
			j = bnext[j - 1];
		} else if (w < nwild) {
			b = &m->breakers.v[wild[w++]];
		} else {
			break;
		}
		if (!covers(b, host))
			continue;
		if (b->has_outlier) {
			*covered = true;
			return NULL;
		}
		if (b->loc) {
			/* prefer the host as routed, then the first */
			int rank = same_core(b->full_name, host) ? 0 : 1;

			if (!without || rank < without_rank ||
			    (rank == without_rank &&
			     loc_before(b->loc, without->loc))) {
				without = b;
				without_rank = rank;
			}
		}
	}
	return without;
}

/* The routed hosts in output order of where they are first routed. */
static int first_routed_first(const void *a, const void *b)
{
	const struct routed *x = *(const struct routed *const *)a;
	const struct routed *y = *(const struct routed *const *)b;

	return loc_before(x->loc, y->loc) ? -1 :
	       loc_before(y->loc, x->loc) ? 1 : 0;
}

static void check_outlier_missing(const struct sr_check_opts *opts,
				  const struct sr_model *m)
{
	struct wanted *w = NULL;
	size_t nw = 0, cap = 0, i, j, nwild = 0;
	struct sr_strmap widx = SR_STRMAP_INIT, bidx = SR_STRMAP_INIT;
	struct sr_strmap reported = SR_STRMAP_INIT, r4j = SR_STRMAP_INIT;
	size_t *bnext = sr_xcalloc(m->breakers.n + 1, sizeof(*bnext));
	size_t *wild = sr_xcalloc(m->breakers.n + 1, sizeof(*wild));
	const struct routed **order;

	/*
	 * hosts routed by VirtualServices, in output order: a DestinationRule
	 * that covers several is reported naming the first
	 */
	order = sr_xcalloc(facts.nrouted + 1, sizeof(*order));
	for (i = 0; facts.owner == m && i < facts.nrouted; i++)
		order[i] = &facts.routed[i];
	qsort(order, i, sizeof(*order), first_routed_first);
	for (j = 0; j < i; j++)
		wanted_add(&w, &nw, &cap, &widx, order[j]->host,
			   order[j]->loc, NULL);
	free(order);
	/* where Istio is in use, the targets the contracts call too */
	for (i = 0; facts.owner == m && facts.istio && i < m->nservices; i++) {
		const struct sr_service *s = &m->services[i];

		for (j = 0; j < s->ntargets; j++) {
			const struct sr_target *t = &s->targets[j];

			if ((t->direction && !strcmp(t->direction, "upstream")) ||
			    !t->loc || wanted_find(w, &widx, t->name, same_host))
				continue;
			wanted_add(&w, &nw, &cap, &widx, t->name, t->loc,
				   s->name);
		}
	}

	for (j = 0; j < m->breakers.n; j++) {
		const struct sr_breaker *b = &m->breakers.v[j];

		if (b->kind == SR_BREAKER_R4J && b->name)
			*sr_strmap_put(&r4j, b->name, strlen(b->name)) = (void *)b;
		if (b->kind != SR_BREAKER_ISTIO || !b->full_name)
			continue;
		if (b->full_name[0] == '*')
			wild[nwild++] = j;
		else
			bucket_add(&bidx, bnext, b->full_name, j);
	}

	for (i = 0; i < nw; i++) {
		const struct sr_breaker *without;
		bool covered;
		void **seen;

		without = find_cover(m, &bidx, bnext, wild, nwild, w[i].host,
				     &covered);
		if (covered)
			continue;
		if (without) {
			/* one finding per DestinationRule */
			seen = sr_strmap_put(&reported, without->full_name,
					     strlen(without->full_name));
			if (*seen)
				continue;
			*seen = (void *)without;
			if (w[i].svc)
				sr_emit_late(opts, without->loc,
					     "cb/outlier-missing",
					     "add trafficPolicy.outlierDetection, e.g. {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}",
					     "DestinationRule for %s has no outlierDetection, so the mesh never ejects its failing endpoints (it is target %s of the timeout contract of %s)",
					     without->full_name, w[i].host,
					     w[i].svc);
			else
				sr_emit_late(opts, without->loc,
					     "cb/outlier-missing",
					     "add trafficPolicy.outlierDetection, e.g. {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}",
					     "DestinationRule for %s has no outlierDetection, so the mesh never ejects its failing endpoints (VirtualServices route to it as %s)",
					     without->full_name, w[i].host);
		} else if (w[i].svc) {
			/*
			 * A target with no breaker of any kind is cb/missing's
			 * finding (which names the DestinationRule too): one
			 * report for one cause.
			 */
			if (!sr_strmap_get(&r4j, w[i].host, strlen(w[i].host)))
				continue;
			sr_emit_late(opts, w[i].loc, "cb/outlier-missing",
				     "add a DestinationRule for the host with trafficPolicy.outlierDetection",
				     "target %s of the timeout contract of %s has no DestinationRule with outlierDetection, so the mesh never ejects its failing endpoints",
				     w[i].host, w[i].svc);
		} else {
			sr_emit_late(opts, w[i].loc, "cb/outlier-missing",
				     "add a DestinationRule for the host with trafficPolicy.outlierDetection",
				     "%s is routed by a VirtualService but has no DestinationRule with outlierDetection, so the mesh never ejects its failing endpoints",
				     w[i].host);
		}
	}
	sr_strmap_release(&reported);
	sr_strmap_release(&r4j);
	sr_strmap_release(&bidx);
	sr_strmap_release(&widx);
	free(wild);
	free(bnext);
	free(w);
}

/*
 * cb/connection-pool: a connectTimeout as long as the shortest route
 * timeout towards the host lets the route give up before the connection
 * attempt does.
 */
static void check_connect(const struct sr_check_opts *opts,
			  const struct sr_model *m)
{
	struct sr_strmap by_label = SR_STRMAP_INIT;
	const struct connect *f;
	size_t i;

	if (facts.owner != m)
		return;
	/* the shortest timeouts by first label, chained through the list */
	for (i = 0; i < facts.nshortest; i++) {
		struct shortest *u = &facts.shortest[i];
		void **head = sr_strmap_put(&by_label, u->host,
					    first_label(u->host));

		u->same_label = (size_t)(uintptr_t)*head;
		*head = (void *)(uintptr_t)(i + 1);
	}
	for (f = facts.connects; f; f = f->next) {
		const struct shortest *min = NULL, *u;
		char c[32], r[32], fix[96];

		for (i = (size_t)(uintptr_t)sr_strmap_get(&by_label, f->host,
							  first_label(f->host));
		     i; i = u->same_label) {
			u = &facts.shortest[i - 1];
			if (same_host(u->host, f->host) &&
			    (!min || shorter(u->ms, u->loc, u->serial, min)))
				min = u;
		}
		if (!min || f->ms < min->ms)
			continue;
		sr_mesh__fmt_ms(c, sizeof(c), f->ms);
		sr_mesh__fmt_ms(r, sizeof(r), min->ms);
		snprintf(fix, sizeof(fix), "connectTimeout: well below %s, e.g. %lldms",
			 r, min->ms / 4 > 0 ? min->ms / 4 : 1);
		sr_emit_late(opts, f->loc, "cb/connection-pool", fix,
			     "connectTimeout %s for %s is not below the route timeout %s towards %s (%s:%u): the route gives up before a connection attempt fails, so connect failures are never retried",
			     c, f->host, r, min->host, min->loc->relpath,
			     min->loc->pos.line);
	}
	sr_strmap_release(&by_label);
}

static void finish(const struct sr_check_opts *opts, struct sr_model *m)
{
	sr_deferred_finish(&route_timeouts, opts, m);
	check_outlier_missing(opts, m);
	check_connect(opts, m);
	facts_release();
}

const struct sr_validator sr_validator_mesh = {
	"mesh",
	detect,
	check,
	finish,
	NULL,
	NULL,
};

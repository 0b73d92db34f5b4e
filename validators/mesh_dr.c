/*
 * One Istio DestinationRule (SPEC.md 4.2): its traffic policies (the
 * rule's own, each subset's, and their portLevelSettings), with
 * outlierDetection (cb/outlier-disabled, cb/eject-all) and connectionPool
 * (cb/connection-pool); values Istio rejects are mesh/invalid. The host is
 * recorded as a circuit breaker for cb/outlier-missing and cb/missing,
 * and each tcp.connectTimeout for the comparison with route timeouts.
 */
#include <stdio.h>
#include <string.h>

#include "mesh.h"
#include "base/banned.h"

struct dr {
	struct sr_mesh_obj *o;
	const char *host;	/* spec.host, or NULL */
	bool has_outlier;
};

/*
 * Does this outlierDetection eject anything? Istio maps the fields onto
 * Envoy's as follows: consecutive5xxErrors defaults to 5 (0 disables it);
 * consecutiveGatewayErrors is off unless set above 0; the deprecated
 * consecutiveErrors, when above 0, switches 5xx ejection off and gateway
 * ejection on at that value, and the two newer fields override it; with
 * splitExternalLocalOriginErrors, local-origin failures eject too.
 * A value that could not be read counts as enabled, so that nothing is
 * reported about it here.
 */
static void check_outlier(struct dr *d, const struct sr_node *od)
{
	struct sr_mesh_obj *o = d->o;
	const struct sr_node *c5n, *cgwn, *cerrn, *mepn, *mhpn, *n;
	long long c5 = 0, cgw = 0, cerr = 0, clo = 0, mep = 0, mhp = 0;
	bool c5ok, cgwok, cerrok, mepok, mhpok, on5xx, ongw, split = false;
	size_t mark;

	sr_mesh__istio_duration(o, od, "interval", false);
	sr_mesh__istio_duration(o, od, "baseEjectionTime", false);
	c5ok = sr_mesh__count(o, od, "consecutive5xxErrors", &c5n, &c5);
	cgwok = sr_mesh__count(o, od, "consecutiveGatewayErrors", &cgwn, &cgw);
	cerrok = sr_mesh__count(o, od, "consecutiveErrors", &cerrn, &cerr);
	sr_mesh__count(o, od, "consecutiveLocalOriginFailures", &n, &clo);
	mepok = sr_mesh__count(o, od, "maxEjectionPercent", &mepn, &mep);
	mhpok = sr_mesh__count(o, od, "minHealthPercent", &mhpn, &mhp);
	sr_node_bool(sr_map_get(od, "splitExternalLocalOriginErrors"), &split);

	if (mepok && mep > 100) {
		mark = sr_mesh__push(o, "maxEjectionPercent");
		sr_emit(o->ctx, "mesh/invalid", mepn,
			"maxEjectionPercent: 100 or less (Istio's default is 10)",
			"%s %s: %s %lld is above 100; Istio rejects it",
			o->kind, o->name, o->path.ptr, mep);
		sr_mesh__pop(o, mark);
		mepok = false;
	}
	if (mhpok && mhp > 100) {
		mark = sr_mesh__push(o, "minHealthPercent");
		sr_emit(o->ctx, "mesh/invalid", mhpn,
			"minHealthPercent: 100 or less",
			"%s %s: %s %lld is above 100; Istio rejects it",
			o->kind, o->name, o->path.ptr, mhp);
		sr_mesh__pop(o, mark);
		mhpok = false;
	}

	if (c5n)
		on5xx = !c5ok || c5 > 0;
	else
		on5xx = !(cerrok && cerr > 0);
	if (cgwn)
		ongw = !cgwok || cgw > 0;
	else
		ongw = cerrn && (!cerrok || cerr > 0);

	if (!on5xx && !ongw && !split) {
		const struct sr_node *at = c5n ? c5n : cgwn;
		struct sr_buf why = SR_BUF_INIT;

		if (c5n)
			sr_buf_adds(&why, "consecutive5xxErrors is 0");
		else
			sr_buf_addf(&why, "consecutiveErrors %lld turns 5xx ejection off",
				    cerr);
		if (cgwn)
			sr_buf_adds(&why, " and consecutiveGatewayErrors is 0");
		else
			sr_buf_adds(&why, " and consecutiveGatewayErrors is unset (off)");
		sr_emit(o->ctx, "cb/outlier-disabled", at,
			"set consecutive5xxErrors (Istio's default is 5) or consecutiveGatewayErrors above 0",
			"%s %s: %s ejects no host: %s, so a failing endpoint keeps receiving traffic",
			o->kind, o->name, o->path.ptr, why.ptr);
		sr_buf_release(&why);
		return;
	}
	if (mepok && mep == 100 && !(mhpok && mhp > 0)) {
		mark = sr_mesh__push(o, "maxEjectionPercent");
		sr_emit(o->ctx, "cb/eject-all", mepn,
			"maxEjectionPercent: 50 or less, or set minHealthPercent so that the proxy falls back to every host (panic mode)",
			"%s %s: %s 100 lets outlier detection eject every host of %s; when all of them fail at once nothing is left to serve and every request fails",
			o->kind, o->name, o->path.ptr, d->host ? d->host : "the service");
		sr_mesh__pop(o, mark);
	}
}

/* A pool limit written as 0, which Istio reads as "unset". */
static void check_limit(struct dr *d, const struct sr_node *map,
			const char *field)
{
	struct sr_mesh_obj *o = d->o;
	const struct sr_node *n;
	long long v = 0;
	char fix[128];
	size_t mark;

	if (!sr_mesh__count(o, map, field, &n, &v) || v != 0)
		return;
	mark = sr_mesh__push(o, field);
	snprintf(fix, sizeof(fix),
		 "set the limit you mean, e.g. %s: 100, or remove the field",
		 field);
	sr_emit(o->ctx, "cb/connection-pool", n, fix,
		"%s %s: %s 0 is not a limit: Istio reads 0 as unset and applies its default, effectively unlimited, so nothing is capped",
		o->kind, o->name, o->path.ptr);
	sr_mesh__pop(o, mark);
}

static void check_pool(struct dr *d, const struct sr_node *cp)
{
	struct sr_mesh_obj *o = d->o;
	const struct sr_node *tcp, *http, *ka, *n;
	struct sr_mesh_dur connect;
	long long v;
	size_t mark;

	tcp = sr_mesh__get(o, cp, "tcp", false);
	if (tcp) {
		mark = sr_mesh__push(o, "tcp");
		check_limit(d, tcp, "maxConnections");
		connect = sr_mesh__istio_duration(o, tcp, "connectTimeout",
						  false);
		if (connect.known && d->host)
			sr_mesh__record(o->ctx, SR_MESH_CONNECT, d->host,
					connect.node, connect.ms);
		sr_mesh__istio_duration(o, tcp, "maxConnectionDuration", false);
		/* for TCP, 0s documentedly disables the idle timeout */
		sr_mesh__istio_duration(o, tcp, "idleTimeout", true);
		ka = sr_mesh__get(o, tcp, "tcpKeepalive", false);
		if (ka) {
			size_t m2 = sr_mesh__push(o, "tcpKeepalive");

			sr_mesh__count(o, ka, "probes", &n, &v);
			sr_mesh__istio_duration(o, ka, "time", false);
			sr_mesh__istio_duration(o, ka, "interval", false);
			sr_mesh__pop(o, m2);
		}
		sr_mesh__pop(o, mark);
	}
	http = sr_mesh__get(o, cp, "http", false);
	if (http) {
		mark = sr_mesh__push(o, "http");
		check_limit(d, http, "http1MaxPendingRequests");
		check_limit(d, http, "http2MaxRequests");
		check_limit(d, http, "maxRetries");
		check_limit(d, http, "maxConcurrentStreams");
		/* 0 is documented as "unlimited" here, a deliberate choice */
		sr_mesh__count(o, http, "maxRequestsPerConnection", &n, &v);
		sr_mesh__istio_duration(o, http, "idleTimeout", false);
		ka = sr_mesh__get(o, http, "http2KeepAlive", false);
		if (ka) {
			size_t m2 = sr_mesh__push(o, "http2KeepAlive");

			sr_mesh__istio_duration(o, ka, "interval", false);
			sr_mesh__istio_duration(o, ka, "timeout", false);
			sr_mesh__pop(o, m2);
		}
		sr_mesh__pop(o, mark);
	}
}

/* A trafficPolicy, or one entry of its portLevelSettings. */
static void check_policy(struct dr *d, const struct sr_node *tp,
			 bool port_level)
{
	struct sr_mesh_obj *o = d->o;
	const struct sr_node *n, *ports;
	size_t i, mark;

	n = sr_mesh__get(o, tp, "outlierDetection", false);
	if (n) {
		d->has_outlier = true;
		mark = sr_mesh__push(o, "outlierDetection");
		check_outlier(d, n);
		sr_mesh__pop(o, mark);
	}
	n = sr_mesh__get(o, tp, "connectionPool", false);
	if (n) {
		mark = sr_mesh__push(o, "connectionPool");
		check_pool(d, n);
		sr_mesh__pop(o, mark);
	}
	if (port_level)
		return;
	ports = sr_mesh__get(o, tp, "portLevelSettings", true);
	if (!ports)
		return;
	mark = sr_mesh__push(o, "portLevelSettings");
	for (i = 0; i < ports->u.seq.n; i++) {
		const struct sr_node *p = ports->u.seq.items[i];
		size_t m2 = sr_mesh__push_index(o, i);

		if (sr_node_is_map(p))
			check_policy(d, p, true);
		else if (!sr_node_is_null(p))
			sr_emit(o->ctx, "mesh/invalid", p, NULL,
				"%s %s: %s must be a mapping, got %s", o->kind,
				o->name, o->path.ptr, sr_node_type_name(p));
		sr_mesh__pop(o, m2);
	}
	sr_mesh__pop(o, mark);
}

void sr_mesh__check_destination_rule(struct sr_mesh_obj *o,
				     const struct sr_node *obj)
{
	struct sr_model *m = sr_ctx_model(o->ctx);
	const struct sr_node *spec, *host, *tp, *subsets;
	struct dr d;
	size_t i, mark;

	memset(&d, 0, sizeof(d));
	d.o = o;
	spec = sr_mesh__get(o, obj, "spec", false);
	if (!spec)
		return;
	mark = sr_mesh__push(o, "spec");
	host = sr_map_get(spec, "host");
	d.host = sr_node_str(host);
	if (d.host && (host->type != SR_NODE_SCALAR || !*d.host))
		d.host = NULL;
	if (!d.host)
		sr_emit(o->ctx, "mesh/invalid", host ? host : spec,
			"name the service: host: <name>[.<namespace>.svc.cluster.local]",
			"%s %s: spec.host %s; Istio rejects a DestinationRule without a host",
			o->kind, o->name, host ? "must be a host name" : "is missing");

	tp = sr_mesh__get(o, spec, "trafficPolicy", false);
	if (tp) {
		size_t m2 = sr_mesh__push(o, "trafficPolicy");

		check_policy(&d, tp, false);
		sr_mesh__pop(o, m2);
	}
	subsets = sr_mesh__get(o, spec, "subsets", true);
	for (i = 0; subsets && i < subsets->u.seq.n; i++) {
		const struct sr_node *s = subsets->u.seq.items[i];
		size_t m2 = sr_mesh__push(o, "subsets");

		sr_mesh__push_index(o, i);
		if (sr_node_is_map(s)) {
			tp = sr_mesh__get(o, s, "trafficPolicy", false);
			if (tp) {
				sr_mesh__push(o, "trafficPolicy");
				check_policy(&d, tp, false);
			}
		}
		sr_mesh__pop(o, m2);
	}
	sr_mesh__pop(o, mark);

	if (m && d.host) {
		sr_mesh__destination_rule(o->ctx, d.host, host, d.has_outlier);
		if (m->keep_refs) {
			struct sr_dep_ref r;

			r.kind = SR_REF_DESTINATION_RULE;
			r.name = sr_model_short_name(m, d.host);
			r.loc = sr_ctx_loc(o->ctx, host);
			sr_model_add_ref(m, &r);
		}
	}
}

/*
 * One container's health probes (SPEC.md 4.3): presence, the endpoint
 * convention, what the liveness probe checks, shared handlers, the order
 * in which the probes give up, timing and ports. httpGet, tcpSocket, exec
 * and grpc handlers are all read; named ports are resolved against the
 * container's ports. Absent timing fields take the Kubernetes defaults.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/duration.h"
#include "base/xmalloc.h"
#include "k8s.h"
#include "base/banned.h"

/* Kubernetes defaults (k8s.io/api core/v1 Probe). */
#define DEFAULT_PERIOD 10
#define DEFAULT_TIMEOUT 1
#define DEFAULT_SUCCESS 1
#define DEFAULT_FAILURE 3

#define DEFAULT_READINESS_PATH "/health/ready"
#define DEFAULT_LIVENESS_PATH "/health/live"

enum handler {
	H_NONE,
	H_HTTP,
	H_TCP,
	H_EXEC,
	H_GRPC
};

static const char *const handler_names[] = {
	"none", "httpGet", "tcpSocket", "exec", "grpc"
};

struct probe {
	const char *what;		/* "readinessProbe" */
	const char *missing_rule;	/* its presence rule */
	const struct sr_node *key;	/* NULL: absent */
	const struct sr_node *node;	/* the mapping; NULL: none usable */
	enum handler h;
	const struct sr_node *hnode;	/* the handler's mapping */
	/* httpGet, tcpSocket, grpc */
	const struct sr_node *port_node;
	bool port_known;		/* 'port' holds the number */
	long long port;
	const char *port_name;		/* a named port as written */
	const char *host;
	/* httpGet */
	const char *path;		/* "/" when absent */
	const struct sr_node *path_node;
	const char *scheme;
	/* exec */
	const struct sr_node *command;
	/* grpc */
	const char *service;
	/* timing, defaults applied */
	long long initial, period, timeout, success, failure;
	const struct sr_node *n_period, *n_timeout, *n_failure;
};

/* The container being checked. */
struct cc {
	const struct sr_k8s_container *c;
	struct sr_ctx *ctx;
	const char *readiness_path;
	const char *liveness_path;
};

/* ---- include= lists and paths ---- */

static bool is_space_char(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

bool sr_k8s__names_has(const struct sr_k8s_names *names, const char *name)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		if (!strcmp(names->v[i], name))
			return true;
	return false;
}

static void names_add(struct sr_k8s_names *out, const char *s, size_t len)
{
	while (len && is_space_char(*s)) {
		s++;
		len--;
	}
	while (len && is_space_char(s[len - 1]))
		len--;
	if (!len)
		return;
	{
		char *name = sr_xstrndup(s, len);

		if (sr_k8s__names_has(out, name)) {
			free(name);
			return;
		}
		out->v = sr_xgrow(out->v, &out->cap, out->n + 1,
				  sizeof(*out->v));
		out->v[out->n++] = name;
	}
}

/* One include= value in [p, end): percent-decoded, split at commas. */
static void parse_value(struct sr_k8s_names *out, const char *p,
			const char *end)
{
	struct sr_buf v = SR_BUF_INIT;
	const char *s, *comma;

	for (; p < end; p++) {
		if (*p == '%' && end - p >= 3 && hexval(p[1]) >= 0 &&
		    hexval(p[2]) >= 0) {
			sr_buf_addc(&v, (char)(hexval(p[1]) * 16 +
					       hexval(p[2])));
			p += 2;
		} else if (*p == '+') {
			sr_buf_addc(&v, ' ');
		} else {
			sr_buf_addc(&v, *p);
		}
	}
	s = sr_buf_cstr(&v);
	while ((comma = strchr(s, ',')) != NULL) {
		names_add(out, s, (size_t)(comma - s));
		s = comma + 1;
	}
	names_add(out, s, strlen(s));
	sr_buf_release(&v);
}

bool sr_k8s__parse_include(struct sr_k8s_names *out, const char *text)
{
	static const char key[] = "include=";
	const char *p = text;

	while (p && (p = strstr(p, key)) != NULL) {
		const char *v = p + sizeof(key) - 1, *e = v;

		/* a query parameter, not "xinclude=" or a flag */
		if (p == text || (p[-1] != '?' && p[-1] != '&' &&
				  p[-1] != ';')) {
			p = v;
			continue;
		}
		while (*e && *e != '&' && *e != '#' && *e != ';' &&
		       *e != '"' && *e != '\'' && !is_space_char(*e))
			e++;
		out->present = true;
		parse_value(out, v, e);
		p = e;
	}
	return out->present;
}

void sr_k8s__names_release(struct sr_k8s_names *names)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		free(names->v[i]);
	free(names->v);
	memset(names, 0, sizeof(*names));
}

/* The length of a path without its ?query or #fragment. */
static size_t endpoint_len(const char *path)
{
	return strcspn(path, "?#");
}

bool sr_k8s__same_endpoint(const char *path, const char *want)
{
	size_t a = endpoint_len(path), b = endpoint_len(want);

	if (!a) {
		path = "/";
		a = 1;
	}
	if (!b) {
		want = "/";
		b = 1;
	}
	return a == b && !strncmp(path, want, a);
}

/* ---- reading a probe ---- */

/* A scalar for messages: its text, or its type. */
static const char *shown(const struct sr_node *n)
{
	const char *s = sr_node_str(n);

	return s ? s : sr_node_type_name(n);
}

/*
 * The container's declared port with this name (or, 'name' NULL, this
 * number), or NULL. Probes connect over TCP: unless 'any_protocol', a UDP
 * or SCTP port does not count.
 */
static const struct sr_node *find_port(const struct sr_node *container,
				       const char *name, long long num,
				       bool any_protocol)
{
	const struct sr_node *ports = sr_map_get(container, "ports");
	size_t i;

	if (!sr_node_is_seq(ports))
		return NULL;
	for (i = 0; i < ports->u.seq.n; i++) {
		const struct sr_node *p = ports->u.seq.items[i];
		const char *proto = sr_node_str(sr_map_get(p, "protocol"));
		long long cp;

		if (!sr_node_is_map(p) ||
		    (!any_protocol && proto && strcmp(proto, "TCP") != 0))
			continue;
		if (name && sr_node_eq(sr_map_get(p, "name"), name))
			return p;
		if (!name && sr_node_int(sr_map_get(p, "containerPort"), &cp) &&
		    cp == num)
			return p;
	}
	return NULL;
}

static const struct sr_node *declared_port(const struct sr_node *container,
					   const char *name, long long num)
{
	return find_port(container, name, num, false);
}

static void probe_port(struct cc *cc, struct probe *p)
{
	const struct sr_node *n = sr_map_get(p->hnode, "port");
	const struct sr_node *decl;
	long long v;

	p->port_node = n;
	if (!n || sr_node_is_null(n))
		return;
	if (sr_node_int(n, &v)) {
		p->port_known = true;
		p->port = v;
		return;
	}
	if (p->h == H_GRPC || n->type != SR_NODE_SCALAR)
		return;
	/* IntOrString: "8080" in quotes is a port *name* to Kubernetes */
	p->port_name = sr_node_str(n);
	decl = declared_port(cc->c->node, p->port_name, 0);
	if (decl && sr_node_int(sr_map_get(decl, "containerPort"), &v)) {
		p->port_known = true;
		p->port = v;
	}
}

/*
 * What a wrongly written number of seconds most likely means: 2.5, "10",
 * "10s", "PT10S". False when it means nothing.
 */
static bool intended_seconds(const struct sr_node *n, double *out)
{
	const char *s = sr_node_str(n);
	char *end = NULL;
	double v;

	if (!s || n->type != SR_NODE_SCALAR)
		return false;
	if (sr_node_float(n, true, &v)) {
		*out = v;
	} else if (sr_duration_parse_ms(s, &v)) {
		*out = v / 1000;
	} else {
		v = strtod(s, &end);
		if (end == s || *end)
			return false;
		*out = v;
	}
	return isfinite(*out) && *out >= 0 && *out < INT_MAX;
}

/*
 * A timing field: absent or 0 means the default (Kubernetes defaults a
 * zero), anything but a non-negative integer is reported and read as
 * what it most likely means.
 */
static long long timing_field(struct cc *cc, const struct probe *p,
			      const char *field, long long dflt,
			      const struct sr_node **node_out)
{
	const struct sr_node *n = sr_map_get(p->node, field);
	const char *what = strstr(field, "Threshold") ? "a positive integer" :
			   "an integer number of seconds";
	double secs;
	long long v;

	if (node_out)
		*node_out = NULL;
	if (!n || sr_node_is_null(n))
		return dflt;
	if (node_out)
		*node_out = n;
	if (sr_node_int(n, &v)) {
		if (v < 0) {
			sr_emit(cc->ctx, "probe/timing", n, NULL,
				"%s.%s of container '%s' is negative (%lld); Kubernetes rejects it",
				p->what, field, cc->c->name, v);
			return dflt;
		}
		if (v > INT_MAX)
			v = INT_MAX;
		return v ? v : dflt;
	}
	if (intended_seconds(n, &secs)) {
		char fix[64];
		long long want = (long long)ceil(secs);
		bool quoted = n->style != SR_STYLE_PLAIN;

		if (!want && strcmp(field, "initialDelaySeconds") != 0)
			want = 1;
		snprintf(fix, sizeof(fix), "%s: %lld", field, want);
		sr_emit(cc->ctx, "probe/timing", n, fix,
			"%s.%s of container '%s' must be %s, got %s%s%s",
			p->what, field, cc->c->name, what, quoted ? "\"" : "",
			sr_node_str(n), quoted ? "\"" : "");
		return want ? want : dflt;
	}
	sr_emit(cc->ctx, "probe/timing", n, NULL,
		"%s.%s of container '%s' must be %s, got %s",
		p->what, field, cc->c->name, what, shown(n));
	return dflt;
}

/* Report an unusable probe under its presence rule. */
static void unusable(struct cc *cc, struct probe *p, const char *why)
{
	sr_emit(cc->ctx, p->missing_rule, p->key,
		"give it one handler: httpGet, tcpSocket, exec or grpc",
		"%s of container '%s' %s", p->what, cc->c->name, why);
	p->node = NULL;
}

static void read_probe(struct cc *cc, struct probe *p, const char *what,
		       const char *missing_rule)
{
	static const char *const keys[] = { NULL, "httpGet", "tcpSocket",
					    "exec", "grpc" };
	const struct sr_pair *pair = sr_map_pair(cc->c->node, what);
	struct sr_buf why = SR_BUF_INIT;
	enum handler h;

	memset(p, 0, sizeof(*p));
	p->what = what;
	p->missing_rule = missing_rule;
	/* JSON null is no probe at all */
	if (!pair || sr_node_is_null(pair->value))
		return;
	p->key = pair->key;
	if (!sr_node_is_map(pair->value)) {
		sr_buf_addf(&why, "must be a mapping with a handler, got %s",
			    sr_node_type_name(pair->value));
		unusable(cc, p, why.ptr);
		sr_buf_release(&why);
		return;
	}
	p->node = pair->value;
	for (h = H_HTTP; h <= H_GRPC && !p->h; h++) {
		const struct sr_node *hn = sr_map_get(p->node, keys[h]);

		if (!hn || sr_node_is_null(hn))
			continue;
		p->h = h;
		p->hnode = hn;
	}
	if (!p->h) {
		unusable(cc, p, "has no handler (httpGet, tcpSocket, exec or grpc)");
		return;
	}
	if (!sr_node_is_map(p->hnode)) {
		sr_buf_addf(&why, "has a handler that is not a mapping (%s: %s)",
			    handler_names[p->h], sr_node_type_name(p->hnode));
		unusable(cc, p, why.ptr);
		sr_buf_release(&why);
		return;
	}
	switch (p->h) {
	case H_HTTP:
		p->path_node = sr_map_get(p->hnode, "path");
		p->path = sr_node_str(p->path_node);
		if (!p->path || !*p->path)
			p->path = "/";
		p->scheme = sr_node_str(sr_map_get(p->hnode, "scheme"));
		p->host = sr_node_str(sr_map_get(p->hnode, "host"));
		probe_port(cc, p);
		break;
	case H_TCP:
		p->host = sr_node_str(sr_map_get(p->hnode, "host"));
		probe_port(cc, p);
		break;
	case H_GRPC:
		p->service = sr_node_str(sr_map_get(p->hnode, "service"));
		probe_port(cc, p);
		break;
	case H_EXEC:
		p->command = sr_map_get(p->hnode, "command");
		break;
	default:
		break;
	}
	if (p->host && !*p->host)
		p->host = NULL;
	p->initial = timing_field(cc, p, "initialDelaySeconds", 0, NULL);
	p->period = timing_field(cc, p, "periodSeconds", DEFAULT_PERIOD,
				 &p->n_period);
	p->timeout = timing_field(cc, p, "timeoutSeconds", DEFAULT_TIMEOUT,
				  &p->n_timeout);
	p->success = timing_field(cc, p, "successThreshold", DEFAULT_SUCCESS,
				  NULL);
	p->failure = timing_field(cc, p, "failureThreshold", DEFAULT_FAILURE,
				  &p->n_failure);
	timing_field(cc, p, "terminationGracePeriodSeconds", 0, NULL);
}

/* ---- ports ---- */

/* The names of the container's ports, for messages. */
static void port_names(struct sr_buf *out, const struct sr_node *container)
{
	const struct sr_node *ports = sr_map_get(container, "ports");
	size_t i, n = 0;

	for (i = 0; sr_node_is_seq(ports) && i < ports->u.seq.n; i++) {
		const struct sr_node *p = ports->u.seq.items[i];
		const char *name = sr_node_str(sr_map_get(p, "name"));
		const char *num = sr_node_str(sr_map_get(p, "containerPort"));

		if (!name && !num)
			continue;
		sr_buf_addf(out, "%s%s", n++ ? ", " : "", name ? name : num);
	}
}

size_t sr_k8s__distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[33];

	if (la > 32 || lb > 32)
		return cap;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb] < cap ? row[lb] : cap;
}

/* The container's port name closest to 'name' (a likely typo), or NULL. */
static const char *closest_port(const struct sr_node *container,
				const char *name)
{
	const struct sr_node *ports = sr_map_get(container, "ports");
	const char *best = NULL;
	size_t i, best_d = 3;

	for (i = 0; sr_node_is_seq(ports) && i < ports->u.seq.n; i++) {
		const char *pn = sr_node_str(sr_map_get(ports->u.seq.items[i],
							"name"));
		size_t d;

		if (!pn)
			continue;
		d = sr_k8s__distance(name, pn, 3);
		if (d < best_d) {
			best = pn;
			best_d = d;
		}
	}
	return best;
}

/* The first port of the container, by name if it has one, for fixes. */
static void some_port(struct sr_buf *out, const struct sr_node *container)
{
	const struct sr_node *ports = sr_map_get(container, "ports");
	const struct sr_node *p;
	const char *s;

	p = sr_node_is_seq(ports) && ports->u.seq.n ? ports->u.seq.items[0] :
						      NULL;
	s = sr_node_str(sr_map_get(p, "name"));
	if (!s)
		s = sr_node_str(sr_map_get(p, "containerPort"));
	sr_buf_adds(out, s ? s : "<port>");
}

/* The container of the pod, other than ours, that declares this port. */
static const char *sibling_with_port(struct cc *cc, const char *name,
				     long long num)
{
	static const char *const lists[] = { "containers", "initContainers" };
	size_t l, i;

	for (l = 0; l < 2; l++) {
		const struct sr_node *cs = sr_map_get(cc->c->pod, lists[l]);

		for (i = 0; sr_node_is_seq(cs) && i < cs->u.seq.n; i++) {
			const struct sr_node *o = cs->u.seq.items[i];

			if (o == cc->c->node || !sr_node_is_map(o))
				continue;
			if (declared_port(o, name, num))
				return sr_node_str(sr_map_get(o, "name"));
		}
	}
	return NULL;
}

/*
 * Does 's' mention port 'num' as a whole number ("--addr=:8081",
 * "8081")? kube-linter accepts a probe port the container's command line
 * or environment names, as applications often take it from there.
 */
static bool mentions_port(const char *s, long long num)
{
	char needle[24];
	size_t n;
	const char *p = s;

	snprintf(needle, sizeof(needle), "%lld", num);
	n = strlen(needle);
	while (s && (p = strstr(p, needle)) != NULL) {
		bool before = p == s || p[-1] < '0' || p[-1] > '9';
		bool after = p[n] < '0' || p[n] > '9';

		if (before && after)
			return true;
		p += n;
	}
	return false;
}

static bool seq_mentions_port(const struct sr_node *seq, long long num)
{
	size_t i;

	for (i = 0; sr_node_is_seq(seq) && i < seq->u.seq.n; i++)
		if (mentions_port(sr_node_str(seq->u.seq.items[i]), num))
			return true;
	return false;
}

static bool command_mentions_port(const struct sr_node *container,
				  long long num)
{
	const struct sr_node *env = sr_map_get(container, "env");
	size_t i;

	if (seq_mentions_port(sr_map_get(container, "command"), num) ||
	    seq_mentions_port(sr_map_get(container, "args"), num))
		return true;
	for (i = 0; sr_node_is_seq(env) && i < env->u.seq.n; i++) {
		const char *v = sr_node_str(sr_map_get(env->u.seq.items[i],
						       "value"));
		if (v && mentions_port(v, num) && strspn(v, "0123456789:") ==
		    strlen(v))
			return true;
	}
	return false;
}

static void check_port(struct cc *cc, const struct probe *p)
{
	const struct sr_node *n = p->port_node;
	const struct sr_node *udp;
	const char *other;
	struct sr_buf names = SR_BUF_INIT;
	char fix[160];

	if (!p->node || p->h == H_EXEC || p->h == H_NONE)
		return;
	if (!n || sr_node_is_null(n)) {
		sr_emit(cc->ctx, "probe/port", p->hnode, "add the port the check listens on",
			"%s.%s of container '%s' has no port",
			p->what, handler_names[p->h], cc->c->name);
		return;
	}
	if (!p->port_known && !p->port_name) {
		sr_emit(cc->ctx, "probe/port", n, NULL,
			"%s.%s.port of container '%s' must be %s, got %s",
			p->what, handler_names[p->h], cc->c->name,
			p->h == H_GRPC ? "a port number" :
					 "a port number or a port name",
			shown(n));
		return;
	}
	if (p->port_name && n->style != SR_STYLE_PLAIN &&
	    strspn(p->port_name, "0123456789") == strlen(p->port_name)) {
		snprintf(fix, sizeof(fix), "port: %s", p->port_name);
		sr_emit(cc->ctx, "probe/port", n, fix,
			"%s port \"%s\" of container '%s' is quoted, so Kubernetes reads it as a port name, and a port name needs a letter",
			p->what, p->port_name, cc->c->name);
		return;
	}
	if (!p->port_name && (p->port < 1 || p->port > 65535)) {
		sr_emit(cc->ctx, "probe/port", n, NULL,
			"%s port %lld of container '%s' is not a TCP port (1-65535)",
			p->what, p->port, cc->c->name);
		return;
	}
	/* a probe of another host does not go to this container */
	if (p->host)
		return;
	udp = find_port(cc->c->node, p->port_name, p->port, true);
	if (udp && !declared_port(cc->c->node, p->port_name, p->port)) {
		if (p->port_name)
			snprintf(fix, sizeof(fix), "probe a TCP port");
		else
			snprintf(fix, sizeof(fix),
				 "declare it for TCP: { containerPort: %lld, protocol: TCP }",
				 p->port);
		sr_emit(cc->ctx, "probe/port", n, fix,
			"%s port %s%s%s of container '%s' is declared for %s; probes connect over TCP",
			p->what, p->port_name ? "'" : "",
			p->port_name ? p->port_name : shown(n),
			p->port_name ? "'" : "", cc->c->name,
			shown(sr_map_get(udp, "protocol")));
		return;
	}
	if (p->port_name) {
		/* declared (its containerPort may be unreadable: not ours) */
		if (p->port_known ||
		    declared_port(cc->c->node, p->port_name, 0))
			return;
		port_names(&names, cc->c->node);
		other = sibling_with_port(cc, p->port_name, 0);
		if (other)
			sr_emit(cc->ctx, "probe/port", n,
				"declare the port on this container, or probe one of its own ports",
				"%s port '%s' is declared by container '%s', not by '%s': named ports resolve against the probed container only",
				p->what, p->port_name, other, cc->c->name);
		else if (names.len) {
			const char *near = closest_port(cc->c->node,
							p->port_name);

			if (near)
				snprintf(fix, sizeof(fix), "port: %s", near);
			else
				snprintf(fix, sizeof(fix),
					 "use one of the container's port names, or declare this one");
			sr_emit(cc->ctx, "probe/port", n, fix,
				"%s port '%s' is not a port name of container '%s' (it declares %s)",
				p->what, p->port_name, cc->c->name, names.ptr);
		}
		else
			sr_emit(cc->ctx, "probe/port", n,
				"declare it: ports: [{ name: <name>, containerPort: <number> }]",
				"%s port '%s' is not a port name of container '%s', which declares no ports",
				p->what, p->port_name, cc->c->name);
		sr_buf_release(&names);
		return;
	}
	if (declared_port(cc->c->node, NULL, p->port) ||
	    command_mentions_port(cc->c->node, p->port))
		return;
	other = sibling_with_port(cc, NULL, p->port);
	snprintf(fix, sizeof(fix),
		 "declare it: ports: [{ containerPort: %lld }], or probe a declared port",
		 p->port);
	port_names(&names, cc->c->node);
	if (other)
		sr_emit(cc->ctx, "probe/port", n, fix,
			"%s port %lld is declared by container '%s', not by '%s': the probe checks the other container",
			p->what, p->port, other, cc->c->name);
	else if (names.len)
		sr_emit(cc->ctx, "probe/port", n, fix,
			"%s port %lld is not declared by container '%s' (it declares %s)",
			p->what, p->port, cc->c->name, names.ptr);
	else
		sr_emit(cc->ctx, "probe/port", n, fix,
			"%s port %lld is not declared by container '%s', which declares no ports",
			p->what, p->port, cc->c->name);
	sr_buf_release(&names);
}

/* ---- timing ---- */

static long long budget(const struct probe *p)
{
	return p->initial + p->failure * p->period;
}

static void check_timing(struct cc *cc, const struct probe *p, bool restarts)
{
	char fix[128];

	if (!p->node)
		return;
	if (p->timeout >= p->period) {
		const struct sr_node *at = p->n_timeout ? p->n_timeout :
				 p->n_period ? p->n_period : p->key;

		if (p->period >= 2)
			snprintf(fix, sizeof(fix),
				 "timeoutSeconds: %lld, or periodSeconds: %lld",
				 p->period / 2, p->timeout * 2);
		else
			snprintf(fix, sizeof(fix), "periodSeconds: %lld",
				 p->timeout * 2);
		sr_emit(cc->ctx, "probe/timing", at, fix,
			"%s of container '%s': timeoutSeconds %lld is not below periodSeconds %lld, so a hanging check delays the next one and failing takes failureThreshold x timeoutSeconds",
			p->what, cc->c->name, p->timeout, p->period);
	}
	if (restarts && p->success != 1) {
		const struct sr_node *at = sr_map_get(p->node,
						      "successThreshold");

		sr_emit(cc->ctx, "probe/timing", at ? at : p->key,
			"successThreshold: 1",
			"%s.successThreshold of container '%s' is %lld; Kubernetes accepts only 1 for liveness and startup probes",
			p->what, cc->c->name, p->success);
	}
}

static void check_order(struct cc *cc, const struct probe *ready,
			const struct probe *live, const struct probe *start)
{
	char fix[128];

	if (ready->node && live->node && budget(live) < budget(ready)) {
		long long want = (budget(ready) - live->initial +
				  live->period - 1) / live->period;

		snprintf(fix, sizeof(fix),
			 "let liveness give up later than readiness, e.g. failureThreshold: %lld",
			 want);
		sr_emit(cc->ctx, "probe/order", live->key, fix,
			"livenessProbe of container '%s' gives up after %lld s (initialDelaySeconds %lld + failureThreshold %lld x periodSeconds %lld), before the readinessProbe does (%lld s): a slow dependency restarts pods instead of draining them",
			cc->c->name, budget(live), live->initial, live->failure,
			live->period, budget(ready));
	}
	if (start->node && live->node && budget(start) < budget(live)) {
		long long want = (budget(live) - start->initial +
				  start->period - 1) / start->period;

		snprintf(fix, sizeof(fix),
			 "give the start at least as long, e.g. failureThreshold: %lld",
			 want);
		sr_emit(cc->ctx, "probe/startup-order", start->key, fix,
			"startupProbe of container '%s' gives up after %lld s (initialDelaySeconds %lld + failureThreshold %lld x periodSeconds %lld), sooner than the livenessProbe would (%lld s): it shortens a slow start instead of protecting it",
			cc->c->name, budget(start), start->initial,
			start->failure, start->period, budget(live));
	}
}

/* ---- handlers ---- */

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_port(const struct probe *a, const struct probe *b)
{
	if (a->port_known && b->port_known)
		return a->port == b->port;
	return a->port_name && b->port_name &&
	       !strcmp(a->port_name, b->port_name);
}

static bool same_command(const struct sr_node *a, const struct sr_node *b)
{
	size_t i;

	if (!sr_node_is_seq(a) || !sr_node_is_seq(b) ||
	    a->u.seq.n != b->u.seq.n)
		return false;
	for (i = 0; i < a->u.seq.n; i++) {
		const char *x = sr_node_str(a->u.seq.items[i]);
		const char *y = sr_node_str(b->u.seq.items[i]);

		if (!x || !y || strcmp(x, y) != 0)
			return false;
	}
	return true;
}

static bool same_handler(const struct probe *a, const struct probe *b)
{
	const char *sa, *sb;

	if (!a->node || !b->node || a->h != b->h)
		return false;
	switch (a->h) {
	case H_HTTP:
		sa = a->scheme ? a->scheme : "HTTP";
		sb = b->scheme ? b->scheme : "HTTP";
		return !strcmp(a->path, b->path) && same_port(a, b) &&
		       same_str(a->host, b->host) && !strcasecmp(sa, sb);
	case H_TCP:
		return same_port(a, b) && same_str(a->host, b->host);
	case H_EXEC:
		return same_command(a->command, b->command);
	case H_GRPC:
		sa = a->service ? a->service : "";
		sb = b->service ? b->service : "";
		return same_port(a, b) && !strcmp(sa, sb);
	default:
		return false;
	}
}

static void describe(struct sr_buf *out, const struct probe *p)
{
	size_t i;

	sr_buf_adds(out, handler_names[p->h]);
	if (p->h == H_HTTP)
		sr_buf_addf(out, " %s", p->path);
	if (p->h == H_EXEC) {
		sr_buf_adds(out, " [");
		for (i = 0; sr_node_is_seq(p->command) &&
			    i < p->command->u.seq.n; i++)
			sr_buf_addf(out, "%s%s", i ? " " : "",
				    shown(p->command->u.seq.items[i]));
		sr_buf_adds(out, "]");
		return;
	}
	if (p->port_name)
		sr_buf_addf(out, " port %s", p->port_name);
	else if (p->port_known)
		sr_buf_addf(out, " port %lld", p->port);
	if (p->h == H_GRPC && p->service && *p->service)
		sr_buf_addf(out, " service %s", p->service);
}

static void check_identical(struct cc *cc, const struct probe *ready,
			    const struct probe *live)
{
	struct sr_buf what = SR_BUF_INIT, fix = SR_BUF_INIT;

	if (!same_handler(ready, live))
		return;
	describe(&what, live);
	if (live->h == H_HTTP)
		sr_buf_addf(&fix, "give liveness its own endpoint that checks only the process: path: %s",
			    cc->liveness_path);
	else
		sr_buf_adds(&fix, "give liveness its own check of the process alone, e.g. an httpGet on the liveness endpoint");
	sr_emit(cc->ctx, "probe/identical", live->key, fix.ptr,
		"livenessProbe and readinessProbe of container '%s' use the same handler (%s): whatever makes the pod unready also gets it restarted",
		cc->c->name, what.ptr);
	sr_buf_release(&what);
	sr_buf_release(&fix);
}

/* ---- endpoints and dependencies ---- */

/* Does this exec command call the readiness endpoint or list deps? */
static const char *exec_checks_deps(const struct probe *p,
				    const char *readiness_path,
				    struct sr_k8s_names *names)
{
	size_t i, n = endpoint_len(readiness_path);

	for (i = 0; sr_node_is_seq(p->command) && i < p->command->u.seq.n;
	     i++) {
		const char *s = sr_node_str(p->command->u.seq.items[i]);
		const char *hit;

		if (!s)
			continue;
		sr_k8s__parse_include(names, s);
		for (hit = n > 1 ? strstr(s, readiness_path) : NULL; hit;
		     hit = strstr(hit + 1, readiness_path)) {
			char after = hit[n];

			if (!after || strchr("?#\"' \t", after))
				return readiness_path;
		}
	}
	return names->n ? "include=" : NULL;
}

static void names_join(struct sr_buf *out, const struct sr_k8s_names *names)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		sr_buf_addf(out, "%s%s", i ? "," : "", names->v[i]);
}

/* probe/liveness-deps; returns true when it fired. */
static bool check_liveness_deps(struct cc *cc, const struct probe *live)
{
	struct sr_k8s_names names = { NULL, 0, 0, false };
	struct sr_buf list = SR_BUF_INIT, fix = SR_BUF_INIT;
	const struct sr_node *at = live->key;
	bool fired = false;

	sr_buf_addf(&fix, "point the liveness probe at %s, which checks only the process itself",
		    cc->liveness_path);
	if (live->h == H_HTTP) {
		sr_k8s__parse_include(&names, live->path);
		names_join(&list, &names);
		if (live->path_node)
			at = live->path_node;
		if (names.n) {
			sr_emit(cc->ctx, "probe/liveness-deps", at, fix.ptr,
				"livenessProbe of container '%s' checks dependencies (include=%s): when one is slow, every pod is restarted at once instead of being taken out of rotation",
				cc->c->name, list.ptr);
			fired = true;
		} else if (sr_k8s__same_endpoint(live->path,
						 cc->readiness_path)) {
			sr_emit(cc->ctx, "probe/liveness-deps", at, fix.ptr,
				"livenessProbe of container '%s' uses the readiness endpoint %s, which checks dependencies: when one is slow, every pod is restarted at once",
				cc->c->name, live->path);
			fired = true;
		}
	} else if (live->h == H_EXEC) {
		const char *why = exec_checks_deps(live, cc->readiness_path,
						   &names);

		if (live->command)
			at = live->command;
		if (why) {
			sr_emit(cc->ctx, "probe/liveness-deps", at, fix.ptr,
				"livenessProbe of container '%s' runs a command that calls %s: when a dependency is slow, every pod is restarted at once",
				cc->c->name, names.n ?
				"the dependency checks (include=)" :
				"the readiness endpoint");
			fired = true;
		}
	}
	sr_k8s__names_release(&names);
	sr_buf_release(&list);
	sr_buf_release(&fix);
	return fired;
}

static void check_path(struct cc *cc, const struct probe *p, const char *want,
		       const char *fix_fmt)
{
	char fix[160];

	if (!p->node || p->h != H_HTTP ||
	    sr_k8s__same_endpoint(p->path, want))
		return;
	snprintf(fix, sizeof(fix), fix_fmt, (int)endpoint_len(want), want);
	/* "?x=1" has no path at all: show what is written */
	sr_emit(cc->ctx, "probe/path", p->path_node ? p->path_node : p->hnode,
		fix, "%s path %.*s of container '%s' is not %.*s",
		p->what, endpoint_len(p->path) ? (int)endpoint_len(p->path) :
						 (int)strlen(p->path),
		p->path, cc->c->name, (int)endpoint_len(want), want);
}

/* ---- the readiness fact ---- */

static struct sr_pos pos_of(const struct sr_node *n)
{
	struct sr_pos none = { 0 };

	return n ? n->start : none;
}

static void record(struct cc *cc, const struct probe *ready)
{
	struct sr_k8s_names names = { NULL, 0, 0, false };
	struct sr_k8s_readiness r;
	const struct sr_node *at = ready->key;
	const struct sr_node *window, *timeout;

	if (!sr_ctx_model(cc->ctx) || !ready->node)
		return;
	if (ready->h == H_HTTP) {
		sr_k8s__parse_include(&names, ready->path);
		if (ready->path_node)
			at = ready->path_node;
	} else if (ready->h == H_EXEC) {
		exec_checks_deps(ready, "", &names);
		if (ready->command && names.present)
			at = ready->command;
	}
	window = ready->n_period ? ready->n_period :
		 ready->n_failure ? ready->n_failure : ready->key;
	timeout = ready->n_timeout ? ready->n_timeout : ready->key;
	memset(&r, 0, sizeof(r));
	r.workload = cc->c->workload;
	r.container = cc->c->name;
	r.pod_id = cc->c->pod_id;
	r.sidecar = cc->c->sidecar;
	r.has_include = names.present;
	r.include = (const char *const *)names.v;
	r.ninclude = names.n;
	r.handler = handler_names[ready->h];
	r.timeout_s = ready->timeout;
	r.period_s = ready->period;
	r.failure = ready->failure;
	r.pos = pos_of(at);
	r.window_pos = pos_of(window);
	r.timeout_pos = pos_of(timeout);
	sr_k8s__record_readiness(cc->ctx, &r, at);
	sr_k8s__names_release(&names);
}

/* ---- the container ---- */

static void check_presence(struct cc *cc, const struct probe *ready,
			   const struct probe *live, const struct probe *start)
{
	const struct sr_k8s_container *c = cc->c;
	struct sr_buf fix = SR_BUF_INIT;

	if (!ready->key) {
		if (c->sidecar) {
			sr_buf_adds(&fix, "add a readinessProbe on the sidecar's own health endpoint");
			sr_emit(cc->ctx, "probe/readiness-missing", c->node,
				fix.ptr,
				"sidecar '%s' of %s has no readinessProbe: the pod is marked ready, and gets traffic, before the sidecar is",
				c->name, c->workload);
		} else {
			sr_buf_addf(&fix, "add readinessProbe: { httpGet: { path: \"%s?include=<dependencies>\", port: ",
				    cc->readiness_path);
			some_port(&fix, c->node);
			sr_buf_adds(&fix, " } }");
			sr_emit(cc->ctx, "probe/readiness-missing", c->node,
				fix.ptr,
				"container '%s' of %s has no readinessProbe: it gets traffic before it is ready and keeps getting it when its dependencies fail",
				c->name, c->workload);
		}
	}
	if (!live->key) {
		sr_buf_reset(&fix);
		if (c->sidecar) {
			sr_buf_adds(&fix, "add a livenessProbe on the sidecar's own health endpoint, port: ");
		} else {
			sr_buf_addf(&fix, "add livenessProbe: { httpGet: { path: %s, port: ",
				    cc->liveness_path);
		}
		some_port(&fix, c->node);
		if (!c->sidecar)
			sr_buf_adds(&fix, " } }");
		sr_emit(cc->ctx, "probe/liveness-missing", c->node, fix.ptr,
			"%s '%s' of %s has no livenessProbe: a hung process is never restarted",
			c->sidecar ? "sidecar" : "container", c->name,
			c->workload);
	}
	/* a startup probe protects a slow start from the liveness probe */
	if (live->key && live->node && !start->key)
		sr_emit(cc->ctx, "probe/startup-missing", c->node,
			"add a startupProbe on the liveness endpoint whose failureThreshold x periodSeconds covers the slowest start",
			"%s '%s' of %s has a livenessProbe but no startupProbe: a slow start is killed by the liveness probe",
			c->sidecar ? "sidecar" : "container", c->name,
			c->workload);
	sr_buf_release(&fix);
}

void sr_k8s__check_container(const struct sr_k8s_container *c)
{
	const struct sr_config *cfg = sr_ctx_config(c->ctx);
	struct probe ready, live, start;
	struct cc cc;
	bool live_deps;

	cc.c = c;
	cc.ctx = c->ctx;
	cc.readiness_path = cfg && cfg->readiness_path && *cfg->readiness_path ?
			    cfg->readiness_path : DEFAULT_READINESS_PATH;
	cc.liveness_path = cfg && cfg->liveness_path && *cfg->liveness_path ?
			   cfg->liveness_path : DEFAULT_LIVENESS_PATH;

	read_probe(&cc, &ready, "readinessProbe", "probe/readiness-missing");
	read_probe(&cc, &live, "livenessProbe", "probe/liveness-missing");
	read_probe(&cc, &start, "startupProbe", "probe/startup-missing");
	if (c->required)
		check_presence(&cc, &ready, &live, &start);

	check_port(&cc, &ready);
	check_port(&cc, &live);
	check_port(&cc, &start);
	check_timing(&cc, &ready, false);
	check_timing(&cc, &live, true);
	check_timing(&cc, &start, true);

	/*
	 * The endpoint convention is the organisation's: a native sidecar
	 * is someone else's image (a proxy, a log shipper).
	 */
	if (!c->sidecar)
		check_path(&cc, &ready, cc.readiness_path,
			   "path: \"%.*s?include=<dependencies>\"");
	live_deps = live.node && check_liveness_deps(&cc, &live);
	if (!live_deps && !c->sidecar)
		check_path(&cc, &live, cc.liveness_path, "path: %.*s");
	check_identical(&cc, &ready, &live);
	check_order(&cc, &ready, &live, &start);
	record(&cc, &ready);
}

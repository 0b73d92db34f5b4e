/*
 * The "http" control-plane driver: srctl's documented REST API
 * (schemas/srctl-controlplane.openapi.yaml) for in-house control planes,
 * and, as a second mode, any JSON resource served with strong ETags and
 * If-Match (Caddy's admin API is one).
 *
 * API mode (the default; prefix "/v1/edges"):
 *   GET  <endpoint><prefix>/<service>/<target>  -> Edge JSON + ETag
 *   PUT  the same, If-Match: <etag> (If-None-Match: * to create),
 *        Idempotency-Key: <change id>, [?dryRun=true]
 *   GET  <endpoint><prefix>                     -> {"items": [Edge...]}
 * Resource mode (the prefix is a path template with {service} and
 * {target} that addresses the timeout value itself, a JSON integer of
 * milliseconds or a duration string such as "800ms"; e.g. Caddy's
 * "/id/{service}-{target}/transport/response_header_timeout"): GET the
 * value and its ETag, PATCH the new value with If-Match.
 *
 * 412 is a conflict, 401/403 refused credentials, 5xx and transport
 * errors "unavailable", which the command retries with backoff inside
 * --timeout (a write is retry-safe: the Idempotency-Key makes a replay
 * return the stored result). The bearer token comes
 * from token_env / token_file and is only ever put in the Authorization
 * header, never in a message.
 */
#include "cp/driver.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/duration.h"
#include "base/xmalloc.h"
#include "cp/cpjson.h"
#include "cp/http.h"
#include "doc/doc.h"
#include "base/banned.h"

#define DEFAULT_PREFIX "/v1/edges"

struct ctx {
	const struct sr_cp_conf *conf;
	struct sr_http *http;
	struct sr_http_tls tls;
	char *endpoint;		/* without trailing '/' */
	char *prefix;		/* API path prefix, or resource template */
	int resource;		/* prefix has {service} / {target} */
	int as_string;		/* resource value read is a string; -1 */
	char *auth_header;	/* "Authorization: Bearer ..." or NULL */
};

/* Is the authority at 'h' (after "http://") this machine? */
static int loopback(const char *h)
{
	static const char *const names[] = { "127.0.0.1", "localhost",
					     "[::1]" };

	for (size_t i = 0; i < SR_ARRAY_SIZE(names); i++) {
		size_t n = strlen(names[i]);

		if (!strncmp(h, names[i], n) &&
		    (h[n] == '\0' || h[n] == ':' || h[n] == '/'))
			return 1;
	}
	return 0;
}

static int http_open(void **out, const struct sr_cp_conf *conf,
		     struct sr_buf *err)
{
	struct ctx *c;
	char *token = NULL;
	const char *prefix;
	size_t len;
	int rc;

	*out = NULL;
	if (!conf->n_endpoints || !conf->endpoints[0] ||
	    !*conf->endpoints[0]) {
		sr_buf_addf(err, "control plane '%s': driver http needs an "
			    "endpoint", conf->name);
		return SR_CP_INVALID;
	}
	if (strncmp(conf->endpoints[0], "http://", 7) &&
	    strncmp(conf->endpoints[0], "https://", 8)) {
		sr_buf_addf(err, "control plane '%s': endpoint '%s' is not an "
			    "http:// or https:// URL", conf->name,
			    conf->endpoints[0]);
		return SR_CP_INVALID;
	}
	prefix = conf->prefix && *conf->prefix ? conf->prefix
					       : DEFAULT_PREFIX;
	rc = sr_cp_secret(&token, conf, err);
	if (rc != SR_CP_OK)
		return rc;
	if (token && !strncmp(conf->endpoints[0], "http://", 7) &&
	    !loopback(conf->endpoints[0] + 7)) {
		sr_buf_addf(err, "control plane '%s': refusing to send a token "
			    "over plain http to '%s' (use https://)",
			    conf->name, conf->endpoints[0]);
		memset(token, 0, strlen(token));
		free(token);
		return SR_CP_INVALID;
	}
	c = sr_xcalloc(1, sizeof(*c));
	c->conf = conf;
	c->endpoint = sr_xstrdup(conf->endpoints[0]);
	len = strlen(c->endpoint);
	while (len && c->endpoint[len - 1] == '/')
		c->endpoint[--len] = '\0';
	c->prefix = sr_xstrdup(prefix);
	c->as_string = -1;
	c->resource = strstr(prefix, "{service}") || strstr(prefix,
							     "{target}");
	if (token) {
		struct sr_buf h = SR_BUF_INIT;

		sr_buf_addf(&h, "Authorization: Bearer %s", token);
		c->auth_header = sr_buf_detach(&h);
		/* Do not leave the secret in freed heap memory. */
		memset(token, 0, strlen(token));
		free(token);
	}
	c->tls.ca = conf->ca;
	c->tls.cert = conf->cert;
	c->tls.key = conf->key;
	c->tls.insecure = conf->insecure;
	c->http = sr_http_new();
	*out = c;
	return SR_CP_OK;
}

static void http_close(void *p)
{
	struct ctx *c = p;

	if (!c)
		return;
	sr_http_free(c->http);
	free(c->endpoint);
	free(c->prefix);
	if (c->auth_header) {
		memset(c->auth_header, 0, strlen(c->auth_header));
		free(c->auth_header);
	}
	free(c);
}

/* The URL of an edge: API path, or the resource template filled in. */
static void edge_url(struct sr_buf *b, const struct ctx *c,
		     const struct sr_cp_edge *e)
{
	const char *p = c->prefix;

	sr_buf_adds(b, c->endpoint);
	if (!c->resource) {
		sr_buf_adds(b, p);
		sr_buf_addc(b, '/');
		sr_http_add_escaped(b, e->service);
		sr_buf_addc(b, '/');
		sr_http_add_escaped(b, e->target);
		return;
	}
	while (*p) {
		if (!strncmp(p, "{service}", 9)) {
			sr_http_add_escaped(b, e->service);
			p += 9;
		} else if (!strncmp(p, "{target}", 8)) {
			sr_http_add_escaped(b, e->target);
			p += 8;
		} else {
			sr_buf_addc(b, *p++);
		}
	}
}

/*
 * One request. Retrying is the command's business (it backs off inside
 * --timeout on SR_CP_UNAVAILABLE), so a 5xx is simply reported. Returns
 * the transport code; on SR_CP_OK resp->status is the status.
 */
static int request(struct ctx *c, const char *method, const char *url,
		   const char *const *extra, const char *body,
		   const char *const *want, struct sr_http_resp *resp,
		   struct sr_buf *err)
{
	const char *headers[8];
	struct sr_http_req req = { 0 };
	struct sr_buf why = SR_BUF_INIT;
	size_t n = 0;
	int rc;

	headers[n++] = "Accept: application/json";
	if (c->auth_header)
		headers[n++] = c->auth_header;
	if (body)
		headers[n++] = "Content-Type: application/json";
	for (size_t i = 0; extra && extra[i] && n < 7; i++)
		headers[n++] = extra[i];
	headers[n] = NULL;
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.timeout_ms = sr_cp_request_timeout_ms(c->conf);
	req.tls = &c->tls;
	req.want = want;
	rc = sr_http_do(c->http, &req, resp, &why);
	if (rc != SR_CP_OK)
		sr_buf_addf(err, "control plane '%s': %s", c->conf->name,
			    why.ptr);
	sr_buf_release(&why);
	return rc;
}

/* The detail of a problem+json body, or nothing. */
static void add_problem(struct sr_buf *err, const struct sr_http_resp *r)
{
	struct sr_stream *s;
	const char *d = NULL;

	if (!r->body.len)
		return;
	s = sr_cpjson_parse(r->body.ptr, r->body.len, NULL);
	if (s && s->n && sr_node_is_map(s->docs[0].root)) {
		d = sr_node_str(sr_map_get(s->docs[0].root, "detail"));
		if (!d)
			d = sr_node_str(sr_map_get(s->docs[0].root, "error"));
		if (!d)
			d = sr_node_str(sr_map_get(s->docs[0].root, "title"));
	}
	if (d)
		sr_buf_addf(err, ": %s", d);
	sr_stream_free(s);
}

static int status_error(const struct ctx *c, const char *what,
			const struct sr_http_resp *r, struct sr_buf *err)
{
	int rc = sr_http_status_rc(r->status);

	if (r->status == 428 || r->status == 422)
		rc = SR_CP_INVALID;
	sr_buf_addf(err, "control plane '%s': %s: HTTP %ld", c->conf->name,
		    what, r->status);
	if (rc == SR_CP_AUTH)
		sr_buf_adds(err, " (credentials refused)");
	else if (r->status == 412)
		sr_buf_adds(err, " (changed since it was read)");
	add_problem(err, r);
	return rc;
}

/* An RFC 3339 string into *t; anything else leaves it. */
static void node_time(long long *t, const struct sr_node *n)
{
	if (n && sr_node_is_scalar(n) && n->style != SR_STYLE_PLAIN)
		sr_cp_time_parse(t, sr_node_str(n));
}

/* Fill 'out' from an Edge object of the API. */
static int edge_value(struct sr_cp_value *out, const struct sr_node *edge,
		      struct sr_buf *err)
{
	const struct sr_node *ov;
	long long ms;

	if (!sr_cpjson_int(sr_map_path(edge, "effective",
				       "request_timeout_ms", NULL), &ms) ||
	    ms < 1) {
		sr_buf_adds(err, "edge has no effective.request_timeout_ms");
		return SR_CP_INVALID;
	}
	out->ms = ms;
	ov = sr_map_get(edge, "override");
	if (ov && sr_node_is_map(ov)) {
		out->change_id = sr_cpjson_strdup(sr_map_get(ov, "change_id"));
		out->changed_by = sr_cpjson_strdup(sr_map_get(ov, "actor"));
		out->reason = sr_cpjson_strdup(sr_map_get(ov, "reason"));
		node_time(&out->changed_at, sr_map_get(ov, "created_at"));
		node_time(&out->expires, sr_map_get(ov, "expires_at"));
	}
	return SR_CP_OK;
}

/* Resource mode: the value in ms (integer or duration string). */
static int field_ms(const struct sr_node *n, long long *ms)
{
	double d;

	if (sr_cpjson_int(n, ms))
		return *ms >= 1;
	if (n && sr_node_is_scalar(n) && n->style != SR_STYLE_PLAIN &&
	    sr_duration_parse_ms(sr_node_str(n), &d) && d >= 1) {
		*ms = (long long)(d + 0.5);
		return 1;
	}
	return 0;
}

static const char *const want_etag[] = { "ETag", NULL };

/*
 * GET the edge. On SR_CP_OK, *doc is the parsed body (caller frees) and
 * out->version the ETag.
 */
static int fetch(struct ctx *c, const struct sr_cp_edge *e,
		 struct sr_cp_value *out, struct sr_stream **doc,
		 struct sr_buf *err)
{
	struct sr_buf url = SR_BUF_INIT;
	struct sr_http_resp r = { 0 };
	struct sr_stream *s = NULL;
	struct sr_node *root;
	int rc;

	*doc = NULL;
	edge_url(&url, c, e);
	rc = request(c, "GET", url.ptr, NULL, NULL, want_etag, &r, err);
	if (rc != SR_CP_OK)
		goto done;
	if (r.status != 200) {
		rc = status_error(c, "cannot read edge", &r, err);
		goto done;
	}
	s = sr_cpjson_parse(r.body.ptr, r.body.len, err);
	root = s && s->n ? s->docs[0].root : NULL;
	if (!root || (!c->resource && !sr_node_is_map(root))) {
		sr_buf_addf(err, "%s: response is not a JSON %s", url.ptr,
			    c->resource ? "value" : "object");
		rc = SR_CP_INVALID;
		goto done;
	}
	if (!r.got[0] || !*r.got[0]) {
		sr_buf_addf(err, "%s: response has no ETag: the server cannot "
			    "do compare-and-swap", url.ptr);
		rc = SR_CP_INVALID;
		goto done;
	}
	if (c->resource) {
		c->as_string = root->style != SR_STYLE_PLAIN;
		if (!field_ms(root, &out->ms)) {
			sr_buf_addf(err, "%s: the value is not a number of "
				    "milliseconds or a duration string",
				    url.ptr);
			rc = SR_CP_INVALID;
			goto done;
		}
	} else {
		struct sr_buf why = SR_BUF_INIT;

		rc = edge_value(out, root, &why);
		if (rc != SR_CP_OK)
			sr_buf_addf(err, "%s: %s", url.ptr, why.ptr);
		sr_buf_release(&why);
		if (rc != SR_CP_OK)
			goto done;
	}
	out->version = sr_xstrdup(r.got[0]);
	*doc = s;
	s = NULL;
done:
	if (rc != SR_CP_OK)
		sr_cp_value_release(out);
	sr_stream_free(s);
	sr_http_resp_release(&r);
	sr_buf_release(&url);
	return rc;
}

static int http_get(void *p, const struct sr_cp_edge *e,
		    struct sr_cp_value *out, struct sr_buf *err)
{
	struct sr_stream *doc = NULL;
	int rc = fetch(p, e, out, &doc, err);

	sr_stream_free(doc);
	return rc;
}

static void add_time(struct sr_buf *b, const char *key, long long t)
{
	if (t <= 0)
		return;
	sr_buf_addf(b, ",\"%s\":\"", key);
	sr_cp_time_rfc3339(b, t);
	sr_buf_addc(b, '"');
}

/* The OverrideRequest body of the API. */
static void override_body(struct sr_buf *b, const struct sr_cp_write *w)
{
	sr_buf_addf(b, "{\"timeouts\":{\"request_timeout_ms\":%lld}",
		    w->ms);
	sr_buf_adds(b, ",\"reason\":");
	sr_buf_add_json(b, w->reason ? w->reason : "");
	sr_buf_adds(b, ",\"actor\":");
	sr_buf_add_json(b, w->changed_by ? w->changed_by : "srctl");
	if (w->change_id) {
		sr_buf_adds(b, ",\"change_id\":");
		sr_buf_add_json(b, w->change_id);
	}
	add_time(b, "expires_at", w->expires);
	sr_buf_addc(b, '}');
}

static int http_put(void *p, const struct sr_cp_edge *e,
		    const char *expect, const struct sr_cp_write *w,
		    char **new_version, struct sr_buf *err)
{
	struct ctx *c = p;
	struct sr_buf url = SR_BUF_INIT, body = SR_BUF_INIT;
	struct sr_buf cond = SR_BUF_INIT, idem = SR_BUF_INIT;
	struct sr_http_resp r = { 0 };
	const char *extra[3] = { NULL, NULL, NULL };
	const char *method = "PUT";
	int rc;

	if (new_version)
		*new_version = NULL;
	edge_url(&url, c, e);
	if (c->resource) {
		if (!expect || !*expect) {
			sr_buf_addf(err, "control plane '%s': %s: resource "
				    "mode cannot create a value",
				    c->conf->name, url.ptr);
			rc = SR_CP_INVALID;
			goto done;
		}
		if (c->as_string < 0) {
			/* Write the value in the form the server uses. */
			struct sr_cp_value cur = SR_CP_VALUE_INIT;

			rc = http_get(c, e, &cur, err);
			sr_cp_value_release(&cur);
			if (rc != SR_CP_OK)
				goto done;
		}
		if (w->dry_run) {
			/* A plain resource has no server-side dry run. */
			rc = SR_CP_OK;
			goto done;
		}
		if (c->as_string)
			sr_buf_addf(&body, "\"%lldms\"", w->ms);
		else
			sr_buf_addf(&body, "%lld", w->ms);
		method = "PATCH";
	} else {
		override_body(&body, w);
		if (w->dry_run)
			sr_buf_adds(&url, "?dryRun=true");
	}
	if (expect && *expect)
		sr_buf_addf(&cond, "If-Match: %s", expect);
	else
		sr_buf_adds(&cond, "If-None-Match: *");
	extra[0] = cond.ptr;
	if (!c->resource) {
		sr_buf_addf(&idem, "Idempotency-Key: %s",
			    w->change_id ? w->change_id : "none");
		extra[1] = idem.ptr;
	}
	rc = request(c, method, url.ptr, extra, body.ptr, want_etag, &r, err);
	if (rc != SR_CP_OK)
		goto done;
	if (r.status < 200 || r.status > 299) {
		rc = status_error(c, "cannot write edge", &r, err);
		goto done;
	}
	if (new_version && r.got[0] && *r.got[0] && !w->dry_run)
		*new_version = sr_xstrdup(r.got[0]);
done:
	sr_http_resp_release(&r);
	sr_buf_release(&url);
	sr_buf_release(&body);
	sr_buf_release(&cond);
	sr_buf_release(&idem);
	return rc;
}

static int http_list(void *p,
		     int (*fn)(const struct sr_cp_edge *edge,
			       const struct sr_cp_value *v, void *data),
		     void *data, struct sr_buf *err)
{
	struct ctx *c = p;
	struct sr_buf url = SR_BUF_INIT;
	struct sr_http_resp r = { 0 };
	struct sr_stream *s = NULL;
	const struct sr_node *items;
	int rc;

	if (c->resource) {
		sr_buf_addf(err, "control plane '%s': a resource-mode http "
			    "control plane cannot list edges", c->conf->name);
		return SR_CP_INVALID;
	}
	sr_buf_addf(&url, "%s%s", c->endpoint, c->prefix);
	rc = request(c, "GET", url.ptr, NULL, NULL, NULL, &r, err);
	if (rc != SR_CP_OK)
		goto done;
	if (r.status != 200) {
		rc = status_error(c, "cannot list edges", &r, err);
		goto done;
	}
	s = sr_cpjson_parse(r.body.ptr, r.body.len, err);
	items = s && s->n ? sr_map_get(s->docs[0].root, "items") : NULL;
	if (!items || !sr_node_is_seq(items)) {
		sr_buf_addf(err, "%s: response has no \"items\" list",
			    url.ptr);
		rc = SR_CP_INVALID;
		goto done;
	}
	for (size_t i = 0; i < items->u.seq.n; i++) {
		const struct sr_node *it = items->u.seq.items[i];
		struct sr_cp_value v = SR_CP_VALUE_INIT;
		struct sr_cp_edge e;
		struct sr_buf why = SR_BUF_INIT;
		int stop;

		e.service = sr_node_str(sr_map_get(it, "service"));
		e.target = sr_node_str(sr_map_get(it, "target"));
		if (!e.service || !e.target ||
		    edge_value(&v, it, &why) != SR_CP_OK) {
			sr_buf_release(&why);
			sr_cp_value_release(&v);
			continue;
		}
		stop = fn(&e, &v, data);
		sr_cp_value_release(&v);
		if (stop)
			break;
	}
done:
	sr_stream_free(s);
	sr_http_resp_release(&r);
	sr_buf_release(&url);
	return rc;
}

const struct sr_cp_driver sr_cp_drv_http = {
	"http", http_open, http_get, http_put, http_list, http_close
};

/*
 * The "etcd" control-plane driver: etcd v3 through its JSON gateway
 * (POST /v3/kv/range, /v3/kv/txn, /v3/auth/authenticate).
 *
 * Key layout (docs/timeout.md): the live value of an edge is the key
 * <prefix>/<service>/<target> (prefix default /srctl/timeouts) holding
 * the value object of SPEC.md section 8; a missing key means the
 * contract's base. Every write also creates <prefix>/_changes/<change-id>
 * holding the audit record, in the same transaction.
 *
 * Gateway facts this code relies on (measured on etcd 3.4): keys and
 * values are base64; int64 fields are JSON strings; false and zero fields
 * are omitted, so a failed txn has no "succeeded" at all; the auth token
 * goes raw in "Authorization" (no "Bearer").
 *
 * A write is one txn: compare MOD(key) == the revision read (CREATE == 0
 * when the key was absent) and CREATE(change record) == 0; on success put
 * both. If a write's response is lost and the command retries it with the
 * same change id, the failure branch shows the change record already
 * there, so the retry reports success instead of applying twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "cp/driver.h"
#include "cp/http.h"
#include "doc/doc.h"
#include "base/banned.h"

#define DEFAULT_PREFIX "/srctl/timeouts"
#define CHANGES "_changes"

struct etcd_ctx {
	const struct sr_cp_conf *conf;
	struct sr_http *http;
	struct sr_http_tls tls;
	char *prefix;		/* without trailing '/' */
	size_t endpoint;	/* the one in use */
	char *secret;		/* password, or a token when no user */
	char *token;		/* from /v3/auth/authenticate */
	char *auth_header;	/* "Authorization: <token>" */
};

static const char b64chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_add(struct sr_buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 |
			     p[i + 2];

		sr_buf_addc(b, b64chars[v >> 18 & 63]);
		sr_buf_addc(b, b64chars[v >> 12 & 63]);
		sr_buf_addc(b, b64chars[v >> 6 & 63]);
		sr_buf_addc(b, b64chars[v & 63]);
	}
	if (i < len) {
		unsigned v = (unsigned)p[i] << 16;

		if (i + 1 < len)
			v |= (unsigned)p[i + 1] << 8;
		sr_buf_addc(b, b64chars[v >> 18 & 63]);
		sr_buf_addc(b, b64chars[v >> 12 & 63]);
		sr_buf_addc(b, i + 1 < len ? b64chars[v >> 6 & 63] : '=');
		sr_buf_addc(b, '=');
	}
}

/* Decode base64 'in' into 'out'; false when it is not base64. */
static int b64_decode(struct sr_buf *out, const char *in)
{
	unsigned v = 0;
	int bits = 0;

	for (; *in && *in != '='; in++) {
		const char *c = strchr(b64chars, *in);

		if (!c || !*c)
			return 0;
		v = v << 6 | (unsigned)(c - b64chars);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			sr_buf_addc(out, (char)(v >> bits & 255));
		}
	}
	if (!out->ptr)
		sr_buf_adds(out, "");
	return 1;
}

/* Append "key":"<base64 of s>". */
static void add_b64_field(struct sr_buf *b, const char *name, const char *s)
{
	sr_buf_addf(b, "\"%s\":\"", name);
	b64_add(b, s, strlen(s));
	sr_buf_addc(b, '"');
}

static void edge_key(struct sr_buf *b, const struct etcd_ctx *c,
		     const struct sr_cp_edge *e)
{
	sr_buf_addf(b, "%s/%s/%s", c->prefix, e->service, e->target);
}

static void ignore_problem(void *payload, const char *rule,
			   struct sr_pos pos, const char *message)
{
	(void)payload;
	(void)rule;
	(void)pos;
	(void)message;
}

static struct sr_stream *parse(const struct sr_buf *body)
{
	struct sr_doc_limits lim = SR_DOC_LIMITS_INIT;

	return sr_stream_parse_json(body->ptr ? body->ptr : "", body->len,
				    &lim, ignore_problem, NULL);
}

static const struct sr_node *root_of(const struct sr_stream *st)
{
	return st->n ? st->docs[0].root : NULL;
}

/*
 * An error response {"error": "...", "code": N}: the SR_CP_* code and a
 * message (etcd's text never contains the password or token).
 */
static int rpc_error(const struct sr_http_resp *r, const char *url,
		     struct sr_buf *err)
{
	struct sr_stream *st = parse(&r->body);
	const struct sr_node *root = root_of(st);
	const char *msg = sr_node_str(sr_map_get(root, "error"));
	long long code = -1;
	int rc;

	if (!msg)
		msg = sr_node_str(sr_map_get(root, "message"));
	sr_node_int(sr_map_get(root, "code"), &code);
	if (code == 16 || code == 7 ||
	    (msg && (strstr(msg, "authentication failed") ||
		     strstr(msg, "user name is empty") ||
		     strstr(msg, "invalid auth token") ||
		     strstr(msg, "permission denied"))))
		rc = SR_CP_AUTH;
	else if (code == 14 || code == 4 || r->status >= 500)
		rc = SR_CP_UNAVAILABLE;
	else if (r->status == 404)
		rc = SR_CP_INVALID;	/* not an etcd v3 gateway */
	else
		rc = sr_http_status_rc(r->status) == SR_CP_OK
			     ? SR_CP_INVALID : sr_http_status_rc(r->status);
	sr_buf_addf(err, "%s: HTTP %ld", url, r->status);
	if (msg)
		sr_buf_addf(err, ": %s", msg);
	sr_stream_free(st);
	return rc;
}

/* POST 'body' to <endpoint><path>, moving to the next endpoint if one is
 * unreachable. */
static int post(struct etcd_ctx *c, const char *path, const char *body,
		int with_auth, struct sr_http_resp *resp, struct sr_buf *err)
{
	const char *headers[3];
	struct sr_http_req req;
	struct sr_buf url = SR_BUF_INIT;
	size_t tries = c->conf->n_endpoints;
	int rc = SR_CP_UNAVAILABLE;

	headers[0] = "Content-Type: application/json";
	headers[1] = with_auth ? c->auth_header : NULL;
	headers[2] = NULL;
	for (size_t i = 0; i < tries; i++) {
		const char *ep = c->conf->endpoints[c->endpoint];
		size_t el = strlen(ep);

		sr_buf_reset(&url);
		sr_buf_add(&url, ep, el && ep[el - 1] == '/' ? el - 1 : el);
		sr_buf_adds(&url, path);
		memset(&req, 0, sizeof(req));
		req.method = "POST";
		req.url = url.ptr;
		req.headers = headers;
		req.body = body;
		req.body_len = strlen(body);
		req.timeout_ms = sr_cp_request_timeout_ms(c->conf);
		req.tls = &c->tls;
		if (i)
			sr_buf_adds(err, "; ");
		rc = sr_http_do(c->http, &req, resp, err);
		if (rc == SR_CP_OK && resp->status != 200)
			rc = rpc_error(resp, url.ptr, err);
		if (rc != SR_CP_UNAVAILABLE)
			break;
		c->endpoint = (c->endpoint + 1) % c->conf->n_endpoints;
	}
	if (rc == SR_CP_OK)
		sr_buf_reset(err);
	sr_buf_release(&url);
	return rc;
}

static int authenticate(struct etcd_ctx *c, struct sr_buf *err)
{
	struct sr_http_resp resp = { 0 };
	struct sr_buf body = SR_BUF_INIT, h = SR_BUF_INIT;
	struct sr_stream *st;
	const char *tok;
	int rc;

	sr_buf_adds(&body, "{\"name\":");
	sr_buf_add_json(&body, c->conf->user);
	sr_buf_adds(&body, ",\"password\":");
	sr_buf_add_json(&body, c->secret);
	sr_buf_addc(&body, '}');
	rc = post(c, "/v3/auth/authenticate", body.ptr, 0, &resp, err);
	/* the request held the password: wipe it */
	memset(body.ptr, 0, body.len);
	sr_buf_release(&body);
	if (rc) {
		sr_http_resp_release(&resp);
		return rc;
	}
	st = parse(&resp.body);
	tok = sr_node_str(sr_map_get(root_of(st), "token"));
	if (!tok || !*tok) {
		sr_buf_addf(err, "etcd: /v3/auth/authenticate returned no "
			    "token (is auth enabled?)");
		rc = SR_CP_AUTH;
	} else {
		free(c->auth_header);
		sr_buf_addf(&h, "Authorization: %s", tok);
		c->auth_header = sr_buf_detach(&h);
	}
	sr_stream_free(st);
	sr_http_resp_release(&resp);
	return rc;
}

/* A request with authentication, renewing an expired token once. */
static int call(struct etcd_ctx *c, const char *path, const char *body,
		struct sr_http_resp *resp, struct sr_buf *err)
{
	int rc;

	if (c->conf->user && !c->auth_header) {
		rc = authenticate(c, err);
		if (rc)
			return rc;
	}
	rc = post(c, path, body, 1, resp, err);
	if (rc == SR_CP_AUTH && c->conf->user &&
	    strstr(sr_buf_cstr(err), "invalid auth token")) {
		sr_buf_reset(err);
		rc = authenticate(c, err);
		if (!rc)
			rc = post(c, path, body, 1, resp, err);
	}
	return rc;
}

/* http:// to anything but the loopback interface */
static int plain_remote(const char *url)
{
	static const char *const local[] = {
		"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:",
		"http://localhost/", "http://[::1]:", "http://[::1]/", NULL
	};

	if (strncmp(url, "http://", 7))
		return 0;
	for (size_t i = 0; local[i]; i++)
		if (!strncmp(url, local[i], strlen(local[i])))
			return 0;
	return 1;
}

static int etcd_open(void **ctx, const struct sr_cp_conf *conf,
		     struct sr_buf *err)
{
	struct etcd_ctx *c;
	const char *p = conf->prefix ? conf->prefix : DEFAULT_PREFIX;
	size_t pl = strlen(p);
	int rc;

	if (!conf->n_endpoints) {
		sr_buf_addf(err, "control plane '%s': the etcd driver needs "
			    "an endpoint", conf->name);
		return SR_CP_INVALID;
	}
	for (size_t i = 0; (conf->user || conf->token_env ||
			    conf->token_file) && i < conf->n_endpoints; i++) {
		if (plain_remote(conf->endpoints[i]) && !conf->insecure) {
			sr_buf_addf(err, "refusing to send credentials over "
				    "plain HTTP to '%s': use https:// (only "
				    "loopback is exempt)", conf->endpoints[i]);
			return SR_CP_INVALID;
		}
	}
	c = sr_xcalloc(1, sizeof(*c));
	c->conf = conf;
	while (pl && p[pl - 1] == '/')
		pl--;
	c->prefix = sr_xstrndup(p, pl);
	c->tls.ca = conf->ca;
	c->tls.cert = conf->cert;
	c->tls.key = conf->key;
	c->tls.insecure = conf->insecure;
	rc = sr_cp_secret(&c->secret, conf, err);
	if (rc) {
		free(c->prefix);
		free(c);
		return rc;
	}
	if (c->secret && !conf->user) {
		struct sr_buf h = SR_BUF_INIT;

		sr_buf_addf(&h, "Authorization: %s", c->secret);
		c->auth_header = sr_buf_detach(&h);
	}
	c->http = sr_http_new();
	*ctx = c;
	return SR_CP_OK;
}

static void wipe_free(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

static void etcd_close(void *ctx)
{
	struct etcd_ctx *c = ctx;

	if (!c)
		return;
	sr_http_free(c->http);
	free(c->prefix);
	wipe_free(c->secret);
	wipe_free(c->token);
	wipe_free(c->auth_header);
	free(c);
}

/* Fill 'out' from a kv {key, value, mod_revision}. */
static int from_kv(const struct sr_node *kv, struct sr_cp_value *out,
		   const char *key, struct sr_buf *err)
{
	struct sr_buf val = SR_BUF_INIT;
	const char *v64 = sr_node_str(sr_map_get(kv, "value"));
	const char *mod = sr_node_str(sr_map_get(kv, "mod_revision"));
	int rc;

	if (!v64 || !mod || !b64_decode(&val, v64)) {
		sr_buf_addf(err, "etcd: malformed kv for '%s'", key);
		sr_buf_release(&val);
		return SR_CP_INVALID;
	}
	rc = sr_cp_value_parse(out, val.ptr, val.len, err);
	if (rc) {
		sr_buf_addf(err, " (etcd key '%s')", key);
	} else {
		free(out->version);
		out->version = sr_xstrdup(mod);
	}
	sr_buf_release(&val);
	return rc;
}

static int range(struct etcd_ctx *c, const char *key, const char *end,
		 struct sr_http_resp *resp, struct sr_stream **st,
		 struct sr_buf *err)
{
	struct sr_buf body = SR_BUF_INIT;
	int rc;

	sr_buf_addc(&body, '{');
	add_b64_field(&body, "key", key);
	if (end) {
		sr_buf_addc(&body, ',');
		add_b64_field(&body, "range_end", end);
	}
	sr_buf_addc(&body, '}');
	rc = call(c, "/v3/kv/range", body.ptr, resp, err);
	sr_buf_release(&body);
	*st = rc ? NULL : parse(&resp->body);
	if (*st && !sr_node_is_map(root_of(*st))) {
		sr_buf_addf(err, "etcd: /v3/kv/range: response is not JSON");
		rc = SR_CP_INVALID;
	}
	return rc;
}

static int etcd_get(void *ctx, const struct sr_cp_edge *edge,
		    struct sr_cp_value *out, struct sr_buf *err)
{
	struct etcd_ctx *c = ctx;
	struct sr_http_resp resp = { 0 };
	struct sr_stream *st = NULL;
	struct sr_buf key = SR_BUF_INIT;
	const struct sr_node *kvs;
	int rc;

	edge_key(&key, c, edge);
	rc = range(c, key.ptr, NULL, &resp, &st, err);
	if (!rc) {
		kvs = sr_map_get(root_of(st), "kvs");
		if (!sr_node_is_seq(kvs) || !kvs->u.seq.n)
			rc = SR_CP_NOT_FOUND;
		else
			rc = from_kv(kvs->u.seq.items[0], out, key.ptr, err);
	}
	sr_stream_free(st);
	sr_http_resp_release(&resp);
	sr_buf_release(&key);
	return rc;
}

static int etcd_put(void *ctx, const struct sr_cp_edge *edge,
		    const char *expect, const struct sr_cp_write *w,
		    char **new_version, struct sr_buf *err)
{
	struct etcd_ctx *c = ctx;
	struct sr_http_resp resp = { 0 };
	struct sr_buf key = SR_BUF_INIT, ch = SR_BUF_INIT, val = SR_BUF_INIT;
	struct sr_buf body = SR_BUF_INIT;
	struct sr_stream *st = NULL;
	const struct sr_node *root, *ok, *rs, *kvs;
	int rc;

	if (w->dry_run)
		return SR_CP_OK;	/* etcd has no server-side dry run */
	edge_key(&key, c, edge);
	sr_buf_addf(&ch, "%s/%s/%s", c->prefix, CHANGES,
		    w->change_id ? w->change_id : "none");
	sr_cp_value_json(&val, w);

	sr_buf_adds(&body, "{\"compare\":[{");
	if (*expect)
		sr_buf_addf(&body, "\"target\":\"MOD\",\"result\":\"EQUAL\","
			    "\"mod_revision\":\"%s\",", expect);
	else
		sr_buf_adds(&body, "\"target\":\"CREATE\",\"result\":"
			    "\"EQUAL\",\"create_revision\":\"0\",");
	add_b64_field(&body, "key", key.ptr);
	sr_buf_adds(&body, "},{\"target\":\"CREATE\",\"result\":\"EQUAL\","
		    "\"create_revision\":\"0\",");
	add_b64_field(&body, "key", ch.ptr);
	sr_buf_adds(&body, "}],\"success\":[{\"request_put\":{");
	add_b64_field(&body, "key", key.ptr);
	sr_buf_addc(&body, ',');
	add_b64_field(&body, "value", val.ptr);
	sr_buf_adds(&body, "}},{\"request_put\":{");
	add_b64_field(&body, "key", ch.ptr);
	sr_buf_addc(&body, ',');
	add_b64_field(&body, "value", w->audit_json ? w->audit_json
						    : val.ptr);
	sr_buf_adds(&body, "}}],\"failure\":[{\"request_range\":{");
	add_b64_field(&body, "key", ch.ptr);
	sr_buf_adds(&body, "}},{\"request_range\":{");
	add_b64_field(&body, "key", key.ptr);
	sr_buf_adds(&body, "}}]}");

	rc = call(c, "/v3/kv/txn", body.ptr, &resp, err);
	if (rc)
		goto out;
	st = parse(&resp.body);
	root = root_of(st);
	if (!sr_node_is_map(root)) {
		sr_buf_adds(err, "etcd: /v3/kv/txn: response is not JSON");
		rc = SR_CP_INVALID;
		goto out;
	}
	ok = sr_map_get(root, "succeeded");
	if (ok && sr_node_eq(ok, "true")) {
		const char *rev = sr_node_str(sr_map_path(root, "header",
							  "revision", NULL));

		if (new_version)
			*new_version = sr_xstrdup(rev ? rev : "");
		goto out;
	}
	/* no "succeeded": false. Was it our own earlier attempt? */
	rs = sr_map_get(root, "responses");
	kvs = sr_node_is_seq(rs) && rs->u.seq.n >= 2
		? sr_map_path(rs->u.seq.items[0], "response_range", "kvs",
			      NULL) : NULL;
	if (sr_node_is_seq(kvs) && kvs->u.seq.n) {
		const struct sr_node *cur = sr_map_path(rs->u.seq.items[1],
			"response_range", "kvs", NULL);
		struct sr_cp_value v = SR_CP_VALUE_INIT;

		if (sr_node_is_seq(cur) && cur->u.seq.n &&
		    !from_kv(cur->u.seq.items[0], &v, key.ptr, err) &&
		    v.change_id && w->change_id &&
		    !strcmp(v.change_id, w->change_id)) {
			if (new_version)
				*new_version = sr_xstrdup(v.version);
			sr_cp_value_release(&v);
			goto out;	/* already applied */
		}
		sr_cp_value_release(&v);
		sr_buf_reset(err);
		sr_buf_addf(err, "etcd: change id '%s' was already used",
			    w->change_id ? w->change_id : "");
		rc = SR_CP_INVALID;
		goto out;
	}
	sr_buf_addf(err, "etcd: '%s' changed since it was read (expected "
		    "mod_revision %s)", key.ptr, *expect ? expect : "none");
	rc = SR_CP_CONFLICT;
out:
	sr_stream_free(st);
	sr_http_resp_release(&resp);
	sr_buf_release(&body);
	sr_buf_release(&val);
	sr_buf_release(&ch);
	sr_buf_release(&key);
	return rc;
}

static int etcd_list(void *ctx,
		     int (*fn)(const struct sr_cp_edge *edge,
			       const struct sr_cp_value *v, void *data),
		     void *data, struct sr_buf *err)
{
	struct etcd_ctx *c = ctx;
	struct sr_http_resp resp = { 0 };
	struct sr_stream *st = NULL;
	struct sr_buf from = SR_BUF_INIT, end = SR_BUF_INIT;
	const struct sr_node *kvs;
	int rc;

	sr_buf_addf(&from, "%s/", c->prefix);
	sr_buf_addf(&end, "%s0", c->prefix);	/* '/' + 1 */
	rc = range(c, from.ptr, end.ptr, &resp, &st, err);
	kvs = rc ? NULL : sr_map_get(root_of(st), "kvs");
	for (size_t i = 0; sr_node_is_seq(kvs) && i < kvs->u.seq.n; i++) {
		const struct sr_node *kv = kvs->u.seq.items[i];
		struct sr_buf k = SR_BUF_INIT;
		struct sr_cp_value v = SR_CP_VALUE_INIT;
		struct sr_cp_edge e;
		const char *k64 = sr_node_str(sr_map_get(kv, "key"));
		char *rest, *slash;
		int stop = 0;

		if (!k64 || !b64_decode(&k, k64) || k.len <= from.len) {
			sr_buf_release(&k);
			continue;
		}
		rest = k.ptr + from.len;
		slash = strchr(rest, '/');
		if (slash && !strchr(slash + 1, '/') &&
		    strncmp(rest, CHANGES "/", sizeof(CHANGES))) {
			*slash = '\0';
			e.service = rest;
			e.target = slash + 1;
			*slash = '/';
			rc = from_kv(kv, &v, k.ptr, err);
			*slash = '\0';
			if (!rc)
				stop = fn(&e, &v, data);
		}
		sr_cp_value_release(&v);
		sr_buf_release(&k);
		if (rc || stop)
			break;
	}
	sr_stream_free(st);
	sr_http_resp_release(&resp);
	sr_buf_release(&from);
	sr_buf_release(&end);
	return rc;
}

const struct sr_cp_driver sr_cp_drv_etcd = {
	"etcd", etcd_open, etcd_get, etcd_put, etcd_list, etcd_close
};

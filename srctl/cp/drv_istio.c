/*
 * The "istio" control-plane driver: the timeout of one HTTP route of an
 * Istio VirtualService, read and changed through the Kubernetes API.
 *
 * Edge (service, target) -> VirtualService <target> in the namespace,
 * route http[i] named "<service>-to-<target>" (or else the one route whose
 * match selects sourceLabels app=<service>). The version token is the
 * object's metadata.resourceVersion. A write is what kubectl's JSON Patch
 * sends (fixtures/cp/k8s-contract): GET the object, then PATCH
 * application/json-patch+json with `test` ops on the resourceVersion and
 * the route's name (so neither a concurrent change nor a reordered route
 * list can be overwritten), `replace` of the route timeout and, when the
 * route retries, of retries.perTryTimeout = timeout / attempts (so the
 * attempts still fit in the total), and the value object of SPEC.md
 * section 8 in the annotation "srctl.io/timeout.<route>" (who, why, TTL).
 * A failed `test` comes back as 422 (current servers) or 500 (old ones),
 * a concurrent update as 409: all three are re-checked with a GET and
 * reported as a conflict when the object moved on.
 *
 * Credentials: a kubeconfig (current-context's cluster server,
 * certificate-authority(-data), user token / tokenFile / client
 * certificate(-data)), or in a pod the service account (token, ca.crt and
 * namespace under /var/run/secrets/kubernetes.io/serviceaccount,
 * KUBERNETES_SERVICE_HOST/PORT). exec and auth-provider plugins are not
 * supported. TLS verification is always on unless insecure_skip_verify.
 */
#include "cp/driver.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/duration.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "cp/cpjson.h"
#include "cp/http.h"
#include "doc/doc.h"
#include "base/banned.h"

#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
#define KUBECONFIG_MAX (4u << 20)
#define ANNOTATION "srctl.io/timeout."
#define FIELD_MANAGER "srctl"

struct ictx {
	const struct sr_cp_conf *conf;
	struct sr_http *http;
	struct sr_http_tls tls;
	char *server;		/* https://host:port, no trailing '/' */
	char *ns;
	char *auth_header;	/* "Authorization: Bearer ..." or NULL */
	char *ca_file, *cert_file, *key_file;
	struct sr_buf ca_pem, cert_pem, key_pem;
	const char *api;	/* "v1", or "v1beta1" for older Istio */
	char *source;		/* where the credentials came from */
};

/* What a GET tells about the edge's route. */
struct route {
	struct sr_stream *doc;		/* the object; owned */
	const struct sr_node *obj;
	const char *rv;
	const struct sr_node *http;	/* the route */
	size_t index;
	const char *name;
	const char *timeout;		/* NULL: none set */
	long long attempts;		/* retries.attempts; 0: no retries */
	int has_per_try;
	int has_annotations;
};

static void route_release(struct route *r)
{
	sr_stream_free(r->doc);
	memset(r, 0, sizeof(*r));
}

/* ---- credentials ---------------------------------------------------- */

static int b64val(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+' || ch == '-')
		return 62;
	if (ch == '/' || ch == '_')
		return 63;
	return -1;
}

/* Standard base64 (whitespace and padding ignored); 0 on bad input. */
static int b64decode(struct sr_buf *out, const char *s)
{
	unsigned acc = 0;
	int bits = 0;

	for (; *s; s++) {
		int v;

		if (*s == '=' || *s == ' ' || *s == '\n' || *s == '\r' ||
		    *s == '\t')
			continue;
		v = b64val((unsigned char)*s);
		if (v < 0)
			return 0;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			sr_buf_addc(out, (char)((acc >> bits) & 0xff));
		}
	}
	return out->len > 0;
}

/* 'p' relative to the directory of 'base' (a file), unless absolute. */
static char *rel_to(const char *base, const char *p)
{
	struct sr_buf b = SR_BUF_INIT;
	const char *slash = strrchr(base, '/');

	if (p[0] != '/' && slash)
		sr_buf_add(&b, base, (size_t)(slash - base + 1));
	sr_buf_adds(&b, p);
	return sr_buf_detach(&b);
}

/* The entry named 'name' of a kubeconfig list ("clusters", ...). */
static const struct sr_node *named(const struct sr_node *root,
				   const char *list, const char *name,
				   const char *inner)
{
	const struct sr_node *seq = sr_map_get(root, list);

	if (!name || !seq || !sr_node_is_seq(seq))
		return NULL;
	for (size_t i = 0; i < seq->u.seq.n; i++) {
		const struct sr_node *it = seq->u.seq.items[i];

		if (sr_node_eq(sr_map_get(it, "name"), name))
			return sr_map_get(it, inner);
	}
	return NULL;
}

struct kc_problem {
	struct sr_buf *msg;
	int seen;
};

static void kc_on_problem(void *payload, const char *rule, struct sr_pos pos,
			  const char *message)
{
	struct kc_problem *kp = payload;

	(void)rule;
	if (kp->seen++)
		return;
	sr_buf_addf(kp->msg, "%u:%u: %s", pos.line, pos.col, message);
}

static void set_token(struct ictx *c, const char *token)
{
	struct sr_buf h = SR_BUF_INIT;

	if (c->auth_header) {
		memset(c->auth_header, 0, strlen(c->auth_header));
		free(c->auth_header);
	}
	sr_buf_addf(&h, "Authorization: Bearer %s", token);
	c->auth_header = sr_buf_detach(&h);
}

/* Read a token file (trailing newline dropped) into the header. */
static int token_file(struct ictx *c, const char *path, struct sr_buf *err)
{
	char *s = NULL;
	size_t len = 0;

	if (sr_fs_read(&s, &len, path, 65536)) {
		sr_buf_addf(err, "control plane '%s': cannot read token file "
			    "'%s'", c->conf->name, path);
		return SR_CP_AUTH;
	}
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = '\0';
	set_token(c, s);
	memset(s, 0, len);
	free(s);
	return SR_CP_OK;
}

static int pem_data(struct sr_buf *out, const struct sr_node *n,
		    const char *what, const char *path, struct sr_buf *err)
{
	const char *s = sr_node_str(n);

	if (!s)
		return SR_CP_OK;
	if (!b64decode(out, s)) {
		sr_buf_addf(err, "%s:%u:%u: %s is not base64", path,
			    n->start.line, n->start.col, what);
		return SR_CP_INVALID;
	}
	return SR_CP_OK;
}

static int load_kubeconfig(struct ictx *c, const char *path,
			   struct sr_buf *err)
{
	char *text = NULL;
	size_t len = 0;
	struct sr_doc_limits lim = SR_DOC_LIMITS_INIT;
	struct sr_buf perr = SR_BUF_INIT;
	struct kc_problem kp = { &perr, 0 };
	struct sr_stream *s = NULL;
	const struct sr_node *root, *ctxn, *cl, *user, *n;
	const char *cur, *cluster_name, *user_name, *ns;
	int rc = SR_CP_INVALID;

	if (sr_fs_read(&text, &len, path, KUBECONFIG_MAX)) {
		sr_buf_addf(err, "control plane '%s': cannot read kubeconfig "
			    "'%s': %s", c->conf->name, path, sr_error_last());
		return SR_CP_INVALID;
	}
	s = sr_stream_parse(text, len, &lim, kc_on_problem, &kp);
	root = s->n ? s->docs[0].root : NULL;
	if (kp.seen || !root || !sr_node_is_map(root)) {
		sr_buf_addf(err, "%s:%s", path,
			    kp.seen ? perr.ptr : "1:1: not a kubeconfig");
		goto done;
	}
	cur = sr_node_str(sr_map_get(root, "current-context"));
	if (!cur || !*cur) {
		sr_buf_addf(err, "%s: no current-context", path);
		goto done;
	}
	ctxn = named(root, "contexts", cur, "context");
	if (!ctxn) {
		sr_buf_addf(err, "%s: context '%s' not found", path, cur);
		goto done;
	}
	cluster_name = sr_node_str(sr_map_get(ctxn, "cluster"));
	user_name = sr_node_str(sr_map_get(ctxn, "user"));
	ns = sr_node_str(sr_map_get(ctxn, "namespace"));
	cl = named(root, "clusters", cluster_name, "cluster");
	if (!cl || !sr_node_str(sr_map_get(cl, "server"))) {
		sr_buf_addf(err, "%s: cluster '%s' of context '%s' has no "
			    "server", path, cluster_name ? cluster_name : "",
			    cur);
		goto done;
	}
	c->server = sr_xstrdup(sr_node_str(sr_map_get(cl, "server")));
	if (ns && *ns && !c->ns)
		c->ns = sr_xstrdup(ns);
	n = sr_map_get(cl, "certificate-authority-data");
	if (pem_data(&c->ca_pem, n, "certificate-authority-data", path, err))
		goto done;
	n = sr_map_get(cl, "certificate-authority");
	if (sr_node_str(n) && !c->ca_pem.len)
		c->ca_file = rel_to(path, sr_node_str(n));
	if (sr_node_eq(sr_map_get(cl, "insecure-skip-tls-verify"), "true") &&
	    !c->conf->insecure) {
		sr_buf_addf(err, "%s: cluster '%s' sets "
			    "insecure-skip-tls-verify; srctl verifies TLS "
			    "unless the control plane sets "
			    "insecure_skip_verify", path, cluster_name);
		rc = SR_CP_TLS;
		goto done;
	}
	user = named(root, "users", user_name, "user");
	if (user_name && !user) {
		sr_buf_addf(err, "%s: user '%s' not found", path, user_name);
		goto done;
	}
	if (user && (sr_map_get(user, "exec") ||
		     sr_map_get(user, "auth-provider"))) {
		sr_buf_addf(err, "%s: user '%s' uses an exec or auth-provider "
			    "plugin, which srctl does not run; use a token "
			    "(token_file/token_env) or a client certificate",
			    path, user_name);
		goto done;
	}
	if (user) {
		const char *tok = sr_node_str(sr_map_get(user, "token"));
		const char *tf = sr_node_str(sr_map_get(user, "tokenFile"));

		if (tok && *tok) {
			set_token(c, tok);
		} else if (tf && *tf) {
			char *p = rel_to(path, tf);

			rc = token_file(c, p, err);
			free(p);
			if (rc != SR_CP_OK)
				goto done;
			rc = SR_CP_INVALID;
		}
		if (pem_data(&c->cert_pem,
			     sr_map_get(user, "client-certificate-data"),
			     "client-certificate-data", path, err) ||
		    pem_data(&c->key_pem,
			     sr_map_get(user, "client-key-data"),
			     "client-key-data", path, err))
			goto done;
		n = sr_map_get(user, "client-certificate");
		if (sr_node_str(n) && !c->cert_pem.len)
			c->cert_file = rel_to(path, sr_node_str(n));
		n = sr_map_get(user, "client-key");
		if (sr_node_str(n) && !c->key_pem.len)
			c->key_file = rel_to(path, sr_node_str(n));
	}
	c->source = sr_xstrdup(path);
	rc = SR_CP_OK;
done:
	sr_stream_free(s);
	sr_buf_release(&perr);
	if (text) {
		/* The kubeconfig may hold a token: do not leave it around. */
		memset(text, 0, len);
		free(text);
	}
	return rc;
}

static int load_in_cluster(struct ictx *c, struct sr_buf *err)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	/* Tests point this at a temporary directory. */
	const char *dir = getenv("SRCTL_K8S_SA_DIR");
	struct sr_buf b = SR_BUF_INIT;
	char *ns = NULL;
	size_t len = 0;
	int rc;

	if (!dir || !*dir)
		dir = SA_DIR;
	sr_buf_adds(&b, "https://");
	if (strchr(host, ':'))
		sr_buf_addf(&b, "[%s]", host);
	else
		sr_buf_adds(&b, host);
	sr_buf_addf(&b, ":%s", port && *port ? port : "443");
	c->server = sr_buf_detach(&b);
	sr_buf_addf(&b, "%s/token", dir);
	rc = token_file(c, b.ptr, err);
	sr_buf_release(&b);
	if (rc != SR_CP_OK)
		return rc;
	sr_buf_addf(&b, "%s/ca.crt", dir);
	c->ca_file = sr_buf_detach(&b);
	sr_buf_addf(&b, "%s/namespace", dir);
	if (!c->ns && !sr_fs_read(&ns, &len, b.ptr, 4096)) {
		while (len && (ns[len - 1] == '\n' || ns[len - 1] == ' '))
			ns[--len] = '\0';
		if (len)
			c->ns = ns;
		else
			free(ns);
	}
	sr_buf_release(&b);
	c->source = sr_xstrdup("in-cluster service account");
	return SR_CP_OK;
}

static int file_exists(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISREG(st.st_mode);
}

static void istio_close(void *p)
{
	struct ictx *c = p;

	if (!c)
		return;
	sr_http_free(c->http);
	free(c->server);
	free(c->ns);
	if (c->auth_header) {
		memset(c->auth_header, 0, strlen(c->auth_header));
		free(c->auth_header);
	}
	free(c->ca_file);
	free(c->cert_file);
	free(c->key_file);
	sr_buf_release(&c->ca_pem);
	if (c->key_pem.len)
		memset(c->key_pem.ptr, 0, c->key_pem.len);
	sr_buf_release(&c->cert_pem);
	sr_buf_release(&c->key_pem);
	free(c->source);
	free(c);
}

static int istio_open(void **out, const struct sr_cp_conf *conf,
		      struct sr_buf *err)
{
	struct ictx *c = sr_xcalloc(1, sizeof(*c));
	char *kc = NULL, *token = NULL;
	const char *env = getenv("KUBECONFIG");
	const char *home = getenv("HOME");
	int rc;

	*out = NULL;
	c->conf = conf;
	c->api = "v1";
	if (conf->namespace_ && *conf->namespace_)
		c->ns = sr_xstrdup(conf->namespace_);
	if (conf->kubeconfig && *conf->kubeconfig) {
		if (!strncmp(conf->kubeconfig, "~/", 2) && home) {
			struct sr_buf b = SR_BUF_INIT;

			sr_buf_addf(&b, "%s/%s", home, conf->kubeconfig + 2);
			kc = sr_buf_detach(&b);
		} else {
			kc = sr_xstrdup(conf->kubeconfig);
		}
	} else if (env && *env) {
		/* Only the first file of a KUBECONFIG list. */
		const char *colon = strchr(env, ':');

		kc = colon ? sr_xstrndup(env, (size_t)(colon - env))
			   : sr_xstrdup(env);
	} else if (home && *home) {
		struct sr_buf b = SR_BUF_INIT;

		sr_buf_addf(&b, "%s/.kube/config", home);
		kc = sr_buf_detach(&b);
		if (!file_exists(kc) && getenv("KUBERNETES_SERVICE_HOST")) {
			free(kc);
			kc = NULL;
		}
	}
	if (kc)
		rc = load_kubeconfig(c, kc, err);
	else if (getenv("KUBERNETES_SERVICE_HOST"))
		rc = load_in_cluster(c, err);
	else {
		sr_buf_addf(err, "control plane '%s': no kubeconfig (set "
			    "kubeconfig or $KUBECONFIG) and not in a cluster",
			    conf->name);
		rc = SR_CP_INVALID;
	}
	free(kc);
	if (rc != SR_CP_OK)
		goto fail;
	/* The control plane's own settings win over the kubeconfig's. */
	if (conf->n_endpoints && conf->endpoints[0] && *conf->endpoints[0]) {
		free(c->server);
		c->server = sr_xstrdup(conf->endpoints[0]);
	}
	if (strncmp(c->server, "https://", 8) &&
	    strncmp(c->server, "http://", 7)) {
		sr_buf_addf(err, "control plane '%s': API server '%s' is not "
			    "an https:// URL", conf->name, c->server);
		rc = SR_CP_INVALID;
		goto fail;
	}
	while (*c->server && c->server[strlen(c->server) - 1] == '/')
		c->server[strlen(c->server) - 1] = '\0';
	rc = sr_cp_secret(&token, conf, err);
	if (rc != SR_CP_OK)
		goto fail;
	if (token) {
		set_token(c, token);
		memset(token, 0, strlen(token));
		free(token);
	}
	if (!c->ns)
		c->ns = sr_xstrdup("default");
	c->tls.ca = conf->ca ? conf->ca : c->ca_file;
	c->tls.cert = conf->cert ? conf->cert : c->cert_file;
	c->tls.key = conf->key ? conf->key : c->key_file;
	if (!conf->ca && c->ca_pem.len) {
		c->tls.ca_pem = c->ca_pem.ptr;
		c->tls.ca_pem_len = c->ca_pem.len;
	}
	if (!conf->cert && c->cert_pem.len) {
		c->tls.cert_pem = c->cert_pem.ptr;
		c->tls.cert_pem_len = c->cert_pem.len;
	}
	if (!conf->key && c->key_pem.len) {
		c->tls.key_pem = c->key_pem.ptr;
		c->tls.key_pem_len = c->key_pem.len;
	}
	c->tls.insecure = conf->insecure;
	c->http = sr_http_new();
	*out = c;
	return SR_CP_OK;
fail:
	istio_close(c);
	return rc;
}

/* ---- requests ------------------------------------------------------- */

static void vs_url(struct sr_buf *b, const struct ictx *c, const char *api,
		   const char *name)
{
	sr_buf_addf(b, "%s/apis/networking.istio.io/%s/namespaces/",
		    c->server, api);
	sr_http_add_escaped(b, c->ns);
	sr_buf_adds(b, "/virtualservices");
	if (name) {
		sr_buf_addc(b, '/');
		sr_http_add_escaped(b, name);
	}
}

/*
 * One request. The command retries SR_CP_UNAVAILABLE with backoff inside
 * --timeout; a PATCH replayed after a lost answer fails its own `test`
 * and is then recognised by its change id (recheck()).
 */
static int kreq(struct ictx *c, const char *method, const char *url,
		const char *body, struct sr_http_resp *resp,
		struct sr_buf *err)
{
	const char *headers[4];
	struct sr_http_req req = { 0 };
	struct sr_buf why = SR_BUF_INIT;
	size_t n = 0;
	int rc;

	headers[n++] = "Accept: application/json";
	if (c->auth_header)
		headers[n++] = c->auth_header;
	if (body)
		headers[n++] = "Content-Type: application/json-patch+json";
	headers[n] = NULL;
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.timeout_ms = sr_cp_request_timeout_ms(c->conf);
	req.tls = &c->tls;
	rc = sr_http_do(c->http, &req, resp, &why);
	if (rc != SR_CP_OK)
		sr_buf_addf(err, "control plane '%s': %s", c->conf->name,
			    why.ptr);
	sr_buf_release(&why);
	return rc;
}

/* "message" of a Kubernetes Status body. */
static void add_status(struct sr_buf *err, const struct sr_http_resp *r)
{
	struct sr_stream *s = sr_cpjson_parse(r->body.ptr, r->body.len, NULL);
	const char *m = NULL;

	if (s && sr_node_is_map(s->docs[0].root))
		m = sr_node_str(sr_map_get(s->docs[0].root, "message"));
	if (m)
		sr_buf_addf(err, ": %s", m);
	sr_stream_free(s);
}

static int status_error(const struct ictx *c, const char *what,
			const struct sr_http_resp *r, struct sr_buf *err)
{
	int rc = sr_http_status_rc(r->status);

	if (r->status == 422 || r->status == 415 || r->status == 400)
		rc = SR_CP_INVALID;
	sr_buf_addf(err, "control plane '%s': %s: HTTP %ld", c->conf->name,
		    what, r->status);
	add_status(err, r);
	return rc;
}

/* Is 'rt' the route of edge 'e'? 2: by name, 1: by source label. */
static int route_match(const struct sr_node *rt, const struct sr_cp_edge *e)
{
	const struct sr_node *m = sr_map_get(rt, "match");
	const char *name = sr_node_str(sr_map_get(rt, "name"));
	size_t sl = strlen(e->service), tl = strlen(e->target);

	if (name && strlen(name) == sl + 4 + tl &&
	    !strncmp(name, e->service, sl) && !strncmp(name + sl, "-to-", 4) &&
	    !strcmp(name + sl + 4, e->target))
		return 2;
	if (!m || !sr_node_is_seq(m))
		return 0;
	for (size_t i = 0; i < m->u.seq.n; i++)
		if (sr_node_eq(sr_map_path(m->u.seq.items[i], "sourceLabels",
					   "app", NULL), e->service))
			return 1;
	return 0;
}

/* Find the edge's route in a parsed VirtualService. */
static int find_route(struct route *r, const struct sr_cp_edge *e,
		      const char *url, struct sr_buf *err)
{
	const struct sr_node *list = sr_map_path(r->obj, "spec", "http", NULL);
	const struct sr_node *rt, *ret;
	int best = 0, count = 0;
	long long a;

	r->rv = sr_node_str(sr_map_path(r->obj, "metadata", "resourceVersion",
					NULL));
	if (!r->rv || !*r->rv) {
		sr_buf_addf(err, "%s: object has no metadata.resourceVersion",
			    url);
		return SR_CP_INVALID;
	}
	r->has_annotations = sr_node_is_map(sr_map_path(r->obj, "metadata",
							"annotations", NULL));
	for (size_t i = 0; list && sr_node_is_seq(list) &&
	     i < list->u.seq.n; i++) {
		int m = route_match(list->u.seq.items[i], e);

		if (m > best) {
			best = m;
			count = 0;
			r->index = i;
		}
		if (m && m == best)
			count++;
	}
	if (!best) {
		sr_buf_addf(err, "%s: no HTTP route named '%s-to-%s' or "
			    "matching sourceLabels app=%s", url, e->service,
			    e->target, e->service);
		return SR_CP_NOT_FOUND;
	}
	if (count > 1) {
		sr_buf_addf(err, "%s: %d HTTP routes match sourceLabels app=%s;"
			    " name the one srctl changes '%s-to-%s'", url,
			    count, e->service, e->service, e->target);
		return SR_CP_INVALID;
	}
	rt = list->u.seq.items[r->index];
	r->http = rt;
	r->name = sr_node_str(sr_map_get(rt, "name"));
	if (!r->name || !*r->name) {
		sr_buf_addf(err, "%s: route %zu for %s has no name; srctl "
			    "needs one to guard its patch", url, r->index,
			    e->service);
		return SR_CP_INVALID;
	}
	r->timeout = sr_node_str(sr_map_get(rt, "timeout"));
	ret = sr_map_get(rt, "retries");
	if (ret && sr_cpjson_int(sr_map_get(ret, "attempts"), &a) && a > 0)
		r->attempts = a;
	r->has_per_try = ret && sr_map_get(ret, "perTryTimeout") != NULL;
	return SR_CP_OK;
}

/* GET the VirtualService of 'e' and locate its route. */
static int fetch(struct ictx *c, const struct sr_cp_edge *e,
		 struct route *r, struct sr_buf *err)
{
	struct sr_buf url = SR_BUF_INIT;
	struct sr_http_resp resp = { 0 };
	int rc;

	memset(r, 0, sizeof(*r));
	vs_url(&url, c, c->api, e->target);
	rc = kreq(c, "GET", url.ptr, NULL, &resp, err);
	if (rc == SR_CP_OK && resp.status == 404 && !strcmp(c->api, "v1")) {
		/* Istio before 1.22 serves only v1beta1. */
		struct sr_buf url2 = SR_BUF_INIT;
		struct sr_http_resp resp2 = { 0 };

		vs_url(&url2, c, "v1beta1", e->target);
		if (kreq(c, "GET", url2.ptr, NULL, &resp2, err) == SR_CP_OK &&
		    resp2.status == 200) {
			c->api = "v1beta1";
			sr_http_resp_release(&resp);
			resp = resp2;
			sr_buf_release(&url);
			url = url2;
		} else {
			sr_http_resp_release(&resp2);
			sr_buf_release(&url2);
		}
	}
	if (rc != SR_CP_OK)
		goto done;
	if (resp.status != 200) {
		rc = status_error(c, "cannot read VirtualService", &resp, err);
		goto done;
	}
	r->doc = sr_cpjson_parse(resp.body.ptr, resp.body.len, err);
	r->obj = r->doc ? r->doc->docs[0].root : NULL;
	if (!r->obj || !sr_node_is_map(r->obj)) {
		sr_buf_addf(err, "%s: response is not a JSON object", url.ptr);
		rc = SR_CP_INVALID;
		goto done;
	}
	rc = find_route(r, e, url.ptr, err);
done:
	sr_http_resp_release(&resp);
	sr_buf_release(&url);
	if (rc != SR_CP_OK)
		route_release(r);
	return rc;
}

/* srctl's record of its last write to the route, if still current. */
static void read_annotation(const struct route *r, long long live_ms,
			    struct sr_cp_value *out)
{
	const struct sr_node *ann = sr_map_path(r->obj, "metadata",
						 "annotations", NULL);
	struct sr_buf key = SR_BUF_INIT, ignore = SR_BUF_INIT;
	struct sr_cp_value v = SR_CP_VALUE_INIT;
	const char *s;

	sr_buf_addf(&key, ANNOTATION "%s", r->name);
	s = sr_node_str(sr_map_get(ann, key.ptr));
	/*
	 * A record whose value differs from the live timeout is stale:
	 * someone changed the route after srctl, so it is not srctl's.
	 */
	if (s && !sr_cp_value_parse(&v, s, strlen(s), &ignore) &&
	    v.ms == live_ms) {
		out->change_id = v.change_id;
		out->changed_by = v.changed_by;
		out->reason = v.reason;
		out->changed_at = v.changed_at;
		out->expires = v.expires;
		v.change_id = v.changed_by = v.reason = NULL;
	}
	sr_cp_value_release(&v);
	sr_buf_release(&key);
	sr_buf_release(&ignore);
}

static int route_ms(const struct route *r, const char *url, long long *ms,
		    struct sr_buf *err)
{
	double d;

	if (!sr_duration_parse_ms(r->timeout, &d) || d < 1) {
		sr_buf_addf(err, "%s: route '%s' timeout '%s' is not a "
			    "duration", url, r->name, r->timeout);
		return SR_CP_INVALID;
	}
	*ms = (long long)(d + 0.5);
	return SR_CP_OK;
}

static int istio_get(void *p, const struct sr_cp_edge *e,
		     struct sr_cp_value *out, struct sr_buf *err)
{
	struct ictx *c = p;
	struct route r;
	int rc = fetch(c, e, &r, err);

	if (rc != SR_CP_OK)
		return rc;
	if (!r.timeout) {
		sr_buf_addf(err, "VirtualService %s/%s route '%s' sets no "
			    "timeout", c->ns, e->target, r.name);
		rc = SR_CP_NOT_FOUND;
		goto done;
	}
	rc = route_ms(&r, e->target, &out->ms, err);
	if (rc != SR_CP_OK)
		goto done;
	out->version = sr_xstrdup(r.rv);
	read_annotation(&r, out->ms, out);
done:
	route_release(&r);
	return rc;
}

/* A JSON Pointer token (RFC 6901): '~' -> "~0", '/' -> "~1". */
static void add_ptr_token(struct sr_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '~')
			sr_buf_adds(b, "~0");
		else if (*s == '/')
			sr_buf_adds(b, "~1");
		else
			sr_buf_addc(b, *s);
	}
}

/* The JSON Patch of a write; 0, or SR_CP_INVALID with the cause. */
static int build_patch(struct sr_buf *b, const struct route *r,
		       const char *rv, const struct sr_cp_write *w,
		       struct sr_buf *err)
{
	struct sr_buf rec = SR_BUF_INIT, key = SR_BUF_INIT;

	if (r->attempts && w->ms / r->attempts < 1) {
		sr_buf_addf(err, "route '%s': %lld ms cannot hold %lld retry "
			    "attempts", r->name, w->ms, r->attempts);
		return SR_CP_INVALID;
	}
	sr_buf_adds(b, "[{\"op\":\"test\",\"path\":\"/metadata/"
		    "resourceVersion\",\"value\":");
	sr_buf_add_json(b, rv);
	sr_buf_addf(b, "},{\"op\":\"test\",\"path\":\"/spec/http/%zu/name\","
		    "\"value\":", r->index);
	sr_buf_add_json(b, r->name);
	sr_buf_addf(b, "},{\"op\":\"%s\",\"path\":\"/spec/http/%zu/timeout\","
		    "\"value\":\"%lldms\"}", r->timeout ? "replace" : "add",
		    r->index, w->ms);
	if (r->attempts)
		sr_buf_addf(b, ",{\"op\":\"%s\",\"path\":\"/spec/http/%zu/"
			    "retries/perTryTimeout\",\"value\":\"%lldms\"}",
			    r->has_per_try ? "replace" : "add", r->index,
			    w->ms / r->attempts);
	sr_cp_value_json(&rec, w);
	sr_buf_addf(&key, ANNOTATION "%s", r->name);
	if (r->has_annotations) {
		sr_buf_adds(b, ",{\"op\":\"add\",\"path\":\"/metadata/"
			    "annotations/");
		add_ptr_token(b, key.ptr);
		sr_buf_adds(b, "\",\"value\":");
		sr_buf_add_json(b, rec.ptr);
		sr_buf_adds(b, "}");
	} else {
		sr_buf_adds(b, ",{\"op\":\"add\",\"path\":\"/metadata/"
			    "annotations\",\"value\":{");
		sr_buf_add_json(b, key.ptr);
		sr_buf_addc(b, ':');
		sr_buf_add_json(b, rec.ptr);
		sr_buf_adds(b, "}}");
	}
	sr_buf_addc(b, ']');
	sr_buf_release(&rec);
	sr_buf_release(&key);
	return SR_CP_OK;
}

/*
 * After a 409/422/500: did the object move on (a conflict), or is it
 * already carrying this very write (an answer lost on the way back)?
 * Returns SR_CP_CONFLICT, SR_CP_OK (our write is in) or -1 (neither).
 */
static int recheck(struct ictx *c, const struct sr_cp_edge *e,
		   const char *rv, const struct route *before,
		   const struct sr_cp_write *w, char **new_version,
		   struct sr_buf *err)
{
	struct route now;
	struct sr_buf ignore = SR_BUF_INIT;
	struct sr_cp_value v = SR_CP_VALUE_INIT;
	long long ms = 0;
	int rc = -1;

	if (fetch(c, e, &now, &ignore) != SR_CP_OK) {
		sr_buf_release(&ignore);
		return SR_CP_CONFLICT;
	}
	if (now.timeout && route_ms(&now, "", &ms, &ignore) == SR_CP_OK)
		read_annotation(&now, ms, &v);
	if (!w->dry_run && w->change_id && v.change_id &&
	    !strcmp(v.change_id, w->change_id) && ms == w->ms) {
		if (new_version)
			*new_version = sr_xstrdup(now.rv);
		rc = SR_CP_OK;
	} else if (strcmp(now.rv, rv) || now.index != before->index ||
		   strcmp(now.name, before->name)) {
		sr_buf_addf(err, "control plane '%s': VirtualService %s/%s "
			    "changed since it was read (resourceVersion %s, "
			    "now %s)", c->conf->name, c->ns, e->target, rv,
			    now.rv);
		rc = SR_CP_CONFLICT;
	}
	sr_cp_value_release(&v);
	sr_buf_release(&ignore);
	route_release(&now);
	return rc;
}

static int istio_put(void *p, const struct sr_cp_edge *e,
		     const char *expect, const struct sr_cp_write *w,
		     char **new_version, struct sr_buf *err)
{
	struct ictx *c = p;
	struct route r;
	struct sr_buf url = SR_BUF_INIT, patch = SR_BUF_INIT;
	struct sr_http_resp resp = { 0 };
	struct sr_stream *s = NULL;
	const char *rv;
	int rc;

	if (new_version)
		*new_version = NULL;
	/* Like kubectl: read, then patch what was read. */
	rc = fetch(c, e, &r, err);
	if (rc != SR_CP_OK)
		return rc;
	rv = expect && *expect ? expect : r.rv;
	if (strcmp(rv, r.rv)) {
		sr_buf_addf(err, "control plane '%s': VirtualService %s/%s "
			    "changed since it was read (resourceVersion %s, "
			    "now %s)", c->conf->name, c->ns, e->target, rv,
			    r.rv);
		rc = SR_CP_CONFLICT;
		goto done;
	}
	rc = build_patch(&patch, &r, rv, w, err);
	if (rc != SR_CP_OK)
		goto done;
	vs_url(&url, c, c->api, e->target);
	sr_buf_adds(&url, w->dry_run ? "?dryRun=All&fieldManager="
		    FIELD_MANAGER : "?fieldManager=" FIELD_MANAGER);
	rc = kreq(c, "PATCH", url.ptr, patch.ptr, &resp, err);
	if (rc != SR_CP_OK) {
		struct sr_buf ignore = SR_BUF_INIT;

		/* The answer may be lost while the write landed. */
		if (rc == SR_CP_UNAVAILABLE &&
		    recheck(c, e, rv, &r, w, new_version, &ignore) ==
		    SR_CP_OK)
			rc = SR_CP_OK;
		sr_buf_release(&ignore);
		goto done;
	}
	if (resp.status == 200) {
		const char *nrv;

		s = sr_cpjson_parse(resp.body.ptr, resp.body.len, NULL);
		nrv = s ? sr_node_str(sr_map_path(s->docs[0].root, "metadata",
						  "resourceVersion", NULL))
			: NULL;
		if (new_version && nrv && !w->dry_run)
			*new_version = sr_xstrdup(nrv);
		goto done;
	}
	if (resp.status == 409 || resp.status == 422 || resp.status == 500) {
		int again = recheck(c, e, rv, &r, w, new_version, err);

		if (again >= 0) {
			rc = again;
			goto done;
		}
		if (resp.status == 409) {
			rc = status_error(c, "VirtualService update conflict",
					  &resp, err);
			rc = SR_CP_CONFLICT;
			goto done;
		}
	}
	rc = status_error(c, "cannot patch VirtualService", &resp, err);
done:
	sr_stream_free(s);
	sr_http_resp_release(&resp);
	sr_buf_release(&url);
	sr_buf_release(&patch);
	route_release(&r);
	return rc;
}

/* The service of route 'rt' of VirtualService 'vs': "<svc>-to-<vs>". */
static char *route_service(const struct sr_node *rt, const char *vs)
{
	const char *name = sr_node_str(sr_map_get(rt, "name"));
	size_t nl, vl = strlen(vs);

	if (!name)
		return NULL;
	nl = strlen(name);
	if (nl <= vl + 4 || strcmp(name + nl - vl, vs) ||
	    strncmp(name + nl - vl - 4, "-to-", 4))
		return NULL;
	return sr_xstrndup(name, nl - vl - 4);
}

static int istio_list(void *p,
		      int (*fn)(const struct sr_cp_edge *edge,
				const struct sr_cp_value *v, void *data),
		      void *data, struct sr_buf *err)
{
	struct ictx *c = p;
	struct sr_buf url = SR_BUF_INIT;
	struct sr_http_resp resp = { 0 };
	struct sr_stream *s = NULL;
	const struct sr_node *items;
	int rc, stop = 0;

	vs_url(&url, c, c->api, NULL);
	rc = kreq(c, "GET", url.ptr, NULL, &resp, err);
	if (rc != SR_CP_OK)
		goto done;
	if (resp.status != 200) {
		rc = status_error(c, "cannot list VirtualServices", &resp,
				  err);
		goto done;
	}
	s = sr_cpjson_parse(resp.body.ptr, resp.body.len, err);
	items = s ? sr_map_get(s->docs[0].root, "items") : NULL;
	if (!items || !sr_node_is_seq(items)) {
		sr_buf_addf(err, "%s: response has no \"items\" list",
			    url.ptr);
		rc = SR_CP_INVALID;
		goto done;
	}
	for (size_t i = 0; !stop && i < items->u.seq.n; i++) {
		const struct sr_node *vs = items->u.seq.items[i];
		const char *vname = sr_node_str(sr_map_path(vs, "metadata",
							    "name", NULL));
		const struct sr_node *http = sr_map_path(vs, "spec", "http",
							 NULL);

		for (size_t j = 0; vname && !stop && http &&
		     sr_node_is_seq(http) && j < http->u.seq.n; j++) {
			struct route r;
			struct sr_cp_value v = SR_CP_VALUE_INIT;
			struct sr_buf ignore = SR_BUF_INIT;
			char *svc = route_service(http->u.seq.items[j], vname);
			struct sr_cp_edge e = { svc, vname };

			memset(&r, 0, sizeof(r));
			r.obj = vs;
			if (svc && !find_route(&r, &e, "", &ignore) &&
			    r.index == j && r.timeout &&
			    !route_ms(&r, "", &v.ms, &ignore)) {
				v.version = sr_xstrdup(r.rv);
				read_annotation(&r, v.ms, &v);
				stop = fn(&e, &v, data);
			}
			sr_cp_value_release(&v);
			sr_buf_release(&ignore);
			free(svc);
		}
	}
done:
	sr_stream_free(s);
	sr_http_resp_release(&resp);
	sr_buf_release(&url);
	return rc;
}

const struct sr_cp_driver sr_cp_drv_istio = {
	"istio", istio_open, istio_get, istio_put, istio_list, istio_close
};

#include "cp/http.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dlfcn.h>

#include <curl/curl.h>

#include "base/xmalloc.h"
#include "cp/driver.h"
#include "cp/http1.h"
#include "base/banned.h"

struct sr_http {
	CURL *curl;		/* made by the first request that needs it */
	struct sr_http1 *plain;	/* plain http://, made likewise */
};

struct recv {
	struct sr_http_resp *resp;
	const struct sr_http_req *req;
	int too_large;
};

/*
 * libcurl is loaded with dlopen by the first request that needs it (not
 * plain http://, see plain_ok), not linked: with its TLS, LDAP, Kerberos
 * and RTMP dependencies it is some thirty shared libraries whose loading
 * costs about 10 ms, and only the control-plane commands make requests
 * (git does the same by putting its HTTP transport into a separate
 * program). SRCTL_CURL_SONAME is the library CMake found.
 */
static struct {
	int tried;
	char error[256];	/* why loading failed; "" when loaded */
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	void (*easy_reset)(CURL *c);
	void (*easy_cleanup)(CURL *c);
	const char *(*easy_strerror)(CURLcode cc);
	struct curl_slist *(*slist_append)(struct curl_slist *l,
					   const char *s);
	void (*slist_free_all)(struct curl_slist *l);
} lib;

/* dlsym returns an object pointer; POSIX guarantees the conversion. */
#define LOAD(field, name) \
	(*(void **)(&lib.field) = dlsym(handle, name)) != NULL

static void load_curl(void)
{
	void *handle;

	lib.tried = 1;
	handle = dlopen(SRCTL_CURL_SONAME, RTLD_LAZY | RTLD_LOCAL);
	if (!handle) {
		const char *why = dlerror();

		snprintf(lib.error, sizeof(lib.error), "%s",
			 why ? why : SRCTL_CURL_SONAME);
		return;
	}
	if (!(LOAD(global_init, "curl_global_init") &&
	      LOAD(easy_init, "curl_easy_init") &&
	      LOAD(easy_setopt, "curl_easy_setopt") &&
	      LOAD(easy_perform, "curl_easy_perform") &&
	      LOAD(easy_getinfo, "curl_easy_getinfo") &&
	      LOAD(easy_reset, "curl_easy_reset") &&
	      LOAD(easy_cleanup, "curl_easy_cleanup") &&
	      LOAD(easy_strerror, "curl_easy_strerror") &&
	      LOAD(slist_append, "curl_slist_append") &&
	      LOAD(slist_free_all, "curl_slist_free_all"))) {
		const char *why = dlerror();

		snprintf(lib.error, sizeof(lib.error), "%s",
			 why ? why : "a libcurl symbol is missing");
		return;	/* the handle stays open, as it would when linked */
	}
	lib.global_init(CURL_GLOBAL_DEFAULT);
}

#undef LOAD

struct sr_http *sr_http_new(void)
{
	return sr_xcalloc(1, sizeof(struct sr_http));
}

void sr_http_free(struct sr_http *h)
{
	if (!h)
		return;
	if (h->curl)
		lib.easy_cleanup(h->curl);
	sr_http1_free(h->plain);
	free(h);
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v;
}

/*
 * Can srctl's own HTTP/1.1 carry 'url'? Not when a proxy may apply (the
 * variables libcurl reads for http://; it then also honours no_proxy), and
 * not when SRCTL_HTTP_CLIENT=curl asks for libcurl throughout.
 */
static bool plain_ok(const char *url)
{
	const char *client = getenv("SRCTL_HTTP_CLIENT");

	if (client && !strcmp(client, "curl"))
		return false;
	if (env_set("http_proxy") || env_set("all_proxy") ||
	    env_set("ALL_PROXY"))
		return false;
	return sr_http1_url_ok(url);
}

void sr_http_resp_release(struct sr_http_resp *resp)
{
	sr_buf_release(&resp->body);
	for (size_t i = 0; i < SR_HTTP_MAX_WANT; i++) {
		free(resp->got[i]);
		resp->got[i] = NULL;
	}
	resp->status = 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	struct recv *r = user;
	size_t len = size * n;

	if (r->resp->body.len + len > SR_HTTP_BODY_MAX) {
		r->too_large = 1;
		return 0;
	}
	sr_buf_add(&r->resp->body, data, len);
	return len;
}

bool sr_http_header_is(const char *line, size_t len, const char *name,
		       const char **value, size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || line[n] != ':' || strncasecmp(line, name, n))
		return false;
	*value = line + n + 1;
	*vlen = len - n - 1;
	while (*vlen && (**value == ' ' || **value == '\t')) {
		(*value)++;
		(*vlen)--;
	}
	while (*vlen && ((*value)[*vlen - 1] == ' ' ||
			 (*value)[*vlen - 1] == '\t'))
		(*vlen)--;
	return true;
}

void sr_http_keep_wanted(const struct sr_http_req *req,
			 struct sr_http_resp *resp, const char *line,
			 size_t len)
{
	const char *v;
	size_t vl;

	for (size_t i = 0; req->want && req->want[i] && i < SR_HTTP_MAX_WANT;
	     i++) {
		if (sr_http_header_is(line, len, req->want[i], &v, &vl)) {
			free(resp->got[i]);
			resp->got[i] = sr_xstrndup(v, vl);
		}
	}
}

static size_t on_header(char *data, size_t size, size_t n, void *user)
{
	struct recv *r = user;
	size_t len = size * n, line = len;

	while (line && (data[line - 1] == '\n' || data[line - 1] == '\r'))
		line--;
	sr_http_keep_wanted(r->req, r->resp, data, line);
	return len;
}

/* curl copies the blob (CURL_BLOB_COPY): 'data' need not outlive this. */
static void set_blob(CURL *c, CURLoption opt, const char *data, size_t len)
{
	struct curl_blob blob;

	blob.data = (void *)(uintptr_t)data;
	blob.len = len;
	blob.flags = CURL_BLOB_COPY;
	lib.easy_setopt(c, opt, &blob);
}

static int curl_rc(CURLcode c)
{
	switch (c) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
		return SR_CP_TLS;
	default:
		return SR_CP_UNAVAILABLE;
	}
}

int sr_http_do(struct sr_http *h, const struct sr_http_req *req,
	       struct sr_http_resp *resp, struct sr_buf *err)
{
	CURL *c;
	struct curl_slist *hdrs = NULL;
	struct recv r = { resp, req, 0 };
	char errbuf[CURL_ERROR_SIZE] = "";
	long timeout = req->timeout_ms > 0 ? req->timeout_ms
					   : SR_HTTP_DEFAULT_TIMEOUT_MS;
	CURLcode cc;

	sr_buf_reset(&resp->body);
	for (size_t i = 0; i < SR_HTTP_MAX_WANT; i++) {
		free(resp->got[i]);
		resp->got[i] = NULL;
	}
	resp->status = 0;
	if (plain_ok(req->url)) {
		if (!h->plain)
			h->plain = sr_http1_new();
		return sr_http1_do(h->plain, req, resp, err);
	}
	if (!lib.tried)
		load_curl();
	if (!h->curl && !lib.error[0]) {
		h->curl = lib.easy_init();
		SR_ASSERT(h->curl);
	}
	c = h->curl;
	if (!c) {
		sr_buf_addf(err, "%s: cannot load libcurl: %s", req->url,
			    lib.error);
		return SR_CP_INVALID;
	}

	lib.easy_reset(c);
	lib.easy_setopt(c, CURLOPT_URL, req->url);
	lib.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	lib.easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout);
	lib.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout);
	lib.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	lib.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	lib.easy_setopt(c, CURLOPT_WRITEDATA, &r);
	lib.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	lib.easy_setopt(c, CURLOPT_HEADERDATA, &r);
	/* Only http(s): a config must not make srctl read file:// etc. */
	lib.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	lib.easy_setopt(c, CURLOPT_USERAGENT, "srctl");
	lib.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	lib.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->tls) {
		if (req->tls->ca)
			lib.easy_setopt(c, CURLOPT_CAINFO, req->tls->ca);
		if (req->tls->cert)
			lib.easy_setopt(c, CURLOPT_SSLCERT, req->tls->cert);
		if (req->tls->key)
			lib.easy_setopt(c, CURLOPT_SSLKEY, req->tls->key);
		if (req->tls->ca_pem_len)
			set_blob(c, CURLOPT_CAINFO_BLOB, req->tls->ca_pem,
				 req->tls->ca_pem_len);
		if (req->tls->cert_pem_len) {
			set_blob(c, CURLOPT_SSLCERT_BLOB, req->tls->cert_pem,
				 req->tls->cert_pem_len);
			lib.easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
		}
		if (req->tls->key_pem_len) {
			set_blob(c, CURLOPT_SSLKEY_BLOB, req->tls->key_pem,
				 req->tls->key_pem_len);
			lib.easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
		}
		if (req->tls->insecure) {
			lib.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
			lib.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
		}
	}
	if (req->headers)
		for (size_t i = 0; req->headers[i]; i++)
			hdrs = lib.slist_append(hdrs, req->headers[i]);
	/* No "Expect: 100-continue" round trip on larger bodies. */
	hdrs = lib.slist_append(hdrs, "Expect:");
	lib.easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	if (req->body || (req->method && !strcmp(req->method, "POST"))) {
		lib.easy_setopt(c, CURLOPT_POSTFIELDS,
				 req->body ? req->body : "");
		lib.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)req->body_len);
	}
	if (req->method && strcmp(req->method, "GET") &&
	    strcmp(req->method, "POST"))
		lib.easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	else if (req->method && !strcmp(req->method, "GET"))
		lib.easy_setopt(c, CURLOPT_HTTPGET, 1L);

	cc = lib.easy_perform(c);
	lib.slist_free_all(hdrs);
	lib.easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	if (r.too_large) {
		sr_buf_addf(err, "%s: response larger than %u bytes",
			    req->url, SR_HTTP_BODY_MAX);
		return SR_CP_INVALID;
	}
	if (cc != CURLE_OK) {
		sr_buf_addf(err, "%s: %s", req->url,
			    *errbuf ? errbuf : lib.easy_strerror(cc));
		return curl_rc(cc);
	}
	lib.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	return SR_CP_OK;
}

int sr_http_status_rc(long status)
{
	if (status >= 200 && status < 300)
		return SR_CP_OK;
	if (status == 401 || status == 403)
		return SR_CP_AUTH;
	if (status == 404 || status == 410)
		return SR_CP_NOT_FOUND;
	if (status == 409 || status == 412 || status == 428)
		return SR_CP_CONFLICT;
	if (status == 408 || status == 429 || status >= 500)
		return SR_CP_UNAVAILABLE;
	return SR_CP_INVALID;
}

void sr_http_add_escaped(struct sr_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' ||
		    ch == '~') {
			sr_buf_addc(b, (char)ch);
		} else {
			sr_buf_addc(b, '%');
			sr_buf_addc(b, hex[ch >> 4]);
			sr_buf_addc(b, hex[ch & 15]);
		}
	}
}

/*
 * A small HTTP client for the control-plane drivers, the Prometheus query
 * and the Pushgateway push: libcurl for https:// and whatever needs a
 * proxy, srctl's own HTTP/1.1 (cp/http1.h) for plain http:// otherwise,
 * which spares an adjust against a local control plane loading libcurl.
 * This is the only module that includes <curl/curl.h>; everything else
 * sees requests and responses.
 *
 * A session (struct sr_http) keeps its connection so that several requests
 * to the same server reuse it (and the TLS session). TLS verification is
 * always on unless the caller sets tls->insecure.
 *
 * Functions return SR_CP_* codes (cp/driver.h): SR_CP_OK when a response
 * arrived, whatever its status; SR_CP_TLS for certificate/handshake
 * failures; SR_CP_UNAVAILABLE for every other transport failure, including
 * the timeout. sr_http_status_rc maps a status to a code. Error texts
 * never contain request headers or bodies (they may carry secrets).
 */
#ifndef SR_CP_HTTP_H
#define SR_CP_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

struct sr_http_tls {
	const char *ca;		/* PEM CA bundle; NULL = system store */
	const char *cert;	/* client certificate (mTLS) or NULL */
	const char *key;	/* its key */
	int insecure;		/* skip verification (explicit opt-in) */
	/*
	 * PEM held in memory (kubeconfig *-data fields), used instead of
	 * the files above when set; len 0 = unset.
	 */
	const char *ca_pem;
	size_t ca_pem_len;
	const char *cert_pem;
	size_t cert_pem_len;
	const char *key_pem;
	size_t key_pem_len;
};

#define SR_HTTP_MAX_WANT 4
/* Bodies larger than this are a broken or hostile server. */
#define SR_HTTP_BODY_MAX (16u << 20)
#define SR_HTTP_DEFAULT_TIMEOUT_MS 10000L

struct sr_http_req {
	const char *method;	/* "GET", "PUT", "PATCH", "POST", "DELETE" */
	const char *url;
	const char *const *headers;	/* "Name: value", NULL-terminated */
	const char *body;	/* NULL: none */
	size_t body_len;
	long timeout_ms;	/* whole request; 0 = 10 s */
	const struct sr_http_tls *tls;	/* NULL = verify with system CAs */
	/* Response headers to return (case-insensitive), NULL-terminated. */
	const char *const *want;
};

struct sr_http_resp {
	long status;
	struct sr_buf body;
	/* values of req->want in order; NULL when absent. Owned. */
	char *got[SR_HTTP_MAX_WANT];
};

struct sr_http;

struct sr_http *sr_http_new(void);
void sr_http_free(struct sr_http *h);

/*
 * Perform 'req'. On SR_CP_OK 'resp' holds status, body and the wanted
 * headers (release with sr_http_resp_release, also after failures). On
 * failure a one-line cause naming the URL is appended to 'err'.
 */
int sr_http_do(struct sr_http *h, const struct sr_http_req *req,
	       struct sr_http_resp *resp, struct sr_buf *err);
void sr_http_resp_release(struct sr_http_resp *resp);

/*
 * The SR_CP_* code for an HTTP status: 2xx OK, 401/403 AUTH, 404/410
 * NOT_FOUND, 409/412/428 CONFLICT, 408/429/5xx UNAVAILABLE, other INVALID.
 */
int sr_http_status_rc(long status);

/*
 * For the two transports (libcurl's and cp/http1.c): is header line
 * 'line' (without its line end) header 'name' (case-insensitive)? Then
 * its value, trimmed, is 'value'/'vlen'.
 */
bool sr_http_header_is(const char *line, size_t len, const char *name,
		       const char **value, size_t *vlen);
/* Keep the value of a header line the request wants (the last wins). */
void sr_http_keep_wanted(const struct sr_http_req *req,
			 struct sr_http_resp *resp, const char *line,
			 size_t len);

/* Append 's' percent-encoded for a URL query value. */
void sr_http_add_escaped(struct sr_buf *b, const char *s);

#endif

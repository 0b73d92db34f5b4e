/*
 * Plain HTTP/1.1 over a TCP socket, for http:// requests that need no
 * proxy. libcurl can do this too, but loading it means mapping and
 * relocating some thirty shared libraries (TLS, LDAP, Kerberos, RTMP...),
 * about 13 ms, which is half of an on-call `srctl timeout adjust` against
 * a local etcd. https://, proxies, URLs with credentials and host names
 * other than localhost (resolving them could outlast the deadline) go
 * through libcurl (cp/http.c decides; SRCTL_HTTP_CLIENT=curl sends
 * everything there).
 *
 * What it speaks: one request at a time on a kept-alive connection
 * (reopened once if the server closed it while idle), Content-Length,
 * chunked and close-delimited bodies, 1xx interim responses skipped, the
 * whole exchange (name lookup, connect, send, receive) bounded by the
 * request's timeout. No redirects, like the libcurl path.
 */
#ifndef SR_CP_HTTP1_H
#define SR_CP_HTTP1_H

#include <stdbool.h>

#include "base/buf.h"
#include "cp/http.h"

struct sr_http1;

struct sr_http1 *sr_http1_new(void);
void sr_http1_free(struct sr_http1 *c);

/*
 * Is 'url' plain http:// to an IP address or localhost, without
 * credentials or anything odd?
 */
bool sr_http1_url_ok(const char *url);

/* As sr_http_do (cp/http.h), for a URL sr_http1_url_ok accepts. */
int sr_http1_do(struct sr_http1 *c, const struct sr_http_req *req,
		struct sr_http_resp *resp, struct sr_buf *err);

/*
 * The response half alone: read one response to 'req' from the connected
 * socket 'fd' (the fuzz target feeds it bytes through a socket pair).
 */
int sr_http1_read_response(int fd, const struct sr_http_req *req,
			   struct sr_http_resp *resp, struct sr_buf *err);

#endif

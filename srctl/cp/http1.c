#define _GNU_SOURCE	/* MSG_NOSIGNAL, SOCK_CLOEXEC */
#include "cp/http1.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "cp/driver.h"
#include "base/banned.h"

#define HEADERS_MAX (64u * 1024)
#define CHUNK_LINE_MAX 1024u

struct sr_http1 {
	int fd;			/* -1: no connection kept */
	char *authority;	/* host:port it is connected to */
};

struct target {
	char *host;		/* without IPv6 brackets */
	char *port;
	char *authority;	/* for Host: and for reuse */
	char *path;		/* the request-target */
};

/* One exchange: the socket, its input, the deadline and the URL for errors. */
struct xfer {
	int fd;
	long long deadline;
	long timeout_ms;
	const char *url;
	struct sr_buf in;
	size_t pos;		/* parsed up to here */
	bool got_any;		/* a byte of the response arrived */
};

struct sr_http1 *sr_http1_new(void)
{
	struct sr_http1 *c = sr_xcalloc(1, sizeof(*c));

	c->fd = -1;
	return c;
}

static void drop(struct sr_http1 *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->authority);
	c->authority = NULL;
}

void sr_http1_free(struct sr_http1 *c)
{
	if (!c)
		return;
	drop(c);
	free(c);
}

static void target_release(struct target *t)
{
	free(t->host);
	free(t->port);
	free(t->authority);
	free(t->path);
}

static bool parse_url(const char *url, struct target *t)
{
	const char *auth, *end, *h, *h_end, *p, *frag;
	long port = 80;

	memset(t, 0, sizeof(*t));
	if (strncasecmp(url, "http://", 7))
		return false;
	for (p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return false;
	auth = url + 7;
	end = auth + strcspn(auth, "/?#");
	if (end == auth || memchr(auth, '@', (size_t)(end - auth)))
		return false;
	if (*auth == '[') {
		h = auth + 1;
		h_end = memchr(h, ']', (size_t)(end - h));
		if (!h_end || h_end == h)
			return false;
		p = h_end + 1;
	} else {
		h = auth;
		h_end = memchr(auth, ':', (size_t)(end - auth));
		if (!h_end)
			h_end = end;
		if (h_end == h)
			return false;
		p = h_end;
	}
	if (p < end) {
		char *stop;

		if (*p != ':' || p + 1 == end || end - p > 6)
			return false;
		port = strtol(p + 1, &stop, 10);
		if (stop != end || port < 1 || port > 65535 || p[1] == '+' ||
		    p[1] == '-')
			return false;
	}
	t->host = sr_xstrndup(h, (size_t)(h_end - h));
	{
		struct sr_buf b = SR_BUF_INIT;

		sr_buf_addf(&b, "%ld", port);
		t->port = sr_buf_detach(&b);
	}
	t->authority = sr_xstrndup(auth, (size_t)(end - auth));
	frag = strchr(end, '#');
	if (!frag)
		frag = end + strlen(end);
	if (*end == '/') {
		t->path = sr_xstrndup(end, (size_t)(frag - end));
	} else {
		struct sr_buf b = SR_BUF_INIT;

		sr_buf_addc(&b, '/');
		sr_buf_add(&b, end, (size_t)(frag - end));
		t->path = sr_buf_detach(&b);
	}
	return true;
}

/*
 * An address, or localhost (from /etc/hosts): a name that needs DNS goes to
 * libcurl, whose resolver the deadline bounds (getaddrinfo cannot be).
 */
static bool literal_host(const char *host)
{
	unsigned char addr[sizeof(struct in6_addr)];

	return !strcasecmp(host, "localhost") ||
	       inet_pton(AF_INET, host, addr) == 1 ||
	       inet_pton(AF_INET6, host, addr) == 1;
}

bool sr_http1_url_ok(const char *url)
{
	struct target t;
	bool ok = parse_url(url, &t) && literal_host(t.host);

	target_release(&t);
	return ok;
}

static long left_ms(const struct xfer *x)
{
	long long left = x->deadline - sr_monotonic_ms();

	return left > 0 ? (long)left : 0;
}

static int timed_out(struct xfer *x, struct sr_buf *err, const char *doing)
{
	sr_buf_addf(err, "%s: timed out after %ld ms %s", x->url,
		    x->timeout_ms, doing);
	return SR_CP_UNAVAILABLE;
}

/* Wait for 'events' on the socket; 0 ready, 1 timed out. */
static int wait_fd(struct xfer *x, short events)
{
	struct pollfd p = { x->fd, events, 0 };

	for (;;) {
		long ms = left_ms(x);
		int r;

		if (ms <= 0)
			return 1;
		r = poll(&p, 1, ms > INT32_MAX ? INT32_MAX : (int)ms);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return 0;	/* the next call reports the error */
	}
}

static int connect_to(struct xfer *x, const struct target *t,
		      struct sr_buf *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	int gai, last_errno = 0, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	gai = getaddrinfo(t->host, t->port, &hints, &res);
	if (gai) {
		sr_buf_addf(err, "%s: cannot resolve host '%s': %s", x->url,
			    t->host, gai_strerror(gai));
		return SR_CP_UNAVAILABLE;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family,
				ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
				ai->ai_protocol);
		socklen_t len = sizeof(last_errno);

		if (fd < 0) {
			last_errno = errno;
			continue;
		}
		x->fd = fd;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno != EINPROGRESS) {
			last_errno = errno;
		} else if (wait_fd(x, POLLOUT)) {
			close(fd);
			x->fd = -1;
			freeaddrinfo(res);
			return timed_out(x, err, "connecting");
		} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &last_errno,
				      &len) == 0 && last_errno == 0) {
			break;
		}
		close(fd);
		x->fd = -1;
	}
	freeaddrinfo(res);
	if (x->fd < 0) {
		sr_buf_addf(err, "%s: cannot connect to %s: %s", x->url,
			    t->authority, strerror(last_errno));
		return SR_CP_UNAVAILABLE;
	}
	/* a request is one write; do not hold it back for an ACK */
	setsockopt(x->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return SR_CP_OK;
}

static bool has_header(const struct sr_http_req *req, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; req->headers && req->headers[i]; i++)
		if (!strncasecmp(req->headers[i], name, n) &&
		    req->headers[i][n] == ':')
			return true;
	return false;
}

static void build_request(struct sr_buf *out, const struct sr_http_req *req,
			  const struct target *t)
{
	const char *method = req->method ? req->method : "GET";

	sr_buf_addf(out, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, t->path,
		    t->authority);
	/* defaults the caller's own headers replace, as in libcurl */
	if (!has_header(req, "User-Agent"))
		sr_buf_adds(out, "User-Agent: srctl\r\n");
	if (!has_header(req, "Accept"))
		sr_buf_adds(out, "Accept: */*\r\n");
	for (size_t i = 0; req->headers && req->headers[i]; i++) {
		const char *h = req->headers[i];
		const char *colon = strchr(h, ':');

		/* "Name:" with no value removes a header, as in libcurl */
		if (!colon || !colon[1 + strspn(colon + 1, " \t")])
			continue;
		/* a header is one line: never let a value start another */
		if (strpbrk(h, "\r\n"))
			continue;
		sr_buf_adds(out, h);
		sr_buf_adds(out, "\r\n");
	}
	if (req->body || strcmp(method, "GET"))
		sr_buf_addf(out, "Content-Length: %zu\r\n",
			    req->body ? req->body_len : (size_t)0);
	sr_buf_adds(out, "\r\n");
}

/* Send 'len' bytes; SR_CP_OK, or a failure described in 'err'. */
static int send_all(struct xfer *x, const char *data, size_t len,
		    struct sr_buf *err)
{
	while (len) {
		ssize_t n = send(x->fd, data, len, MSG_NOSIGNAL);

		if (n > 0) {
			data += n;
			len -= (size_t)n;
		} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(x, POLLOUT))
				return timed_out(x, err, "sending");
		} else {
			sr_buf_addf(err, "%s: cannot send the request: %s",
				    x->url, strerror(n < 0 ? errno : EPIPE));
			return SR_CP_UNAVAILABLE;
		}
	}
	return SR_CP_OK;
}

/* Read more input: 1 when bytes came, 0 at end of stream, <0 SR_CP code. */
static int fill(struct xfer *x, struct sr_buf *err)
{
	for (;;) {
		ssize_t n;

		sr_buf_grow(&x->in, 16384);
		n = recv(x->fd, x->in.ptr + x->in.len, 16384, 0);
		if (n > 0) {
			x->in.len += (size_t)n;
			x->in.ptr[x->in.len] = '\0';
			x->got_any = true;
			return 1;
		}
		if (n == 0)
			return 0;
		if (errno == EAGAIN || errno == EINTR) {
			if (wait_fd(x, POLLIN))
				return -timed_out(x, err,
						  "waiting for the response");
			continue;
		}
		if (errno == ECONNRESET && !x->got_any)
			return 0;	/* an idle connection the server closed */
		sr_buf_addf(err, "%s: cannot read the response: %s", x->url,
			    strerror(errno));
		return -SR_CP_UNAVAILABLE;
	}
}

static int malformed(struct xfer *x, struct sr_buf *err, const char *what)
{
	sr_buf_addf(err, "%s: malformed HTTP response: %s", x->url, what);
	return SR_CP_UNAVAILABLE;
}

/* Make at least 'need' bytes available after x->pos; SR_CP_OK or a code. */
static int want_bytes(struct xfer *x, size_t need, struct sr_buf *err)
{
	while (x->in.len - x->pos < need) {
		int r = fill(x, err);

		if (r < 0)
			return -r;
		if (r == 0)
			return malformed(x, err, "the connection closed early");
	}
	return SR_CP_OK;
}

/* The next line (LF or CRLF ended) from x->pos, without its end. */
static int read_line(struct xfer *x, size_t max, const char **line,
		     size_t *len, struct sr_buf *err)
{
	for (;;) {
		const char *start = x->in.ptr ? x->in.ptr + x->pos : NULL;
		const char *nl = start ? memchr(start, '\n',
						x->in.len - x->pos) : NULL;
		int r;

		if (nl) {
			*len = (size_t)(nl - start);
			if (*len && start[*len - 1] == '\r')
				(*len)--;
			*line = start;
			x->pos = (size_t)(nl - x->in.ptr) + 1;
			return SR_CP_OK;
		}
		if (x->in.len - x->pos > max)
			return malformed(x, err, "line too long");
		r = fill(x, err);
		if (r < 0)
			return -r;
		if (r == 0 && x->got_any)
			return malformed(x, err, "the connection closed early");
		if (r == 0) {
			sr_buf_addf(err, "%s: the server closed the connection "
				    "without a response", x->url);
			return SR_CP_UNAVAILABLE;
		}
	}
}

struct head {
	long status;
	bool close;		/* the connection ends after this response */
	bool chunked;
	bool has_length;
	unsigned long long length;
};

static bool has_token(const char *v, size_t n, const char *token)
{
	size_t tl = strlen(token);

	for (size_t i = 0; i + tl <= n; i++)
		if (!strncasecmp(v + i, token, tl) &&
		    (i == 0 || v[i - 1] == ',' || v[i - 1] == ' ') &&
		    (i + tl == n || v[i + tl] == ',' || v[i + tl] == ' ' ||
		     v[i + tl] == ';'))
			return true;
	return false;
}

/* Status line and headers of one response (interim ones included). */
static int read_head(struct xfer *x, const struct sr_http_req *req,
		     struct sr_http_resp *resp, struct head *h,
		     struct sr_buf *err)
{
	size_t start = x->pos, len;
	const char *line;
	bool http10;
	int rc;

	memset(h, 0, sizeof(*h));
	rc = read_line(x, HEADERS_MAX, &line, &len, err);
	if (rc)
		return rc;
	if (len < 12 || strncmp(line, "HTTP/1.", 7) ||
	    (line[7] != '0' && line[7] != '1') || line[8] != ' ' ||
	    line[9] < '1' || line[9] > '5' || line[10] < '0' ||
	    line[10] > '9' || line[11] < '0' || line[11] > '9' ||
	    (len > 12 && line[12] != ' '))
		return malformed(x, err, "bad status line");
	http10 = line[7] == '0';
	h->close = http10;
	h->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 +
		    (line[11] - '0');
	for (;;) {
		const char *v;
		size_t vl;

		rc = read_line(x, HEADERS_MAX, &line, &len, err);
		if (rc)
			return rc;
		if (x->pos - start > HEADERS_MAX)
			return malformed(x, err, "headers too large");
		if (!len)
			break;
		if (line[0] == ' ' || line[0] == '\t' || !memchr(line, ':', len))
			return malformed(x, err, "bad header line");
		if (sr_http_header_is(line, len, "Content-Length", &v, &vl)) {
			unsigned long long n = 0;

			if (!vl)
				return malformed(x, err, "bad Content-Length");
			for (size_t i = 0; i < vl; i++) {
				if (v[i] < '0' || v[i] > '9' ||
				    n > (ULLONG_MAX - 9) / 10)
					return malformed(x, err,
							 "bad Content-Length");
				n = n * 10 + (unsigned)(v[i] - '0');
			}
			if (h->has_length && h->length != n)
				return malformed(x, err,
						 "conflicting Content-Length");
			h->has_length = true;
			h->length = n;
		} else if (sr_http_header_is(line, len, "Transfer-Encoding", &v, &vl)) {
			h->chunked = has_token(v, vl, "chunked");
			if (!h->chunked)
				return malformed(x, err, "unsupported "
						 "Transfer-Encoding");
		} else if (sr_http_header_is(line, len, "Connection", &v, &vl)) {
			if (has_token(v, vl, "close"))
				h->close = true;
			else if (http10 && has_token(v, vl, "keep-alive"))
				h->close = false;
		}
		sr_http_keep_wanted(req, resp, line, len);
	}
	return SR_CP_OK;
}

static int add_body(struct xfer *x, struct sr_http_resp *resp,
		    const char *data, size_t n, struct sr_buf *err)
{
	if (!n)
		return SR_CP_OK;
	if (n > SR_HTTP_BODY_MAX - resp->body.len) {
		sr_buf_addf(err, "%s: response larger than %u bytes", x->url,
			    SR_HTTP_BODY_MAX);
		return SR_CP_INVALID;
	}
	sr_buf_add(&resp->body, data, n);
	return SR_CP_OK;
}

static int read_chunked(struct xfer *x, const struct sr_http_req *req,
			struct sr_http_resp *resp, struct sr_buf *err)
{
	for (;;) {
		const char *line;
		size_t len, i = 0;
		unsigned long long size = 0;
		int rc = read_line(x, CHUNK_LINE_MAX, &line, &len, err);

		if (rc)
			return rc;
		for (; i < len && strchr("0123456789abcdefABCDEF", line[i]);
		     i++) {
			if (size > (ULLONG_MAX >> 4))
				return malformed(x, err, "chunk too large");
			size = size * 16 + (unsigned)(line[i] <= '9'
				? line[i] - '0' : (line[i] | 0x20) - 'a' + 10);
		}
		if (!i || (i < len && line[i] != ';' && line[i] != ' ' &&
			   line[i] != '\t'))
			return malformed(x, err, "bad chunk size");
		if (!size)
			break;
		if (size > SR_HTTP_BODY_MAX)
			return add_body(x, resp, NULL, (size_t)size, err);
		rc = want_bytes(x, (size_t)size, err);
		if (!rc)
			rc = add_body(x, resp, x->in.ptr + x->pos,
				      (size_t)size, err);
		if (rc)
			return rc;
		x->pos += (size_t)size;
		rc = read_line(x, 2, &line, &len, err);
		if (rc)
			return rc;
		if (len)
			return malformed(x, err, "chunk longer than its size");
	}
	/* trailer fields, up to the empty line (Caddy sends its ETag here) */
	for (size_t total = 0;;) {
		const char *line;
		size_t len;
		int rc = read_line(x, HEADERS_MAX, &line, &len, err);

		if (rc || !len)
			return rc;
		total += len;
		if (total > HEADERS_MAX)
			return malformed(x, err, "trailer too large");
		sr_http_keep_wanted(req, resp, line, len);
	}
}

static int read_body(struct xfer *x, const struct sr_http_req *req,
		     struct sr_http_resp *resp, struct head *h,
		     struct sr_buf *err)
{
	int rc;

	if ((req->method && !strcmp(req->method, "HEAD")) ||
	    h->status == 204 || h->status == 304)
		return SR_CP_OK;
	if (h->chunked)
		return read_chunked(x, req, resp, err);
	if (h->has_length) {
		if (h->length > SR_HTTP_BODY_MAX)
			return add_body(x, resp, NULL, (size_t)h->length, err);
		rc = want_bytes(x, (size_t)h->length, err);
		if (!rc)
			rc = add_body(x, resp, x->in.ptr + x->pos,
				      (size_t)h->length, err);
		if (!rc)
			x->pos += (size_t)h->length;
		return rc;
	}
	/* neither: the body is what comes until the server closes */
	h->close = true;
	for (;;) {
		int r;

		rc = add_body(x, resp, x->in.ptr + x->pos, x->in.len - x->pos,
			      err);
		if (rc)
			return rc;
		x->pos = x->in.len;
		r = fill(x, err);
		if (r <= 0)
			return r < 0 ? -r : SR_CP_OK;
	}
}

/* One response (after any interim ones): status, wanted headers, body. */
static int read_response(struct xfer *x, const struct sr_http_req *req,
			 struct sr_http_resp *resp, struct head *h,
			 struct sr_buf *err)
{
	int rc;

	do {
		sr_buf_reset(&resp->body);
		rc = read_head(x, req, resp, h, err);
		if (rc)
			return rc;
		if (h->status == 101)
			return malformed(x, err, "unexpected protocol switch");
	} while (h->status < 200);
	rc = read_body(x, req, resp, h, err);
	if (!rc)
		resp->status = h->status;
	return rc;
}

int sr_http1_read_response(int fd, const struct sr_http_req *req,
			   struct sr_http_resp *resp, struct sr_buf *err)
{
	struct xfer x;
	struct head h;
	int rc;

	memset(&x, 0, sizeof(x));
	x.fd = fd;
	x.timeout_ms = req->timeout_ms > 0 ? req->timeout_ms
					   : SR_HTTP_DEFAULT_TIMEOUT_MS;
	x.deadline = sr_monotonic_ms() + x.timeout_ms;
	x.url = req->url;
	rc = read_response(&x, req, resp, &h, err);
	sr_buf_release(&x.in);
	return rc;
}

static int exchange(struct sr_http1 *c, struct xfer *x,
		    const struct sr_http_req *req, const struct target *t,
		    const struct sr_buf *request, struct sr_http_resp *resp,
		    struct sr_buf *err)
{
	struct head h;
	int rc;

	rc = send_all(x, request->ptr, request->len, err);
	if (!rc && req->body)
		rc = send_all(x, req->body, req->body_len, err);
	if (!rc)
		rc = read_response(x, req, resp, &h, err);
	if (rc)
		return rc;
	/* keep the connection for the next request if it is clean */
	if (!h.close && x->pos == x->in.len) {
		c->fd = x->fd;
		c->authority = sr_xstrdup(t->authority);
		x->fd = -1;
	}
	return SR_CP_OK;
}

int sr_http1_do(struct sr_http1 *c, const struct sr_http_req *req,
		struct sr_http_resp *resp, struct sr_buf *err)
{
	struct target t;
	struct sr_buf request = SR_BUF_INIT;
	struct xfer x;
	long timeout = req->timeout_ms > 0 ? req->timeout_ms
					   : SR_HTTP_DEFAULT_TIMEOUT_MS;
	int rc = SR_CP_OK;

	if (!parse_url(req->url, &t)) {
		target_release(&t);
		sr_buf_addf(err, "%s: not a plain http:// URL", req->url);
		return SR_CP_INVALID;
	}
	memset(&x, 0, sizeof(x));
	x.fd = -1;
	x.timeout_ms = timeout;
	x.deadline = sr_monotonic_ms() + timeout;
	x.url = req->url;
	build_request(&request, req, &t);
	for (int attempt = 0; attempt < 2; attempt++) {
		bool reused = false;
		size_t mark = err->len;

		if (c->fd >= 0 && !strcmp(c->authority, t.authority)) {
			x.fd = c->fd;
			c->fd = -1;
			reused = true;
		}
		drop(c);
		if (!reused)
			rc = connect_to(&x, &t, err);
		if (!rc)
			rc = exchange(c, &x, req, &t, &request, resp, err);
		if (x.fd >= 0)
			close(x.fd);
		x.fd = -1;
		/*
		 * A kept connection the server closed while it was idle fails
		 * before any byte of a response: that request was not seen,
		 * so it goes once more on a new connection.
		 */
		if (!rc || !reused || x.got_any || left_ms(&x) <= 0)
			break;
		err->len = mark;
		if (err->ptr)
			err->ptr[mark] = '\0';
		sr_buf_reset(&x.in);
		x.pos = 0;
	}
	sr_buf_release(&x.in);
	sr_buf_release(&request);
	target_release(&t);
	return rc;
}

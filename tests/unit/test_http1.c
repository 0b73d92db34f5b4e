/*
 * srctl's own HTTP/1.1 (cp/http1.c) through sr_http_do, against a server
 * forked from the test that answers with scripted bytes: framing
 * (Content-Length, chunked with a trailer, close-delimited, interim 1xx),
 * connection reuse and a kept connection the server closed, the request
 * as sent, and every failure the drivers map to an exit code (refused,
 * timeout, truncated, malformed, too large). Real servers (etcd, Caddy,
 * Prometheus, the Pushgateway) are in tests/suites/.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "base/buf.h"
#include "base/clock.h"
#include "cp/driver.h"
#include "cp/http.h"
#include "cp/http1.h"
#include "base/banned.h"
#include "harness.h"

/* What the forked server does on each connection it accepts. */
struct script {
	int connections;	/* accept this many, one after the other */
	int per_conn;		/* requests answered on each connection */
	const char *answer;	/* sent after each request */
	int drip;		/* send one byte at a time */
	int hang;		/* read the request, then never answer */
};

struct server {
	pid_t pid;
	int port;
	char log[64];		/* the requests as received */
};

static void send_all(int fd, const char *s, size_t n, int drip)
{
	while (n) {
		ssize_t w = send(fd, s, drip ? 1 : n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
		if (drip)
			usleep(200);
	}
}

/* Read one request (headers and a Content-Length body) into 'b'. */
static int read_request(int fd, struct sr_buf *b)
{
	size_t start = b->len;

	for (;;) {
		char tmp[4096];
		const char *end = b->ptr ? strstr(b->ptr + start, "\r\n\r\n")
					 : NULL;
		ssize_t n;

		if (end) {
			const char *cl = strcasestr(b->ptr + start,
						    "Content-Length:");
			size_t want = (size_t)(end + 4 - b->ptr) +
				      (cl && cl < end ? strtoul(cl + 15, NULL,
								10) : 0);

			if (b->len >= want)
				return 0;
		}
		n = recv(fd, tmp, sizeof(tmp), 0);
		if (n <= 0)
			return -1;
		sr_buf_add(b, tmp, (size_t)n);
	}
}

static void serve(int lfd, const struct script *s, const char *log)
{
	struct sr_buf got = SR_BUF_INIT;
	FILE *f;

	for (int c = 0; c < s->connections; c++) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			break;
		for (int r = 0; r < s->per_conn; r++) {
			if (read_request(fd, &got) < 0)
				break;
			if (s->hang) {
				sleep(10);
				break;
			}
			send_all(fd, s->answer, strlen(s->answer), s->drip);
		}
		close(fd);
	}
	f = fopen(log, "w");
	if (f) {
		fwrite(got.ptr ? got.ptr : "", 1, got.len, f);
		fclose(f);
	}
	sr_buf_release(&got);
}

static int listen_any(int *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 8) || getsockname(fd, (struct sockaddr *)&a, &len))
		abort();
	*port = ntohs(a.sin_port);
	return fd;
}

static void start(struct server *sv, const struct script *s)
{
	int lfd = listen_any(&sv->port);

	snprintf(sv->log, sizeof(sv->log), "/tmp/srctl-http1-%d.log",
		 (int)getpid());
	fflush(NULL);
	sv->pid = fork();
	if (sv->pid < 0)
		abort();
	if (sv->pid == 0) {
		alarm(10);	/* a script the client never completes ends too */
		serve(lfd, s, sv->log);
		_exit(0);
	}
	close(lfd);
}

/* Wait for the server to end; the requests it received (caller owns). */
static char *finish_served(struct server *sv)
{
	struct sr_buf b = SR_BUF_INIT;
	char tmp[4096];
	size_t n;
	FILE *f;

	waitpid(sv->pid, NULL, 0);
	f = fopen(sv->log, "r");
	while (f && (n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		sr_buf_add(&b, tmp, n);
	if (f)
		fclose(f);
	unlink(sv->log);
	sr_buf_adds(&b, "");
	return sr_buf_detach(&b);
}

/* Stop the server now (it may be hanging on purpose). */
static char *finish(struct server *sv)
{
	kill(sv->pid, SIGTERM);
	return finish_served(sv);
}

static int request(struct sr_http *h, const struct server *sv,
		   const char *method, const char *path, const char *body,
		   long timeout_ms, struct sr_http_resp *resp,
		   struct sr_buf *err)
{
	static const char *const headers[] = { "X-Test: yes", "Expect:",
					       "Content-Type: application/json",
					       "accept: application/json",
					       NULL };
	static const char *const want[] = { "ETag", NULL };
	struct sr_buf url = SR_BUF_INIT;
	struct sr_http_req req;
	int rc;

	sr_buf_addf(&url, "http://127.0.0.1:%d%s", sv->port, path);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url.ptr;
	req.headers = headers;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.timeout_ms = timeout_ms;
	req.want = want;
	sr_buf_reset(err);
	rc = sr_http_do(h, &req, resp, err);
	sr_buf_release(&url);
	return rc;
}

static void test_content_length(void)
{
	struct script s = { 1, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
			    "etag: \"7\"\r\nConnection: close\r\n\r\nok", 0, 0 };
	struct server sv;
	struct sr_http *h = sr_http_new();
	struct sr_http_resp resp = { 0 };
	struct sr_buf err = SR_BUF_INIT, host = SR_BUF_INIT;
	char *log;

	start(&sv, &s);
	CHECK_INT(request(h, &sv, "POST", "/v3/kv/range?x=1#frag", "hello",
			  2000, &resp, &err), SR_CP_OK);
	CHECK_INT(resp.status, 200);
	CHECK_STR(sr_buf_cstr(&resp.body), "ok");
	CHECK_STR(resp.got[0], "\"7\"");
	log = finish_served(&sv);
	sr_buf_addf(&host, "\r\nHost: 127.0.0.1:%d\r\n", sv.port);
	CHECK(!strncmp(log, "POST /v3/kv/range?x=1 HTTP/1.1\r\n", 32));
	CHECK(strstr(log, host.ptr) != NULL);
	CHECK(strstr(log, "\r\nX-Test: yes\r\n") != NULL);
	CHECK(strstr(log, "\r\nContent-Length: 5\r\n\r\nhello") != NULL);
	CHECK(strstr(log, "Expect") == NULL);	/* "Name:" removes it */
	/* the caller's Accept replaces the default, User-Agent stays */
	CHECK(strstr(log, "\r\naccept: application/json\r\n") != NULL);
	CHECK(strstr(log, "Accept: */*") == NULL);
	CHECK(strstr(log, "\r\nUser-Agent: srctl\r\n") != NULL);
	free(log);
	sr_buf_release(&host);
	sr_buf_release(&err);
	sr_http_resp_release(&resp);
	sr_http_free(h);
}

static void test_chunked_drip_trailer(void)
{
	struct script s = { 1, 1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
			    "chunked\r\nTrailer: ETag\r\n\r\n5;ext=1\r\nhello"
			    "\r\n6\r\n world\r\n0\r\nETag: \"t1\"\r\n\r\n", 1,
			    0 };
	struct server sv;
	struct sr_http *h = sr_http_new();
	struct sr_http_resp resp = { 0 };
	struct sr_buf err = SR_BUF_INIT;

	start(&sv, &s);
	CHECK_INT(request(h, &sv, "GET", "/x", NULL, 5000, &resp, &err),
		  SR_CP_OK);
	CHECK_INT(resp.status, 200);
	CHECK_STR(sr_buf_cstr(&resp.body), "hello world");
	CHECK_STR(resp.got[0], "\"t1\"");	/* from the trailer */
	sr_http_free(h);	/* closes the kept connection: server ends */
	free(finish_served(&sv));
	sr_buf_release(&err);
	sr_http_resp_release(&resp);
}

static void test_close_delimited_and_interim(void)
{
	struct script eof = { 1, 1, "HTTP/1.0 200 OK\r\n\r\nuntil close", 0,
			      0 };
	struct script cont = { 1, 1, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 "
			       "201 Created\r\nContent-Length: 0\r\n"
			       "Connection: close\r\n\r\n", 0, 0 };
	struct server sv;
	struct sr_http *h = sr_http_new();
	struct sr_http_resp resp = { 0 };
	struct sr_buf err = SR_BUF_INIT;

	start(&sv, &eof);
	CHECK_INT(request(h, &sv, "GET", "", NULL, 2000, &resp, &err),
		  SR_CP_OK);
	CHECK_STR(sr_buf_cstr(&resp.body), "until close");
	free(finish_served(&sv));
	start(&sv, &cont);
	CHECK_INT(request(h, &sv, "PUT", "/v", "{}", 2000, &resp, &err),
		  SR_CP_OK);
	CHECK_INT(resp.status, 201);
	CHECK_INT(resp.body.len, 0);
	free(finish_served(&sv));
	sr_buf_release(&err);
	sr_http_resp_release(&resp);
	sr_http_free(h);
}

static void test_reuse(void)
{
	/* one connection, two requests: a second connect would hang */
	struct script one = { 1, 2, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
			      "\r\nA", 0, 0 };
	/* the server closes after each answer without saying so */
	struct script stale = { 2, 1, "HTTP/1.1 200 OK\r\nContent-Length: 1"
				"\r\n\r\nB", 0, 0 };
	struct server sv;
	struct sr_http *h = sr_http_new();
	struct sr_http_resp resp = { 0 };
	struct sr_buf err = SR_BUF_INIT;
	char *log;

	start(&sv, &one);
	CHECK_INT(request(h, &sv, "POST", "/a", "1", 2000, &resp, &err),
		  SR_CP_OK);
	CHECK_INT(request(h, &sv, "POST", "/b", "2", 2000, &resp, &err),
		  SR_CP_OK);
	CHECK_STR(sr_buf_cstr(&resp.body), "A");
	sr_http_free(h);
	log = finish_served(&sv);
	CHECK(strstr(log, "POST /a ") && strstr(log, "POST /b "));
	free(log);

	h = sr_http_new();
	start(&sv, &stale);
	CHECK_INT(request(h, &sv, "POST", "/a", "1", 2000, &resp, &err),
		  SR_CP_OK);
	usleep(50 * 1000);	/* let the close arrive */
	CHECK_INT(request(h, &sv, "POST", "/b", "2", 2000, &resp, &err),
		  SR_CP_OK);
	CHECK_STR(sr_buf_cstr(&resp.body), "B");
	log = finish_served(&sv);
	CHECK(strstr(log, "POST /b ") != NULL);
	free(log);
	sr_buf_release(&err);
	sr_http_resp_release(&resp);
	sr_http_free(h);
}

static void expect_failure(const struct script *s, const char *path,
			   long timeout_ms, int rc, const char *msg)
{
	struct server sv;
	struct sr_http *h = sr_http_new();
	struct sr_http_resp resp = { 0 };
	struct sr_buf err = SR_BUF_INIT;
	long long t0 = sr_monotonic_ms();

	start(&sv, s);
	CHECK_INT(request(h, &sv, "GET", path, NULL, timeout_ms, &resp,
			  &err), rc);
	if (!strstr(sr_buf_cstr(&err), msg)) {
		fprintf(stderr, "  error: %s\n  wanted: %s\n",
			sr_buf_cstr(&err), msg);
		CHECK(!"the error names the cause");
	}
	CHECK(strstr(sr_buf_cstr(&err), "http://127.0.0.1:") != NULL);
	CHECK(sr_monotonic_ms() - t0 < timeout_ms + 1000);
	sr_http_free(h);
	free(finish(&sv));
	sr_buf_release(&err);
	sr_http_resp_release(&resp);
}

static void test_failures(void)
{
	struct script hang = { 1, 1, "", 0, 1 };
	struct script huge = { 1, 1, "HTTP/1.1 200 OK\r\nContent-Length: "
			       "20000000\r\n\r\nx", 0, 0 };
	struct script bad = { 1, 1, "HTTP/1.1 2x0 OK\r\n\r\n", 0, 0 };
	struct script cut = { 1, 1, "HTTP/1.1 200 OK\r\nContent-Length: 10"
			      "\r\n\r\nabc", 0, 0 };
	struct script cutchunk = { 1, 1, "HTTP/1.1 200 OK\r\nTransfer-"
				   "Encoding: chunked\r\n\r\nzz\r\n", 0, 0 };
	struct script silent = { 1, 1, "", 0, 0 };
	int port, fd;
	struct server sv;
	struct sr_http *h = sr_http_new();
	struct sr_http_resp resp = { 0 };
	struct sr_buf err = SR_BUF_INIT;

	expect_failure(&hang, "/slow", 300, SR_CP_UNAVAILABLE,
		       "timed out after 300 ms");
	expect_failure(&huge, "/", 2000, SR_CP_INVALID,
		       "response larger than");
	expect_failure(&bad, "/", 2000, SR_CP_UNAVAILABLE,
		       "malformed HTTP response: bad status line");
	expect_failure(&cut, "/", 2000, SR_CP_UNAVAILABLE,
		       "closed early");
	expect_failure(&cutchunk, "/", 2000, SR_CP_UNAVAILABLE,
		       "bad chunk size");
	expect_failure(&silent, "/", 2000, SR_CP_UNAVAILABLE,
		       "closed the connection without a response");

	/* nobody listening */
	fd = listen_any(&port);
	close(fd);
	sv.port = port;
	CHECK_INT(request(h, &sv, "GET", "/", NULL, 2000, &resp, &err),
		  SR_CP_UNAVAILABLE);
	CHECK(strstr(sr_buf_cstr(&err), "cannot connect") != NULL);
	sr_http_free(h);
	sr_buf_release(&err);
	sr_http_resp_release(&resp);
}

/* With a proxy in the environment the request is libcurl's (to the proxy). */
static void test_proxy_goes_to_libcurl(void)
{
	struct script s = { 1, 1, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
			    "\r\n", 0, 0 };
	struct server sv;
	struct sr_http *h = sr_http_new();
	struct sr_http_resp resp = { 0 };
	struct sr_buf err = SR_BUF_INIT, proxy = SR_BUF_INIT;
	int port, fd = listen_any(&port);

	close(fd);
	sr_buf_addf(&proxy, "http://127.0.0.1:%d", port);
	setenv("http_proxy", proxy.ptr, 1);
	start(&sv, &s);
	CHECK(request(h, &sv, "GET", "/", NULL, 2000, &resp, &err) !=
	      SR_CP_OK);
	unsetenv("http_proxy");
	free(finish(&sv));
	sr_buf_release(&proxy);
	sr_buf_release(&err);
	sr_http_resp_release(&resp);
	sr_http_free(h);
}

static void test_urls(void)
{
	CHECK(sr_http1_url_ok("http://localhost:2379"));
	CHECK(!sr_http1_url_ok("http://etcd.internal:2379"));	/* DNS */
	CHECK(sr_http1_url_ok("HTTP://127.0.0.1/v3/kv/range"));
	CHECK(sr_http1_url_ok("http://[::1]:2379/x?y=1"));
	CHECK(sr_http1_url_ok("http://127.0.0.1?q"));
	CHECK(!sr_http1_url_ok("https://etcd:2379"));
	CHECK(!sr_http1_url_ok("http://user:pw@etcd:2379"));
	CHECK(!sr_http1_url_ok("http://"));
	CHECK(!sr_http1_url_ok("http://:80/"));
	CHECK(!sr_http1_url_ok("http://h:/"));
	CHECK(!sr_http1_url_ok("http://h:0/"));
	CHECK(!sr_http1_url_ok("http://h:65536/"));
	CHECK(!sr_http1_url_ok("http://h:+80/"));
	CHECK(!sr_http1_url_ok("http://h/a b"));
	CHECK(!sr_http1_url_ok("http://h/a\r\nX: y"));
	CHECK(!sr_http1_url_ok("http://[::1/"));
	CHECK(!sr_http1_url_ok("file:///etc/passwd"));
}

int main(void)
{
	unsetenv("http_proxy");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	unsetenv("SRCTL_HTTP_CLIENT");
	test_urls();
	test_content_length();
	test_chunked_drip_trailer();
	test_close_delimited_and_interim();
	test_reuse();
	test_failures();
	test_proxy_goes_to_libcurl();
	return sr_test_done();
}

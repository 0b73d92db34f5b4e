/*
 * libFuzzer target for srctl's HTTP/1.1 response reader (srctl/cp/http1.c):
 * the input is what a hostile or broken server sends, fed through a socket
 * pair. Whatever it is, the reader returns (no crash, no hang: the write
 * side is closed, so it ends at the end of the input) with either a
 * response whose status is 200..599 and whose body is within the limit,
 * or an error that names the URL.
 *
 * tests/fuzz/run.sh builds and runs it (FUZZ_TARGETS=http).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/socket.h>

#include "base/buf.h"
#include "cp/driver.h"
#include "cp/http1.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const want[] = { "ETag", "Content-Type", NULL };
	struct sr_http_req req;
	struct sr_http_resp resp;
	struct sr_buf err = SR_BUF_INIT;
	int sv[2], big = 1 << 20, rc;

	if (size > 256 * 1024 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return 0;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	if (size && write(sv[0], data, size) != (ssize_t)size)
		abort();
	shutdown(sv[0], SHUT_WR);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.method = (size & 1) ? "HEAD" : "GET";
	req.url = "http://fuzz.invalid/";
	req.timeout_ms = 2000;
	req.want = want;
	rc = sr_http1_read_response(sv[1], &req, &resp, &err);
	if (rc == SR_CP_OK) {
		if (resp.status < 200 || resp.status > 599 ||
		    resp.body.len > SR_HTTP_BODY_MAX)
			abort();
	} else if (!strstr(sr_buf_cstr(&err), "http://fuzz.invalid/")) {
		abort();
	}
	sr_buf_release(&err);
	sr_http_resp_release(&resp);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

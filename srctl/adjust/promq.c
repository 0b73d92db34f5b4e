#include "adjust/promq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "cp/driver.h"
#include "cp/http.h"
#include "doc/doc.h"
#include "base/banned.h"

static void ignore_problem(void *payload, const char *rule,
			   struct sr_pos pos, const char *message)
{
	(void)payload;
	(void)rule;
	(void)pos;
	(void)message;
}

/* [timestamp, "value"] -> value */
static int sample(double *out, const struct sr_node *pair)
{
	const char *s;
	char *end;

	if (!sr_node_is_seq(pair) || pair->u.seq.n != 2)
		return -1;
	s = sr_node_str(pair->u.seq.items[1]);
	if (!s)
		return -1;
	*out = strtod(s, &end);
	return *end || !isfinite(*out) ? -1 : 0;
}

int sr_promq_instant(double *out, const char *url, const char *query,
		     long timeout_ms, struct sr_buf *err)
{
	struct sr_doc_limits lim = SR_DOC_LIMITS_INIT;
	struct sr_http *h = sr_http_new();
	struct sr_http_resp resp = { 0 };
	struct sr_http_req req;
	struct sr_buf u = SR_BUF_INIT;
	struct sr_stream *st = NULL;
	const struct sr_node *root, *data, *result;
	const char *type;
	size_t ul = strlen(url);
	int rc;

	sr_buf_add(&u, url, ul && url[ul - 1] == '/' ? ul - 1 : ul);
	sr_buf_adds(&u, "/api/v1/query?query=");
	sr_http_add_escaped(&u, query);
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.url = u.ptr;
	req.timeout_ms = timeout_ms;
	rc = sr_http_do(h, &req, &resp, err);
	if (rc)
		goto out;
	st = sr_stream_parse_json(resp.body.ptr ? resp.body.ptr : "",
				  resp.body.len, &lim, ignore_problem, NULL);
	root = st->n ? st->docs[0].root : NULL;
	if (resp.status != 200) {
		const char *e = sr_node_str(sr_map_get(root, "error"));

		sr_buf_addf(err, "Prometheus query failed: HTTP %ld%s%s",
			    resp.status, e ? ": " : "", e ? e : "");
		rc = resp.status == 400 || resp.status == 422
			     ? SR_CP_INVALID : sr_http_status_rc(resp.status);
		if (rc == SR_CP_OK)
			rc = SR_CP_INVALID;
		goto out;
	}
	data = sr_map_get(root, "data");
	type = sr_node_str(sr_map_get(data, "resultType"));
	result = sr_map_get(data, "result");
	if (type && !strcmp(type, "scalar") && !sample(out, result))
		goto out;
	if (type && !strcmp(type, "vector") && sr_node_is_seq(result) &&
	    result->u.seq.n == 1 &&
	    !sample(out, sr_map_get(result->u.seq.items[0], "value")))
		goto out;
	if (type && !strcmp(type, "vector") && sr_node_is_seq(result) &&
	    result->u.seq.n > 1)
		sr_buf_addf(err, "Prometheus query returned %zu series, "
			    "expected exactly 1 (aggregate it, e.g. "
			    "histogram_quantile(0.99, sum by (le) (...)))",
			    result->u.seq.n);
	else if (type && !strcmp(type, "vector"))
		sr_buf_adds(err, "Prometheus query returned no data (no "
			    "series matched, or a sample was not a number)");
	else
		sr_buf_addf(err, "Prometheus query returned %s, expected "
			    "one sample (or NaN)", type ? type : "no result");
	rc = SR_CP_INVALID;
out:
	sr_stream_free(st);
	sr_http_resp_release(&resp);
	sr_http_free(h);
	sr_buf_release(&u);
	return rc;
}

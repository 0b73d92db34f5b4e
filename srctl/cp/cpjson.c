#include "cp/cpjson.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "base/banned.h"

struct first_problem {
	struct sr_buf *err;
	int seen;
};

static void on_problem(void *payload, const char *rule, struct sr_pos pos,
		       const char *message)
{
	struct first_problem *fp = payload;

	(void)rule;
	if (fp->seen++ || !fp->err)
		return;
	sr_buf_addf(fp->err, "invalid JSON at %u:%u: %s", pos.line, pos.col,
		    message);
}

struct sr_stream *sr_cpjson_parse(const char *text, size_t len,
				  struct sr_buf *err)
{
	struct sr_doc_limits lim = SR_DOC_LIMITS_INIT;
	struct first_problem fp = { err, 0 };
	struct sr_stream *s;

	if (!text || !len) {
		if (err)
			sr_buf_adds(err, "empty response body");
		return NULL;
	}
	s = sr_stream_parse_json(text, len, &lim, on_problem, &fp);
	if (fp.seen || !s->n || !s->docs[0].root) {
		if (!fp.seen && err)
			sr_buf_adds(err, "empty JSON document");
		sr_stream_free(s);
		return NULL;
	}
	return s;
}

int sr_cpjson_int(const struct sr_node *n, long long *out)
{
	if (!n || !sr_node_is_scalar(n) || n->style != SR_STYLE_PLAIN)
		return 0;
	return sr_node_int(n, out);
}

char *sr_cpjson_strdup(const struct sr_node *n)
{
	if (!n || !sr_node_is_scalar(n) || n->style == SR_STYLE_PLAIN)
		return NULL;
	return sr_xstrdup(sr_node_str(n));
}

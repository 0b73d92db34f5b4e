#include "cp/cpjson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

long long sr_cpjson_time(const struct sr_node *n)
{
	const char *s;
	struct tm tm;
	int y, mo, d, h, mi, sec, used = 0;

	if (!n || !sr_node_is_scalar(n) || n->style == SR_STYLE_PLAIN)
		return 0;
	s = sr_node_str(n);
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
		   &sec, &used) != 6 || !used)
		return 0;
	s += used;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	if (strcmp(s, "Z"))
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return (long long)timegm(&tm);
}

void sr_cpjson_emit(struct sr_buf *b, const struct sr_node *n)
{
	if (!n) {
		sr_buf_adds(b, "null");
		return;
	}
	switch (n->type) {
	case SR_NODE_SCALAR:
		if (n->style == SR_STYLE_PLAIN)
			sr_buf_adds(b, *n->u.scalar.str ? n->u.scalar.str
							: "null");
		else
			sr_buf_add_json(b, n->u.scalar.str);
		break;
	case SR_NODE_SEQ:
		sr_buf_addc(b, '[');
		for (size_t i = 0; i < n->u.seq.n; i++) {
			if (i)
				sr_buf_addc(b, ',');
			sr_cpjson_emit(b, n->u.seq.items[i]);
		}
		sr_buf_addc(b, ']');
		break;
	case SR_NODE_MAP:
		sr_buf_addc(b, '{');
		for (size_t i = 0; i < n->u.map.n; i++) {
			if (i)
				sr_buf_addc(b, ',');
			sr_buf_add_json(b, sr_node_str(n->u.map.pairs[i].key));
			sr_buf_addc(b, ':');
			sr_cpjson_emit(b, n->u.map.pairs[i].value);
		}
		sr_buf_addc(b, '}');
		break;
	}
}

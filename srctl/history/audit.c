#include "history/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "history/policy.h"
#include "base/banned.h"

static char *dup_or_null(const char *s)
{
	return s ? sr_xstrdup(s) : NULL;
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static struct sr_audit_entry *push(struct sr_audit *a,
				   enum sr_audit_source source,
				   const struct sr_audit_origin *o,
				   const char *service, const char *target,
				   const char *field, const char *old_value,
				   const char *new_value)
{
	struct sr_audit_entry *e;

	a->v = sr_xgrow(a->v, &a->cap, a->n + 1, sizeof(*a->v));
	e = &a->v[a->n];
	memset(e, 0, sizeof(*e));
	e->seq = a->n++;
	e->source = source;
	e->id = dup_or_null(o->id);
	e->short_id = dup_or_null(o->short_id);
	e->author = dup_or_null(o->author);
	e->email = dup_or_null(o->email);
	e->time = o->time;
	e->offset = o->offset;
	e->service = sr_xstrdup(service ? service : "?");
	e->target = sr_xstrdup(target);
	e->field = sr_xstrdup(field);
	e->old_value = dup_or_null(old_value);
	e->new_value = dup_or_null(new_value);
	return e;
}

void sr_audit_diff(struct sr_audit *a, const struct sr_audit_origin *o,
		   const char *old_path, const char *old_service,
		   const char *old_text, size_t old_len,
		   const char *new_path, const char *new_service,
		   const char *new_text, size_t new_len)
{
	struct sr_policy before = SR_POLICY_INIT, after = SR_POLICY_INIT;
	bool same_service = same(old_service, new_service);
	size_t i;

	if (old_text)
		sr_policy_extract(&before, old_path, old_text, old_len);
	if (new_text)
		sr_policy_extract(&after, new_path, new_text, new_len);

	/* changed and added values, in the new version's order */
	for (i = 0; i < after.n; i++) {
		const struct sr_policy_value *nv = &after.v[i];
		const struct sr_policy_value *ov = same_service ?
			sr_policy_find(&before, nv->target, nv->field) : NULL;
		struct sr_audit_entry *e;

		if (ov && !strcmp(ov->value, nv->value))
			continue;
		if (a->service && !same(a->service, new_service))
			continue;
		e = push(a, SR_AUDIT_GIT, o, new_service, nv->target,
			 nv->field, ov ? ov->value : NULL, nv->value);
		e->path = sr_xstrdup(new_path);
	}
	/* removed values, in the old version's order */
	for (i = 0; i < before.n; i++) {
		const struct sr_policy_value *ov = &before.v[i];
		struct sr_audit_entry *e;

		if (same_service && sr_policy_find(&after, ov->target,
						   ov->field))
			continue;
		if (a->service && !same(a->service, old_service))
			continue;
		e = push(a, SR_AUDIT_GIT, o, old_service, ov->target,
			 ov->field, ov->value, NULL);
		e->path = sr_xstrdup(new_path ? new_path : old_path);
	}
	sr_policy_release(&before);
	sr_policy_release(&after);
}

/* --- the adjustment log ---------------------------------------------- */

static void ignore_problem(void *payload, const char *rule,
			   struct sr_pos pos, const char *message)
{
	(void)rule;
	(void)pos;
	*(const char **)payload = message ? "not valid JSON" : NULL;
}

static const char *scalar(const struct sr_node *n)
{
	return n && n->type == SR_NODE_SCALAR && !sr_node_is_null(n) ?
		sr_node_str(n) : NULL;
}

/* One adjustment object; NULL, or why it is not one. */
static const char *add_adjustment(struct sr_audit *a,
				  const struct sr_node *obj, long long since)
{
	struct sr_audit_origin o = { NULL, NULL, NULL, NULL, 0, 0 };
	const struct sr_node *old_n, *new_n;
	const char *service, *target, *when, *field;
	struct sr_audit_entry *e;
	size_t i, first = a->n;

	if (!sr_node_is_map(obj))
		return "not a JSON object";
	service = scalar(sr_map_get(obj, "service"));
	target = scalar(sr_map_get(obj, "target"));
	when = scalar(sr_map_get(obj, "when"));
	if (!service || !target || !when)
		return "needs 'service', 'target' and 'when'";
	if (!sr_audit_parse_time(when, &o.time, &o.offset))
		return "'when' is not an ISO 8601 time";
	if (since && o.time < since)
		return NULL;
	if (a->service && strcmp(a->service, service) != 0)
		return NULL;
	o.author = scalar(sr_map_get(obj, "who"));
	old_n = sr_map_get(obj, "old");
	new_n = sr_map_get(obj, "new");
	field = scalar(sr_map_get(obj, "field"));

	if (sr_node_is_map(old_n) || sr_node_is_map(new_n)) {
		/* {base, max, ...}: one entry per value that changed */
		const struct sr_node *maps[2] = { new_n, old_n };
		size_t m;

		for (m = 0; m < 2; m++) {
			const struct sr_node *n = maps[m];

			for (i = 0; sr_node_is_map(n) && i < n->u.map.n; i++) {
				const char *k =
					sr_node_str(n->u.map.pairs[i].key);
				const char *ov = scalar(sr_map_get(old_n, k));
				const char *nv = scalar(sr_map_get(new_n, k));

				if (!k || same(ov, nv) ||
				    (m == 1 && sr_map_get(new_n, k)))
					continue;
				push(a, SR_AUDIT_ADJUSTMENT, &o, service,
				     target, k, ov, nv);
			}
		}
	} else {
		push(a, SR_AUDIT_ADJUSTMENT, &o, service, target,
		     field ? field : "value", scalar(old_n), scalar(new_n));
	}
	for (i = first; i < a->n; i++) {
		e = &a->v[i];
		e->reason = dup_or_null(scalar(sr_map_get(obj, "reason")));
		e->outcome = dup_or_null(scalar(sr_map_get(obj, "outcome")));
	}
	return NULL;
}

int sr_audit_load_adjustments(struct sr_audit *a, const char *path,
			      long long since, struct sr_buf *warnings)
{
	const struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	char *text = NULL;
	size_t len = 0;
	const char *p, *end;
	unsigned line = 0;
	int rc;

	rc = sr_fs_read(&text, &len, path, 256u << 20);
	if (rc < 0)
		return SR_ERROR;
	for (p = text, end = text + len; p < end; ) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *why = NULL;
		struct sr_stream *s;
		size_t n;

		if (!eol)
			eol = end;
		n = (size_t)(eol - p);
		line++;
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n) {
			s = sr_stream_parse_json(p, n, &limits, ignore_problem,
						 &why);
			if (!why && s->n != 1)
				why = "not one JSON object";
			if (!why)
				why = add_adjustment(a, s->docs[0].root, since);
			if (why)
				sr_buf_addf(warnings, "%s:%u: %s\n", path,
					    line, why);
			sr_stream_free(s);
		}
		p = eol + 1;
	}
	free(text);
	return 0;
}

static int by_time(const void *x, const void *y)
{
	const struct sr_audit_entry *a = x, *b = y;

	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void sr_audit_merge(struct sr_audit *a)
{
	struct sr_audit_entry *out, *adj;
	size_t n_adj = 0, i, j = 0, k = 0;

	for (i = 0; i < a->n; i++)
		n_adj += a->v[i].source == SR_AUDIT_ADJUSTMENT;
	if (!n_adj)
		return;
	adj = sr_xmalloc(n_adj * sizeof(*adj));
	out = sr_xmalloc(a->n * sizeof(*out));
	for (i = 0; i < a->n; i++)
		if (a->v[i].source == SR_AUDIT_ADJUSTMENT)
			adj[j++] = a->v[i];
	qsort(adj, n_adj, sizeof(*adj), by_time);
	/* commits stay in history order; an adjustment goes before the
	 * first commit entry that is later than it */
	j = 0;
	for (i = 0; i < a->n; i++) {
		if (a->v[i].source != SR_AUDIT_GIT)
			continue;
		while (j < n_adj && adj[j].time <= a->v[i].time)
			out[k++] = adj[j++];
		out[k++] = a->v[i];
	}
	while (j < n_adj)
		out[k++] = adj[j++];
	free(adj);
	free(a->v);
	a->v = out;
	a->cap = a->n;
}

void sr_audit_release(struct sr_audit *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		struct sr_audit_entry *e = &a->v[i];

		free(e->id);
		free(e->short_id);
		free(e->author);
		free(e->email);
		free(e->service);
		free(e->target);
		free(e->field);
		free(e->old_value);
		free(e->new_value);
		free(e->path);
		free(e->reason);
		free(e->outcome);
	}
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

/* --- time ------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static bool digits(const char **s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return false;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return true;
}

bool sr_audit_parse_time(const char *s, long long *out, int *offset)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 1;

	*offset = 0;
	if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) ||
	    *s++ != '-' || !digits(&s, 2, &d) || mo < 1 || mo > 12 ||
	    d < 1 || d > 31)
		return false;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi))
			return false;
		if (*s == ':') {
			s++;
			if (!digits(&s, 2, &sec))
				return false;
			if (*s == '.' || *s == ',')
				for (s++; *s >= '0' && *s <= '9'; s++)
					;
		}
		if (h > 23 || mi > 59 || sec > 60)
			return false;
		if (*s == 'Z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (!digits(&s, 2, &oh))
				return false;
			if (*s == ':')
				s++;
			if (*s && !digits(&s, 2, &om))
				return false;
			*offset = sign * (oh * 60 + om);
		}
	}
	if (*s)
		return false;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + sec - (long long)*offset * 60;
	return true;
}

void sr_audit_fmt_time(struct sr_buf *out, long long t, int offset,
		       bool iso)
{
	time_t local = (time_t)(t + (long long)offset * 60);
	int a = offset < 0 ? -offset : offset;
	struct tm tm;

	if (!gmtime_r(&local, &tm)) {
		sr_buf_addf(out, "@%lld", t);
		return;
	}
	sr_buf_addf(out, "%04d-%02d-%02d%c%02d:%02d:%02d%s%c%02d%s%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    iso ? 'T' : ' ', tm.tm_hour, tm.tm_min, tm.tm_sec,
		    iso ? "" : " ", offset < 0 ? '-' : '+', a / 60,
		    iso ? ":" : "", a % 60);
}

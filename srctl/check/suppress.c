#define _GNU_SOURCE /* memmem */
#include "suppress.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "base/banned.h"

static void add(struct sr_suppressions *out, const char *rule, size_t rlen,
		unsigned first, unsigned last, struct sr_pos where,
		bool has_reason, bool expired, bool bad_until)
{
	struct sr_suppression *s;

	out->v = sr_xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	s = &out->v[out->n++];
	s->rule = sr_xstrndup(rule, rlen);
	s->first_line = first;
	s->last_line = last;
	s->where = where;
	s->has_reason = has_reason;
	s->expired = expired || bad_until;
	s->bad_until = bad_until;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Is [d, end) a date YYYY-MM-DD, followed by a blank or the end? */
static bool is_date(const char *d, const char *end)
{
	int i, month, day;

	if (end - d < 10)
		return false;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? d[i] != '-' : !isdigit((unsigned char)d[i]))
			return false;
	if (end - d > 10 && !is_space(d[10]) && d[10] != '\r')
		return false;
	month = (d[5] - '0') * 10 + (d[6] - '0');
	day = (d[8] - '0') * 10 + (d[9] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/*
 * Parse "RULE[,RULE] [until=DATE] [-- reason]" in [p, end) and add one
 * suppression per rule. 'col' is the column of the first rule.
 */
static void parse_spec(struct sr_suppressions *out, const char *p,
		       const char *end, unsigned first, unsigned last,
		       struct sr_pos where, const char *today)
{
	const char *rules = p, *rules_end, *reason;
	bool expired = false, has_reason = false, bad_until = false;
	const char *q;

	while (p < end && !is_space(*p))
		p++;
	rules_end = p;
	reason = NULL;
	for (q = p; q + 1 < end; q++) {
		if (q[0] == '-' && q[1] == '-' && (q == p || is_space(q[-1]))) {
			reason = q + 2;
			break;
		}
	}
	if (reason) {
		while (reason < end && is_space(*reason))
			reason++;
		has_reason = reason < end;
	}
	for (q = p; q + 6 < (reason ? reason : end); q++) {
		if (!strncmp(q, "until=", 6)) {
			const char *d = q + 6;

			/* compare as text: both are YYYY-MM-DD */
			if (!is_date(d, reason ? reason : end))
				bad_until = true;
			else if (today && strncmp(today, d, 10) > 0)
				expired = true;
			break;
		}
	}
	while (rules < rules_end) {
		const char *comma = memchr(rules, ',', (size_t)(rules_end - rules));
		const char *stop = comma ? comma : rules_end;

		if (stop > rules)
			add(out, rules, (size_t)(stop - rules), first, last,
			    where, has_reason, expired, bad_until);
		where.col += (unsigned)(stop - rules) + 1;
		rules = stop + 1;
	}
}

/* Is the line [start, end) nothing but blank or a comment? */
static bool line_is_comment_or_blank(const char *start, const char *end)
{
	while (start < end && is_space(*start))
		start++;
	return start == end || *start == '#' || *start == '\r' ||
	       (end - start >= 2 && start[0] == '/' && start[1] == '/');
}

/*
 * Is the comment marker ('#', or '//' in Java sources) at 'hash' on the
 * line starting at 'line' really a comment, not part of a value or string?
 */
static bool is_comment(const char *line, const char *hash)
{
	char quote = 0;
	const char *p;

	if (hash > line && !is_space(hash[-1]))
		return false;
	for (p = line; p < hash; p++) {
		if (quote == '\'') {
			if (*p == '\'' && p + 1 < hash && p[1] == '\'')
				p++;	/* '' is a quote inside '...' */
			else if (*p == '\'')
				quote = 0;
		} else if (quote) {
			if (*p == '\\' && p + 1 < hash)
				p++;	/* \" is a quote inside "..." */
			else if (*p == '"')
				quote = 0;
		} else if ((*p == '"' || *p == '\'') &&
			   (p == line || is_space(p[-1]) || p[-1] == ':' ||
			    p[-1] == '[' || p[-1] == '{' || p[-1] == ',')) {
			quote = *p;
		}
	}
	return !quote;
}

void sr_suppress_scan(struct sr_suppressions *out, const char *text,
		      size_t len, const char *today, bool slashes)
{
	const char *end = text + len, *p = text;
	const char *line = text;
	unsigned lineno = 1;

	while (p < end) {
		const char *hit = memmem(p, (size_t)(end - p), "srctl:ignore", 12);
		const char *hash, *eol, *spec, *q;
		unsigned first, last;
		struct sr_pos where;
		bool file_wide;

		if (!hit)
			break;
		/* advance the line counter to the hit */
		for (q = line; q < hit; q++) {
			if (*q == '\n') {
				lineno++;
				line = q + 1;
			}
		}
		eol = memchr(hit, '\n', (size_t)(end - hit));
		if (!eol)
			eol = end;
		p = hit + 12;
		hash = hit;
		while (hash > line && is_space(hash[-1]))
			hash--;
		if (hash > line && hash[-1] == '#')
			hash -= 1;
		else if (slashes && hash - line >= 2 && hash[-1] == '/' &&
			 hash[-2] == '/')
			hash -= 2;
		else
			continue;
		if (!is_comment(line, hash))
			continue;
		/* bounded by the line: the text need not be NUL-terminated */
		file_wide = eol - p >= 5 && !memcmp(p, "-file", 5);
		spec = p + (file_wide ? 5 : 0);
		if (spec < eol && !is_space(*spec))
			continue;	/* srctl:ignored, srctl:ignore-foo */
		while (spec < eol && is_space(*spec))
			spec++;
		if (spec >= eol || *spec == '\r')
			continue;
		where.line = lineno;
		where.col = (unsigned)sr_utf8_count(line, (size_t)(spec - line)) + 1;
		where.offset = (size_t)(spec - text);
		if (file_wide) {
			first = 0;
			last = UINT_MAX;
		} else if (line_is_comment_or_blank(line, hash)) {
			/* alone on its line: covers the next line with content */
			const char *n = eol;
			unsigned l = lineno;
			while (n < end) {
				const char *s = n + 1;
				const char *e = memchr(s, '\n', (size_t)(end - s));
				if (!e)
					e = end;
				l++;
				if (!line_is_comment_or_blank(s, e))
					break;
				n = e;
			}
			first = lineno;
			last = l;
		} else {
			first = last = lineno;
		}
		{
			const char *e = eol;
			if (e > spec && e[-1] == '\r')
				e--;
			parse_spec(out, spec, e, first, last, where, today);
		}
		p = eol;
	}
}

static void from_annotations(struct sr_suppressions *out,
			     const struct sr_node *ann, unsigned first,
			     unsigned last, const char *today)
{
	const struct sr_pair *pair = sr_map_pair(ann, "srctl.io/ignore");
	const char *v, *reason_ann;
	struct sr_buf spec = SR_BUF_INIT;
	struct sr_pos where;
	size_t i;

	if (!pair || !(v = sr_node_str(pair->value)))
		return;
	reason_ann = sr_node_str(sr_map_get(ann, "srctl.io/ignore-reason"));
	/* the annotation separates rules with commas and maybe spaces */
	for (i = 0; v[i]; i++) {
		if (v[i] == ' ' && i > 0 && v[i - 1] == ',')
			continue;
		if (v[i] == '-' && v[i + 1] == '-')
			break;
		sr_buf_addc(&spec, v[i]);
	}
	sr_buf_adds(&spec, v + i);
	if (reason_ann && *reason_ann && !strstr(v, "--")) {
		sr_buf_adds(&spec, " -- ");
		sr_buf_adds(&spec, reason_ann);
	}
	where = pair->value->start;
	if (pair->value->style == SR_STYLE_DOUBLE ||
	    pair->value->style == SR_STYLE_SINGLE)
		where.col++;
	parse_spec(out, spec.ptr, spec.ptr + spec.len, first, last, where,
		   today);
	sr_buf_release(&spec);
}

static bool pos_before(struct sr_pos a, struct sr_pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

struct span {
	struct sr_pos start, end;
};

struct spans {
	struct span *v;
	size_t n, cap;
	struct sr_pos last;	/* start of the node visited last */
};

/*
 * Collect the scalars that span lines (block scalars, multi-line quoted
 * strings), in source order. A node that starts before the one visited
 * last was reached through an alias or a merge: it was visited where it
 * is written, so it is skipped (and alias bombs cost nothing here).
 */
static void collect_spans(struct spans *sp, const struct sr_node *n)
{
	size_t i;

	if (!n || pos_before(n->start, sp->last))
		return;
	sp->last = n->start;
	if (n->type == SR_NODE_SCALAR) {
		if (n->end.line > n->start.line) {
			sp->v = sr_xgrow(sp->v, &sp->cap, sp->n + 1,
					 sizeof(*sp->v));
			sp->v[sp->n].start = n->start;
			sp->v[sp->n++].end = n->end;
		}
	} else if (n->type == SR_NODE_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			collect_spans(sp, n->u.seq.items[i]);
	} else {
		for (i = 0; i < n->u.map.n; i++) {
			collect_spans(sp, n->u.map.pairs[i].key);
			collect_spans(sp, n->u.map.pairs[i].value);
		}
	}
}

/*
 * Forget the comment suppressions of 'doc' that are not comments at all
 * but text inside a block scalar or a multi-line quoted string (the text
 * scan cannot tell). Runs before the document's annotations are added.
 */
static void drop_in_scalars(struct sr_suppressions *out,
			    const struct sr_doc *doc)
{
	struct spans sp = { NULL, 0, 0, { 0, 0, 0 } };
	size_t i, keep = 0;

	if (!out->n || !doc->root)
		return;
	collect_spans(&sp, doc->root);
	for (i = 0; i < out->n; i++) {
		struct sr_pos w = out->v[i].where;
		size_t lo = 0, hi = sp.n;

		/* the last span starting before w */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (pos_before(sp.v[mid].start, w))
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && pos_before(w, sp.v[lo - 1].end)) {
			free(out->v[i].rule);
			continue;
		}
		out->v[keep++] = out->v[i];
	}
	out->n = keep;
	free(sp.v);
}

/* The annotations of one object, covering lines first..last. */
static void object_annotations(struct sr_suppressions *out,
			       const struct sr_node *obj, unsigned first,
			       unsigned last, const char *today)
{
	from_annotations(out, sr_map_path(obj, "metadata", "annotations", NULL),
			 first, last, today);
	from_annotations(out, sr_map_path(obj, "spec", "template", "metadata",
					  "annotations", NULL),
			 first, last, today);
	from_annotations(out, sr_map_path(obj, "spec", "jobTemplate", "spec",
					  "template", "metadata", "annotations",
					  NULL),
			 first, last, today);
}

void sr_suppress_annotations(struct sr_suppressions *out,
			     const struct sr_doc *doc, const char *today)
{
	const struct sr_node *root = doc->root, *items;
	size_t i;

	drop_in_scalars(out, doc);
	if (!sr_node_is_map(root))
		return;
	object_annotations(out, root, doc->start.line,
			   doc->end.line ? doc->end.line : UINT_MAX, today);
	/* a List's items carry their own annotations for their own lines */
	items = sr_map_get(root, "items");
	for (i = 0; sr_node_is_seq(items) && i < items->u.seq.n; i++) {
		const struct sr_node *item = items->u.seq.items[i];

		if (sr_node_is_map(item))
			object_annotations(out, item, item->start.line,
					   item->end.line, today);
	}
}

static bool rule_matches(const char *pattern, const char *rule)
{
	size_t n = strlen(pattern);

	if (n >= 2 && pattern[n - 1] == '*' && pattern[n - 2] == '/')
		return !strncmp(pattern, rule, n - 1);
	return !strcmp(pattern, rule);
}

bool sr_suppress_match(const struct sr_suppressions *s, const char *rule,
		       unsigned line)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct sr_suppression *x = &s->v[i];
		if (!x->expired && line >= x->first_line &&
		    line <= x->last_line && rule_matches(x->rule, rule))
			return true;
	}
	return false;
}

void sr_suppress_release(struct sr_suppressions *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].rule);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

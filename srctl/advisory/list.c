/*
 * Known-bad lists: the organisation's own advisories, in YAML (the
 * format of rules/known-bad.yaml; docs/deps.md). Checked strictly, since
 * a typo in a list must not silently let a version through.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisory/advisory.h"
#include "advisory/internal.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "base/banned.h"

static const char *const entry_keys[] = {
	"id", "ecosystem", "package", "versions", "range", "severity",
	"reason", "advisory", "aliases", NULL
};

struct list_reader {
	struct sr_advisory_set *set;
	const char *path;
	int bad;
};

static void bad(struct list_reader *l, const struct sr_node *at,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void bad(struct list_reader *l, const struct sr_node *at,
		const char *fmt, ...)
{
	struct sr_buf b = SR_BUF_INIT;
	struct sr_pos none = { 0, 0, 0 };
	va_list ap;

	va_start(ap, fmt);
	sr_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	sr_adv__problem(l->set, SR_SEV_ERROR, l->path, at ? at->start : none,
			"%s", sr_buf_cstr(&b));
	sr_buf_release(&b);
	l->bad++;
}

static void on_yaml_problem(void *payload, const char *rule,
			    struct sr_pos pos, const char *message)
{
	struct list_reader *l = payload;

	(void)rule;
	sr_adv__problem(l->set, SR_SEV_ERROR, l->path, pos, "%s", message);
	l->bad++;
}

static const char *need_str(struct list_reader *l, const struct sr_node *e,
			    const char *key, bool required)
{
	const struct sr_node *v = sr_map_get(e, key);

	if (!v || sr_node_is_null(v)) {
		if (required)
			bad(l, e, "known-bad entry without '%s'", key);
		return NULL;
	}
	if (!sr_node_is_scalar(v) || !sr_node_str(v) || !*sr_node_str(v)) {
		bad(l, v, "'%s' must be a non-empty string, got %s", key,
		    sr_node_type_name(v));
		return NULL;
	}
	return sr_node_str(v);
}

static void skip_blanks(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

static void add_event(struct sr_adv_range *r, size_t *cap,
		      enum sr_adv_event_kind kind, char *version)
{
	r->ev = sr_xgrow(r->ev, cap, r->n + 1, sizeof(*r->ev));
	r->ev[r->n].kind = kind;
	r->ev[r->n].version = version;
	r->n++;
}

/*
 * A range: comparators joined by ',', at most one lower bound (>=) and
 * one upper bound (< or <=): "< 2.17.1", ">= 2.13.0, < 2.15.0". As OSV
 * events: introduced (0 without a lower bound), then fixed or
 * last_affected.
 */
static bool parse_range(struct list_reader *l, const struct sr_node *at,
			const char *text, enum sr_ecosystem eco,
			struct sr_adv_range *out)
{
	const char *p = text;
	char *lower = NULL, *upper = NULL;
	bool upper_incl = false;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	out->eco = eco;
	for (;;) {
		const char *op, *v;
		size_t oplen, vlen;
		char *ver;

		skip_blanks(&p);
		op = p;
		while (*p == '<' || *p == '>' || *p == '=')
			p++;
		oplen = (size_t)(p - op);
		skip_blanks(&p);
		v = p;
		while (*p && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		vlen = (size_t)(p - v);
		skip_blanks(&p);
		if (!vlen || (*p && *p != ',')) {
			bad(l, at, "range '%s': expected comparators like "
			    "'>= 1.2, < 1.4' joined by ','", text);
			goto fail;
		}
		ver = sr_xstrndup(v, vlen);
		if (!sr_version_valid(eco, ver)) {
			bad(l, at, "range '%s': '%s' is not a valid %s "
			    "version", text, ver, sr_ecosystem_name(eco));
			free(ver);
			goto fail;
		}
		if (oplen == 2 && !strncmp(op, ">=", 2) && !lower) {
			lower = ver;
		} else if (oplen == 1 && *op == '<' && !upper) {
			upper = ver;
		} else if (oplen == 2 && !strncmp(op, "<=", 2) && !upper) {
			upper = ver;
			upper_incl = true;
		} else {
			bad(l, at, "range '%s': use one '>=' lower bound and "
			    "one '<' or '<=' upper bound (exact versions go "
			    "in 'versions')", text);
			free(ver);
			goto fail;
		}
		if (!*p)
			break;
		p++;	/* ',' */
	}
	if (!upper && !lower) {
		bad(l, at, "range '%s' has no bound", text);
		goto fail;
	}
	add_event(out, &cap, SR_ADV_INTRODUCED, lower);
	lower = NULL;
	if (upper)
		add_event(out, &cap, upper_incl ? SR_ADV_LAST_AFFECTED :
			  SR_ADV_FIXED, upper);
	return true;
fail:
	free(lower);
	free(upper);
	free(out->ev);
	memset(out, 0, sizeof(*out));
	return false;
}

static void get_list(struct list_reader *l, const struct sr_node *e,
		     const char *key, char ***out, size_t *n)
{
	const struct sr_node *v = sr_map_get(e, key);
	size_t i, cap = 0;

	if (!v || sr_node_is_null(v))
		return;
	if (sr_node_str(v)) {
		*out = sr_xgrow(*out, &cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = sr_xstrdup(sr_node_str(v));
		return;
	}
	if (!sr_node_is_seq(v)) {
		bad(l, v, "'%s' must be a string or a list of strings, got %s",
		    key, sr_node_type_name(v));
		return;
	}
	for (i = 0; i < v->u.seq.n; i++) {
		const char *s = sr_node_str(v->u.seq.items[i]);

		if (!s || !*s) {
			bad(l, v->u.seq.items[i], "'%s' must hold non-empty "
			    "strings", key);
			continue;
		}
		*out = sr_xgrow(*out, &cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = sr_xstrdup(s);
	}
}

static void free_strs(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void read_entry(struct list_reader *l, const struct sr_node *e)
{
	const char *id, *ecosystem, *package, *sev, *reason, *url;
	struct sr_adv_affected *af;
	struct sr_advisory *a;
	enum sr_ecosystem eco;
	enum sr_severity severity = SR_SEV_ERROR;
	char **ranges = NULL;
	size_t n_ranges = 0, i, rcap = 0;
	int before = l->bad;

	if (!sr_node_is_map(e)) {
		bad(l, e, "known-bad entries must be mappings, got %s",
		    sr_node_type_name(e));
		return;
	}
	for (i = 0; i < e->u.map.n; i++) {
		const char *k = sr_node_str(e->u.map.pairs[i].key);
		const char *const *known;

		for (known = entry_keys; k && *known; known++)
			if (!strcmp(k, *known))
				break;
		if (!k || !*known)
			bad(l, e->u.map.pairs[i].key, "unknown key '%s' in a "
			    "known-bad entry", k ? k : "?");
	}
	id = need_str(l, e, "id", true);
	ecosystem = need_str(l, e, "ecosystem", true);
	package = need_str(l, e, "package", true);
	reason = need_str(l, e, "reason", true);
	url = need_str(l, e, "advisory", false);
	sev = need_str(l, e, "severity", false);
	if (ecosystem && !sr_ecosystem_parse(ecosystem, &eco)) {
		bad(l, sr_map_get(e, "ecosystem"), "unknown ecosystem '%s' "
		    "(Maven, npm, Go, PyPI, crates.io, RubyGems, Packagist)",
		    ecosystem);
		ecosystem = NULL;
	}
	if (sev && (!sr_severity_parse(sev, &severity) ||
		    severity == SR_SEV_OFF)) {
		bad(l, sr_map_get(e, "severity"), "'severity' must be error, "
		    "warning or info, got '%s'", sev);
	}
	if (!sr_map_get(e, "versions") && !sr_map_get(e, "range"))
		bad(l, e, "known-bad entry needs 'versions' or 'range'");
	if (l->bad != before || !ecosystem || !package)
		return;

	af = sr_xcalloc(1, sizeof(*af));
	get_list(l, e, "versions", &af->versions, &af->n_versions);
	get_list(l, e, "range", &ranges, &n_ranges);
	for (i = 0; i < n_ranges; i++) {
		struct sr_adv_range r;

		if (!parse_range(l, sr_map_get(e, "range"), ranges[i], eco, &r))
			continue;
		af->ranges = sr_xgrow(af->ranges, &rcap, af->n_ranges + 1,
				      sizeof(*af->ranges));
		af->ranges[af->n_ranges++] = r;
	}
	free_strs(ranges, n_ranges);
	if (l->bad != before) {
		sr_adv__affected_free(af);
		return;
	}
	a = sr_adv__new(l->set);
	a->id = sr_xstrdup(id);
	a->listed = true;
	a->severity = severity;
	a->reason = sr_xstrdup(reason);
	a->url = url ? sr_xstrdup(url) : NULL;
	a->source = sr_adv__source(l->set, l->path);
	a->line = e->start.line;
	get_list(l, e, "aliases", &a->aliases, &a->n_aliases);
	af->adv = a;
	sr_adv__add_affected(l->set, eco, package, af);
}

int sr_advisory_load_list(struct sr_advisory_set *set, const char *path,
			  const char *text, size_t len)
{
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct list_reader l = { set, path, 0 };
	struct sr_stream *s;
	const struct sr_node *root;
	size_t i;

	s = sr_stream_parse(text, len, &limits, on_yaml_problem, &l);
	root = s->n ? s->docs[0].root : NULL;
	if (s->n > 1)
		bad(&l, NULL, "a known-bad list is one YAML document");
	if (root && !sr_node_is_seq(root))
		bad(&l, root, "a known-bad list is a list of entries, got %s",
		    sr_node_type_name(root));
	else if (root && !l.bad)
		for (i = 0; i < root->u.seq.n; i++)
			read_entry(&l, root->u.seq.items[i]);
	sr_stream_free(s);
	return l.bad ? SR_EINVALID : 0;
}

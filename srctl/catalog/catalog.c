#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embedded.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "opt.h"
#include "base/banned.h"

static struct sr_rule *rules;
static size_t nrules;
static struct sr_stream **streams;	/* the rule strings point into these */
static size_t nstreams;
static char **areas;		/* distinct areas of the ids, sorted */
static size_t nareas;
static bool loaded;

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct sr_rule *)a)->id,
		      ((const struct sr_rule *)b)->id);
}

struct load_problem {
	const char *path;
	int failed;
};

static void on_problem(void *payload, const char *rule, struct sr_pos pos,
		       const char *message)
{
	struct load_problem *lp = payload;

	if (!lp->failed)
		sr_error_set("%s:%u:%u: %s [%s]", lp->path, pos.line, pos.col,
			     message, rule);
	lp->failed = 1;
}

/* Is 'path' rules/<area>/<name>.yaml? Then write "<area>/<name>" to id. */
static bool rule_path(const char *path, char *id, size_t size)
{
	const char *rest, *slash;
	size_t n;

	if (strncmp(path, "rules/", 6) != 0)
		return false;
	rest = path + 6;
	slash = strchr(rest, '/');
	if (!slash || strchr(slash + 1, '/'))
		return false;
	n = strlen(rest);
	if (n < 6 || strcmp(rest + n - 5, ".yaml") != 0 || n - 5 >= size)
		return false;
	memcpy(id, rest, n - 5);
	id[n - 5] = '\0';
	return true;
}

static int load_one(const struct sr_embedded *e, const char *id)
{
	struct load_problem lp = { e->path, 0 };
	struct sr_stream *s = sr_stream_parse(e->data, e->size, NULL,
					      on_problem, &lp);
	const struct sr_node *root;
	struct sr_rule *r;
	const char *sev;

	streams[nstreams++] = s;
	if (lp.failed)
		return SR_EINVALID;
	root = s->n ? s->docs[0].root : NULL;
	if (!sr_node_is_map(root) || !sr_node_eq(sr_map_get(root, "id"), id)) {
		sr_error_set("%s: 'id' must be '%s'", e->path, id);
		return SR_EINVALID;
	}
	r = &rules[nrules++];
	r->id = sr_node_str(sr_map_get(root, "id"));
	r->summary = sr_node_str(sr_map_get(root, "summary"));
	r->rationale = sr_node_str(sr_map_get(root, "rationale"));
	r->fix = sr_node_str(sr_map_get(root, "fix"));
	r->example_fail = sr_node_str(sr_map_path(root, "example", "fail", NULL));
	r->example_pass = sr_node_str(sr_map_path(root, "example", "pass", NULL));
	sev = sr_node_str(sr_map_get(root, "severity"));
	if (!sev || !sr_severity_parse(sev, &r->severity) || !r->summary ||
	    !r->rationale || !r->fix) {
		sr_error_set("%s: needs severity (off|info|warning|error), summary, rationale and fix",
			     e->path);
		return SR_EINVALID;
	}
	return 0;
}

int sr_catalog_load(void)
{
	const struct sr_embedded *e;
	size_t n = 0;
	char id[128];
	int err;

	if (loaded)
		return 0;
	for (e = sr_embedded; e->path; e++)
		n++;
	rules = sr_xcalloc(n, sizeof(*rules));
	streams = sr_xcalloc(n, sizeof(*streams));
	for (e = sr_embedded; e->path; e++) {
		if (!rule_path(e->path, id, sizeof(id)))
			continue;
		err = load_one(e, id);
		if (err) {
			sr_catalog_free();
			return err;
		}
	}
	qsort(rules, nrules, sizeof(*rules), by_id);
	/* the ids are sorted, so one area's ids are adjacent */
	areas = sr_xcalloc(nrules + 1, sizeof(*areas));
	for (n = 0; n < nrules; n++) {
		size_t alen = (size_t)(strchr(rules[n].id, '/') - rules[n].id);

		if (!nareas || strncmp(areas[nareas - 1], rules[n].id, alen) ||
		    areas[nareas - 1][alen])
			areas[nareas++] = sr_xstrndup(rules[n].id, alen);
	}
	loaded = true;
	return 0;
}

const struct sr_rule *sr_catalog_find(const char *id)
{
	struct sr_rule key;

	key.id = id;
	return bsearch(&key, rules, nrules, sizeof(*rules), by_id);
}

size_t sr_catalog_count(void)
{
	return nrules;
}

const struct sr_rule *sr_catalog_at(size_t i)
{
	return i < nrules ? &rules[i] : NULL;
}

const char *sr_catalog_suggest(const char *id)
{
	const char **ids = sr_xmalloc((nrules ? nrules : 1) * sizeof(*ids));
	const char *best;
	size_t i;

	for (i = 0; i < nrules; i++)
		ids[i] = rules[i].id;
	best = sr_suggest(id, ids, (int)nrules);
	free(ids);
	return best;
}

/* Whether the 'len' bytes at 'area' are the area of some rule. */
static bool is_area(const char *area, size_t len)
{
	size_t i;

	for (i = 0; i < nareas; i++)
		if (strlen(areas[i]) == len && !strncmp(areas[i], area, len))
			return true;
	return false;
}

bool sr_catalog_selects(const char *sel, size_t len)
{
	size_t i;

	if (len > 2 && sel[len - 2] == '/' && sel[len - 1] == '*')
		return is_area(sel, len - 2);
	if (is_area(sel, len))
		return true;
	for (i = 0; i < nrules; i++)
		if (strlen(rules[i].id) == len && !strncmp(rules[i].id, sel, len))
			return true;
	return false;
}

const char *sr_catalog_suggest_selector(const char *sel)
{
	/* candidates: every id and every area ("timeout" for "timout") */
	const char **cands = sr_xmalloc((nrules + nareas + 1) * sizeof(*cands));
	const char *best;
	size_t i, n = 0;

	for (i = 0; i < nrules; i++)
		cands[n++] = rules[i].id;
	for (i = 0; i < nareas; i++)
		cands[n++] = areas[i];
	best = sr_suggest(sel, cands, (int)n);
	free(cands);
	return best;
}

void sr_catalog_free(void)
{
	size_t i;

	for (i = 0; i < nstreams; i++)
		sr_stream_free(streams[i]);
	free(streams);
	free(rules);
	for (i = 0; i < nareas; i++)
		free(areas[i]);
	free(areas);
	areas = NULL;
	nareas = 0;
	streams = NULL;
	rules = NULL;
	nstreams = nrules = 0;
	loaded = false;
}

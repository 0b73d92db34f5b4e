/*
 * libFuzzer target for the YAML document model (srctl/doc) and the
 * suppression scanner that runs on the same text (srctl/check/suppress.c):
 * the per-file pipeline of sr_check_file() without the file and the
 * validators. Every node of every document is walked with the accessors
 * validators use. Built and run by tests/fuzz/run.sh (ctest fuzz.doc).
 */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "check/suppress.h"
#include "doc/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_problem(void *payload, const char *rule, struct sr_pos pos,
		       const char *message)
{
	size_t *n = payload;

	/* the document model reports only yaml/ rules, with a message */
	assert(rule && strncmp(rule, "yaml/", 5) == 0);
	assert(message && *message);
	(void)pos;
	(*n)++;
}

/* Visit a node the way validators do; 'budget' bounds alias expansion. */
static void walk(const struct sr_node *n, size_t *budget)
{
	long long i;
	double d;
	bool b;
	size_t k;

	if (!n || *budget == 0)
		return;
	(*budget)--;
	assert(n->start.line >= 1 && n->start.col >= 1);
	assert(strlen(sr_node_type_name(n)) > 0);
	(void)sr_node_is_null(n);
	(void)sr_node_eq(n, "base");
	(void)sr_node_int(n, &i);
	(void)sr_node_float(n, false, &d);
	(void)sr_node_float(n, true, &d);
	(void)sr_node_bool(n, &b);
	if (sr_node_is_scalar(n)) {
		const char *s = sr_node_str(n);

		assert(n->u.scalar.str && n->u.scalar.str[n->u.scalar.len] == '\0');
		if (s)
			assert(s == n->u.scalar.str);
		return;
	}
	if (sr_node_is_seq(n)) {
		for (k = 0; k < n->u.seq.n; k++)
			walk(n->u.seq.items[k], budget);
		return;
	}
	assert(sr_node_is_map(n));
	for (k = 0; k < n->u.map.n; k++) {
		const struct sr_pair *p = &n->u.map.pairs[k];
		const char *key = sr_node_str(p->key);

		assert(p->key && p->value);
		/* a key without NULs is found again (first match wins) */
		if (key && strlen(key) == p->key->u.scalar.len)
			assert(sr_map_pair(n, key) != NULL);
		walk(p->key, budget);
		walk(p->value, budget);
	}
	(void)sr_map_path(n, "metadata", "annotations", "srctl.io/ignore", NULL);
	(void)sr_map_path(n, "http", "downstream", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_suppressions sup = { NULL, 0, 0 };
	const char *text = (const char *)data;
	struct sr_stream *s;
	struct sr_pos where;
	size_t problems = 0, i;

	/* the pipeline checks the encoding first; parse either way */
	(void)sr_utf8_check(text, size, &where);
	(void)sr_utf8_count(text, size);

	sr_suppress_scan(&sup, text, size, "2026-06-01", size % 2 == 1);
	s = sr_stream_parse(text, size, &limits, on_problem, &problems);
	assert(s);
	for (i = 0; i < s->n; i++) {
		size_t budget = 1u << 20;

		assert(s->docs[i].index == i);
		sr_suppress_annotations(&sup, &s->docs[i], "2026-06-01");
		walk(s->docs[i].root, &budget);
	}
	for (i = 0; i < sup.n; i++) {
		/* (a NUL can empty a rule; srctl rejects such files before) */
		assert(sup.v[i].rule);
		assert(*sup.v[i].rule || memchr(text, 0, size));
		assert(sup.v[i].first_line <= sup.v[i].last_line);
	}
	(void)sr_suppress_match(&sup, "timeout/missing-max", 3);
	(void)sr_suppress_match(&sup, "yaml/syntax", 1);
	sr_suppress_release(&sup);
	sr_stream_free(s);
	return 0;
}

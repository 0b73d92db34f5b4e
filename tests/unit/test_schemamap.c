/*
 * srctl/schemamap: the shipped list, which shipped schema applies to which
 * document (by name, path and content), what SR_SCHEMAMAP_UNVALIDATED
 * leaves to the validators, and the violations' positions and messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "doc/doc.h"
#include "schemamap/schemamap.h"
#include "base/banned.h"
#include "harness.h"

struct seen {
	size_t n;
	char first[256];
	unsigned line, col;
	bool shipped;
	char schema[64];
};

static void on_hit(void *payload, const struct sr_schemamap_hit *hit)
{
	struct seen *s = payload;

	if (!s->n++) {
		snprintf(s->first, sizeof(s->first), "%s", hit->error->message);
		s->line = hit->error->pos.line;
		s->col = hit->error->pos.col;
		s->shipped = hit->shipped;
		snprintf(s->schema, sizeof(s->schema), "%s", hit->schema);
	}
}

/* Violations of every document of 'text' as file 'relpath'. */
static struct seen check(const struct sr_schemamap *m, const char *relpath,
			 const char *text)
{
	struct sr_stream *st = sr_stream_parse(text, strlen(text), NULL,
					       NULL, NULL);
	const char *slash = strrchr(relpath, '/');
	struct seen s;
	size_t i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < st->n; i++)
		sr_schemamap_check(m, relpath, slash ? slash + 1 : relpath,
				   relpath, &st->docs[i], on_hit, &s);
	sr_stream_free(st);
	return s;
}

static void test_shipped_list(void)
{
	size_t i, n = sr_schemamap_shipped_count();
	static const char *const want[] = {
		"findings", "istio", "k8s-workload", "memory-contract", "rule",
		"srctl-config", "timeout-contract"
	};

	CHECK_INT((int)n, 7);
	for (i = 0; i < n && i < 7; i++)
		CHECK_STR(sr_schemamap_shipped_at(i)->name, want[i]);
	CHECK(sr_schemamap_shipped_at(n) == NULL);
	CHECK(sr_schemamap_shipped_find("rule") != NULL);
	CHECK(sr_schemamap_shipped_find("rule.schema.json") ==
	      sr_schemamap_shipped_find("rule"));
	CHECK(sr_schemamap_shipped_find("rules") == NULL);
	CHECK(sr_schemamap_shipped_find("") == NULL);
}

static void test_all_kinds(void)
{
	struct sr_buf err = SR_BUF_INIT;
	struct sr_schemamap *m = NULL;
	struct seen s;

	CHECK_INT(sr_schemamap_new(&m, SR_SCHEMAMAP_ALL, NULL, &err), 0);
	CHECK_STR(sr_buf_cstr(&err), "");
	CHECK(!sr_schemamap_empty(m));

	s = check(m, "svc/timeout.yaml",
		  "http:\n  down:\n    redis: { base: \"2s\", max: 10 }\n");
	CHECK_INT((int)s.n, 1);
	CHECK_STR(s.first,
		  "base: expected integer (milliseconds), got string \"2s\"");
	CHECK_INT((int)s.line, 3);
	CHECK_INT((int)s.col, 20);
	CHECK(s.shipped);
	CHECK_STR(s.schema, "timeout-contract");
	/* the same text under another name is not a contract file */
	s = check(m, "svc/other.yaml",
		  "http:\n  down:\n    redis: { base: \"2s\", max: 10 }\n");
	CHECK_INT((int)s.n, 0);

	/* second document of a stream, Kubernetes */
	s = check(m, "k8s/api.yaml",
		  "a: 1\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
		  "spec:\n  containers:\n    - name: c\n      livenessProbe:\n"
		  "        periodSeconds: ten\n");
	CHECK_INT((int)s.n, 1);
	CHECK_INT((int)s.line, 10);
	CHECK_STR(s.schema, "k8s-workload");

	/* Istio, but not Gateway API */
	s = check(m, "vs.yaml",
		  "apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
		  "spec: {http: [{timeout: 5}]}\n");
	CHECK_INT((int)s.n, 1);
	CHECK_STR(s.schema, "istio");
	s = check(m, "route.yaml",
		  "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
		  "spec: {rules: [{timeouts: 5}]}\n");
	CHECK_INT((int)s.n, 0);

	/* rule files: under rules/<area>/, with a rule's keys */
	s = check(m, "rules/x/y.yaml", "id: x/y\nrationale: r\n");
	CHECK(s.n > 0);
	CHECK_STR(s.schema, "rule");
	s = check(m, "monitoring/rules/x/y.yaml", "id: x/y\nrationale: r\n");
	CHECK(s.n > 0);
	s = check(m, "rules/x/y.yaml", "groups: [{name: prometheus}]\n");
	CHECK_INT((int)s.n, 0);
	s = check(m, "rules/y.yaml", "id: x/y\nrationale: r\n");
	CHECK_INT((int)s.n, 0);
	s = check(m, "myrules/x/y.yaml", "id: x/y\nrationale: r\n");
	CHECK_INT((int)s.n, 0);

	s = check(m, "memory-contract.yml", "heap: {max_object_refs: 0}\n");
	CHECK_INT((int)s.n, 1);
	CHECK_STR(s.first, "max_object_refs: must be >= 1, got 0");

	/* empty documents and non-mappings have no kind */
	s = check(m, "timeout.yaml", "# nothing\n");
	CHECK_INT((int)s.n, 0);
	sr_schemamap_free(m);
	sr_buf_release(&err);
}

static void test_unvalidated(void)
{
	struct sr_buf err = SR_BUF_INIT;
	struct sr_schemamap *m = NULL;
	struct seen s;

	CHECK_INT(sr_schemamap_new(&m, SR_SCHEMAMAP_UNVALIDATED, NULL, &err),
		  0);
	/* the timeout validator reports this one (timeout/unit) */
	s = check(m, "timeout.yaml",
		  "http:\n  down:\n    redis: { base: \"2s\", max: 10 }\n");
	CHECK_INT((int)s.n, 0);
	s = check(m, "memory-contract.yaml", "heap: {max_object_refs: 0}\n");
	CHECK_INT((int)s.n, 1);
	sr_schemamap_free(m);

	CHECK_INT(sr_schemamap_new(&m, SR_SCHEMAMAP_NONE, NULL, &err), 0);
	CHECK(sr_schemamap_empty(m));
	s = check(m, "memory-contract.yaml", "heap: {max_object_refs: 0}\n");
	CHECK_INT((int)s.n, 0);
	sr_schemamap_free(m);
	sr_schemamap_free(NULL);
	sr_buf_release(&err);
}

static void test_load_one(void)
{
	struct sr_buf err = SR_BUF_INIT;
	struct sr_schemamap *m = NULL;
	const struct sr_schema *s = NULL;

	CHECK_INT(sr_schemamap_new(&m, SR_SCHEMAMAP_NONE, NULL, &err), 0);
	CHECK_INT(sr_schemamap_load_one(&s, m, "istio"), 0);
	CHECK(s != NULL);
	CHECK(sr_schemamap_load_one(&s, m, "no-such-schema") < 0);
	CHECK(s == NULL);
	CHECK(sr_schemamap_load_one(&s, m, "dir/none.json") < 0);
	sr_schemamap_free(m);
	sr_buf_release(&err);
}

int main(void)
{
	test_shipped_list();
	test_all_kinds();
	test_unvalidated();
	test_load_one();
	return sr_test_done();
}

/* Unit tests for the YAML document model (srctl/doc). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "doc/doc.h"
#include "harness.h"

struct problems {
	char text[4096];
	int n;
};

static void collect(void *payload, const char *rule, struct sr_pos pos,
		    const char *message)
{
	struct problems *p = payload;
	size_t len = strlen(p->text);

	snprintf(p->text + len, sizeof(p->text) - len, "%u:%u %s %s\n",
		 pos.line, pos.col, rule, message);
	p->n++;
}

static struct sr_stream *parse(const char *text, struct problems *p)
{
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;

	memset(p, 0, sizeof(*p));
	return sr_stream_parse(text, strlen(text), &limits, collect, p);
}

static void test_positions(void)
{
	struct problems p;
	struct sr_stream *s = parse("a:\n  b: 1\n  \xc3\xa9t\xc3\xa9: x\n  c: \"\xe2\x82\xac\" # c\n", &p);
	struct sr_node *root = s->docs[0].root, *v;

	CHECK_INT(s->n, 1);
	CHECK_INT(p.n, 0);
	v = sr_map_path(root, "a", "b", NULL);
	CHECK(v != NULL);
	CHECK_INT(v->start.line, 2);
	CHECK_INT(v->start.col, 6);
	/* columns count code points: "été: x" puts x at column 8 */
	v = sr_map_path(root, "a", "\xc3\xa9t\xc3\xa9", NULL);
	CHECK(v != NULL);
	if (v) {
		CHECK_INT(v->start.line, 3);
		CHECK_INT(v->start.col, 8);
	}
	v = sr_map_path(root, "a", "c", NULL);
	CHECK(v && v->style == SR_STYLE_DOUBLE);
	sr_stream_free(s);
}

static void test_scalars(void)
{
	struct problems p;
	struct sr_stream *s = parse(
		"i: 800\nh: 0x1f\nq: \"800\"\nf: 1.5\nb: true\nn: ~\ne:\ns: 2s\nt: !!str 5\n"
		"x1: 0x0x1f4\nx2: 0x 10\nx3: 0o9\no: 0o10\n", &p);
	struct sr_node *r = s->docs[0].root;
	long long i = 0;
	double d = 0;
	bool b = false;

	CHECK(sr_node_int(sr_map_get(r, "i"), &i) && i == 800);
	CHECK(sr_node_int(sr_map_get(r, "h"), &i) && i == 31);
	CHECK(!sr_node_int(sr_map_get(r, "q"), &i));
	CHECK(!sr_node_int(sr_map_get(r, "f"), &i));
	CHECK(sr_node_float(sr_map_get(r, "f"), false, &d) && d == 1.5);
	CHECK(!sr_node_float(sr_map_get(r, "i"), false, &d));
	CHECK(sr_node_float(sr_map_get(r, "i"), true, &d) && d == 800);
	CHECK(sr_node_bool(sr_map_get(r, "b"), &b) && b);
	CHECK(sr_node_is_null(sr_map_get(r, "n")));
	CHECK(sr_node_is_null(sr_map_get(r, "e")));
	CHECK(!sr_node_int(sr_map_get(r, "t"), &i));
	CHECK(!sr_node_int(sr_map_get(r, "x1"), &i));
	CHECK(!sr_node_int(sr_map_get(r, "x2"), &i));
	CHECK(!sr_node_int(sr_map_get(r, "x3"), &i));
	CHECK(sr_node_int(sr_map_get(r, "o"), &i) && i == 8);
	CHECK_STR(sr_node_type_name(sr_map_get(r, "s")), "string");
	CHECK_STR(sr_node_type_name(sr_map_get(r, "q")), "string");
	CHECK_STR(sr_node_type_name(sr_map_get(r, "f")), "float");
	CHECK_STR(sr_node_str(sr_map_get(r, "s")), "2s");
	sr_stream_free(s);
}

static void test_multidoc_and_syntax(void)
{
	struct problems p;
	struct sr_stream *s = parse("a: 1\n---\nb: 2\n---\nc: [1, 2\n", &p);

	CHECK_INT(s->n, 2);
	CHECK(s->truncated);
	CHECK_INT(p.n, 1);
	CHECK(strstr(p.text, "yaml/syntax") != NULL);
	CHECK_INT(s->docs[1].start.line, 2);
	CHECK(sr_map_get(s->docs[1].root, "b") != NULL);
	sr_stream_free(s);
}

/* What sr_stream_each handed out, in the order it happened. */
struct each_log {
	struct problems p;	/* first: 'collect' writes here */
	char docs[512];
	int n;
};

static void log_doc(void *payload, const struct sr_doc *doc)
{
	struct each_log *l = payload;
	const struct sr_node *k = doc->root && doc->root->u.map.n ?
				  doc->root->u.map.pairs[0].key : NULL;
	size_t len = strlen(l->docs);

	/* the document is readable until this returns */
	snprintf(l->docs + len, sizeof(l->docs) - len, "%u@%u:%s:%zu ",
		 doc->index, doc->start.line, k ? sr_node_str(k) : "-",
		 doc->root ? doc->root->u.map.n : 0);
	snprintf(l->p.text + strlen(l->p.text),
		 sizeof(l->p.text) - strlen(l->p.text), "doc %u\n",
		 doc->index);
	l->n++;
}

static void test_each_document(void)
{
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_buf big = SR_BUF_INIT;
	struct each_log l;
	size_t i;

	/* a document bigger than an arena block, then small ones */
	sr_buf_adds(&big, "big:\n");
	for (i = 0; i < 3000; i++)
		sr_buf_addf(&big, "  k%zu: value number %zu\n", i, i);
	sr_buf_adds(&big, "---\nsmall: 1\nsmall: 2\n---\nlast: x\n---\nc: [1, 2\n");
	memset(&l, 0, sizeof(l));
	CHECK(sr_stream_each(big.ptr, big.len, &limits, collect, log_doc, &l));
	CHECK_INT(l.n, 3);
	CHECK_STR(l.docs, "0@1:big:1 1@3002:small:1 2@3005:last:1 ");
	/* problems arrive as found: the duplicate before its document */
	CHECK(strstr(l.p.text, "doc 0\n3004:1 yaml/duplicate-key") != NULL);
	CHECK(strstr(l.p.text, "doc 2\n") != NULL &&
	      strstr(strstr(l.p.text, "doc 2\n"), "yaml/syntax") != NULL);
	sr_buf_release(&big);

	memset(&l, 0, sizeof(l));
	CHECK(!sr_stream_each("a: 1\n", 5, &limits, collect, log_doc, &l));
	CHECK_STR(l.docs, "0@1:a:1 ");
}

static void test_duplicates_and_merge(void)
{
	struct problems p;
	struct sr_stream *s = parse(
		"base: &b {x: 1, y: 2}\n"
		"m:\n  <<: *b\n  y: 3\n  z: 4\n  z: 5\n", &p);
	struct sr_node *m = sr_map_get(s->docs[0].root, "m");
	long long v = 0;

	CHECK_INT(p.n, 1);
	CHECK_STR(p.text, "6:3 yaml/duplicate-key duplicate key 'z' (first defined at line 5)\n");
	CHECK(sr_node_int(sr_map_get(m, "x"), &v) && v == 1);
	CHECK(sr_node_int(sr_map_get(m, "y"), &v) && v == 3);
	CHECK(sr_node_int(sr_map_get(m, "z"), &v) && v == 5);
	CHECK(sr_map_get(m, "<<") == NULL);
	CHECK_INT(m->u.map.n, 3);
	sr_stream_free(s);
}

static void test_alias_bomb(void)
{
	struct problems p;
	struct sr_stream *s = parse(
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"---\nok: 1\n", &p);

	CHECK_INT(p.n, 1);
	CHECK(strstr(p.text, "5:") == p.text);
	CHECK(strstr(p.text, "yaml/alias-limit") != NULL);
	/* the bomb is dropped, the next document survives */
	CHECK_INT(s->n, 1);
	CHECK(sr_map_get(s->docs[0].root, "ok") != NULL);
	sr_stream_free(s);
}

static void test_depth(void)
{
	struct problems p;
	size_t n = 10000, i;
	char *text = malloc(2 * n + 2);
	struct sr_stream *s;

	for (i = 0; i < n; i++) {
		text[i] = '[';
		text[n + i] = ']';
	}
	text[2 * n] = '\n';
	text[2 * n + 1] = '\0';
	s = parse(text, &p);
	CHECK_INT(p.n, 1);
	CHECK(strstr(p.text, "1:257 yaml/depth-limit") == p.text);
	CHECK_INT(s->n, 0);
	sr_stream_free(s);
	free(text);
}

static void test_bad_aliases(void)
{
	struct problems p;
	struct sr_stream *s = parse("a: *nope\n", &p);

	CHECK(strstr(p.text, "undefined anchor") != NULL);
	sr_stream_free(s);
	s = parse("a: &x [1, *x]\n", &p);
	CHECK(strstr(p.text, "recursive alias") != NULL);
	sr_stream_free(s);
}

static void test_bom_columns(void)
{
	const char *text = "\xef\xbb\xbf" "a: {b: c}\n";
	struct problems p;
	struct sr_stream *s = parse(text, &p);
	struct sr_node *v = sr_map_path(s->docs[0].root, "a", "b", NULL);

	CHECK(v && v->start.line == 1 && v->start.col == 8);
	sr_stream_free(s);
}

static void test_json_surrogates(void)
{
	const char *json = "{\"e\": \"x\\uD83D\\uDE00y\", \"n\": 1}\n";
	struct problems p;
	struct sr_stream *s;
	struct sr_node *v;

	memset(&p, 0, sizeof(p));
	s = sr_stream_parse_json(json, strlen(json), NULL, collect, &p);
	CHECK_INT(p.n, 0);
	CHECK_INT(s->n, 1);
	v = sr_map_get(s->docs[0].root, "e");
	CHECK_STR(sr_node_str(v), "x\xf0\x9f\x98\x80y");
	/* what follows the string keeps its column */
	v = sr_map_get(s->docs[0].root, "n");
	CHECK(v && v->start.col == 30);
	sr_stream_free(s);
	/* plain YAML keeps libyaml's verdict */
	s = parse("e: \"\\uD83D\\uDE00\"\n", &p);
	CHECK_INT(p.n, 1);
	sr_stream_free(s);
}

int main(void)
{
	test_positions();
	test_scalars();
	test_multidoc_and_syntax();
	test_each_document();
	test_duplicates_and_merge();
	test_alias_bomb();
	test_depth();
	test_bad_aliases();
	test_json_surrogates();
	test_bom_columns();
	return sr_test_done();
}

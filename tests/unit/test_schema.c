/*
 * Unit tests for srctl/schema: error records (positions, pointers,
 * keywords, messages), numbers, YAML instances, anyOf/oneOf explanations,
 * schema errors, mapped remote documents, the ECMA-262 regex dialect and
 * format assertions. The official test suite runs in test_schema_suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "engine/regex.h"
#include "schema/schema.h"
#include "harness.h"
#include "base/banned.h"

struct errs {
	char text[8192];
	size_t n;
};

static void collect(void *payload, const struct sr_schema_error *e)
{
	struct errs *x = payload;
	size_t len = strlen(x->text);

	snprintf(x->text + len, sizeof(x->text) - len, "%u:%u %s %s %s\n",
		 e->pos.line, e->pos.col, e->pointer, e->keyword, e->message);
	x->n++;
}

/* A set with one schema; NULL (and the error in sr_error_last) if bad. */
static const struct sr_schema *schema(struct sr_schema_set **set,
				      const struct sr_schema_options *opts,
				      const char *text)
{
	const struct sr_schema *s = NULL;

	sr_schema_set_new(set, opts);
	if (sr_schema_load(&s, *set, NULL, "s.json", text, strlen(text)))
		return NULL;
	return s;
}

/* Validate 'instance' (JSON or YAML); the errors go to 'e'. */
static size_t check(const struct sr_schema *s, const char *instance,
		    struct errs *e)
{
	struct sr_stream *st = sr_stream_parse(instance, strlen(instance),
					       NULL, NULL, NULL);
	size_t n;
	bool valid;

	memset(e, 0, sizeof(*e));
	valid = sr_schema_valid(s, st->n ? st->docs[0].root : NULL);
	n = sr_schema_validate(s, st->n ? st->docs[0].root : NULL, collect,
			       e);
	CHECK(valid == (n == 0));
	CHECK_INT(n, e->n);
	sr_stream_free(st);
	return n;
}

static bool valid(const char *schema_text, const char *instance)
{
	struct sr_schema_set *set;
	const struct sr_schema *s = schema(&set, NULL, schema_text);
	struct errs e;
	size_t n = 1;

	CHECK(s != NULL);
	if (s)
		n = check(s, instance, &e);
	sr_schema_set_free(set);
	return n == 0;
}

static void test_messages(void)
{
	struct sr_schema_set *set;
	const struct sr_schema *s = schema(&set, NULL,
		"{\"type\": \"object\",\n"
		" \"properties\": {\n"
		"   \"timeout\": {\"type\": \"integer\"},\n"
		"   \"spec\": {\"required\": [\"b\"]},\n"
		"   \"tags\": {\"items\": {\"type\": \"string\"}}\n"
		" },\n"
		" \"additionalProperties\": false}");
	struct errs e;

	CHECK(s != NULL);
	if (!s)
		goto done;
	/* the example, from YAML */
	CHECK_INT(check(s, "timeout: 2s\n", &e), 1);
	CHECK_STR(e.text, "1:10 /timeout type timeout: expected integer, "
		  "got string \"2s\"\n");
	/* a missing property is reported at its parent object */
	CHECK_INT(check(s, "spec:\n  a: 1\n", &e), 1);
	CHECK_STR(e.text, "2:3 /spec required spec: missing required "
		  "property \"b\"\n");
	/* a property that is not allowed, at its key */
	CHECK_INT(check(s, "{\"timeout\": 1, \"zz/~\": 2}", &e), 1);
	CHECK_STR(e.text, "1:16 /zz~1~0 additionalProperties (root): "
		  "property \"zz/~\" is not allowed\n");
	/* array items, in document order */
	CHECK_INT(check(s, "tags: [a, 1, b, {}]\ntimeout: x\n", &e), 3);
	CHECK_STR(e.text,
		  "1:11 /tags/1 type tags[1]: expected string, got integer 1\n"
		  "1:17 /tags/3 type tags[3]: expected string, got object\n"
		  "2:10 /timeout type timeout: expected integer, got string "
		  "\"x\"\n");
	/* an empty document is null */
	CHECK_INT(check(s, "", &e), 1);
	CHECK_STR(e.text, "0:0  type (root): expected object, got null\n");
done:
	sr_schema_set_free(set);
}

static void test_numbers(void)
{
	const char *integer = "{\"type\": \"integer\"}";

	/* in JSON Schema 1.0 is an integer; so are big ones */
	CHECK(valid(integer, "1.0"));
	CHECK(valid(integer, "1e2"));
	CHECK(valid(integer, "-0"));
	CHECK(valid(integer, "12345678901234567890"));
	CHECK(valid(integer, "1e400"));
	CHECK(!valid(integer, "1.5"));
	CHECK(!valid(integer, "1e-2"));
	CHECK(!valid(integer, "\"1\""));
	CHECK(valid(integer, "0x10"));	/* YAML 1.2 core hex */
	CHECK(!valid(integer, ".inf"));
	CHECK(valid("{\"type\": \"number\"}", ".inf"));
	/* comparisons are exact, beyond double precision */
	CHECK(!valid("{\"maximum\": 12345678901234567890}",
		     "12345678901234567891"));
	CHECK(valid("{\"maximum\": 12345678901234567890}",
		    "12345678901234567890.0"));
	CHECK(!valid("{\"exclusiveMaximum\": 1e308}", "1e400"));
	CHECK(valid("{\"minimum\": -1e400}", "-1e308"));
	/* multipleOf is decimal arithmetic, not floating point */
	CHECK(valid("{\"multipleOf\": 0.01}", "0.07"));
	CHECK(valid("{\"multipleOf\": 0.01}", "19.99"));
	CHECK(valid("{\"multipleOf\": 0.1}", "0.3"));
	CHECK(!valid("{\"multipleOf\": 0.01}", "0.075"));
	CHECK(valid("{\"multipleOf\": 1e-8}", "12391239123"));
	CHECK(!valid("{\"multipleOf\": 0.123456789}", "1e308"));
	CHECK(valid("{\"multipleOf\": 16}", "0x20"));
	/* numbers are equal by value */
	CHECK(valid("{\"const\": 1}", "1.0"));
	CHECK(valid("{\"enum\": [100]}", "1e2"));
	CHECK(!valid("{\"const\": 1}", "\"1\""));
	CHECK(valid("{\"uniqueItems\": true}", "[1, \"1\", true]"));
	CHECK(!valid("{\"uniqueItems\": true}", "[1, 1.0]"));
	CHECK(!valid("{\"uniqueItems\": true}",
		     "[{\"a\": 1, \"b\": [2]}, 3, {\"b\": [2.0], \"a\": 1}]"));
}

static void test_yaml_instances(void)
{
	/* quoted scalars are strings, plain ones are resolved */
	CHECK(valid("{\"type\": \"string\"}", "'1'"));
	CHECK(!valid("{\"type\": \"string\"}", "1"));
	CHECK(valid("{\"type\": \"null\"}", "~"));
	CHECK(valid("{\"type\": \"null\"}", "a: 1\n---\n") == false);
	CHECK(valid("{\"type\": \"boolean\"}", "true"));
	CHECK(valid("{\"type\": \"string\"}", "\"true\""));
	CHECK(valid("{\"type\": \"string\"}", "!!str 12"));
	/* merge keys and aliases are seen as plain JSON */
	CHECK(valid("{\"required\": [\"a\", \"b\"]}",
		    "base: &b {a: 1}\nx:\n  <<: *b\n  b: 2\n") == false);
	CHECK(valid("{\"properties\": {\"x\": {\"required\": [\"a\", \"b\"]}}}",
		    "base: &b {a: 1}\nx:\n  <<: *b\n  b: 2\n"));
	/* property names are strings, whatever they look like in YAML */
	CHECK(valid("{\"propertyNames\": {\"type\": \"string\", "
		    "\"maxLength\": 4}}", "1: a\ntrue: b\nnull: c\n"));
	CHECK(!valid("{\"propertyNames\": {\"maxLength\": 3}}", "abcd: 1\n"));
	/* string length counts code points */
	CHECK(valid("{\"maxLength\": 2}", "\"\xc3\xa9\xe2\x82\xac\""));
	CHECK(!valid("{\"maxLength\": 1}", "\"\xc3\xa9\xe2\x82\xac\""));
}

static void test_explanations(void)
{
	struct sr_schema_set *set;
	const struct sr_schema *s = schema(&set, NULL,
		"{\"properties\": {"
		" \"retry\": {\"oneOf\": [{\"type\": \"integer\"},"
		"   {\"type\": \"object\", \"required\": [\"attempts\"],"
		"    \"properties\": {\"attempts\": {\"minimum\": 1}}}]},"
		" \"mode\": {\"anyOf\": [{\"const\": \"auto\"},"
		"   {\"type\": \"integer\"}]},"
		" \"shape\": {\"oneOf\": ["
		"   {\"properties\": {\"kind\": {\"const\": \"circle\"},"
		"     \"r\": {\"type\": \"number\"}}, \"required\": [\"r\"]},"
		"   {\"properties\": {\"kind\": {\"const\": \"square\"},"
		"     \"side\": {\"type\": \"number\"}},"
		"    \"required\": [\"side\"]}]},"
		" \"n\": {\"oneOf\": [{\"minimum\": 0}, {\"maximum\": 10}]}"
		"}}");
	struct errs e;

	CHECK(s != NULL);
	if (!s)
		goto done;
	/* every alternative rejected the type or value: one summary */
	CHECK_INT(check(s, "retry: true", &e), 1);
	CHECK_STR(e.text, "1:8 /retry oneOf retry: expected integer or "
		  "object, got boolean true\n");
	CHECK_INT(check(s, "mode: manual", &e), 1);
	CHECK_STR(e.text, "1:7 /mode anyOf mode: expected \"auto\" or "
		  "integer, got string \"manual\"\n");
	/* the alternative whose type matched explains the failure */
	CHECK_INT(check(s, "retry: {attempts: 0}", &e), 1);
	CHECK_STR(e.text, "1:19 /retry/attempts minimum attempts: must be "
		  ">= 1, got 0 (oneOf alternative 2 of 2, the closest "
		  "match)\n");
	/* the alternative whose discriminator matched */
	CHECK_INT(check(s, "shape: {kind: square, side: x}", &e), 1);
	CHECK_STR(e.text, "1:29 /shape/side type side: expected number, "
		  "got string \"x\" (oneOf alternative 2 of 2, the closest "
		  "match)\n");
	/* no discriminator matched: say what it may be */
	CHECK_INT(check(s, "shape: {kind: tri}", &e), 1);
	CHECK_STR(e.text, "1:15 /shape/kind oneOf kind: expected \"circle\" "
		  "or \"square\", got string \"tri\"\n");
	CHECK_INT(check(s, "n: 5", &e), 1);
	CHECK_STR(e.text, "1:4 /n oneOf n: must match exactly one "
		  "alternative in 'oneOf', but matches alternatives 1 and "
		  "2\n");
done:
	sr_schema_set_free(set);
}

static void test_unevaluated(void)
{
	struct sr_schema_set *set;
	const struct sr_schema *s = schema(&set, NULL,
		"{\"allOf\": [{\"properties\": {\"a\": {\"type\": "
		"\"integer\"}}}], \"unevaluatedProperties\": false}");
	struct errs e;

	CHECK(s != NULL);
	if (!s)
		goto done;
	CHECK_INT(check(s, "{a: 1}", &e), 0);
	/* a bad value of a known property is not also "not allowed" */
	CHECK_INT(check(s, "{a: x, b: 1}", &e), 2);
	CHECK_STR(e.text, "1:5 /a type a: expected integer, got string "
		  "\"x\"\n"
		  "1:8 /b unevaluatedProperties (root): property \"b\" is "
		  "not allowed (no keyword of the schema covers it)\n");
done:
	sr_schema_set_free(set);
}

static void test_schema_errors(void)
{
	struct sr_schema_set *set;
	const struct sr_schema *s = NULL;
	const char *bad_props = "{\n  \"type\": \"object\",\n"
				"  \"properties\": 5\n}";
	const char *bad_ref = "{\"items\": {\"$ref\": \"other.json\"}}";

	sr_schema_set_new(&set, NULL);
	CHECK_INT(sr_schema_load(&s, set, NULL, "s.json", bad_props,
				 strlen(bad_props)), SR_EINVALID);
	CHECK(s == NULL);
	CHECK_STR(sr_error_last(), "s.json:3:17: 'properties' must be an "
		  "object of schemas");
	CHECK_INT(sr_schema_load(&s, set, "file:///x/s.json", "s.json",
				 bad_ref, strlen(bad_ref)), SR_EINVALID);
	CHECK_STR(sr_error_last(), "s.json:1:20: $ref 'other.json': cannot "
		  "resolve 'file:///x/other.json': not a known schema "
		  "(srctl never fetches schemas from the network)");
	CHECK_INT(sr_schema_load(&s, set, NULL, "p.json",
				 "{\"pattern\": \"\\\\a\"}", 18), SR_EINVALID);
	CHECK_STR(sr_error_last(), "p.json:1:13: invalid regular expression "
		  "'\\a': unknown escape at offset 0");
	CHECK_INT(sr_schema_load(&s, set, NULL, "y.json", "{\"a\": [}", 8),
		  SR_EPARSE);
	CHECK_INT(sr_schema_load(&s, set, NULL, "m.json",
				 "{\"minLength\": -1}", 17), SR_EINVALID);
	CHECK_STR(sr_error_last(), "m.json:1:15: 'minLength' must be a "
		  "non-negative integer");
	/* a $ref cycle that never reaches a value stops, it does not hang */
	CHECK_INT(sr_schema_load(&s, set, NULL, "c.json", "{\"$ref\": \"#\"}",
				 13), 0);
	CHECK(s && !sr_schema_valid(s, NULL));
	sr_schema_set_free(set);
}

static void test_remote_map(void)
{
	char dir[] = "/tmp/srctl-schema-XXXXXX";
	char path[256];
	const char *defs = "{\"$id\": \"https://example.com/s/defs.json\","
			   " \"$defs\": {\"port\": {\"type\": \"integer\","
			   " \"maximum\": 65535}}}";
	const char *main_schema = "{\"$id\": \"https://example.com/s/m.json\","
				  " \"properties\": {\"port\": {\"$ref\": "
				  "\"defs.json#/$defs/port\"}}}";
	struct sr_schema_set *set;
	const struct sr_schema *s = NULL;
	struct errs e;
	FILE *f;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/defs.json", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(defs, f);
	fclose(f);
	sr_schema_set_new(&set, NULL);
	sr_schema_set_map(set, "https://example.com/s/", dir);
	CHECK_INT(sr_schema_load(&s, set, NULL, "m.json", main_schema,
				 strlen(main_schema)), 0);
	if (s) {
		const struct sr_schema *port = NULL;

		CHECK_STR(sr_schema_uri(s), "https://example.com/s/m.json");
		CHECK_INT(sr_schema_get(&port, set, "https://example.com/s/"
					"defs.json#/$defs/port"), 0);
		CHECK(port && sr_schema_valid(port, NULL) == false);
		CHECK_INT(sr_schema_get(&port, set, "https://example.com/s/"
					"nope.json"), SR_ENOTFOUND);
		CHECK(port == NULL);
		CHECK_INT(check(s, "{\"port\": 8080}", &e), 0);
		CHECK_INT(check(s, "{\"port\": 70000}", &e), 1);
		CHECK_STR(e.text, "1:10 /port maximum port: must be <= 65535, "
			  "got 70000\n");
	}
	sr_schema_set_free(set);
	unlink(path);
	rmdir(dir);
}

static void test_regex(void)
{
	static const struct {
		const char *pattern, *subject;
		int want;
	} cases[] = {
		{ "^\\d+$", "123", 1 },
		{ "^\\d+$", "\xd9\xa1\xd9\xa2", 0 },	/* Arabic-Indic */
		{ "^\\w$", "\xc3\xa9", 0 },
		{ "^\\s$", "\xc2\xa0", 1 },		/* U+00A0 */
		{ "^\\S$", "\xc2\xa0", 0 },
		{ "^a$", "a\n", 0 },		/* $ at the end only */
		{ "^.$", "\n", 0 },
		{ "^.$", "\xe2\x80\xa8", 0 },		/* U+2028 */
		{ "^.$", "\xf0\x9f\x90\xb2", 1 },	/* one code point */
		{ "^\\p{Letter}+$", "\xc3\xa9t\xc3\xa9", 1 },
		{ "^\\p{Lu}$", "a", 0 },
		{ "^\\u00e9$", "\xc3\xa9", 1 },
		{ "^\\uD83D\\uDC32$", "\xf0\x9f\x90\xb2", 1 },
		{ "^\\u{1F432}$", "\xf0\x9f\x90\xb2", 1 },
		{ "^[^]$", "\n", 1 },
		{ "^\\cJ$", "\n", 1 },
		{ "^[\\d-]+$", "1-2", 1 },
		{ "^[[:a]$", "[", 1 },			/* not POSIX [: */
		{ "\\a", "", -1 },
		{ "\\Z", "", -1 },
		{ "(?i)a", "", -1 },
		{ "(?P<x>a)", "", -1 },
		{ "(", "", -1 },
	};
	size_t i;

	for (i = 0; i < SR_ARRAY_SIZE(cases); i++) {
		struct sr_regex *re = NULL;
		int got;

		if (sr_regex_new(&re, cases[i].pattern,
				 strlen(cases[i].pattern), SR_REGEX_ECMA) < 0)
			got = -1;
		else
			got = sr_regex_search(re, cases[i].subject,
					      strlen(cases[i].subject));
		if (got != cases[i].want)
			fprintf(stderr, "regex case %zu: /%s/\n", i,
				cases[i].pattern);
		CHECK_INT(got, cases[i].want);
		sr_regex_free(re);
	}
}

static void test_formats(void)
{
	struct sr_schema_options opts = SR_SCHEMA_OPTIONS_INIT;
	struct sr_schema_set *set, *set2;
	const char *text = "{\"properties\": {"
			   "\"at\": {\"format\": \"date-time\"},"
			   "\"d\": {\"format\": \"duration\"},"
			   "\"ip\": {\"format\": \"ipv4\"}}}";
	const struct sr_schema *annot = schema(&set, NULL, text), *assert;
	struct errs e;

	opts.format_assert = true;
	assert = schema(&set2, &opts, text);
	CHECK(annot && assert);
	if (annot && assert) {
		/* an annotation by default */
		CHECK_INT(check(annot, "at: '2024-02-30T00:00:00Z'", &e), 0);
		CHECK_INT(check(assert, "{at: '2024-02-29T23:59:60Z', "
				"d: P1DT2H, ip: 10.0.0.1}", &e), 0);
		CHECK_INT(check(assert, "at: '2024-02-30T00:00:00Z'", &e), 1);
		CHECK_STR(e.text, "1:5 /at format at: expected a valid "
			  "date-time, got \"2024-02-30T00:00:00Z\"\n");
		CHECK_INT(check(assert, "{d: PT, ip: 010.0.0.1}", &e), 2);
	}
	sr_schema_set_free(set);
	sr_schema_set_free(set2);
}

static void test_draft7(void)
{
	struct sr_schema_options opts = SR_SCHEMA_OPTIONS_INIT;
	struct sr_schema_set *set;
	const struct sr_schema *s;
	struct errs e;

	opts.default_draft = SR_SCHEMA_DRAFT_7;
	/* $ref overrides its siblings; items/additionalItems arrays */
	s = schema(&set, &opts,
		   "{\"definitions\": {\"a\": {\"type\": \"integer\"}},"
		   " \"properties\": {"
		   "  \"r\": {\"$ref\": \"#/definitions/a\","
		   "         \"type\": \"string\"},"
		   "  \"t\": {\"items\": [{\"type\": \"string\"}],"
		   "         \"additionalItems\": false},"
		   "  \"d\": {\"dependencies\": {\"a\": [\"b\"]}}}}");
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(check(s, "r: 1", &e), 0);
		CHECK_INT(check(s, "t: [a, b]", &e), 1);
		CHECK_STR(e.text, "1:4 /t additionalItems t: must have at most "
			  "1 item, got 2\n");
		CHECK_INT(check(s, "d: {a: 1}", &e), 1);
		CHECK_STR(e.text, "1:4 /d dependencies d: missing property "
			  "\"b\", required when \"a\" is present\n");
	}
	sr_schema_set_free(set);
	/* "$schema" picks the dialect whatever the default */
	s = schema(&set, NULL,
		   "{\"$schema\": \"http://json-schema.org/draft-07/schema#\","
		   " \"$ref\": \"#/definitions/a\", \"type\": \"string\","
		   " \"definitions\": {\"a\": {\"type\": \"integer\"}}}");
	CHECK(s && valid("{\"$schema\": \"http://json-schema.org/draft-07/"
			 "schema#\", \"$ref\": \"#/definitions/a\", \"type\": "
			 "\"string\", \"definitions\": {\"a\": {\"type\": "
			 "\"integer\"}}}", "1"));
	sr_schema_set_free(set);
	/* and the meta-schemas are built in */
	CHECK(!valid("{\"$ref\": \"https://json-schema.org/draft/2020-12/"
		     "schema\"}", "{\"minLength\": -1}"));
	CHECK(valid("{\"$ref\": \"http://json-schema.org/draft-07/schema#\"}",
		    "{\"items\": [{}], \"additionalItems\": false}"));
}

int main(void)
{
	test_messages();
	test_numbers();
	test_yaml_instances();
	test_explanations();
	test_unevaluated();
	test_schema_errors();
	test_remote_map();
	test_regex();
	test_formats();
	test_draft7();
	return sr_test_done();
}

/*
 * Unit tests for report/: the findings list and every output format,
 * rendered into memory and compared with exact expected text (short, json,
 * github, text) or checked for their structure (sarif, junit).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "base/error.h"
#include "base/xmalloc.h"
#include "catalog/catalog.h"
#include "report/finding.h"
#include "report/report.h"
#include "harness.h"
#include "base/banned.h"

static char *dup_or_null(const char *s)
{
	return s ? sr_xstrdup(s) : NULL;
}

static void add(struct sr_findings *l, const char *rule,
		enum sr_severity sev, const char *path, const char *relpath,
		unsigned line, unsigned col, const char *message,
		const char *fix, const char *source_line, const char *pointer)
{
	struct sr_finding f;

	memset(&f, 0, sizeof(f));
	f.rule = sr_xstrdup(rule);
	f.severity = sev;
	f.path = sr_xstrdup(path);
	f.relpath = sr_xstrdup(relpath);
	f.start.line = line;
	f.start.col = col;
	f.message = sr_xstrdup(message);
	f.fix = dup_or_null(fix);
	f.source_line = dup_or_null(source_line);
	f.pointer = dup_or_null(pointer);
	sr_findings_take(l, &f);
	CHECK(f.rule == NULL && f.message == NULL);
}

/* Render 'l' with the given options; caller frees. */
static char *render(const struct sr_findings *l, enum sr_format format,
		    bool color, bool quiet, const char *command)
{
	struct sr_report_opts opts;
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	SR_ASSERT(f);
	opts.format = format;
	opts.color = color;
	opts.quiet = quiet;
	opts.command = command;
	CHECK_INT(sr_report_write(f, l, &opts), 0);
	fclose(f);
	return s;
}

static bool contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		fprintf(stderr, "missing: [%s]\n", needle);
		return false;
	}
	return true;
}

static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	for (;;) {
		p = strstr(p, needle);
		if (!p)
			return n;
		n++;
		p += strlen(needle);
	}
}

/*
 * The SARIF result for 'rule': the text from its "ruleId" to the next
 * result's. Caller frees; NULL if there is none.
 */
static char *sarif_result(const char *sarif, const char *rule)
{
	char key[128];
	const char *start, *end;

	snprintf(key, sizeof(key), "\"ruleId\": \"%s\"", rule);
	start = strstr(sarif, key);
	if (!start)
		return NULL;
	end = strstr(start + 1, "\"ruleId\"");
	if (!end)
		end = start + strlen(start);
	return sr_xstrndup(start, (size_t)(end - start));
}

/* Five findings, added out of order, then sorted. */
static void build(struct sr_findings *l)
{
	add(l, "timeout/max", SR_SEV_WARNING, "svc/timeout.yaml",
	    "svc/timeout.yaml", 9, 3, "max below base", "raise max",
	    "  max: 1", "/redis/max");
	add(l, "x/escape", SR_SEV_ERROR, "./we,ird:dir/q.yaml",
	    "we,ird:dir/q.yaml", 2, 5,
	    "bad \"value\" <a> & 100%\nsecond line", NULL,
	    "\xe5\x90\x8d\xe5\x89\x8d: \"x\"", NULL);
	add(l, "timeout/unit", SR_SEV_ERROR, "svc/timeout.yaml",
	    "svc/timeout.yaml", 4, 18,
	    "base must be an integer count of milliseconds, got \"2s\"",
	    "use base: 2000",
	    "    redis: { base: \"2s\", multiplier: 1.5, max: 2000 }",
	    "/redis/base");
	add(l, "yaml/empty", SR_SEV_INFO, "./empty.yaml", "empty.yaml", 0, 0,
	    "file is empty", "delete it", NULL, NULL);
	add(l, "probe/identical", SR_SEV_WARNING, "./k8s/api.yaml",
	    "k8s/api.yaml", 3, 17,
	    "readiness and liveness probes are identical (caf\xc3\xa9)", NULL,
	    "\tlabel: \"caf\xc3\xa9\", x: 1", NULL);
	l->files = 5;
	l->suppressed = 2;
	sr_findings_sort(l);
}

static void test_severity(void)
{
	enum sr_severity sev = SR_SEV_OFF;

	CHECK_STR(sr_severity_name(SR_SEV_OFF), "off");
	CHECK_STR(sr_severity_name(SR_SEV_INFO), "info");
	CHECK_STR(sr_severity_name(SR_SEV_WARNING), "warning");
	CHECK_STR(sr_severity_name(SR_SEV_ERROR), "error");
	CHECK(sr_severity_parse("warning", &sev));
	CHECK_INT(sev, SR_SEV_WARNING);
	CHECK(sr_severity_parse("off", &sev));
	CHECK_INT(sev, SR_SEV_OFF);
	CHECK(sr_severity_parse("error", &sev));
	CHECK_INT(sev, SR_SEV_ERROR);
	CHECK(!sr_severity_parse("Error", &sev));
	CHECK(!sr_severity_parse("", &sev));
	CHECK(!sr_severity_parse(NULL, &sev));
	CHECK_INT(sev, SR_SEV_ERROR);
}

static void test_format_names(void)
{
	enum sr_format fmt = SR_FORMAT_TEXT;

	CHECK_STR(sr_format_names[SR_FORMAT_TEXT], "text");
	CHECK_STR(sr_format_names[SR_FORMAT_SHORT], "short");
	CHECK_STR(sr_format_names[SR_FORMAT_JSON], "json");
	CHECK_STR(sr_format_names[SR_FORMAT_SARIF], "sarif");
	CHECK_STR(sr_format_names[SR_FORMAT_JUNIT], "junit");
	CHECK_STR(sr_format_names[SR_FORMAT_GITHUB], "github");
	CHECK_STR(sr_format_names[SR_FORMAT_CODEQUALITY], "codequality");
	CHECK(sr_format_names[SR_FORMAT_CODEQUALITY + 1] == NULL);
	CHECK(sr_format_parse("sarif", &fmt));
	CHECK_INT(fmt, SR_FORMAT_SARIF);
	CHECK(sr_format_parse("short", &fmt));
	CHECK_INT(fmt, SR_FORMAT_SHORT);
	CHECK(!sr_format_parse("xml", &fmt));
	CHECK(!sr_format_parse(NULL, &fmt));
	CHECK_INT(fmt, SR_FORMAT_SHORT);
}

static void test_list(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	struct sr_findings empty = SR_FINDINGS_INIT;

	build(&l);
	CHECK_INT(l.n, 5);
	CHECK_STR(l.v[0].rule, "yaml/empty");
	CHECK_STR(l.v[1].rule, "probe/identical");
	CHECK_STR(l.v[2].rule, "x/escape");
	CHECK_STR(l.v[3].rule, "timeout/unit");
	CHECK_STR(l.v[4].rule, "timeout/max");
	CHECK_INT(sr_findings_count(&l, SR_SEV_ERROR), 2);
	CHECK_INT(sr_findings_count(&l, SR_SEV_WARNING), 2);
	CHECK_INT(sr_findings_count(&l, SR_SEV_INFO), 1);
	CHECK_INT(sr_findings_count(&l, SR_SEV_OFF), 0);
	CHECK(sr_findings_any_at_least(&l, SR_SEV_ERROR));
	CHECK(sr_findings_any_at_least(&l, SR_SEV_INFO));
	CHECK(!sr_findings_any_at_least(&empty, SR_SEV_INFO));

	/* same position: rule, then message, break the tie */
	add(&empty, "b/rule", SR_SEV_ERROR, "f", "f", 1, 1, "m", NULL, NULL,
	    NULL);
	add(&empty, "a/rule", SR_SEV_ERROR, "f", "f", 1, 1, "z", NULL, NULL,
	    NULL);
	add(&empty, "a/rule", SR_SEV_ERROR, "f", "f", 1, 1, "y", NULL, NULL,
	    NULL);
	add(&empty, "z/rule", SR_SEV_ERROR, "f", "f", 1, 0, "y", NULL, NULL,
	    NULL);
	sr_findings_sort(&empty);
	CHECK_STR(empty.v[0].rule, "z/rule");
	CHECK_STR(empty.v[1].message, "y");
	CHECK_STR(empty.v[2].message, "z");
	CHECK_STR(empty.v[3].rule, "b/rule");
	CHECK(sr_findings_any_at_least(&empty, SR_SEV_OFF));

	sr_findings_release(&l);
	CHECK(l.v == NULL && l.n == 0);
	sr_findings_release(&l);
	sr_findings_release(&empty);
	sr_findings_release(NULL);
	sr_finding_release(NULL);
}

/* Findings taken while parked come back equal, in the order taken. */
static void test_park(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	const char *tmpdir = getenv("TMPDIR");
	char *saved = tmpdir ? sr_xstrdup(tmpdir) : NULL;
	int round;

	for (round = 0; round < 2; round++) {
		/* round 1: no temporary file can be made, memory it is */
		if (round == 1)
			setenv("TMPDIR", "/nonexistent/srctl-unit", 1);
		sr_findings_park(&l);
		CHECK(l.parking == (round == 0));
		add(&l, "timeout/unit", SR_SEV_ERROR, "./a b.yaml", "a b.yaml",
		    3, 7, "m\t\u00e9", "", NULL, "/x/0");
		add(&l, "cb/missing", SR_SEV_INFO, "c.yaml", "c.yaml", 0, 0,
		    "", NULL, "  src: 1", NULL);
		CHECK_INT(l.n, round == 0 ? 0 : 2);
		l.files = 4;
		CHECK_INT(sr_findings_unpark(&l), 0);
		CHECK(!l.parking);
		CHECK_INT(l.n, 2);
		CHECK_INT(l.files, 4);
		CHECK_STR(l.v[0].rule, "timeout/unit");
		CHECK_INT(l.v[0].severity, SR_SEV_ERROR);
		CHECK_STR(l.v[0].path, "./a b.yaml");
		CHECK_STR(l.v[0].relpath, "a b.yaml");
		CHECK_INT(l.v[0].start.line, 3);
		CHECK_INT(l.v[0].start.col, 7);
		CHECK_STR(l.v[0].message, "m\t\u00e9");
		CHECK_STR(l.v[0].fix, "");
		CHECK(l.v[0].source_line == NULL);
		CHECK_STR(l.v[0].pointer, "/x/0");
		CHECK_STR(l.v[1].rule, "cb/missing");
		CHECK_STR(l.v[1].message, "");
		CHECK(l.v[1].fix == NULL);
		CHECK_STR(l.v[1].source_line, "  src: 1");
		CHECK(l.v[1].pointer == NULL);
		/* taken after unparking: appended in memory */
		add(&l, "x/late", SR_SEV_WARNING, "d", "d", 1, 1, "z", NULL,
		    NULL, NULL);
		CHECK_INT(l.n, 3);
		CHECK_STR(l.v[2].rule, "x/late");
		sr_findings_release(&l);
	}
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);

	/* released while parked: the file goes too (valgrind, ASan) */
	sr_findings_park(&l);
	add(&l, "x/y", SR_SEV_ERROR, "p", "p", 1, 1, "m", NULL, NULL, NULL);
	sr_findings_release(&l);
	CHECK(!l.parking && l.nparked == 0);
}

/*
 * A write that fails part way (here a file size limit, as a full disk
 * would): the findings already parked come back, the one that failed and
 * every later one stay in memory, and the order is the order taken.
 */
static void test_park_write_error(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	struct rlimit old, small;
	void (*old_handler)(int);
	char msg[16];
	int i;

	if (getrlimit(RLIMIT_FSIZE, &old) != 0)
		return;
	small = old;
	small.rlim_cur = 300;	/* a few records of about 100 bytes fit */
	old_handler = signal(SIGXFSZ, SIG_IGN);
	CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
	sr_findings_park(&l);
	CHECK(l.parking);
	for (i = 0; i < 5; i++) {
		snprintf(msg, sizeof(msg), "finding %d", i);
		add(&l, "timeout/unit", SR_SEV_ERROR, "dir/file.yaml",
		    "file.yaml", (unsigned)i + 1, 1, msg, NULL, NULL, NULL);
	}
	CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
	signal(SIGXFSZ, old_handler);
	/* some parked, the rest in memory */
	CHECK(l.nparked > 0 && l.n > 0);
	CHECK_INT(l.nparked + l.n, 5);
	CHECK_INT(sr_findings_unpark(&l), 0);
	CHECK_INT(l.n, 5);
	for (i = 0; i < 5 && i < (int)l.n; i++) {
		snprintf(msg, sizeof(msg), "finding %d", i);
		CHECK_STR(l.v[i].message, msg);
		CHECK_INT(l.v[i].start.line, i + 1);
	}
	sr_findings_release(&l);
}

static void test_short(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	char *s;

	build(&l);
	s = render(&l, SR_FORMAT_SHORT, true, false, "validate");
	CHECK_STR(s,
		  "./empty.yaml: info: file is empty [yaml/empty]\n"
		  "./k8s/api.yaml:3:17: warning: readiness and liveness "
		  "probes are identical (caf\xc3\xa9) [probe/identical]\n"
		  "./we,ird:dir/q.yaml:2:5: error: bad \"value\" <a> & 100%\n"
		  "second line [x/escape]\n"
		  "svc/timeout.yaml:4:18: error: base must be an integer "
		  "count of milliseconds, got \"2s\" [timeout/unit]\n"
		  "svc/timeout.yaml:9:3: warning: max below base "
		  "[timeout/max]\n");
	free(s);
	sr_findings_release(&l);

	s = render(&l, SR_FORMAT_SHORT, false, false, NULL);
	CHECK_STR(s, "");
	free(s);
}

static void test_text(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	char *s;

	build(&l);
	s = render(&l, SR_FORMAT_TEXT, false, false, "validate");
	CHECK_STR(s,
		  "./empty.yaml: info: file is empty [yaml/empty]\n"
		  "  fix: delete it\n"
		  "./k8s/api.yaml:3:17: warning: readiness and liveness "
		  "probes are identical (caf\xc3\xa9) [probe/identical]\n"
		  "    3 | \tlabel: \"caf\xc3\xa9\", x: 1\n"
		  "      | \t               ^\n"
		  "./we,ird:dir/q.yaml:2:5: error: bad \"value\" <a> & 100%\n"
		  "second line [x/escape]\n"
		  "    2 | \xe5\x90\x8d\xe5\x89\x8d: \"x\"\n"
		  "      |       ^\n"
		  "svc/timeout.yaml:4:18: error: base must be an integer "
		  "count of milliseconds, got \"2s\" [timeout/unit]\n"
		  "    4 |     redis: { base: \"2s\", multiplier: 1.5, "
		  "max: 2000 }\n"
		  "      |                  ^\n"
		  "  fix: use base: 2000\n"
		  "svc/timeout.yaml:9:3: warning: max below base "
		  "[timeout/max]\n"
		  "    9 |   max: 1\n"
		  "      |   ^\n"
		  "  fix: raise max\n"
		  "2 errors, 2 warnings, 1 info in 5 files (2 suppressed)\n");
	free(s);

	/* quiet only drops the summary of an empty report */
	s = render(&l, SR_FORMAT_TEXT, false, true, "validate");
	CHECK(contains(s, "\n2 errors, 2 warnings, 1 info in 5 files"));
	free(s);

	s = render(&l, SR_FORMAT_TEXT, true, false, "validate");
	CHECK(contains(s, "\033[1m./k8s/api.yaml:3:17:\033[0m "
			  "\033[1;35mwarning:\033[0m readiness"));
	CHECK(contains(s, "\033[1m./empty.yaml:\033[0m "
			  "\033[1;36minfo:\033[0m file is empty"));
	CHECK(contains(s, "\033[1;31merror:\033[0m base must"));
	CHECK(contains(s, "      |                  \033[1;32m^\033[0m\n"));
	free(s);
	sr_findings_release(&l);
}

static void test_text_edges(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	char *s;

	s = render(&l, SR_FORMAT_TEXT, false, true, "validate");
	CHECK_STR(s, "");
	free(s);
	s = render(&l, SR_FORMAT_TEXT, true, false, "validate");
	CHECK_STR(s, "no findings in 0 files\n");
	free(s);
	l.files = 1;
	s = render(&l, SR_FORMAT_TEXT, false, false, "validate");
	CHECK_STR(s, "no findings in 1 file\n");
	free(s);
	l.files = 3;
	l.suppressed = 1;
	s = render(&l, SR_FORMAT_TEXT, false, false, "validate");
	CHECK_STR(s, "no findings in 3 files (1 suppressed)\n");
	free(s);

	/*
	 * One error; a wide gutter; a caret past the end of the line; a
	 * finding without a source line; CRLF kept out of the excerpt.
	 */
	l.files = 1;
	l.suppressed = 0;
	add(&l, "a/b", SR_SEV_ERROR, "f.yaml", "f.yaml", 12345, 6, "m", NULL,
	    "abc\r\n", NULL);
	add(&l, "a/c", SR_SEV_WARNING, "f.yaml", "f.yaml", 12346, 1, "n",
	    NULL, NULL, NULL);
	s = render(&l, SR_FORMAT_TEXT, false, false, "lint");
	CHECK_STR(s,
		  "f.yaml:12345:6: error: m [a/b]\n"
		  " 12345 | abc\n"
		  "       |      ^\n"
		  "f.yaml:12346:1: warning: n [a/c]\n"
		  "1 error, 1 warning, 0 info in 1 file\n");
	free(s);
	sr_findings_release(&l);
}

static void test_json(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	char *s;

	build(&l);
	s = render(&l, SR_FORMAT_JSON, true, true, "validate");
	CHECK_STR(s,
		  "{\"version\":1,\"findings\":["
		  "{\"rule\":\"yaml/empty\",\"severity\":\"info\","
		  "\"file\":\"empty.yaml\",\"line\":0,\"column\":0,"
		  "\"message\":\"file is empty\",\"fix\":\"delete it\"},"
		  "{\"rule\":\"probe/identical\",\"severity\":\"warning\","
		  "\"file\":\"k8s/api.yaml\",\"line\":3,\"column\":17,"
		  "\"message\":\"readiness and liveness probes are identical "
		  "(caf\xc3\xa9)\",\"fix\":null},"
		  "{\"rule\":\"x/escape\",\"severity\":\"error\","
		  "\"file\":\"we,ird:dir/q.yaml\",\"line\":2,\"column\":5,"
		  "\"message\":\"bad \\\"value\\\" <a> & 100%\\nsecond line\","
		  "\"fix\":null},"
		  "{\"rule\":\"timeout/unit\",\"severity\":\"error\","
		  "\"file\":\"svc/timeout.yaml\",\"line\":4,\"column\":18,"
		  "\"message\":\"base must be an integer count of "
		  "milliseconds, got \\\"2s\\\"\",\"fix\":\"use base: 2000\","
		  "\"pointer\":\"/redis/base\"},"
		  "{\"rule\":\"timeout/max\",\"severity\":\"warning\","
		  "\"file\":\"svc/timeout.yaml\",\"line\":9,\"column\":3,"
		  "\"message\":\"max below base\",\"fix\":\"raise max\","
		  "\"pointer\":\"/redis/max\"}],"
		  "\"summary\":{\"files\":5,\"error\":2,\"warning\":2,"
		  "\"info\":1,\"suppressed\":2}}\n");
	free(s);
	sr_findings_release(&l);

	s = render(&l, SR_FORMAT_JSON, false, false, "validate");
	CHECK_STR(s,
		  "{\"version\":1,\"findings\":[],\"summary\":{\"files\":0,"
		  "\"error\":0,\"warning\":0,\"info\":0,\"suppressed\":0}}\n");
	free(s);

	/* ill-formed UTF-8 and control characters still give valid JSON */
	add(&l, "a/b", SR_SEV_ERROR, "f", "f\xff.yaml", 1, 1,
	    "x\xc3(\x01\xed\xa0\x80y", NULL, NULL, NULL);
	s = render(&l, SR_FORMAT_JSON, false, false, "validate");
	CHECK(contains(s, "\"file\":\"f\xef\xbf\xbd.yaml\""));
	CHECK(contains(s, "\"message\":\"x\xef\xbf\xbd(\\u0001"
			  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy\""));
	free(s);
	sr_findings_release(&l);
}

static void test_github(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	char *s;

	build(&l);
	s = render(&l, SR_FORMAT_GITHUB, true, false, "validate");
	CHECK_STR(s,
		  "::notice file=./empty.yaml,title=yaml/empty::file is "
		  "empty\n"
		  "::warning file=./k8s/api.yaml,line=3,col=17,"
		  "title=probe/identical::readiness and liveness probes are "
		  "identical (caf\xc3\xa9)\n"
		  "::error file=./we%2Cird%3Adir/q.yaml,line=2,col=5,"
		  "title=x/escape::bad \"value\" <a> & 100%25%0Asecond line\n"
		  "::error file=svc/timeout.yaml,line=4,col=18,"
		  "title=timeout/unit::base must be an integer count of "
		  "milliseconds, got \"2s\"\n"
		  "::warning file=svc/timeout.yaml,line=9,col=3,"
		  "title=timeout/max::max below base\n");
	free(s);
	sr_findings_release(&l);
}

static void test_junit(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	char *s;

	build(&l);
	s = render(&l, SR_FORMAT_JUNIT, true, false, "validate");
	CHECK(!strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39));
	CHECK(contains(s, "<testsuites name=\"srctl\" tests=\"4\" "
			  "failures=\"4\">"));
	CHECK(contains(s, "<testsuite name=\"srctl validate\" tests=\"4\" "
			  "failures=\"4\""));
	CHECK(contains(s, "<testcase classname=\"srctl\" "
			  "name=\"empty.yaml\">"));
	CHECK(contains(s, "<testcase classname=\"srctl\" "
			  "name=\"we,ird:dir/q.yaml\">\n"
			  "      <failure type=\"x/escape\" message=\"bad "
			  "&quot;value&quot; &lt;a&gt; &amp; 100%&#10;second "
			  "line\">./we,ird:dir/q.yaml:2:5: error: bad "
			  "&quot;value&quot; &lt;a&gt; &amp; 100%\nsecond "
			  "line</failure>\n    </testcase>"));
	/* both findings in one file share one test case */
	CHECK(contains(s, "name=\"svc/timeout.yaml\">\n"
			  "      <failure type=\"timeout/unit\""));
	CHECK(contains(s, "svc/timeout.yaml:9:3: warning: max below base"
			  "</failure>\n    </testcase>\n    <testcase "));
	CHECK(contains(s, "second line</failure>\n    </testcase>\n"
			  "  </testsuite>\n</testsuites>\n"));
	CHECK(contains(s, ">./empty.yaml: info: file is empty</failure>"));
	CHECK_INT(occurrences(s, "<testcase "), 4);
	CHECK_INT(occurrences(s, "<failure "), 5);
	CHECK_INT(occurrences(s, "</testcase>"), 4);
	free(s);
	sr_findings_release(&l);

	s = render(&l, SR_FORMAT_JUNIT, false, false, "lint");
	CHECK(contains(s, "<testsuites name=\"srctl\" tests=\"1\" "
			  "failures=\"0\">"));
	CHECK(contains(s, "<testcase classname=\"srctl\" "
			  "name=\"srctl lint\"/>"));
	CHECK_INT(occurrences(s, "<failure"), 0);
	free(s);
}

static void test_sarif(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	const struct sr_rule *known = sr_catalog_find("timeout/unit");
	char *s, *r;

	build(&l);
	s = render(&l, SR_FORMAT_SARIF, true, false, "validate");
	CHECK(contains(s, "\"$schema\": "
			  "\"https://json.schemastore.org/sarif-2.1.0.json\""));
	CHECK(contains(s, "\"version\": \"2.1.0\""));
	CHECK(contains(s, "\"name\": \"srctl\""));
	CHECK(contains(s, "\"informationUri\": "
			  "\"https://github.com/srctl/srctl\""));
	CHECK(contains(s, "\"columnKind\": \"unicodeCodePoints\""));
	/* %SRCROOT% is resolved by the consumer, not pinned to file:/// */
	CHECK(!strstr(s, "originalUriBaseIds"));
	CHECK(contains(s, "\"uriBaseId\": \"%SRCROOT%\""));
	/* rules: one per distinct id, sorted; unknown ones carry only the id */
	CHECK_INT(occurrences(s, "\"id\": "), 5);
	CHECK(contains(s, "\"id\": \"x/escape\"\n            }"));
	CHECK(strstr(s, "\"id\": \"probe/identical\"") <
	      strstr(s, "\"id\": \"timeout/max\""));
	CHECK(strstr(s, "\"id\": \"timeout/unit\"") <
	      strstr(s, "\"id\": \"x/escape\""));
	if (known) {
		CHECK(contains(s, "\"id\": \"timeout/unit\",\n"
				  "              \"name\": \"timeout/unit\""));
		CHECK(contains(s, "\"shortDescription\": {"));
		CHECK(contains(s, "\"defaultConfiguration\": {"));
	}
	CHECK_INT(occurrences(s, "\"ruleId\": "), 5);

	r = sarif_result(s, "timeout/unit");
	CHECK(r && contains(r, "\"ruleIndex\": 2,"));
	CHECK(r && contains(r, "\"level\": \"error\""));
	CHECK(r && contains(r, "\"text\": \"base must be an integer count of "
			       "milliseconds, got \\\"2s\\\"\""));
	CHECK(r && contains(r, "\"uri\": \"svc/timeout.yaml\",\n"));
	CHECK(r && contains(r, "\"uriBaseId\": \"%SRCROOT%\""));
	CHECK(r && contains(r, "\"startLine\": 4,\n"));
	CHECK(r && contains(r, "\"startColumn\": 18\n"));
	CHECK(r && contains(r, "\"partialFingerprints\": {"));
	free(r);

	r = sarif_result(s, "yaml/empty");
	CHECK(r && contains(r, "\"ruleIndex\": 4,"));
	CHECK(r && contains(r, "\"level\": \"note\""));
	CHECK(r && !strstr(r, "\"region\""));
	free(r);

	r = sarif_result(s, "probe/identical");
	CHECK(r && contains(r, "\"ruleIndex\": 0,"));
	CHECK(r && contains(r, "\"level\": \"warning\""));
	CHECK(r && !strstr(r, "partialFingerprints"));
	free(r);
	free(s);
	sr_findings_release(&l);

	s = render(&l, SR_FORMAT_SARIF, false, false, "validate");
	CHECK(contains(s, "\"rules\": []"));
	CHECK(contains(s, "\"results\": []"));
	free(s);

	/* uris are percent-encoded relative references */
	add(&l, "a/b", SR_SEV_ERROR, "x", "my dir/a:b#1%/caf\xc3\xa9.yaml",
	    0, 0, "m", NULL, NULL, NULL);
	s = render(&l, SR_FORMAT_SARIF, false, false, "validate");
	CHECK(contains(s, "\"uri\": \"my%20dir/a%3Ab%231%25/caf%C3%A9.yaml\""));
	free(s);
	sr_findings_release(&l);
}

/*
 * GitLab Code Quality: fingerprints follow rule, file and node, not the
 * line, and repeats of one (rule, file, node) stay distinct.
 */
static void test_codequality(void)
{
	struct sr_findings a = SR_FINDINGS_INIT, b = SR_FINDINGS_INIT;
	char *sa, *sb;
	const char *fa, *fb;

	add(&a, "timeout/bounds", SR_SEV_ERROR, "./x/t.yaml", "x/t.yaml", 4,
	    3, "max < base", NULL, NULL, "/http/out/r/max");
	add(&a, "timeout/bounds", SR_SEV_ERROR, "./x/t.yaml", "x/t.yaml", 9,
	    3, "max < base", NULL, NULL, "/http/out/r/max");
	add(&a, "timeout/step-clamped", SR_SEV_WARNING, "t.yaml", "t.yaml", 0,
	    0, "whole file", NULL, NULL, NULL);
	add(&b, "timeout/bounds", SR_SEV_ERROR, "./x/t.yaml", "x/t.yaml", 40,
	    3, "max < base", NULL, NULL, "/http/out/r/max");
	sa = render(&a, SR_FORMAT_CODEQUALITY, false, false, "validate");
	sb = render(&b, SR_FORMAT_CODEQUALITY, false, false, "validate");
	CHECK(sa[0] == '[');
	CHECK(contains(sa, "\"check_name\": \"timeout/bounds\""));
	CHECK(contains(sa, "\"severity\": \"major\""));
	CHECK(contains(sa, "\"severity\": \"minor\""));
	CHECK(contains(sa, "\"path\": \"x/t.yaml\""));
	CHECK(contains(sa, "\"begin\": 9"));
	CHECK(contains(sa, "\"begin\": 1\n"));	/* whole file: line 1 */
	/* same finding on another line: same fingerprint */
	fa = strstr(sa, "\"fingerprint\": \"");
	fb = strstr(sb, "\"fingerprint\": \"");
	CHECK(fa && fb && !strncmp(fa, fb, 32));
	/* the repeat gets a suffix */
	CHECK(fa && contains(sa, "-1\","));
	CHECK_INT(occurrences(sa, "\"fingerprint\""), 3);
	free(sa);
	free(sb);
	sr_findings_release(&a);
	sr_findings_release(&b);

	sa = render(&a, SR_FORMAT_CODEQUALITY, false, false, "validate");
	CHECK_STR(sa, "[]\n");
	free(sa);
}

static void test_write_error(void)
{
	struct sr_findings l = SR_FINDINGS_INIT;
	struct sr_report_opts opts = { SR_FORMAT_JSON, false, false, "x" };
	FILE *f = fopen("/dev/full", "w");

	if (!f)
		return;
	build(&l);
	sr_error_clear();
	CHECK_INT(sr_report_write(f, &l, &opts), SR_ERROR);
	CHECK(contains(sr_error_last(), "cannot write report"));
	fclose(f);
	sr_findings_release(&l);
}

int main(void)
{
	/* the catalogue is optional here: SARIF copes with unknown rules */
	if (sr_catalog_load())
		fprintf(stderr, "catalogue: %s\n", sr_error_last());
	test_severity();
	test_format_names();
	test_list();
	test_park();
	test_park_write_error();
	test_short();
	test_text();
	test_text_edges();
	test_json();
	test_github();
	test_junit();
	test_sarif();
	test_codequality();
	test_write_error();
	sr_catalog_free();
	return sr_test_done();
}

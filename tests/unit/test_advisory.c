/*
 * Unit tests for srctl/advisory: CVSS 3.x base scores, the OSV range
 * evaluation (event order, introduced "0", fixed, last_affected, limit,
 * versions lists, SEMVER vs ECOSYSTEM, GIT ignored), the index (PyPI
 * names normalised, one hit per advisory), the known-bad list format and
 * the problems reported for bad data.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advisory/advisory.h"
#include "harness.h"
#include "base/banned.h"

struct seen {
	int n, errors, warnings, notes, io;
	char last[512];
	unsigned line;
};

static void on_problem(void *payload, enum sr_severity sev, const char *path,
		       unsigned line, unsigned col, const char *message)
{
	struct seen *s = payload;

	(void)col;
	s->n++;
	if (!path)
		s->io++;
	else if (sev == SR_SEV_ERROR)
		s->errors++;
	else if (sev == SR_SEV_WARNING)
		s->warnings++;
	else
		s->notes++;
	s->line = line;
	snprintf(s->last, sizeof(s->last), "%s", message);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void test_cvss(void)
{
	static const struct {
		const char *v;
		double score;
	} cases[] = {
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H", 9.1 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0 },
		{ "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", 9.0 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5 },
		{ "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", 6.1 },
		{ "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", 7.4 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:H", 8.6 },
		{ "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 6.2 },
		{ "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6 },
		{ "CVSS:3.1/AV:N/AC:L/PR:H/UI:R/S:C/C:L/I:L/A:N", 4.8 },
		{ "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0 },
		/* temporal metrics do not change the base score */
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/E:U/RL:O", 7.5 },
		/* metrics in another order are still one vector */
		{ "CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:N/I:N/A:H", 7.5 },
	};
	static const char *const bad[] = {
		"AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
		"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:X",
		"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		"",
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double got = sr_cvss3_base_score(cases[i].v);

		if (fabs(got - cases[i].score) > 1e-9)
			fprintf(stderr, "  %s: got %.1f\n", cases[i].v, got);
		CHECK(fabs(got - cases[i].score) < 1e-9);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(sr_cvss3_base_score(bad[i]) < 0);
	CHECK(sr_cvss3_base_score(NULL) < 0);
}

/* How many advisories affect the version, and the first one's fix. */
static size_t match(const struct sr_advisory_set *set, enum sr_ecosystem eco,
		    const char *name, const char *version, const char **fixed)
{
	struct sr_advisory_hits hits = SR_ADVISORY_HITS_INIT;
	static char fix[256];
	size_t n = sr_advisory_match(set, eco, name, version, &hits);

	fix[0] = '\0';
	if (n && hits.v[0].fixed)
		snprintf(fix, sizeof(fix), "%s", hits.v[0].fixed);
	else if (n && hits.v[0].last_affected)
		snprintf(fix, sizeof(fix), "last %s", hits.v[0].last_affected);
	if (fixed)
		*fixed = fix;
	sr_advisory_hits_release(&hits);
	return n;
}

static const char osv_ranges[] =
	"[{\"id\": \"T-1\", \"aliases\": [\"CVE-1\"],\n"
	" \"severity\": [{\"type\": \"CVSS_V3\", \"score\": "
	"\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\"}],\n"
	" \"affected\": [\n"
	"  {\"package\": {\"ecosystem\": \"RubyGems\", \"name\": \"rack\"},\n"
	"   \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [\n"
	"     {\"fixed\": \"2.2.6.3\"}, {\"introduced\": \"2.2.0\"}]}]},\n"
	"  {\"package\": {\"ecosystem\": \"RubyGems\", \"name\": \"rack\"},\n"
	"   \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [\n"
	"     {\"introduced\": \"0\"}, {\"fixed\": \"2.0.9.3\"}]}]}]},\n"
	" {\"id\": \"T-2\", \"database_specific\": {\"severity\": \"MODERATE\"},\n"
	"  \"affected\": [\n"
	"  {\"package\": {\"ecosystem\": \"npm\", \"name\": \"left\"},\n"
	"   \"ranges\": [{\"type\": \"SEMVER\", \"events\": [\n"
	"     {\"introduced\": \"1.0.0\"}, {\"last_affected\": \"1.4.0\"},\n"
	"     {\"introduced\": \"2.0.0\"}, {\"limit\": \"2.5.0\"}]}]},\n"
	"  {\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"Foo_Bar.baz\"},\n"
	"   \"versions\": [\"1.0\", \"1.1\"],\n"
	"   \"ranges\": [{\"type\": \"GIT\", \"repo\": \"https://x\", "
	"\"events\": [{\"introduced\": \"abc\"}]}]}]},\n"
	" {\"id\": \"T-3\", \"withdrawn\": \"2024-01-01T00:00:00Z\",\n"
	"  \"affected\": [{\"package\": {\"ecosystem\": \"npm\", "
	"\"name\": \"left\"}, \"ranges\": [{\"type\": \"SEMVER\", "
	"\"events\": [{\"introduced\": \"0\"}]}]}]},\n"
	" {\"id\": \"T-4\", \"affected\": [\n"
	"  {\"package\": {\"ecosystem\": \"Maven\", \"name\": \"g:a\"},\n"
	"   \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [\n"
	"     {\"introduced\": \"0\"}, {\"limit\": \"*\"}]},\n"
	"    {\"type\": \"ECOSYSTEM\", \"events\": [{\"fixed\": \"1\"}]},\n"
	"    {\"type\": \"GIT\", \"events\": [{\"introduced\": \"0\"}]}]},\n"
	"  {\"package\": {\"ecosystem\": \"Debian:11\", \"name\": \"g:a\"},\n"
	"   \"versions\": [\"1.0\"]}]}]\n";

static void test_ranges(void)
{
	struct seen seen = { 0 };
	struct sr_advisory_set *set = sr_advisory_set_new(on_problem, &seen);
	const char *fix;

	write_file("adv-ranges.json", osv_ranges);
	CHECK_INT(sr_advisory_load_osv(set, "adv-ranges.json"), 0);
	CHECK_INT(sr_advisory_count(set), 3);	/* T-3 is withdrawn */
	/* GIT: one note for the set; T-4's event-less range: a warning */
	CHECK_INT(seen.notes, 1);
	CHECK_INT(seen.warnings, 1);
	CHECK_INT(seen.errors, 0);

	/* two affected entries of one advisory: one hit, the right fix */
	CHECK_INT(match(set, SR_ECO_RUBYGEMS, "rack", "2.2.3.1", &fix), 1);
	CHECK_STR(fix, "2.2.6.3");
	CHECK_INT(match(set, SR_ECO_RUBYGEMS, "rack", "1.6.0", &fix), 1);
	CHECK_STR(fix, "2.0.9.3");
	CHECK_INT(match(set, SR_ECO_RUBYGEMS, "rack", "2.2.6.3", NULL), 0);
	CHECK_INT(match(set, SR_ECO_RUBYGEMS, "rack", "2.1.0", NULL), 0);
	CHECK_INT(match(set, SR_ECO_RUBYGEMS, "rack", "2.0.9.3", NULL), 0);
	CHECK_INT(match(set, SR_ECO_RUBYGEMS, "rackup", "1.0", NULL), 0);
	CHECK_INT(match(set, SR_ECO_NPM, "rack", "1.0.0", NULL), 0);

	/* last_affected is inclusive; limit is exclusive */
	CHECK_INT(match(set, SR_ECO_NPM, "left", "0.9.0", NULL), 0);
	CHECK_INT(match(set, SR_ECO_NPM, "left", "1.0.0", NULL), 1);
	CHECK_INT(match(set, SR_ECO_NPM, "left", "1.4.0", &fix), 1);
	CHECK_STR(fix, "last 1.4.0");
	CHECK_INT(match(set, SR_ECO_NPM, "left", "1.4.1", NULL), 0);
	CHECK_INT(match(set, SR_ECO_NPM, "left", "2.4.9", NULL), 1);
	CHECK_INT(match(set, SR_ECO_NPM, "left", "2.5.0", NULL), 0);
	CHECK_INT(match(set, SR_ECO_NPM, "left", "3.0.0", NULL), 0);
	/* a version that is not one (a range from package.json) never hits */
	CHECK_INT(match(set, SR_ECO_NPM, "left", "^1.2.0", NULL), 0);
	CHECK_INT(match(set, SR_ECO_NPM, "left", "", NULL), 0);

	/* versions lists; PyPI names compare PEP 503-normalised */
	CHECK_INT(match(set, SR_ECO_PYPI, "foo-bar-baz", "1.1", NULL), 1);
	CHECK_INT(match(set, SR_ECO_PYPI, "FOO.bar__baz", "1.0", NULL), 1);
	CHECK_INT(match(set, SR_ECO_PYPI, "foo-bar-baz", "1.2", NULL), 0);

	/* limit "*" is infinity: every version */
	CHECK_INT(match(set, SR_ECO_MAVEN, "g:a", "99.0", NULL), 1);
	CHECK_INT(sr_advisory_package_count(set), 4);
	sr_advisory_set_free(set);
	remove("adv-ranges.json");
}

static void test_bad_files(void)
{
	struct seen seen = { 0 };
	struct sr_advisory_set *set = sr_advisory_set_new(on_problem, &seen);

	mkdir("adv-dir", 0755);
	mkdir("adv-dir/sub", 0755);
	write_file("adv-dir/a.json", "{\"id\": \"A-1\", \"affected\": ["
		   "{\"package\": {\"ecosystem\": \"npm\", \"name\": \"x\"},"
		   " \"versions\": [\"1.0.0\"]}]}\n");
	write_file("adv-dir/sub/broken.json", "{\"id\": \"B-1\",\n"
		   "  \"affected\": [\n    {]\n}\n");
	write_file("adv-dir/sub/notes.txt", "not json, not read\n");
	write_file("adv-dir/sub/noid.json", "{\"summary\": \"x\"}\n");
	CHECK_INT(sr_advisory_load_osv(set, "adv-dir"), 0);
	CHECK_INT(sr_advisory_count(set), 1);
	CHECK_INT(seen.errors, 2);
	CHECK(strstr(seen.last, "not an OSV record") != NULL);
	CHECK_INT(match(set, SR_ECO_NPM, "x", "1.0.0", NULL), 1);

	/* a path that does not exist: an I/O error */
	seen.io = 0;
	CHECK_INT(sr_advisory_load_osv(set, "adv-missing"), -1);
	CHECK_INT(seen.io, 1);
	sr_advisory_set_free(set);
	remove("adv-dir/a.json");
	remove("adv-dir/sub/broken.json");
	remove("adv-dir/sub/notes.txt");
	remove("adv-dir/sub/noid.json");
	rmdir("adv-dir/sub");
	rmdir("adv-dir");
}

static void test_list(void)
{
	static const char good[] =
		"- id: L-1\n"
		"  ecosystem: Maven\n"
		"  package: org.apache.logging.log4j:log4j-core\n"
		"  range: \"< 2.17.1\"\n"
		"  reason: log4shell\n"
		"  aliases: [CVE-2021-44228]\n"
		"- id: L-2\n"
		"  ecosystem: npm\n"
		"  package: left\n"
		"  range: [\">= 1.0.0, <= 1.2.0\", \">= 3.0.0, < 3.1.0\"]\n"
		"  versions: [\"5.0.0\"]\n"
		"  severity: warning\n"
		"  reason: broken\n";
	static const char *const bad[] = {
		"- { id: X, ecosystem: npm, package: p, range: '> 1.0.0', reason: r }\n",
		"- { id: X, ecosystem: npm, package: p, range: '< 1.0.0, < 2.0.0', reason: r }\n",
		"- { id: X, ecosystem: npm, package: p, range: '< 1.x.y', reason: r }\n",
		"- { id: X, ecosystem: npm, package: p, range: '< 1.0.0' }\n",
		"- { id: X, ecosystem: Cobol, package: p, versions: [1], reason: r }\n",
		"- { id: X, ecosystem: npm, package: p, reason: r }\n",
		"- { id: X, ecosystem: npm, package: p, versions: [1.0.0], reason: r, severity: high }\n",
		"- { id: X, ecosystem: npm, package: p, versions: [1.0.0], reason: r, typo: 1 }\n",
		"id: X\n",
		"- [unclosed\n",
	};
	struct seen seen = { 0 };
	struct sr_advisory_set *set = sr_advisory_set_new(on_problem, &seen);
	const char *fix;
	size_t i;

	CHECK_INT(sr_advisory_load_list(set, "list.yaml", good,
					sizeof(good) - 1), 0);
	CHECK_INT(seen.n, 0);
	CHECK_INT(match(set, SR_ECO_MAVEN,
			"org.apache.logging.log4j:log4j-core", "2.14.1", &fix),
		  1);
	CHECK_STR(fix, "2.17.1");
	CHECK_INT(match(set, SR_ECO_MAVEN,
			"org.apache.logging.log4j:log4j-core", "2.17.1", NULL),
		  0);
	CHECK_INT(match(set, SR_ECO_NPM, "left", "1.2.0", NULL), 1);
	CHECK_INT(match(set, SR_ECO_NPM, "left", "1.2.1", NULL), 0);
	CHECK_INT(match(set, SR_ECO_NPM, "left", "3.0.5", &fix), 1);
	CHECK_STR(fix, "3.1.0");
	CHECK_INT(match(set, SR_ECO_NPM, "left", "5.0.0", NULL), 1);
	CHECK_INT(match(set, SR_ECO_NPM, "left", "0.9.0", NULL), 0);
	sr_advisory_set_free(set);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		seen.n = seen.errors = 0;
		set = sr_advisory_set_new(on_problem, &seen);
		CHECK(sr_advisory_load_list(set, "bad.yaml", bad[i],
					    strlen(bad[i])) < 0);
		if (seen.errors == 0)
			fprintf(stderr, "  no error for: %s", bad[i]);
		CHECK(seen.errors > 0);
		CHECK_INT(sr_advisory_count(set), 0);
		sr_advisory_set_free(set);
	}
}

/* The OSV filter skips files that name no scanned package, never more. */
static void test_filter(void)
{
	struct seen seen = { 0 };
	struct sr_advisory_set *set = sr_advisory_set_new(on_problem, &seen);

	mkdir("adv-filter", 0755);
	write_file("adv-filter/other.json", "{\"id\": \"O-1\", \"affected\": ["
		   "{\"package\": {\"ecosystem\": \"npm\", \"name\": \"zzz\"},"
		   " \"versions\": [\"1.0.0\"]}]}\n");
	write_file("adv-filter/pypi.json", "{\"id\": \"P-1\", \"affected\": ["
		   "{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"Foo_Bar\"},"
		   " \"versions\": [\"1.0\"]}]}\n");
	write_file("adv-filter/escaped.json", "{\"id\": \"E-1\", \"affected\": ["
		   "{\"package\": {\"ecosystem\": \"npm\", \"name\": \"\\u0061b\"},"
		   " \"versions\": [\"1.0.0\"]}]}\n");
	write_file("adv-filter/broken.json", "{\"id\": \"B-1\", \"affected\": [\n");
	sr_advisory_filter_add(set, "foo-bar");
	sr_advisory_filter_add(set, "ab");
	sr_advisory_filter_enable(set);
	CHECK_INT(sr_advisory_load_osv(set, "adv-filter"), 0);
	/* broken.json is parsed (and reported), other.json skipped */
	CHECK_INT(sr_advisory_skipped(set), 1);
	CHECK_INT(seen.errors, 1);
	CHECK_INT(sr_advisory_count(set), 2);
	CHECK_INT(match(set, SR_ECO_PYPI, "foo-bar", "1.0", NULL), 1);
	CHECK_INT(match(set, SR_ECO_NPM, "ab", "1.0.0", NULL), 1);
	CHECK_INT(match(set, SR_ECO_NPM, "zzz", "1.0.0", NULL), 0);
	sr_advisory_set_free(set);
	remove("adv-filter/other.json");
	remove("adv-filter/pypi.json");
	remove("adv-filter/escaped.json");
	remove("adv-filter/broken.json");
	rmdir("adv-filter");
}

int main(void)
{
	test_cvss();
	test_ranges();
	test_bad_files();
	test_list();
	test_filter();
	return sr_test_done();
}

/*
 * Unit tests for srctl/deps/version: hand-written cases for what the
 * upstream vectors (test_version_vectors) do not cover: Go (+incompatible,
 * pseudo-versions), RubyGems, Packagist and Cargo, the grammar each
 * ecosystem accepts, the order of invalid versions, and the total-order
 * properties over a pool of awkward strings.
 */
#include <stdio.h>
#include <string.h>

#include "deps/version.h"
#include "harness.h"
#include "base/banned.h"

#define GO SR_ECO_GO
#define NPM SR_ECO_NPM
#define CARGO SR_ECO_CARGO
#define GEM SR_ECO_RUBYGEMS
#define PHP SR_ECO_PACKAGIST
#define PYPI SR_ECO_PYPI
#define MVN SR_ECO_MAVEN
#define SEMVER SR_ECO_SEMVER

struct cmp_case {
	enum sr_ecosystem eco;
	const char *a;
	char op;	/* '<', '=' or '>' */
	const char *b;
};

static const struct cmp_case cmp_cases[] = {
	/* Go: x/mod/semver order; OSV drops the "v", go.mod keeps it. */
	{ GO, "v1.2.3", '=', "1.2.3" },
	{ GO, "v1.2.3", '<', "v1.10.0" },
	{ GO, "v1", '=', "v1.0.0" },
	{ GO, "v1.2", '=', "v1.2.0" },
	{ GO, "v1.2.3-pre", '<', "v1.2.3" },
	{ GO, "v2.0.0+incompatible", '=', "v2.0.0" },
	{ GO, "v2.0.0+incompatible", '>', "v1.9.9" },
	{ GO, "v2.0.0+incompatible", '<', "v2.0.1+incompatible" },
	{ GO, "v4.1.0+incompatible", '<', "v4.2.0" },
	{ GO, "1.5.1+incompatible", '=', "v1.5.1" },
	/* pseudo-version without a base: v0.0.0-<time>-<rev> */
	{ GO, "v0.0.0-20191109021931-daa7c04131f5", '<',
	  "v0.0.0-20200101000000-aaaaaaaaaaaa" },
	{ GO, "v0.0.0-20191109021931-daa7c04131f5", '<', "v0.0.1" },
	{ GO, "v0.0.0-20191109021931-daa7c04131f5", '<', "v0.1.0" },
	/* after release v1.2.3: v1.2.4-0.<time>-<rev> */
	{ GO, "v1.2.3", '<', "v1.2.4-0.20191109021931-daa7c04131f5" },
	{ GO, "v1.2.4-0.20191109021931-daa7c04131f5", '<', "v1.2.4" },
	{ GO, "v1.2.4-0.20191109021931-daa7c04131f5", '<',
	  "v1.2.4-0.20201109021931-0123456789ab" },
	{ GO, "v1.2.4-0.20191109021931-daa7c04131f5", '<', "v1.2.4-alpha" },
	/* after prerelease v1.2.4-pre: v1.2.4-pre.0.<time>-<rev> */
	{ GO, "v1.2.4-pre", '<', "v1.2.4-pre.0.20191109021931-daa7c04131f5" },
	{ GO, "v1.2.4-pre.0.20191109021931-daa7c04131f5", '<', "v1.2.4-pre.1" },
	{ GO, "v1.2.4-pre.0.20191109021931-daa7c04131f5", '<', "v1.2.4" },
	{ GO, "v0.0.0-20191109021931-daa7c04131f5+incompatible", '=',
	  "v0.0.0-20191109021931-daa7c04131f5" },
	{ GO, "latest", '<', "v0.0.0" },

	/* crates.io: SemVer 2.0.0 precedence */
	{ CARGO, "1.0.0-alpha", '<', "1.0.0-alpha.1" },
	{ CARGO, "1.0.0-alpha.1", '<', "1.0.0-alpha.beta" },
	{ CARGO, "1.0.0-alpha.beta", '<', "1.0.0-beta" },
	{ CARGO, "1.0.0-beta.2", '<', "1.0.0-beta.11" },
	{ CARGO, "1.0.0-rc.1", '<', "1.0.0" },
	{ CARGO, "1.0.0+build.1", '=', "1.0.0" },
	{ CARGO, "1.0.0+a", '=', "1.0.0+b" },
	{ CARGO, "0.9.22", '<', "0.10.0" },
	{ CARGO, "1.2.3-x-y-z.--", '>', "1.2.3-x-y-z.-" },
	{ SEMVER, "18446744073709551616.0.0", '>', "18446744073709551615.0.0" },
	{ CARGO, "0.1.0", '>', "0.1" },	/* "0.1" is invalid */

	/* npm: node-semver, loose */
	{ NPM, "1.2.3beta", '=', "1.2.3-beta" },
	{ NPM, "01.2.3", '=', "1.2.3" },
	{ NPM, "=v1.2.3", '=', "1.2.3" },
	{ NPM, "1.2.3-01", '=', "1.2.3-1" },
	{ NPM, "4.17.4", '<', "4.17.21" },
	{ NPM, "1.2.34.5", '=', "1.2.3-4.5" },	/* the loose regex backtracks */
	{ NPM, "1.2.3-", '=', "1.2.3--" },	/* prerelease "-" */

	/* RubyGems: Gem::Version */
	{ GEM, "1.0.a", '<', "1.0" },
	{ GEM, "1.0.0", '=', "1" },
	{ GEM, "1.0.b1", '>', "1.0.a2" },
	{ GEM, "1.0.rc1", '>', "1.0.beta2" },
	{ GEM, "1.0-1", '<', "1.0" },		/* 1.0.pre.1 */
	{ GEM, "1.0-1", '=', "1.0.pre.1" },
	{ GEM, "2.2.3.1", '>', "2.2.3" },
	{ GEM, "2.2.3.1", '<', "2.2.4" },
	{ GEM, "0.9", '<', "1.0.a" },
	{ GEM, "1.0.A", '<', "1.0.a" },	/* strings compare bytewise */
	{ GEM, "1.0.0.pre", '=', "1.pre" },
	{ GEM, "1.a.0", '=', "1.a" },
	{ GEM, "1.a.0.1", '>', "1.a" },
	{ GEM, "1.0.0.1", '<', "1.0.1" },
	{ GEM, "", '=', "0" },
	{ GEM, "  1.2  ", '=', "1.2" },
	{ GEM, "1.2.3a", '=', "1.2.3.a" },
	{ GEM, "1beta", '<', "0" },		/* invalid */
	{ GEM, "6.0.3.1", '>', "6.0.3.rc1" },

	/* Packagist: version_compare() */
	{ PHP, "1.0.0", '=', "v1.0.0" },
	{ PHP, "1.0.0-beta1", '<', "1.0.0-RC1" },
	{ PHP, "1.0.0-RC1", '<', "1.0.0" },
	{ PHP, "1.0.0", '<', "1.0.0-p1" },
	{ PHP, "1.0.0-patch1", '=', "1.0.0-pl1" },
	{ PHP, "1.0.0-Alpha2", '=', "1.0.0-alpha2" },
	{ PHP, "1.0.0-dev", '<', "1.0.0-alpha" },
	{ PHP, "1.0.0-beta.2", '=', "1.0.0-beta2" },
	{ PHP, "1.0.0-b2", '=', "1.0.0-beta2" },
	{ PHP, "dev-master", '<', "0.0.1" },
	{ PHP, "2.0", '<', "2.0.0" },
	{ PHP, "5.4.3", '>', "5.4.2" },
	{ PHP, "5.4.10", '>', "5.4.9" },
	{ PHP, "1.0.0.1", '>', "1.0.0" },
	{ PHP, "1.0.0-foo", '<', "1.0.0-dev" },
	{ PHP, "1.2.3.#", '<', "1.2.3.0" },

	/* Maven: everyday cases */
	{ MVN, "2.17.1", '>', "2.3.2" },
	{ MVN, "2.17.1", '>', "2.17.1-rc1" },
	{ MVN, "2.0-beta9", '<', "2.0" },
	{ MVN, "2.15.3", '<', "2.15.3.1" },
	{ MVN, "2.13.2.1", '>', "2.13.2" },
	{ MVN, "5.3.0.M1", '<', "5.3.0.RC1" },
	{ MVN, "5.3.0.RC1", '<', "5.3.0.RELEASE" },
	{ MVN, "5.3.0.RELEASE", '=', "5.3.0" },
	{ MVN, "1.0-SNAPSHOT", '<', "1.0" },
	{ MVN, "1.0.0.Final", '=', "1.0.0" },
	{ MVN, "", '=', "0" },

	/* PyPI */
	{ PYPI, "1.0", '=', "1.0.0" },
	{ PYPI, "1.0rc1", '<', "1.0" },
	{ PYPI, "1.0.post1", '>', "1.0" },
	{ PYPI, "1!0.1", '>', "2.0" },
	{ PYPI, "2.0+local", '>', "2.0" },
	{ PYPI, "1.0.dev1", '<', "1.0a1" },
	{ PYPI, "1.0a-", '=', "1.0a0" },
	{ PYPI, "1.0-beta-foo", '<', "0" },	/* invalid */

	/* SemVer (the OSV SEMVER range type) */
	{ SEMVER, "1.0.0-0.3.7", '<', "1.0.0-alpha" },
	{ SEMVER, "v1.0.0", '=', "1.0.0" },
};

static const struct valid_case {
	enum sr_ecosystem eco;
	const char *v;
	bool valid;
} valid_cases[] = {
	{ GO, "v1.2.3", true },
	{ GO, "1.2.3", true },
	{ GO, "v1", true },
	{ GO, "v1.2", true },
	{ GO, "v1.2-pre", false },
	{ GO, "v1.2.3.4", false },
	{ GO, "v01.2.3", false },
	{ GO, "v1.2.3-01", false },
	{ GO, "v1.2.3-", false },
	{ GO, "v1.2.3+", false },
	{ GO, "v2.0.0+incompatible", true },
	{ GO, "v0.0.0-20191109021931-daa7c04131f5", true },
	{ GO, "", false },
	{ CARGO, "1.0.0", true },
	{ CARGO, "1.0", false },
	{ CARGO, "01.0.0", false },
	{ CARGO, "1.0.0-01", false },
	{ CARGO, "1.0.0-a..b", false },
	{ CARGO, "1.0.0+01", true },
	{ CARGO, " 1.0.0", false },
	{ NPM, " v 1.2.3 ", true },
	{ NPM, "1.2.3beta", true },
	{ NPM, "1.2", false },
	{ NPM, "1.2.3.4", false },
	{ NPM, "1.2.3-", true },
	{ NPM, "1.2.3-.", false },
	{ SEMVER, "1.0.0-x-y-z.--", true },
	{ SEMVER, "1.0.0+21AF26D3----117B344092BD", true },
	{ SEMVER, "1.0.0-alpha_beta", false },
	{ GEM, "", true },
	{ GEM, "1.2-pre.3", true },
	{ GEM, "1.0-", false },
	{ GEM, "1..2", false },
	{ GEM, "a1", false },
	{ GEM, "1beta", false },
	{ PYPI, "1.0.post1.dev2+abc.5", true },
	{ PYPI, "1.0+", false },
	{ PHP, "anything at all", true },
	{ MVN, "anything at all", true },
};

static int sign(int r)
{
	return (r > 0) - (r < 0);
}

static void test_compare_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(cmp_cases) / sizeof(cmp_cases[0]); i++) {
		const struct cmp_case *c = &cmp_cases[i];
		int want = c->op == '<' ? -1 : c->op == '>' ? 1 : 0;
		int ab = sign(sr_version_compare(c->eco, c->a, c->b));
		int ba = sign(sr_version_compare(c->eco, c->b, c->a));

		sr_test_checks++;
		if (ab != want || ba != -want) {
			sr_test_failures++;
			fprintf(stderr, "%s: want \"%s\" %c \"%s\", got %d "
				"(reverse %d)\n", sr_ecosystem_name(c->eco),
				c->a, c->op, c->b, ab, ba);
		}
	}
}

static void test_valid_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		const struct valid_case *c = &valid_cases[i];

		sr_test_checks++;
		if (sr_version_valid(c->eco, c->v) != c->valid) {
			sr_test_failures++;
			fprintf(stderr, "%s: want \"%s\" %s\n",
				sr_ecosystem_name(c->eco), c->v,
				c->valid ? "valid" : "invalid");
		}
	}
}

static void test_ecosystem_parse(void)
{
	enum sr_ecosystem e = SR_ECO__COUNT;

	CHECK(sr_ecosystem_parse("Maven", &e) && e == SR_ECO_MAVEN);
	CHECK(sr_ecosystem_parse("Maven:https://repo.spring.io/release", &e) &&
	      e == SR_ECO_MAVEN);
	CHECK(sr_ecosystem_parse("npm", &e) && e == SR_ECO_NPM);
	CHECK(sr_ecosystem_parse("Go", &e) && e == SR_ECO_GO);
	CHECK(sr_ecosystem_parse("PyPI", &e) && e == SR_ECO_PYPI);
	CHECK(sr_ecosystem_parse("crates.io", &e) && e == SR_ECO_CARGO);
	CHECK(sr_ecosystem_parse("RubyGems", &e) && e == SR_ECO_RUBYGEMS);
	CHECK(sr_ecosystem_parse("Packagist", &e) && e == SR_ECO_PACKAGIST);
	CHECK(sr_ecosystem_parse("SemVer", &e) && e == SR_ECO_SEMVER);
	e = SR_ECO_GO;
	CHECK(!sr_ecosystem_parse("maven", &e));
	CHECK(!sr_ecosystem_parse("Maven:", &e));
	CHECK(!sr_ecosystem_parse("Debian", &e));
	CHECK(!sr_ecosystem_parse("", &e));
	CHECK(!sr_ecosystem_parse(NULL, &e));
	CHECK(e == SR_ECO_GO);
	CHECK_STR(sr_ecosystem_name(SR_ECO_CARGO), "crates.io");
	CHECK_STR(sr_ecosystem_name(SR_ECO__COUNT), "?");
}

/* Invalid versions: before every valid one, by strcmp() among themselves. */
static void test_invalid_order(void)
{
	int e;

	for (e = 0; e < SR_ECO__COUNT; e++) {
		enum sr_ecosystem eco = (enum sr_ecosystem)e;
		/* Maven and Packagist take any string. */
		const char *bad = eco == SR_ECO_MAVEN ||
				  eco == SR_ECO_PACKAGIST ? NULL : "!bad";

		CHECK_INT(sr_version_compare(eco, NULL, NULL), 0);
		CHECK_INT(sign(sr_version_compare(eco, NULL, "")), 0);
		if (!bad)
			continue;
		CHECK(!sr_version_valid(eco, bad));
		CHECK(!sr_version_valid(eco, NULL));
		CHECK(sr_version_compare(eco, bad, "1.0.0") < 0);
		CHECK(sr_version_compare(eco, "1.0.0", bad) > 0);
		CHECK(sr_version_compare(eco, "!bad", "!bae") < 0);
		CHECK_INT(sr_version_compare(eco, bad, bad), 0);
	}
	/* Maven rejects versions over 256 UTF-16 units. */
	{
		char longv[300];

		memset(longv, '1', sizeof(longv) - 1);
		longv[sizeof(longv) - 1] = '\0';
		CHECK(!sr_version_valid(SR_ECO_MAVEN, longv));
		CHECK(sr_version_compare(SR_ECO_MAVEN, longv, "0") < 0);
		longv[256] = '\0';
		CHECK(sr_version_valid(SR_ECO_MAVEN, longv));
	}
	CHECK(sr_version_compare(SR_ECO__COUNT, "a", "b") < 0);
}

/* Antisymmetry and transitivity over every triple of a mixed pool. */
static const char *const pool[] = {
	"", "0", "1", "1.0", "1.0.0", "v1.0.0", "1.0.0-0", "1.0.0-alpha",
	"1.0.0-alpha.1", "1.0.0-beta.2", "1.0.0-rc.1", "1.0.0+build",
	"1.0-SNAPSHOT", "1.0-sp", "1.0-sp1", "1.0.RC1", "1-ga-1", "1-1",
	"1.0a1", "1.0.a", "1.0.b1", "1.0-1", "1.0.post1", "1.0.dev0",
	"1!1.0", "1.0+local.7", "1.2.3.#", "1.2.3.1", "1.0.0-p1", "dev-x",
	"v0.0.0-20191109021931-daa7c04131f5", "v2.0.0+incompatible",
	"1.0.0.Final", "1.0-foo-bar-1", "\xce\xb6\xce\xad", "zebra", "1x",
	"-", ".", "..1", "1--1", "1-.a", "00", "1.0.0.0.0.1",
};

static int order[64][64];

/* Count violations for one ecosystem; print the first. */
static int order_violations(enum sr_ecosystem eco, size_t n)
{
	size_t i, j, k;
	int bad = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			order[i][j] = sign(sr_version_compare(eco, pool[i],
							      pool[j]));
	for (i = 0; i < n; i++) {
		bad += order[i][i] != 0;
		for (j = 0; j < n; j++) {
			bad += order[i][j] != -order[j][i];
			for (k = 0; k < n; k++) {
				if (order[i][j] > 0 || order[j][k] > 0 ||
				    order[i][k] <= 0)
					continue;
				if (!bad)
					fprintf(stderr, "%s: \"%s\" <= \"%s\" "
						"<= \"%s\" but >\n",
						sr_ecosystem_name(eco),
						pool[i], pool[j], pool[k]);
				bad++;
			}
		}
	}
	return bad;
}

static void test_total_order(void)
{
	size_t n = sizeof(pool) / sizeof(pool[0]);
	int e;

	CHECK(n <= 64);
	for (e = 0; e < SR_ECO__COUNT; e++)
		CHECK_INT(order_violations((enum sr_ecosystem)e, n), 0);
}

int main(void)
{
	test_compare_table();
	test_valid_table();
	test_ecosystem_parse();
	test_invalid_order();
	test_total_order();
	return sr_test_done();
}

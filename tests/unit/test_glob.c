/*
 * sr_glob_match: gitignore-style include/exclude patterns, table-driven.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/glob.h"
#include "base/banned.h"
#include "harness.h"

struct glob_case {
	const char *pattern;
	const char *path;
	bool is_dir;
	bool want;
};

static const struct glob_case cases[] = {
	/* no slash: the base name at any depth */
	{ "*.yaml", "a.yaml", false, true },
	{ "*.yaml", "deploy/k8s/a.yaml", false, true },
	{ "*.yaml", "a.yml", false, false },
	{ "*.yaml", "a.yaml.bak", false, false },
	{ "*.yaml", ".yaml", false, true },
	{ "a?c", "x/abc", false, true },
	{ "a?c", "a/c", false, false },
	/* a match on a parent directory covers what is below it */
	{ "vendor", "vendor/x/y.yaml", false, true },
	{ "vendor", "src/vendor/y.yaml", false, true },
	{ "vendor", "vendored/y.yaml", false, false },
	{ "*.d", "conf.d/a.yaml", false, true },
	/* a leading '/' anchors at the top */
	{ "/vendor", "vendor/a.yaml", false, true },
	{ "/vendor", "a/vendor/b.yaml", false, false },
	{ "/vendor", "vendor", true, true },
	/* "./" is the same as nothing */
	{ "./deploy/*.yaml", "deploy/a.yaml", false, true },
	/* a slash inside anchors too; '*' does not cross '/' */
	{ "deploy/*.yaml", "deploy/a.yaml", false, true },
	{ "deploy/*.yaml", "deploy/k8s/a.yaml", false, false },
	{ "deploy/*.yaml", "x/deploy/a.yaml", false, false },
	/* dir, slash, two stars */
	{ "vendor/**", "vendor/a.yaml", false, true },
	{ "vendor/**", "vendor/x/y/z.yaml", false, true },
	{ "vendor/**", "vendor", true, true },
	{ "vendor/**", "vendor", false, false },
	{ "vendor/**", "a/vendor/b.yaml", false, false },
	{ "vendor/**", "vendorx/a.yaml", false, false },
	/* two stars + slash prefix: any depth, including none */
	{ "**/templates/*", "templates/a.yaml", false, true },
	{ "**/templates/*", "charts/x/templates/a.yaml", false, true },
	{ "**/templates/*", "charts/templates/x/a.yaml", false, true },
	{ "**/templates/*", "a/templates/b/templates/c", false, true },
	{ "**/templates/*", "charts/templatesx/a.yaml", false, false },
	{ "**/templates/*", "templates", true, false },
	/* trailing '/': directories only */
	{ "dir/", "dir", true, true },
	{ "dir/", "dir", false, false },
	{ "dir/", "dir/a.yaml", false, true },
	{ "dir/", "x/dir/a.yaml", false, true },
	{ "dir/", "x/dir", true, true },
	{ "dir/", "x/dir", false, false },
	{ "dir/", "dirx/a.yaml", false, false },
	/* classes */
	{ "[ab].yml", "a.yml", false, true },
	{ "[ab].yml", "x/b.yml", false, true },
	{ "[ab].yml", "c.yml", false, false },
	{ "[ab].yml", "ab.yml", false, false },
	{ "[!ab].yml", "c.yml", false, true },
	{ "[!ab].yml", "a.yml", false, false },
	{ "[a-c]x", "bx", false, true },
	{ "[a-c]x", "dx", false, false },
	{ "[]]x", "]x", false, true },
	{ "[ab", "[ab", false, true },
	/* a, two stars, b: zero or more directories between */
	{ "a/**/b", "a/b", false, true },
	{ "a/**/b", "a/x/b", false, true },
	{ "a/**/b", "a/x/y/z/b", false, true },
	{ "a/**/b", "a/x/b/c.yaml", false, true },
	{ "a/**/b", "a/xb", false, false },
	{ "a/**/b", "x/a/b", false, false },
	{ "a/**/b", "a/bc", false, false },
	/* escapes */
	{ "\\*.yaml", "*.yaml", false, true },
	{ "\\*.yaml", "a.yaml", false, false },
	/* many stars stay cheap and correct */
	{ "**/**/**/**/**/**/**/**/x", "a/b/c/d/x", false, true },
	{ "*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false,
	  false },
	/* degenerate */
	{ "", "a", false, false },
	{ "/", "a", true, false },
};

static void test_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct glob_case *c = &cases[i];
		bool got = sr_glob_match(c->pattern, c->path, c->is_dir);

		CHECK(got == c->want);
		if (got != c->want)
			fprintf(stderr, "  pattern '%s' path '%s'%s: got %d\n",
				c->pattern, c->path, c->is_dir ? " (dir)" : "",
				got);
	}
}

static void test_long_path(void)
{
	char *path = malloc(5000);
	size_t i;

	for (i = 0; i < 4990; i += 2) {
		path[i] = 'd';
		path[i + 1] = '/';
	}
	memcpy(path + 4990, "x.yaml", 7);
	CHECK(sr_glob_match("*.yaml", path, false));
	CHECK(sr_glob_match("**/x.yaml", path, false));
	CHECK(sr_glob_match("d/**", path, false));
	CHECK(!sr_glob_match("**/y.yaml", path, false));
	free(path);
}

int main(void)
{
	test_table();
	test_long_path();
	return sr_test_done();
}

/*
 * Manifest parsers (srctl/manifest): golden package lists.
 *
 * With no arguments, every file under fixtures/manifest/<format>/ (the
 * directory is compiled in, see tests/suites/manifest.cmake) is parsed as
 * <format> and its list, one line per dependency,
 *
 *     ecosystem name version line:col direct|transitive|unknown
 *
 * ("-" for no version, "(from FILE)" for entries read from another
 * file) and one line per problem, "problem line:col message", must equal
 * FILE.expected exactly. SRCTL_UPDATE_GOLDEN=1 rewrites the .expected
 * files instead. Given file names, it prints their lists (the format from
 * the name), which is how the corpus check runs it.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "manifest/manifest.h"
#include "harness.h"
#include "base/banned.h"

static const char *rel(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (path && strncmp(path, dir, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}

static void render(struct sr_buf *out, const struct sr_manifest *m,
		   const char *dir)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct sr_dep *d = &m->deps[i];
		sr_buf_addf(out, "%s %s %s %u:%u %s", d->ecosystem, d->name,
			    *d->version ? d->version : "-", d->line, d->col,
			    d->direct > 0 ? "direct" : d->direct == 0
			    ? "transitive" : "unknown");
		if (d->path)
			sr_buf_addf(out, " (from %s)", rel(d->path, dir));
		sr_buf_addc(out, '\n');
	}
	for (i = 0; i < m->n_problems; i++) {
		const struct sr_manifest_problem *p = &m->problems[i];
		sr_buf_addf(out, "problem %u:%u %s", p->line, p->col,
			    p->message);
		if (p->path)
			sr_buf_addf(out, " (from %s)", rel(p->path, dir));
		sr_buf_addc(out, '\n');
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int golden_files;

/* Every fixture file under 'path', parsed as 'format' with scan root 'root'. */
static void walk(const char *format, const char *root, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;

	if (!d) {
		CHECK(!"cannot open a fixture directory");
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		struct sr_buf file = SR_BUF_INIT, exp = SR_BUF_INIT;
		struct sr_buf got = SR_BUF_INIT;
		struct sr_manifest *m;
		struct stat st;
		char *text = NULL, *want = NULL;
		size_t len, wlen;

		sr_buf_addf(&file, "%s/%s", path, names[i]);
		if (stat(sr_buf_cstr(&file), &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			walk(format, root, sr_buf_cstr(&file));
			goto next;
		}
		if (ends_with(names[i], ".expected") ||
		    strcmp(names[i], "SOURCES.md") == 0)
			goto next;
		golden_files++;
		CHECK_INT(sr_fs_read(&text, &len, sr_buf_cstr(&file),
				     (size_t)64 << 20), 0);
		if (!text)
			goto next;
		CHECK_INT(sr_manifest_parse_as(&m, format, sr_buf_cstr(&file),
					       text, len, root), 0);
		if (!m)
			goto next;
		render(&got, m, root);
		sr_manifest_free(m);
		sr_buf_addf(&exp, "%s.expected", sr_buf_cstr(&file));
		if (getenv("SRCTL_UPDATE_GOLDEN") &&
		    *getenv("SRCTL_UPDATE_GOLDEN") == '1') {
			CHECK_INT(sr_fs_write_atomic(sr_buf_cstr(&exp),
				  sr_buf_cstr(&got), got.len), 0);
			goto next;
		}
		if (sr_fs_read(&want, &wlen, sr_buf_cstr(&exp),
			       (size_t)64 << 20)) {
			fprintf(stderr, "%s: missing (SRCTL_UPDATE_GOLDEN=1 "
				"writes it)\n", sr_buf_cstr(&exp));
			CHECK(!"golden file missing");
			goto next;
		}
		sr_test_checks++;
		if (strcmp(want, sr_buf_cstr(&got)) != 0) {
			sr_test_failures++;
			fprintf(stderr, "%s: differs\n--- want\n%s--- got\n%s",
				sr_buf_cstr(&exp), want, sr_buf_cstr(&got));
		}
next:
		free(text);
		free(want);
		sr_buf_release(&file);
		sr_buf_release(&exp);
		sr_buf_release(&got);
		free(names[i]);
	}
	free(names);
}

static void fixtures(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		fprintf(stderr, "cannot open %s\n", dir);
		CHECK(!"no fixtures");
		return;
	}
	while ((e = readdir(d))) {
		struct sr_buf sub = SR_BUF_INIT;
		struct stat st;

		/* "_name": data for a test below, not a format */
		if (e->d_name[0] == '.' || e->d_name[0] == '_')
			continue;
		if (strcmp(dir, ".") == 0)
			sr_buf_adds(&sub, e->d_name);
		else
			sr_buf_addf(&sub, "%s/%s", dir, e->d_name);
		if (stat(sr_buf_cstr(&sub), &st) == 0 && S_ISDIR(st.st_mode))
			walk(e->d_name, sr_buf_cstr(&sub), sr_buf_cstr(&sub));
		sr_buf_release(&sub);
	}
	closedir(d);
}

static void test_format_for(void)
{
	CHECK_STR(sr_manifest_format_for("package-lock.json"),
		  "package-lock.json");
	CHECK_STR(sr_manifest_format_for("npm-shrinkwrap.json"),
		  "package-lock.json");
	CHECK_STR(sr_manifest_format_for("buildscript-gradle.lockfile"),
		  "gradle.lockfile");
	CHECK_STR(sr_manifest_format_for("build.gradle.kts"), "build.gradle");
	CHECK_STR(sr_manifest_format_for("requirements-dev.txt"),
		  "requirements.txt");
	CHECK_STR(sr_manifest_format_for("dev-requirements.txt"),
		  "requirements.txt");
	CHECK_STR(sr_manifest_format_for("gems.locked"), "Gemfile.lock");
	CHECK(sr_manifest_format_for("package.json") == NULL);
	CHECK(sr_manifest_format_for("requirements.in") == NULL);
	CHECK(sr_manifest_format_for("Pipfile") == NULL);
	CHECK(sr_manifest_format_for("pom.xml.bak") == NULL);
	CHECK(sr_manifest_format_for(NULL) == NULL);
}

static void test_errors(void)
{
	struct sr_manifest *m = (void *)1;

	CHECK_INT(sr_manifest_parse(&m, "x/package.json", "{}", 2, NULL),
		  SR_ERROR);
	CHECK(m == NULL);
	CHECK_INT(sr_manifest_parse_file(&m, "/nonexistent/go.mod", NULL),
		  SR_ERROR);
	CHECK(m == NULL);
	CHECK(strstr(sr_error_last(), "/nonexistent/go.mod") != NULL);
	CHECK_INT(sr_manifest_parse_as(&m, "no-such-format", "x", "", 0,
				       NULL), SR_ERROR);
}

/* Every format on inputs that are not that format: problems, no crash. */
static void test_garbage(void)
{
	static const char *const formats[] = { "package-lock.json",
		"yarn.lock", "pnpm-lock.yaml", "go.mod", "go.sum", "pom.xml",
		"gradle.lockfile", "build.gradle", "libs.versions.toml",
		"requirements.txt", "poetry.lock", "Pipfile.lock",
		"Cargo.lock", "Gemfile.lock", "composer.lock" };
	static const char *const inputs[] = { "", "\xff\xfe{", "{\"a\":",
		"[[[[[[[[[[", "a\0b", "\xef\xbb\xbf", "<x>", "x = [",
		"\"unterminated", "key: [1, 2" };
	static const size_t lens[] = { 0, 3, 5, 10, 3, 3, 3, 5, 13, 10 };
	size_t f, i;

	for (f = 0; f < SR_ARRAY_SIZE(formats); f++) {
		for (i = 0; i < SR_ARRAY_SIZE(inputs); i++) {
			struct sr_manifest *m = NULL;
			CHECK_INT(sr_manifest_parse_as(&m, formats[f],
				  "t/file", inputs[i], lens[i], NULL), 0);
			CHECK(m != NULL);
			sr_manifest_free(m);
		}
	}
}

/*
 * The same pom with two scan roots: its parent (in _outside/) is read only
 * when it lies under the root.
 */
static void test_parent_root(void)
{
	const char *pom = "pom.xml/srctl/parent-chain/other/pom.xml";
	struct sr_manifest *m;

	CHECK_INT(sr_manifest_parse_file(&m, pom, "pom.xml"), 0);
	if (m) {
		CHECK_INT(m->n, 2);
		CHECK_STR(m->deps[0].name,
			  "org.apache.logging.log4j:log4j-core");
		CHECK_STR(m->deps[0].version, "");
		CHECK_INT(m->n_problems, 1);
		sr_manifest_free(m);
	}
	CHECK_INT(sr_manifest_parse_file(&m, pom, "."), 0);
	if (m) {
		CHECK_INT(m->n, 2);
		CHECK_STR(m->deps[0].version, "2.17.1");
		CHECK_INT(m->n_problems, 0);
		sr_manifest_free(m);
	}
}

static int print_files(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		struct sr_buf out = SR_BUF_INIT;
		struct sr_manifest *m;

		if (sr_manifest_parse_file(&m, argv[i], NULL)) {
			fprintf(stderr, "%s\n", sr_error_last());
			rc = 1;
			continue;
		}
		render(&out, m, "");
		printf("== %s (%s): %zu deps, %zu problems\n%s", argv[i],
		       m->format, m->n, m->n_problems, sr_buf_cstr(&out));
		sr_manifest_free(m);
		sr_buf_release(&out);
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return print_files(argc, argv);
	test_format_for();
	test_errors();
	test_garbage();
#ifdef SRCTL_MANIFEST_FIXTURES
	/* relative paths, so that messages hold no path of this machine */
	if (chdir(SRCTL_MANIFEST_FIXTURES) != 0) {
		perror(SRCTL_MANIFEST_FIXTURES);
		return 1;
	}
	fixtures(".");
	test_parent_root();
	printf("%d fixture files\n", golden_files);
	CHECK(golden_files > 0);
#endif
	return sr_test_done();
}

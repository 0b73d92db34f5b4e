/*
 * Upstream version-ordering test vectors against srctl/deps/version.
 *
 * Usage: test_version_vectors [DIR]   (or SRCTL_VERSION_VECTORS=DIR)
 *
 * DIR is fixtures/version-ordering: the upstream projects' vector files
 * under their original paths, plus known-failures.txt. Every data file in
 * DIR must be one this program knows how to run. Each file (and, where a
 * file serves several ecosystems, each ecosystem) gets a pass/fail line.
 * The run fails on a failure not listed in known-failures.txt, on a listed
 * case that passes, and on a listed case that does not exist.
 *
 * Without a directory the program says so and exits 0: ctest's automatic
 * unit.* registration runs it without arguments; tests/suites/version.cmake
 * registers the real run.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "deps/version.h"
#include "doc/doc.h"
#include "base/banned.h"

#define MAX_FILE (16u << 20)

struct known {
	char *file;
	char *eco;
	char *id;
	bool seen;
	bool failed;
};

struct run {
	const char *dir;
	struct known *known;
	size_t nknown;
	struct sr_buf report;	/* unexpected results, printed at the end */
	int bad;		/* unexpected results */
	/* current file/ecosystem */
	const char *file;
	enum sr_ecosystem eco;
	int cases, passed, failed, known_failed;
};

static int sign(int r)
{
	return (r > 0) - (r < 0);
}

static const char *cmp_word(int c)
{
	return c < 0 ? "<" : c > 0 ? ">" : "=";
}

static struct known *find_known(struct run *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nknown; i++) {
		struct known *k = &r->known[i];

		if (!strcmp(k->file, r->file) &&
		    !strcmp(k->eco, sr_ecosystem_name(r->eco)) &&
		    !strcmp(k->id, id))
			return k;
	}
	return NULL;
}

/* Record one case; 'detail' says what went wrong when !ok. */
static void result(struct run *r, const char *id, bool ok,
		   const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void result(struct run *r, const char *id, bool ok,
		   const char *fmt, ...)
{
	struct known *k = find_known(r, id);
	va_list ap;

	r->cases++;
	if (k) {
		k->seen = true;
		k->failed = !ok;
	}
	if (ok) {
		r->passed++;
		if (k) {
			r->bad++;
			sr_buf_addf(&r->report,
				    "LISTED BUT PASSES: %s | %s | %s\n",
				    r->file, sr_ecosystem_name(r->eco), id);
		}
		return;
	}
	r->failed++;
	if (k) {
		r->known_failed++;
		return;
	}
	r->bad++;
	sr_buf_addf(&r->report, "FAIL: %s | %s | %s | ", r->file,
		    sr_ecosystem_name(r->eco), id);
	va_start(ap, fmt);
	sr_buf_vaddf(&r->report, fmt, ap);
	va_end(ap);
	sr_buf_addc(&r->report, '\n');
}

/* Expect sign(compare(a, b)) == want, and the reverse the other way. */
static void expect_cmp(struct run *r, const char *id, const char *a,
		       const char *b, int want)
{
	int ab = sign(sr_version_compare(r->eco, a, b));
	int ba = sign(sr_version_compare(r->eco, b, a));

	result(r, id, ab == want && ba == -want,
	       "want \"%s\" %s \"%s\", got %s (reverse %s)", a,
	       cmp_word(want), b, cmp_word(ab), cmp_word(ba));
}

static void expect_valid(struct run *r, const char *id, const char *v,
			 bool want)
{
	bool got = sr_version_valid(r->eco, v);

	result(r, id, got == want, "want \"%s\" %s", v,
	       want ? "valid" : "invalid");
}

static void begin(struct run *r, const char *file, enum sr_ecosystem eco)
{
	r->file = file;
	r->eco = eco;
	r->cases = r->passed = r->failed = r->known_failed = 0;
}

static void end(struct run *r, const char *what)
{
	printf("%-4s %s [%s]%s%s: %d cases, %d passed, %d failed (%d known)\n",
	       r->failed == r->known_failed ? "ok" : "FAIL", r->file,
	       sr_ecosystem_name(r->eco), what ? " " : "", what ? what : "",
	       r->cases, r->passed, r->failed, r->known_failed);
}

static char *path_of(const struct run *r, const char *file)
{
	struct sr_buf b = SR_BUF_INIT;

	sr_buf_addf(&b, "%s/%s", r->dir, file);
	return sr_buf_detach(&b);
}

static char *slurp(struct run *r, const char *file, size_t *len)
{
	char *path = path_of(r, file), *text = NULL;

	if (sr_fs_read(&text, len, path, MAX_FILE) != 0) {
		fprintf(stderr, "test_version_vectors: cannot read '%s'\n",
			path);
		r->bad++;
		text = NULL;
	}
	free(path);
	return text;
}

static void doc_problem(void *payload, const char *rule, struct sr_pos pos,
			const char *message)
{
	struct run *r = payload;

	fprintf(stderr, "%s:%u:%u: %s %s\n", r->file, pos.line, pos.col, rule,
		message);
	r->bad++;
}

static struct sr_stream *load_json(struct run *r, const char *file)
{
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_stream *s;
	size_t len;
	char *text = slurp(r, file, &len);

	if (!text)
		return NULL;
	r->file = file;
	s = sr_stream_parse(text, len, &limits, doc_problem, r);
	free(text);
	if (s->n != 1 || !sr_node_is_map(s->docs[0].root)) {
		fprintf(stderr, "%s: not a JSON object\n", file);
		r->bad++;
		sr_stream_free(s);
		return NULL;
	}
	return s;
}

static const char *str_at(const struct sr_node *seq, size_t i)
{
	if (!sr_node_is_seq(seq) || i >= seq->u.seq.n)
		return NULL;
	return sr_node_str(seq->u.seq.items[i]);
}

static size_t seq_len(const struct sr_node *n)
{
	return sr_node_is_seq(n) ? n->u.seq.n : 0;
}

static void malformed(struct run *r, const char *what)
{
	fprintf(stderr, "%s: malformed vector file: %s\n", r->file, what);
	r->bad++;
}

/* Every i < j pair of a strictly increasing list. */
static void ordered_pairs(struct run *r, const char *name,
			  const struct sr_node *list)
{
	size_t i, j, n = seq_len(list);
	char id[128];

	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			const char *a = str_at(list, i), *b = str_at(list, j);

			snprintf(id, sizeof(id), "%s[%zu<%zu]", name, i, j);
			if (!a || !b)
				malformed(r, id);
			else
				expect_cmp(r, id, a, b, -1);
		}
	}
}

/* apache/maven ComparableVersionTest, extracted to JSON. */
static void run_maven(struct run *r, const char *file,
		      const enum sr_ecosystem *ecos)
{
	struct sr_stream *s = load_json(r, file);
	struct sr_node *root, *pairs, *canon;
	size_t i;
	char id[64];

	if (!s)
		return;
	root = s->docs[0].root;
	pairs = sr_map_get(root, "pairs");
	canon = sr_map_get(root, "canonical");
	begin(r, file, ecos[0]);
	for (i = 0; i < seq_len(pairs); i++) {
		struct sr_node *p = pairs->u.seq.items[i];
		const char *a = sr_node_str(sr_map_get(p, "a"));
		const char *b = sr_node_str(sr_map_get(p, "b"));
		long long cmp;

		snprintf(id, sizeof(id), "pairs[%zu]", i);
		if (!a || !b || !sr_node_int(sr_map_get(p, "cmp"), &cmp))
			malformed(r, id);
		else
			expect_cmp(r, id, a, b, sign((int)cmp));
	}
	end(r, "pairs");
	begin(r, file, ecos[0]);
	for (i = 0; i < seq_len(canon); i++) {
		struct sr_node *p = canon->u.seq.items[i];
		const char *v = sr_node_str(sr_map_get(p, "version"));
		const char *c = sr_node_str(sr_map_get(p, "canonical"));

		snprintf(id, sizeof(id), "canonical[%zu]", i);
		if (!v || !c)
			malformed(r, id);
		else
			expect_cmp(r, id, v, c, 0);
	}
	end(r, "canonical (same order as its canonical form)");
	sr_stream_free(s);
}

/* pypa/packaging tests/test_version.py, extracted to JSON. */
static void run_pypa(struct run *r, const char *file,
		     const enum sr_ecosystem *ecos)
{
	struct sr_stream *s = load_json(r, file);
	struct sr_node *root, *t;
	size_t i;
	char id[64];

	if (!s)
		return;
	root = s->docs[0].root;
	begin(r, file, ecos[0]);
	ordered_pairs(r, "ordered", sr_map_get(root, "ordered"));
	end(r, "ordered (every i<j pair)");

	begin(r, file, ecos[0]);
	t = sr_map_path(root, "parametrize", "test_invalid_versions", "cases",
			NULL);
	for (i = 0; i < seq_len(t); i++) {
		snprintf(id, sizeof(id), "invalid[%zu]", i);
		if (!str_at(t, i))
			malformed(r, id);
		else
			expect_valid(r, id, str_at(t, i), false);
	}
	end(r, "test_invalid_versions");

	begin(r, file, ecos[0]);
	t = sr_map_path(root, "parametrize", "test_normalized_versions",
			"cases", NULL);
	for (i = 0; i < seq_len(t); i++) {
		const char *v = str_at(t->u.seq.items[i], 0);
		const char *n = str_at(t->u.seq.items[i], 1);

		snprintf(id, sizeof(id), "normalized[%zu]", i);
		if (!v || !n) {
			malformed(r, id);
			continue;
		}
		expect_valid(r, id, v, true);
		snprintf(id, sizeof(id), "normalized[%zu]=", i);
		expect_cmp(r, id, v, n, 0);
	}
	end(r, "test_normalized_versions (valid, equal to normal form)");

	begin(r, file, ecos[0]);
	t = sr_map_path(root, "parametrize", "test_version_str_repr", "cases",
			NULL);
	for (i = 0; i < seq_len(t); i++) {
		const char *v = str_at(t->u.seq.items[i], 0);
		const char *n = str_at(t->u.seq.items[i], 1);

		snprintf(id, sizeof(id), "str_repr[%zu]", i);
		if (!v || !n)
			malformed(r, id);
		else
			expect_cmp(r, id, v, n, 0);
	}
	end(r, "test_version_str_repr (equal to str())");
	sr_stream_free(s);
}

/* npm/node-semver test/fixtures/{comparisons,equality}.js as JSON. */
static void run_npm(struct run *r, const char *file,
		    const enum sr_ecosystem *ecos)
{
	struct sr_stream *s = load_json(r, file);
	struct sr_node *rows;
	const char *kind;
	int want;
	size_t i;
	char id[64];

	if (!s)
		return;
	rows = sr_map_get(s->docs[0].root, "rows");
	kind = sr_node_str(sr_map_get(s->docs[0].root, "kind"));
	begin(r, file, ecos[0]);
	if (!kind || (strcmp(kind, "gt") && strcmp(kind, "eq"))) {
		malformed(r, "kind is neither gt nor eq");
		sr_stream_free(s);
		return;
	}
	want = !strcmp(kind, "gt") ? 1 : 0;
	for (i = 0; i < seq_len(rows); i++) {
		const char *a = str_at(rows->u.seq.items[i], 0);
		const char *b = str_at(rows->u.seq.items[i], 1);

		snprintf(id, sizeof(id), "rows[%zu]", i);
		if (!a || !b)
			malformed(r, id);
		else
			expect_cmp(r, id, a, b, want);
	}
	end(r, kind);
	sr_stream_free(s);
}

/* semver/semver semver.md examples as JSON. */
static void run_semver_md(struct run *r, const char *file,
			  const enum sr_ecosystem *ecos)
{
	struct sr_stream *s = load_json(r, file);
	struct sr_node *root, *chains, *t;
	size_t i, e;
	char id[64];

	if (!s)
		return;
	root = s->docs[0].root;
	chains = sr_map_get(root, "chains");
	for (e = 0; ecos[e] != SR_ECO__COUNT; e++) {
		begin(r, file, ecos[e]);
		for (i = 0; i < seq_len(chains); i++) {
			snprintf(id, sizeof(id), "chains[%zu]", i);
			ordered_pairs(r, id, sr_map_get(chains->u.seq.items[i],
							"chain"));
		}
		t = sr_map_get(root, "valid_prerelease_examples");
		for (i = 0; i < seq_len(t); i++) {
			snprintf(id, sizeof(id), "prerelease[%zu]", i);
			if (!str_at(t, i))
				malformed(r, id);
			else
				expect_valid(r, id, str_at(t, i), true);
		}
		t = sr_map_get(root, "valid_build_examples");
		for (i = 0; i < seq_len(t); i++) {
			const char *v = str_at(t, i);
			char base[256];

			snprintf(id, sizeof(id), "build[%zu]", i);
			if (!v) {
				malformed(r, id);
				continue;
			}
			expect_valid(r, id, v, true);
			/* Build metadata does not count for precedence. */
			snprintf(base, sizeof(base), "%.*s",
				 (int)strcspn(v, "+"), v);
			snprintf(id, sizeof(id), "build[%zu]=", i);
			expect_cmp(r, id, v, base, 0);
		}
		end(r, "chains, valid examples");
	}
	sr_stream_free(s);
}

/*
 * google/osv-scanner internal/semantic/fixtures/<eco>-versions*.txt:
 * "A <op> B" per line, op one of < = >; blank lines and lines starting
 * with "# " or "// " are skipped. Like osv-scanner, each line is checked
 * both ways round.
 */
static void run_osv(struct run *r, const char *file,
		    const enum sr_ecosystem *ecos)
{
	size_t len, e;
	char *text = slurp(r, file, &len);

	if (!text)
		return;
	for (e = 0; ecos[e] != SR_ECO__COUNT; e++) {
		char *p = text;
		unsigned lineno = 0;

		begin(r, file, ecos[e]);
		while (*p) {
			char *nl = strchr(p, '\n'), *next, *line;
			char *a, *op, *b, *sp1, *sp2;
			char id[32];
			size_t n;

			n = nl ? (size_t)(nl - p) : strlen(p);
			next = nl ? nl + 1 : p + n;
			lineno++;
			line = sr_xstrndup(p, n);
			p = next;
			if (n && line[n - 1] == '\r')
				line[--n] = '\0';
			if (!n || !strncmp(line, "# ", 2) ||
			    !strncmp(line, "// ", 3)) {
				free(line);
				continue;
			}
			snprintf(id, sizeof(id), "L%u", lineno);
			sp1 = strchr(line, ' ');
			sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
			if (!sp2 || strchr(sp2 + 1, ' ')) {
				malformed(r, id);
				free(line);
				continue;
			}
			*sp1 = *sp2 = '\0';
			a = line;
			op = sp1 + 1;
			b = sp2 + 1;
			if (!strcmp(op, "<"))
				expect_cmp(r, id, a, b, -1);
			else if (!strcmp(op, "="))
				expect_cmp(r, id, a, b, 0);
			else if (!strcmp(op, ">"))
				expect_cmp(r, id, a, b, 1);
			else
				malformed(r, id);
			free(line);
		}
		end(r, NULL);
	}
	free(text);
}

#define OSV "google__osv-scanner/internal/semantic/fixtures/"
#define ECOS(...) { __VA_ARGS__, SR_ECO__COUNT }

static const struct vector_file {
	const char *path;
	void (*run)(struct run *, const char *, const enum sr_ecosystem *);
	enum sr_ecosystem ecos[6];
} vector_files[] = {
	{ "apache__maven/compat/maven-artifact/src/test/java/org/apache/"
	  "maven/artifact/versioning/ComparableVersionTest.vectors.json",
	  run_maven, ECOS(SR_ECO_MAVEN) },
	{ "pypa__packaging/tests/test_version.vectors.json", run_pypa,
	  ECOS(SR_ECO_PYPI) },
	{ "npm__node-semver/test/fixtures/comparisons.json", run_npm,
	  ECOS(SR_ECO_NPM) },
	{ "npm__node-semver/test/fixtures/equality.json", run_npm,
	  ECOS(SR_ECO_NPM) },
	{ "semver__semver/semver.md.examples.json", run_semver_md,
	  ECOS(SR_ECO_SEMVER, SR_ECO_NPM, SR_ECO_CARGO, SR_ECO_GO) },
	{ OSV "maven-versions.txt", run_osv, ECOS(SR_ECO_MAVEN) },
	{ OSV "maven-versions-generated.txt", run_osv, ECOS(SR_ECO_MAVEN) },
	{ OSV "pypi-versions.txt", run_osv, ECOS(SR_ECO_PYPI) },
	{ OSV "pypi-versions-generated.txt", run_osv, ECOS(SR_ECO_PYPI) },
	{ OSV "rubygems-versions.txt", run_osv, ECOS(SR_ECO_RUBYGEMS) },
	{ OSV "rubygems-versions-generated.txt", run_osv,
	  ECOS(SR_ECO_RUBYGEMS) },
	{ OSV "packagist-versions.txt", run_osv, ECOS(SR_ECO_PACKAGIST) },
	/* osv-scanner runs this file for npm, crates.io, Go and Hex. */
	{ OSV "semver-versions.txt", run_osv,
	  ECOS(SR_ECO_NPM, SR_ECO_CARGO, SR_ECO_GO, SR_ECO_SEMVER) },
};

static char *trim(char *s)
{
	char *e = s + strlen(s);

	while (*s == ' ' || *s == '\t')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/*
 * known-failures.txt: "<file> | <ecosystem> | <case> | <reason>" per
 * line; blank lines and lines starting with '#' are comments.
 */
static void load_known(struct run *r)
{
	size_t len, cap = 0;
	char *text = slurp(r, "known-failures.txt", &len), *line, *next;
	unsigned lineno = 0;

	if (!text)
		return;
	for (line = text; *line; line = next) {
		char *f[4], *p;
		int i;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		lineno++;
		p = trim(line);
		if (!*p || *p == '#')
			continue;
		for (i = 0; i < 4; i++) {
			char *bar = i < 3 ? strstr(p, " | ") : NULL;

			if (bar)
				*bar = '\0';
			f[i] = trim(p);
			if (i < 3 && !bar)
				break;
			p = bar ? bar + 3 : p;
		}
		if (i < 4 || !*f[3]) {
			fprintf(stderr, "known-failures.txt:%u: want "
				"'file | ecosystem | case | reason'\n",
				lineno);
			r->bad++;
			continue;
		}
		r->known = sr_xgrow(r->known, &cap, r->nknown + 1,
				    sizeof(*r->known));
		r->known[r->nknown].file = sr_xstrdup(f[0]);
		r->known[r->nknown].eco = sr_xstrdup(f[1]);
		r->known[r->nknown].id = sr_xstrdup(f[2]);
		r->known[r->nknown].seen = false;
		r->known[r->nknown].failed = false;
		r->nknown++;
	}
	free(text);
}

static bool is_metadata(const char *name)
{
	return !strcmp(name, "SOURCES.md") ||
	       !strcmp(name, "known-failures.txt") ||
	       !strncmp(name, "LICENSE", 7);
}

/* Every data file under DIR must be in vector_files[]. */
static void check_unknown_files(struct run *r, const char *rel)
{
	struct sr_buf path = SR_BUF_INIT;
	DIR *d;
	struct dirent *ent;

	sr_buf_addf(&path, "%s%s%s", r->dir, *rel ? "/" : "", rel);
	d = opendir(sr_buf_cstr(&path));
	if (!d) {
		fprintf(stderr, "test_version_vectors: cannot open '%s'\n",
			sr_buf_cstr(&path));
		r->bad++;
		sr_buf_release(&path);
		return;
	}
	for (;;) {
		struct sr_buf sub = SR_BUF_INIT, full = SR_BUF_INIT;
		struct stat st;
		size_t i;
		bool known = false;

		ent = readdir(d);
		if (!ent)
			break;
		if (ent->d_name[0] == '.')
			continue;
		sr_buf_addf(&sub, "%s%s%s", rel, *rel ? "/" : "",
			    ent->d_name);
		sr_buf_addf(&full, "%s/%s", r->dir, sr_buf_cstr(&sub));
		if (stat(sr_buf_cstr(&full), &st) == 0 && S_ISDIR(st.st_mode)) {
			check_unknown_files(r, sr_buf_cstr(&sub));
		} else if (!is_metadata(ent->d_name)) {
			for (i = 0; i < SR_ARRAY_SIZE(vector_files); i++) {
				if (!strcmp(vector_files[i].path,
					    sr_buf_cstr(&sub)))
					known = true;
			}
			if (!known) {
				sr_buf_addf(&r->report, "UNKNOWN FILE: %s "
					    "(add a runner or remove it)\n",
					    sr_buf_cstr(&sub));
				r->bad++;
			}
		}
		sr_buf_release(&sub);
		sr_buf_release(&full);
	}
	closedir(d);
	sr_buf_release(&path);
}

int main(int argc, char **argv)
{
	struct run r;
	size_t i;
	int status;

	memset(&r, 0, sizeof(r));
	r.dir = argc > 1 ? argv[1] : getenv("SRCTL_VERSION_VECTORS");
	if (!r.dir || !*r.dir) {
		printf("test_version_vectors: skipped (no vector directory; "
		       "pass fixtures/version-ordering as the argument or in "
		       "SRCTL_VERSION_VECTORS)\n");
		return 0;
	}
	load_known(&r);
	for (i = 0; i < SR_ARRAY_SIZE(vector_files); i++)
		vector_files[i].run(&r, vector_files[i].path,
				    vector_files[i].ecos);
	check_unknown_files(&r, "");
	for (i = 0; i < r.nknown; i++) {
		struct known *k = &r.known[i];

		if (!k->seen) {
			sr_buf_addf(&r.report, "LISTED BUT NOT RUN: %s | %s | "
				    "%s\n", k->file, k->eco, k->id);
			r.bad++;
		}
		free(k->file);
		free(k->eco);
		free(k->id);
	}
	free(r.known);
	fputs(sr_buf_cstr(&r.report), stdout);
	status = r.bad ? 1 : 0;
	printf("%s: %d unexpected result%s\n", status ? "FAILED" : "PASSED",
	       r.bad, r.bad == 1 ? "" : "s");
	sr_buf_release(&r.report);
	return status;
}

/*
 * Runs the official JSON-Schema-Test-Suite (fixtures/json-schema-test-suite)
 * against srctl/schema.
 *
 *   test_schema_suite [FIXTURE_DIR [DRAFT...]]
 *
 * FIXTURE_DIR defaults to $SRCTL_SCHEMA_SUITE_DIR, then to the directory
 * compiled in; DRAFT is draft2020-12 and/or draft7 (default: both). For
 * each draft it runs every .json file in tests/<draft> (format as an
 * annotation) and in tests/<draft>/optional/format (format as an
 * assertion), prints a
 * pass count per file and in total, and fails unless at least 98% of the
 * required cases pass and every failing case, and only those, is listed
 * in FIXTURE_DIR/known-failures.txt as
 *
 *   <draft>/<file> | <group description> | <test description> | <reason>
 *
 * Each case is checked twice: sr_schema_valid (the fast path) must give
 * the expected verdict, and sr_schema_validate must agree with it.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "schema/schema.h"
#include "base/banned.h"

#define REMOTE_PREFIX "http://localhost:1234/"
#define REQUIRED_PERCENT 98.0

struct known {
	char *id;	/* "<draft>/<file> | <group> | <test>" */
	char *reason;
	bool seen;
};

struct tally {
	size_t pass, total;
};

struct run {
	const char *dir;
	struct known *known;
	size_t nknown;
	size_t unexpected;	/* failing, not listed */
	struct tally required, format;
};

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct sr_buf b = SR_BUF_INIT;
	char chunk[65536];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sr_buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return sr_buf_detach(&b);
}

static void load_known(struct run *r)
{
	struct sr_buf path = SR_BUF_INIT;
	char *text, *line, *next;
	size_t len;

	sr_buf_addf(&path, "%s/known-failures.txt", r->dir);
	text = read_all(path.ptr, &len);
	sr_buf_release(&path);
	if (!text)
		return;
	for (line = text; line && *line; line = next) {
		char *nl = strchr(line, '\n'), *sep;
		struct known *k;

		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		if (!*line || *line == '#')
			continue;
		/* the reason follows the third " | " */
		sep = strstr(line, " | ");
		sep = sep ? strstr(sep + 3, " | ") : NULL;
		sep = sep ? strstr(sep + 3, " | ") : NULL;
		if (!sep) {
			fprintf(stderr,
				"known-failures.txt: malformed line: %s\n",
				line);
			r->unexpected++;
			continue;
		}
		*sep = '\0';
		r->known = sr_xrealloc(r->known, (r->nknown + 1) *
				       sizeof(*r->known));
		k = &r->known[r->nknown++];
		k->id = sr_xstrdup(line);
		k->reason = sr_xstrdup(sep + 3);
		k->seen = false;
	}
	free(text);
}

static struct known *find_known(struct run *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nknown; i++)
		if (!strcmp(r->known[i].id, id))
			return &r->known[i];
	return NULL;
}

static void first_error(void *payload, const struct sr_schema_error *e)
{
	struct sr_buf *b = payload;

	if (!b->len)
		sr_buf_addf(b, "%u:%u %s [%s]", e->pos.line, e->pos.col,
			    e->message, e->keyword);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of a directory, sorted. */
static char **list_json(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		names = sr_xgrow(names, &cap, *n + 1, sizeof(*names));
		names[(*n)++] = sr_xstrdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_str);
	return names;
}

static void run_file(struct run *r, const char *draft, const char *rel,
		     bool format_assert, struct tally *t)
{
	struct sr_buf path = SR_BUF_INIT, remotes = SR_BUF_INIT;
	struct sr_stream *st = NULL;
	struct tally file = { 0, 0 };
	const struct sr_node *root;
	char *text;
	size_t len, g, k;

	sr_buf_addf(&path, "%s/tests/%s/%s", r->dir, draft, rel);
	sr_buf_addf(&remotes, "%s/remotes", r->dir);
	text = read_all(path.ptr, &len);
	if (!text) {
		fprintf(stderr, "cannot read %s\n", path.ptr);
		r->unexpected++;
		goto done;
	}
	st = sr_stream_parse_json(text, len, NULL, NULL, NULL);
	free(text);
	root = st->n ? st->docs[0].root : NULL;
	if (!sr_node_is_seq(root)) {
		fprintf(stderr, "%s: not a test file\n", path.ptr);
		r->unexpected++;
		goto done;
	}
	for (g = 0; g < root->u.seq.n; g++) {
		const struct sr_node *group = root->u.seq.items[g];
		const struct sr_node *tests = sr_map_get(group, "tests");
		const char *gdesc = sr_node_str(sr_map_get(group,
							   "description"));
		struct sr_schema_options opts = SR_SCHEMA_OPTIONS_INIT;
		struct sr_schema_set *set = NULL;
		const struct sr_schema *s = NULL;
		int ret;

		opts.default_draft = strcmp(draft, "draft7") ?
				     SR_SCHEMA_DRAFT_2020_12 :
				     SR_SCHEMA_DRAFT_7;
		opts.format_assert = format_assert;
		sr_schema_set_new(&set, &opts);
		sr_schema_set_map(set, REMOTE_PREFIX, remotes.ptr);
		sr_error_clear();
		ret = sr_schema_add(&s, set, NULL, path.ptr,
				    sr_map_get(group, "schema"));
		for (k = 0; tests && k < tests->u.seq.n; k++) {
			const struct sr_node *tc = tests->u.seq.items[k];
			const struct sr_node *data = sr_map_get(tc, "data");
			const char *tdesc = sr_node_str(
				sr_map_get(tc, "description"));
			bool want = false, got = false, ok;
			struct sr_buf id = SR_BUF_INIT, why = SR_BUF_INIT;
			struct known *kn;

			sr_node_bool(sr_map_get(tc, "valid"), &want);
			if (ret == 0) {
				size_t nerr;

				got = sr_schema_valid(s, data);
				nerr = sr_schema_validate(s, data, first_error,
							  &why);
				ok = got == want && (nerr == 0) == got;
				if (got != want && !why.len)
					sr_buf_adds(&why, "no error reported");
				if ((nerr == 0) != got)
					sr_buf_adds(&why, " (validate "
						    "disagrees with valid)");
			} else {
				ok = false;
				sr_buf_addf(&why, "schema rejected: %s",
					    sr_error_last());
			}
			sr_buf_addf(&id, "%s/%s | %s | %s", draft, rel,
				    gdesc ? gdesc : "", tdesc ? tdesc : "");
			kn = find_known(r, id.ptr);
			file.total++;
			if (ok)
				file.pass++;
			if (kn) {
				kn->seen = true;
				if (ok) {
					fprintf(stderr, "  listed in "
						"known-failures.txt but "
						"passes: %s\n", id.ptr);
					r->unexpected++;
				}
			} else if (!ok) {
				fprintf(stderr,
					"  FAIL %s\n       expected %s: %s\n",
					id.ptr, want ? "valid" : "invalid",
					why.len ? why.ptr : "valid");
				r->unexpected++;
			}
			sr_buf_release(&id);
			sr_buf_release(&why);
		}
		sr_schema_set_free(set);
	}
	printf("  %s/%s: %zu/%zu\n", draft, rel, file.pass, file.total);
done:
	t->pass += file.pass;
	t->total += file.total;
	sr_stream_free(st);
	sr_buf_release(&path);
	sr_buf_release(&remotes);
}

static bool run_draft(struct run *r, const char *draft)
{
	struct sr_buf dir = SR_BUF_INIT, fdir = SR_BUF_INIT;
	struct tally req = { 0, 0 }, fmt = { 0, 0 };
	char **files;
	size_t n, i;
	double pct;
	bool ok;

	sr_buf_addf(&dir, "%s/tests/%s", r->dir, draft);
	files = list_json(dir.ptr, &n);
	if (!n) {
		fprintf(stderr, "no test files in %s\n", dir.ptr);
		sr_buf_release(&dir);
		return false;
	}
	for (i = 0; i < n; i++) {
		run_file(r, draft, files[i], false, &req);
		free(files[i]);
	}
	free(files);
	sr_buf_addf(&fdir, "%s/optional/format", dir.ptr);
	files = list_json(fdir.ptr, &n);
	for (i = 0; i < n; i++) {
		char rel[512];

		snprintf(rel, sizeof(rel), "optional/format/%s", files[i]);
		run_file(r, draft, rel, true, &fmt);
		free(files[i]);
	}
	free(files);
	pct = req.total ? 100.0 * (double)req.pass / (double)req.total : 0;
	ok = pct >= REQUIRED_PERCENT;
	printf("%s: %zu/%zu = %.1f%% (required %.0f%%)%s\n", draft, req.pass,
	       req.total, pct, REQUIRED_PERCENT, ok ? "" : "  TOO LOW");
	if (fmt.total)
		printf("%s optional/format (assertion): %zu/%zu\n", draft,
		       fmt.pass, fmt.total);
	sr_buf_release(&dir);
	sr_buf_release(&fdir);
	return ok;
}

int main(int argc, char **argv)
{
	static const char *const all[] = { "draft2020-12", "draft7" };
	struct run r;
	const char *const *drafts = all;
	size_t ndrafts = 2, i;
	bool ok = true;
	clock_t t0 = clock();

	memset(&r, 0, sizeof(r));
	r.dir = argc > 1 ? argv[1] : getenv("SRCTL_SCHEMA_SUITE_DIR");
#ifdef SRCTL_SCHEMA_SUITE_DIR
	if (!r.dir)
		r.dir = SRCTL_SCHEMA_SUITE_DIR;
#endif
	if (!r.dir) {
		fprintf(stderr, "usage: test_schema_suite FIXTURE_DIR "
			"[DRAFT...]\n");
		return 2;
	}
	if (argc > 2) {
		drafts = (const char *const *)(argv + 2);
		ndrafts = (size_t)(argc - 2);
	}
	load_known(&r);
	for (i = 0; i < ndrafts; i++)
		if (!run_draft(&r, drafts[i]))
			ok = false;
	for (i = 0; i < r.nknown; i++) {
		bool ours = false;
		size_t d;

		for (d = 0; d < ndrafts; d++) {
			size_t l = strlen(drafts[d]);

			ours = ours || (!strncmp(r.known[i].id, drafts[d], l) &&
					r.known[i].id[l] == '/');
		}
		if (ours && !r.known[i].seen) {
			fprintf(stderr, "  listed in known-failures.txt but "
				"not in the suite: %s\n", r.known[i].id);
			r.unexpected++;
		}
		free(r.known[i].id);
		free(r.known[i].reason);
	}
	free(r.known);
	if (r.unexpected) {
		fprintf(stderr,
			"%zu case(s) disagree with known-failures.txt\n",
			r.unexpected);
		ok = false;
	}
	printf("time: %.0f ms\n",
	       1000.0 * (double)(clock() - t0) / CLOCKS_PER_SEC);
	return ok ? 0 : 1;
}

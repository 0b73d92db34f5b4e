#include "baseline/baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "base/banned.h"

struct entry {
	char *rule;
	char *file;
	bool by_path;	/* 'key' is a JSON pointer, else a message */
	char *key;
	unsigned long long count;
	unsigned long long used;	/* matched in this run */
};

struct sr_baseline {
	struct entry *v;
	size_t n;
	size_t cap;
	size_t *stale;	/* indexes into v */
	size_t nstale;
};

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = strcmp(a->file, b->file);

	if (!c)
		c = strcmp(a->rule, b->rule);
	if (!c)
		c = (int)b->by_path - (int)a->by_path;
	if (!c)
		c = strcmp(a->key, b->key);
	return c;
}

static void add_entry(struct sr_baseline *b, const char *rule,
		      const char *file, bool by_path, const char *key,
		      unsigned long long count)
{
	struct entry *e;

	b->v = sr_xgrow(b->v, &b->cap, b->n + 1, sizeof(*b->v));
	e = &b->v[b->n++];
	e->rule = sr_xstrdup(rule);
	e->file = sr_xstrdup(file);
	e->by_path = by_path;
	e->key = sr_xstrdup(key);
	e->count = count;
	e->used = 0;
}

/* The identity of a finding, as a key to look an entry up with. */
static struct entry key_of(const struct sr_finding *f, char *file)
{
	struct entry k;

	memset(&k, 0, sizeof(k));
	k.rule = f->rule;
	k.file = file;
	k.by_path = f->pointer != NULL;
	k.key = f->pointer ? f->pointer : f->message;
	return k;
}

char *sr_baseline_dir(const char *baseline_path)
{
	const char *slash = strrchr(baseline_path, '/');
	char *dir, *real;

	if (!slash)
		return realpath(".", NULL);
	dir = sr_xstrndup(baseline_path,
			  slash == baseline_path ? 1 :
			  (size_t)(slash - baseline_path));
	real = realpath(dir, NULL);
	free(dir);
	return real;
}

char *sr_baseline_key(const char *dir, const char *root, const char *path)
{
	struct sr_buf abs = SR_BUF_INIT;
	size_t n = strlen(dir);
	char *key;

	if (path[0] != '/')
		sr_buf_addf(&abs, "%s/", root);
	sr_buf_adds(&abs, path);
	sr_fs_normalise(abs.ptr);
	abs.len = strlen(abs.ptr);
	if (n == 1 && dir[0] == '/')
		key = sr_xstrdup(abs.ptr + 1);
	else if (!strncmp(abs.ptr, dir, n) && abs.ptr[n] == '/')
		key = sr_xstrdup(abs.ptr + n + 1);
	else
		key = sr_buf_detach(&abs);
	sr_buf_release(&abs);
	return key;
}

void sr_baseline_free(struct sr_baseline *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->n; i++) {
		free(b->v[i].rule);
		free(b->v[i].file);
		free(b->v[i].key);
	}
	free(b->v);
	free(b->stale);
	free(b);
}

struct parse_errors {
	const char *path;
	struct sr_buf *errors;
	bool any;
};

static void on_problem(void *payload, const char *rule, struct sr_pos pos,
		       const char *message)
{
	struct parse_errors *pe = payload;

	(void)rule;
	sr_buf_addf(pe->errors, "%s:%u:%u: %s\n", pe->path, pos.line, pos.col,
		    message);
	pe->any = true;
}

static void bad(struct parse_errors *pe, const struct sr_node *n,
		const char *what)
{
	sr_buf_addf(pe->errors, "%s:%u:%u: %s\n", pe->path,
		    n ? n->start.line : 1, n ? n->start.col : 1, what);
	pe->any = true;
}

static void load_entry(struct sr_baseline *b, struct parse_errors *pe,
		       const struct sr_node *item)
{
	const struct sr_node *rule = sr_map_get(item, "rule");
	const struct sr_node *file = sr_map_get(item, "file");
	const struct sr_node *path = sr_map_get(item, "path");
	const struct sr_node *msg = sr_map_get(item, "message");
	const struct sr_node *count = sr_map_get(item, "count");
	long long c = 1;

	if (!sr_node_is_map(item)) {
		bad(pe, item, "a baseline entry must be an object");
		return;
	}
	if (!sr_node_str(rule) || !sr_node_str(file)) {
		bad(pe, item, "a baseline entry needs \"rule\" and \"file\" strings");
		return;
	}
	if (!sr_node_str(path) == !sr_node_str(msg)) {
		bad(pe, item, "a baseline entry needs one of \"path\" and \"message\"");
		return;
	}
	if (count && (!sr_node_int(count, &c) || c < 1)) {
		bad(pe, count, "\"count\" must be a positive integer");
		return;
	}
	add_entry(b, sr_node_str(rule), sr_node_str(file),
		  sr_node_str(path) != NULL,
		  sr_node_str(path) ? sr_node_str(path) : sr_node_str(msg),
		  (unsigned long long)c);
}

int sr_baseline_load(struct sr_baseline **out, const char *path,
		     struct sr_buf *errors)
{
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct parse_errors pe = { path, errors, false };
	struct sr_baseline *b;
	struct sr_stream *s;
	const struct sr_node *root, *list, *version;
	char *text = NULL;
	size_t len, i;
	long long v;

	*out = NULL;
	/* a baseline of a large repository is large; still bounded */
	if (sr_fs_read(&text, &len, path, 256u << 20) < 0) {
		sr_buf_addf(errors, "%s\n", sr_error_last());
		return SR_ERROR;
	}
	b = sr_xcalloc(1, sizeof(*b));
	s = sr_stream_parse_json(text, len, &limits, on_problem, &pe);
	root = s->n ? s->docs[0].root : NULL;
	version = sr_map_get(root, "version");
	list = sr_map_get(root, "findings");
	if (pe.any) {
		/* reported by the parser */
	} else if (!sr_node_is_map(root) || !sr_node_is_seq(list)) {
		bad(&pe, root, "not a srctl baseline: expected {\"version\": 1, \"findings\": [...]}");
	} else if (!sr_node_int(version, &v) || v != 1) {
		bad(&pe, version ? version : root,
		    "unsupported baseline version (this srctl reads version 1)");
	} else {
		for (i = 0; i < list->u.seq.n; i++)
			load_entry(b, &pe, list->u.seq.items[i]);
	}
	sr_stream_free(s);
	free(text);
	if (pe.any) {
		sr_baseline_free(b);
		return SR_EPARSE;
	}
	if (b->n)
		qsort(b->v, b->n, sizeof(*b->v), cmp_entry);
	*out = b;
	return 0;
}

void sr_baseline_apply(struct sr_baseline *b, struct sr_findings *list,
		       char **keys,
		       bool (*checked)(void *payload, const char *key),
		       void *payload)
{
	size_t i, k = 0;

	list->has_baseline = true;
	for (i = 0; i < list->n; i++) {
		struct entry key = key_of(&list->v[i], keys[i]);
		struct entry *e = b->n ? bsearch(&key, b->v, b->n,
						  sizeof(*b->v), cmp_entry)
				       : NULL;

		/* bsearch may land on any of equal entries: there are none */
		if (e && e->used < e->count) {
			e->used++;
			list->baselined++;
			sr_finding_release(&list->v[i]);
			continue;
		}
		list->v[k++] = list->v[i];
	}
	list->n = k;
	free(b->stale);
	b->stale = NULL;
	b->nstale = 0;
	for (i = 0; i < b->n; i++) {
		if (b->v[i].used >= b->v[i].count ||
		    (checked && !checked(payload, b->v[i].file)))
			continue;
		if (!b->stale)
			b->stale = sr_xcalloc(b->n, sizeof(*b->stale));
		b->stale[b->nstale++] = i;
	}
}

size_t sr_baseline_nstale(const struct sr_baseline *b)
{
	return b->nstale;
}

void sr_baseline_stale(const struct sr_baseline *b, size_t i,
		       const char **rule, const char **file,
		       const char **where)
{
	const struct entry *e = &b->v[b->stale[i]];

	*rule = e->rule;
	*file = e->file;
	*where = e->key;
}

/* A JSON string; the text is UTF-8 already (findings repair theirs). */
static void add_json_str(struct sr_buf *out, const char *s)
{
	sr_buf_addc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sr_buf_addf(out, "\\%c", c);
		else if (c == '\n')
			sr_buf_adds(out, "\\n");
		else if (c == '\t')
			sr_buf_adds(out, "\\t");
		else if (c < 0x20)
			sr_buf_addf(out, "\\u%04x", c);
		else
			sr_buf_addc(out, (char)c);
	}
	sr_buf_addc(out, '"');
}

int sr_baseline_write(const char *path, const struct sr_findings *list,
		      char *const *keys)
{
	struct sr_baseline b;
	struct sr_buf out = SR_BUF_INIT;
	size_t i, k;
	int r;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < list->n; i++) {
		struct entry key = key_of(&list->v[i], keys[i]);

		add_entry(&b, key.rule, key.file, key.by_path, key.key, 1);
	}
	if (b.n)
		qsort(b.v, b.n, sizeof(*b.v), cmp_entry);
	sr_buf_adds(&out, "{\n  \"version\": 1,\n  \"findings\": [");
	for (i = 0; i < b.n; i = k) {
		unsigned long long n = 0;

		for (k = i; k < b.n && !cmp_entry(&b.v[i], &b.v[k]); k++)
			n++;
		sr_buf_adds(&out, i ? ",\n    {" : "\n    {");
		sr_buf_adds(&out, "\"rule\": ");
		add_json_str(&out, b.v[i].rule);
		sr_buf_adds(&out, ", \"file\": ");
		add_json_str(&out, b.v[i].file);
		sr_buf_adds(&out, b.v[i].by_path ? ", \"path\": " :
			    ", \"message\": ");
		add_json_str(&out, b.v[i].key);
		sr_buf_addf(&out, ", \"count\": %llu}", n);
	}
	sr_buf_adds(&out, b.n ? "\n  ]\n}\n" : "]\n}\n");
	r = sr_fs_write_atomic(path, out.ptr, out.len);
	for (i = 0; i < b.n; i++) {
		free(b.v[i].rule);
		free(b.v[i].file);
		free(b.v[i].key);
	}
	free(b.v);
	sr_buf_release(&out);
	return r;
}

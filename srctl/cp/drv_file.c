/*
 * The "file" control-plane driver (the default; no server): live values
 * are kept in an overrides file in the repository,
 *
 *   {"srctl_overrides": 1,
 *    "edges": {"payment-gw/redis": {"version": 3, "timeout_ms": 1200, ...}}}
 *
 * each edge carrying the value object of SPEC.md section 8 plus a
 * per-edge version counter, the CAS token. A write holds an exclusive
 * flock on "<file>.lock" while it reads, compares and replaces the file
 * (temporary file, fsync, rename), so concurrent srctl processes on one
 * machine never lose an update and a crash leaves the old file whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "cp/driver.h"
#include "doc/doc.h"
#include "base/banned.h"

#define FILE_MAX (16u << 20)
#define DEFAULT_PATH ".srctl/timeout-overrides.json"

struct edge {
	char *key;		/* "service/target" */
	long long version;
	struct sr_cp_value v;
};

struct table {
	struct edge *v;
	size_t n, cap;
};

struct file_ctx {
	char *path;
	char *lock_path;
};

static void table_release(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].key);
		sr_cp_value_release(&t->v[i].v);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static void on_problem(void *payload, const char *rule, struct sr_pos pos,
		       const char *message)
{
	struct sr_buf *err = payload;

	(void)rule;
	if (!err->len)
		sr_buf_addf(err, "%u:%u: %s", pos.line, pos.col, message);
}

/* Read the table; a missing file is an empty table. */
static int table_load(struct table *t, const struct file_ctx *f,
		      struct sr_buf *err)
{
	struct sr_doc_limits lim = SR_DOC_LIMITS_INIT;
	struct sr_buf perr = SR_BUF_INIT;
	struct sr_stream *st;
	const struct sr_node *root, *edges;
	char *text = NULL;
	size_t len = 0;
	int rc = SR_CP_OK;

	if (access(f->path, F_OK) < 0 && errno == ENOENT)
		return SR_CP_OK;
	if (sr_fs_read(&text, &len, f->path, FILE_MAX) < 0) {
		sr_buf_addf(err, "%s", sr_error_last());
		return SR_CP_UNAVAILABLE;
	}
	st = sr_stream_parse_json(text, len, &lim, on_problem, &perr);
	root = st->n ? st->docs[0].root : NULL;
	edges = sr_map_get(root, "edges");
	if (perr.len || !sr_node_is_map(root) ||
	    (edges && !sr_node_is_map(edges))) {
		sr_buf_addf(err, "%s:%s not a srctl overrides file "
			    "{\"edges\": {...}}", f->path,
			    perr.len ? sr_buf_cstr(&perr) : "");
		rc = SR_CP_INVALID;
		goto out;
	}
	for (size_t i = 0; edges && i < edges->u.map.n; i++) {
		const struct sr_pair *p = &edges->u.map.pairs[i];
		struct sr_buf verr = SR_BUF_INIT;
		const char *k = sr_node_str(p->key);
		struct edge e;
		long long ver = 0;

		memset(&e, 0, sizeof(e));
		if (!k || !strchr(k, '/') ||
		    !sr_node_int(sr_map_get(p->value, "version"), &ver) ||
		    ver <= 0 ||
		    sr_cp_value_parse(&e.v,
				      text + p->value->start.offset,
				      p->value->end.offset -
				      p->value->start.offset, &verr)) {
			sr_buf_addf(err, "%s:%u:%u: bad entry for edge '%s'%s%s",
				    f->path, p->key->start.line,
				    p->key->start.col, k ? k : "?",
				    verr.len ? ": " : "", sr_buf_cstr(&verr));
			sr_buf_release(&verr);
			sr_cp_value_release(&e.v);
			rc = SR_CP_INVALID;
			goto out;
		}
		e.key = sr_xstrdup(k);
		e.version = ver;
		t->v = sr_xgrow(t->v, &t->cap, t->n + 1, sizeof(*t->v));
		t->v[t->n++] = e;
	}
out:
	sr_buf_release(&perr);
	sr_stream_free(st);
	free(text);
	return rc;
}

static int table_save(const struct table *t, const struct file_ctx *f,
		      struct sr_buf *err)
{
	struct sr_buf b = SR_BUF_INIT;
	int rc = SR_CP_OK;

	sr_buf_adds(&b, "{\"srctl_overrides\": 1,\n \"edges\": {");
	for (size_t i = 0; i < t->n; i++) {
		const struct edge *e = &t->v[i];
		struct sr_cp_write w;

		memset(&w, 0, sizeof(w));
		w.ms = e->v.ms;
		w.change_id = e->v.change_id;
		w.changed_by = e->v.changed_by;
		w.reason = e->v.reason;
		w.changed_at = e->v.changed_at;
		w.expires = e->v.expires;
		sr_buf_adds(&b, i ? ",\n  " : "\n  ");
		sr_buf_add_json(&b, e->key);
		sr_buf_addf(&b, ": {\"version\":%lld,", e->version);
		/* the value object without its opening brace */
		{
			struct sr_buf vb = SR_BUF_INIT;

			sr_cp_value_json(&vb, &w);
			sr_buf_adds(&b, vb.ptr + 1);
			sr_buf_release(&vb);
		}
	}
	sr_buf_adds(&b, "\n }\n}\n");
	if (sr_fs_write_atomic(f->path, b.ptr, b.len) < 0) {
		sr_buf_addf(err, "%s", sr_error_last());
		rc = SR_CP_UNAVAILABLE;
	}
	sr_buf_release(&b);
	return rc;
}

static struct edge *table_find(struct table *t, const struct sr_cp_edge *e)
{
	size_t sl = strlen(e->service);

	for (size_t i = 0; i < t->n; i++) {
		const char *k = t->v[i].key;

		if (!strncmp(k, e->service, sl) && k[sl] == '/' &&
		    !strcmp(k + sl + 1, e->target))
			return &t->v[i];
	}
	return NULL;
}

static int lock_open(const struct file_ctx *f, int how, struct sr_buf *err)
{
	int fd;

	if (sr_fs_make_parents(f->lock_path) < 0) {
		sr_buf_addf(err, "%s", sr_error_last());
		return -1;
	}
	fd = open(f->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		sr_buf_addf(err, "cannot open '%s': %s", f->lock_path,
			    strerror(errno));
		return -1;
	}
	while (flock(fd, how) < 0) {
		if (errno == EINTR)
			continue;
		sr_buf_addf(err, "cannot lock '%s': %s", f->lock_path,
			    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int file_open(void **ctx, const struct sr_cp_conf *conf,
		     struct sr_buf *err)
{
	struct file_ctx *f = sr_xcalloc(1, sizeof(*f));
	struct sr_buf b = SR_BUF_INIT;

	(void)err;
	f->path = sr_xstrdup(conf->n_endpoints ? conf->endpoints[0]
					       : DEFAULT_PATH);
	sr_buf_addf(&b, "%s.lock", f->path);
	f->lock_path = sr_buf_detach(&b);
	*ctx = f;
	return SR_CP_OK;
}

static void file_close(void *ctx)
{
	struct file_ctx *f = ctx;

	if (!f)
		return;
	free(f->path);
	free(f->lock_path);
	free(f);
}

static int file_get(void *ctx, const struct sr_cp_edge *edge,
		    struct sr_cp_value *out, struct sr_buf *err)
{
	struct file_ctx *f = ctx;
	struct table t = { 0 };
	struct edge *e;
	struct sr_buf ver = SR_BUF_INIT;
	int rc;

	/* no lock: the file is only ever replaced whole by rename */
	rc = table_load(&t, f, err);
	if (rc)
		return rc;
	e = table_find(&t, edge);
	if (!e) {
		table_release(&t);
		return SR_CP_NOT_FOUND;
	}
	sr_cp_value_copy(out, &e->v);
	free(out->version);
	sr_buf_addf(&ver, "%lld", e->version);
	out->version = sr_buf_detach(&ver);
	table_release(&t);
	return SR_CP_OK;
}

static int file_put(void *ctx, const struct sr_cp_edge *edge,
		    const char *expect, const struct sr_cp_write *w,
		    char **new_version, struct sr_buf *err)
{
	struct file_ctx *f = ctx;
	struct table t = { 0 };
	struct edge *e;
	struct sr_buf ver = SR_BUF_INIT;
	int fd, rc;

	fd = lock_open(f, LOCK_EX, err);
	if (fd < 0)
		return SR_CP_UNAVAILABLE;
	rc = table_load(&t, f, err);
	if (rc)
		goto out;
	e = table_find(&t, edge);
	sr_buf_addf(&ver, "%lld", e ? e->version : 0LL);
	if ((*expect && strcmp(expect, ver.ptr)) || (!*expect && e)) {
		sr_buf_addf(err, "%s: edge %s/%s changed since it was read "
			    "(version %s, expected %s)", f->path,
			    edge->service, edge->target, ver.ptr,
			    *expect ? expect : "none");
		rc = SR_CP_CONFLICT;
		goto out;
	}
	if (w->dry_run)
		goto out;
	if (!e) {
		struct sr_buf k = SR_BUF_INIT;

		sr_buf_addf(&k, "%s/%s", edge->service, edge->target);
		t.v = sr_xgrow(t.v, &t.cap, t.n + 1, sizeof(*t.v));
		e = &t.v[t.n++];
		memset(e, 0, sizeof(*e));
		e->key = sr_buf_detach(&k);
	}
	sr_cp_value_release(&e->v);
	e->version++;
	e->v.ms = w->ms;
	e->v.change_id = w->change_id ? sr_xstrdup(w->change_id) : NULL;
	e->v.changed_by = w->changed_by ? sr_xstrdup(w->changed_by) : NULL;
	e->v.reason = w->reason ? sr_xstrdup(w->reason) : NULL;
	e->v.changed_at = w->changed_at;
	e->v.expires = w->expires;
	rc = table_save(&t, f, err);
	if (!rc && new_version) {
		sr_buf_reset(&ver);
		sr_buf_addf(&ver, "%lld", e->version);
		*new_version = sr_buf_detach(&ver);
	}
out:
	sr_buf_release(&ver);
	table_release(&t);
	close(fd);	/* releases the lock */
	return rc;
}

static int file_list(void *ctx,
		     int (*fn)(const struct sr_cp_edge *edge,
			       const struct sr_cp_value *v, void *data),
		     void *data, struct sr_buf *err)
{
	struct file_ctx *f = ctx;
	struct table t = { 0 };
	int rc = table_load(&t, f, err);

	for (size_t i = 0; !rc && i < t.n; i++) {
		char *svc = sr_xstrdup(t.v[i].key);
		char *slash = strchr(svc, '/');
		struct sr_cp_edge e;
		struct sr_buf ver = SR_BUF_INIT;

		*slash = '\0';
		e.service = svc;
		e.target = slash + 1;
		sr_buf_addf(&ver, "%lld", t.v[i].version);
		free(t.v[i].v.version);
		t.v[i].v.version = sr_buf_detach(&ver);
		if (fn(&e, &t.v[i].v, data))
			i = t.n;
		free(svc);
	}
	table_release(&t);
	return rc;
}

const struct sr_cp_driver sr_cp_drv_file = {
	"file", file_open, file_get, file_put, file_list, file_close
};

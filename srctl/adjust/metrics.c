#include "adjust/metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "cp/driver.h"
#include "cp/http.h"
#include "base/banned.h"

#define COUNT "sre_timeout_adjustment_count_total"
#define GAUGE "sre_timeout_current_ms"
#define METRICS_MAX (16u << 20)

struct series {
	char *name_labels;	/* metric{labels} */
	long long value;
};

struct table {
	struct series *v;
	size_t n, cap;
};

static void set(struct table *t, const char *key, long long v, int add)
{
	for (size_t i = 0; i < t->n; i++) {
		if (!strcmp(t->v[i].name_labels, key)) {
			t->v[i].value = add ? t->v[i].value + v : v;
			return;
		}
	}
	t->v = sr_xgrow(t->v, &t->cap, t->n + 1, sizeof(*t->v));
	t->v[t->n].name_labels = sr_xstrdup(key);
	t->v[t->n].value = v;
	t->n++;
}

static int cmp_series(const void *a, const void *b)
{
	return strcmp(((const struct series *)a)->name_labels,
		      ((const struct series *)b)->name_labels);
}

/* Our own series from an earlier file; anything else is dropped. */
static void parse(struct table *t, char *text)
{
	char *line = text, *nl;

	for (; line && *line; line = nl ? nl + 1 : NULL) {
		char *sp, *end;
		long long v;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(line, COUNT "{", sizeof(COUNT)) &&
		    strncmp(line, GAUGE "{", sizeof(GAUGE)))
			continue;
		sp = strrchr(line, ' ');
		if (!sp || sp[-1] != '}')
			continue;
		errno = 0;
		v = strtoll(sp + 1, &end, 10);
		if (errno || *end || v < 0)
			continue;
		*sp = '\0';
		set(t, line, v, 0);
	}
}

static void label(struct sr_buf *b, const char *name, const char *v)
{
	sr_buf_addf(b, "%s=\"", name);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			sr_buf_addc(b, '\\');
		if (*v == '\n')
			sr_buf_adds(b, "\\n");
		else
			sr_buf_addc(b, *v);
	}
	sr_buf_addc(b, '"');
}

static void render(struct sr_buf *out, struct table *t)
{
	int headed = 0;

	qsort(t->v, t->n, sizeof(*t->v), cmp_series);
	sr_buf_adds(out, "# HELP " COUNT " srctl timeout adjustment "
		    "attempts by outcome.\n# TYPE " COUNT " counter\n");
	for (size_t i = 0; i < t->n; i++)
		if (!strncmp(t->v[i].name_labels, COUNT "{", sizeof(COUNT)))
			sr_buf_addf(out, "%s %lld\n", t->v[i].name_labels,
				    t->v[i].value);
	for (size_t i = 0; i < t->n; i++) {
		if (strncmp(t->v[i].name_labels, GAUGE "{", sizeof(GAUGE)))
			continue;
		if (!headed)
			sr_buf_adds(out, "# HELP " GAUGE " Live timeout of "
				    "an edge after srctl's last write, ms.\n"
				    "# TYPE " GAUGE " gauge\n");
		headed = 1;
		sr_buf_addf(out, "%s %lld\n", t->v[i].name_labels,
			    t->v[i].value);
	}
}

int sr_metrics_update(const char *path, const char *service,
		      const char *target, const char *outcome,
		      long long current_ms, struct sr_buf *text,
		      struct sr_buf *err)
{
	struct table t = { 0 };
	struct sr_buf key = SR_BUF_INIT, lock = SR_BUF_INIT, out = SR_BUF_INIT;
	char *old = NULL;
	size_t len = 0;
	int fd, rc = 0;

	sr_buf_addf(&lock, "%s.lock", path);
	sr_fs_make_parents(path);
	fd = open(lock.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		sr_buf_addf(err, "cannot lock '%s': %s", lock.ptr,
			    strerror(errno));
		rc = SR_ERROR;
		goto out;
	}
	if (!(access(path, F_OK) < 0 && errno == ENOENT)) {
		if (sr_fs_read(&old, &len, path, METRICS_MAX) < 0) {
			sr_buf_addf(err, "%s", sr_error_last());
			rc = SR_ERROR;
			goto out;
		}
		parse(&t, old);
	}
	sr_buf_adds(&key, COUNT "{");
	label(&key, "service", service);
	sr_buf_addc(&key, ',');
	label(&key, "target", target);
	sr_buf_addc(&key, ',');
	label(&key, "outcome", outcome);
	sr_buf_addc(&key, '}');
	set(&t, key.ptr, 1, 1);
	if (current_ms >= 0) {
		sr_buf_reset(&key);
		sr_buf_adds(&key, GAUGE "{");
		label(&key, "service", service);
		sr_buf_addc(&key, ',');
		label(&key, "target", target);
		sr_buf_addc(&key, '}');
		set(&t, key.ptr, current_ms, 0);
	}
	render(&out, &t);
	/*
	 * Atomic for the textfile collector, but no fsync: the audit log is
	 * the durable record, and Prometheus copes with a counter reset.
	 */
	if (sr_fs_replace(path, out.ptr, out.len, false) < 0) {
		sr_buf_addf(err, "%s", sr_error_last());
		rc = SR_ERROR;
	} else if (text) {
		sr_buf_add(text, out.ptr, out.len);
	}
out:
	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i < t.n; i++)
		free(t.v[i].name_labels);
	free(t.v);
	free(old);
	sr_buf_release(&key);
	sr_buf_release(&lock);
	sr_buf_release(&out);
	return rc;
}

int sr_metrics_push(const char *url, const char *text, long timeout_ms,
		    struct sr_buf *err)
{
	static const char *const headers[] = {
		"Content-Type: text/plain; version=0.0.4", NULL
	};
	struct sr_http *h = sr_http_new();
	struct sr_http_resp resp = { 0 };
	struct sr_http_req req;
	struct sr_buf u = SR_BUF_INIT;
	size_t ul = strlen(url);
	int rc;

	sr_buf_add(&u, url, ul && url[ul - 1] == '/' ? ul - 1 : ul);
	sr_buf_adds(&u, "/metrics/job/srctl");
	memset(&req, 0, sizeof(req));
	req.method = "PUT";
	req.url = u.ptr;
	req.headers = headers;
	req.body = text;
	req.body_len = strlen(text);
	req.timeout_ms = timeout_ms;
	rc = sr_http_do(h, &req, &resp, err);
	if (!rc && sr_http_status_rc(resp.status) != SR_CP_OK) {
		rc = sr_http_status_rc(resp.status);
		sr_buf_addf(err, "%s: HTTP %ld", u.ptr, resp.status);
	}
	sr_http_resp_release(&resp);
	sr_http_free(h);
	sr_buf_release(&u);
	return rc;
}

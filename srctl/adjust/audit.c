#include "adjust/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "cp/driver.h"
#include "base/banned.h"

#define AUDIT_MAX (256u << 20)

static void add_str(struct sr_buf *b, const char *key, const char *v)
{
	sr_buf_addf(b, ",\"%s\":", key);
	if (v)
		sr_buf_add_json(b, v);
	else
		sr_buf_adds(b, "null");
}

static void add_ms(struct sr_buf *b, const char *key, long long v)
{
	if (v < 0)
		sr_buf_addf(b, ",\"%s\":null", key);
	else
		sr_buf_addf(b, ",\"%s\":%lld", key, v);
}

void sr_audit_json(struct sr_buf *out, const struct sr_audit_rec *r)
{
	sr_buf_adds(out, "{\"time\":\"");
	sr_cp_time_rfc3339(out, r->time);
	sr_buf_addc(out, '"');
	add_str(out, "user", r->user);
	add_str(out, "command", r->command);
	add_str(out, "service", r->service);
	add_str(out, "target", r->target);
	add_str(out, "mode", r->mode);
	add_ms(out, "old_ms", r->old_ms);
	add_ms(out, "new_ms", r->new_ms);
	add_str(out, "reason", r->reason);
	add_str(out, "ttl", r->ttl);
	if (r->expires) {
		sr_buf_adds(out, ",\"expires_at\":\"");
		sr_cp_time_rfc3339(out, r->expires);
		sr_buf_addc(out, '"');
	} else {
		sr_buf_adds(out, ",\"expires_at\":null");
	}
	add_str(out, "control_plane", r->control_plane);
	add_str(out, "driver", r->driver);
	add_str(out, "change_id", r->change_id);
	add_str(out, "outcome", r->outcome);
	add_str(out, "error", r->error);
	sr_buf_addf(out, ",\"retries\":%d}", r->retries);
}

int sr_audit_append(const char *path, const char *line, struct sr_buf *err)
{
	struct sr_buf b = SR_BUF_INIT;
	ssize_t w;
	int fd;

	sr_fs_make_parents(path);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		sr_buf_addf(err, "cannot open audit log '%s': %s", path,
			    strerror(errno));
		return SR_ERROR;
	}
	sr_buf_adds(&b, line);
	sr_buf_addc(&b, '\n');
	/* one write: O_APPEND makes it atomic against other appenders */
	do
		w = write(fd, b.ptr, b.len);
	while (w < 0 && errno == EINTR);
	if (w != (ssize_t)b.len || fsync(fd) < 0) {
		sr_buf_addf(err, "cannot write audit log '%s': %s", path,
			    w < 0 || w == (ssize_t)b.len ? strerror(errno)
							 : "short write");
		close(fd);
		sr_buf_release(&b);
		return SR_ERROR;
	}
	sr_buf_release(&b);
	if (close(fd) < 0) {
		sr_buf_addf(err, "cannot write audit log '%s': %s", path,
			    strerror(errno));
		return SR_ERROR;
	}
	return 0;
}

int sr_audit_read(const char *path,
		  int (*fn)(unsigned line_no, const char *json, size_t len,
			    void *data),
		  void *data, struct sr_buf *err)
{
	char *text = NULL, *p, *end;
	size_t len = 0;
	unsigned line = 0;
	int rc = 0;

	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	if (sr_fs_read(&text, &len, path, AUDIT_MAX) < 0) {
		sr_buf_addf(err, "%s", sr_error_last());
		return SR_ERROR;
	}
	for (p = text, end = text + len; p < end && !rc;) {
		char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		line++;
		if (eol > p)
			rc = fn(line, p, (size_t)(eol - p), data);
		p = eol + 1;
	}
	free(text);
	return rc;
}

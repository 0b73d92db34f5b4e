#define _POSIX_C_SOURCE 200809L
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "xmalloc.h"
#include "banned.h"

int sr_fs_read(char **out, size_t *len, const char *path, size_t limit)
{
	struct stat st;
	char *data = NULL;
	size_t cap, n = 0;
	int fd;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		sr_error_set("cannot open '%s': %s", path, strerror(errno));
		return SR_ERROR;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		sr_error_set("cannot read '%s': %s", path,
			     errno ? strerror(errno) : "not a regular file");
		close(fd);
		return SR_ERROR;
	}
	if ((unsigned long long)st.st_size > limit) {
		*len = (size_t)st.st_size;
		close(fd);
		return SR_ETOOLARGE;
	}
	/* read one byte past the limit to notice a file that grew meanwhile */
	cap = (size_t)st.st_size + 1;
	data = sr_xmalloc(cap + 1);
	for (;;) {
		ssize_t r = read(fd, data + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			sr_error_set("cannot read '%s': %s", path,
				     strerror(errno));
			free(data);
			close(fd);
			return SR_ERROR;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > limit) {
			*len = n;
			free(data);
			close(fd);
			return SR_ETOOLARGE;
		}
		if (n == cap) {
			cap *= 2;
			data = sr_xrealloc(data, cap + 1);
		}
	}
	close(fd);
	data[n] = '\0';
	*out = data;
	*len = n;
	return 0;
}

int sr_fs_write_atomic(const char *path, const char *data, size_t len)
{
	return sr_fs_replace(path, data, len, true);
}

int sr_fs_replace(const char *path, const char *data, size_t len,
		  bool durable)
{
	size_t plen = strlen(path);
	char *tmp = sr_xmalloc(plen + 32);
	size_t off = 0;
	int fd;

	snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		sr_error_set("cannot create '%s': %s", tmp, strerror(errno));
		free(tmp);
		return SR_ERROR;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	if (durable && fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	sr_error_set("cannot write '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return SR_ERROR;
}

int sr_fs_make_parents(const char *path)
{
	char *dir = sr_xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			if (mkdir(dir, 0755) < 0 && errno != EEXIST)
				rc = -1;
			*p = '/';
		}
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			rc = -1;
		else
			rc = 0;
		if (rc)
			sr_error_set("cannot create '%s': %s", dir,
				     strerror(errno));
	}
	free(dir);
	return rc ? SR_ERROR : 0;
}

void sr_fs_normalise(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		char *seg;
		size_t n;

		while (*in == '/')
			in++;
		seg = in;
		while (*in && *in != '/')
			in++;
		n = (size_t)(in - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, seg, n);
		out += n;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

int sr_fs_temp(void)
{
	static const char name[] = "/srctl-XXXXXX";
	const char *dir = getenv("TMPDIR");
	char *tmpl;
	size_t n;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	n = strlen(dir);
	tmpl = sr_xmalloc(n + sizeof(name));
	memcpy(tmpl, dir, n);
	memcpy(tmpl + n, name, sizeof(name));
	fd = mkstemp(tmpl);
	if (fd < 0)
		sr_error_set("cannot make a temporary file in '%s': %s", dir,
			     strerror(errno));
	else
		unlink(tmpl);
	free(tmpl);
	return fd;
}

#define _GNU_SOURCE	/* pipe2 */
#include "gitx/gitx.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xmalloc.h"
#include "base/banned.h"

/* git config answers in milliseconds; a hung one must not hold srctl */
#define QUERY_TIMEOUT_MS 3000
#define VALUE_MAX 4096

extern char **environ;

struct sr_gitx_config_query {
	char *path;
	char *name;
	pid_t pid;		/* 0: git did not start */
	int fd;			/* its stdout */
};

struct sr_gitx_config_query *sr_gitx_config_start(const char *path,
						  const char *name)
{
	struct sr_gitx_config_query *q = sr_xcalloc(1, sizeof(*q));
	posix_spawn_file_actions_t fa;
	char *argv[] = { "git", "-C", NULL, "config", "--get", NULL, NULL };
	int out[2];

	q->path = sr_xstrdup(path);
	q->name = sr_xstrdup(name);
	q->fd = -1;
	argv[2] = q->path;
	argv[5] = q->name;
	if (pipe2(out, O_CLOEXEC))
		return q;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&q->pid, "git", &fa, NULL, argv, environ))
		q->pid = 0;
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	if (q->pid)
		q->fd = out[0];
	else
		close(out[0]);
	return q;
}

/* Read git's output into 'b'; *ok when it ended in time and fitted. */
static void read_answer(struct sr_gitx_config_query *q, struct sr_buf *b,
			bool *ok)
{
	long long deadline = sr_monotonic_ms() + QUERY_TIMEOUT_MS;

	*ok = false;
	for (;;) {
		struct pollfd p = { q->fd, POLLIN, 0 };
		long long left = deadline - sr_monotonic_ms();
		char tmp[512];
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) == 0)
			return;
		n = read(q->fd, tmp, sizeof(tmp));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*ok = n == 0;
			return;
		}
		if (b->len + (size_t)n > VALUE_MAX)
			return;
		sr_buf_add(b, tmp, (size_t)n);
	}
}

char *sr_gitx_config_finish(struct sr_gitx_config_query *q)
{
	struct sr_buf b = SR_BUF_INIT;
	char *value = NULL;
	bool answered = false;
	int status = 0;

	if (q->pid) {
		read_answer(q, &b, &answered);
		if (!answered)
			kill(q->pid, SIGKILL);
		while (waitpid(q->pid, &status, 0) < 0 && errno == EINTR)
			;
		close(q->fd);
	}
	if (answered && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		while (b.len && (b.ptr[b.len - 1] == '\n' ||
				 b.ptr[b.len - 1] == '\r'))
			b.ptr[--b.len] = '\0';
		if (b.len)
			value = sr_buf_detach(&b);
	} else if (!(answered && WIFEXITED(status) &&
		     WEXITSTATUS(status) == 1)) {
		/* not git's "unset" (exit 1): no git, or it failed */
		value = sr_gitx_config_string(q->path, q->name);
	}
	sr_buf_release(&b);
	free(q->path);
	free(q->name);
	free(q);
	return value;
}

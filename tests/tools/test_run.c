/*
 * srctl-test-run --max-rss-mb N -- COMMAND [ARG...]
 *
 * Run COMMAND, pass its stdout/stderr through, and exit with its exit
 * code; exit 125 (with a message) when its peak resident set exceeded N
 * MiB, and 124 when it was killed by a signal.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long max_mb = 0;
	int i = 1, status;
	struct rusage ru;
	pid_t pid;

	if (argc > 2 && strcmp(argv[1], "--max-rss-mb") == 0) {
		max_mb = strtol(argv[2], NULL, 10);
		i = 3;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: srctl-test-run --max-rss-mb N -- COMMAND...\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "cannot run '%s': %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	if (max_mb && ru.ru_maxrss / 1024 > max_mb) {
		fprintf(stderr, "peak RSS %ld MiB exceeds %ld MiB\n",
			ru.ru_maxrss / 1024, max_mb);
		return 125;
	}
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "killed by signal %d\n", WTERMSIG(status));
		return 124;
	}
	return WEXITSTATUS(status);
}

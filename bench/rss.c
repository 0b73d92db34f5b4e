/*
 * bench-rss: run a command with its standard output and error sent to
 * /dev/null, and print its peak resident set size in KiB (getrusage's
 * ru_maxrss of the child), its exit status and its user + system CPU
 * time in seconds to standard output:
 *
 *   bench-rss CMD [ARG...]   ->   "PEAK_KIB EXIT_STATUS CPU_SECONDS"
 *
 * Used instead of /usr/bin/time so that the benchmark needs no extra
 * package and measures exactly the one process.
 */
#define _DEFAULT_SOURCE

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status, code;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-rss CMD [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("bench-rss: fork");
		return 2;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench-rss: wait4");
		return 2;
	}
	code = WIFEXITED(status) ? WEXITSTATUS(status) :
	       WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
	printf("%ld %d %.3f\n", ru.ru_maxrss, code,
	       (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return 0;
}

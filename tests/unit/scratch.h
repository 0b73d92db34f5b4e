/*
 * Throwaway files for unit tests that need a tree on disk: make
 * directories, write a file (making its directories), remove a tree (also
 * one with unreadable directories). Paths are relative to the current
 * directory, which the test points at its temporary directory. Needs
 * _XOPEN_SOURCE 700 (nftw) before the first system header.
 */
#ifndef SR_TEST_SCRATCH_H
#define SR_TEST_SCRATCH_H

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline void mkdirs(const char *rel)
{
	char path[PATH_MAX];
	char *p;

	snprintf(path, sizeof(path), "%s", rel);
	for (p = path + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	mkdir(path, 0755);
}

static inline void put(const char *rel, const char *text)
{
	char dir[PATH_MAX];
	char *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", rel);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		mkdirs(dir);
	}
	f = fopen(rel, "w");
	if (!f) {
		fprintf(stderr, "cannot create %s: %s\n", rel, strerror(errno));
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

static inline int rm_one(const char *path, const struct stat *st, int flag,
			 struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		chmod(path, 0755);
	return remove(path);
}

static inline void rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif

/*
 * bench-floor: the libyaml parse floor for the srctl benchmark.
 *
 *   bench-floor PATH...
 *
 * Walks the paths the way srctl validate does (recursively, entries sorted
 * by strcmp, .git skipped, only *.yaml / *.yml files but .srctl.yaml /
 * .srctl.yml, symlinks followed), reads every file whole into memory and
 * runs libyaml's event parser over it until STREAM-END (or the first
 * error), deleting each event. No document model, no checks: what is left
 * is the cost any YAML linter built on libyaml has to pay. Single-threaded.
 * Prints "files events bytes errors" to stderr.
 */
#define _DEFAULT_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <yaml.h>

#define MAX_DEPTH 256

struct floor {
	unsigned long long files;
	unsigned long long events;
	unsigned long long bytes;
	unsigned long long errors;	/* files libyaml rejected */
	unsigned char *text;		/* reused for every file */
	size_t cap;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "bench-floor: out of memory\n");
		exit(3);
	}
	return p;
}

static int wanted(const char *name)
{
	size_t n = strlen(name);

	if (!strcmp(name, ".srctl.yaml") || !strcmp(name, ".srctl.yml"))
		return 0;
	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

/* Read the whole file into fl->text; returns its length or -1. */
static long read_all(struct floor *fl, const char *path)
{
	struct stat st;
	size_t len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && (size_t)st.st_size + 1 > fl->cap) {
		fl->cap = (size_t)st.st_size + 1;
		fl->text = xrealloc(fl->text, fl->cap);
	}
	for (;;) {
		ssize_t r;

		if (len + 1 >= fl->cap) {
			fl->cap = fl->cap ? fl->cap * 2 : 65536;
			fl->text = xrealloc(fl->text, fl->cap);
		}
		r = read(fd, fl->text + len, fl->cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	return (long)len;
}

static void parse_file(struct floor *fl, const char *path)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	long len = read_all(fl, path);

	if (len < 0) {
		fprintf(stderr, "bench-floor: %s: %s\n", path, strerror(errno));
		return;
	}
	fl->files++;
	fl->bytes += (unsigned long long)len;
	if (!yaml_parser_initialize(&parser)) {
		fprintf(stderr, "bench-floor: out of memory\n");
		exit(3);
	}
	yaml_parser_set_input_string(&parser, fl->text, (size_t)len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	for (;;) {
		int done;

		if (!yaml_parser_parse(&parser, &ev)) {
			fl->errors++;
			break;
		}
		fl->events++;
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (done)
			break;
	}
	yaml_parser_delete(&parser);
}

struct entry {
	char *name;
	unsigned char type;	/* DT_* from readdir */
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static void walk(struct floor *fl, char *path, size_t len, size_t cap,
		 int depth);

static void visit(struct floor *fl, char *path, size_t len, size_t cap,
		  const struct entry *e, int depth)
{
	unsigned char type = e->type;
	struct stat st;

	if (type == DT_UNKNOWN || type == DT_LNK) {
		if (stat(path, &st) < 0)
			return;
		type = S_ISDIR(st.st_mode) ? DT_DIR :
		       S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
	}
	if (type == DT_REG) {
		if (wanted(e->name))
			parse_file(fl, path);
	} else if (type == DT_DIR && depth < MAX_DEPTH) {
		walk(fl, path, len, cap, depth + 1);
	}
}

/* Walk the directory 'path' (len bytes, in a buffer of cap bytes). */
static void walk(struct floor *fl, char *path, size_t len, size_t cap,
		 int depth)
{
	struct entry *ents = NULL;
	size_t n = 0, ncap = 0, i;
	struct dirent *de;
	DIR *d = opendir(path);

	if (!d) {
		fprintf(stderr, "bench-floor: %s: %s\n", path, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		const char *nm = de->d_name;

		if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
			continue;
		if (!strcmp(nm, ".git"))
			continue;
		if (n == ncap) {
			ncap = ncap ? ncap * 2 : 64;
			ents = xrealloc(ents, ncap * sizeof(*ents));
		}
		ents[n].name = strdup(nm);
		if (!ents[n].name) {
			fprintf(stderr, "bench-floor: out of memory\n");
			exit(3);
		}
		ents[n].type = de->d_type;
		n++;
	}
	closedir(d);
	if (n)
		qsort(ents, n, sizeof(*ents), cmp_entry);
	for (i = 0; i < n; i++) {
		size_t l = strlen(ents[i].name);
		size_t sep = len && path[len - 1] != '/';

		if (len + sep + l + 1 > cap) {
			fprintf(stderr, "bench-floor: path too long: %s/%s\n",
				path, ents[i].name);
			continue;
		}
		if (sep)
			path[len] = '/';
		memcpy(path + len + sep, ents[i].name, l + 1);
		visit(fl, path, len + sep + l, cap, &ents[i], depth);
		path[len] = '\0';
	}
	for (i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
}

int main(int argc, char **argv)
{
	static char path[8192];
	struct floor fl;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-floor PATH...\n");
		return 2;
	}
	memset(&fl, 0, sizeof(fl));
	for (i = 1; i < argc; i++) {
		struct stat st;
		size_t l = strlen(argv[i]);

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "bench-floor: cannot access '%s': %s\n",
				argv[i], strerror(errno));
			return 2;
		}
		if (!S_ISDIR(st.st_mode)) {
			parse_file(&fl, argv[i]);	/* named: always parsed */
			continue;
		}
		if (l + 1 > sizeof(path)) {
			fprintf(stderr, "bench-floor: path too long\n");
			return 2;
		}
		memcpy(path, argv[i], l + 1);
		walk(&fl, path, l, sizeof(path), 0);
	}
	fprintf(stderr, "bench-floor: %llu files, %llu events, %llu bytes, %llu parse errors\n",
		fl.files, fl.events, fl.bytes, fl.errors);
	free(fl.text);
	return 0;
}

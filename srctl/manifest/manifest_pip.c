/*
 * requirements.txt, as pip reads it: lines ending in "\" are joined
 * first (not comment lines), then comments ("#" at the start or after a
 * blank) go, then each line is an option or a requirement.
 *
 * A requirement's version is recorded only for an exact pin, "==X" or
 * "===X" (not "==1.*"); any other requirement is recorded with no version,
 * so that nothing is matched against a version that was never chosen.
 * Markers (after ";"), extras and per-requirement options ("--hash=...")
 * are ignored. URLs, paths and editable installs ("-e") are the project's
 * or someone's checkout, not PyPI releases, and add nothing. "-r FILE"
 * (and "--requirement") includes FILE relative to the including file,
 * once, however often and however cyclically it is named; "-c" constraint
 * files only constrain and are not read. Every file is read from disk
 * only when it lies under the scan root.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "manifest/mparse.h"
#include "base/banned.h"

#define MAX_INCLUDE_DEPTH 32

struct seen {
	char **paths;	/* resolved paths of every file read */
	size_t n;
};

static void parse(struct sr_mp *p, const char *text, size_t len,
		  struct seen *seen);

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

/* Was 'path' read already? If not, remember it. */
static bool visited(struct seen *seen, const char *path)
{
	char *r = realpath(path, NULL);
	size_t i;

	if (!r)
		return false;
	for (i = 0; i < seen->n; i++) {
		if (strcmp(seen->paths[i], r) == 0) {
			free(r);
			return true;
		}
	}
	seen->paths = sr_xrealloc(seen->paths,
				  (seen->n + 1) * sizeof(char *));
	seen->paths[seen->n++] = r;
	return false;
}

static void include(struct sr_mp *p, const char *name, size_t nlen,
		    unsigned line, unsigned col, struct seen *seen)
{
	const char *slash = strrchr(p->fspath, '/');
	struct sr_buf path = SR_BUF_INIT;
	struct sr_mp sub = *p;
	char *text;
	size_t len;

	while (nlen > 2 && name[0] == '.' && name[1] == '/') {
		name += 2;
		nlen -= 2;
	}
	if (nlen == 0) {
		sr_mp_problem(p, line, col, "-r: no file named");
		return;
	}
	if (name[0] != '/' && slash)
		sr_buf_add(&path, p->fspath, (size_t)(slash - p->fspath) + 1);
	sr_buf_add(&path, name, nlen);
	if (p->depth >= MAX_INCLUDE_DEPTH) {
		sr_mp_problem(p, line, col, "-r %s: includes nested too "
			      "deeply", sr_buf_cstr(&path));
	} else if (visited(seen, sr_buf_cstr(&path))) {
		;	/* read already: a cycle or a second include */
	} else if (sr_mp_read(p, sr_buf_cstr(&path), &text, &len)) {
		sr_mp_problem(p, line, col, "-r: %s", sr_error_last());
	} else {
		sub.fspath = sr_buf_cstr(&path);
		sub.path = sr_mp_keep_path(p, sr_buf_cstr(&path));
		sub.depth = p->depth + 1;
		parse(&sub, text, len, seen);
		free(text);
	}
	sr_buf_release(&path);
}

/* An exact pin in the specifier list 's': the version, or NULL. */
static const char *exact_pin(const char *s, size_t len, size_t *vlen)
{
	size_t i = 0;

	while (i < len) {
		size_t start, end;

		while (i < len && (blank(s[i]) || s[i] == ','))
			i++;
		start = i;
		while (i < len && s[i] != ',')
			i++;
		end = i;
		while (end > start && blank(s[end - 1]))
			end--;
		if (end - start > 2 && s[start] == '=' && s[start + 1] == '=') {
			size_t v = start + 2;
			if (s[v] == '=')
				v++;
			while (v < end && blank(s[v]))
				v++;
			if (v < end && !memchr(s + v, '*', end - v)) {
				*vlen = end - v;
				return s + v;
			}
		}
	}
	return NULL;
}

/* 's' is a NUL-terminated copy of the requirement, which starts at
 * column 'col0' of line 'line'. */
static void requirement(struct sr_mp *p, const char *s, size_t len,
			unsigned line, unsigned col0)
{
	const char *name = s, *spec, *ver, *end = s + len;
	size_t nlen = 0, vlen = 0, i;
	char *norm;

	while (nlen < len && name_char(name[nlen]))
		nlen++;
	if (nlen == 0 || strstr(s, "://") || name[0] == '.' ||
	    name[0] == '/') {
		if (nlen == 0 && !(len && (s[0] == '.' || s[0] == '/')))
			sr_mp_problem(p, line, col0, "not a requirement");
		return;	/* a URL or a path */
	}
	spec = name + nlen;
	while (spec < end && blank(*spec))
		spec++;
	if (spec < end && *spec == '[') {
		const char *close = memchr(spec, ']', (size_t)(end - spec));
		spec = close ? close + 1 : end;
	}
	while (spec < end && blank(*spec))
		spec++;
	if (spec < end && *spec == '@')
		return;	/* name @ URL: a direct reference */
	/* the specifiers end at a marker or a per-requirement option */
	for (i = 0; spec + i < end; i++) {
		if (spec[i] == ';' ||
		    (spec[i] == '-' && i + 1 < (size_t)(end - spec) &&
		     spec[i + 1] == '-' && (i == 0 || blank(spec[i - 1]))))
			break;
	}
	ver = exact_pin(spec, i, &vlen);
	norm = sr_mp_pypi_name(name, nlen);
	sr_mp_dep(p, SR_ECO_PYPI, norm, strlen(norm), ver, vlen, line,
		  col0 - 1 + sr_mp_col(s, ver ? ver : name), 1);
	free(norm);
}

/* Is this the option 'opt' (e.g. "-r" or "--requirement")? Its value. */
static const char *option(const char *s, size_t len, const char *opt,
			  size_t *vlen)
{
	size_t k = strlen(opt), i;

	if (len < k || memcmp(s, opt, k) != 0)
		return NULL;
	i = k;
	if (i < len && s[i] == '=')
		i++;
	else if (i < len && !blank(s[i]) && opt[1] == '-')
		return NULL;	/* --requirementsX */
	while (i < len && blank(s[i]))
		i++;
	*vlen = len - i;
	while (*vlen && blank(s[i + *vlen - 1]))
		(*vlen)--;
	return s + i;
}

/* 'bol' is where the line starts: the file's line, or the joined text
 * (whose columns are those of its first line until that line ends). */
static void logical_line(struct sr_mp *p, const char *s, size_t len,
			 unsigned line, const char *bol, struct seen *seen)
{
	const char *v;
	size_t i, vlen;

	/* comments: '#' at the start or after a blank */
	for (i = 0; i < len; i++) {
		if (s[i] == '#' && (i == 0 || blank(s[i - 1]))) {
			len = i;
			break;
		}
	}
	while (len && blank(*s)) {
		s++;
		len--;
	}
	while (len && blank(s[len - 1]))
		len--;
	if (len == 0)
		return;
	if ((v = option(s, len, "-r", &vlen)) ||
	    (v = option(s, len, "--requirement", &vlen))) {
		include(p, v, vlen, line, sr_mp_col(bol, v), seen);
		return;
	}
	if (s[0] == '-')
		return;	/* -e, -c, -i, --hash, ... */
	{
		char *copy = sr_xstrndup(s, len);
		requirement(p, copy, len, line, sr_mp_col(bol, s));
		free(copy);
	}
}

static bool comment_line(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && blank(s[i]))
		i++;
	return i < len && s[i] == '#';
}

static void parse(struct sr_mp *p, const char *text, size_t len,
		  struct seen *seen)
{
	struct sr_mp_lines l;
	struct sr_buf joined = SR_BUF_INIT;
	unsigned first = 0;
	bool cont = false;

	sr_mp_lines_init(&l, text, len);
	while (sr_mp_line_next(&l)) {
		bool more = l.len && l.s[l.len - 1] == '\\' &&
			    !comment_line(l.s, l.len);

		if (!more && !cont) {
			logical_line(p, l.s, l.len, l.no, l.s, seen);
			continue;
		}
		if (!cont) {
			first = l.no;
			sr_buf_reset(&joined);
			cont = true;
		}
		if (more) {
			/* pip strips every backslash at either end */
			size_t a = 0, b = l.len;
			while (a < b && l.s[a] == '\\')
				a++;
			while (b > a && l.s[b - 1] == '\\')
				b--;
			sr_buf_add(&joined, l.s + a, b - a);
			continue;
		}
		if (comment_line(l.s, l.len))
			sr_buf_addc(&joined, ' ');
		sr_buf_add(&joined, l.s, l.len);
		logical_line(p, sr_buf_cstr(&joined), joined.len, first,
			     sr_buf_cstr(&joined), seen);
		cont = false;
	}
	if (cont)
		logical_line(p, sr_buf_cstr(&joined), joined.len, first,
			     sr_buf_cstr(&joined), seen);
	sr_buf_release(&joined);
}

void sr_mp_pip(struct sr_mp *p, const char *text, size_t len)
{
	struct seen seen = { NULL, 0 };
	size_t i;

	visited(&seen, p->fspath);
	parse(p, text, len, &seen);
	for (i = 0; i < seen.n; i++)
		free(seen.paths[i]);
	free(seen.paths);
}

/*
 * Gemfile.lock (and gems.locked): the "specs:" of the GEM and GIT
 * sections, one gem per line indented four spaces, "name (version)" with
 * an optional platform after the version ("1.13.1-x86_64-linux", dropped:
 * the gem's version is the part before it). PATH sections are the
 * project's own gems and add nothing. The DEPENDENCIES section names what
 * the Gemfile asked for: those gems are direct, the others transitive.
 */
#include <stdlib.h>
#include <string.h>

#include "manifest/mparse.h"
#include "base/banned.h"

enum section { OTHER, GEM, PATH, DEPS };

void sr_mp_bundler(struct sr_mp *p, const char *text, size_t len)
{
	struct sr_mp_lines l;
	struct sr_mp_set direct = { NULL, 0, 0 };
	enum section sec = OTHER;
	size_t first = p->m->n, i;
	bool seen_deps = false, specs = false;

	sr_mp_lines_init(&l, text, len);
	while (sr_mp_line_next(&l)) {
		const char *s = l.s, *end = l.s + l.len, *name, *ne;
		size_t indent = 0;

		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (s == end)
			continue;
		while (s < end && *s == ' ') {
			s++;
			indent++;
		}
		if (indent == 0) {
			specs = false;
			if ((size_t)(end - s) == 3 && memcmp(s, "GEM", 3) == 0)
				sec = GEM;
			else if ((size_t)(end - s) == 3 &&
				 memcmp(s, "GIT", 3) == 0)
				sec = GEM;
			else if ((size_t)(end - s) == 4 &&
				 memcmp(s, "PATH", 4) == 0)
				sec = PATH;
			else if ((size_t)(end - s) == 12 &&
				 memcmp(s, "DEPENDENCIES", 12) == 0) {
				sec = DEPS;
				seen_deps = true;
			} else
				sec = OTHER;
			continue;
		}
		if (sec == DEPS && indent == 2) {
			name = s;
			while (s < end && *s != ' ' && *s != '!')
				s++;
			sr_mp_set_add(&direct, sr_xstrndup(name,
						(size_t)(s - name)));
			continue;
		}
		if (sec != GEM && sec != PATH)
			continue;
		if (indent == 2) {
			specs = (size_t)(end - s) == 6 &&
				memcmp(s, "specs:", 6) == 0;
			continue;
		}
		if (!specs || indent != 4 || sec == PATH)
			continue;
		name = s;
		while (s < end && *s != ' ')
			s++;
		ne = s;
		while (s < end && *s == ' ')
			s++;
		if (ne == name || s >= end || *s != '(' || end[-1] != ')') {
			sr_mp_problem(p, l.no, sr_mp_col(l.s, name), "expected "
				      "'name (version)'");
			continue;
		}
		{
			const char *v = s + 1, *ve = end - 1;
			const char *dash = memchr(v, '-', (size_t)(ve - v));
			if (dash)
				ve = dash;
			sr_mp_dep(p, SR_ECO_RUBYGEMS, name,
				  (size_t)(ne - name), v, (size_t)(ve - v),
				  l.no, sr_mp_col(l.s, v), -1);
		}
	}
	sr_mp_set_sort(&direct);
	for (i = first; i < p->m->n; i++)
		p->m->deps[i].direct = seen_deps ?
			sr_mp_set_has(&direct, p->m->deps[i].name) : -1;
	for (i = 0; i < direct.n; i++)
		free((char *)direct.v[i]);
	sr_mp_set_free(&direct);
}

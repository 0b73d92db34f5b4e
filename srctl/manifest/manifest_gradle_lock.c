/*
 * gradle.lockfile and buildscript-gradle.lockfile: one line per resolved
 * module, "group:artifact:version=configuration,...". Comments ("#") and
 * the "empty=..." line name no module. Gradle writes these files; a line
 * of any other shape was edited by hand and is reported.
 */
#include <string.h>

#include "manifest/mparse.h"
#include "base/banned.h"

void sr_mp_gradle_lock(struct sr_mp *p, const char *text, size_t len)
{
	struct sr_mp_lines l;

	sr_mp_lines_init(&l, text, len);
	while (sr_mp_line_next(&l)) {
		const char *s = l.s, *end = l.s + l.len, *eq, *c1, *c2;

		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (s == end || *s == '#')
			continue;
		if ((size_t)(end - s) >= 6 && memcmp(s, "empty=", 6) == 0)
			continue;
		eq = memchr(s, '=', (size_t)(end - s));
		if (!eq)
			eq = end;
		c1 = memchr(s, ':', (size_t)(eq - s));
		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eq - c1 - 1)) : NULL;
		if (!c1 || !c2 || c1 == s || c2 == c1 + 1 || c2 + 1 == eq ||
		    memchr(c2 + 1, ':', (size_t)(eq - c2 - 1))) {
			sr_mp_problem(p, l.no, sr_mp_col(l.s, s),
				      "expected 'group:artifact:version="
				      "configurations'");
			continue;
		}
		sr_mp_dep(p, SR_ECO_MAVEN, s, (size_t)(c2 - s), c2 + 1,
			  (size_t)(eq - c2 - 1), l.no, sr_mp_col(l.s, c2 + 1),
			  -1);
	}
}

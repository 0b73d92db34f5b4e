/*
 * build.gradle and build.gradle.kts, the simple cases only: a dependency
 * declared with a string literal of Maven coordinates,
 *
 *     implementation 'group:artifact:version'
 *     implementation("group:artifact:version")
 *     api platform('group:bom:version')
 *
 * for any configuration name (implementation, api, compileOnly,
 * runtimeOnly, testImplementation, classpath, kapt, ...). A "$name" or
 * "${name}" version is looked up among the file's own simple assignments
 * ("def name = '1.0'", "val name = \"1.0\"", "name = '1.0'" in an ext
 * block); anything else Gradle would compute (a BOM-managed dependency
 * without a version, dynamic versions like "1.+", properties from
 * gradle.properties) is left out: only gradle.lockfile knows those.
 * Comments ("//" and block comments) are skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "manifest/mparse.h"
#include "base/banned.h"

struct var {
	char *name, *value;
};

struct vars {
	struct var *v;
	size_t n, cap;
};

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static const char *skip_blank(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static const char *lookup(const struct vars *vs, const char *name, size_t n)
{
	size_t i;

	for (i = vs->n; i-- > 0;)
		if (strlen(vs->v[i].name) == n &&
		    memcmp(vs->v[i].name, name, n) == 0)
			return vs->v[i].value;
	return NULL;
}

static bool configuration(const char *s, size_t n)
{
	static const char *const names[] = { "implementation", "api",
		"compile", "runtime", "compileOnly", "runtimeOnly",
		"classpath", "kapt", "ksp", "annotationProcessor",
		"developmentOnly", "compileOnlyApi", "testCompile",
		"testRuntime" };
	static const char *const suffixes[] = { "Implementation", "Api",
		"CompileOnly", "RuntimeOnly", "AnnotationProcessor" };
	size_t i;

	for (i = 0; i < SR_ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return true;
	for (i = 0; i < SR_ARRAY_SIZE(suffixes); i++) {
		size_t k = strlen(suffixes[i]);
		if (n > k && memcmp(s + n - k, suffixes[i], k) == 0)
			return true;
	}
	return false;
}

/* A string literal at s ('\'' or '"'): its contents' bounds. */
static bool literal(const char *s, const char *end, const char **b,
		    const char **e)
{
	const char *q;

	if (s >= end || (*s != '\'' && *s != '"'))
		return false;
	q = memchr(s + 1, *s, (size_t)(end - s - 1));
	if (!q)
		return false;
	*b = s + 1;
	*e = q;
	return true;
}

static void assignment(struct vars *vs, const char *s, const char *end)
{
	const char *n, *ne, *b, *e;

	s = skip_blank(s, end);
	if ((size_t)(end - s) > 4 && (memcmp(s, "def ", 4) == 0 ||
				      memcmp(s, "val ", 4) == 0 ||
				      memcmp(s, "var ", 4) == 0))
		s = skip_blank(s + 4, end);
	if ((size_t)(end - s) > 4 && memcmp(s, "ext.", 4) == 0)
		s += 4;
	n = s;
	while (s < end && ident_char(*s))
		s++;
	ne = s;
	s = skip_blank(s, end);
	if (ne == n || s >= end || *s != '=' || (s + 1 < end && s[1] == '='))
		return;
	s = skip_blank(s + 1, end);
	if (!literal(s, end, &b, &e) || memchr(b, '$', (size_t)(e - b)))
		return;
	vs->v = sr_xgrow(vs->v, &vs->cap, vs->n + 1, sizeof(*vs->v));
	vs->v[vs->n].name = sr_xstrndup(n, (size_t)(ne - n));
	vs->v[vs->n].value = sr_xstrndup(b, (size_t)(e - b));
	vs->n++;
}

static bool dynamic(const char *v)
{
	return !*v || strchr(v, '+') || strchr(v, '[') || strchr(v, '(') ||
	       strchr(v, ',') || strncmp(v, "latest.", 7) == 0;
}

static void declaration(struct sr_mp *p, const struct vars *vs,
			const char *bol, const char *s, const char *end,
			unsigned line)
{
	const char *c0 = s, *b, *e, *c1, *c2, *vend, *ver;
	struct sr_buf v = SR_BUF_INIT;
	unsigned col;

	while (s < end && ident_char(*s))
		s++;
	if (!configuration(c0, (size_t)(s - c0)))
		return;
	s = skip_blank(s, end);
	if (s < end && *s == '(')
		s = skip_blank(s + 1, end);
	if ((size_t)(end - s) > 8 && memcmp(s, "platform", 8) == 0)
		s += 8;
	else if ((size_t)(end - s) > 16 &&
		 memcmp(s, "enforcedPlatform", 16) == 0)
		s += 16;
	s = skip_blank(s, end);
	if (s < end && *s == '(')
		s = skip_blank(s + 1, end);
	if (!literal(s, end, &b, &e))
		return;
	c1 = memchr(b, ':', (size_t)(e - b));
	c2 = c1 ? memchr(c1 + 1, ':', (size_t)(e - c1 - 1)) : NULL;
	if (!c1 || !c2 || c1 == b || c2 == c1 + 1)
		return;
	/* a classifier (":jdk8") or an extension ("@jar") follows */
	vend = memchr(c2 + 1, ':', (size_t)(e - c2 - 1));
	if (!vend)
		vend = memchr(c2 + 1, '@', (size_t)(e - c2 - 1));
	if (!vend)
		vend = e;
	col = sr_mp_col(bol, c2 + 1);
	if (c2[1] == '$') {
		const char *n = c2 + 2, *ne;
		if (n < vend && *n == '{')
			n++;
		ne = n;
		while (ne < vend && ident_char(*ne))
			ne++;
		ver = lookup(vs, n, (size_t)(ne - n));
		if (!ver)
			return;
		sr_buf_adds(&v, ver);
	} else {
		sr_buf_add(&v, c2 + 1, (size_t)(vend - c2 - 1));
	}
	if (!dynamic(sr_buf_cstr(&v)))
		sr_mp_dep(p, SR_ECO_MAVEN, b, (size_t)(c2 - b),
			  sr_buf_cstr(&v), v.len, line, col, 1);
	sr_buf_release(&v);
}

void sr_mp_gradle_build(struct sr_mp *p, const char *text, size_t len)
{
	struct sr_mp_lines l;
	struct vars vs = { NULL, 0, 0 };
	bool in_comment = false;
	size_t i;

	sr_mp_lines_init(&l, text, len);
	while (sr_mp_line_next(&l)) {
		const char *s = l.s, *end = l.s + l.len, *c;

		if (in_comment) {
			c = NULL;
			for (c = s; c + 1 < end; c++)
				if (c[0] == '*' && c[1] == '/')
					break;
			if (c + 1 >= end)
				continue;
			in_comment = false;
			s = c + 2;
		}
		/* cut comments; no attempt at comment markers in strings
		 * beyond URLs ("//" right after ':') */
		for (c = s; c + 1 < end; c++) {
			if (c[0] == '/' && c[1] == '/' &&
			    (c == l.s || c[-1] != ':')) {
				end = c;
				break;
			}
			if (c[0] == '/' && c[1] == '*') {
				const char *close;
				for (close = c + 2; close + 1 < end; close++)
					if (close[0] == '*' && close[1] == '/')
						break;
				if (close + 1 >= end) {
					in_comment = true;
					end = c;
					break;
				}
			}
		}
		s = skip_blank(s, end);
		if (s >= end)
			continue;
		assignment(&vs, s, end);
		declaration(p, &vs, l.s, s, end, l.no);
	}
	for (i = 0; i < vs.n; i++) {
		free(vs.v[i].name);
		free(vs.v[i].value);
	}
	free(vs.v);
}

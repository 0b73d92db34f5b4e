/*
 * yarn.lock, both the v1 format ('version "1.2.3"') and Berry's (v2+,
 * YAML: 'version: 1.2.3', 'resolution: "name@npm:1.2.3"'), read line by
 * line the same way: an entry starts at column 1 with the specifiers it
 * satisfies and ends with ':'; its fields are indented.
 *
 * The name comes from Berry's resolution when there is one, else from the
 * first specifier, so an alias ("alias@npm:real@^1.0") is recorded under
 * the real name. The project's own packages (workspace:, link:, portal:,
 * file: protocols) and Berry's patched copies (patch:, which repeat an
 * npm entry) add nothing. The lock does not say what was asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "manifest/mparse.h"
#include "base/banned.h"

struct entry {
	const char *spec;	/* the first specifier, unquoted */
	size_t speclen;
	unsigned hline, hcol;
	const char *ver, *res;	/* values (unquoted) or NULL */
	size_t verlen, reslen;
	unsigned vline, vcol;
	bool open;
};

/* The '@' that ends the name in "name@range" ("@scope/name@range"). */
static const char *name_end(const char *s, size_t len)
{
	const char *at = len > 1 ? memchr(s + 1, '@', len - 1) : NULL;

	return at;
}

static bool starts(const char *s, size_t len, const char *prefix)
{
	size_t k = strlen(prefix);

	return len >= k && memcmp(s, prefix, k) == 0;
}

static bool local_protocol(const char *s, size_t len)
{
	return starts(s, len, "workspace:") || starts(s, len, "link:") ||
	       starts(s, len, "portal:") || starts(s, len, "file:") ||
	       starts(s, len, "patch:");
}

static void flush(struct sr_mp *p, struct entry *e)
{
	const char *name, *at, *rest, *ver = e->ver;
	size_t nlen, rlen, verlen = e->verlen;

	if (!e->open)
		return;
	e->open = false;
	if (e->res) {
		/* Berry: "name@protocol:reference" */
		at = name_end(e->res, e->reslen);
		if (!at) {
			sr_mp_problem(p, e->vline ? e->vline : e->hline, 1,
				      "resolution without a name");
			return;
		}
		name = e->res;
		nlen = (size_t)(at - e->res);
		rest = at + 1;
		rlen = e->reslen - nlen - 1;
		if (local_protocol(rest, rlen))
			return;
		if (starts(rest, rlen, "npm:") && !ver) {
			ver = rest + 4;
			verlen = rlen - 4;
		}
	} else {
		at = name_end(e->spec, e->speclen);
		if (!at) {
			sr_mp_problem(p, e->hline, e->hcol, "expected "
				      "'name@range'");
			return;
		}
		name = e->spec;
		nlen = (size_t)(at - e->spec);
		rest = at + 1;
		rlen = e->speclen - nlen - 1;
		if (local_protocol(rest, rlen))
			return;
		if (starts(rest, rlen, "npm:")) {
			/* an alias: "alias@npm:real@range" */
			const char *r = rest + 4;
			const char *rat = name_end(r, rlen - 4);
			if (rat) {
				name = r;
				nlen = (size_t)(rat - r);
			}
		}
	}
	if (!ver) {
		sr_mp_problem(p, e->hline, e->hcol, "entry without a version");
		return;
	}
	sr_mp_dep(p, SR_ECO_NPM, name, nlen, ver, verlen, e->vline, e->vcol,
		  -1);
}

/* Unquote s[0..*len) in place (pointer and length only). */
static const char *unquote(const char *s, size_t *len)
{
	if (*len >= 2 && (s[0] == '"' || s[0] == '\'') &&
	    s[*len - 1] == s[0]) {
		*len -= 2;
		return s + 1;
	}
	return s;
}

/* "key value" (v1) or "key: value" (Berry) at s: the value, or NULL. */
static const char *field(const char *s, const char *end, const char *key,
			 size_t *vlen)
{
	size_t k = strlen(key);
	bool quoted = s < end && *s == '"';

	/* v1 files written by some tools quote the keys too */
	s += quoted;
	if ((size_t)(end - s) <= k || memcmp(s, key, k) != 0)
		return NULL;
	s += k;
	if (quoted) {
		if (*s != '"')
			return NULL;
		s++;
	}
	if (*s == ':')
		s++;
	else if (*s != ' ')
		return NULL;
	while (s < end && *s == ' ')
		s++;
	*vlen = (size_t)(end - s);
	return unquote(s, vlen);
}

void sr_mp_yarn(struct sr_mp *p, const char *text, size_t len)
{
	struct sr_mp_lines l;
	struct entry e;

	memset(&e, 0, sizeof(e));
	sr_mp_lines_init(&l, text, len);
	while (sr_mp_line_next(&l)) {
		const char *s = l.s, *end = l.s + l.len, *v;
		size_t indent = 0, vlen;

		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (s == end || *s == '#')
			continue;
		while (s < end && *s == ' ') {
			s++;
			indent++;
		}
		if (indent == 0) {
			const char *comma;
			flush(p, &e);
			if (end[-1] != ':') {
				sr_mp_problem(p, l.no, 1, "expected an entry "
					      "ending with ':'");
				continue;
			}
			end--;
			if ((size_t)(end - s) == 10 &&
			    memcmp(s, "__metadata", 10) == 0)
				continue;
			memset(&e, 0, sizeof(e));
			e.open = true;
			e.hline = l.no;
			e.hcol = 1;
			comma = memchr(s, ',', (size_t)(end - s));
			e.speclen = (size_t)((comma ? comma : end) - s);
			while (e.speclen && s[e.speclen - 1] == ' ')
				e.speclen--;
			e.spec = unquote(s, &e.speclen);
			e.vline = l.no;
			e.vcol = 1;
			continue;
		}
		if (!e.open || indent != 2)
			continue;
		if ((v = field(s, end, "version", &vlen))) {
			e.ver = v;
			e.verlen = vlen;
			e.vline = l.no;
			e.vcol = sr_mp_col(l.s, v);
		} else if ((v = field(s, end, "resolution", &vlen))) {
			e.res = v;
			e.reslen = vlen;
		}
	}
	flush(p, &e);
}

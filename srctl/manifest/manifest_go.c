/*
 * go.mod and go.sum.
 *
 * go.mod: the "require" directives (single or in a block); "// indirect"
 * marks a transitive requirement. "replace" directives are applied as
 * the go command does: a replaced module is recorded under its
 * replacement's path and version (a versioned replace applies only to
 * that version), and a replacement by a local directory drops the module
 * (it is the project's own code). Replacements of modules not required
 * add nothing. Versions lose their leading "v", as OSV stores them.
 *
 * go.sum: one entry per module version with a hash of its contents
 * ("mod v1.2.3 h1:..."); the "/go.mod" lines only mean that a module's
 * go.mod was read during resolution, not that its code is built, so they
 * add nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "manifest/mparse.h"
#include "base/banned.h"

struct tok {
	const char *s;
	size_t len;
};

/* Split 'line' into at most 'max' blank-separated tokens, stopping at a
 * "//" comment; quoted tokens keep their quotes stripped. */
static size_t split(const char *s, size_t len, struct tok *t, size_t max,
		    const char **comment)
{
	size_t i = 0, n = 0;

	*comment = NULL;
	while (i < len) {
		size_t start;

		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len)
			break;
		if (s[i] == '/' && i + 1 < len && s[i + 1] == '/') {
			*comment = s + i + 2;
			break;
		}
		if (s[i] == '"' || s[i] == '`') {
			char q = s[i++];
			start = i;
			while (i < len && s[i] != q)
				i++;
			if (n < max) {
				t[n].s = s + start;
				t[n].len = i - start;
			}
			n++;
			i++;
			continue;
		}
		start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t' &&
		       !(s[i] == '/' && i + 1 < len && s[i + 1] == '/'))
			i++;
		if (n < max) {
			t[n].s = s + start;
			t[n].len = i - start;
		}
		n++;
	}
	return n;
}

static bool tok_eq(const struct tok *t, const char *s)
{
	return t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

static bool is_local(const struct tok *t)
{
	return (t->len >= 1 && t->s[0] == '/') ||
	       (t->len >= 2 && memcmp(t->s, "./", 2) == 0) ||
	       (t->len >= 3 && memcmp(t->s, "../", 3) == 0) ||
	       tok_eq(t, ".") || tok_eq(t, "..");
}

static struct tok strip_v(struct tok t)
{
	if (t.len > 1 && t.s[0] == 'v') {
		t.s++;
		t.len--;
	}
	return t;
}

/* Does the comment (up to 'end') start with the word "indirect"? */
static bool indirect(const char *c, const char *end)
{
	if (!c)
		return false;
	while (c < end && (*c == ' ' || *c == '\t'))
		c++;
	if (end - c < 8 || memcmp(c, "indirect", 8) != 0)
		return false;
	c += 8;
	return c == end || *c == ';' || *c == ' ' || *c == '\t';
}

struct req {
	struct tok name, ver;
	unsigned line, col;
	int direct;
	bool dropped;
};

struct repl {
	/* oldver and newver may be empty */
	struct tok old, oldver, new, newver;
	unsigned line, col;
	bool local;
};

static void directive(struct sr_mp *p, const char *verb, struct sr_mp_lines *l,
		      const struct tok *t, size_t n, const char *comment,
		      struct req **reqs, size_t *nreq, size_t *capreq,
		      struct repl **repls, size_t *nrepl, size_t *caprepl)
{
	if (strcmp(verb, "require") == 0) {
		struct req *r;

		if (n != 2) {
			sr_mp_problem(p, l->no, t[0].s ? sr_mp_col(l->s, t[0].s)
							: 1,
				      "require: expected a module path and a "
				      "version");
			return;
		}
		*reqs = sr_xgrow(*reqs, capreq, *nreq + 1, sizeof(**reqs));
		r = &(*reqs)[(*nreq)++];
		r->name = t[0];
		r->ver = t[1];
		r->line = l->no;
		r->col = sr_mp_col(l->s, t[1].s);
		r->direct = !indirect(comment, l->s + l->len);
		r->dropped = false;
	} else if (strcmp(verb, "replace") == 0) {
		struct repl *r;
		size_t arrow;

		for (arrow = 0; arrow < n && arrow < 4; arrow++)
			if (tok_eq(&t[arrow], "=>"))
				break;
		if (arrow < 1 || arrow > 2 || n - arrow - 1 < 1 ||
		    n - arrow - 1 > 2 || n > 5) {
			sr_mp_problem(p, l->no, sr_mp_col(l->s, t[0].s),
				      "replace: expected 'module [version] "
				      "=> replacement [version]'");
			return;
		}
		*repls = sr_xgrow(*repls, caprepl, *nrepl + 1,
				  sizeof(**repls));
		r = &(*repls)[(*nrepl)++];
		memset(r, 0, sizeof(*r));
		r->old = t[0];
		if (arrow == 2)
			r->oldver = t[1];
		r->new = t[arrow + 1];
		if (n - arrow - 1 == 2)
			r->newver = t[arrow + 2];
		r->line = l->no;
		r->col = sr_mp_col(l->s, r->newver.s ? r->newver.s : r->new.s);
		r->local = is_local(&r->new);
	}
}

void sr_mp_gomod(struct sr_mp *p, const char *text, size_t len)
{
	struct sr_mp_lines l;
	struct req *reqs = NULL;
	struct repl *repls = NULL;
	size_t nreq = 0, capreq = 0, nrepl = 0, caprepl = 0, i, j;
	char block[16] = "";

	sr_mp_lines_init(&l, text, len);
	while (sr_mp_line_next(&l)) {
		struct tok t[6];
		const char *comment;
		size_t n = split(l.s, l.len, t, 6, &comment);
		char verb[16];

		if (n == 0)
			continue;
		if (*block) {
			if (tok_eq(&t[0], ")")) {
				block[0] = '\0';
				continue;
			}
			if (n > 6) {
				sr_mp_problem(p, l.no, 1, "%s: too many "
					      "fields", block);
				continue;
			}
			directive(p, block, &l, t, n, comment, &reqs, &nreq,
				  &capreq, &repls, &nrepl, &caprepl);
			continue;
		}
		if (t[0].len >= sizeof(verb))
			continue;
		memcpy(verb, t[0].s, t[0].len);
		verb[t[0].len] = '\0';
		if (n == 2 && tok_eq(&t[1], "(")) {
			memcpy(block, verb, sizeof(verb));
			continue;
		}
		if (n > 6 || n < 2)
			continue;
		directive(p, verb, &l, t + 1, n - 1, comment, &reqs, &nreq,
			  &capreq, &repls, &nrepl, &caprepl);
	}
	if (*block)
		sr_mp_problem(p, l.no, 1, "%s block not closed with ')'",
			      block);
	for (i = 0; i < nreq; i++) {
		struct req *r = &reqs[i];

		/* the last matching replace wins, a versioned one first */
		for (j = nrepl; j-- > 0;) {
			struct repl *x = &repls[j];
			if (x->old.len != r->name.len ||
			    memcmp(x->old.s, r->name.s, r->name.len) != 0)
				continue;
			if (x->oldver.s && (x->oldver.len != r->ver.len ||
			    memcmp(x->oldver.s, r->ver.s, r->ver.len) != 0))
				continue;
			if (x->local) {
				r->dropped = true;
			} else {
				r->name = x->new;
				if (x->newver.s)
					r->ver = x->newver;
				r->line = x->line;
				r->col = x->col;
			}
			break;
		}
		if (!r->dropped) {
			struct tok v = strip_v(r->ver);
			sr_mp_dep(p, SR_ECO_GO, r->name.s, r->name.len, v.s,
				  v.len, r->line, r->col, r->direct);
		}
	}
	free(reqs);
	free(repls);
}

void sr_mp_gosum(struct sr_mp *p, const char *text, size_t len)
{
	struct sr_mp_lines l;

	sr_mp_lines_init(&l, text, len);
	while (sr_mp_line_next(&l)) {
		struct tok t[4], v;
		const char *comment;
		size_t n = split(l.s, l.len, t, 4, &comment);

		if (n == 0)
			continue;
		if (n != 3 || t[2].len < 3 || memcmp(t[2].s, "h", 1) != 0) {
			sr_mp_problem(p, l.no, 1, "expected 'module version "
				      "hash'");
			continue;
		}
		if (t[1].len >= 7 &&
		    memcmp(t[1].s + t[1].len - 7, "/go.mod", 7) == 0)
			continue;
		v = strip_v(t[1]);
		sr_mp_dep(p, SR_ECO_GO, t[0].s, t[0].len, v.s, v.len, l.no,
			  sr_mp_col(l.s, t[1].s), -1);
	}
}

/*
 * pom.xml, read with expat. Recorded: the <dependencies> of the project
 * (direct) and its <dependencyManagement> entries (which pin what any
 * dependency, direct or not, resolves to; direct unknown). Dependencies
 * of <profiles> and <build> plugins are not read.
 *
 * Versions are resolved as Maven does within the scanned tree: "${...}"
 * from the pom's <properties>, then its parents' ("project.version",
 * "project.groupId", "project.parent.version" and their "pom." forms
 * included, a project without a version inheriting its parent's); a
 * dependency without a version takes it from dependencyManagement, the
 * pom's own first, then its parents'. A parent is read from
 * <relativePath> (default "../pom.xml") when it lies under the scan root
 * and is the pom <parent> names; parents elsewhere (a repository) are not
 * fetched. A version range ("[1.0,2.0)") pins nothing and is recorded
 * without a version; so is a property nothing defines, which is also a
 * problem, since that dependency could not be checked.
 */
#include <expat.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "manifest/mparse.h"
#include "base/banned.h"

#define MAX_PARENTS 16
#define MAX_EXPANSION 16
#define MAX_PATH_DEPTH 8

struct mdep {
	char *g, *a, *v;
	/* of the version text, else of <dependency> */
	unsigned line, col;
};

struct prop {
	char *name, *value;
};

struct pom {
	char *g, *a, *v;
	char *pg, *pa, *pv, *rel;
	bool has_parent, has_rel;
	struct prop *props;
	size_t np, capp;
	struct mdep *deps, *mgmt;
	size_t nd, nm, capd, capm;
	const char *path;	/* sr_dep.path for entries from this pom */
	char *fspath;
	struct pom *parent;
};

struct xp {
	struct sr_mp *mp;
	XML_Parser x;
	const char *text;
	struct pom *pom;
	struct sr_buf path;
	size_t lens[MAX_PATH_DEPTH + 1];
	unsigned depth;
	struct sr_buf chars;
	bool collect;
	struct mdep *cur;	/* the <dependency> being read */
	unsigned vline, vcol;
};

static void free_pom(struct pom *pom)
{
	size_t i;

	while (pom) {
		struct pom *up = pom->parent;
		free(pom->g);
		free(pom->a);
		free(pom->v);
		free(pom->pg);
		free(pom->pa);
		free(pom->pv);
		free(pom->rel);
		for (i = 0; i < pom->np; i++) {
			free(pom->props[i].name);
			free(pom->props[i].value);
		}
		for (i = 0; i < pom->nd; i++) {
			free(pom->deps[i].g);
			free(pom->deps[i].a);
			free(pom->deps[i].v);
		}
		for (i = 0; i < pom->nm; i++) {
			free(pom->mgmt[i].g);
			free(pom->mgmt[i].a);
			free(pom->mgmt[i].v);
		}
		free(pom->props);
		free(pom->deps);
		free(pom->mgmt);
		free(pom->fspath);
		free(pom);
		pom = up;
	}
}

/* Line and code-point column of byte offset 'off' in the text. */
static void where(struct xp *s, size_t off, unsigned *line, unsigned *col)
{
	const char *at = s->text + off, *bol = at;

	while (bol > s->text && bol[-1] != '\n')
		bol--;
	*line = (unsigned)XML_GetCurrentLineNumber(s->x);
	*col = sr_mp_col(bol, at);
}

static void set(char **field, const char *v)
{
	free(*field);
	*field = sr_xstrdup(v);
}

/* Is 'p' a child of a <dependency> (not of its <exclusions>)? */
static bool child_of_dependency(const char *p)
{
	static const char *const deps[] = { "project/dependencies/dependency",
		"project/dependencyManagement/dependencies/dependency" };
	const char *leaf = strrchr(p, '/');
	size_t i;

	for (i = 0; leaf && i < SR_ARRAY_SIZE(deps); i++)
		if ((size_t)(leaf - p) == strlen(deps[i]) &&
		    memcmp(p, deps[i], strlen(deps[i])) == 0)
			return true;
	return false;
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct xp *s = ud;
	const char *p;
	XML_Index off;

	(void)attrs;
	s->depth++;
	if (s->depth > MAX_PATH_DEPTH)
		return;
	s->lens[s->depth - 1] = s->path.len;
	if (s->path.len)
		sr_buf_addc(&s->path, '/');
	sr_buf_adds(&s->path, name);
	p = sr_buf_cstr(&s->path);
	sr_buf_reset(&s->chars);
	s->collect = true;
	off = XML_GetCurrentByteIndex(s->x);
	if (strcmp(p, "project/dependencies/dependency") == 0 ||
	    strcmp(p, "project/dependencyManagement/dependencies/"
		   "dependency") == 0) {
		struct pom *pom = s->pom;
		bool mgmt = strncmp(p, "project/dependencyManagement/",
				    29) == 0;
		if (mgmt) {
			pom->mgmt = sr_xgrow(pom->mgmt, &pom->capm, pom->nm + 1,
					     sizeof(*pom->mgmt));
			s->cur = &pom->mgmt[pom->nm++];
		} else {
			pom->deps = sr_xgrow(pom->deps, &pom->capd, pom->nd + 1,
					     sizeof(*pom->deps));
			s->cur = &pom->deps[pom->nd++];
		}
		memset(s->cur, 0, sizeof(*s->cur));
		if (off >= 0)
			where(s, (size_t)off, &s->cur->line, &s->cur->col);
	} else if (s->cur && strcmp(name, "version") == 0 && off >= 0 &&
		   child_of_dependency(p)) {
		/* the version text starts after the tag's '>' */
		const char *gt = strchr(s->text + off, '>');
		size_t voff = gt ? (size_t)(gt + 1 - s->text) : (size_t)off;
		where(s, voff, &s->vline, &s->vcol);
	}
}

static void on_chars(void *ud, const XML_Char *t, int len)
{
	struct xp *s = ud;

	if (s->collect && s->depth <= MAX_PATH_DEPTH && len > 0 &&
	    s->chars.len < 4096)
		sr_buf_add(&s->chars, t, (size_t)len);
}

/* The collected text without surrounding blanks. */
static char *trimmed(struct sr_buf *b)
{
	const char *t = sr_buf_cstr(b);
	size_t n = b->len;

	while (n && strchr(" \t\r\n", *t)) {
		t++;
		n--;
	}
	while (n && strchr(" \t\r\n", t[n - 1]))
		n--;
	return sr_xstrndup(t, n);
}

static void on_end(void *ud, const XML_Char *name)
{
	struct xp *s = ud;
	struct pom *pom = s->pom;
	const char *p;
	char *v;

	(void)name;
	if (s->depth > MAX_PATH_DEPTH) {
		s->depth--;
		return;
	}
	p = sr_buf_cstr(&s->path);
	v = trimmed(&s->chars);
	if (strcmp(p, "project/groupId") == 0)
		set(&pom->g, v);
	else if (strcmp(p, "project/artifactId") == 0)
		set(&pom->a, v);
	else if (strcmp(p, "project/version") == 0)
		set(&pom->v, v);
	else if (strcmp(p, "project/parent") == 0)
		pom->has_parent = true;
	else if (strcmp(p, "project/parent/groupId") == 0)
		set(&pom->pg, v);
	else if (strcmp(p, "project/parent/artifactId") == 0)
		set(&pom->pa, v);
	else if (strcmp(p, "project/parent/version") == 0)
		set(&pom->pv, v);
	else if (strcmp(p, "project/parent/relativePath") == 0) {
		set(&pom->rel, v);
		pom->has_rel = true;
	} else if (strncmp(p, "project/properties/", 19) == 0 &&
		 !strchr(p + 19, '/')) {
		pom->props = sr_xgrow(pom->props, &pom->capp, pom->np + 1,
				      sizeof(*pom->props));
		pom->props[pom->np].name = sr_xstrdup(p + 19);
		pom->props[pom->np].value = v;
		pom->np++;
		v = NULL;
	} else if (s->cur && strcmp(p, "project/dependencies/dependency") == 0)
		s->cur = NULL;
	else if (s->cur && strcmp(p, "project/dependencyManagement/"
				  "dependencies/dependency") == 0)
		s->cur = NULL;
	else if (s->cur && child_of_dependency(p)) {
		const char *leaf = strrchr(p, '/') + 1;
		if (strcmp(leaf, "groupId") == 0)
			set(&s->cur->g, v);
		else if (strcmp(leaf, "artifactId") == 0)
			set(&s->cur->a, v);
		else if (strcmp(leaf, "version") == 0) {
			set(&s->cur->v, v);
			s->cur->line = s->vline;
			s->cur->col = s->vcol;
		}
	}
	free(v);
	s->collect = false;
	s->path.len = s->lens[s->depth - 1];
	if (s->path.ptr)
		s->path.ptr[s->path.len] = '\0';
	s->depth--;
}

/* Parse one pom into a new struct pom; problems go to 'mp' as its own. */
static struct pom *read_pom(struct sr_mp *mp, const char *text, size_t len)
{
	struct xp s;
	struct pom *pom = sr_xcalloc(1, sizeof(*pom));

	memset(&s, 0, sizeof(s));
	s.mp = mp;
	s.text = text;
	s.pom = pom;
	s.x = XML_ParserCreate("UTF-8");
	if (!s.x) {
		sr_mp_problem(mp, 0, 0, "out of memory for the XML parser");
		return pom;
	}
	/* no DTDs from anywhere: a pom has no use for them */
	XML_SetParamEntityParsing(s.x, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_SetUserData(s.x, &s);
	XML_SetElementHandler(s.x, on_start, on_end);
	XML_SetCharacterDataHandler(s.x, on_chars);
	if (len > (size_t)INT32_MAX ||
	    XML_Parse(s.x, text, (int)len, 1) == XML_STATUS_ERROR) {
		unsigned line = (unsigned)XML_GetCurrentLineNumber(s.x);
		XML_Index off = XML_GetCurrentByteIndex(s.x);
		unsigned col = 1;
		if (off >= 0 && (size_t)off <= len) {
			const char *at = text + off, *bol = at;
			while (bol > text && bol[-1] != '\n')
				bol--;
			col = sr_mp_col(bol, at);
		}
		sr_mp_problem(mp, line, col, "XML: %s",
			      XML_ErrorString(XML_GetErrorCode(s.x)));
	}
	XML_ParserFree(s.x);
	sr_buf_release(&s.path);
	sr_buf_release(&s.chars);
	return pom;
}

/* The parent named by 'pom' as found in the tree, or NULL. */
static struct pom *find_parent(struct sr_mp *mp, struct pom *pom,
			       const char *fspath)
{
	const char *slash = strrchr(fspath, '/');
	const char *rel = pom->has_rel ? pom->rel : "../pom.xml";
	struct sr_buf path = SR_BUF_INIT;
	struct sr_mp sub = *mp;
	struct pom *up = NULL;
	char *text;
	size_t len, before;

	if (!pom->has_parent || !rel || !*rel)
		return NULL;
	if (rel[0] != '/' && slash)
		sr_buf_add(&path, fspath, (size_t)(slash - fspath) + 1);
	sr_buf_adds(&path, rel);
	if (path.len >= 4 && strcmp(path.ptr + path.len - 4, ".xml") != 0)
		sr_buf_adds(&path, path.ptr[path.len - 1] == '/' ? "pom.xml"
								 : "/pom.xml");
	if (sr_mp_read(mp, sr_buf_cstr(&path), &text, &len) == 0) {
		/* the parent's own problems are reported when it is scanned */
		before = mp->m->n_problems;
		sub.path = sr_mp_keep_path(mp, sr_buf_cstr(&path));
		up = read_pom(&sub, text, len);
		while (mp->m->n_problems > before)
			free(mp->m->problems[--mp->m->n_problems].message);
		free(text);
		if (!up->a || !pom->pa || strcmp(up->a, pom->pa) != 0) {
			free_pom(up);
			up = NULL;	/* not the parent named */
		} else {
			up->path = sub.path;
			up->fspath = sr_buf_detach(&path);
		}
	}
	sr_buf_release(&path);
	return up;
}

static const char *property(const struct pom *pom, const char *name)
{
	const struct pom *q;
	size_t i;

	if (strcmp(name, "project.version") == 0 ||
	    strcmp(name, "pom.version") == 0 || strcmp(name, "version") == 0)
		return pom->v ? pom->v : pom->pv;
	if (strcmp(name, "project.groupId") == 0 ||
	    strcmp(name, "pom.groupId") == 0 || strcmp(name, "groupId") == 0)
		return pom->g ? pom->g : pom->pg;
	if (strcmp(name, "project.artifactId") == 0 ||
	    strcmp(name, "pom.artifactId") == 0)
		return pom->a;
	if (strcmp(name, "project.parent.version") == 0 ||
	    strcmp(name, "parent.version") == 0)
		return pom->pv;
	if (strcmp(name, "project.parent.groupId") == 0)
		return pom->pg;
	for (q = pom; q; q = q->parent)
		for (i = q->np; i-- > 0;)
			if (strcmp(q->props[i].name, name) == 0)
				return q->props[i].value;
	return NULL;
}

/*
 * Expand "${...}" in 'v' against 'pom' (the one that declared it, whose
 * project.version is meant). NULL and *missing set when a property is not
 * defined anywhere in the chain.
 */
static char *expand(const struct pom *pom, const char *v, char **missing)
{
	struct sr_buf out = SR_BUF_INIT, cur = SR_BUF_INIT;
	unsigned round;

	sr_buf_adds(&cur, v ? v : "");
	for (round = 0; round < MAX_EXPANSION; round++) {
		const char *s = sr_buf_cstr(&cur), *d;
		bool again = false;

		sr_buf_reset(&out);
		while ((d = strstr(s, "${"))) {
			const char *close = strchr(d + 2, '}');
			const char *val;
			char *name;
			if (!close)
				break;
			sr_buf_add(&out, s, (size_t)(d - s));
			name = sr_xstrndup(d + 2, (size_t)(close - d - 2));
			val = property(pom, name);
			if (!val) {
				*missing = name;
				sr_buf_release(&out);
				sr_buf_release(&cur);
				return NULL;
			}
			free(name);
			sr_buf_adds(&out, val);
			again = true;
			s = close + 1;
		}
		sr_buf_adds(&out, s);
		if (!again)
			break;
		sr_buf_reset(&cur);
		sr_buf_adds(&cur, sr_buf_cstr(&out));
	}
	sr_buf_release(&cur);
	if (strstr(sr_buf_cstr(&out), "${")) {
		/* expansion that never ends: "${a}" defined as "${a}" */
		*missing = sr_xstrdup(v);
		sr_buf_release(&out);
		return NULL;
	}
	return sr_buf_detach(&out);
}

static bool is_range(const char *v)
{
	return v[0] == '[' || v[0] == '(' || strchr(v, ',');
}

/* The managed entry for g:a: this pom's own, then its parents'. */
static const struct mdep *managed(const struct pom *pom, const char *g,
				  const char *a, const struct pom **owner)
{
	const struct pom *q;
	size_t i;

	for (q = pom; q; q = q->parent) {
		for (i = 0; i < q->nm; i++) {
			const struct mdep *m = &q->mgmt[i];
			char *miss = NULL, *mg;
			bool same;
			if (!m->a || strcmp(m->a, a) != 0 || !m->v)
				continue;
			mg = expand(q, m->g, &miss);
			same = mg && strcmp(mg, g) == 0;
			free(mg);
			free(miss);
			if (same) {
				*owner = q;
				return m;
			}
		}
	}
	return NULL;
}

static void emit(struct sr_mp *mp, const struct pom *pom,
		 const struct mdep *d, int direct)
{
	const struct pom *vowner = pom;
	const struct mdep *vfrom = d;
	struct sr_buf name = SR_BUF_INIT;
	char *g, *a, *v = NULL, *miss = NULL;
	struct sr_mp at = *mp;

	if (!d->a || !d->g) {
		sr_mp_problem(mp, d->line, d->col, "dependency without "
			      "groupId or artifactId");
		return;
	}
	g = expand(pom, d->g, &miss);
	a = g ? expand(pom, d->a, &miss) : NULL;
	if (g && a && !d->v) {
		vfrom = managed(pom, g, a, &vowner);
		if (!vfrom)
			vfrom = d;	/* no version anywhere in the tree */
	}
	if (g && a && vfrom->v)
		v = expand(vowner, vfrom->v, &miss);
	if (!g || !a || (vfrom->v && !v))
		sr_mp_problem(mp, d->line, d->col, "property '%s' is not "
			      "defined in this pom or its parents in the "
			      "tree", miss);
	if (g && a) {
		sr_buf_addf(&name, "%s:%s", g, a);
		if (v && is_range(v)) {
			free(v);
			v = NULL;
		}
		/* a version inherited from a parent is pinned there */
		if (vfrom != d && vowner != pom) {
			at.path = vowner->path;
			sr_mp_dep(&at, SR_ECO_MAVEN, sr_buf_cstr(&name),
				  name.len, v, v ? strlen(v) : 0, vfrom->line,
				  vfrom->col, direct);
		} else {
			sr_mp_dep(mp, SR_ECO_MAVEN, sr_buf_cstr(&name),
				  name.len, v, v ? strlen(v) : 0,
				  vfrom->line, vfrom->col, direct);
		}
	}
	sr_buf_release(&name);
	free(g);
	free(a);
	free(v);
	free(miss);
}

void sr_mp_maven(struct sr_mp *p, const char *text, size_t len)
{
	struct pom *pom = read_pom(p, text, len), *q;
	const char *fspath = p->fspath;
	unsigned n;
	size_t i;

	for (q = pom, n = 0; q && n < MAX_PARENTS; q = q->parent, n++) {
		q->parent = find_parent(p, q, q == pom ? fspath : q->fspath);
	}
	for (i = 0; i < pom->nd; i++)
		emit(p, pom, &pom->deps[i], 1);
	for (i = 0; i < pom->nm; i++)
		emit(p, pom, &pom->mgmt[i], -1);
	free_pom(pom);
}

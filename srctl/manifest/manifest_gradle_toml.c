/*
 * Gradle version catalogs (gradle/libs.versions.toml): each [libraries]
 * entry is "group:artifact:version", or a table with module = "g:a" (or
 * group and name) and a version given directly, as version.ref naming a
 * [versions] entry, or as a rich version (strictly, require, prefer: the
 * first that is a version, not a range, wins). Entries without a version
 * (managed by a platform or BOM) or with only a range add nothing. A
 * version.ref dependency is placed at its [versions] entry, which is the
 * line to change. [plugins] and [bundles] name no library versions.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "manifest/toml.h"
#include "base/banned.h"

struct ent {
	char *key, *value;
	unsigned line, col;
};

struct cat {
	struct ent *versions, *libs;
	size_t nv, nl, capv, capl;
};

static void add(struct ent **a, size_t *n, size_t *cap, const char *key,
		const struct sr_toml_kv *kv)
{
	struct ent *e;

	*a = sr_xgrow(*a, cap, *n + 1, sizeof(**a));
	e = &(*a)[(*n)++];
	e->key = sr_xstrdup(key);
	e->value = sr_xstrdup(kv->value);
	e->line = kv->line;
	e->col = kv->col;
}

static void on_kv(void *payload, const struct sr_toml_kv *kv)
{
	struct cat *c = payload;
	struct sr_buf k = SR_BUF_INIT;

	if (!kv->key)
		return;
	if (strcmp(kv->table, "versions") == 0) {
		add(&c->versions, &c->nv, &c->capv, kv->key, kv);
	} else if (strcmp(kv->table, "libraries") == 0) {
		add(&c->libs, &c->nl, &c->capl, kv->key, kv);
	} else if (strncmp(kv->table, "libraries.", 10) == 0) {
		sr_buf_addf(&k, "%s.%s", kv->table + 10, kv->key);
		add(&c->libs, &c->nl, &c->capl, sr_buf_cstr(&k), kv);
	}
	sr_buf_release(&k);
}

static const struct ent *find(const struct ent *a, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(a[i].key, key) == 0)
			return &a[i];
	return NULL;
}

/* The entry "<alias>.<field>" among the library entries. */
static const struct ent *field(const struct cat *c, const char *alias,
			       const char *f)
{
	struct sr_buf k = SR_BUF_INIT;
	const struct ent *e;

	sr_buf_addf(&k, "%s.%s", alias, f);
	e = find(c->libs, c->nl, sr_buf_cstr(&k));
	sr_buf_release(&k);
	return e;
}

/* A range or dynamic version ("[1.0,2.0[", "1.+"): no pin. */
static bool dynamic(const char *v)
{
	return !*v || strchr(v, '+') || strchr(v, '[') || strchr(v, '(') ||
	       strchr(v, ',') || strncmp(v, "latest.", 7) == 0;
}

/* The version of a [versions] entry, plain or rich (the first of
 * strictly, require and prefer that is not a range). */
static const struct ent *version_of(const struct cat *c, const char *ref)
{
	static const char *const rich[] = { "strictly", "require", "prefer" };
	struct sr_buf k = SR_BUF_INIT;
	const struct ent *e = find(c->versions, c->nv, ref);
	size_t i;

	for (i = 0; (!e || dynamic(e->value)) && i < SR_ARRAY_SIZE(rich);
	     i++) {
		sr_buf_reset(&k);
		sr_buf_addf(&k, "%s.%s", ref, rich[i]);
		e = find(c->versions, c->nv, sr_buf_cstr(&k));
	}
	sr_buf_release(&k);
	return e;
}

static void library(struct sr_mp *p, const struct cat *c, const char *alias,
		    const struct ent *whole)
{
	static const char *const rich[] = { "version.strictly",
		"version.require", "version.prefer" };
	const struct ent *mod, *grp, *nm, *ver, *ref;
	struct sr_buf name = SR_BUF_INIT;
	size_t i;

	if (whole) {
		/* "group:artifact:version" */
		const char *a = strchr(whole->value, ':');
		const char *b = a ? strchr(a + 1, ':') : NULL;
		if (!a || !b) {
			sr_mp_problem(p, whole->line, whole->col,
				      "%s: expected 'group:artifact:version'",
				      alias);
			return;
		}
		sr_mp_dep(p, SR_ECO_MAVEN, whole->value,
			  (size_t)(b - whole->value), b + 1, strlen(b + 1),
			  whole->line, whole->col, 1);
		return;
	}
	mod = field(c, alias, "module");
	grp = field(c, alias, "group");
	nm = field(c, alias, "name");
	if (mod)
		sr_buf_adds(&name, mod->value);
	else if (grp && nm)
		sr_buf_addf(&name, "%s:%s", grp->value, nm->value);
	else {
		const struct ent *any = field(c, alias, "version");
		if (any)
			sr_mp_problem(p, any->line, any->col, "%s: no module "
				      "or group and name", alias);
		sr_buf_release(&name);
		return;
	}
	ver = field(c, alias, "version");
	for (i = 0; (!ver || dynamic(ver->value)) &&
		    i < SR_ARRAY_SIZE(rich); i++)
		ver = field(c, alias, rich[i]);
	ref = field(c, alias, "version.ref");
	if (!ver && ref) {
		ver = version_of(c, ref->value);
		if (!ver)
			sr_mp_problem(p, ref->line, ref->col, "%s: no version "
				      "'%s' in [versions]", alias, ref->value);
	}
	if (ver && !dynamic(ver->value))
		sr_mp_dep(p, SR_ECO_MAVEN, sr_buf_cstr(&name), name.len,
			  ver->value, strlen(ver->value), ver->line, ver->col,
			  1);
	sr_buf_release(&name);
}

void sr_mp_gradle_toml(struct sr_mp *p, const char *text, size_t len)
{
	struct cat c;
	size_t i, j;

	memset(&c, 0, sizeof(c));
	sr_toml_read(p, text, len, on_kv, &c);
	for (i = 0; i < c.nl; i++) {
		const char *dot = strchr(c.libs[i].key, '.');
		size_t alen = dot ? (size_t)(dot - c.libs[i].key)
				  : strlen(c.libs[i].key);
		char *alias;
		bool done = false;

		/* each alias once, where its first key is */
		for (j = 0; j < i && !done; j++)
			done = strncmp(c.libs[j].key, c.libs[i].key,
				       alen) == 0 &&
			       (c.libs[j].key[alen] == '.' ||
				c.libs[j].key[alen] == '\0');
		if (done)
			continue;
		alias = sr_xstrndup(c.libs[i].key, alen);
		library(p, &c, alias, dot ? NULL : &c.libs[i]);
		free(alias);
	}
	for (i = 0; i < c.nv; i++) {
		free(c.versions[i].key);
		free(c.versions[i].value);
	}
	for (i = 0; i < c.nl; i++) {
		free(c.libs[i].key);
		free(c.libs[i].value);
	}
	free(c.versions);
	free(c.libs);
}

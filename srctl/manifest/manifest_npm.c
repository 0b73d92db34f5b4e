/*
 * package-lock.json and npm-shrinkwrap.json, lockfileVersion 1, 2 and 3.
 *
 * v2 and v3 list every installed package under "packages", keyed by its
 * path ("node_modules/a/node_modules/b"); the root entry "" names the
 * direct dependencies. Workspace packages (paths without node_modules)
 * and links are the project's own code, not dependencies. v1 nests
 * "dependencies" objects; when a file has both, "packages" is complete
 * and wins. An alias ("node_modules/x": {"name": "y"} in v2, a version
 * "npm:y@1.0.0" in v1) is recorded under the real package name, which is
 * what advisories name. A v1 version that is a git or tarball URL is
 * recorded as no version (v2 and v3 give the package's own version).
 */
#include <stdlib.h>
#include <string.h>

#include "manifest/mparse.h"
#include "base/banned.h"

/* The names the root package depends on, of every kind. */
static void root_deps(const struct sr_node *root, struct sr_mp_set *set)
{
	static const char *const kinds[] = { "dependencies",
		"devDependencies", "optionalDependencies", "peerDependencies" };
	size_t i, j;

	for (i = 0; i < SR_ARRAY_SIZE(kinds); i++) {
		const struct sr_node *m = sr_map_get(root, kinds[i]);
		if (!m || !sr_node_is_map(m))
			continue;
		for (j = 0; j < m->u.map.n; j++)
			if (sr_node_str(m->u.map.pairs[j].key))
				sr_mp_set_add(set,
					sr_node_str(m->u.map.pairs[j].key));
	}
	sr_mp_set_sort(set);
}

static bool is_true(const struct sr_node *n)
{
	bool b;

	return n && sr_node_bool(n, &b) && b;
}

static void packages(struct sr_mp *p, const struct sr_node *pkgs)
{
	const struct sr_node *root = sr_map_get(pkgs, "");
	struct sr_mp_set direct_set = { NULL, 0, 0 };
	size_t i;

	if (root && !sr_node_is_map(root))
		root = NULL;
	if (root)
		root_deps(root, &direct_set);
	for (i = 0; i < pkgs->u.map.n; i++) {
		const struct sr_pair *pr = &pkgs->u.map.pairs[i];
		const char *key = sr_mp_json_str(pr->key), *nm, *name;
		const struct sr_node *e = pr->value, *v, *alias;
		int direct;

		if (!key || !*key)
			continue;
		nm = strstr(key, "node_modules/");
		if (!nm)
			continue;	/* a workspace package */
		if (!sr_node_is_map(e)) {
			sr_mp_node_problem(p, e, "packages[\"%s\"]: expected "
					   "an object, got %s", key,
					   sr_mp_type(e, true));
			continue;
		}
		if (is_true(sr_map_get(e, "link")))
			continue;
		/* the name is what follows the last node_modules/ */
		for (;;) {
			const char *more = strstr(nm + 13, "node_modules/");
			if (!more)
				break;
			nm = more;
		}
		name = nm + 13;
		if (!*name)
			continue;
		alias = sr_map_get(e, "name");
		if (sr_mp_json_str(alias) && *sr_mp_json_str(alias))
			name = sr_mp_json_str(alias);
		v = sr_map_get(e, "version");
		if (v && !sr_mp_json_str(v)) {
			sr_mp_node_problem(p, v, "%s: version: expected a "
					   "string, got %s", key,
					   sr_mp_type(v, true));
			continue;
		}
		if (v && (strncmp(sr_mp_json_str(v), "file:", 5) == 0 ||
			  strncmp(sr_mp_json_str(v), "link:", 5) == 0))
			continue;
		if (!root)
			direct = -1;
		else
			direct = nm == key &&
				 sr_mp_set_has(&direct_set, nm + 13);
		sr_mp_dep_at(p, SR_ECO_NPM, name, v ? sr_mp_json_str(v) : NULL,
			     v ? v : pr->key, direct);
	}
	sr_mp_set_free(&direct_set);
}

static void dependencies(struct sr_mp *p, const struct sr_node *deps,
			 int direct)
{
	size_t i;

	for (i = 0; i < deps->u.map.n; i++) {
		const struct sr_pair *pr = &deps->u.map.pairs[i];
		const char *name = sr_mp_json_str(pr->key), *ver;
		const struct sr_node *e = pr->value, *v, *sub;
		char *real = NULL;

		if (!name)
			continue;
		if (!sr_node_is_map(e)) {
			sr_mp_node_problem(p, e, "dependencies[\"%s\"]: "
					   "expected an object, got %s",
					   name, sr_mp_type(e, true));
			continue;
		}
		v = sr_map_get(e, "version");
		ver = sr_mp_json_str(v);
		if (v && !ver) {
			sr_mp_node_problem(p, v, "%s: version: expected a "
					   "string, got %s", name,
					   sr_mp_type(v, true));
		} else if (ver && (strncmp(ver, "file:", 5) == 0 ||
				   strncmp(ver, "link:", 5) == 0)) {
			;	/* the project's own code */
		} else {
			if (ver && strncmp(ver, "npm:", 4) == 0) {
				/* an alias: "npm:real-name@1.2.3" */
				const char *at = strrchr(ver + 4, '@');
				if (at && at > ver + 4) {
					real = sr_xstrndup(ver + 4,
						(size_t)(at - ver - 4));
					name = real;
					ver = at + 1;
				}
			}
			/* a git or tarball URL is no version of the package */
			if (ver && strpbrk(ver, ":/#"))
				ver = NULL;
			sr_mp_dep_at(p, SR_ECO_NPM, name, ver, v ? v : pr->key,
				     direct);
		}
		free(real);
		sub = sr_map_get(e, "dependencies");
		if (sub && sr_node_is_map(sub))
			dependencies(p, sub, 0);
	}
}

void sr_mp_npm(struct sr_mp *p, const char *text, size_t len)
{
	struct sr_node *root, *pkgs, *deps;
	struct sr_stream *s = sr_mp_doc(p, text, len, true, &root);

	if (!root)
		goto out;
	if (!sr_node_is_map(root)) {
		sr_mp_node_problem(p, root, "expected an object at the top, "
				   "got %s", sr_mp_type(root, true));
		goto out;
	}
	pkgs = sr_map_get(root, "packages");
	deps = sr_map_get(root, "dependencies");
	if (pkgs && sr_node_is_map(pkgs))
		packages(p, pkgs);
	else if (deps && sr_node_is_map(deps))
		dependencies(p, deps, -1);
	else if (pkgs || deps)
		sr_mp_node_problem(p, pkgs ? pkgs : deps, "%s: expected an "
				   "object, got %s",
				   pkgs ? "packages" : "dependencies",
				   sr_mp_type(pkgs ? pkgs : deps, true));
out:
	sr_stream_free(s);
}

/*
 * pnpm-lock.yaml, lockfileVersion 5.x to 9.0. The "packages" map has one
 * key per installed package: "/name/1.2.3" (with "_peer@x" suffixes) up
 * to 5.x, "/name@1.2.3" (with "(peer@x)" suffixes) in 6.x, "name@1.2.3"
 * in 9.0 (whose "snapshots" repeat the packages with their peers and are
 * not read again); 5.x keys may start with a registry host, which is not
 * part of the name. Packages from a tarball or git give their name and
 * version in "name" and "version" fields, which win over the key; a key
 * whose version part is not a version and no "version" field (a git
 * checkout) adds nothing. Local
 * packages ("file:", "link:") are the project's own code and add nothing.
 *
 * Direct dependencies are those the project's importers (or, before
 * importers, the top-level dependencies maps) list by name; the others
 * are transitive.
 */
#include <stdlib.h>
#include <string.h>

#include "manifest/mparse.h"
#include "base/banned.h"

static const char *const groups[] = { "dependencies", "devDependencies",
	"optionalDependencies" };

static void add_group_names(const struct sr_node *importer,
			    struct sr_mp_set *set)
{
	size_t i, j;

	for (i = 0; i < SR_ARRAY_SIZE(groups); i++) {
		const struct sr_node *g = sr_map_get(importer, groups[i]);
		if (!g || !sr_node_is_map(g))
			continue;
		for (j = 0; j < g->u.map.n; j++)
			if (sr_node_str(g->u.map.pairs[j].key))
				sr_mp_set_add(set,
					sr_node_str(g->u.map.pairs[j].key));
	}
}

/*
 * The names the project's importers (or, before importers, the top-level
 * maps) list. False: the file lists none at all, so direct is unknown.
 */
static bool direct_names(const struct sr_node *root, struct sr_mp_set *set)
{
	const struct sr_node *imp = sr_map_get(root, "importers");
	bool any = false;
	size_t i;

	if (imp && sr_node_is_map(imp)) {
		for (i = 0; i < imp->u.map.n; i++) {
			const struct sr_node *v = imp->u.map.pairs[i].value;
			if (!sr_node_is_map(v))
				continue;
			any = true;
			add_group_names(v, set);
		}
	}
	for (i = 0; i < SR_ARRAY_SIZE(groups); i++)
		if (sr_map_get(root, groups[i]))
			any = true;
	add_group_names(root, set);
	sr_mp_set_sort(set);
	return any;
}

static double lockfile_version(const struct sr_node *root)
{
	const struct sr_node *v = sr_map_get(root, "lockfileVersion");
	const char *s = sr_node_str(v);
	double d;

	if (sr_node_float(v, true, &d))
		return d;
	if (s)
		return strtod(s, NULL);
	return 0;
}

void sr_mp_pnpm(struct sr_mp *p, const char *text, size_t len)
{
	struct sr_node *root, *pkgs;
	struct sr_stream *s = sr_mp_doc(p, text, len, false, &root);
	struct sr_mp_set direct = { NULL, 0, 0 };
	bool any_direct;
	double lv;
	size_t i;

	if (!root)
		goto out;
	if (!sr_node_is_map(root)) {
		sr_mp_node_problem(p, root, "expected a mapping at the top, "
				   "got %s", sr_mp_type(root, false));
		goto out;
	}
	lv = lockfile_version(root);
	any_direct = direct_names(root, &direct);
	pkgs = sr_map_get(root, "packages");
	if (!pkgs || sr_node_is_null(pkgs))
		goto out;
	if (!sr_node_is_map(pkgs)) {
		sr_mp_node_problem(p, pkgs, "packages: expected a mapping, got "
				   "a %s", sr_mp_type(pkgs, false));
		goto out;
	}
	for (i = 0; i < pkgs->u.map.n; i++) {
		const struct sr_pair *pr = &pkgs->u.map.pairs[i];
		const char *key = sr_node_str(pr->key), *k, *sep, *vend;
		const struct sr_node *fname = NULL, *fver = NULL;
		char *name, *ver;

		if (!key)
			continue;
		if (sr_node_is_map(pr->value)) {
			fname = sr_map_get(pr->value, "name");
			fver = sr_map_get(pr->value, "version");
			if (!sr_node_str(fname))
				fname = NULL;
			if (!sr_node_str(fver))
				fver = NULL;
		}
		k = key[0] == '/' ? key + 1 : key;
		if (strncmp(k, "file:", 5) == 0 || strncmp(k, "link:", 5) == 0)
			continue;
		if (lv > 0 && lv < 6) {
			/* "[host/]name/version[_peers]"; a name may have a
			 * scope, a host has a dot and no '@' */
			const char *slash = strchr(k, '/');
			if (k[0] != '@' && slash && memchr(k, '.',
					(size_t)(slash - k)))
				k = slash + 1;
			sep = strrchr(k, '/');
			vend = sep ? strchr(sep, '_') : NULL;
		} else {
			sep = *k ? strchr(k + 1, '@') : NULL;
			vend = sep ? strchr(sep, '(') : NULL;
		}
		if ((!sep || sep == k || !sep[1]) && !(fname && fver)) {
			sr_mp_node_problem(p, pr->key, "packages: cannot "
					   "read a name and version in '%s'",
					   key);
			continue;
		}
		if (!vend && sep)
			vend = sep + strlen(sep);
		name = fname ? sr_xstrdup(sr_node_str(fname))
			     : sr_xstrndup(k, (size_t)(sep - k));
		ver = fver ? sr_xstrdup(sr_node_str(fver))
			   : sr_xstrndup(sep + 1, (size_t)(vend - sep - 1));
		/* no version: a git checkout ("host/user/repo") */
		if (!fver && !(ver[0] >= '0' && ver[0] <= '9')) {
			free(name);
			free(ver);
			continue;
		}
		if (strncmp(ver, "file:", 5) != 0 &&
		    strncmp(ver, "link:", 5) != 0)
			sr_mp_dep_at(p, SR_ECO_NPM, name, ver, pr->key,
				     any_direct ? sr_mp_set_has(&direct, name)
						: -1);
		free(name);
		free(ver);
	}
out:
	sr_mp_set_free(&direct);
	sr_stream_free(s);
}

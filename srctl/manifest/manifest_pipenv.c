/*
 * Pipfile.lock: the "default" and "develop" groups map PyPI names to
 * {"version": "==X", ...}. Entries without a version (a VCS or path
 * dependency) pin nothing an advisory could match and are left out, as
 * osv-scanner does.
 */
#include <stdlib.h>
#include <string.h>

#include "manifest/mparse.h"
#include "base/banned.h"

static void group(struct sr_mp *p, const struct sr_node *root, const char *key)
{
	const struct sr_node *g = sr_map_get(root, key);
	size_t i;

	if (!g || sr_node_is_null(g))
		return;
	if (!sr_node_is_map(g)) {
		sr_mp_node_problem(p, g, "%s: expected an object, got %s",
				   key, sr_mp_type(g, true));
		return;
	}
	for (i = 0; i < g->u.map.n; i++) {
		const struct sr_pair *pr = &g->u.map.pairs[i];
		const char *name = sr_mp_json_str(pr->key), *ver;
		const struct sr_node *v;
		char *norm;

		if (!name)
			continue;
		if (!sr_node_is_map(pr->value)) {
			sr_mp_node_problem(p, pr->value, "%s: expected an "
					   "object, got %s", name,
					   sr_mp_type(pr->value, true));
			continue;
		}
		v = sr_map_get(pr->value, "version");
		if (!v)
			continue;
		ver = sr_mp_json_str(v);
		if (!ver) {
			sr_mp_node_problem(p, v, "%s: version: expected a "
					   "string, got %s", name,
					   sr_mp_type(v, true));
			continue;
		}
		if (strncmp(ver, "===", 3) == 0)
			ver += 3;
		else if (strncmp(ver, "==", 2) == 0)
			ver += 2;
		else
			continue;	/* not a pin */
		norm = sr_mp_pypi_name(name, strlen(name));
		sr_mp_dep_at(p, SR_ECO_PYPI, norm, ver, v, -1);
		free(norm);
	}
}

void sr_mp_pipenv(struct sr_mp *p, const char *text, size_t len)
{
	struct sr_node *root;
	struct sr_stream *s = sr_mp_doc(p, text, len, true, &root);

	if (root && !sr_node_is_map(root))
		sr_mp_node_problem(p, root, "expected an object at the top, "
				   "got %s", sr_mp_type(root, true));
	else if (root) {
		group(p, root, "default");
		group(p, root, "develop");
	}
	sr_stream_free(s);
}

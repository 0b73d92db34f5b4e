/*
 * composer.lock: the "packages" and "packages-dev" arrays of resolved
 * Packagist packages. The lock does not say which were required
 * directly (composer.json does), so direct is unknown.
 */
#include <string.h>

#include "manifest/mparse.h"
#include "base/banned.h"

static void list(struct sr_mp *p, const struct sr_node *root, const char *key)
{
	const struct sr_node *a = sr_map_get(root, key);
	size_t i;

	if (!a || sr_node_is_null(a))
		return;
	if (!sr_node_is_seq(a)) {
		sr_mp_node_problem(p, a, "%s: expected an array, got %s",
				   key, sr_mp_type(a, true));
		return;
	}
	for (i = 0; i < a->u.seq.n; i++) {
		const struct sr_node *e = a->u.seq.items[i], *n, *v;

		if (!sr_node_is_map(e)) {
			sr_mp_node_problem(p, e, "%s[%zu]: expected an "
					   "object, got %s", key, i,
					   sr_mp_type(e, true));
			continue;
		}
		n = sr_map_get(e, "name");
		v = sr_map_get(e, "version");
		if (!sr_mp_json_str(n) || !*sr_mp_json_str(n)) {
			sr_mp_node_problem(p, n ? n : e, "%s[%zu]: no package "
					   "name", key, i);
			continue;
		}
		if (v && !sr_mp_json_str(v)) {
			sr_mp_node_problem(p, v, "%s: version: expected a "
					   "string, got %s", sr_mp_json_str(n),
					   sr_mp_type(v, true));
			continue;
		}
		sr_mp_dep_at(p, SR_ECO_PACKAGIST, sr_mp_json_str(n),
			     sr_mp_json_str(v), v ? v : e, -1);
	}
}

void sr_mp_composer(struct sr_mp *p, const char *text, size_t len)
{
	struct sr_node *root;
	struct sr_stream *s = sr_mp_doc(p, text, len, true, &root);

	if (root && !sr_node_is_map(root))
		sr_mp_node_problem(p, root, "expected an object at the top, "
				   "got %s", sr_mp_type(root, true));
	else if (root) {
		list(p, root, "packages");
		list(p, root, "packages-dev");
	}
	sr_stream_free(s);
}

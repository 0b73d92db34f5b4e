/*
 * Cargo.lock: one [[package]] table per crate with its name, version and
 * source. Crates without a source are the workspace's own members and
 * add nothing; git sources are kept (the version is the crate's own).
 */
#include <stdlib.h>
#include <string.h>

#include "manifest/toml.h"
#include "base/banned.h"

struct pkg {
	struct sr_mp *p;
	bool in;	/* inside a [[package]] table */
	char *name, *version;
	unsigned line, col, hline;
	bool has_source;
};

static void flush(struct pkg *k)
{
	if (k->in) {
		if (!k->name)
			sr_mp_problem(k->p, k->hline, 1, "[[package]] without "
				      "a name");
		else if (k->has_source)
			sr_mp_dep(k->p, SR_ECO_CARGO, k->name,
				  strlen(k->name), k->version,
				  k->version ? strlen(k->version) : 0,
				  k->version ? k->line : k->hline,
				  k->version ? k->col : 1, -1);
	}
	free(k->name);
	free(k->version);
	k->name = k->version = NULL;
	k->has_source = false;
	k->in = false;
}

static void on_kv(void *payload, const struct sr_toml_kv *kv)
{
	struct pkg *k = payload;

	if (!kv->key) {
		flush(k);
		k->in = kv->array_table && strcmp(kv->table, "package") == 0;
		k->hline = kv->line;
		return;
	}
	if (!k->in || strcmp(kv->table, "package") != 0)
		return;
	if (strcmp(kv->key, "name") == 0) {
		free(k->name);
		k->name = sr_xstrdup(kv->value);
	} else if (strcmp(kv->key, "version") == 0) {
		free(k->version);
		k->version = sr_xstrdup(kv->value);
		k->line = kv->line;
		k->col = kv->col;
	} else if (strcmp(kv->key, "source") == 0) {
		k->has_source = true;
	}
}

void sr_mp_cargo(struct sr_mp *p, const char *text, size_t len)
{
	struct pkg k;

	memset(&k, 0, sizeof(k));
	k.p = p;
	sr_toml_read(p, text, len, on_kv, &k);
	flush(&k);
}

/*
 * poetry.lock: one [[package]] table per package, with a [package.source]
 * sub-table for packages not from PyPI. Local directories and files
 * ("directory", "file") are the project's own code and add nothing; git
 * checkouts and other indexes ("legacy") are kept. Names are normalised
 * as PEP 503 says. The lock does not say which packages were asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "manifest/toml.h"
#include "base/banned.h"

struct pkg {
	struct sr_mp *p;
	bool in;
	char *name, *version;
	unsigned line, col, hline;
	bool local;
};

static void flush(struct pkg *k)
{
	if (k->in && !k->name)
		sr_mp_problem(k->p, k->hline, 1, "[[package]] without a name");
	if (k->in && k->name && !k->local) {
		char *norm = sr_mp_pypi_name(k->name, strlen(k->name));
		sr_mp_dep(k->p, SR_ECO_PYPI, norm, strlen(norm), k->version,
			  k->version ? strlen(k->version) : 0,
			  k->version ? k->line : k->hline,
			  k->version ? k->col : 1, -1);
		free(norm);
	}
	free(k->name);
	free(k->version);
	k->name = k->version = NULL;
	k->local = false;
	k->in = false;
}

static void on_kv(void *payload, const struct sr_toml_kv *kv)
{
	struct pkg *k = payload;

	if (!kv->key) {
		/* sub-tables of the package ([package.source]) keep it open */
		if (k->in && strncmp(kv->table, "package.", 8) == 0 &&
		    !kv->array_table)
			return;
		flush(k);
		k->in = kv->array_table && strcmp(kv->table, "package") == 0;
		k->hline = kv->line;
		return;
	}
	if (!k->in)
		return;
	if (strcmp(kv->table, "package") == 0 && strcmp(kv->key, "name") == 0) {
		free(k->name);
		k->name = sr_xstrdup(kv->value);
	} else if (strcmp(kv->table, "package") == 0 &&
		   strcmp(kv->key, "version") == 0) {
		free(k->version);
		k->version = sr_xstrdup(kv->value);
		k->line = kv->line;
		k->col = kv->col;
	} else if ((strcmp(kv->table, "package.source") == 0 &&
		    strcmp(kv->key, "type") == 0) ||
		   (strcmp(kv->table, "package") == 0 &&
		    strcmp(kv->key, "source.type") == 0)) {
		k->local = strcmp(kv->value, "directory") == 0 ||
			   strcmp(kv->value, "file") == 0;
	}
}

void sr_mp_poetry(struct sr_mp *p, const char *text, size_t len)
{
	struct pkg k;

	memset(&k, 0, sizeof(k));
	k.p = p;
	sr_toml_read(p, text, len, on_kv, &k);
	flush(&k);
}

#include "schemamap/schemamap.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/embedded.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/glob.h"
#include "base/xmalloc.h"
#include "validators/validators.h"
#include "base/banned.h"

#define SCHEMA_MAX_SIZE (8u * 1024 * 1024)
#define SHIPPED_MAX 32

/* The kinds of document a shipped schema is chosen for. */
enum kind { K_TIMEOUT, K_K8S, K_ISTIO, K_MEMORY, K_RULE, K_N };

static const char *const kind_schema[K_N] = {
	"timeout-contract", "k8s-workload", "istio", "memory-contract", "rule"
};

/* Kinds a contract validator reads, type errors included. */
static const bool validated[K_N] = { true, true, true, false, false };

struct user_map {
	char *const *globs;		/* borrowed from the configuration */
	size_t nglobs;
	const struct sr_schema *s;
	char *label;			/* the file as written, or the name */
};

/* A schema file read once, whatever number of entries name it. */
struct loaded {
	char *key;			/* absolute path, or "shipped:<name>" */
	char *label;			/* for findings: as the user wrote it */
	const struct sr_schema *s;
};

struct sr_schemamap {
	struct sr_schema_set *set;
	bool shipped;
	const struct sr_schema *by_kind[K_N];
	const struct sr_schema *shipped_compiled[SHIPPED_MAX];
	struct user_map *user;
	size_t nuser;
	struct loaded *loaded;
	size_t nloaded, loaded_cap;
	char *cfg_abs;			/* realpath of the config's directory */
	char *cwd;
};

/* ---- the shipped list ---- */

static struct sr_schemamap_shipped shipped[SHIPPED_MAX];
static char shipped_names[SHIPPED_MAX][64];
static size_t nshipped;
static bool shipped_listed;

static void list_shipped(void)
{
	static const char prefix[] = "schemas/", suffix[] = ".schema.json";
	const struct sr_embedded *e;

	if (shipped_listed)
		return;
	shipped_listed = true;
	for (e = sr_embedded; e->path && nshipped < SHIPPED_MAX; e++) {
		size_t n = strlen(e->path);
		size_t np = sizeof(prefix) - 1, ns = sizeof(suffix) - 1;
		struct sr_schemamap_shipped *sh;

		if (n <= np + ns || strncmp(e->path, prefix, np) != 0 ||
		    strcmp(e->path + n - ns, suffix) != 0 ||
		    strchr(e->path + np, '/') || n - np - ns >= 64)
			continue;
		memcpy(shipped_names[nshipped], e->path + np, n - np - ns);
		shipped_names[nshipped][n - np - ns] = '\0';
		sh = &shipped[nshipped];
		sh->name = shipped_names[nshipped];
		sh->path = e->path;
		sh->text = e->data;
		sh->len = e->size;
		nshipped++;
	}
}

size_t sr_schemamap_shipped_count(void)
{
	list_shipped();
	return nshipped;
}

const struct sr_schemamap_shipped *sr_schemamap_shipped_at(size_t i)
{
	list_shipped();
	return i < nshipped ? &shipped[i] : NULL;
}

static size_t shipped_index(const char *name)
{
	size_t i, n = strlen(name);

	list_shipped();
	if (n > 12 && !strcmp(name + n - 12, ".schema.json"))
		n -= 12;
	for (i = 0; i < nshipped; i++)
		if (strlen(shipped[i].name) == n &&
		    !strncmp(shipped[i].name, name, n))
			return i;
	return SIZE_MAX;
}

const struct sr_schemamap_shipped *sr_schemamap_shipped_find(
	const char *name)
{
	size_t i = shipped_index(name);

	return i == SIZE_MAX ? NULL : &shipped[i];
}

/* ---- loading ---- */

static int compile_shipped(const struct sr_schema **out,
			   struct sr_schemamap *m, size_t i)
{
	int err;

	if (m->shipped_compiled[i]) {
		*out = m->shipped_compiled[i];
		return 0;
	}
	err = sr_schema_load(out, m->set, NULL, shipped[i].path,
			     shipped[i].text, shipped[i].len);
	if (err)
		return err;
	m->shipped_compiled[i] = *out;
	return 0;
}

static struct loaded *find_loaded(struct sr_schemamap *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->nloaded; i++)
		if (!strcmp(m->loaded[i].key, key))
			return &m->loaded[i];
	return NULL;
}

static void add_loaded(struct sr_schemamap *m, const char *key,
		       const char *label, const struct sr_schema *s)
{
	struct loaded *l;

	m->loaded = sr_xgrow(m->loaded, &m->loaded_cap, m->nloaded + 1,
			     sizeof(*m->loaded));
	l = &m->loaded[m->nloaded++];
	l->key = sr_xstrdup(key);
	l->label = sr_xstrdup(label);
	l->s = s;
}

/*
 * Messages about referenced files name them by absolute URI or path:
 * show those below the current directory relative to it, as the user
 * named the schema.
 */
static void relativize_error(void)
{
	char cwd[PATH_MAX];
	struct sr_buf msg = SR_BUF_INIT, dir = SR_BUF_INIT;
	const char *p, *hit;

	if (!getcwd(cwd, sizeof(cwd)) || !strcmp(cwd, "/"))
		return;
	sr_buf_addf(&dir, "%s/", cwd);
	p = sr_error_last();
	while ((hit = strstr(p, dir.ptr)) != NULL) {
		size_t keep = (size_t)(hit - p);

		/* "file://" + the directory goes as a whole */
		if (keep >= 7 && !strncmp(hit - 7, "file://", 7))
			keep -= 7;
		sr_buf_add(&msg, p, keep);
		p = hit + dir.len;
	}
	sr_buf_adds(&msg, p);
	sr_error_set("%s", sr_buf_cstr(&msg));
	sr_buf_release(&msg);
	sr_buf_release(&dir);
}

/*
 * Read and compile the schema file 'path' ('label' in messages). Its URI
 * is file://<realpath>, so its relative references find the files beside
 * it. Errors in sr_error_last().
 */
static int load_file(const struct sr_schema **out, struct sr_schemamap *m,
		     const char *path, const char *label)
{
	char *real = realpath(path, NULL);
	struct sr_buf uri = SR_BUF_INIT;
	struct loaded *l;
	char *text = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	if (!real) {
		sr_error_set("cannot read schema '%s': %s", label,
			     strerror(errno));
		return SR_ENOTFOUND;
	}
	l = find_loaded(m, real);
	if (l) {
		*out = l->s;
		free(real);
		return 0;
	}
	err = sr_fs_read(&text, &len, real, SCHEMA_MAX_SIZE);
	if (err) {
		sr_error_set("cannot read schema '%s': %s", label,
			     err == SR_ETOOLARGE ? "larger than 8 MiB" :
			     strerror(errno));
		err = SR_ENOTFOUND;
		goto done;
	}
	sr_buf_adds(&uri, "file://");
	sr_buf_adds(&uri, real);
	err = sr_schema_load(out, m->set, uri.ptr, label, text, len);
	if (!err)
		add_loaded(m, real, label, *out);
	else
		relativize_error();
done:
	free(text);
	free(real);
	sr_buf_release(&uri);
	return err;
}

static bool is_file(const char *path)
{
	return access(path, F_OK) == 0;
}

int sr_schemamap_load_one(const struct sr_schema **out,
			  struct sr_schemamap *m, const char *spec)
{
	size_t i;

	*out = NULL;
	if (is_file(spec) || strchr(spec, '/'))
		return load_file(out, m, spec, spec);
	i = shipped_index(spec);
	if (i == SIZE_MAX) {
		sr_error_set("cannot read schema '%s': %s (and no shipped "
			     "schema has that name; see 'srctl schema list')",
			     spec, strerror(ENOENT));
		return SR_ENOTFOUND;
	}
	return compile_shipped(out, m, i);
}

/* "dir/spec", or just "spec" when 'dir' is "." or 'spec' is absolute. */
static char *join(const char *dir, const char *spec)
{
	struct sr_buf b = SR_BUF_INIT;

	if (spec[0] != '/' && dir && strcmp(dir, ".") != 0) {
		sr_buf_adds(&b, dir);
		if (b.len && b.ptr[b.len - 1] != '/')
			sr_buf_addc(&b, '/');
	}
	sr_buf_adds(&b, spec);
	return sr_buf_detach(&b);
}

/*
 * How to show the schema file 'spec' of the configuration: beside the
 * configuration as srctl names it (".srctl.yaml", "../.srctl.yaml").
 */
static char *show_path(const struct sr_config *cfg, const char *spec)
{
	const char *slash = cfg->path ? strrchr(cfg->path, '/') : NULL;
	struct sr_buf b = SR_BUF_INIT;

	if (slash && spec[0] != '/')
		sr_buf_add(&b, cfg->path, (size_t)(slash - cfg->path) + 1);
	sr_buf_adds(&b, spec);
	return sr_buf_detach(&b);
}

static int load_user(struct sr_schemamap *m, const struct sr_config *cfg,
		     const struct sr_config_schema *e, struct sr_buf *errors)
{
	char *path = join(cfg->dir, e->schema);
	char *shown = show_path(cfg, e->schema);
	const struct sr_schema *s = NULL;
	struct user_map *u;
	const char *label = shown;
	size_t i;
	int err;

	if (!is_file(path) && !strchr(e->schema, '/') &&
	    (i = shipped_index(e->schema)) != SIZE_MAX) {
		err = compile_shipped(&s, m, i);
		label = shipped[i].name;
	} else {
		err = load_file(&s, m, path, shown);
	}
	if (err) {
		/* the schema's own problems name their file already */
		if (err == SR_ENOTFOUND)
			sr_buf_addf(errors, "%s:%u:%u: %s\n",
				    cfg->path ? cfg->path : ".srctl.yaml",
				    e->pos.line, e->pos.col, sr_error_last());
		else
			sr_buf_addf(errors, "%s\n", sr_error_last());
		free(path);
		free(shown);
		return err;
	}
	m->user = sr_xrealloc(m->user, (m->nuser + 1) * sizeof(*m->user));
	u = &m->user[m->nuser++];
	u->globs = e->files;
	u->nglobs = e->n_files;
	u->s = s;
	u->label = sr_xstrdup(label);
	free(path);
	free(shown);
	return 0;
}

int sr_schemamap_new(struct sr_schemamap **out,
		     enum sr_schemamap_shipped_use use,
		     const struct sr_config *cfg, struct sr_buf *errors)
{
	bool with_shipped = use != SR_SCHEMAMAP_NONE;
	struct sr_schemamap *m = sr_xcalloc(1, sizeof(*m));
	int err = 0, k;
	size_t i;

	*out = NULL;
	sr_schema_set_new(&m->set, NULL);
	/* relative references between the user's schema files */
	sr_schema_set_map(m->set, "file:///", "");
	m->shipped = with_shipped;
	/* all of them, so that a user's schema may refer to one by "$id" */
	list_shipped();
	for (i = 0; i < nshipped; i++) {
		const struct sr_schema *s;

		err = compile_shipped(&s, m, i);
		if (err) {
			sr_buf_addf(errors, "%s\n", sr_error_last());
			goto fail;
		}
	}
	for (k = 0; with_shipped && k < K_N; k++) {
		if (use == SR_SCHEMAMAP_UNVALIDATED && validated[k])
			continue;
		i = shipped_index(kind_schema[k]);
		if (i == SIZE_MAX) {
			sr_buf_addf(errors, "schemas/%s.schema.json is not "
				    "built in\n", kind_schema[k]);
			err = SR_ERROR;
			goto fail;
		}
		err = compile_shipped(&m->by_kind[k], m, i);
		if (err) {
			sr_buf_addf(errors, "%s\n", sr_error_last());
			goto fail;
		}
	}
	for (i = 0; cfg && i < cfg->n_schemas; i++) {
		int e = load_user(m, cfg, &cfg->schemas[i], errors);

		if (e && !err)
			err = e;
	}
	if (err)
		goto fail;
	if (cfg && cfg->n_schemas) {
		char buf[PATH_MAX];

		m->cfg_abs = realpath(cfg->dir ? cfg->dir : ".", NULL);
		if (getcwd(buf, sizeof(buf)))
			m->cwd = sr_xstrdup(buf);
	}
	*out = m;
	return 0;
fail:
	sr_schemamap_free(m);
	return err;
}

bool sr_schemamap_empty(const struct sr_schemamap *m)
{
	return !m || (!m->shipped && !m->nuser);
}

void sr_schemamap_free(struct sr_schemamap *m)
{
	size_t i;

	if (!m)
		return;
	sr_schema_set_free(m->set);
	for (i = 0; i < m->nloaded; i++) {
		free(m->loaded[i].key);
		free(m->loaded[i].label);
	}
	free(m->loaded);
	for (i = 0; i < m->nuser; i++)
		free(m->user[i].label);
	free(m->user);
	free(m->cfg_abs);
	free(m->cwd);
	free(m);
}

/* ---- checking ---- */

static bool name_is(const char *name, const char *stem)
{
	size_t n = strlen(stem);

	return !strncmp(name, stem, n) &&
	       (!strcmp(name + n, ".yaml") || !strcmp(name + n, ".yml"));
}

/* rules/<area>/<name>.yaml at any depth, with a rule's keys. */
static bool is_rule_file(const char *relpath, const struct sr_node *root)
{
	const char *p = relpath, *area, *slash;

	while ((p = strstr(p, "rules/")) != NULL) {
		if (p == relpath || p[-1] == '/')
			break;
		p += 6;
	}
	if (!p)
		return false;
	area = p + 6;
	slash = strchr(area, '/');
	if (!slash || slash == area || strchr(slash + 1, '/'))
		return false;
	return sr_map_get(root, "id") && sr_map_get(root, "rationale");
}

static bool has_prefix(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

/* Which shipped schemas apply to this document: a mask of 1 << K_*. */
static unsigned kinds_of(const char *name, const char *path,
			 const char *relpath, const struct sr_doc *doc)
{
	const struct sr_node *root = doc->root;
	unsigned mask = 0;

	if (!sr_node_is_map(root))
		return 0;
	if (name_is(name, "memory-contract"))
		return 1u << K_MEMORY;
	/* 'srctl lint rules/' walks rules/ as its root: look at the path */
	if (is_rule_file(relpath, root) || is_rule_file(path, root))
		return 1u << K_RULE;
	/*
	 * Only a contract file: a contract found by content may share its
	 * document with other keys (metadata, apiVersion) the schema cannot
	 * tell from protocols.
	 */
	if (name_is(name, "timeout"))
		mask |= 1u << K_TIMEOUT;
	if (sr_validator_k8s.detect(name, relpath, doc))
		mask |= 1u << K_K8S;
	if (has_prefix(sr_node_str(sr_map_get(root, "apiVersion")),
		       "networking.istio.io/") &&
	    sr_validator_mesh.detect(name, relpath, doc))
		mask |= 1u << K_ISTIO;
	return mask;
}

/*
 * 'path' relative to the configuration's directory, lexically ('.' and
 * '..' resolved); NULL when it is outside.
 */
static char *config_rel(const struct sr_schemamap *m, const char *path)
{
	struct sr_buf abs = SR_BUF_INIT, out = SR_BUF_INIT;
	const char *p;
	size_t n;
	char *res = NULL;

	if (!m->cfg_abs)
		return NULL;
	if (path[0] != '/') {
		if (!m->cwd)
			return NULL;
		sr_buf_adds(&abs, m->cwd);
		sr_buf_addc(&abs, '/');
	}
	sr_buf_adds(&abs, path);
	p = abs.ptr;
	while (*p) {
		const char *seg;

		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (!n || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out.len && out.ptr[out.len - 1] != '/')
				out.len--;
			if (out.len)
				out.len--;
			continue;
		}
		sr_buf_addc(&out, '/');
		sr_buf_add(&out, seg, n);
	}
	n = strlen(m->cfg_abs);
	if (out.len > n && !strncmp(sr_buf_cstr(&out), m->cfg_abs, n) &&
	    (out.ptr[n] == '/' || n == 1))
		res = sr_xstrdup(out.ptr + (n == 1 ? 1 : n + 1));
	sr_buf_release(&abs);
	sr_buf_release(&out);
	return res;
}

struct tramp {
	sr_schemamap_fn fn;
	void *payload;
	struct sr_schemamap_hit hit;
};

static void on_error(void *payload, const struct sr_schema_error *e)
{
	struct tramp *t = payload;

	t->hit.error = e;
	t->fn(t->payload, &t->hit);
}

static size_t run(const struct sr_schema *s, const char *label,
		  bool is_shipped, const struct sr_doc *doc,
		  sr_schemamap_fn fn, void *payload)
{
	struct tramp t;

	/* the verdict alone is cheaper: messages only for what fails */
	if (sr_schema_valid(s, doc->root))
		return 0;
	t.fn = fn;
	t.payload = payload;
	t.hit.error = NULL;
	t.hit.schema = label;
	t.hit.shipped = is_shipped;
	return sr_schema_validate(s, doc->root, on_error, &t);
}

size_t sr_schemamap_check(const struct sr_schemamap *m, const char *path,
			  const char *name, const char *relpath,
			  const struct sr_doc *doc, sr_schemamap_fn fn,
			  void *payload)
{
	size_t n = 0, i, g;
	unsigned mask;
	int k;

	if (!m)
		return 0;
	if (m->shipped && doc->root) {
		mask = kinds_of(name, path, relpath, doc);
		for (k = 0; k < K_N; k++)
			if ((mask & (1u << k)) && m->by_kind[k])
				n += run(m->by_kind[k], kind_schema[k], true,
					 doc, fn, payload);
	}
	if (m->nuser && doc->root) {
		char *rel = config_rel(m, path);

		for (i = 0; rel && i < m->nuser; i++)
			for (g = 0; g < m->user[i].nglobs; g++)
				if (sr_glob_match(m->user[i].globs[g], rel,
						  false)) {
					n += run(m->user[i].s,
						 m->user[i].label, false,
						 doc, fn, payload);
					break;
				}
		free(rel);
	}
	return n;
}

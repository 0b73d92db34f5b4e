#include "config/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "gitx/gitx.h"
#include "base/banned.h"

#define CONFIG_MAX_SIZE (4u << 20)
#define DEFAULT_READINESS "/health/ready"
#define DEFAULT_LIVENESS "/health/live"

static const char *const top_keys[] = {
	"include", "exclude", "rules", "probes", "services", "external",
	"advisories", "schemas", "control_planes", "deps", NULL
};
static const char *const probe_keys[] = {
	"readiness_path", "liveness_path", NULL
};
static const char *const service_keys[] = { "paths", NULL };
static const char *const schema_keys[] = { "files", "schema", NULL };

static void free_strings(char **v, size_t n);

struct problem {
	struct sr_pos pos;
	size_t seq;		/* keeps the order of problems at one spot */
	char *msg;
};

struct loader {
	struct sr_config *cfg;
	struct problem *v;
	size_t n;
	size_t cap;
};

static void problem_add(struct loader *l, struct sr_pos pos,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem_add(struct loader *l, struct sr_pos pos,
			const char *fmt, ...)
{
	struct sr_buf b = SR_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sr_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	l->v = sr_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n].pos = pos;
	l->v[l->n].seq = l->n;
	l->v[l->n].msg = sr_buf_detach(&b);
	l->n++;
}

static void on_yaml_problem(void *payload, const char *rule,
			    struct sr_pos pos, const char *message)
{
	(void)rule;
	problem_add(payload, pos, "%s", message);
}

static int cmp_problem(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	if (x->pos.col != y->pos.col)
		return x->pos.col < y->pos.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Optimal string alignment distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[33][33];

	if (la > 32 || lb > 32)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

static const char *suggest(const char *key, const char *const *known)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, limit = strlen(key) < 5 ? 1 : 2;

	for (; *known; known++) {
		size_t dist = edit_distance(key, *known);

		if (dist < best_d) {
			best_d = dist;
			best = *known;
		}
	}
	return best_d <= limit ? best : NULL;
}

static bool is_known(const char *key, const char *const *known)
{
	for (; *known; known++) {
		if (strcmp(key, *known) == 0)
			return true;
	}
	return false;
}

/*
 * Check the keys of mapping 'map' against 'known'; 'where' prefixes the
 * message ("" at the top, "'probes': " below).
 */
static void check_keys(struct loader *l, const struct sr_node *map,
		       const char *where, const char *const *known)
{
	size_t i;

	for (i = 0; i < map->u.map.n; i++) {
		const struct sr_node *k = map->u.map.pairs[i].key;
		const char *name = sr_node_str(k);
		const char *hint;

		if (!name) {
			problem_add(l, k->start, "%sa key must be a string, "
				    "got %s", where, sr_node_type_name(k));
			continue;
		}
		if (is_known(name, known))
			continue;
		hint = suggest(name, known);
		if (hint)
			problem_add(l, k->start, "%sunknown key '%s' "
				    "(did you mean '%s'?)", where, name, hint);
		else
			problem_add(l, k->start, "%sunknown key '%s'",
				    where, name);
	}
}

static bool expect_map(struct loader *l, const struct sr_node *n,
		       const char *what)
{
	if (sr_node_is_map(n))
		return true;
	problem_add(l, n->start, "'%s' must be a mapping, got %s", what,
		    sr_node_type_name(n));
	return false;
}

/*
 * A list of strings (or, with 'one_ok', a single string). Stores copies in
 * *out / *n_out when 'out' is not NULL. Any scalar but null counts as a
 * string: a glob like 2024-* reads as text whatever YAML resolves it to.
 */
static void get_strings(struct loader *l, const struct sr_node *n,
			const char *what, bool one_ok, char ***out,
			size_t *n_out)
{
	size_t i, cap = 0;

	if (one_ok && sr_node_str(n)) {
		if (out) {
			*out = sr_xgrow(*out, &cap, *n_out + 1, sizeof(**out));
			(*out)[(*n_out)++] = sr_xstrdup(sr_node_str(n));
		}
		return;
	}
	if (!sr_node_is_seq(n)) {
		problem_add(l, n->start, "'%s' must be a list of strings, "
			    "got %s", what, sr_node_type_name(n));
		return;
	}
	for (i = 0; i < n->u.seq.n; i++) {
		const struct sr_node *item = n->u.seq.items[i];
		const char *s = sr_node_str(item);

		if (!s) {
			problem_add(l, item->start, "'%s' must be a list of "
				    "strings, got %s in the list", what,
				    sr_node_type_name(item));
			continue;
		}
		if (!*s) {
			problem_add(l, item->start, "'%s' must not hold an "
				    "empty string", what);
			continue;
		}
		if (out) {
			*out = sr_xgrow(*out, &cap, *n_out + 1, sizeof(**out));
			(*out)[(*n_out)++] = sr_xstrdup(s);
		}
	}
}

/* "area/name": lowercase letters, digits, '-', '_' and '.' in the name. */
static bool is_rule_id(const char *s)
{
	const char *slash = strchr(s, '/');
	const char *p;

	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return false;
	for (p = s; *p; p++) {
		if (p == slash)
			continue;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || (*p == '.' && p > slash)))
			return false;
	}
	return true;
}

/*
 * rules: id -> severity. Whether an id names a rule srctl knows is checked
 * by the commands against the rule catalogue (ids of rules that are not
 * built yet must not make a configuration invalid here); this only checks
 * the shape.
 */
static void load_rules(struct loader *l, const struct sr_node *n)
{
	struct sr_config *cfg = l->cfg;
	size_t i, cap = 0;

	if (!expect_map(l, n, "rules"))
		return;
	for (i = 0; i < n->u.map.n; i++) {
		const struct sr_node *k = n->u.map.pairs[i].key;
		const struct sr_node *v = n->u.map.pairs[i].value;
		const char *id = sr_node_str(k);
		const char *sev = sr_node_str(v);
		enum sr_severity s;

		if (!id || !is_rule_id(id)) {
			problem_add(l, k->start, "'rules': '%s' is not a rule "
				    "id (expected area/name)",
				    id ? id : sr_node_type_name(k));
			continue;
		}
		if (!sr_node_is_scalar(v) || !sev ||
		    !sr_severity_parse(sev, &s)) {
			problem_add(l, v->start, "'rules': '%s' must be off, "
				    "info, warning or error, got %s%s%s", id,
				    sev ? "'" : "",
				    sev ? sev : sr_node_type_name(v),
				    sev ? "'" : "");
			continue;
		}
		cfg->rules = sr_xgrow(cfg->rules, &cap, cfg->n_rules + 1,
				      sizeof(*cfg->rules));
		cfg->rules[cfg->n_rules].id = sr_xstrdup(id);
		cfg->rules[cfg->n_rules].severity = s;
		cfg->rules[cfg->n_rules].pos = k->start;
		cfg->n_rules++;
	}
}

static void load_probe_path(struct loader *l, const struct sr_node *map,
			    const char *key, char **out)
{
	const struct sr_node *v = sr_map_get(map, key);
	const char *s = sr_node_str(v);

	if (!v || sr_node_is_null(v))
		return;
	if (!sr_node_is_scalar(v) || !s) {
		problem_add(l, v->start, "'probes.%s' must be a string, "
			    "got %s", key, sr_node_type_name(v));
		return;
	}
	if (s[0] != '/') {
		problem_add(l, v->start, "'probes.%s' must be an HTTP path "
			    "starting with '/', got '%s'", key, s);
		return;
	}
	free(*out);
	*out = sr_xstrdup(s);
}

static void load_probes(struct loader *l, const struct sr_node *n)
{
	if (!expect_map(l, n, "probes"))
		return;
	check_keys(l, n, "'probes': ", probe_keys);
	load_probe_path(l, n, "readiness_path", &l->cfg->readiness_path);
	load_probe_path(l, n, "liveness_path", &l->cfg->liveness_path);
}

/*
 * services: a map name -> { paths: [globs] } (a null entry just declares
 * the service), a list of names (a registry), or the name of a registry
 * file. Type-checked only; the service module reads it.
 */
static void load_services(struct loader *l, const struct sr_node *n)
{
	size_t i;

	if (sr_node_str(n)) {
		free(l->cfg->services_file);
		l->cfg->services_file = sr_xstrdup(sr_node_str(n));
		return;
	}
	if (sr_node_is_seq(n)) {
		get_strings(l, n, "services", false, &l->cfg->services,
			    &l->cfg->n_services);
		return;
	}
	if (!sr_node_is_map(n)) {
		problem_add(l, n->start, "'services' must be a mapping, got %s",
			    sr_node_type_name(n));
		return;
	}
	for (i = 0; i < n->u.map.n; i++) {
		const struct sr_node *k = n->u.map.pairs[i].key;
		const struct sr_node *v = n->u.map.pairs[i].value;
		const char *name = sr_node_str(k);
		const struct sr_node *paths;
		struct sr_buf what = SR_BUF_INIT;

		if (!name) {
			problem_add(l, k->start, "'services': a service name "
				    "must be a string, got %s",
				    sr_node_type_name(k));
			continue;
		}
		l->cfg->services = sr_xrealloc(l->cfg->services,
					       (l->cfg->n_services + 1) *
					       sizeof(*l->cfg->services));
		l->cfg->services[l->cfg->n_services++] = sr_xstrdup(name);
		if (sr_node_is_null(v))
			continue;
		sr_buf_addf(&what, "services.%s", name);
		if (!sr_node_is_map(v)) {
			problem_add(l, v->start, "'%s' must be a mapping, "
				    "got %s", sr_buf_cstr(&what),
				    sr_node_type_name(v));
			sr_buf_release(&what);
			continue;
		}
		sr_buf_reset(&what);
		sr_buf_addf(&what, "'services.%s': ", name);
		check_keys(l, v, sr_buf_cstr(&what), service_keys);
		paths = sr_map_get(v, "paths");
		if (paths && !sr_node_is_null(paths)) {
			sr_buf_reset(&what);
			sr_buf_addf(&what, "services.%s.paths", name);
			get_strings(l, paths, sr_buf_cstr(&what), true, NULL,
				    NULL);
		}
		sr_buf_release(&what);
	}
}

static void load_schemas(struct loader *l, const struct sr_node *n)
{
	struct sr_config *cfg = l->cfg;
	size_t i, cap = 0;

	if (!sr_node_is_seq(n)) {
		problem_add(l, n->start, "'schemas' must be a list of "
			    "{files, schema} mappings, got %s",
			    sr_node_type_name(n));
		return;
	}
	for (i = 0; i < n->u.seq.n; i++) {
		const struct sr_node *item = n->u.seq.items[i];
		const struct sr_node *files, *schema;
		struct sr_config_schema m = { NULL, 0, NULL, { 0, 0, 0 } };
		size_t nprob = l->n;

		if (!sr_node_is_map(item)) {
			problem_add(l, item->start, "'schemas' entries must be "
				    "{files, schema} mappings, got %s",
				    sr_node_type_name(item));
			continue;
		}
		check_keys(l, item, "'schemas': ", schema_keys);
		files = sr_map_get(item, "files");
		schema = sr_map_get(item, "schema");
		if (!files || sr_node_is_null(files))
			problem_add(l, item->start, "'schemas': an entry "
				    "needs 'files'");
		else
			get_strings(l, files, "schemas.files", true,
				    &m.files, &m.n_files);
		if (!schema || sr_node_is_null(schema))
			problem_add(l, item->start, "'schemas': an entry "
				    "needs 'schema'");
		else if (!sr_node_str(schema))
			problem_add(l, schema->start, "'schemas.schema' must "
				    "be a string, got %s",
				    sr_node_type_name(schema));
		/* keep only well-formed entries: a bad one fails the load */
		if (l->n == nprob && m.n_files) {
			m.schema = sr_xstrdup(sr_node_str(schema));
			m.pos = schema->start;
			cfg->schemas = sr_xgrow(cfg->schemas, &cap,
						cfg->n_schemas + 1,
						sizeof(*cfg->schemas));
			cfg->schemas[cfg->n_schemas++] = m;
		} else {
			free_strings(m.files, m.n_files);
		}
	}
}

static void load_top(struct loader *l, const struct sr_node *root)
{
	struct sr_config *cfg = l->cfg;
	size_t i;

	if (!sr_node_is_map(root)) {
		problem_add(l, root->start, "the configuration must be a "
			    "mapping, got %s", sr_node_type_name(root));
		return;
	}
	check_keys(l, root, "", top_keys);
	for (i = 0; i < root->u.map.n; i++) {
		const char *key = sr_node_str(root->u.map.pairs[i].key);
		const struct sr_node *v = root->u.map.pairs[i].value;

		if (!key || sr_node_is_null(v))
			continue;	/* unset: the default */
		if (!strcmp(key, "include"))
			get_strings(l, v, key, true, &cfg->include,
				    &cfg->n_include);
		else if (!strcmp(key, "exclude"))
			get_strings(l, v, key, true, &cfg->exclude,
				    &cfg->n_exclude);
		else if (!strcmp(key, "rules"))
			load_rules(l, v);
		else if (!strcmp(key, "probes"))
			load_probes(l, v);
		else if (!strcmp(key, "services"))
			load_services(l, v);
		else if (!strcmp(key, "external"))
			get_strings(l, v, key, false, &cfg->external,
				    &cfg->n_external);
		else if (!strcmp(key, "advisories"))
			get_strings(l, v, key, false, NULL, NULL);
		else if (!strcmp(key, "schemas"))
			load_schemas(l, v);
		else if (!strcmp(key, "control_planes") ||
			 !strcmp(key, "deps"))
			expect_map(l, v, key);
	}
}

/* The directory part of 'path' ("." when there is none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return sr_xstrdup(".");
	if (slash == path)
		return sr_xstrdup("/");
	return sr_xstrndup(path, (size_t)(slash - path));
}

/*
 * The absolute directory to search from: 'start' itself, its directory
 * if it is a file, or the nearest existing ancestor of a path that does
 * not exist (the walk reports that one).
 */
static char *start_dir(const char *start)
{
	char *p = sr_xstrdup(start && *start ? start : ".");
	char *real = NULL;
	struct stat st;

	for (;;) {
		real = realpath(p, NULL);
		if (real || !strcmp(p, ".") || !strcmp(p, "/"))
			break;
		{
			char *up = dir_of(p);

			free(p);
			p = up;
		}
	}
	free(p);
	if (!real)
		return NULL;
	if (stat(real, &st) == 0 && !S_ISDIR(st.st_mode)) {
		char *up = dir_of(real);

		free(real);
		real = up;
	}
	return real;
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Find .srctl.yaml (or .yml) from 'dir' up; NULL when there is none. */
static char *discover(const char *dir)
{
	struct sr_gitx *git = sr_gitx_open(dir);
	char *top = git ? sr_xstrdup(sr_gitx_workdir(git)) : NULL;
	char *cur = sr_xstrdup(dir);
	char *found = NULL;

	sr_gitx_free(git);
	for (;;) {
		static const char *const names[] = {
			".srctl.yaml", ".srctl.yml"
		};
		size_t i;
		char *up;

		for (i = 0; i < SR_ARRAY_SIZE(names) && !found; i++) {
			struct sr_buf b = SR_BUF_INIT;

			sr_buf_adds(&b, cur);
			if (b.len && b.ptr[b.len - 1] != '/')
				sr_buf_addc(&b, '/');
			sr_buf_adds(&b, names[i]);
			if (is_file(b.ptr))
				found = sr_buf_detach(&b);
			sr_buf_release(&b);
		}
		if (found || !strcmp(cur, "/") || (top && !strcmp(cur, top)))
			break;
		up = dir_of(cur);
		free(cur);
		cur = up;
	}
	free(cur);
	free(top);
	return found;
}

/* 'abs' as shown in messages: relative to the current directory if below. */
static char *display_path(const char *abs)
{
	char *cwd = getcwd(NULL, 0);
	char *out;
	size_t n;

	if (cwd) {
		n = strlen(cwd);
		if (n > 1 && strncmp(abs, cwd, n) == 0 && abs[n] == '/') {
			out = sr_xstrdup(abs + n + 1);
			free(cwd);
			return out;
		}
		free(cwd);
	}
	return sr_xstrdup(abs);
}

static struct sr_config *config_new(void)
{
	struct sr_config *cfg = sr_xcalloc(1, sizeof(*cfg));

	cfg->readiness_path = sr_xstrdup(DEFAULT_READINESS);
	cfg->liveness_path = sr_xstrdup(DEFAULT_LIVENESS);
	return cfg;
}

/* Parse and check the file at 'path', shown as cfg->path. */
static int load_file(struct sr_config *cfg, const char *path,
		     struct sr_buf *errors)
{
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct loader l = { cfg, NULL, 0, 0 };
	struct sr_stream *s = NULL;
	char *text = NULL;
	size_t len = 0, i;
	int rc;

	rc = sr_fs_read(&text, &len, path, CONFIG_MAX_SIZE);
	if (rc == SR_ETOOLARGE) {
		sr_error_set("%s: configuration larger than %u bytes",
			     cfg->path, CONFIG_MAX_SIZE);
		rc = SR_EINVALID;
	}
	if (rc < 0) {
		if (errors)
			sr_buf_addf(errors, "%s\n", sr_error_last());
		goto done;
	}

	s = sr_stream_parse(text, len, &limits, on_yaml_problem, &l);
	if (s->n > 1)
		problem_add(&l, s->docs[1].start, "the configuration must be "
			    "one YAML document");
	if (s->n > 0 && s->docs[0].root)
		load_top(&l, s->docs[0].root);

	if (l.n) {
		qsort(l.v, l.n, sizeof(*l.v), cmp_problem);
		for (i = 0; errors && i < l.n; i++)
			sr_buf_addf(errors, "%s:%u:%u: %s\n", cfg->path,
				    l.v[i].pos.line, l.v[i].pos.col,
				    l.v[i].msg);
		sr_error_set("%s: invalid configuration (%zu problem%s)",
			     cfg->path, l.n, l.n == 1 ? "" : "s");
		rc = SR_EINVALID;
	}
done:
	for (i = 0; i < l.n; i++)
		free(l.v[i].msg);
	free(l.v);
	sr_stream_free(s);
	free(text);
	return rc;
}

int sr_config_load(struct sr_config **out, const char *explicit_path,
		   const char *start, struct sr_buf *errors)
{
	struct sr_config *cfg = config_new();
	char *dir = NULL, *found = NULL, *real = NULL;
	const char *open_path;
	int rc = 0;

	*out = NULL;
	if (explicit_path) {
		real = realpath(explicit_path, NULL);
		if (!real || !is_file(real)) {
			sr_error_set("cannot read configuration '%s': %s",
				     explicit_path, real ? "not a regular file"
				     : strerror(errno));
			if (errors)
				sr_buf_addf(errors, "%s\n", sr_error_last());
			rc = SR_ERROR;
			goto done;
		}
		cfg->path = sr_xstrdup(explicit_path);
		cfg->dir = dir_of(real);
		open_path = real;
	} else {
		dir = start_dir(start);
		if (!dir) {
			sr_error_set("cannot resolve '%s': %s",
				     start ? start : ".", strerror(errno));
			if (errors)
				sr_buf_addf(errors, "%s\n", sr_error_last());
			rc = SR_ERROR;
			goto done;
		}
		found = discover(dir);
		if (!found) {
			/* defaults; globs (none) would be relative to here */
			struct sr_gitx *git = sr_gitx_open(dir);

			cfg->dir = sr_xstrdup(git ? sr_gitx_workdir(git) : dir);
			sr_gitx_free(git);
			goto done;
		}
		cfg->path = display_path(found);
		cfg->dir = dir_of(found);
		open_path = found;
	}
	rc = load_file(cfg, open_path, errors);
done:
	free(dir);
	free(found);
	free(real);
	if (rc < 0) {
		sr_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}

enum sr_severity sr_config_severity(const struct sr_config *cfg,
				    const char *id, enum sr_severity dflt)
{
	size_t i;

	if (!cfg)
		return dflt;
	for (i = 0; i < cfg->n_rules; i++) {
		if (strcmp(cfg->rules[i].id, id) == 0)
			dflt = cfg->rules[i].severity;
	}
	return dflt;
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void sr_config_free(struct sr_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->dir);
	free_strings(cfg->include, cfg->n_include);
	free_strings(cfg->exclude, cfg->n_exclude);
	for (i = 0; i < cfg->n_rules; i++)
		free(cfg->rules[i].id);
	free(cfg->rules);
	free(cfg->readiness_path);
	free(cfg->liveness_path);
	free_strings(cfg->services, cfg->n_services);
	free(cfg->services_file);
	free_strings(cfg->external, cfg->n_external);
	for (i = 0; i < cfg->n_schemas; i++) {
		free_strings(cfg->schemas[i].files, cfg->schemas[i].n_files);
		free(cfg->schemas[i].schema);
	}
	free(cfg->schemas);
	free(cfg);
}

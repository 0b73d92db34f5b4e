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
#include "base/duration.h"
#include "doc/doc.h"
#include "gitx/gitx.h"
#include "base/banned.h"

#define CONFIG_MAX_SIZE (4u << 20)
#define DEFAULT_READINESS "/health/ready"
#define DEFAULT_LIVENESS "/health/live"

static const char *const top_keys[] = {
	"audit",
	"include", "exclude", "rules", "probes", "services", "external",
	"advisories", "schemas", "control_planes", "deps", "timeout", NULL
};
static const char *const probe_keys[] = {
	"readiness_path", "liveness_path", NULL
};
static const char *const service_keys[] = { "paths", NULL };
static const char *const audit_keys[] = { "adjustments", NULL };
static const char *const schema_keys[] = { "files", "schema", NULL };
static const char *const deps_keys[] = { "ignore", "known_bad", NULL };
static const char *const ignore_keys[] = {
	"id", "package", "reason", "until", NULL
};

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

/*
 * "area/name": lowercase letters, digits, '-', '_' and '.' in the name;
 * or "area/" followed by "*" for every rule of an area.
 */
static bool is_rule_id(const char *s)
{
	const char *slash = strchr(s, '/');
	const char *p;
	bool wildcard;

	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return false;
	wildcard = !strcmp(slash + 1, "*");
	for (p = s; *p; p++) {
		if (p == slash || (wildcard && p == slash + 1))
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
				    "id (expected area/name or area/*)",
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

/* audit: { adjustments: FILE } for audit-log. */
static void load_audit(struct loader *l, const struct sr_node *n)
{
	const struct sr_node *v;

	if (!expect_map(l, n, "audit"))
		return;
	check_keys(l, n, "'audit': ", audit_keys);
	v = sr_map_get(n, "adjustments");
	if (!v || sr_node_is_null(v))
		return;
	if (!sr_node_str(v) || !*sr_node_str(v)) {
		problem_add(l, v->start, "'audit.adjustments' must be a file "
			    "name, got %s", sr_node_type_name(v));
		return;
	}
	free(l->cfg->audit_adjustments);
	l->cfg->audit_adjustments = sr_xstrdup(sr_node_str(v));
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

/* A real calendar date written YYYY-MM-DD. */
static bool is_date(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };
	int y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 || y % 400 == 0));
}

/* deps.ignore[].KEY: a non-empty string, or NULL when absent. */
static char *ignore_str(struct loader *l, const struct sr_node *item,
			const char *key)
{
	const struct sr_node *v = sr_map_get(item, key);
	const char *s = sr_node_str(v);

	if (!v || sr_node_is_null(v))
		return NULL;
	if (!sr_node_is_scalar(v) || !s || !*s) {
		problem_add(l, v->start, "'deps.ignore.%s' must be a "
			    "non-empty string, got %s", key,
			    sr_node_type_name(v));
		return NULL;
	}
	return sr_xstrdup(s);
}

/*
 * deps: { ignore: [{id, package, reason, until}], known_bad: FILE }.
 * An ignore names an advisory, a package or both; a missing reason is
 * the command's warning, not a configuration error.
 */
static void load_deps(struct loader *l, const struct sr_node *n)
{
	struct sr_config *cfg = l->cfg;
	const struct sr_node *ign, *kb;
	size_t i, cap = 0;

	if (!expect_map(l, n, "deps"))
		return;
	check_keys(l, n, "'deps': ", deps_keys);
	kb = sr_map_get(n, "known_bad");
	if (kb && !sr_node_is_null(kb)) {
		if (!sr_node_is_scalar(kb) || !sr_node_str(kb) ||
		    !*sr_node_str(kb))
			problem_add(l, kb->start, "'deps.known_bad' must be "
				    "a file name, got %s",
				    sr_node_type_name(kb));
		else
			cfg->deps_known_bad = sr_xstrdup(sr_node_str(kb));
	}
	ign = sr_map_get(n, "ignore");
	if (!ign || sr_node_is_null(ign))
		return;
	if (!sr_node_is_seq(ign)) {
		problem_add(l, ign->start, "'deps.ignore' must be a list of "
			    "{id, package, reason, until} mappings, got %s",
			    sr_node_type_name(ign));
		return;
	}
	for (i = 0; i < ign->u.seq.n; i++) {
		const struct sr_node *item = ign->u.seq.items[i];
		struct sr_deps_ignore d;

		if (!sr_node_is_map(item)) {
			problem_add(l, item->start, "'deps.ignore' entries "
				    "must be mappings, got %s",
				    sr_node_type_name(item));
			continue;
		}
		check_keys(l, item, "'deps.ignore': ", ignore_keys);
		d.id = ignore_str(l, item, "id");
		d.package = ignore_str(l, item, "package");
		d.reason = ignore_str(l, item, "reason");
		d.until = ignore_str(l, item, "until");
		d.pos = item->start;
		if (d.until && !is_date(d.until)) {
			problem_add(l, sr_map_get(item, "until")->start,
				    "'deps.ignore.until' must be a date "
				    "YYYY-MM-DD, got '%s'", d.until);
			free(d.until);
			d.until = NULL;
		}
		if (!d.id && !d.package && !sr_map_get(item, "id") &&
		    !sr_map_get(item, "package"))
			problem_add(l, item->start, "'deps.ignore': an entry "
				    "needs 'id', 'package' or both");
		cfg->deps_ignore = sr_xgrow(cfg->deps_ignore, &cap,
					    cfg->n_deps_ignore + 1,
					    sizeof(*cfg->deps_ignore));
		cfg->deps_ignore[cfg->n_deps_ignore++] = d;
	}
}

static const char *const cp_keys[] = {
	"driver", "endpoint", "endpoints", "prefix", "user", "password_env",
	"password_file", "token_env", "token_file", "ca_file", "cert_file",
	"key_file", "insecure_skip_verify", "kubeconfig", "namespace",
	"timeout", "cooldown", NULL
};
static const char *const cp_drivers[] = {
	"file", "etcd", "http", "istio", NULL
};
static const char *const timeout_keys[] = {
	"audit_log", "metrics_file", "pushgateway", "control_plane", NULL
};

/* A relative path in the configuration is relative to its directory. */
static char *config_path_of(const struct loader *l, const char *p)
{
	struct sr_buf b = SR_BUF_INIT;

	/* "~/..." is left for the user of the path to expand (istio). */
	if (p[0] != '/' && strncmp(p, "~/", 2) && l->cfg->dir &&
	    strcmp(l->cfg->dir, "."))
		sr_buf_addf(&b, "%s/", l->cfg->dir);
	sr_buf_adds(&b, p);
	return sr_buf_detach(&b);
}

/* A non-empty string value of 'map'.'key' (NULL when absent). */
static char *cp_string(struct loader *l, const struct sr_node *map,
		       const char *where, const char *key, bool path)
{
	const struct sr_node *v = sr_map_get(map, key);
	const char *s = sr_node_str(v);

	if (!v || sr_node_is_null(v))
		return NULL;
	if (!sr_node_is_scalar(v) || !s || !*s) {
		problem_add(l, v->start, "'%s.%s' must be a non-empty string, "
			    "got %s", where, key, sr_node_type_name(v));
		return NULL;
	}
	return path ? config_path_of(l, s) : sr_xstrdup(s);
}

/* A duration such as "2m" or "500ms" (an integer is milliseconds). */
static long long cp_duration(struct loader *l, const struct sr_node *map,
			     const char *where, const char *key)
{
	const struct sr_node *v = sr_map_get(map, key);
	long long ms = 0;
	double d;

	if (!v || sr_node_is_null(v))
		return 0;
	if (sr_node_int(v, &ms) && ms >= 0)
		return ms;
	if (sr_node_str(v) && sr_duration_parse_ms(sr_node_str(v), &d) &&
	    d >= 0 && d < 1e12)
		return (long long)d;
	problem_add(l, v->start, "'%s.%s' must be a duration such as 30s or "
		    "2m, got '%s'", where, key,
		    sr_node_str(v) ? sr_node_str(v) : sr_node_type_name(v));
	return 0;
}

static bool is_url(const char *s)
{
	return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8);
}

static void load_control_plane(struct loader *l, const struct sr_pair *p)
{
	const struct sr_node *n = p->value, *v;
	struct sr_buf where = SR_BUF_INIT;
	struct sr_cp_conf *c;
	const char *name = sr_node_str(p->key);
	size_t i;
	bool b;

	sr_buf_addf(&where, "control_planes.%s", name);
	if (!sr_node_is_map(n)) {
		problem_add(l, n->start, "'%s' must be a mapping {driver: ..., "
			    "...}, got %s", where.ptr, sr_node_type_name(n));
		goto out;
	}
	l->cfg->control_planes = sr_xrealloc(l->cfg->control_planes,
		(l->cfg->n_control_planes + 1) * sizeof(*c));
	c = &l->cfg->control_planes[l->cfg->n_control_planes++];
	memset(c, 0, sizeof(*c));
	c->name = sr_xstrdup(name);
	{
		struct sr_buf w2 = SR_BUF_INIT;

		sr_buf_addf(&w2, "'%s': ", where.ptr);
		check_keys(l, n, w2.ptr, cp_keys);
		sr_buf_release(&w2);
	}
	c->driver = cp_string(l, n, where.ptr, "driver", false);
	if (!c->driver) {
		problem_add(l, p->key->start, "'%s' needs a driver (file, "
			    "etcd, http or istio)", where.ptr);
	} else if (!is_known(c->driver, cp_drivers)) {
		const char *hint = suggest(c->driver, cp_drivers);

		problem_add(l, sr_map_get(n, "driver")->start, "'%s.driver': "
			    "unknown driver '%s'%s%s%s (file, etcd, http, "
			    "istio)", where.ptr, c->driver,
			    hint ? " (did you mean '" : "", hint ? hint : "",
			    hint ? "'?)" : "");
	}
	if (sr_map_get(n, "endpoint") && sr_map_get(n, "endpoints"))
		problem_add(l, sr_map_get(n, "endpoints")->start, "'%s': "
			    "set endpoint or endpoints, not both", where.ptr);
	v = sr_map_get(n, "endpoints");
	if (v && !sr_node_is_null(v))
		get_strings(l, v, "endpoints", false, &c->endpoints,
			    &c->n_endpoints);
	v = sr_map_get(n, "endpoint");
	if (v && !sr_node_is_null(v)) {
		char *e = cp_string(l, n, where.ptr, "endpoint",
				    c->driver && !strcmp(c->driver, "file"));

		if (e) {
			c->endpoints = sr_xmalloc(sizeof(*c->endpoints));
			c->endpoints[0] = e;
			c->n_endpoints = 1;
		}
	}
	v = sr_map_get(n, "endpoints") ? sr_map_get(n, "endpoints")
				       : sr_map_get(n, "endpoint");
	for (i = 0; c->driver && strcmp(c->driver, "file") &&
		    i < c->n_endpoints; i++)
		if (!is_url(c->endpoints[i]))
			problem_add(l, v ? v->start : n->start, "'%s': endpoint '%s' must be "
				    "an http:// or https:// URL", where.ptr,
				    c->endpoints[i]);
	if (c->driver && (!strcmp(c->driver, "etcd") ||
			  !strcmp(c->driver, "http")) && !c->n_endpoints)
		problem_add(l, p->key->start, "'%s': the %s driver needs an "
			    "endpoint", where.ptr, c->driver);
	c->prefix = cp_string(l, n, where.ptr, "prefix", false);
	c->user = cp_string(l, n, where.ptr, "user", false);
	c->password_env = cp_string(l, n, where.ptr, "password_env", false);
	c->password_file = cp_string(l, n, where.ptr, "password_file", true);
	c->token_env = cp_string(l, n, where.ptr, "token_env", false);
	c->token_file = cp_string(l, n, where.ptr, "token_file", true);
	c->ca = cp_string(l, n, where.ptr, "ca_file", true);
	c->cert = cp_string(l, n, where.ptr, "cert_file", true);
	c->key = cp_string(l, n, where.ptr, "key_file", true);
	c->kubeconfig = cp_string(l, n, where.ptr, "kubeconfig", true);
	c->namespace_ = cp_string(l, n, where.ptr, "namespace", false);
	c->timeout_ms = cp_duration(l, n, where.ptr, "timeout");
	c->cooldown_ms = cp_duration(l, n, where.ptr, "cooldown");
	v = sr_map_get(n, "insecure_skip_verify");
	if (v && !sr_node_is_null(v)) {
		if (!sr_node_bool(v, &b))
			problem_add(l, v->start, "'%s.insecure_skip_verify' "
				    "must be true or false", where.ptr);
		else
			c->insecure = b;
	}
	if ((c->password_env || c->password_file) && !c->user)
		problem_add(l, p->key->start, "'%s': a password needs a user",
			    where.ptr);
	if (c->user && !c->password_env && !c->password_file)
		problem_add(l, p->key->start, "'%s': user '%s' needs "
			    "password_env or password_file (passwords are "
			    "never written in this file)", where.ptr, c->user);
	if (c->password_env && c->password_file)
		problem_add(l, p->key->start, "'%s': set password_env or "
			    "password_file, not both", where.ptr);
	if (c->token_env && c->token_file)
		problem_add(l, p->key->start, "'%s': set token_env or "
			    "token_file, not both", where.ptr);
	if (!c->cert != !c->key)
		problem_add(l, p->key->start, "'%s': cert_file and key_file "
			    "go together (mTLS)", where.ptr);
out:
	sr_buf_release(&where);
}

static void load_control_planes(struct loader *l, const struct sr_node *n)
{
	size_t i;

	if (!expect_map(l, n, "control_planes"))
		return;
	for (i = 0; i < n->u.map.n; i++) {
		const struct sr_pair *p = &n->u.map.pairs[i];

		if (!sr_node_str(p->key)) {
			problem_add(l, p->key->start, "'control_planes': a "
				    "name must be a string");
			continue;
		}
		load_control_plane(l, p);
	}
}

static void load_timeout(struct loader *l, const struct sr_node *n)
{
	struct sr_config *cfg = l->cfg;

	if (!expect_map(l, n, "timeout"))
		return;
	check_keys(l, n, "'timeout': ", timeout_keys);
	cfg->timeout_audit_log = cp_string(l, n, "timeout", "audit_log",
					   true);
	cfg->timeout_metrics_file = cp_string(l, n, "timeout",
					      "metrics_file", true);
	cfg->timeout_pushgateway = cp_string(l, n, "timeout", "pushgateway",
					     false);
	if (cfg->timeout_pushgateway && !is_url(cfg->timeout_pushgateway))
		problem_add(l, sr_map_get(n, "pushgateway")->start,
			    "'timeout.pushgateway' must be an http:// or "
			    "https:// URL");
	cfg->timeout_control_plane = cp_string(l, n, "timeout",
					       "control_plane", false);
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
			get_strings(l, v, key, true, &cfg->advisories,
				    &cfg->n_advisories);
		else if (!strcmp(key, "schemas"))
			load_schemas(l, v);
		else if (!strcmp(key, "audit"))
			load_audit(l, v);
		else if (!strcmp(key, "deps"))
			load_deps(l, v);
		else if (!strcmp(key, "control_planes"))
			load_control_planes(l, v);
		else if (!strcmp(key, "timeout"))
			load_timeout(l, v);
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
	char *top = sr_gitx_find_top(dir);
	char *cur = sr_xstrdup(dir);
	char *found = NULL;

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
			char *top = sr_gitx_find_top(dir);

			cfg->dir = top ? top : sr_xstrdup(dir);
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

	const char *slash = strchr(id, '/');
	size_t alen = slash ? (size_t)(slash - id) : 0;
	enum sr_severity by_area = dflt;
	bool exact = false;

	if (!cfg)
		return dflt;
	/* an exact id wins over its area wildcard, whatever the order */
	for (i = 0; i < cfg->n_rules; i++) {
		const char *r = cfg->rules[i].id;

		if (strcmp(r, id) == 0) {
			dflt = cfg->rules[i].severity;
			exact = true;
		} else if (alen && !strncmp(r, id, alen + 1) &&
			   !strcmp(r + alen + 1, "*")) {
			by_area = cfg->rules[i].severity;
		}
	}
	return exact ? dflt : by_area;
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
	free(cfg->audit_adjustments);
	free_strings(cfg->advisories, cfg->n_advisories);
	for (i = 0; i < cfg->n_deps_ignore; i++) {
		free(cfg->deps_ignore[i].id);
		free(cfg->deps_ignore[i].package);
		free(cfg->deps_ignore[i].reason);
		free(cfg->deps_ignore[i].until);
	}
	free(cfg->deps_ignore);
	free(cfg->deps_known_bad);
	for (i = 0; i < cfg->n_control_planes; i++)
		sr_cp_conf_release(&cfg->control_planes[i]);
	free(cfg->control_planes);
	free(cfg->timeout_audit_log);
	free(cfg->timeout_metrics_file);
	free(cfg->timeout_pushgateway);
	free(cfg->timeout_control_plane);
	for (i = 0; i < cfg->n_schemas; i++) {
		free_strings(cfg->schemas[i].files, cfg->schemas[i].n_files);
		free(cfg->schemas[i].schema);
	}
	free(cfg->schemas);
	free(cfg);
}

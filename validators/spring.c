/*
 * Spring Boot configuration (SPEC.md 4.2): resilience4j circuitbreaker,
 * timelimiter and retry instances and configs in application*.yml,
 * application*.yaml and application*.properties (and in other YAML whose
 * root sets resilience4j), read as Spring Boot binds them:
 *
 *  - relaxed binding: failure-rate-threshold, failureRateThreshold and
 *    failure_rate_threshold are one property; instance and config names
 *    (map keys) are kept as written; dotted keys ("resilience4j.retry:")
 *    and nested maps mix freely; "[a.b]" keeps dots in a map key;
 *  - durations as Spring converts them: "500ms", "5s", "PT5S", and a bare
 *    number is milliseconds (resilience4j's Duration properties carry no
 *    @DurationUnit); "1.5s" or "1m30s" do not bind at all;
 *  - inheritance as resilience4j resolves it: an instance (or config)
 *    takes what it does not set from its baseConfig chain; without one, a
 *    circuitbreaker instance takes the config of its own name if there is
 *    one, else configs.default, and timelimiter and retry instances and
 *    configs take configs.default; what nothing sets is the library
 *    default (60 s wait in open state, 100-call window, 1 s timeout, 3
 *    attempts);
 *  - profiles: documents with spring.config.activate.on-profile (or the
 *    older spring.profiles), "#---" documents of .properties files and
 *    application-<profile>.* files are layered over application.* of the
 *    same directory, and every profile's view is checked.
 *
 * Values that cannot be right anywhere (a threshold of 0, a window of 0
 * calls) are reported where they are written, while the file is checked.
 * What depends on the layering (a minimum above the window size, a wait
 * that nothing sets, a timelimiter against the timeout contract) is
 * checked after every file, when all layers are known. Only a view built
 * on application.* is "complete": there an unset property really is the
 * library default. In a view made of profile files or other YAML alone,
 * srctl cannot see the layers below, so an unset property is unknown and
 * nothing is concluded from it.
 *
 * The layered view needs every document of a directory at once, so the
 * resilience4j properties are kept in this module (one run at a time:
 * validators run sequentially) until their group is complete: when the
 * files arrive in tree order, once the walk has left the group's service
 * (eval_left_groups), otherwise in the finish step.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/duration.h"
#include "base/strmap.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "spring.h"
#include "validators.h"
#include "base/banned.h"

enum kind { CB, TL, RETRY };

static const char *const kind_word[] = {
	"circuit breaker", "timelimiter", "retry"
};

/* resilience4j's defaults, for properties nothing sets. */
#define DEFAULT_WINDOW 100
#define DEFAULT_MIN_CALLS 100
#define DEFAULT_TIMEOUT_MS 1000
#define DEFAULT_ATTEMPTS 3

/* Durations beyond this are not timeouts anyone means. */
#define MS_LIMIT 1e12

/* --- values as Spring Boot converts them ------------------------------ */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Is 's' (trimmed) empty? Spring binds an empty value as unset. */
static bool blank(const char *s)
{
	return !s || !*skip_ws(s);
}

/*
 * A Duration property without @DurationUnit: ISO-8601 ("PT5S",
 * case-insensitive) or digits with an optional unit ns, us, ms, s, m, h,
 * d (none: milliseconds). False when Spring would refuse the value.
 */
static bool spring_duration(const char *s, double *ms)
{
	static const struct { const char *unit; double ms; } units[] = {
		{ "ns", 1e-6 }, { "us", 1e-3 }, { "ms", 1 }, { "s", 1000 },
		{ "m", 60000 }, { "h", 3600000 }, { "d", 86400000 },
	};
	char buf[64];
	size_t n, i, digits;
	bool neg = false;
	double v;
	const char *u;

	s = skip_ws(s);
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	s = buf;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (*s == 'P' || *s == 'p') {
		if (!sr_duration_parse_ms(s, &v))
			return false;
		*ms = neg ? -v : v;
		return true;
	}
	for (digits = 0; isdigit((unsigned char)s[digits]); digits++)
		;
	if (!digits)
		return false;
	u = s + digits;
	v = strtod(s, NULL);
	if (!*u) {
		*ms = neg ? -v : v;
		return true;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcasecmp(u, units[i].unit)) {
			*ms = (neg ? -v : v) * units[i].ms;
			return true;
		}
	}
	return false;
}

/* An Integer property: optional sign and decimal digits. */
static bool spring_int(const char *s, long long *out)
{
	char *end;
	long long v;

	s = skip_ws(s);
	if (!*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *skip_ws(end))
		return false;
	*out = v;
	return true;
}

/* A Float property. */
static bool spring_float(const char *s, double *out)
{
	char *end;
	double v;

	s = skip_ws(s);
	if (!*s || !(isdigit((unsigned char)*s) || *s == '-' || *s == '+' ||
		     *s == '.'))
		return false;
	v = strtod(s, &end);
	if (end == s || *skip_ws(end) || !isfinite(v))
		return false;
	*out = v;
	return true;
}

static void fmt_ms(char *out, size_t size, double ms)
{
	if (fabs(ms) >= 1e15)
		snprintf(out, size, "%.3g", ms);
	else if (ms == floor(ms))
		snprintf(out, size, "%.0f", ms);
	else
		snprintf(out, size, "%.3f", ms);
}

/* --- relaxed names ---------------------------------------------------- */

/* Does 'seg' equal 'canon' (lowercase, no '-' or '_') in relaxed form? */
static bool relaxed_eq(const char *seg, const char *canon)
{
	for (;; seg++) {
		if (*seg == '-' || *seg == '_')
			continue;
		if (tolower((unsigned char)*seg) != *canon)
			return false;
		if (!*canon)
			return true;
		canon++;
	}
}

static char *relaxed_dup(const char *seg)
{
	struct sr_buf b = SR_BUF_INIT;

	for (; *seg; seg++)
		if (*seg != '-' && *seg != '_')
			sr_buf_addc(&b, (char)tolower((unsigned char)*seg));
	sr_buf_adds(&b, "");
	return sr_buf_detach(&b);
}

/* --- property keys as segments ---------------------------------------- */

struct seg {
	char *text;
	struct sr_pos pos;	/* where the segment starts, as near as known */
};

struct segs {
	struct seg *v;
	size_t n;
	size_t cap;
};

static void segs_push(struct segs *s, const char *text, size_t len,
		      struct sr_pos pos)
{
	s->v = sr_xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n].text = sr_xstrndup(text, len);
	s->v[s->n].pos = pos;
	s->n++;
}

static void segs_pop_to(struct segs *s, size_t n)
{
	while (s->n > n)
		free(s->v[--s->n].text);
}

/*
 * Split a key on '.', keeping "[...]" whole (Spring's map-key brackets).
 * 'pos' is where the key starts; when 'exact', segment positions are
 * moved along the key (a plain one-line key).
 */
static void split_key(struct segs *out, const char *key, struct sr_pos pos,
		      bool exact)
{
	size_t i = 0, start = 0, n = strlen(key);

	while (i <= n) {
		if (i == n || key[i] == '.' || key[i] == '[') {
			/* "a..b" keeps its empty segment (no name is "") */
			if (i > start || (i < n && key[i] == '.')) {
				struct sr_pos p = pos;

				if (exact) {
					p.col += (unsigned)sr_utf8_count(key, start);
					p.offset += start;
				}
				segs_push(out, key + start, i - start, p);
			}
			if (i < n && key[i] == '[') {
				const char *close = strchr(key + i, ']');
				size_t end = close ? (size_t)(close - key) : n;
				struct sr_pos p = pos;

				if (exact) {
					p.col += (unsigned)sr_utf8_count(key, i);
					p.offset += i;
				}
				segs_push(out, key + i + 1, end - i - 1, p);
				i = end + 1;
				if (i < n && key[i] == '.')
					i++;
				start = i;
				continue;
			}
			start = i + 1;
		}
		i++;
	}
}

/* --- what one document sets ------------------------------------------- */

/* One resilience4j property (or the mere mention of an instance). */
struct item {
	enum kind kind;
	bool config;		/* configs.* (else instances/backends) */
	char *name;
	char *prop;		/* relaxed form; "" for a mention */
	char *prop_orig;	/* as written */
	char *value;		/* trimmed; NULL for a mention */
	struct sr_pos pos;	/* of the value */
	struct sr_pos name_pos;
};

struct scan {
	struct sr_ctx *ctx;
	struct item *v;
	size_t n;
	size_t cap;
	char *cond;		/* the document's profile condition */
};

static enum kind kind_of(const char *seg, bool *ok)
{
	*ok = true;
	if (relaxed_eq(seg, "circuitbreaker"))
		return CB;
	if (relaxed_eq(seg, "timelimiter"))
		return TL;
	if (relaxed_eq(seg, "retry"))
		return RETRY;
	*ok = false;
	return CB;
}

static bool section_of(const char *seg, bool *config)
{
	*config = relaxed_eq(seg, "configs");
	return *config || relaxed_eq(seg, "instances") ||
	       relaxed_eq(seg, "backends");
}

/*
 * Could a key starting with these segments matter? Everything else is
 * skipped without a look (management.*, server.*, ...).
 */
static bool wanted_prefix(const struct segs *s)
{
	bool ok, config;

	if (s->n == 0)
		return true;
	if (relaxed_eq(s->v[0].text, "spring")) {
		if (s->n == 1)
			return true;
		if (relaxed_eq(s->v[1].text, "profiles"))
			return s->n == 2;
		if (!relaxed_eq(s->v[1].text, "config"))
			return false;
		if (s->n >= 3 && !relaxed_eq(s->v[2].text, "activate"))
			return false;
		return s->n <= 4;
	}
	if (!relaxed_eq(s->v[0].text, "resilience4j"))
		return false;
	if (s->n >= 2)
		(void)kind_of(s->v[1].text, &ok);
	else
		ok = true;
	return ok && (s->n < 3 || section_of(s->v[2].text, &config));
}

static void set_cond(struct scan *sc, const char *prefix, const char *v)
{
	struct sr_buf b = SR_BUF_INIT;

	if (blank(v))
		return;
	if (sc->cond) {
		sr_buf_adds(&b, sc->cond);
		sr_buf_adds(&b, " & ");
		free(sc->cond);
	}
	sr_buf_adds(&b, prefix);
	sr_buf_adds(&b, skip_ws(v));
	sc->cond = sr_buf_detach(&b);
}

/*
 * One leaf of the document: the key's segments and its value (NULL for
 * null, empty and collections; 'seq_text' joins a sequence of scalars,
 * for profile lists).
 */
static void leaf(struct scan *sc, const struct segs *s, const char *value,
		 const char *seq_text, struct sr_pos pos)
{
	struct item *it;
	enum kind kind;
	bool ok, config;
	char *trimmed;
	size_t len;

	if (s->n >= 2 && relaxed_eq(s->v[0].text, "spring")) {
		const char *v = value ? value : seq_text;

		if (s->n == 2 && relaxed_eq(s->v[1].text, "profiles"))
			set_cond(sc, "", v);
		else if (s->n == 4 && relaxed_eq(s->v[3].text, "onprofile"))
			set_cond(sc, "", v);
		else if (s->n == 4 &&
			 relaxed_eq(s->v[3].text, "oncloudplatform"))
			set_cond(sc, "cloud-platform=", v);
		return;
	}
	if (s->n < 4 || !relaxed_eq(s->v[0].text, "resilience4j"))
		return;
	kind = kind_of(s->v[1].text, &ok);
	if (!ok || !section_of(s->v[2].text, &config) || !*s->v[3].text)
		return;
	sc->v = sr_xgrow(sc->v, &sc->cap, sc->n + 1, sizeof(*sc->v));
	it = &sc->v[sc->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->config = config;
	it->name = sr_xstrdup(s->v[3].text);
	it->name_pos = s->v[3].pos;
	it->pos = pos;
	if (s->n == 4 && (value || seq_text)) {
		/* "inventory: 3": not an instance Spring could bind */
		free(it->name);
		sc->n--;
		return;
	}
	if (s->n != 5 || blank(value)) {
		it->prop = sr_xstrdup("");
		it->prop_orig = sr_xstrdup("");
		return;
	}
	it->prop = relaxed_dup(s->v[4].text);
	it->prop_orig = sr_xstrdup(s->v[4].text);
	value = skip_ws(value);
	len = strlen(value);
	while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	trimmed = sr_xstrndup(value, len);
	it->value = trimmed;
}

static void scan_release(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++) {
		free(sc->v[i].name);
		free(sc->v[i].prop);
		free(sc->v[i].prop_orig);
		free(sc->v[i].value);
	}
	free(sc->v);
	free(sc->cond);
	memset(sc, 0, sizeof(*sc));
}

/* Walk a YAML node below the key segments in 's'. */
static void walk_yaml(struct scan *sc, struct segs *s, const struct sr_node *n)
{
	size_t i;

	if (!wanted_prefix(s))
		return;
	if (sr_node_is_map(n) && s->n < 5 && n->u.map.n) {
		for (i = 0; i < n->u.map.n; i++) {
			const struct sr_node *k = n->u.map.pairs[i].key;
			const char *key = sr_node_str(k);
			size_t mark = s->n;

			if (!key || !*key)
				continue;
			split_key(s, key, k->start,
				  k->style == SR_STYLE_PLAIN &&
				  k->start.line == k->end.line);
			if (s->n > mark)
				walk_yaml(sc, s, n->u.map.pairs[i].value);
			segs_pop_to(s, mark);
		}
		return;
	}
	if (sr_node_is_seq(n)) {
		struct sr_buf b = SR_BUF_INIT;

		for (i = 0; i < n->u.seq.n; i++) {
			const char *v = sr_node_str(n->u.seq.items[i]);

			if (!v)
				continue;
			if (b.len)
				sr_buf_addc(&b, ',');
			sr_buf_adds(&b, v);
		}
		leaf(sc, s, NULL, b.len ? b.ptr : NULL, n->start);
		sr_buf_release(&b);
		return;
	}
	/* a scalar, or a collection nested deeper than any property */
	leaf(sc, s, sr_node_is_null(n) ? NULL : sr_node_str(n), NULL,
	     n->start);
}

/* --- checks on single values ------------------------------------------ */

static const char *entity_word(const struct item *it)
{
	if (it->config)
		return it->kind == CB ? "circuit-breaker config" :
		       it->kind == TL ? "timelimiter config" : "retry config";
	return kind_word[it->kind];
}

static void check_value(struct sr_ctx *ctx, const struct item *it)
{
	const char *what = entity_word(it);
	double f, ms;
	long long i;
	char fix[160];

	if (it->kind != CB || !it->value)
		return;
	if (!strcmp(it->prop, "failureratethreshold") ||
	    !strcmp(it->prop, "slowcallratethreshold")) {
		if (!spring_float(it->value, &f))
			return;
		snprintf(fix, sizeof(fix), "%s: %s", it->prop_orig,
			 it->prop[0] == 'f' ? "50" : "100");
		if (f <= 0 || f > 100)
			sr_emit_at(ctx, "cb/r4j-threshold", it->pos, fix,
				   "%s '%s': %s %s is outside (0, 100]: it is a percentage of calls, and resilience4j refuses it at startup",
				   what, it->name, it->prop_orig, it->value);
		else if (f < 1)
			sr_emit_at(ctx, "cb/r4j-threshold", it->pos, fix,
				   "%s '%s': %s %s is below 1: resilience4j's Spring Boot properties accept 1 to 100 only, so the application fails to start",
				   what, it->name, it->prop_orig, it->value);
		return;
	}
	if (!strcmp(it->prop, "slidingwindowsize") ||
	    !strcmp(it->prop, "minimumnumberofcalls")) {
		if (!spring_int(it->value, &i) || i >= 1)
			return;
		snprintf(fix, sizeof(fix), "%s: %s", it->prop_orig,
			 it->prop[0] == 's' ? "100" : "10");
		sr_emit_at(ctx, "cb/r4j-window", it->pos, fix,
			   "%s '%s': %s %s must be at least 1: resilience4j refuses it at startup",
			   what, it->name, it->prop_orig, it->value);
		return;
	}
	if (!strcmp(it->prop, "permittednumberofcallsinhalfopenstate")) {
		if (!spring_int(it->value, &i) || i >= 1)
			return;
		snprintf(fix, sizeof(fix), "%s: 10", it->prop_orig);
		sr_emit_at(ctx, "cb/r4j-half-open", it->pos, fix,
			   "%s '%s': %s %s must be at least 1: a half-open breaker needs trial calls to close again, and resilience4j refuses it at startup",
			   what, it->name, it->prop_orig, it->value);
		return;
	}
	if (!strcmp(it->prop, "waitdurationinopenstate")) {
		snprintf(fix, sizeof(fix),
			 "%s: 10s (how long the dependency needs to recover)",
			 it->prop_orig);
		if (!spring_duration(it->value, &ms))
			sr_emit_at(ctx, "cb/r4j-wait", it->pos, fix,
				   "%s '%s': %s '%s' is not a duration Spring Boot can read (write 500ms, 10s or PT10S), so the application fails to start",
				   what, it->name, it->prop_orig, it->value);
		else if (ms < 1)
			sr_emit_at(ctx, "cb/r4j-wait", it->pos, fix,
				   "%s '%s': %s %s is below 1 ms: an open breaker would let calls through at once, and resilience4j refuses it at startup",
				   what, it->name, it->prop_orig, it->value);
	}
}

/* --- what the run collects for the finish step ------------------------ */

enum role {
	ROLE_BASE,	/* application.{yml,yaml,properties} */
	ROLE_PROFILE,	/* application-<profile>.* */
	ROLE_OTHER	/* other Spring YAML: its own layer only */
};

/* One document of one file. */
struct source {
	const char *path;	/* the model's: as shown, for locations */
	const char *relpath;	/* the model's */
	const char *group;	/* layered with the same group */
	enum role role;
	const char *profile;	/* ROLE_PROFILE: from the file name */
	const char *cond;	/* on-profile condition, or NULL */
	unsigned tier;		/* precedence among the files of a group */
	unsigned doc;
};

/*
 * A resilience4j property, kept until its group is evaluated. Its
 * locations are made only if a finding or a fact needs them.
 */
struct entry {
	size_t src;		/* its source, in the group */
	size_t seq;		/* order of appearance */
	enum kind kind;
	bool config;
	const char *name;	/* the model's strings */
	const char *prop;
	const char *prop_orig;
	const char *value;	/* NULL: a mention of the instance */
	struct sr_pos pos;	/* of the value */
	struct sr_pos name_pos;
};

/*
 * What is layered together (application*.* of one directory, or one
 * other file): its documents and their properties, until evaluated.
 */
struct group {
	const char *key;	/* the sources' 'group' */
	struct source *src;
	size_t nsrc;
	size_t src_cap;
	struct entry *v;
	size_t n;
	size_t cap;
	size_t services_seen;	/* the model's services when it had none */
};

static struct {
	struct sr_model *model;	/* the run this belongs to */
	struct group **open;	/* not evaluated yet, oldest first */
	size_t nopen;
	size_t open_cap;
	struct sr_strmap by_key;	/* group key -> its open group */
	size_t seq;
	const char **dirs;	/* directories of Spring and Java files */
	size_t ndirs;
	size_t dirs_cap;
} st;

static void group_free(struct group *g)
{
	free(g->src);
	free(g->v);
	free(g);
}

static void state_reset(void)
{
	for (size_t i = 0; i < st.nopen; i++)
		group_free(st.open[i]);
	free(st.open);
	sr_strmap_release(&st.by_key);
	free(st.dirs);
	memset(&st, 0, sizeof(st));
}

/* The run's state; a new model means a new run. */
static struct sr_model *state_for(struct sr_ctx *ctx)
{
	struct sr_model *m = sr_ctx_model(ctx);

	if (st.model != m) {
		state_reset();
		st.model = m;
	}
	return m;
}

/* Where code or configuration is seen: only the directory matters. */
static void note_file(struct sr_ctx *ctx)
{
	struct sr_model *m = state_for(ctx);
	const char *relpath = sr_ctx_relpath(ctx);
	const char *slash = strrchr(relpath, '/');
	size_t n = slash ? (size_t)(slash - relpath) : 0;
	const char *last = st.ndirs ? st.dirs[st.ndirs - 1] : NULL;
	char *dir;

	if (!m || (last && strlen(last) == n && !strncmp(last, relpath, n)))
		return;
	dir = sr_xstrndup(relpath, n);
	st.dirs = sr_xgrow(st.dirs, &st.dirs_cap, st.ndirs + 1,
			   sizeof(*st.dirs));
	st.dirs[st.ndirs++] = sr_model_strdup(m, dir);
	free(dir);
}

void sr_spring__note_source(struct sr_ctx *ctx)
{
	note_file(ctx);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* The extension's length, if 'name' is .yml, .yaml or .properties. */
static size_t config_ext(const char *name)
{
	if (has_suffix(name, ".yml"))
		return 4;
	if (has_suffix(name, ".yaml"))
		return 5;
	if (has_suffix(name, ".properties"))
		return 11;
	return 0;
}

static const struct sr_loc *loc_at(struct sr_ctx *ctx, struct sr_pos pos)
{
	struct sr_node at;

	memset(&at, 0, sizeof(at));
	at.start = pos;
	return sr_ctx_loc(ctx, &at);
}

static int cmp_item_name(const void *a, const void *b)
{
	const struct item *x = *(const struct item *const *)a;
	const struct item *y = *(const struct item *const *)b;

	return strcmp(x->name, y->name);
}

/*
 * Record a document: its checks on single values, its circuit-breaker
 * instances as model facts, and its properties for the finish step.
 */
/* The open group of 'key' (a model string), made if there is none. */
static struct group *group_of(const char *key)
{
	void **slot = sr_strmap_put(&st.by_key, key, strlen(key));
	struct group *g = *slot;

	if (!g) {
		g = sr_xcalloc(1, sizeof(*g));
		g->key = key;
		*slot = g;
		st.open = sr_xgrow(st.open, &st.open_cap, st.nopen + 1,
				   sizeof(*st.open));
		st.open[st.nopen++] = g;
	}
	return g;
}

static void eval_left_groups(struct sr_ctx *ctx);

static void add_document(struct sr_ctx *ctx, struct scan *sc, unsigned doc)
{
	struct sr_model *m = state_for(ctx);
	const char *name = sr_ctx_name(ctx);
	const char *relpath = sr_ctx_relpath(ctx);
	const char *slash = strrchr(relpath, '/');
	size_t ext = config_ext(name), nb = 0, i;
	const struct item **breakers;
	struct source one, *s;
	struct group *g;

	for (i = 0; i < sc->n; i++)
		check_value(ctx, &sc->v[i]);
	if (!m || !sc->n)
		return;
	eval_left_groups(ctx);

	memset(&one, 0, sizeof(one));
	s = &one;
	sr_ctx_loc_paths(ctx, &s->path, &s->relpath);
	s->doc = doc;
	s->cond = sr_model_strdup(m, sc->cond);
	s->role = ROLE_OTHER;
	s->group = s->relpath;
	if (ext && !strncmp(name, "application", 11)) {
		size_t stem = strlen(name) - ext;

		if (stem == 11)
			s->role = ROLE_BASE;
		else if (name[11] == '-' && stem > 12)
			s->role = ROLE_PROFILE;
		if (s->role != ROLE_OTHER) {
			char *dir = sr_xstrndup(relpath,
						slash ? (size_t)(slash - relpath) : 0);
			char *prof = sr_xstrndup(name + 12,
						 stem > 12 ? stem - 12 : 0);

			s->group = sr_model_strdup(m, dir);
			if (s->role == ROLE_PROFILE)
				s->profile = sr_model_strdup(m, prof);
			free(dir);
			free(prof);
		}
		s->tier = (s->role == ROLE_PROFILE ? 2 : 0) + (ext == 11);
	}
	g = group_of(s->group);
	g->src = sr_xgrow(g->src, &g->src_cap, g->nsrc + 1, sizeof(*g->src));
	g->src[g->nsrc] = one;

	breakers = sr_xmalloc(sc->n * sizeof(*breakers));
	for (i = 0; i < sc->n; i++) {
		const struct item *it = &sc->v[i];
		struct entry *e;

		g->v = sr_xgrow(g->v, &g->cap, g->n + 1, sizeof(*g->v));
		e = &g->v[g->n++];
		e->src = g->nsrc;
		e->seq = st.seq++;
		e->kind = it->kind;
		e->config = it->config;
		e->name = sr_model_strdup(m, it->name);
		e->prop = sr_model_strdup(m, it->prop);
		e->prop_orig = sr_model_strdup(m, it->prop_orig);
		e->value = sr_model_strdup(m, it->value);
		e->pos = it->pos;
		e->name_pos = it->name_pos;
		if (it->kind == CB && !it->config)
			breakers[nb++] = it;
	}
	g->nsrc++;

	/* each circuit-breaker instance once per document */
	qsort(breakers, nb, sizeof(*breakers), cmp_item_name);
	for (i = 0; i < nb; i++) {
		struct sr_breaker b;
		struct sr_dep_ref r;

		if (i && !strcmp(breakers[i]->name, breakers[i - 1]->name))
			continue;
		memset(&b, 0, sizeof(b));
		b.kind = SR_BREAKER_R4J;
		b.name = breakers[i]->name;
		b.full_name = breakers[i]->name;
		b.loc = loc_at(ctx, breakers[i]->name_pos);
		sr_model_add_breaker(m, &b);
		memset(&r, 0, sizeof(r));
		r.kind = SR_REF_R4J;
		r.name = breakers[i]->name;
		r.loc = b.loc;
		sr_model_add_ref(m, &r);
	}
	free(breakers);
}

/* --- the validator: YAML documents ------------------------------------ */

static bool is_spring_name(const char *name)
{
	size_t ext = config_ext(name);

	return ext && ext != 11 && (!strncmp(name, "application", 11) ||
				    !strncmp(name, "bootstrap", 9));
}

static bool detect(const char *name, const char *relpath,
		   const struct sr_doc *doc)
{
	const struct sr_node *root = doc->root;
	size_t i;

	(void)relpath;
	if (!sr_node_is_map(root))
		return false;
	if (is_spring_name(name))
		return true;
	/* other YAML that configures resilience4j (a config-server repo) */
	for (i = 0; i < root->u.map.n; i++) {
		const char *k = sr_node_str(root->u.map.pairs[i].key);

		if (k && !strncmp(k, "resilience4j", 12) &&
		    (k[12] == '\0' || k[12] == '.'))
			return true;
	}
	return false;
}

static void check(struct sr_ctx *ctx, const struct sr_doc *doc)
{
	struct scan sc;
	struct segs s = { NULL, 0, 0 };

	memset(&sc, 0, sizeof(sc));
	sc.ctx = ctx;
	note_file(ctx);
	walk_yaml(&sc, &s, doc->root);
	segs_pop_to(&s, 0);
	free(s.v);
	add_document(ctx, &sc, doc->index);
	scan_release(&sc);
}

/* --- .properties files ------------------------------------------------ */

static bool wants_text(const char *name)
{
	return has_suffix(name, ".properties") &&
	       (!strncmp(name, "application", 11) ||
		!strncmp(name, "bootstrap", 9));
}

static void check_text(struct sr_ctx *ctx, const char *text, size_t len)
{
	struct sr_spring_props props;
	unsigned doc;
	size_t i = 0;

	note_file(ctx);
	sr_spring_props_parse(&props, text, len);
	for (doc = 0; doc < props.ndocs; doc++) {
		struct scan sc;

		memset(&sc, 0, sizeof(sc));
		sc.ctx = ctx;
		for (; i < props.n && props.v[i].doc == doc; i++) {
			const struct sr_spring_prop *p = &props.v[i];
			struct segs s = { NULL, 0, 0 };
			size_t k;

			split_key(&s, p->key, p->key_pos, true);
			for (k = 1; k <= s.n; k++) {
				struct segs pre = s;

				pre.n = k;
				if (!wanted_prefix(&pre))
					break;
			}
			if (k > s.n)
				leaf(&sc, &s, p->value, NULL, p->value_pos);
			segs_pop_to(&s, 0);
			free(s.v);
		}
		add_document(ctx, &sc, doc);
		scan_release(&sc);
	}
	sr_spring_props_release(&props);
}

/* --- the finish step: layered views ----------------------------------- */

/*
 * Findings and facts already reported, so that views do not repeat them: a
 * set of pointer triples (open addressing; a linear list made the finish
 * step quadratic in the number of findings).
 */
struct seen {
	const void **v;		/* 3 per slot; slot empty when all NULL */
	size_t n;		/* triples stored */
	size_t cap;		/* slots, a power of two */
};

static size_t seen_hash(const void *a, const void *b, const void *c)
{
	size_t h = (size_t)(uintptr_t)a * 31u;

	h = (h ^ (size_t)(uintptr_t)b) * (size_t)0x9e3779b97f4a7c15ULL;
	h = (h ^ (size_t)(uintptr_t)c) * (size_t)0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static const void **seen_slot(const void **v, size_t cap, const void *a,
			      const void *b, const void *c)
{
	size_t i = seen_hash(a, b, c) & (cap - 1);

	while ((v[3 * i] || v[3 * i + 1] || v[3 * i + 2]) &&
	       !(v[3 * i] == a && v[3 * i + 1] == b && v[3 * i + 2] == c))
		i = (i + 1) & (cap - 1);
	return &v[3 * i];
}

/* Add (a, b, c), not all NULL; false when it was there already. */
static bool seen_add(struct seen *s, const void *a, const void *b,
		     const void *c)
{
	const void **slot;

	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64, i;
		const void **t = sr_xcalloc(3 * cap, sizeof(*t));

		for (i = 0; i < s->cap; i++) {
			const void **o = &s->v[3 * i];

			if (o[0] || o[1] || o[2])
				memcpy(seen_slot(t, cap, o[0], o[1], o[2]), o,
				       3 * sizeof(*o));
		}
		free(s->v);
		s->v = t;
		s->cap = cap;
	}
	slot = seen_slot(s->v, s->cap, a, b, c);
	if (slot[0] || slot[1] || slot[2])
		return false;
	slot[0] = a;
	slot[1] = b;
	slot[2] = c;
	s->n++;
	return true;
}

struct view {
	int *rank;		/* per source: precedence, -1 outside */
	bool complete;		/* built on application.*: unset = default */
	const struct entry **e;	/* its entries, sorted */
	size_t n;
};

struct fin {
	const struct sr_check_opts *opts;
	struct sr_model *m;
	const struct group *g;	/* the group being evaluated */
	const struct sr_loc **locs;	/* per entry of g: value, name */
	struct seen reported;	/* (rule, loc, entity or NULL) */
};

/*
 * An entry's location, made on first use; one per entry, since the seen
 * sets compare locations by address.
 */
static const struct sr_loc *entry_loc(struct fin *f, const struct entry *e,
				      bool name)
{
	size_t i = 2 * (size_t)(e - f->g->v) + name;

	if (!f->locs[i]) {
		const struct source *s = &f->g->src[e->src];
		struct sr_loc *loc = sr_model_alloc(f->m, sizeof(*loc));

		loc->path = s->path;
		loc->relpath = s->relpath;
		loc->pos = name ? e->name_pos : e->pos;
		f->locs[i] = loc;
	}
	return f->locs[i];
}

static const struct view *sort_view;

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;
	int c;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->config != y->config)
		return (int)x->config - (int)y->config;
	c = strcmp(x->name, y->name);
	if (c)
		return c;
	c = strcmp(x->prop, y->prop);
	if (c)
		return c;
	c = sort_view->rank[x->src] - sort_view->rank[y->src];
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Compare an entry with a key; a NULL 'prop' matches any property. */
static int cmp_key(const struct entry *e, enum kind kind, bool config,
		   const char *name, const char *prop)
{
	int c;

	if (e->kind != kind)
		return (int)e->kind - (int)kind;
	if (e->config != config)
		return (int)e->config - (int)config;
	c = strcmp(e->name, name);
	if (c || !prop)
		return c;
	return strcmp(e->prop, prop);
}

/* The first entry at or after the key, as an index. */
static size_t lower_bound(const struct view *v, enum kind kind, bool config,
			  const char *name, const char *prop)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_key(v->e[mid], kind, config, name, prop) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The value that wins for one entity's own property, or NULL. */
static const struct entry *own(const struct view *v, enum kind kind,
			       bool config, const char *name, const char *prop)
{
	size_t i = lower_bound(v, kind, config, name, prop);
	const struct entry *last = NULL;

	for (; i < v->n && !cmp_key(v->e[i], kind, config, name, prop); i++)
		last = v->e[i];
	return last;
}

/* Is the entity in the view at all? */
static const struct entry *first_of(const struct view *v, enum kind kind,
				    bool config, const char *name)
{
	size_t i = lower_bound(v, kind, config, name, NULL);

	if (i < v->n && !cmp_key(v->e[i], kind, config, name, NULL))
		return v->e[i];
	return NULL;
}

enum how { UNKNOWN, DEFAULTED, SET };

struct look {
	enum how how;
	const struct entry *e;	/* SET: where */
	unsigned depth;		/* SET: 0 the entity itself, 1 its config... */
};

/*
 * Resolve a property the way resilience4j builds the entity's config:
 * its own value, else up its inheritance chain, else the library
 * default (complete views) or unknown (partial views, and chains that
 * fail at startup: a baseConfig that does not exist, or a cycle).
 */
static struct look lookup(const struct view *v, enum kind kind, bool config,
			  const char *name, const char *prop)
{
	struct look r = { UNKNOWN, NULL, 0 };
	unsigned hops;

	for (hops = 0; hops < 32; hops++) {
		const struct entry *e = own(v, kind, config, name, prop);
		const struct entry *base;

		if (e) {
			r.how = SET;
			r.e = e;
			return r;
		}
		base = own(v, kind, config, name, "baseconfig");
		if (base && !blank(base->value)) {
			if (!first_of(v, kind, true, base->value) ||
			    ((config || kind == CB) &&
			     !strcmp(base->value, name)))
				return r;
			name = base->value;
		} else if (kind == CB) {
			if (config)
				break;
			if (first_of(v, kind, true, name)) {
				/* the config of the instance's own name, alone */
				e = own(v, kind, true, name, prop);
				if (e) {
					r.how = SET;
					r.e = e;
					r.depth++;
					return r;
				}
				break;
			}
			if (!first_of(v, kind, true, "default"))
				break;
			name = "default";
		} else {
			/* timelimiter, retry: all but default take default */
			if (!strcmp(name, "default") ||
			    !first_of(v, kind, true, "default"))
				break;
			name = "default";
		}
		config = true;
		r.depth++;
	}
	if (hops < 32 && v->complete)
		r.how = DEFAULTED;
	return r;
}

/*
 * Report a finding once over all views: per location, or per location
 * and entity ('name') when entities sharing a value differ in what the
 * value is compared with.
 */
static bool report_once(struct fin *f, const char *rule,
			const struct sr_loc *loc, const char *name)
{
	return seen_add(&f->reported, rule, loc, name);
}

/* ", from config 'shared'", ", resilience4j's default" or "". */
static void origin(char *out, size_t size, const struct look *l)
{
	if (l->how == DEFAULTED)
		snprintf(out, size, ", resilience4j's default");
	else if (l->how == SET && l->depth > 0)
		snprintf(out, size, ", from config '%s'", l->e->name);
	else
		out[0] = '\0';
}

/* " (20, from config 'shared')" style: a value and where it came from. */
static void with_origin(char *out, size_t size, const char *value,
			const struct look *l)
{
	char o[96];
	int n;

	origin(o, sizeof(o), l);
	if (o[0])
		n = snprintf(out, size, "%s (%s)", value, o + 2);
	else
		n = snprintf(out, size, "%s", value);
	if (n >= (int)size)	/* a long config name: a shortened message */
		out[size - 2] = '.';
}

static void check_window(struct fin *f, const struct view *v,
			 const struct entry *ent)
{
	struct look type, size, min;
	long long sz = DEFAULT_WINDOW, mn = DEFAULT_MIN_CALLS;
	const struct entry *at;
	char fix[160], so[128], mo[128], num[32];

	type = lookup(v, CB, ent->config, ent->name, "slidingwindowtype");
	if (type.how == UNKNOWN ||
	    (type.how == SET && !relaxed_eq(type.e->value, "countbased")))
		return;
	size = lookup(v, CB, ent->config, ent->name, "slidingwindowsize");
	min = lookup(v, CB, ent->config, ent->name, "minimumnumberofcalls");
	/*
	 * resilience4j caps the minimum at the window size (its default
	 * minimum, 100, is meant to shrink with small windows): only a
	 * minimum that is written contradicts the window.
	 */
	if (size.how == UNKNOWN || min.how != SET ||
	    (size.how == SET && !spring_int(size.e->value, &sz)) ||
	    (min.how == SET && !spring_int(min.e->value, &mn)) ||
	    sz < 1 || mn < 1 || mn <= sz)
		return;
	/* at the value the entity itself sets, the most specific one */
	if (size.how != SET || min.depth <= size.depth)
		at = min.e;
	else
		at = size.e;
	if (!report_once(f, "cb/r4j-window", entry_loc(f, at, false), NULL))
		return;
	snprintf(num, sizeof(num), "%lld", sz);
	with_origin(so, sizeof(so), num, &size);
	snprintf(num, sizeof(num), "%lld", mn);
	with_origin(mo, sizeof(mo), num, &min);
	snprintf(fix, sizeof(fix),
		 "minimumNumberOfCalls: %lld or less, or slidingWindowSize: %lld or more",
		 sz, mn);
	sr_emit_late(f->opts, entry_loc(f, at, false), "cb/r4j-window", fix,
		     "%s '%s': minimumNumberOfCalls %s exceeds slidingWindowSize %s of its COUNT_BASED window: resilience4j silently lowers it to %lld, so the breaker may open after %lld calls",
		     ent->config ? "circuit-breaker config" : "circuit breaker",
		     ent->name, mo, so, sz, sz);
}

/* Where an entity looked for a property: "the instance nor config 'x'". */
static void chain_desc(struct sr_buf *out, const struct view *v,
		       const struct entry *ent)
{
	const struct entry *base = own(v, CB, ent->config, ent->name,
				       "baseconfig");

	const char *self = ent->config ? "the config" : "the instance";

	if (base && !blank(base->value))
		sr_buf_addf(out, "neither %s nor its baseConfig '%s' sets it",
			    self, base->value);
	else if (!ent->config && first_of(v, CB, true, ent->name))
		sr_buf_addf(out, "neither %s nor config '%s' sets it", self,
			    ent->name);
	else if (!ent->config && first_of(v, CB, true, "default"))
		sr_buf_addf(out, "neither %s nor configs.default sets it",
			    self);
	else
		sr_buf_addf(out, "%s does not set it%s", self,
			    ent->config ? "" : " and there is no configs.default");
}

static void check_wait_set(struct fin *f, const struct view *v,
			   const struct entry *ent)
{
	struct look w = lookup(v, CB, ent->config, ent->name,
			       "waitdurationinopenstate");
	struct sr_buf chain = SR_BUF_INIT;
	char fix[160];

	if (w.how != DEFAULTED ||
	    !report_once(f, "cb/r4j-wait", entry_loc(f, ent, true), NULL))
		return;
	chain_desc(&chain, v, ent);
	snprintf(fix, sizeof(fix),
		 "waitDurationInOpenState: 10s (how long '%s' needs to recover), on it or in the config it inherits",
		 ent->name);
	sr_emit_late(f->opts, entry_loc(f, ent, true), "cb/r4j-wait", fix,
		     "%s '%s' has no waitDurationInOpenState (%s): it silently waits resilience4j's default 60 s before letting calls through again",
		     ent->config ? "circuit-breaker config" : "circuit breaker",
		     ent->name, chain.ptr);
	sr_buf_release(&chain);
}

/* The contract target an instance is named after, with its service. */
static const struct sr_target *target_for(struct fin *f,
					  const struct entry *ent,
					  const struct sr_service **svc)
{
	*svc = sr_model_service_for(f->m, f->g->src[ent->src].relpath);
	return *svc ? sr_service_target(*svc, ent->name) : NULL;
}

/* The effective timeoutDuration of a timelimiter instance, in ms. */
static bool timeout_of(const struct view *v, const char *name,
		       struct look *l, double *ms)
{
	*l = lookup(v, TL, false, name, "timeoutduration");
	if (l->how == DEFAULTED) {
		*ms = DEFAULT_TIMEOUT_MS;
		return true;
	}
	return l->how == SET && spring_duration(l->e->value, ms) &&
	       fabs(*ms) <= MS_LIMIT;
}

static void check_timelimiter(struct fin *f, const struct view *v,
			      const struct entry *ent)
{
	const struct sr_service *svc;
	const struct sr_target *t;
	const struct sr_loc *at;
	struct look l;
	double ms;
	bool above;
	char val[160], lim[32], fix[200], from[96];

	if (!timeout_of(v, ent->name, &l, &ms))
		return;
	t = target_for(f, ent, &svc);
	if (!t)
		return;
	above = t->has_max && ms > (double)t->max;
	if (!above && !(l.how == SET && t->has_base && ms < (double)t->base))
		return;
	fmt_ms(lim, sizeof(lim), ms);
	origin(from, sizeof(from), &l);
	if (l.how == SET)
		snprintf(val, sizeof(val), "%.60s (%s ms%s)", l.e->value, lim,
			 from);
	else
		snprintf(val, sizeof(val), "%s ms (%s)", lim, from + 2);
	/* a location only for what is reported */
	at = l.how == SET ? entry_loc(f, l.e, false) : entry_loc(f, ent, true);
	if (above) {
		if (!report_once(f, "cb/r4j-timelimiter", at, ent->name))
			return;
		snprintf(fix, sizeof(fix), "timeoutDuration: %lldms or less%s",
			 t->max, l.how == SET && l.depth == 0 ? "" :
			 ", set on the instance");
		sr_emit_late(f->opts, at, "cb/r4j-timelimiter", fix,
			     "timelimiter '%s': timeoutDuration %s is above the max %lld ms that the timeout contract of %s allows for %s",
			     ent->name, val, t->max, svc->name, t->name);
	} else {
		if (!report_once(f, "timeout/hardcoded", at, ent->name))
			return;
		snprintf(fix, sizeof(fix),
			 "timeoutDuration: %lldms (the contract's base)%s, or lower base in the contract",
			 t->base, l.depth == 0 ? "" : " on the instance");
		sr_emit_late(f->opts, at, "timeout/hardcoded", fix,
			     "timelimiter '%s': timeoutDuration %s is below the base %lld ms in the timeout contract of %s for %s: calls are cut off before the contract allows",
			     ent->name, val, t->base, svc->name, t->name);
	}
}

static void check_retry(struct fin *f, const struct view *v,
			const struct entry *ent)
{
	const struct sr_service *svc;
	const struct sr_target *t = target_for(f, ent, &svc);
	struct look a, l;
	long long attempts = DEFAULT_ATTEMPTS;
	const struct sr_loc *at;
	double ms, total;
	char num[48], tot[32], fix[160], ao[128], to[128];

	if (!t || !t->has_max || !first_of(v, TL, false, ent->name) ||
	    !timeout_of(v, ent->name, &l, &ms) || ms <= 0)
		return;
	a = lookup(v, RETRY, false, ent->name, "maxattempts");
	if (a.how == UNKNOWN ||
	    (a.how == SET && (!spring_int(a.e->value, &attempts) ||
			      attempts < 1 || attempts > 1000000)))
		return;
	total = (double)attempts * ms;
	if (total <= (double)t->max)
		return;
	at = a.how == SET && a.depth == 0 ? entry_loc(f, a.e, false)
					  : entry_loc(f, ent, true);
	if (!report_once(f, "timeout/retry-budget", at, ent->name))
		return;
	snprintf(num, sizeof(num), "%lld", attempts);
	with_origin(ao, sizeof(ao), num, &a);
	fmt_ms(tot, sizeof(tot), ms);
	snprintf(num, sizeof(num), "%s ms", tot);
	with_origin(to, sizeof(to), num, &l);
	fmt_ms(tot, sizeof(tot), total);
	if ((long long)(t->max / ms) >= 1)
		snprintf(fix, sizeof(fix),
			 "maxAttempts: %lld, or a timelimiter timeoutDuration of %lldms or less",
			 (long long)(t->max / ms), t->max / attempts);
	else
		snprintf(fix, sizeof(fix),
			 "timelimiter timeoutDuration: %lldms or less",
			 t->max / attempts);
	sr_emit_late(f->opts, at, "timeout/retry-budget", fix,
		     "retry '%s': maxAttempts %s x timelimiter timeoutDuration %s = %s ms exceeds the max %lld ms in the timeout contract of %s for %s",
		     ent->name, ao, to, tot, t->max, svc->name, t->name);
}

static void eval_view(struct fin *f, struct view *v)
{
	bool cb_instances = false;
	size_t i;

	sort_view = v;
	qsort(v->e, v->n, sizeof(*v->e), cmp_entry);
	sort_view = NULL;
	for (i = 0; i < v->n; i++)
		if (v->e[i]->kind == CB && !v->e[i]->config)
			cb_instances = true;
	for (i = 0; i < v->n; i++) {
		const struct entry *e = v->e[i];
		size_t k;

		/* once per entity, at its lowest layer's first mention */
		if (i && !cmp_key(v->e[i - 1], e->kind, e->config, e->name,
				  NULL))
			continue;
		for (k = i + 1; k < v->n && !cmp_key(v->e[k], e->kind,
						      e->config, e->name, NULL);
		     k++)
			if (v->rank[v->e[k]->src] < v->rank[e->src] ||
			    (v->rank[v->e[k]->src] == v->rank[e->src] &&
			     v->e[k]->seq < e->seq))
				e = v->e[k];
		if (e->kind == CB) {
			check_window(f, v, e);
			if (!e->config || (!cb_instances &&
					   !strcmp(e->name, "default")))
				check_wait_set(f, v, e);
		} else if (e->kind == TL && !e->config) {
			check_timelimiter(f, v, e);
		} else if (e->kind == RETRY && !e->config) {
			check_retry(f, v, e);
		}
	}
}

/* Does an on-profile condition activate profile 'p'? */
static bool cond_matches(const char *cond, const char *p)
{
	size_t n = strlen(p);
	const char *s = cond;

	if (strpbrk(cond, "!&|()"))
		return false;
	while (*s) {
		const char *comma = strchr(s, ',');
		const char *end = comma ? comma : s + strlen(s);

		s = skip_ws(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((size_t)(end - s) == n && !strncmp(s, p, n))
			return true;
		if (!comma)
			break;
		s = comma + 1;
	}
	return false;
}

static const struct group *sort_group;

static int cmp_source(const void *a, const void *b)
{
	const struct source *x = &sort_group->src[*(const size_t *)a];
	const struct source *y = &sort_group->src[*(const size_t *)b];
	int c;

	if (x->tier != y->tier)
		return (int)x->tier - (int)y->tier;
	c = strcmp(x->relpath, y->relpath);
	if (c)
		return c;
	return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* Is source 's' part of the view of profile 'p' (NULL: no profile)? */
static bool in_view(const struct source *s, const char *p)
{
	if (s->role == ROLE_PROFILE && (!p || strcmp(s->profile, p) != 0))
		return false;
	if (!s->cond)
		return true;
	return p && cond_matches(s->cond, p);
}

/*
 * The view of profile 'profile' (NULL: none), or of the one document
 * 'alone' whose condition is an expression, over the sources of a group
 * in precedence order. by_src_start[s] is source s's first entry.
 */
static void build_view(const struct group *g, const size_t *order,
		       const char *profile, const struct source *alone,
		       struct view *v, const size_t *by_src_start)
{
	size_t i, k, rank = 0, cap = 0;
	bool any = false;

	size_t n = g->nsrc;

	v->n = 0;
	v->complete = false;
	for (i = 0; i < n; i++)
		v->rank[order[i]] = -1;
	for (i = 0; i < n; i++) {
		const struct source *s = &g->src[order[i]];
		bool take;

		if (alone)
			take = s == alone ||
			       (!s->cond && (s->role != ROLE_PROFILE ||
					     (alone->role == ROLE_PROFILE &&
					      !strcmp(s->profile,
						      alone->profile))));
		else
			take = in_view(s, profile);
		if (!take)
			continue;
		v->rank[order[i]] = (int)rank++;
		if (s->role == ROLE_BASE)
			v->complete = true;
		any = true;
	}
	if (!any)
		return;
	for (i = 0; i < n; i++) {
		size_t src = order[i];

		if (v->rank[src] < 0)
			continue;
		for (k = by_src_start[src]; k < by_src_start[src + 1]; k++) {
			v->e = sr_xgrow(v->e, &cap, v->n + 1, sizeof(*v->e));
			v->e[v->n++] = &g->v[k];
		}
	}
}

/* Evaluate every view of the sources order[0..n), one group. */
static void eval_views(struct fin *f, const struct group *g,
		       const size_t *order, const size_t *by_src_start)
{
	struct view v;
	const char **profiles = NULL;
	size_t np = 0, pcap = 0, i, k, n = g->nsrc;

	memset(&v, 0, sizeof(v));
	v.rank = sr_xmalloc(n * sizeof(*v.rank));
	for (i = 0; i < n; i++) {
		const struct source *s = &g->src[order[i]];
		const char *cond = s->cond;

		if (s->role == ROLE_PROFILE) {
			profiles = sr_xgrow(profiles, &pcap, np + 1,
					    sizeof(*profiles));
			profiles[np++] = s->profile;
		}
		if (!cond || strpbrk(cond, "!&|()"))
			continue;
		/* each name of a simple list is a profile */
		while (*cond) {
			const char *comma = strchr(cond, ',');
			const char *end = comma ? comma : cond + strlen(cond);
			char *name;

			cond = skip_ws(cond);
			while (end > cond && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			name = sr_xstrndup(cond, end > cond ?
					   (size_t)(end - cond) : 0);
			if (*name) {
				profiles = sr_xgrow(profiles, &pcap, np + 1,
						    sizeof(*profiles));
				profiles[np++] = sr_model_strdup(f->m, name);
			}
			free(name);
			if (!comma)
				break;
			cond = comma + 1;
		}
	}

	build_view(g, order, NULL, NULL, &v, by_src_start);
	if (v.n)
		eval_view(f, &v);
	for (i = 0; i < np; i++) {
		for (k = 0; k < i && strcmp(profiles[k], profiles[i]); k++)
			;
		if (k < i)
			continue;	/* done already */
		build_view(g, order, profiles[i], NULL, &v, by_src_start);
		if (v.n)
			eval_view(f, &v);
	}
	/*
	 * Documents no single profile activates (an expression, or a
	 * profile file's document for another profile): each on its own,
	 * over what is active with it for sure.
	 */
	for (i = 0; i < n; i++) {
		const struct source *s = &g->src[order[i]];

		if (!s->cond || (!strpbrk(s->cond, "!&|()") &&
				 (s->role != ROLE_PROFILE ||
				  cond_matches(s->cond, s->profile))))
			continue;
		build_view(g, order, NULL, s, &v, by_src_start);
		if (v.n)
			eval_view(f, &v);
	}
	free(profiles);
	free(v.e);
	free(v.rank);
}

/*
 * Evaluate group 'g' and free it. What it reports is only about its own
 * properties, so its seen sets and locations end with it.
 */
static void eval_group(const struct sr_check_opts *opts, struct sr_model *m,
		       struct group *g)
{
	struct fin f;
	size_t *order, *by_src_start, i;

	memset(&f, 0, sizeof(f));
	f.opts = opts;
	f.m = m;
	f.g = g;
	f.locs = sr_xcalloc(2 * g->n + 1, sizeof(*f.locs));
	/* a source's entries were appended together, in order */
	by_src_start = sr_xcalloc(g->nsrc + 1, sizeof(*by_src_start));
	for (i = 0; i < g->n; i++)
		by_src_start[g->v[i].src + 1]++;
	for (i = 0; i < g->nsrc; i++)
		by_src_start[i + 1] += by_src_start[i];
	order = sr_xmalloc(g->nsrc * sizeof(*order));
	for (i = 0; i < g->nsrc; i++)
		order[i] = i;
	sort_group = g;
	qsort(order, g->nsrc, sizeof(*order), cmp_source);
	sort_group = NULL;
	eval_views(&f, g, order, by_src_start);
	free(order);
	free(by_src_start);
	free(f.locs);
	free(f.reported.v);
	/* a key seen again (files out of order) starts a new group */
	*sr_strmap_put(&st.by_key, g->key, strlen(g->key)) = NULL;
	group_free(g);
}

/*
 * When files arrive in tree order (check.h), a group whose service
 * directory the walk has left can be evaluated now: every file of the group
 * and the service's contract have been read, and no deeper contract can
 * come (it would be in a directory already left). Memory then follows one
 * service, not the repository. A group with no service yet waits (a
 * contract further up may still come) and is evaluated in finish.
 */
static void eval_left_groups(struct sr_ctx *ctx)
{
	const struct sr_check_opts *opts = sr_ctx_opts(ctx);
	struct sr_model *m = st.model;
	const char *relpath = sr_ctx_relpath(ctx);
	size_t i, kept = 0;

	if (!opts->tree_order)
		return;
	for (i = 0; i < st.nopen; i++) {
		struct group *g = st.open[i];

		if (sr_model_service_left(m, g->src[0].relpath,
					  &g->services_seen, relpath))
			eval_group(opts, m, g);
		else
			st.open[kept++] = g;
	}
	st.nopen = kept;
}

/* --- cb/missing ------------------------------------------------------- */

static bool upstream_direction(const char *d)
{
	return d && (!strcmp(d, "upstream") || !strcmp(d, "inbound") ||
		     !strcmp(d, "ingress"));
}

/* The model's breakers by name: a chain of index + 1 through 'next'. */
struct breaker_index {
	struct sr_strmap by_name;
	size_t *next;
};

static void breaker_index_build(struct breaker_index *bi,
				const struct sr_model *m)
{
	size_t i;

	memset(&bi->by_name, 0, sizeof(bi->by_name));
	bi->next = sr_xcalloc(m->breakers.n + 1, sizeof(*bi->next));
	for (i = m->breakers.n; i-- > 0;) {
		const char *name = m->breakers.v[i].name;
		void **head;

		if (!name)
			continue;
		head = sr_strmap_put(&bi->by_name, name, strlen(name));
		bi->next[i] = (size_t)(uintptr_t)*head;
		*head = (void *)(uintptr_t)(i + 1);
	}
}

static void breaker_index_release(struct breaker_index *bi)
{
	sr_strmap_release(&bi->by_name);
	free(bi->next);
}

static bool has_breaker(const struct sr_model *m,
			const struct breaker_index *bi,
			const struct sr_service *svc, const char *name)
{
	size_t i = (size_t)(uintptr_t)sr_strmap_get(&bi->by_name, name,
						     strlen(name));

	for (; i; i = bi->next[i - 1]) {
		const struct sr_breaker *b = &m->breakers.v[i - 1];
		const struct sr_service *owner;

		if (b->kind == SR_BREAKER_ISTIO)
			return true;
		/* a resilience4j breaker protects the calls of its service */
		owner = b->loc ? sr_model_service_for(m, b->loc->relpath) : NULL;
		if (!owner || owner == svc)
			return true;
	}
	return false;
}

/*
 * Which services' breakers srctl would see declared (per service index)? Its
 * Spring configuration or Java code, or a service mesh in the tree.
 * Without either, a missing breaker may live in code srctl cannot read
 * (a Go service's library), so nothing is reported.
 */
static bool *breakers_visible(const struct sr_model *m, bool mesh)
{
	bool *visible = sr_xcalloc(m->nservices + 1, sizeof(*visible));
	size_t i;

	for (i = 0; i < m->nservices; i++)
		visible[i] = mesh;
	for (i = 0; !mesh && i < st.ndirs; i++) {
		struct sr_buf probe = SR_BUF_INIT;
		const struct sr_service *svc;

		/* service_for takes a file: any name in the directory */
		sr_buf_addf(&probe, "%s%s.", st.dirs[i], *st.dirs[i] ? "/" : "");
		svc = sr_model_service_for(m, probe.ptr);
		sr_buf_release(&probe);

		if (svc)
			visible[svc - m->services] = true;
	}
	return visible;
}

static void check_missing(struct fin *f)
{
	const struct sr_model *m = f->m;
	struct breaker_index bi;
	bool mesh = false, *visible;
	size_t i, k;

	for (i = 0; i < m->breakers.n && !mesh; i++)
		mesh = m->breakers.v[i].kind == SR_BREAKER_ISTIO;
	mesh = mesh || m->nroutes;
	breaker_index_build(&bi, m);
	visible = breakers_visible(m, mesh);
	for (i = 0; i < m->nservices; i++) {
		const struct sr_service *svc = &m->services[i];

		if (!visible[i])
			continue;
		for (k = 0; k < svc->ntargets; k++) {
			const struct sr_target *t = &svc->targets[k];
			char fix[256];

			if (upstream_direction(t->direction) || !t->loc ||
			    has_breaker(m, &bi, svc, t->name))
				continue;
			snprintf(fix, sizeof(fix),
				 "add resilience4j.circuitbreaker.instances.%s (and a fallbackMethod where it is called), or an Istio DestinationRule with outlierDetection for %s",
				 t->name, t->name);
			sr_emit_late(f->opts, t->loc, "cb/missing", fix,
				     "target '%s' of %s has no circuit breaker: no resilience4j instance named '%s' in the service and no DestinationRule for host '%s'",
				     t->name, svc->name, t->name, t->name);
		}
	}
	breaker_index_release(&bi);
	free(visible);
}

static int cmp_group_key(const void *a, const void *b)
{
	const struct group *x = *(const struct group *const *)a;
	const struct group *y = *(const struct group *const *)b;

	return strcmp(x->key, y->key);
}

static void finish(const struct sr_check_opts *opts, struct sr_model *m)
{
	struct fin f;
	size_t i;

	if (!m)
		return;
	if (st.model != m)
		state_reset();	/* nothing of this run */
	if (st.nopen)
		qsort(st.open, st.nopen, sizeof(*st.open), cmp_group_key);
	for (i = 0; i < st.nopen; i++)
		eval_group(opts, m, st.open[i]);
	st.nopen = 0;
	memset(&f, 0, sizeof(f));
	f.opts = opts;
	f.m = m;
	check_missing(&f);
	state_reset();
}

const struct sr_validator sr_validator_spring = {
	"spring",
	detect,
	check,
	finish,
	wants_text,
	check_text,
};

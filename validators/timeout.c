/*
 * The timeout contract (SPEC.md 4.1): timeout.yaml declares, per
 * <protocol>.<direction>.<target>, {base, multiplier, max} in integer
 * milliseconds and optional retries {attempts, per_try}.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/duration.h"
#include "validators.h"
#include "base/banned.h"

#define TARGET_LEVEL 3
/*
 * Durations beyond this (about 31 years) are not timeouts anyone means;
 * arithmetic on them is skipped rather than allowed to overflow.
 */
#define MS_LIMIT 1e12

/*
 * A mapping that sets a target's own scalar fields. (A direction may well
 * hold a target named "retries" or even "max": those values are mappings.)
 */
static bool is_target(const struct sr_node *n)
{
	size_t i;

	if (!sr_node_is_map(n))
		return false;
	for (i = 0; i < n->u.map.n; i++) {
		const char *k = sr_node_str(n->u.map.pairs[i].key);
		if (k && (!strcmp(k, "base") || !strcmp(k, "max") ||
			  !strcmp(k, "multiplier")) &&
		    n->u.map.pairs[i].value->type == SR_NODE_SCALAR)
			return true;
	}
	return false;
}

/* Does a target sit at the contract's depth below this node? */
static bool has_target_at(const struct sr_node *n, int levels)
{
	size_t i;

	if (!sr_node_is_map(n))
		return false;
	if (levels == 0)
		return is_target(n);
	for (i = 0; i < n->u.map.n; i++)
		if (has_target_at(n->u.map.pairs[i].value, levels - 1))
			return true;
	return false;
}

static bool named_contract(const char *name)
{
	return !strcmp(name, "timeout.yaml") || !strcmp(name, "timeout.yml");
}

static bool detect(const char *name, const char *relpath,
		   const struct sr_doc *doc)
{
	(void)relpath;
	if (named_contract(name))
		return sr_node_is_map(doc->root);
	return has_target_at(sr_map_get(doc->root, "http"), 2) ||
	       has_target_at(sr_map_get(doc->root, "grpc"), 2);
}

/* A duration value read from the contract, as far as it could be. */
struct duration {
	const struct sr_node *node;	/* NULL: absent */
	bool known;			/* ms holds the intended value */
	long long ms;
};

/* Milliseconds for a message: whole numbers, or %g when astronomical. */
static void fmt_ms(char *out, size_t size, double ms)
{
	snprintf(out, size, fabs(ms) < 1e15 ? "%.0f" : "%.3g", ms);
}

/*
 * Read a duration field. Anything but an integer is timeout/unit; the
 * value it most likely means is still used for the other checks.
 */
static struct duration read_duration(struct sr_ctx *ctx,
				     const struct sr_node *target,
				     const char *field, const char *path)
{
	struct duration d = { NULL, false, 0 };
	const struct sr_node *n = sr_map_get(target, field);
	const char *s;
	double ms;
	char val[32], fix[96];
	long long i;

	if (!n || sr_node_is_null(n))
		return d;
	d.node = n;
	if (sr_node_int(n, &i)) {
		d.known = i >= -MS_LIMIT && i <= MS_LIMIT;
		d.ms = i;
		if (!d.known)
			sr_emit(ctx, "timeout/bounds", n, NULL,
				"%s.%s %lld ms is not a plausible timeout (over 31 years)",
				path, field, i);
		return d;
	}
	s = sr_node_str(n);
	if (sr_node_float(n, false, &ms) && fabs(ms) <= MS_LIMIT) {
		fmt_ms(val, sizeof(val), ms);
		snprintf(fix, sizeof(fix), "%s: %s", field, val);
		sr_emit(ctx, "timeout/unit", n, fix,
			"%s.%s must be an integer count of milliseconds, got %s",
			path, field, s);
		d.known = true;
		d.ms = llround(ms);
		return d;
	}
	if (s && n->type == SR_NODE_SCALAR && sr_duration_parse_ms(s, &ms) &&
	    fabs(ms) <= MS_LIMIT) {
		fmt_ms(val, sizeof(val), ms);
		snprintf(fix, sizeof(fix), "%s: %s", field, val);
		sr_emit(ctx, "timeout/unit", n, fix,
			"%s.%s must be an integer count of milliseconds, got \"%s\" (%s ms)",
			path, field, s, val);
		d.known = true;
		d.ms = llround(ms);
		return d;
	}
	if (s && !strcmp(sr_node_type_name(n), "string"))
		sr_emit(ctx, "timeout/unit", n, NULL,
			"%s.%s must be an integer count of milliseconds, got \"%s\"",
			path, field, s);
	else
		sr_emit(ctx, "timeout/unit", n, NULL,
			"%s.%s must be an integer count of milliseconds, got %s%s%s",
			path, field, sr_node_type_name(n), s ? " " : "",
			s ? s : "");
	return d;
}

static void check_retries(struct sr_ctx *ctx, const struct sr_node *retries,
			  const char *path, const struct duration *max)
{
	struct sr_buf rpath = SR_BUF_INIT;
	const struct sr_node *an;
	struct duration per_try;
	long long attempts;

	if (!sr_node_is_map(retries)) {
		sr_emit(ctx, "timeout/depth", retries, NULL,
			"%s.retries must be a mapping {attempts, per_try}, got %s",
			path, sr_node_type_name(retries));
		return;
	}
	sr_buf_addf(&rpath, "%s.retries", path);
	per_try = read_duration(ctx, retries, "per_try", rpath.ptr);
	an = sr_map_get(retries, "attempts");
	if (!an) {
		sr_buf_release(&rpath);
		return;
	}
	if (!sr_node_int(an, &attempts) || attempts < 1) {
		sr_emit(ctx, "timeout/bounds", an, NULL,
			"%s.attempts must be a positive integer, got %s",
			rpath.ptr, sr_node_str(an) ? sr_node_str(an) : sr_node_type_name(an));
	} else if (per_try.known && max->known && per_try.ms > 0 &&
		   (double)attempts * (double)per_try.ms > (double)max->ms) {
		long long fit = max->ms / per_try.ms;
		char total[32], fix[128];

		fmt_ms(total, sizeof(total),
		       (double)attempts * (double)per_try.ms);
		if (fit >= 1)
			snprintf(fix, sizeof(fix),
				 "attempts: %lld, or raise max to %s", fit, total);
		else
			snprintf(fix, sizeof(fix), "per_try: %lld or less",
				 max->ms / attempts);
		sr_emit(ctx, "timeout/retry-budget", retries, fix,
			"%s: %lld attempts x per_try %lld ms = %s ms exceeds max %lld ms",
			rpath.ptr, attempts, per_try.ms, total, max->ms);
	}
	sr_buf_release(&rpath);
}

/* The contract being checked, and where its targets are recorded. */
struct contract {
	struct sr_ctx *ctx;
	struct sr_service *svc;		/* NULL: no model in this run */
	const char *keys[TARGET_LEVEL];	/* protocol, direction, target */
};

/* Record a well-placed target's bounds for the cross-file rules. */
static void record(struct contract *c, const struct sr_pair *pair,
		   const struct duration *base, const struct duration *max,
		   double mult)
{
	struct sr_target t;

	if (!c->svc)
		return;
	memset(&t, 0, sizeof(t));
	t.protocol = c->keys[0];
	t.direction = c->keys[1];
	t.name = c->keys[2];
	t.has_base = base->known;
	t.base = base->ms;
	t.has_max = max->known;
	t.max = max->ms;
	t.multiplier = mult;
	t.loc = sr_ctx_loc(c->ctx, pair->key);
	sr_model_add_target(sr_ctx_model(c->ctx), c->svc, &t);
}

static void check_target(struct contract *c, const struct sr_pair *pair,
			 const char *path, bool well_placed)
{
	struct sr_ctx *ctx = c->ctx;
	const struct sr_node *t = pair->value;
	struct duration base, max;
	const struct sr_node *mn;
	double mult = 1;
	bool mult_ok = true;

	if (!sr_node_is_map(t)) {
		sr_emit(ctx, "timeout/depth", t, NULL,
			"target %s must be a mapping {base, multiplier, max}, got %s",
			path, sr_node_type_name(t));
		return;
	}
	base = read_duration(ctx, t, "base", path);
	max = read_duration(ctx, t, "max", path);

	mn = sr_map_get(t, "multiplier");
	if (mn && !sr_node_is_null(mn)) {
		if (!sr_node_float(mn, true, &mult) || !isfinite(mult)) {
			sr_emit(ctx, "timeout/bounds", mn, NULL,
				"%s.multiplier must be a number >= 1, got %s",
				path, sr_node_type_name(mn));
			mult_ok = false;
		} else if (mult < 1) {
			sr_emit(ctx, "timeout/bounds", mn, "multiplier: 1.5",
				"%s.multiplier %g is below 1: timeouts would shrink under load",
				path, mult);
			mult_ok = false;
		}
	}

	if (!base.node) {
		sr_emit(ctx, "timeout/bounds", pair->key, NULL,
			"target %s has no base timeout", path);
	} else if (base.known && base.ms <= 0) {
		sr_emit(ctx, "timeout/bounds", base.node, NULL,
			"%s.base must be positive, got %lld", path, base.ms);
	}
	if (!max.node) {
		char fix[64] = "add max: <largest timeout the caller can afford>";
		double guess = (double)base.ms * (mult > 1 ? mult : 2) * 2;

		if (base.known && base.ms > 0 && mult_ok && guess <= MS_LIMIT)
			snprintf(fix, sizeof(fix), "add max, e.g. max: %.0f", guess);
		sr_emit(ctx, "timeout/missing-max", pair->key, fix,
			"target %s has no max: adjustments are unbounded", path);
	} else if (base.known && max.known && base.ms > 0 && max.ms < base.ms) {
		sr_emit(ctx, "timeout/bounds", max.node, NULL,
			"%s.max %lld ms is below base %lld ms", path, max.ms,
			base.ms);
	} else if (base.known && max.known && base.ms > 0 && mult_ok &&
		   mn && (double)base.ms * mult > (double)max.ms) {
		char step[32], fit[32], fix[96];
		size_t n;

		fmt_ms(step, sizeof(step), ceil((double)base.ms * mult));
		/* the largest multiplier with two decimals that still fits */
		snprintf(fit, sizeof(fit), "%.2f",
			 floor((double)max.ms / (double)base.ms * 100) / 100);
		n = strlen(fit);
		while (n > 1 && fit[n - 1] == '0')
			fit[--n] = '\0';
		if (fit[n - 1] == '.')
			fit[--n] = '\0';
		snprintf(fix, sizeof(fix), "multiplier: %s, or max: %s", fit,
			 step);
		sr_emit(ctx, "timeout/step-clamped", mn, fix,
			"%s: base %lld ms x multiplier %g = %s ms exceeds max %lld ms, so every dynamic step is clamped",
			path, base.ms, mult, step, max.ms);
	}

	if (sr_map_get(t, "retries"))
		check_retries(ctx, sr_map_get(t, "retries"), path, &max);
	if (well_placed)
		record(c, pair, &base, &max, mult_ok ? mult : 1);
}

/*
 * Walk the contract: level 1 protocols, 2 directions, 3 targets. A target
 * found at any other level is reported and still checked.
 */
static void walk(struct contract *c, const struct sr_pair *pair, int level,
		 struct sr_buf *path)
{
	struct sr_ctx *ctx = c->ctx;
	const struct sr_node *n = pair->value;
	size_t i, mark = path->len;
	const char *key = sr_node_str(pair->key);

	if (path->len)
		sr_buf_addc(path, '.');
	sr_buf_adds(path, key ? key : "?");
	if (level <= TARGET_LEVEL)
		c->keys[level - 1] = key ? key : "?";

	if (is_target(n) || (level == TARGET_LEVEL && !has_target_at(n, 1))) {
		if (level != TARGET_LEVEL)
			sr_emit(ctx, "timeout/depth", pair->key,
				"put it under <protocol>.<direction>.<target>",
				"target %s is nested %d level%s deep; a contract nests exactly 3: <protocol>.<direction>.<target>",
				path->ptr, level, level == 1 ? "" : "s");
		check_target(c, pair, path->ptr, level == TARGET_LEVEL);
	} else if (!sr_node_is_map(n)) {
		sr_emit(ctx, "timeout/depth", n, NULL,
			"%s must be a mapping of %s, got %s", path->ptr,
			level == 1 ? "directions" : "targets",
			sr_node_type_name(n));
	} else {
		for (i = 0; i < n->u.map.n; i++)
			walk(c, &n->u.map.pairs[i], level + 1, path);
	}
	path->len = mark;
	if (path->ptr)
		path->ptr[mark] = '\0';
}

/*
 * The service this contract belongs to: named by its 'service' key or by
 * its directory (SPEC.md section 5).
 */
static struct sr_service *service_of(struct sr_ctx *ctx,
				     const struct sr_node *root)
{
	struct sr_model *m = sr_ctx_model(ctx);
	const char *relpath = sr_ctx_relpath(ctx);
	const char *slash = strrchr(relpath, '/');
	const char *name = sr_node_str(sr_map_get(root, "service"));
	struct sr_buf dir = SR_BUF_INIT;
	struct sr_service *svc;

	if (!m)
		return NULL;
	if (slash)
		sr_buf_add(&dir, relpath, (size_t)(slash - relpath));
	else
		sr_buf_adds(&dir, "");
	if (!name) {
		const char *base = strrchr(dir.ptr, '/');
		name = base ? base + 1 : dir.ptr;
		if (!*name)
			name = "(root)";
	}
	svc = sr_model_service(m, name, dir.ptr, sr_ctx_loc(ctx, NULL));
	sr_buf_release(&dir);
	return svc;
}

static void check(struct sr_ctx *ctx, const struct sr_doc *doc)
{
	const struct sr_node *root = doc->root;
	struct sr_buf path = SR_BUF_INIT;
	struct contract c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.svc = service_of(ctx, root);
	for (i = 0; i < root->u.map.n; i++) {
		const struct sr_pair *p = &root->u.map.pairs[i];

		/* the service's own name, not a protocol */
		if (sr_node_eq(p->key, "service"))
			continue;
		/*
		 * A document recognised by its content may hold other things
		 * (apiVersion, metadata, ...): only its protocol maps count.
		 */
		if (!named_contract(sr_ctx_name(ctx)) &&
		    !has_target_at(p->value, 2))
			continue;
		walk(&c, p, 1, &path);
	}
	if (c.svc)
		sr_model_trim_targets(c.svc);
	sr_buf_release(&path);
}

static bool is_downstream(const struct sr_target *t)
{
	return t->direction && !strcmp(t->direction, "downstream");
}

/* The callee's longest bounded downstream wait, or NULL. */
static const struct sr_target *longest_wait(const struct sr_service *svc)
{
	const struct sr_target *worst = NULL;
	size_t i;

	for (i = 0; i < svc->ntargets; i++) {
		const struct sr_target *t = &svc->targets[i];

		if (is_downstream(t) && t->has_max && t->max > 0 &&
		    t->max <= MS_LIMIT &&
		    (!worst || t->max > worst->max))
			worst = t;
	}
	return worst;
}

/*
 * timeout/inversion: a caller that gives up on a service sooner than the
 * service may itself wait for one of its dependencies turns every slow
 * dependency into a failed request, while the callee keeps working on it.
 */
static void finish(const struct sr_check_opts *opts, struct sr_model *m)
{
	size_t i, k;

	for (i = 0; i < m->nservices; i++) {
		const struct sr_service *caller = &m->services[i];

		for (k = 0; k < caller->ntargets; k++) {
			const struct sr_target *t = &caller->targets[k];
			const struct sr_service *callee;
			const struct sr_target *w;
			char fix[200];

			if (!is_downstream(t) || !t->has_max || !t->loc ||
			    t->max > MS_LIMIT)
				continue;
			callee = sr_model_service_named(m, t->name);
			if (!callee || callee == caller)
				continue;
			w = longest_wait(callee);
			if (!w || t->max >= w->max)
				continue;
			snprintf(fix, sizeof(fix),
				 "raise max towards %s to at least %lld ms, or lower %s's max towards %s",
				 t->name, w->max, callee->name, w->name);
			sr_emit_late(opts, t->loc, "timeout/inversion", fix,
				     "%s waits at most %lld ms for %s (%s.%s.%s), but %s's own contract lets it wait up to %lld ms for %s: callers give up while it is still working",
				     caller->name, t->max, callee->name,
				     t->protocol, t->direction, t->name,
				     callee->name, w->max, w->name);
		}
	}
}

const struct sr_validator sr_validator_timeout = {
	"timeout-contract",
	detect,
	check,
	finish,
	NULL,
	NULL,
};

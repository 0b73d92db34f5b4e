/*
 * Kubernetes workloads (SPEC.md 3 and 4.3): finds every container of a
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
 * Pod, Job or CronJob, in multi-document files and in List objects, hands
 * each to the probe checks (k8s_probe.c), and compares each readiness
 * probe's include= list with the timeout contract of the service the
 * workload belongs to once that contract is whole (deferred.h):
 * probe/readiness-deps, probe/readiness-undeclared, the dependency part of
 * probe/timing.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "deferred.h"
#include "k8s.h"
#include "validators.h"
#include "base/banned.h"

/* Where a workload kind keeps its pod spec, and whether it runs forever. */
struct kind {
	const char *name;
	const char *const *path;	/* keys from the object to the pods */
	bool long_running;
};

static const char *const pod_path[] = { "spec", NULL };
static const char *const template_path[] = { "spec", "template", "spec",
					     NULL };
static const char *const cronjob_path[] = { "spec", "jobTemplate", "spec",
					    "template", "spec", NULL };

static const struct kind kinds[] = {
	{ "Deployment", template_path, true },
	{ "StatefulSet", template_path, true },
	{ "DaemonSet", template_path, true },
	{ "ReplicaSet", template_path, true },
	{ "ReplicationController", template_path, true },
	{ "Pod", pod_path, true },	/* unless restartPolicy says otherwise */
	{ "Job", template_path, false },
	{ "CronJob", cronjob_path, false },
};

static const struct kind *find_kind(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}

/*
 * Is this apiVersion one of the built-in groups workloads live in? Custom
 * resources that reuse a kind name (a CRD's "Deployment") are not ours.
 */
static bool builtin_api(const char *api)
{
	static const char *const groups[] = { "apps/", "extensions/", "batch/" };
	size_t i;

	if (!api)
		return false;
	if (!strchr(api, '/'))
		return api[0] == 'v';	/* the core group: "v1" */
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (!strncmp(api, groups[i], strlen(groups[i])))
			return true;
	return false;
}

/* "List", "DeploymentList", ...: the kind of the items, or "" for List. */
static const char *list_item_kind(const char *kind, struct sr_buf *out)
{
	size_t n;

	if (!kind)
		return NULL;
	n = strlen(kind);
	if (n < 4 || strcmp(kind + n - 4, "List") != 0)
		return NULL;
	sr_buf_reset(out);
	sr_buf_add(out, kind, n - 4);
	return sr_buf_cstr(out);
}

static bool is_workload(const struct sr_node *obj)
{
	const char *kind = sr_node_str(sr_map_get(obj, "kind"));
	const char *api = sr_node_str(sr_map_get(obj, "apiVersion"));

	return find_kind(kind) && builtin_api(api);
}

static bool detect(const char *name, const char *relpath,
		   const struct sr_doc *doc)
{
	const struct sr_node *root = doc->root;
	const char *kind = sr_node_str(sr_map_get(root, "kind"));
	struct sr_buf item = SR_BUF_INIT;
	bool list;

	(void)name;
	(void)relpath;
	if (!sr_node_is_map(root))
		return false;
	if (is_workload(root))
		return true;
	list = list_item_kind(kind, &item) &&
	       builtin_api(sr_node_str(sr_map_get(root, "apiVersion"))) &&
	       sr_node_is_seq(sr_map_get(root, "items"));
	sr_buf_release(&item);
	return list;
}

/* The pod spec at 'path' below 'obj', or NULL when any step is not a map. */
static const struct sr_node *pod_spec(const struct sr_node *obj,
				      const char *const *path)
{
	const struct sr_node *n = obj;

	for (; *path; path++) {
		n = sr_map_get(n, *path);
		if (!sr_node_is_map(n))
			return NULL;
	}
	return n;
}

const struct sr_node *sr_k8s__pod_of(const struct sr_node *obj)
{
	if (!sr_node_is_map(obj) || !is_workload(obj))
		return NULL;
	return pod_spec(obj, find_kind(sr_node_str(sr_map_get(obj,
							      "kind")))->path);
}

static void check_containers(struct sr_ctx *ctx, const char *workload,
			     const struct sr_node *pod, unsigned pod_id,
			     bool long_running, bool init)
{
	const struct sr_node *list =
		sr_map_get(pod, init ? "initContainers" : "containers");
	char index[32];
	size_t i;

	if (!sr_node_is_seq(list))
		return;
	for (i = 0; i < list->u.seq.n; i++) {
		const struct sr_node *cn = list->u.seq.items[i];
		struct sr_k8s_container c;

		if (!sr_node_is_map(cn))
			continue;
		memset(&c, 0, sizeof(c));
		c.sidecar = init && sr_node_eq(sr_map_get(cn, "restartPolicy"),
					       "Always");
		/*
		 * A plain init container runs to completion before the
		 * others start; Kubernetes accepts no probes on it.
		 */
		if (init && !c.sidecar)
			continue;
		c.ctx = ctx;
		c.workload = workload;
		c.name = sr_node_str(sr_map_get(cn, "name"));
		if (!c.name || !*c.name) {
			snprintf(index, sizeof(index), "#%zu", i + 1);
			c.name = index;
		}
		c.node = cn;
		c.pod = pod;
		c.required = long_running;
		c.pod_id = pod_id;
		sr_k8s__check_container(&c);
	}
}

static void check_workload(struct sr_ctx *ctx, const struct sr_node *obj,
			   const struct kind *k)
{
	const struct sr_node *pod = pod_spec(obj, k->path);
	const char *name = sr_node_str(sr_map_path(obj, "metadata", "name",
						   NULL));
	struct sr_buf workload = SR_BUF_INIT;
	bool long_running = k->long_running;
	const char *restart;
	unsigned pod_id;

	if (!pod)
		return;
	if (!name || !*name)
		name = sr_node_str(sr_map_path(obj, "metadata",
					       "generateName", NULL));
	sr_buf_addf(&workload, "%s/%s", k->name, name && *name ? name : "?");
	/* a bare Pod that is not restarted is a one-off task, like a Job */
	restart = sr_node_str(sr_map_get(pod, "restartPolicy"));
	if (!strcmp(k->name, "Pod") && restart &&
	    (!strcmp(restart, "Never") || !strcmp(restart, "OnFailure")))
		long_running = false;
	/* one id per pod for the run (only finish() needs it) */
	pod_id = sr_ctx_model(ctx) ? sr_model_serial(sr_ctx_model(ctx)) : 0;
	check_containers(ctx, workload.ptr, pod, pod_id, long_running, false);
	check_containers(ctx, workload.ptr, pod, pod_id, long_running, true);
	sr_buf_release(&workload);
}

/* An object, or the items of a List; 'item_kind' for typed lists' items. */
static void check_object(struct sr_ctx *ctx, const struct sr_node *obj,
			 const char *item_kind, int depth)
{
	const char *kind = sr_node_str(sr_map_get(obj, "kind"));
	struct sr_buf ik = SR_BUF_INIT;
	const struct sr_node *items;
	const struct kind *k;
	size_t i;

	if (!sr_node_is_map(obj))
		return;
	if (!kind && item_kind && *item_kind)
		kind = item_kind;
	k = find_kind(kind);
	if (k) {
		const char *api = sr_node_str(sr_map_get(obj, "apiVersion"));
		/* a typed list's items may leave apiVersion out */
		if (builtin_api(api) || (!api && item_kind))
			check_workload(ctx, obj, k);
		return;
	}
	items = sr_map_get(obj, "items");
	if (depth > 2 || !list_item_kind(kind, &ik) || !sr_node_is_seq(items)) {
		sr_buf_release(&ik);
		return;
	}
	for (i = 0; i < items->u.seq.n; i++)
		check_object(ctx, items->u.seq.items[i], ik.ptr, depth + 1);
	sr_buf_release(&ik);
}

static void release_probe(void *fact)
{
	struct sr_k8s_readiness *r = fact;
	size_t i;

	free((char *)r->workload);
	free((char *)r->container);
	for (i = 0; i < r->ninclude; i++)
		free((char *)r->include[i]);
	free((char **)r->include);
}

static void check_file(const struct sr_check_opts *opts,
		       const struct sr_deferred_file *f,
		       const struct sr_service *svc);

/* Readiness probes (struct sr_k8s_readiness), until their contract is whole. */
static struct sr_deferred probes = {
	.size = sizeof(struct sr_k8s_readiness),
	.decide = check_file,
	.release = release_probe,
};

static void check(struct sr_ctx *ctx, const struct sr_doc *doc)
{
	sr_deferred_left(&probes, ctx);
	check_object(ctx, doc->root, NULL, 0);
}

void sr_k8s__record_readiness(struct sr_ctx *ctx,
			      const struct sr_k8s_readiness *r,
			      const struct sr_node *at)
{
	struct sr_model *m = sr_ctx_model(ctx);
	const struct sr_loc *loc = NULL;
	struct sr_k8s_readiness *c;
	char **names = NULL;
	size_t i;

	if (!m)
		return;
	/* the names as check-deps references, which keep a location */
	if (m->keep_refs && r->ninclude)
		loc = sr_ctx_loc(ctx, at);
	for (i = 0; i < r->ninclude; i++) {
		struct sr_dep_ref ref;

		ref.kind = SR_REF_READINESS;
		ref.name = r->include[i];
		ref.loc = loc;
		sr_model_add_ref(m, &ref);
	}
	c = sr_deferred_add(&probes, ctx);
	*c = *r;
	c->workload = sr_xstrdup(r->workload);
	c->container = sr_xstrdup(r->container);
	if (r->ninclude)
		names = sr_xcalloc(r->ninclude, sizeof(*names));
	for (i = 0; i < r->ninclude; i++)
		names[i] = sr_xstrdup(r->include[i]);
	c->include = (const char *const *)names;
}

/* The dependencies a service's contract declares (not its callers). */
static size_t contract_deps(const char ***out, const struct sr_service *svc)
{
	const char **v = sr_xcalloc(svc->ntargets + 1, sizeof(*v));
	size_t i, j, n = 0;

	for (i = 0; i < svc->ntargets; i++) {
		const struct sr_target *t = &svc->targets[i];

		if (t->direction && !strcmp(t->direction, "upstream"))
			continue;
		for (j = 0; j < n && strcmp(v[j], t->name) != 0; j++)
			;
		if (j == n)
			v[n++] = t->name;
	}
	*out = v;
	return n;
}

static bool listed(const struct sr_k8s_readiness *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->ninclude; i++)
		if (!strcmp(r->include[i], name))
			return true;
	return false;
}

static bool in_deps(const char *const *deps, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(deps[i], name))
			return true;
	return false;
}

/* The fix: the readiness path with the include= list the contract asks. */
static void want_include(struct sr_buf *fix, const struct sr_check_opts *opts,
			 const char *const *deps, size_t ndeps)
{
	const struct sr_config *cfg = opts->config;
	const char *path = cfg && cfg->readiness_path && *cfg->readiness_path ?
			   cfg->readiness_path : "/health/ready";
	size_t i;

	sr_buf_addf(fix, "path: \"%.*s?include=", (int)strcspn(path, "?#"),
		    path);
	for (i = 0; i < ndeps; i++)
		sr_buf_addf(fix, "%s%s", i ? "," : "", deps[i]);
	sr_buf_addc(fix, '"');
}

/* The readiness probes of one pod: v[first, end) of the file's. */
struct pod {
	const struct sr_deferred_file *f;
	const struct sr_k8s_readiness *v;
	size_t first, end;
};

static bool pod_lists(const struct pod *pod, const char *name)
{
	size_t i;

	for (i = pod->first; i < pod->end; i++)
		if (listed(&pod->v[i], name))
			return true;
	return false;
}

/*
 * The fact to report missing dependencies at: the container that checks
 * dependencies, else the first that is not a sidecar; none when only
 * sidecars have readiness probes (probe/readiness-missing covers that).
 */
static size_t pod_reporter(const struct pod *pod)
{
	size_t i;

	for (i = pod->first; i < pod->end; i++)
		if (pod->v[i].has_include)
			return i;
	for (i = pod->first; i < pod->end; i++)
		if (!pod->v[i].sidecar)
			return i;
	return pod->end;
}

/*
 * probe/readiness-deps: the pod is ready only when all its containers are,
 * so the contract's dependencies may be checked by any of them.
 */
static void check_pod_deps(const struct sr_check_opts *opts,
			   const struct pod *pod, const struct sr_service *svc,
			   const char *const *deps, size_t ndeps)
{
	struct sr_buf missing = SR_BUF_INIT, fix = SR_BUF_INIT;
	const struct sr_k8s_readiness *r;
	struct sr_loc loc;
	size_t i, at, nmissing = 0;

	for (i = 0; i < ndeps; i++)
		if (!pod_lists(pod, deps[i]))
			sr_buf_addf(&missing, "%s%s", nmissing++ ? ", " : "",
				    deps[i]);
	at = pod_reporter(pod);
	if (!nmissing || at == pod->end) {
		sr_buf_release(&missing);
		return;
	}
	r = &pod->v[at];
	loc = sr_deferred_loc(pod->f, r->pos);
	want_include(&fix, opts, deps, ndeps);
	if (r->has_include)
		sr_emit_late(opts, &loc, "probe/readiness-deps", fix.ptr,
			     "readiness probe of container '%s' in %s does not check %s from the timeout contract of %s",
			     r->container, r->workload, missing.ptr,
			     svc->name);
	else if (strcmp(r->handler, "httpGet") != 0)
		sr_emit_late(opts, &loc, "probe/readiness-deps", fix.ptr,
			     "readiness probe of container '%s' in %s (%s) cannot check the dependencies in the timeout contract of %s (%s): use an httpGet probe with an include= list",
			     r->container, r->workload, r->handler,
			     svc->name, missing.ptr);
	else
		sr_emit_late(opts, &loc, "probe/readiness-deps", fix.ptr,
			     "readiness probe of container '%s' in %s has no include= list; the timeout contract of %s declares %s",
			     r->container, r->workload, svc->name,
			     missing.ptr);
	sr_buf_release(&missing);
	sr_buf_release(&fix);
}

/* probe/readiness-undeclared: names the contract does not declare. */
static void check_undeclared(const struct sr_check_opts *opts,
			     const struct sr_deferred_file *f,
			     const struct sr_k8s_readiness *r,
			     const struct sr_service *svc,
			     const char *const *deps, size_t ndeps)
{
	struct sr_buf extra = SR_BUF_INIT, fix = SR_BUF_INIT;
	size_t i, nextra = 0;

	for (i = 0; i < r->ninclude; i++)
		if (!in_deps(deps, ndeps, r->include[i]))
			sr_buf_addf(&extra, "%s%s", nextra++ ? ", " : "",
				    r->include[i]);
	if (nextra) {
		const char *near = NULL;

		for (i = 0; i < r->ninclude && !near; i++) {
			size_t j;

			if (in_deps(deps, ndeps, r->include[i]))
				continue;
			for (j = 0; j < ndeps && !near; j++)
				if (sr_k8s__distance(r->include[i], deps[j],
						     3) < 3)
					near = r->include[i];
		}
		if (near)
			sr_buf_addf(&fix, "'%s' looks like a typo: ", near);
		else
			sr_buf_addf(&fix, "declare %s in the timeout contract of %s, or ",
				    nextra > 1 ? "them" : "it", svc->name);
		struct sr_loc loc = sr_deferred_loc(f, r->pos);

		want_include(&fix, opts, deps, ndeps);
		sr_emit_late(opts, &loc, "probe/readiness-undeclared",
			     fix.ptr,
			     "readiness probe of container '%s' in %s checks %s, not declared in the timeout contract of %s",
			     r->container, r->workload, extra.ptr,
			     svc->name);
	}
	sr_buf_release(&extra);
	sr_buf_release(&fix);
}

/* Milliseconds to whole seconds, rounded up, without overflowing. */
static long long ms_to_s(long long ms)
{
	return ms / 1000 + (ms % 1000 > 0);
}

/*
 * probe/timing against the contract: the readiness handler waits on the
 * dependencies it lists, each up to its contract max.
 */
static void check_deps_timing(const struct sr_check_opts *opts,
			      const struct sr_deferred_file *f,
			      const struct sr_k8s_readiness *r,
			      const struct sr_service *svc)
{
	struct sr_loc loc;
	const struct sr_target *worst = NULL;
	long long window_ms, timeout_ms;
	char fix[160];
	size_t i;

	for (i = 0; i < r->ninclude; i++) {
		const struct sr_target *tg = sr_service_target(svc,
							       r->include[i]);

		if (tg && tg->has_max && tg->max > 0 &&
		    (!worst || tg->max > worst->max))
			worst = tg;
	}
	if (!worst)
		return;
	/* each is at most INT_MAX, so only the product needs care */
	window_ms = r->failure * r->period_s;
	window_ms = window_ms < LLONG_MAX / 1000 ? window_ms * 1000 : LLONG_MAX;
	timeout_ms = r->timeout_s * 1000;
	if (window_ms < worst->max) {
		long long need = ms_to_s(worst->max);

		loc = sr_deferred_loc(f, r->window_pos);
		snprintf(fix, sizeof(fix),
			 "make failureThreshold x periodSeconds at least %lld s, e.g. periodSeconds: %lld",
			 need, (need + r->failure - 1) / r->failure);
		sr_emit_late(opts, &loc, "probe/timing", fix,
			     "readiness probe of container '%s' in %s marks the pod unready after failureThreshold %lld x periodSeconds %lld = %lld s, less than the %lld ms worst case of %s in the timeout contract of %s",
			     r->container, r->workload, r->failure, r->period_s,
			     window_ms / 1000, worst->max, worst->name,
			     svc->name);
	} else if (timeout_ms < worst->max) {
		loc = sr_deferred_loc(f, r->timeout_pos);
		snprintf(fix, sizeof(fix), "timeoutSeconds: %lld",
			 ms_to_s(worst->max));
		sr_emit_late(opts, &loc, "probe/timing", fix,
			     "readiness probe of container '%s' in %s times out after %lld s, before %s can answer (up to %lld ms in the timeout contract of %s)",
			     r->container, r->workload, r->timeout_s,
			     worst->name,
			     worst->max, svc->name);
	}
}

static void check_pod(const struct sr_check_opts *opts, const struct pod *pod,
		      const struct sr_service *svc, const char *const *deps,
		      size_t ndeps)
{
	size_t i;

	if (ndeps)
		check_pod_deps(opts, pod, svc, deps, ndeps);
	for (i = pod->first; i < pod->end; i++) {
		check_undeclared(opts, pod->f, &pod->v[i], svc, deps,
				 ndeps);
		check_deps_timing(opts, pod->f, &pod->v[i], svc);
	}
}

static void check_file(const struct sr_check_opts *opts,
		       const struct sr_deferred_file *f,
		       const struct sr_service *svc)
{
	const char **deps;
	size_t ndeps;
	struct pod pod;

	/* no contract: nothing to compare with */
	if (!svc->ntargets)
		return;
	ndeps = contract_deps(&deps, svc);
	/* the probes of one pod were recorded one after the other */
	pod.f = f;
	pod.v = f->v;
	for (pod.first = 0; pod.first < f->n; pod.first = pod.end) {
		pod.end = pod.first + 1;
		while (pod.end < f->n &&
		       pod.v[pod.end].pod_id == pod.v[pod.first].pod_id)
			pod.end++;
		check_pod(opts, &pod, svc, deps, ndeps);
	}
	free(deps);
}

static void finish(const struct sr_check_opts *opts, struct sr_model *m)
{
	sr_deferred_finish(&probes, opts, m);
}

const struct sr_validator sr_validator_k8s = {
	"k8s",
	detect,
	check,
	finish,
	NULL,
	NULL,
};

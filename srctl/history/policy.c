#include "history/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "validators/k8s.h"
#include "validators/validators.h"
#include "base/banned.h"

static void add(struct sr_policy *p, const char *target, const char *field,
		const char *value)
{
	struct sr_policy_value *v;

	p->v = sr_xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	v = &p->v[p->n++];
	v->target = sr_xstrdup(target);
	v->field = sr_xstrdup(field);
	v->value = sr_xstrdup(value);
}

/*
 * Every scalar below 'n' as one value: field "prefix.key" for mappings,
 * "prefix[i]" for sequences. 'field' holds the prefix and is restored.
 */
static void flatten(struct sr_policy *p, const char *target,
		    struct sr_buf *field, const struct sr_node *n)
{
	size_t mark = field->len, i;

	if (!n)
		return;
	switch (n->type) {
	case SR_NODE_SCALAR:
		add(p, target, field->len ? sr_buf_cstr(field) : "value",
		    n->u.scalar.str);
		break;
	case SR_NODE_SEQ:
		for (i = 0; i < n->u.seq.n; i++) {
			sr_buf_addf(field, "[%zu]", i);
			flatten(p, target, field, n->u.seq.items[i]);
			field->len = mark;
		}
		break;
	case SR_NODE_MAP:
		for (i = 0; i < n->u.map.n; i++) {
			const char *k = sr_node_str(n->u.map.pairs[i].key);

			if (field->len)
				sr_buf_addc(field, '.');
			sr_buf_adds(field, k ? k : "?");
			flatten(p, target, field, n->u.map.pairs[i].value);
			field->len = mark;
		}
		break;
	}
	if (field->ptr)
		field->ptr[mark] = '\0';
}

/* flatten() with the field starting as 'prefix'. */
static void flatten_at(struct sr_policy *p, const char *target,
		       const char *prefix, const struct sr_node *n)
{
	struct sr_buf field = SR_BUF_INIT;

	if (!n)
		return;
	sr_buf_adds(&field, prefix);
	flatten(p, target, &field, n);
	sr_buf_release(&field);
}

/* A list entry's label: its 'name', or its index. */
static void label(struct sr_buf *out, const struct sr_node *item, size_t i)
{
	const char *name = sr_node_str(sr_map_get(item, "name"));

	sr_buf_reset(out);
	if (name)
		sr_buf_adds(out, name);
	else
		sr_buf_addf(out, "%zu", i);
}

/* --- the timeout contract: <protocol>.<direction>.<target> ----------- */

static void timeout_contract(struct sr_policy *p, const struct sr_node *root)
{
	struct sr_buf target = SR_BUF_INIT;
	size_t i, j, k;

	for (i = 0; i < root->u.map.n; i++) {
		const struct sr_pair *proto = &root->u.map.pairs[i];

		if (sr_node_eq(proto->key, "service") ||
		    !sr_node_is_map(proto->value))
			continue;
		for (j = 0; j < proto->value->u.map.n; j++) {
			const struct sr_pair *dir =
				&proto->value->u.map.pairs[j];

			if (!sr_node_is_map(dir->value))
				continue;
			for (k = 0; k < dir->value->u.map.n; k++) {
				const struct sr_pair *t =
					&dir->value->u.map.pairs[k];

				sr_buf_reset(&target);
				sr_buf_addf(&target, "%s.%s.%s",
					    sr_node_str(proto->key) ?
					    sr_node_str(proto->key) : "?",
					    sr_node_str(dir->key) ?
					    sr_node_str(dir->key) : "?",
					    sr_node_str(t->key) ?
					    sr_node_str(t->key) : "?");
				flatten_at(p, target.ptr, "", t->value);
			}
		}
	}
	sr_buf_release(&target);
}

/* --- Kubernetes workloads: probes per container ---------------------- */

static void containers(struct sr_policy *p, const char *workload,
		       const struct sr_node *list)
{
	static const char *const probes[] = { "livenessProbe",
					      "readinessProbe",
					      "startupProbe" };
	struct sr_buf target = SR_BUF_INIT, name = SR_BUF_INIT;
	size_t i, k;

	for (i = 0; sr_node_is_seq(list) && i < list->u.seq.n; i++) {
		const struct sr_node *c = list->u.seq.items[i];

		label(&name, c, i);
		sr_buf_reset(&target);
		sr_buf_addf(&target, "%s/%s", workload, name.ptr);
		for (k = 0; k < sizeof(probes) / sizeof(probes[0]); k++)
			flatten_at(p, target.ptr, probes[k],
				   sr_map_get(c, probes[k]));
	}
	sr_buf_release(&target);
	sr_buf_release(&name);
}

static void k8s_object(struct sr_policy *p, const struct sr_node *obj)
{
	const struct sr_node *pod = sr_k8s__pod_of(obj);
	const char *kind = sr_node_str(sr_map_get(obj, "kind"));
	const char *name = sr_node_str(sr_map_path(obj, "metadata", "name",
						   NULL));
	struct sr_buf workload = SR_BUF_INIT;

	if (!pod)
		return;
	sr_buf_addf(&workload, "%s/%s", kind, name ? name : "?");
	containers(p, workload.ptr, sr_map_get(pod, "initContainers"));
	containers(p, workload.ptr, sr_map_get(pod, "containers"));
	sr_buf_release(&workload);
}

/* --- Istio and Gateway API ------------------------------------------- */

static void destination_rule(struct sr_policy *p, const struct sr_node *spec)
{
	const char *host = sr_node_str(sr_map_get(spec, "host"));
	const struct sr_node *subsets = sr_map_get(spec, "subsets");
	const struct sr_node *tp = sr_map_get(spec, "trafficPolicy");
	struct sr_buf field = SR_BUF_INIT, name = SR_BUF_INIT;
	size_t i;

	if (!host)
		host = "?";
	flatten_at(p, host, "outlierDetection",
		   sr_map_get(tp, "outlierDetection"));
	flatten_at(p, host, "connectionPool", sr_map_get(tp, "connectionPool"));
	for (i = 0; sr_node_is_seq(subsets) && i < subsets->u.seq.n; i++) {
		const struct sr_node *s = subsets->u.seq.items[i];

		tp = sr_map_get(s, "trafficPolicy");
		label(&name, s, i);
		sr_buf_reset(&field);
		sr_buf_addf(&field, "subsets[%s].outlierDetection", name.ptr);
		flatten_at(p, host, field.ptr,
			   sr_map_get(tp, "outlierDetection"));
		sr_buf_reset(&field);
		sr_buf_addf(&field, "subsets[%s].connectionPool", name.ptr);
		flatten_at(p, host, field.ptr, sr_map_get(tp, "connectionPool"));
	}
	sr_buf_release(&field);
	sr_buf_release(&name);
}

/* The first destination a route sends to, the route's target. */
static const char *first_host(const struct sr_node *list, const char *key)
{
	const struct sr_node *first;

	if (!sr_node_is_seq(list) || list->u.seq.n == 0)
		return "?";
	first = list->u.seq.items[0];
	if (key)
		first = sr_map_get(first, key);
	first = sr_map_get(first, key ? "host" : "name");
	return sr_node_str(first) ? sr_node_str(first) : "?";
}

static void virtual_service(struct sr_policy *p, const struct sr_node *spec)
{
	const struct sr_node *http = sr_map_get(spec, "http");
	struct sr_buf field = SR_BUF_INIT, name = SR_BUF_INIT;
	size_t i;

	for (i = 0; sr_node_is_seq(http) && i < http->u.seq.n; i++) {
		const struct sr_node *r = http->u.seq.items[i];
		const char *host = first_host(sr_map_get(r, "route"),
					      "destination");

		label(&name, r, i);
		sr_buf_reset(&field);
		sr_buf_addf(&field, "http[%s].timeout", name.ptr);
		flatten_at(p, host, field.ptr, sr_map_get(r, "timeout"));
		sr_buf_reset(&field);
		sr_buf_addf(&field, "http[%s].retries", name.ptr);
		flatten_at(p, host, field.ptr, sr_map_get(r, "retries"));
	}
	sr_buf_release(&field);
	sr_buf_release(&name);
}

static void gateway_route(struct sr_policy *p, const struct sr_node *spec)
{
	const struct sr_node *rules = sr_map_get(spec, "rules");
	struct sr_buf field = SR_BUF_INIT, name = SR_BUF_INIT;
	size_t i;

	for (i = 0; sr_node_is_seq(rules) && i < rules->u.seq.n; i++) {
		const struct sr_node *r = rules->u.seq.items[i];
		const char *backend = first_host(sr_map_get(r, "backendRefs"),
						 NULL);

		label(&name, r, i);
		sr_buf_reset(&field);
		sr_buf_addf(&field, "rules[%s].timeouts", name.ptr);
		flatten_at(p, backend, field.ptr, sr_map_get(r, "timeouts"));
		sr_buf_reset(&field);
		sr_buf_addf(&field, "rules[%s].retry", name.ptr);
		flatten_at(p, backend, field.ptr, sr_map_get(r, "retry"));
	}
	sr_buf_release(&field);
	sr_buf_release(&name);
}

static void mesh_object(struct sr_policy *p, const struct sr_node *obj)
{
	const char *kind = sr_node_str(sr_map_get(obj, "kind"));
	const struct sr_node *spec = sr_map_get(obj, "spec");

	if (!kind || !sr_node_is_map(spec))
		return;
	if (!strcmp(kind, "DestinationRule"))
		destination_rule(p, spec);
	else if (!strcmp(kind, "VirtualService"))
		virtual_service(p, spec);
	else if (!strcmp(kind, "HTTPRoute") || !strcmp(kind, "GRPCRoute"))
		gateway_route(p, spec);
}

/* An object, or each item of a List. */
static void each_object(struct sr_policy *p, const struct sr_node *root,
			void (*fn)(struct sr_policy *,
				   const struct sr_node *))
{
	const struct sr_node *items = sr_map_get(root, "items");
	const char *kind = sr_node_str(sr_map_get(root, "kind"));
	size_t i, n = kind ? strlen(kind) : 0;

	if (n >= 4 && !strcmp(kind + n - 4, "List") && sr_node_is_seq(items)) {
		for (i = 0; i < items->u.seq.n; i++)
			fn(p, items->u.seq.items[i]);
		return;
	}
	fn(p, root);
}

/* --- resilience4j in Spring YAML ------------------------------------- */

/* resilience4j.<module>.{instances,configs}.<name>.* */
static void r4j_module(struct sr_policy *p, const char *module,
		       const struct sr_node *n)
{
	static const char *const groups[] = { "instances", "configs" };
	struct sr_buf field = SR_BUF_INIT;
	size_t g, i;

	for (g = 0; g < 2; g++) {
		const struct sr_node *m = sr_map_get(n, groups[g]);

		for (i = 0; sr_node_is_map(m) && i < m->u.map.n; i++) {
			const char *name = sr_node_str(m->u.map.pairs[i].key);

			sr_buf_reset(&field);
			sr_buf_addf(&field, "%s%s", module,
				    g ? ".configs" : "");
			flatten_at(p, name ? name : "?", field.ptr,
				   m->u.map.pairs[i].value);
		}
	}
	sr_buf_release(&field);
}

static void spring_doc(struct sr_policy *p, const struct sr_node *root)
{
	const struct sr_node *r4j = sr_map_get(root, "resilience4j");
	size_t i;

	for (i = 0; sr_node_is_map(r4j) && i < r4j->u.map.n; i++) {
		const char *k = sr_node_str(r4j->u.map.pairs[i].key);

		if (k)
			r4j_module(p, k, r4j->u.map.pairs[i].value);
	}
	/* "resilience4j.circuitbreaker:" written as one key */
	for (i = 0; i < root->u.map.n; i++) {
		const char *k = sr_node_str(root->u.map.pairs[i].key);

		if (k && !strncmp(k, "resilience4j.", 13) && k[13])
			r4j_module(p, k + 13, root->u.map.pairs[i].value);
	}
}

/* --- one file -------------------------------------------------------- */

static void ignore_problem(void *payload, const char *rule,
			   struct sr_pos pos, const char *message)
{
	(void)payload;
	(void)rule;
	(void)pos;
	(void)message;
}

void sr_policy_extract(struct sr_policy *out, const char *relpath,
		       const char *text, size_t len)
{
	const struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	const char *slash = strrchr(relpath, '/');
	const char *name = slash ? slash + 1 : relpath;
	struct sr_stream *s;
	size_t i;

	s = sr_stream_parse(text, len, &limits, ignore_problem, NULL);
	for (i = 0; i < s->n; i++) {
		const struct sr_doc *doc = &s->docs[i];

		if (!sr_node_is_map(doc->root))
			continue;
		if (sr_validator_timeout.detect(name, relpath, doc))
			timeout_contract(out, doc->root);
		else if (sr_validator_k8s.detect(name, relpath, doc))
			each_object(out, doc->root, k8s_object);
		else if (sr_validator_mesh.detect(name, relpath, doc))
			each_object(out, doc->root, mesh_object);
		else if (sr_validator_spring.detect(name, relpath, doc))
			spring_doc(out, doc->root);
	}
	sr_stream_free(s);
}

const struct sr_policy_value *sr_policy_find(const struct sr_policy *p,
					     const char *target,
					     const char *field)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].target, target) &&
		    !strcmp(p->v[i].field, field))
			return &p->v[i];
	return NULL;
}

int sr_policy_is_contract_name(const char *name)
{
	return !strcmp(name, "timeout.yaml") || !strcmp(name, "timeout.yml");
}

char *sr_policy_contract_service(const char *text, size_t len)
{
	const struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_stream *s;
	const char *name = NULL;
	char *out;

	s = sr_stream_parse(text, len, &limits, ignore_problem, NULL);
	if (s->n)
		name = sr_node_str(sr_map_get(s->docs[0].root, "service"));
	out = name ? sr_xstrdup(name) : NULL;
	sr_stream_free(s);
	return out;
}

void sr_policy_release(struct sr_policy *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].target);
		free(p->v[i].field);
		free(p->v[i].value);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

/*
 * The health-probe contract of Kubernetes workloads (SPEC.md 4.3), shared
 * between k8s.c, which finds the workloads and their containers and runs
 * the cross-file step, and k8s_probe.c, which checks one container's
 * probes. Semi-private: nothing outside validators/k8s*.c (and the unit
 * test) uses it.
 */
#ifndef SR_VALIDATORS_K8S_H
#define SR_VALIDATORS_K8S_H

#include <stdbool.h>
#include <stddef.h>

#include "check/check.h"
#include "doc/doc.h"
#include "model/model.h"

/* One container of a workload, as k8s.c found it. */
struct sr_k8s_container {
	struct sr_ctx *ctx;
	const char *workload;		/* "Deployment/payment-gw" */
	const char *name;		/* its name, or "#<index>" */
	const struct sr_node *node;	/* the container mapping */
	const struct sr_node *pod;	/* the pod spec, for sibling ports */
	bool required;	/* probes are required (long-running container) */
	bool sidecar;	/* an initContainer with restartPolicy: Always */
	unsigned pod_id;	/* the same for the containers of one pod */
};

/* Check one container's probes and record its readiness fact. */
void sr_k8s__check_container(const struct sr_k8s_container *c);

/*
 * The names of an include= query parameter, in order, without
 * duplicates. 'present' says whether include= was there at all (an empty
 * list is still a list).
 */
struct sr_k8s_names {
	char **v;
	size_t n;
	size_t cap;
	bool present;
};

/*
 * Collect the include= names of a URL, a path with a query, or a command
 * line that holds one ("curl -f localhost:8080/health/ready?include=a,b").
 * Names are split at ',' (also written %2C), percent-decoded and trimmed.
 * Appends to 'out'; returns out->present.
 */
bool sr_k8s__parse_include(struct sr_k8s_names *out, const char *text);
bool sr_k8s__names_has(const struct sr_k8s_names *names, const char *name);
void sr_k8s__names_release(struct sr_k8s_names *names);

/*
 * Does 'path' (a URL path, maybe with ?query or #fragment) name the same
 * endpoint as 'want'? Queries and fragments of both are ignored, and an
 * empty path is "/".
 */
bool sr_k8s__same_endpoint(const char *path, const char *want);

/* Edit distance of two short strings, at most 'cap' (a cheap typo test). */
size_t sr_k8s__distance(const char *a, const char *b, size_t cap);

/*
 * A readiness probe, for the step that compares it with the timeout
 * contract of the workload's service: the pod it belongs to (the pod, not
 * each container, must check the contract's dependencies), its include=
 * names and its timing, for probe/timing against the dependencies' worst
 * case. Positions are in the recording file.
 */
struct sr_k8s_readiness {
	const char *workload;	/* "Deployment/payment-gw" */
	const char *container;
	unsigned pod_id;
	bool sidecar;
	bool has_include;	/* the path has an include= query */
	const char *const *include;	/* its names */
	size_t ninclude;
	const char *handler;	/* "httpGet", "grpc", ... (static) */
	long long timeout_s;	/* with Kubernetes defaults applied */
	long long period_s;
	long long failure;
	struct sr_pos pos;	/* of the probe's path (or the probe) */
	struct sr_pos window_pos;	/* periodSeconds or the probe */
	struct sr_pos timeout_pos;	/* timeoutSeconds or the probe */
};

/*
 * Record a readiness probe (copied) for the contract step, and its
 * include= names as SR_REF_READINESS references at 'at'. Does nothing
 * when the run has no model (unit harnesses).
 */
void sr_k8s__record_readiness(struct sr_ctx *ctx,
			      const struct sr_k8s_readiness *r,
			      const struct sr_node *at);

/*
 * The pod spec of a built-in workload object (Deployment, CronJob, ...),
 * or NULL when 'obj' is not one. Borrowed from obj's stream. Used by
 * audit-log to find the probes in every version of a manifest.
 */
const struct sr_node *sr_k8s__pod_of(const struct sr_node *obj);

#endif

/*
 * Protection-policy values of one file version, for audit-log: the
 * timeout contract's per-target values, Kubernetes probes per workload
 * and container, resilience4j instances, Istio outlier detection and
 * connection pools, and route timeouts (Istio VirtualService, Gateway
 * API HTTPRoute/GRPCRoute). Which documents are which is decided by the
 * validators' own detect functions, so audit-log and validate agree on
 * what a file is; the values are kept as written (strings), flattened
 * to dotted field names ("readinessProbe.httpGet.path").
 *
 * A policy list owns every string in it.
 */
#ifndef SR_HISTORY_POLICY_H
#define SR_HISTORY_POLICY_H

#include <stddef.h>

struct sr_policy_value {
	char *target;	/* "http.outbound.redis", "Deployment/web/app" */
	char *field;	/* "max", "readinessProbe.periodSeconds" */
	char *value;	/* as written */
};

struct sr_policy {
	struct sr_policy_value *v;
	size_t n;
	size_t cap;
};

#define SR_POLICY_INIT { NULL, 0, 0 }

/*
 * Add the policy values of the file 'relpath' with text[0..len) to
 * 'out'. Text that does not parse yields what its complete documents
 * hold; other files yield nothing.
 */
void sr_policy_extract(struct sr_policy *out, const char *relpath,
		       const char *text, size_t len);

/* The value for (target, field), or NULL. Borrowed. */
const struct sr_policy_value *sr_policy_find(const struct sr_policy *p,
					     const char *target,
					     const char *field);

/* Does the file name say it is a timeout contract (timeout.yaml)? */
int sr_policy_is_contract_name(const char *name);

/*
 * The service name a timeout contract's text declares (its 'service'
 * key), or NULL. Owned by the caller.
 */
char *sr_policy_contract_service(const char *text, size_t len);

void sr_policy_release(struct sr_policy *p);

#endif

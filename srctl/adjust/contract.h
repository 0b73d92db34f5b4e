/*
 * The timeout contracts srctl timeout enforces: every
 * <protocol>.<direction>.<target> of every service's timeout.yaml under
 * the configuration's directory, read through the validate pipeline (the
 * timeout validator fills the model), so the bounds enforced are exactly
 * the ones `srctl validate` checks.
 */
#ifndef SR_ADJUST_CONTRACT_H
#define SR_ADJUST_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

struct sr_contract {
	char *service;
	char *target;
	bool has_base, has_max;
	long long base;		/* ms */
	long long max;		/* ms */
	double multiplier;
	char *where;		/* "services/x/timeout.yaml:4:5" */
};

struct sr_contracts {
	struct sr_contract *v;
	size_t n, cap;
};

/*
 * Read the timeout contracts under cfg->dir: all of them, or only those of
 * 'service' when it is not NULL. A service's contract is looked for first
 * where it conventionally lives (services/<service>/timeout.yaml, then
 * <service>/timeout.yaml, as include/exclude admit, .gitignore not
 * consulted); only when no such file declares the service is the whole
 * directory searched. Returns 0, or SR_ERROR with the cause in 'err' (a
 * contract that cannot be read is not skipped: the bounds would silently
 * be missing).
 */
int sr_contracts_load(struct sr_contracts *out, const struct sr_config *cfg,
		      const char *service, struct sr_buf *err);
/* The contract of 'service' -> 'target', or NULL. */
const struct sr_contract *sr_contracts_find(const struct sr_contracts *c,
					    const char *service,
					    const char *target);
/* Does any contract belong to 'service'? */
bool sr_contracts_has_service(const struct sr_contracts *c,
			      const char *service);
void sr_contracts_release(struct sr_contracts *c);

#endif

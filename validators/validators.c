#include "validators.h"

#include <stddef.h>

const struct sr_validator *const sr_validators[] = {
	&sr_validator_timeout,
	&sr_validator_k8s,
	&sr_validator_mesh,
	&sr_validator_spring,
	&sr_validator_java,
	NULL
};

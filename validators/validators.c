#include "validators.h"

#include <stddef.h>

const struct sr_validator *const sr_validators[] = {
	&sr_validator_timeout,
	NULL
};

/*
 * Placeholder: being written (issue 4). Detects nothing yet.
 */
#include "validators.h"

static bool detect(const char *name, const char *relpath,
		   const struct sr_doc *doc)
{
	(void)name;
	(void)relpath;
	(void)doc;
	return false;
}

static void check(struct sr_ctx *ctx, const struct sr_doc *doc)
{
	(void)ctx;
	(void)doc;
}

const struct sr_validator sr_validator_k8s = {
	"k8s",
	detect,
	check,
	NULL,
	NULL,
	NULL,
};

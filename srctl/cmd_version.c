#include <stdio.h>

#include "cmd.h"
#include "doc/doc.h"
#include "exitcode.h"
#include "opt.h"
#include "base/banned.h"

static const struct sr_usage usage = {
	"srctl version",
	"Print srctl's version and the libyaml version it uses.",
	NULL
};

int cmd_version(int argc, char **argv)
{
	static const struct sr_opt opts[] = { SR_OPT_END() };
	int r = argc ? sr_opt_parse("version", &usage, opts, argc, argv, NULL) : 0;

	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	printf("srctl %s (libyaml %s)\n", SRCTL_VERSION, sr_doc_libyaml_version());
	return SR_EXIT_OK;
}

#include "srcscan.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "base/error.h"
#include "base/xmalloc.h"
#include "base/banned.h"

/* Backtracking steps one match may take before it gives up. */
#define MATCH_LIMIT 1000000

struct sr_srcscan {
	pcre2_code *code;
	pcre2_match_context *mctx;
};

/* pcre2's JIT and valgrind do not mix (see regex.c). */
static bool jit_wanted(void)
{
	const char *preload = getenv("LD_PRELOAD");

	return !(preload && strstr(preload, "vgpreload"));
}

int sr_srcscan_new(struct sr_srcscan **out, const char *pattern)
{
	struct sr_srcscan *re = NULL;
	PCRE2_SIZE off = 0;
	int err = 0;
	pcre2_code *code;

	*out = NULL;
	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
			     PCRE2_NEVER_BACKSLASH_C, &err, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof(msg));
		sr_error_set("invalid regular expression '%s': %s at offset %zu",
			     pattern, (const char *)msg, (size_t)off);
		return SR_EINVALID;
	}
	if (jit_wanted())
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	re = sr_xcalloc(1, sizeof(*re));
	re->code = code;
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->mctx) {
		sr_srcscan_free(re);
		sr_error_set("out of memory");
		return SR_ERROR;
	}
	pcre2_set_match_limit(re->mctx, MATCH_LIMIT);
	*out = re;
	return 0;
}

int sr_srcscan_next(struct sr_srcscan_match *m, const struct sr_srcscan *re,
		    const char *s, size_t len, size_t from)
{
	pcre2_match_data *md;
	PCRE2_SIZE *ov;
	int rc, i;

	if (from > len)
		return 0;
	md = pcre2_match_data_create(SR_SRCSCAN_GROUPS + 1, NULL);
	if (!md)
		return SR_ERROR;
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from, 0, md, re->mctx);
	if (rc < 0) {
		pcre2_match_data_free(md);
		return rc == PCRE2_ERROR_NOMATCH ? 0 : SR_ERROR;
	}
	if (rc == 0)	/* more groups than reported: all pairs are filled */
		rc = SR_SRCSCAN_GROUPS + 1;
	ov = pcre2_get_ovector_pointer(md);
	m->start = ov[0];
	m->end = ov[1];
	for (i = 0; i < SR_SRCSCAN_GROUPS; i++) {
		bool set = i + 1 < rc && ov[2 * (i + 1)] != PCRE2_UNSET;

		m->group[i][0] = set ? ov[2 * (i + 1)] : SR_SRCSCAN_UNSET;
		m->group[i][1] = set ? ov[2 * (i + 1) + 1] : SR_SRCSCAN_UNSET;
	}
	pcre2_match_data_free(md);
	return 1;
}

void sr_srcscan_free(struct sr_srcscan *re)
{
	if (!re)
		return;
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	free(re);
}

/*
 * The rule catalogue: metadata for every rule srctl can report (id,
 * default severity, summary, rationale, fix, examples). The data lives in
 * rules/<area>/<name>.yaml, is embedded in the binary at build time and
 * loaded once; entries are borrowed and live until sr_catalog_free().
 */
#ifndef SR_CATALOG_H
#define SR_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "report/finding.h"

struct sr_rule {
	const char *id;			/* "area/name" */
	enum sr_severity severity;	/* default; SR_SEV_OFF: opt-in rule */
	const char *summary;		/* one line */
	const char *rationale;		/* why it matters */
	const char *fix;		/* how to fix it */
	const char *example_fail;	/* a snippet that fires it, or NULL */
	const char *example_pass;	/* the same snippet fixed, or NULL */
};

/*
 * Load the embedded catalogue. Idempotent. Returns 0 or SR_EINVALID with a
 * message naming the bad entry (a build defect, caught by the tests).
 */
int sr_catalog_load(void);
const struct sr_rule *sr_catalog_find(const char *id);
size_t sr_catalog_count(void);
/* Entries sorted by id. */
const struct sr_rule *sr_catalog_at(size_t i);
/* The closest id to 'id' by edit distance, for "did you mean", or NULL. */
const char *sr_catalog_suggest(const char *id);
/*
 * Whether the 'len' bytes at 'sel' select rules: a rule id, an area
 * ("timeout") or an area wildcard ("timeout/" followed by "*").
 */
bool sr_catalog_selects(const char *sel, size_t len);
/* The closest rule id or area to 'sel', or NULL. Borrowed, as above. */
const char *sr_catalog_suggest_selector(const char *sel);
void sr_catalog_free(void);

#endif

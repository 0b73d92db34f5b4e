/*
 * Which JSON Schemas apply to which file: the schemas shipped in the
 * binary (schemas/NAME.schema.json, chosen by the kind of document) and the
 * user's (the 'schemas:' globs of .srctl.yaml). A map compiles every
 * schema it may need once, when it is made, and then checks any number of
 * documents; it owns the compiled schemas and the files they came from.
 *
 * Shipped schemas by kind: timeout-contract for timeout contracts,
 * k8s-workload for Kubernetes workloads, istio for VirtualService and
 * DestinationRule, memory-contract for memory-contract.yaml, rule for
 * rule catalogue files (rules/<area>/<name>.yaml with id and rationale).
 * srctl-config and findings are shipped for 'srctl schema check' and
 * editors: srctl checks .srctl.yaml itself when it loads it.
 */
#ifndef SR_SCHEMAMAP_H
#define SR_SCHEMAMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "config/config.h"
#include "doc/doc.h"
#include "schema/schema.h"

struct sr_schemamap;

/* A shipped schema: its name ("timeout-contract") and JSON text. */
struct sr_schemamap_shipped {
	const char *name;
	const char *path;	/* "schemas/timeout-contract.schema.json" */
	const char *text;
	size_t len;
};

/* How many schemas are shipped, and the i-th in name order. */
size_t sr_schemamap_shipped_count(void);
const struct sr_schemamap_shipped *sr_schemamap_shipped_at(size_t i);
/* The shipped schema 'name' (".schema.json" may be added), or NULL. */
const struct sr_schemamap_shipped *sr_schemamap_shipped_find(
	const char *name);

/* Which shipped schemas a map applies. */
enum sr_schemamap_shipped_use {
	SR_SCHEMAMAP_NONE,
	/*
	 * The kinds no contract validator reads (memory contracts, rule
	 * files): with the validators on, timeout contracts, workloads and
	 * Istio objects get their type errors from the validators' own rules
	 * (timeout/unit, probe/timing, mesh/invalid...), never twice.
	 */
	SR_SCHEMAMAP_UNVALIDATED,
	SR_SCHEMAMAP_ALL		/* every kind: lint */
};

/*
 * Make a map. 'use': which shipped schemas to apply by kind. 'cfg' (may be
 * NULL): its 'schemas:' entries, whose schema is a file relative to the
 * configuration's directory or a shipped name. Returns 0, or SR_EINVALID
 * / SR_ENOTFOUND with "file:line:col: ..." lines appended to 'errors'
 * (a schema that cannot be read, does not parse or is not a valid
 * schema).
 */
int sr_schemamap_new(struct sr_schemamap **out,
		     enum sr_schemamap_shipped_use use,
		     const struct sr_config *cfg, struct sr_buf *errors);

/* Does the map hold any schema at all? */
bool sr_schemamap_empty(const struct sr_schemamap *m);

/*
 * Read one schema for 'srctl schema check': 'spec' is a file (JSON or
 * YAML) or a shipped name. Returns 0 and a borrowed '*out', or an error
 * code with the message in sr_error_last().
 */
int sr_schemamap_load_one(const struct sr_schema **out,
			  struct sr_schemamap *m, const char *spec);

/* A violation, as the schema module reports it, and where it came from. */
struct sr_schemamap_hit {
	const struct sr_schema_error *error;
	const char *schema;	/* the shipped name or the user's file */
	bool shipped;
};

typedef void (*sr_schemamap_fn)(void *payload,
				const struct sr_schemamap_hit *hit);

/*
 * Validate document 'doc' of the file at 'path' (as walked; base name
 * 'name', 'relpath' below the scanned root) against every schema that
 * applies, calling 'fn' per violation. Returns the number of violations.
 */
size_t sr_schemamap_check(const struct sr_schemamap *m, const char *path,
			  const char *name, const char *relpath,
			  const struct sr_doc *doc, sr_schemamap_fn fn,
			  void *payload);

void sr_schemamap_free(struct sr_schemamap *m);

#endif

/*
 * JSON Schema validation (draft 2020-12 and draft-07) over the document
 * model, for JSON and YAML instances alike.
 *
 * A struct sr_schema_set compiles schema documents once (every subschema,
 * "$id", anchor and "$ref" is resolved when the document is added) and then
 * validates any number of instances, from any number of threads: validation
 * never changes the set. The set owns everything it compiled; the schemas
 * it hands out are borrowed and live until sr_schema_set_free().
 *
 * References never reach the network. They resolve to documents added to
 * the set, to the embedded draft 2020-12 and draft-07 meta-schemas, or to
 * files under a directory mapped to a URI prefix (sr_schema_set_map).
 *
 * Schemas may be JSON or YAML ("type: [string, null]" works). "$schema"
 * picks the dialect per resource: draft 2019-09 is read as 2020-12 and
 * draft-04/06 as draft-07; custom meta-schemas are honoured through their
 * "$vocabulary".
 *
 * Instances are read the way a JSON parser would read them: a quoted
 * scalar is a string, a plain one is null, a boolean, a number or a string
 * by YAML 1.2 core-schema resolution, and numbers keep their decimal text,
 * so 1.0 is an integer, 12345678901234567890 and 1e400 are exact, and
 * multipleOf is exact decimal arithmetic.
 *
 * Each violation is reported as a struct sr_schema_error: the position of
 * the offending instance node (the object itself for a missing required
 * property, the key for a property that is not allowed), its JSON pointer,
 * the keyword that failed and a message such as
 * 'timeout: expected integer, got string "2s"'. A failed anyOf/oneOf is
 * explained by its most relevant alternative, not by all of them.
 */
#ifndef SR_SCHEMA_H
#define SR_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "base/pos.h"

struct sr_node;

enum sr_schema_draft {
	SR_SCHEMA_DRAFT_2020_12 = 0,
	SR_SCHEMA_DRAFT_7
};

struct sr_schema_options {
	/* the dialect of schemas without "$schema" */
	enum sr_schema_draft default_draft;
	/*
	 * "format" is an assertion (date-time, duration, email, ipv4,
	 * ipv6, uri, regex and a few more), not only an annotation
	 */
	bool format_assert;
};

#define SR_SCHEMA_OPTIONS_INIT { SR_SCHEMA_DRAFT_2020_12, false }

struct sr_schema_set;
struct sr_schema;

/* A new, empty set. 'opts' may be NULL for the defaults. Never fails. */
int sr_schema_set_new(struct sr_schema_set **out,
		      const struct sr_schema_options *opts);

/*
 * Serve URIs that start with 'prefix' from files under 'dir': the rest of
 * the URI (without fragment) is the path below 'dir'. For example the
 * JSON-Schema-Test-Suite maps "http://localhost:1234/" to its remotes/.
 * Files are read only when a reference needs them.
 */
void sr_schema_set_map(struct sr_schema_set *set, const char *prefix,
		       const char *dir);

/*
 * Add the schema document whose root node is 'root' and compile it, with
 * everything it references. 'uri' is the document's retrieval URI, the
 * base for its relative references (NULL: a fresh "urn:srctl:schema:N");
 * 'file' names it in messages (NULL: the URI). 'root' is borrowed: the
 * stream holding it must outlive the set.
 *
 * Returns 0 and sets '*out' (borrowed), or SR_EINVALID for a malformed
 * schema or a reference that cannot be resolved, with a message like
 * "deploy.schema.json:12:15: minLength must be a non-negative integer" in
 * sr_error_last(), and '*out' NULL.
 */
int sr_schema_add(const struct sr_schema **out, struct sr_schema_set *set,
		  const char *uri, const char *file,
		  const struct sr_node *root);

/*
 * Like sr_schema_add for the first document of the 'len' bytes of JSON or
 * YAML at 'text'; the set keeps the parsed document. A document that does
 * not parse gives SR_EPARSE with "file:line:col: ..." in sr_error_last().
 */
int sr_schema_load(const struct sr_schema **out, struct sr_schema_set *set,
		   const char *uri, const char *file, const char *text,
		   size_t len);

/*
 * The schema at the absolute 'uri', which may name a subschema by JSON
 * pointer or anchor ("https://x/deploy.json#/$defs/container"), loading
 * and compiling what it needs as a "$ref" would. Returns 0 and '*out'
 * (borrowed), or SR_ENOTFOUND/SR_EINVALID with a message. Like the other
 * calls that add to the set, do this before validating from threads.
 */
int sr_schema_get(const struct sr_schema **out, struct sr_schema_set *set,
		  const char *uri);

/* One violation. Every pointer is borrowed for the callback's duration. */
struct sr_schema_error {
	struct sr_pos pos;	   /* the offending instance node */
	const char *pointer;	   /* its JSON pointer, "" for the root */
	const char *keyword;	   /* "type", "required", "anyOf", ... */
	const char *schema_path;   /* "<schema uri>#/properties/x/type" */
	const char *message;	   /* one line, starts with the location */
};

typedef void (*sr_schema_report_fn)(void *payload,
				    const struct sr_schema_error *e);

/*
 * Validate 'instance' (NULL, an empty document, counts as null). Calls
 * 'report' (may be NULL) once per violation, in document order, and
 * returns the number of violations: 0 means valid.
 */
size_t sr_schema_validate(const struct sr_schema *s,
			  const struct sr_node *instance,
			  sr_schema_report_fn report, void *payload);

/* Just the verdict, without building any message: the fast path. */
bool sr_schema_valid(const struct sr_schema *s,
		     const struct sr_node *instance);

/* The URI a schema was added or found under. Borrowed. */
const char *sr_schema_uri(const struct sr_schema *s);

void sr_schema_set_free(struct sr_schema_set *set);

#endif

/*
 * Private to srctl/schema: the compiled form of a schema, the instance
 * value helpers (kinds, exact decimal numbers, equality) and URI
 * handling. Functions shared between the module's files are sr_schema__*.
 */
#ifndef SR_SCHEMA_INTERNAL_H
#define SR_SCHEMA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "doc/doc.h"
#include "schema/schema.h"

struct sr_regex;

/* ---- instance values ---- */

/* JSON kinds of a node, as bits so a "type" keyword is a mask. */
enum {
	SR_JT_NULL = 1 << 0,
	SR_JT_BOOL = 1 << 1,
	SR_JT_INT = 1 << 2,	/* a number with an integral value */
	SR_JT_NUM = 1 << 3,	/* any other number */
	SR_JT_STR = 1 << 4,
	SR_JT_ARR = 1 << 5,
	SR_JT_OBJ = 1 << 6
};
#define SR_JT_NUMBER (SR_JT_INT | SR_JT_NUM)

#define SR_NUM_DIGITS 40

enum { SR_NUM_FINITE, SR_NUM_INF, SR_NUM_NAN };

/*
 * An exact decimal: (neg ? -1 : 1) * digits * 10^exp, with no leading or
 * trailing zeros in 'dig' (zero has ndig 0). Beyond SR_NUM_DIGITS
 * significant digits the value is truncated and 'inexact' set.
 */
struct sr_num {
	unsigned char kind;
	bool neg;
	bool inexact;
	unsigned char ndig;
	long long exp;
	char dig[SR_NUM_DIGITS];	/* values 0..9 */
};

/* The kind of 'n' (NULL is null): one SR_JT_* bit. */
unsigned sr_schema__kind(const struct sr_node *n);
/* Parse a number node; false when 'n' is not a number. */
bool sr_schema__num(const struct sr_node *n, struct sr_num *out);
/* -1, 0, 1; NaN compares unordered and gives 2. */
int sr_schema__num_cmp(const struct sr_num *a, const struct sr_num *b);
/* Is 'a' an integer multiple of 'b' (b > 0)? */
bool sr_schema__num_multiple(const struct sr_num *a, const struct sr_num *b);
/* JSON equality: 1 == 1.0, objects ignore key order. */
bool sr_schema__equal(const struct sr_node *a, const struct sr_node *b);
/* A hash consistent with sr_schema__equal. */
uint64_t sr_schema__hash(const struct sr_node *n);
/* "integer", "number", "string", "boolean", "null", "object", "array". */
const char *sr_schema__kind_name(unsigned kind);
/* Append 'n' as compact JSON, cut with "..." after about 'max' bytes. */
void sr_schema__render(struct sr_buf *b, const struct sr_node *n,
		       size_t max);
/* Append a description such as 'string "2s"' or 'object'. */
void sr_schema__describe(struct sr_buf *b, const struct sr_node *n);
/* A key's text and length ("" for a key that is not a scalar). */
const char *sr_schema__key(const struct sr_node *k, size_t *len);

/* ---- URIs (RFC 3986) ---- */

/* Resolve 'ref' against the absolute 'base'; a new string. */
char *sr_schema__uri_resolve(const char *base, const char *ref);
/* Does 's' start with a scheme ("http:", "urn:")? */
bool sr_schema__uri_is_absolute(const char *s);
/*
 * Split at '#': a new string without the fragment; '*frag' points into
 * 's' just past the '#' (NULL when there is none).
 */
char *sr_schema__uri_split(const char *s, const char **frag);
/* Percent-decode into a new string of '*len' bytes. */
char *sr_schema__pct_decode(const char *s, size_t *len);

/* ---- formats ---- */

/* The id of a format name, or 0 for one srctl does not check. */
int sr_schema__format_id(const char *name);
/* Does the string match the format? */
bool sr_schema__format_check(int id, const char *s, size_t len);

/* ---- compiled schemas ---- */

enum {
	SR_VOC_CORE = 1 << 0,
	SR_VOC_APPLICATOR = 1 << 1,
	SR_VOC_UNEVALUATED = 1 << 2,
	SR_VOC_VALIDATION = 1 << 3,
	SR_VOC_FORMAT = 1 << 4,		/* annotation */
	SR_VOC_FORMAT_ASSERT = 1 << 5,
	SR_VOC_CONTENT = 1 << 6,
	SR_VOC_META = 1 << 7
};
#define SR_VOC_ALL_2020 (SR_VOC_CORE | SR_VOC_APPLICATOR | \
	SR_VOC_UNEVALUATED | SR_VOC_VALIDATION | SR_VOC_FORMAT | \
	SR_VOC_CONTENT | SR_VOC_META)

struct sr_schema__anchor {
	char *name;
	struct sr_schema *s;
	bool dynamic;
};

/* A schema resource: a document root or a subschema with "$id". */
struct sr_schema__res {
	char *uri;			/* absolute, no fragment */
	const struct sr_node *node;
	struct sr_schema *root;
	const char *file;		/* for messages */
	unsigned draft;			/* enum sr_schema_draft */
	unsigned vocab;			/* SR_VOC_* */
	struct sr_schema__anchor *anchors;
	size_t nanchors, anchors_cap;
	bool has_dynamic;		/* some anchor is dynamic */
};

struct sr_schema__prop {
	const char *name;
	size_t len;
	struct sr_schema *s;
};

struct sr_schema__pattern {
	struct sr_regex *re;
	struct sr_schema *s;
};

struct sr_schema__names {
	const char *name;		/* a property with dependencies */
	size_t len;
	const struct sr_node **req;	/* required names (scalars) */
	size_t nreq;
};

/* Which keywords a compiled schema has. */
enum {
	SR_K_TYPE = 1u << 0,
	SR_K_ENUM = 1u << 1,
	SR_K_CONST = 1u << 2,
	SR_K_MIN = 1u << 3,
	SR_K_MAX = 1u << 4,
	SR_K_XMIN = 1u << 5,
	SR_K_XMAX = 1u << 6,
	SR_K_MULT = 1u << 7,
	SR_K_MINLEN = 1u << 8,
	SR_K_MAXLEN = 1u << 9,
	SR_K_MINITEMS = 1u << 10,
	SR_K_MAXITEMS = 1u << 11,
	SR_K_UNIQUE = 1u << 12,
	SR_K_MINPROPS = 1u << 13,
	SR_K_MAXPROPS = 1u << 14,
	SR_K_MAXCONTAINS = 1u << 15,
	SR_K_FORMAT = 1u << 16,
	SR_K_MINCONTAINS = 1u << 17
};

struct sr_schema {
	const struct sr_node *node;
	struct sr_schema_set *set;
	struct sr_schema__res *res;
	char *loc;			/* "#/properties/a", for messages */
	unsigned char boolean;		/* 0: object, 1: true, 2: false */
	unsigned char draft;		/* enum sr_schema_draft */
	unsigned vocab;
	unsigned has;			/* SR_K_* */

	/* references */
	char *ref_uri;
	const struct sr_node *ref_node;
	struct sr_schema *ref;
	char *dynref_uri;
	const struct sr_node *dynref_node;
	struct sr_schema *dynref;
	char *dynref_name;	/* set when the reference is dynamic */

	/* applicators on the same instance */
	struct sr_schema **all_of, **any_of, **one_of;
	size_t n_all_of, n_any_of, n_one_of;
	struct sr_schema *not_, *if_, *then_, *else_;
	struct sr_schema__prop *dep_schemas;
	size_t n_dep_schemas;

	/* objects */
	struct sr_schema__prop *props;	/* sorted by (len, bytes) */
	size_t nprops;
	struct sr_schema__pattern *pprops;
	size_t npprops;
	struct sr_schema *additional_props;
	struct sr_schema *property_names;
	struct sr_schema *uneval_props;
	const struct sr_node **required;
	size_t nrequired;
	struct sr_schema__names *dep_required;
	size_t n_dep_required;
	const char *dep_required_kw;	/* keyword name for messages */
	size_t min_props, max_props;

	/* arrays */
	struct sr_schema **prefix_items;
	size_t n_prefix_items;
	struct sr_schema *items;	/* the items after prefix_items */
	const char *items_kw;		/* "items" or "additionalItems" */
	struct sr_schema *contains;
	size_t min_contains, max_contains;
	struct sr_schema *uneval_items;
	size_t min_items, max_items;

	/* scalars */
	unsigned types;			/* SR_JT_* mask */
	const struct sr_node *type_node;
	const struct sr_node **enum_vals;
	size_t n_enum;
	const struct sr_node *const_val;
	struct sr_num minimum, maximum, xminimum, xmaximum, multiple_of;
	const struct sr_node *minimum_node, *maximum_node, *xminimum_node,
			     *xmaximum_node, *multiple_of_node;
	size_t min_len, max_len;
	struct sr_regex *pattern;
	const char *format;
	int format_id;
	bool format_assert;
	bool needs_marks;	/* uses unevaluated* itself */
};

/*
 * Resolve an absolute URI (with fragment) to a compiled schema, loading
 * and compiling documents as needed. NULL with sr_error_set on failure.
 * '*dynamic' tells whether the fragment named a $dynamicAnchor.
 */
struct sr_schema *sr_schema__resolve(struct sr_schema_set *set,
				     const char *uri, bool *dynamic);
/* The dynamic anchor 'name' of a resource, or NULL. */
struct sr_schema *sr_schema__dynamic_anchor(const struct sr_schema__res *r,
					    const char *name);

/* The embedded meta-schema for 'uri' (no fragment), or NULL. */
const char *sr_schema__meta_text(const char *uri);

#endif

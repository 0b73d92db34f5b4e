/*
 * The YAML document model: the only user of libyaml in srctl.
 *
 * sr_stream_parse() turns a buffer into a stream of documents whose nodes
 * carry 1-based line/column positions (columns in code points). Aliases
 * are resolved to the anchored node itself (shared, never copied), merge
 * keys ("<<") are folded into the mapping, and every problem with the
 * input (syntax, duplicate keys, alias expansion, depth) is reported
 * through a callback with a position and a rule id; parsing then goes on
 * where it safely can. A stream owns all its nodes and strings: one
 * sr_stream_free() releases everything.
 */
#ifndef SR_DOC_H
#define SR_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "base/pos.h"

enum sr_node_type {
	SR_NODE_SCALAR,
	SR_NODE_SEQ,
	SR_NODE_MAP
};

enum sr_scalar_style {
	SR_STYLE_PLAIN,
	SR_STYLE_SINGLE,
	SR_STYLE_DOUBLE,
	SR_STYLE_LITERAL,
	SR_STYLE_FOLDED
};

struct sr_node;

struct sr_pair {
	struct sr_node *key;
	struct sr_node *value;
};

struct sr_node {
	enum sr_node_type type;
	enum sr_scalar_style style;	/* scalars only */
	struct sr_pos start;	/* first character (offset in characters) */
	struct sr_pos end;		/* just past the node */
	const char *tag;		/* explicit tag, or NULL */
	size_t weight;	/* private: nodes with aliases expanded */
	union {
		struct {
			const char *str;	/* NUL-terminated */
			size_t len;		/* may contain NULs from escapes */
		} scalar;
		struct {
			struct sr_node **items;
			size_t n;
		} seq;
		struct {
			struct sr_pair *pairs;	/* in source order, merges last */
			size_t n;
		} map;
	} u;
};

struct sr_doc {
	struct sr_node *root;		/* NULL for an empty document */
	struct sr_pos start;
	struct sr_pos end;
	unsigned index;			/* 0-based position in the stream */
};

struct sr_stream {
	struct sr_doc *docs;		/* complete documents only */
	size_t n;
	bool truncated;	/* a problem stopped parsing before the end */
	void *arena;	/* private */
};

struct sr_doc_limits {
	unsigned max_depth;		/* nesting of collections */
	size_t max_alias_expansion;	/* nodes reachable through aliases */
};

#define SR_DOC_LIMITS_INIT { 256, 100000 }

/* Called for each problem; 'rule' is a yaml/... id, 'message' is one line. */
typedef void (*sr_doc_problem_fn)(void *payload, const char *rule,
				  struct sr_pos pos, const char *message);

/*
 * Parse 'len' bytes of UTF-8 at 'text' (a leading BOM is allowed). The
 * text need not be NUL-terminated and must outlive nothing: the stream
 * copies what it keeps. Always returns a stream (possibly with no
 * documents); problems go to 'problem'.
 */
struct sr_stream *sr_stream_parse(const char *text, size_t len,
				  const struct sr_doc_limits *limits,
				  sr_doc_problem_fn problem, void *payload);
/*
 * Like sr_stream_parse, for a reader that needs one document at a time:
 * each complete document goes to 'each' as soon as it ends and is freed
 * when 'each' returns, so memory stays that of the largest document, not
 * of the whole stream (a rendered bundle holds dozens). Problems go to
 * 'problem' as they are found, with the same 'payload'. Returns whether a
 * problem stopped parsing before the end.
 */
typedef void (*sr_doc_fn)(void *payload, const struct sr_doc *doc);
bool sr_stream_each(const char *text, size_t len,
		    const struct sr_doc_limits *limits,
		    sr_doc_problem_fn problem, sr_doc_fn each, void *payload);
/*
 * The same for text known to be JSON. JSON allows what YAML's \u escape
 * does not: a UTF-16 surrogate pair for one character ("\uD83D\uDE00"),
 * which libyaml rejects. Such pairs are rewritten to YAML's \U escape
 * before parsing, padded so that every position outside the string stays
 * where it was.
 */
struct sr_stream *sr_stream_parse_json(const char *text, size_t len,
				       const struct sr_doc_limits *limits,
				       sr_doc_problem_fn problem,
				       void *payload);
void sr_stream_free(struct sr_stream *s);

/* Node access. All returned pointers are borrowed from the stream. */

/* The value for scalar key 'key' in mapping 'map', or NULL. */
struct sr_node *sr_map_get(const struct sr_node *map, const char *key);
/* Like sr_map_get, and also the pair, for positions of the key. */
const struct sr_pair *sr_map_pair(const struct sr_node *map, const char *key);
/* The value at a path of keys, e.g. sr_map_path(n, "metadata", "name", NULL). */
struct sr_node *sr_map_path(const struct sr_node *map, ...);

bool sr_node_is_map(const struct sr_node *n);
bool sr_node_is_seq(const struct sr_node *n);
bool sr_node_is_scalar(const struct sr_node *n);
/* A plain "null", "~", "Null", "NULL" or empty scalar. */
bool sr_node_is_null(const struct sr_node *n);
/* The scalar's text, or NULL for collections and NULL nodes. */
const char *sr_node_str(const struct sr_node *n);
/* Does the scalar equal 's'? */
bool sr_node_eq(const struct sr_node *n, const char *s);

/*
 * YAML 1.2 core-schema resolution of plain scalars. Quoted scalars are
 * always strings. Each returns true and sets *out only when the node is of
 * that type (an integer is not a float for sr_node_float's purposes unless
 * 'allow_int').
 */
bool sr_node_int(const struct sr_node *n, long long *out);
bool sr_node_float(const struct sr_node *n, bool allow_int, double *out);
bool sr_node_bool(const struct sr_node *n, bool *out);

/* The libyaml version in use, for 'srctl version'. */
const char *sr_doc_libyaml_version(void);

/* "mapping", "sequence", "string", "integer", "float", "boolean", "null". */
const char *sr_node_type_name(const struct sr_node *n);

#endif

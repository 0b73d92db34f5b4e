#include "doc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/hash.h"
#include "base/xmalloc.h"
#include "doc/arena.h"
#include "base/banned.h"

/* Saturating weight so alias bombs cannot overflow the count. */
#define WEIGHT_MAX ((size_t)1 << 48)

static size_t weight_add(size_t a, size_t b)
{
	return a + b > WEIGHT_MAX ? WEIGHT_MAX : a + b;
}

/* An open collection while its events arrive. */
struct frame {
	struct sr_node *node;
	struct sr_node **items;	/* seq items, or map keys and values interleaved */
	size_t n;
	size_t cap;
	const char *anchor;	/* its anchor (arena copy), or NULL */
};

/* Anchors of the current document: open addressing on the name. */
struct anchor {
	const char *name;	/* arena copy */
	struct sr_node *node;
	int open;		/* the anchored collection is still being built */
};

struct builder {
	yaml_parser_t parser;
	struct sr_stream *stream;
	struct sr_arena *arena;
	const struct sr_doc_limits *limits;
	sr_doc_problem_fn problem;
	void *payload;

	struct frame *stack;
	size_t depth;
	size_t stack_cap;

	struct anchor *anchors;
	size_t anchor_cap;	/* power of two */
	size_t anchor_n;

	size_t docs_cap;
	sr_doc_fn each;		/* hand documents out instead of keeping them */
	unsigned ndocs;		/* documents ended so far */
	struct sr_doc cur;
	size_t alias_weight;	/* nodes reached through aliases so far */
	int skip;		/* the current document is being dropped */
	int stop;		/* stop reading the stream */
};

static struct sr_pos pos_of(yaml_mark_t m)
{
	struct sr_pos p;

	p.line = (unsigned)m.line + 1;
	p.col = (unsigned)m.column + 1;
	p.offset = m.index;
	return p;
}

static void report(struct builder *b, const char *rule, struct sr_pos pos,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void report(struct builder *b, const char *rule, struct sr_pos pos,
		   const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (b->problem)
		b->problem(b->payload, rule, pos, msg);
}

/* ---- anchors ---- */

static struct anchor *anchor_slot(struct builder *b, const char *name)
{
	size_t mask = b->anchor_cap - 1, i = sr_hash_str(name) & mask;

	while (b->anchors[i].name && strcmp(b->anchors[i].name, name) != 0)
		i = (i + 1) & mask;
	return &b->anchors[i];
}

static const char *anchor_set(struct builder *b, const char *name,
			      struct sr_node *node, int open)
{
	struct anchor *a;

	if (b->anchor_n * 2 >= b->anchor_cap) {
		struct anchor *old = b->anchors;
		size_t i, old_cap = b->anchor_cap;

		b->anchor_cap = old_cap ? old_cap * 2 : 16;
		b->anchors = sr_xcalloc(b->anchor_cap, sizeof(*b->anchors));
		b->anchor_n = 0;
		for (i = 0; i < old_cap; i++) {
			if (old[i].name) {
				*anchor_slot(b, old[i].name) = old[i];
				b->anchor_n++;
			}
		}
		free(old);
	}
	a = anchor_slot(b, name);
	if (!a->name) {
		a->name = sr_arena_strndup(b->arena, name, strlen(name));
		b->anchor_n++;
	}
	a->node = node;
	a->open = open;
	return a->name;
}

static struct anchor *anchor_get(struct builder *b, const char *name)
{
	struct anchor *a;

	if (!b->anchor_cap)
		return NULL;
	a = anchor_slot(b, name);
	return a->name ? a : NULL;
}

static void anchors_clear(struct builder *b)
{
	if (b->anchors)
		memset(b->anchors, 0, b->anchor_cap * sizeof(*b->anchors));
	b->anchor_n = 0;
}

/* ---- building ---- */

static struct sr_node *new_node(struct builder *b, enum sr_node_type type,
				yaml_mark_t start, yaml_mark_t end,
				const yaml_char_t *tag)
{
	struct sr_node *n = sr_arena_alloc(b->arena, sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->type = type;
	n->start = pos_of(start);
	n->end = pos_of(end);
	n->weight = 1;
	if (tag)
		n->tag = sr_arena_strndup(b->arena, (const char *)tag,
					  strlen((const char *)tag));
	return n;
}

static void frame_push_item(struct frame *f, struct sr_node *n)
{
	f->items = sr_xgrow(f->items, &f->cap, f->n + 1, sizeof(*f->items));
	f->items[f->n++] = n;
}

/* Attach a finished node to its parent, or make it the document root. */
static void attach(struct builder *b, struct sr_node *n)
{
	if (b->depth == 0) {
		b->cur.root = n;
		return;
	}
	frame_push_item(&b->stack[b->depth - 1], n);
}

static void drop_document(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->depth; i++)
		free(b->stack[i].items);
	b->skip = 1;
	b->depth = 0;
}

static int is_merge_key(const struct sr_node *k)
{
	return k->type == SR_NODE_SCALAR && k->style == SR_STYLE_PLAIN &&
	       !k->tag && k->u.scalar.len == 2 && k->u.scalar.str[0] == '<' &&
	       k->u.scalar.str[1] == '<';
}

static int key_eq(const struct sr_node *a, const struct sr_node *b)
{
	return a->type == SR_NODE_SCALAR && b->type == SR_NODE_SCALAR &&
	       a->u.scalar.len == b->u.scalar.len &&
	       memcmp(a->u.scalar.str, b->u.scalar.str, a->u.scalar.len) == 0;
}

/*
 * Find duplicate scalar keys among pairs[0..n): report each later one and
 * mark the earlier one dead (the last value wins, as in most YAML loaders).
 * Small maps compare pairwise; large ones use a hash table on the key.
 */
static void check_duplicates(struct builder *b, struct sr_pair *pairs,
			     size_t n, unsigned char *dead)
{
	size_t i, j;

	if (n < 32) {
		for (i = 1; i < n; i++) {
			if (pairs[i].key->type != SR_NODE_SCALAR ||
			    is_merge_key(pairs[i].key))
				continue;
			for (j = 0; j < i; j++) {
				if (!dead[j] && key_eq(pairs[j].key, pairs[i].key)) {
					report(b, "yaml/duplicate-key",
					       pairs[i].key->start,
					       "duplicate key '%s' (first defined at line %u)",
					       pairs[i].key->u.scalar.str,
					       pairs[j].key->start.line);
					dead[j] = 1;
					break;
				}
			}
		}
		return;
	}
	{
		size_t cap = 64, mask;
		size_t *slots;

		while (cap < n * 2)
			cap *= 2;
		mask = cap - 1;
		slots = sr_xmalloc(cap * sizeof(*slots));
		for (i = 0; i < cap; i++)
			slots[i] = (size_t)-1;
		for (i = 0; i < n; i++) {
			const struct sr_node *k = pairs[i].key;
			size_t h;

			if (k->type != SR_NODE_SCALAR || is_merge_key(k))
				continue;
			h = sr_hash_str(k->u.scalar.str) & mask;
			while (slots[h] != (size_t)-1 &&
			       !key_eq(pairs[slots[h]].key, k))
				h = (h + 1) & mask;
			if (slots[h] != (size_t)-1) {
				j = slots[h];
				report(b, "yaml/duplicate-key", k->start,
				       "duplicate key '%s' (first defined at line %u)",
				       k->u.scalar.str, pairs[j].key->start.line);
				dead[j] = 1;
			}
			slots[h] = i;
		}
		free(slots);
	}
}

/*
 * A set of scalar keys (open addressing on their text), so that merging
 * a mapping of n keys costs O(n), not O(n^2).
 */
struct keyset {
	const struct sr_node **slot;
	size_t cap;	/* a power of two, at least twice the keys */
};

static void keyset_init(struct keyset *ks, size_t keys)
{
	ks->cap = 16;
	while (ks->cap < keys * 2)
		ks->cap *= 2;
	ks->slot = sr_xcalloc(ks->cap, sizeof(*ks->slot));
}

/* Add 'k'; false if an equal key was there already. */
static bool keyset_add(struct keyset *ks, const struct sr_node *k)
{
	size_t i = sr_hash_str(k->u.scalar.str) & (ks->cap - 1);

	while (ks->slot[i]) {
		if (key_eq(ks->slot[i], k))
			return false;
		i = (i + 1) & (ks->cap - 1);
	}
	ks->slot[i] = k;
	return true;
}

/*
 * Finish a mapping: pair up keys and values, report duplicates, fold in
 * merge keys. Merged pairs come after the mapping's own, and a key the
 * mapping sets itself (or an earlier merge source sets) is not merged.
 */
static void finish_map(struct builder *b, struct frame *f)
{
	struct sr_node *map = f->node;
	size_t npairs = f->n / 2, i, j, out = 0, merged_cap = 0, nsources = 0;
	struct sr_pair *pairs = sr_xmalloc((npairs ? npairs : 1) * sizeof(*pairs));
	unsigned char *dead = sr_xcalloc(npairs ? npairs : 1, 1);
	struct sr_pair *merged = NULL;
	size_t nmerged = 0;
	struct keyset seen = { NULL, 0 };

	for (i = 0; i < npairs; i++) {
		pairs[i].key = f->items[2 * i];
		pairs[i].value = f->items[2 * i + 1];
	}
	check_duplicates(b, pairs, npairs, dead);

	for (i = 0; i < npairs; i++) {
		struct sr_node *v = pairs[i].value, **srcs = &v;
		size_t nsrc = 1, s;

		if (dead[i] || !is_merge_key(pairs[i].key))
			continue;
		dead[i] = 1;
		if (!nsources++) {
			/* the mapping's own keys win over merged ones */
			keyset_init(&seen, npairs + 16);
			for (j = 0; j < npairs; j++)
				if (!dead[j] && !is_merge_key(pairs[j].key) &&
				    pairs[j].key->type == SR_NODE_SCALAR)
					keyset_add(&seen, pairs[j].key);
		}
		if (v->type == SR_NODE_SEQ) {
			srcs = v->u.seq.items;
			nsrc = v->u.seq.n;
		}
		for (s = 0; s < nsrc; s++) {
			struct sr_node *src = srcs[s];

			if (src->type != SR_NODE_MAP) {
				report(b, "yaml/syntax", src->start,
				       "merge key '<<' needs a mapping or a list of mappings, got %s",
				       sr_node_type_name(src));
				continue;
			}
			for (j = 0; j < src->u.map.n; j++) {
				struct sr_pair *p = &src->u.map.pairs[j];

				if (p->key->type == SR_NODE_SCALAR) {
					if (nmerged * 2 + npairs + 16 > seen.cap) {
						/* grow: rebuild from what is known */
						struct keyset bigger;
						size_t k;

						keyset_init(&bigger, seen.cap);
						for (k = 0; k < seen.cap; k++)
							if (seen.slot[k])
								keyset_add(&bigger, seen.slot[k]);
						free(seen.slot);
						seen = bigger;
					}
					if (!keyset_add(&seen, p->key))
						continue;
				}
				merged = sr_xgrow(merged, &merged_cap, nmerged + 1,
						  sizeof(*merged));
				merged[nmerged++] = *p;
			}
		}
	}
	free(seen.slot);

	map->u.map.pairs = sr_arena_alloc(b->arena,
		(npairs + nmerged ? npairs + nmerged : 1) * sizeof(struct sr_pair));
	for (i = 0; i < npairs; i++) {
		if (dead[i])
			continue;
		map->u.map.pairs[out++] = pairs[i];
		map->weight = weight_add(map->weight, pairs[i].key->weight);
		map->weight = weight_add(map->weight, pairs[i].value->weight);
	}
	for (i = 0; i < nmerged; i++) {
		map->u.map.pairs[out++] = merged[i];
		map->weight = weight_add(map->weight, merged[i].value->weight);
	}
	map->u.map.n = out;
	free(pairs);
	free(dead);
	free(merged);
}

static void finish_seq(struct builder *b, struct frame *f)
{
	struct sr_node *seq = f->node;
	size_t i;

	seq->u.seq.items = sr_arena_alloc(b->arena,
		(f->n ? f->n : 1) * sizeof(struct sr_node *));
	if (f->n)
		memcpy(seq->u.seq.items, f->items, f->n * sizeof(*f->items));
	seq->u.seq.n = f->n;
	for (i = 0; i < f->n; i++)
		seq->weight = weight_add(seq->weight, f->items[i]->weight);
}

static void open_collection(struct builder *b, yaml_event_t *ev,
			    enum sr_node_type type)
{
	const yaml_char_t *tag, *anchor;
	struct sr_node *n;
	struct frame *f;

	if (type == SR_NODE_MAP) {
		tag = ev->data.mapping_start.tag;
		anchor = ev->data.mapping_start.anchor;
	} else {
		tag = ev->data.sequence_start.tag;
		anchor = ev->data.sequence_start.anchor;
	}
	if (b->depth >= b->limits->max_depth) {
		/*
		 * Stop reading the file altogether: libyaml's own cost grows
		 * with the square of flow nesting, so skipping to the end of
		 * the document could take minutes on hostile input.
		 */
		report(b, "yaml/depth-limit", pos_of(ev->start_mark),
		       "nesting deeper than %u levels; the rest of the file is not checked",
		       b->limits->max_depth);
		drop_document(b);
		b->stop = 1;
		return;
	}
	n = new_node(b, type, ev->start_mark, ev->end_mark, tag);
	b->stack = sr_xgrow(b->stack, &b->stack_cap, b->depth + 1,
			    sizeof(*b->stack));
	f = &b->stack[b->depth++];
	f->node = n;
	f->items = NULL;
	f->n = f->cap = 0;
	f->anchor = anchor ? anchor_set(b, (const char *)anchor, n, 1) : NULL;
}

static void close_collection(struct builder *b, yaml_event_t *ev)
{
	struct frame *f = &b->stack[--b->depth];
	struct sr_node *n = f->node;

	n->end = pos_of(ev->end_mark);
	if (n->type == SR_NODE_MAP)
		finish_map(b, f);
	else
		finish_seq(b, f);
	free(f->items);
	/* the anchor may now be used by aliases (unless redefined inside) */
	if (f->anchor) {
		struct anchor *a = anchor_get(b, f->anchor);
		if (a && a->node == n)
			a->open = 0;
	}
	attach(b, n);
}

static void add_scalar(struct builder *b, yaml_event_t *ev)
{
	struct sr_node *n = new_node(b, SR_NODE_SCALAR, ev->start_mark,
				     ev->end_mark, ev->data.scalar.tag);

	switch (ev->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: n->style = SR_STYLE_SINGLE; break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = SR_STYLE_DOUBLE; break;
	case YAML_LITERAL_SCALAR_STYLE: n->style = SR_STYLE_LITERAL; break;
	case YAML_FOLDED_SCALAR_STYLE: n->style = SR_STYLE_FOLDED; break;
	default: n->style = SR_STYLE_PLAIN; break;
	}
	n->u.scalar.len = ev->data.scalar.length;
	n->u.scalar.str = sr_arena_strndup(b->arena,
					   (const char *)ev->data.scalar.value,
					   ev->data.scalar.length);
	if (ev->data.scalar.anchor)
		anchor_set(b, (const char *)ev->data.scalar.anchor, n, 0);
	attach(b, n);
}

static void add_alias(struct builder *b, yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *a = anchor_get(b, name);

	if (!a) {
		/* libyaml's parser does not check this; its loader does */
		report(b, "yaml/syntax", pos_of(ev->start_mark),
		       "alias '*%s' refers to an undefined anchor", name);
		drop_document(b);
		return;
	}
	if (a->open) {
		report(b, "yaml/alias-limit", pos_of(ev->start_mark),
		       "alias '*%s' refers to the collection that contains it (recursive alias)",
		       name);
		drop_document(b);
		return;
	}
	b->alias_weight = weight_add(b->alias_weight, a->node->weight);
	if (b->alias_weight > b->limits->max_alias_expansion) {
		report(b, "yaml/alias-limit", pos_of(ev->start_mark),
		       "aliases expand to more than %zu nodes (alias bomb?); the rest of this document is not checked",
		       b->limits->max_alias_expansion);
		drop_document(b);
		return;
	}
	attach(b, a->node);
}

static void push_document(struct builder *b)
{
	struct sr_stream *s = b->stream;

	b->cur.index = b->ndocs++;
	if (b->each) {
		b->each(b->payload, &b->cur);
		/* nothing of a finished document is referenced any more */
		sr_arena_reset(b->arena);
		return;
	}
	s->docs = sr_xgrow(s->docs, &b->docs_cap, s->n + 1, sizeof(*s->docs));
	s->docs[s->n++] = b->cur;
}

/* Handle one event. Returns 0 at the end of the stream. */
static int handle(struct builder *b, yaml_event_t *ev)
{
	if (b->skip) {
		switch (ev->type) {
		case YAML_DOCUMENT_END_EVENT:
			b->skip = 0;
			anchors_clear(b);
			return 1;
		case YAML_STREAM_END_EVENT:
			return 0;
		default:
			return 1;
		}
	}
	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
		break;
	case YAML_STREAM_END_EVENT:
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		memset(&b->cur, 0, sizeof(b->cur));
		b->cur.start = pos_of(ev->start_mark);
		b->alias_weight = 0;
		break;
	case YAML_DOCUMENT_END_EVENT:
		b->cur.end = pos_of(ev->end_mark);
		push_document(b);
		anchors_clear(b);
		break;
	case YAML_SCALAR_EVENT:
		add_scalar(b, ev);
		break;
	case YAML_ALIAS_EVENT:
		add_alias(b, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		open_collection(b, ev, SR_NODE_SEQ);
		break;
	case YAML_MAPPING_START_EVENT:
		open_collection(b, ev, SR_NODE_MAP);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		close_collection(b, ev);
		break;
	default:
		break;
	}
	return 1;
}

static void report_parser_error(struct builder *b)
{
	yaml_parser_t *p = &b->parser;
	const char *what = p->problem ? p->problem : "malformed YAML";
	yaml_mark_t m = p->problem_mark;

	if (p->error == YAML_MEMORY_ERROR) {
		what = "out of memory";
	} else if (p->error == YAML_READER_ERROR) {
		/* reader errors carry a byte offset only */
		m = p->mark;
	}
	if (p->context)
		report(b, "yaml/syntax", pos_of(m), "%s %s (started at line %zu)",
		       what, p->context, p->context_mark.line + 1);
	else
		report(b, "yaml/syntax", pos_of(m), "%s", what);
}

static void builder_init(struct builder *b,
			 const struct sr_doc_limits *limits,
			 sr_doc_problem_fn problem, void *payload)
{
	static const struct sr_doc_limits dflt = SR_DOC_LIMITS_INIT;

	memset(b, 0, sizeof(*b));
	b->limits = limits ? limits : &dflt;
	b->problem = problem;
	b->payload = payload;
	b->stream = sr_xcalloc(1, sizeof(*b->stream));
	b->arena = sr_arena_new();
	b->stream->arena = b->arena;
}

/* Build documents from the text into b->stream (or hand them to b->each). */
static void parse(struct builder *b, const char *text, size_t len)
{
	yaml_event_t ev;
	size_t i;

	if (!yaml_parser_initialize(&b->parser)) {
		report(b, "yaml/syntax", (struct sr_pos){ 1, 1, 0 },
		       "cannot initialise the YAML parser");
		b->stream->truncated = true;
		return;
	}
	/*
	 * With the encoding set explicitly, libyaml counts a byte order mark
	 * as a column of line 1; it is not part of the text anyway.
	 */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	}
	yaml_parser_set_input_string(&b->parser, (const unsigned char *)text,
				     len);
	yaml_parser_set_encoding(&b->parser, YAML_UTF8_ENCODING);
	for (;;) {
		int more;

		if (!yaml_parser_parse(&b->parser, &ev)) {
			report_parser_error(b);
			b->stream->truncated = true;
			break;
		}
		more = handle(b, &ev);
		yaml_event_delete(&ev);
		if (b->stop) {
			b->stream->truncated = true;
			break;
		}
		if (!more)
			break;
	}
	for (i = 0; i < b->depth; i++)
		free(b->stack[i].items);
	free(b->stack);
	free(b->anchors);
	yaml_parser_delete(&b->parser);
}

struct sr_stream *sr_stream_parse(const char *text, size_t len,
				  const struct sr_doc_limits *limits,
				  sr_doc_problem_fn problem, void *payload)
{
	struct builder b;

	builder_init(&b, limits, problem, payload);
	parse(&b, text, len);
	return b.stream;
}

bool sr_stream_each(const char *text, size_t len,
		    const struct sr_doc_limits *limits,
		    sr_doc_problem_fn problem, sr_doc_fn each, void *payload)
{
	struct builder b;
	bool truncated;

	builder_init(&b, limits, problem, payload);
	b.each = each;
	parse(&b, text, len);
	truncated = b.stream->truncated;
	sr_stream_free(b.stream);
	return truncated;
}

static int hex4(const char *s)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Is there a surrogate pair escape at s (12 bytes available)? */
static long surrogate_pair(const char *s)
{
	int hi, lo;

	if (s[0] != '\\' || s[1] != 'u' || s[6] != '\\' || s[7] != 'u')
		return -1;
	hi = hex4(s + 2);
	lo = hex4(s + 8);
	if (hi < 0xd800 || hi > 0xdbff || lo < 0xdc00 || lo > 0xdfff)
		return -1;
	return 0x10000 + ((long)(hi - 0xd800) << 10) + (lo - 0xdc00);
}

struct sr_stream *sr_stream_parse_json(const char *text, size_t len,
				       const struct sr_doc_limits *limits,
				       sr_doc_problem_fn problem,
				       void *payload)
{
	struct sr_stream *st;
	size_t i = 0, o = 0, pad = 0;
	bool in_str = false, found = false;
	char *copy;

	for (i = 0; i + 12 <= len && !found; i++)
		found = surrogate_pair(text + i) >= 0;
	if (!found)
		return sr_stream_parse(text, len, limits, problem, payload);

	/* each 12-byte pair becomes 10 bytes, and 2 spaces follow the string */
	copy = sr_xmalloc(len + 1);
	for (i = 0; i < len;) {
		char c = text[i];
		long cp;

		if (!in_str) {
			in_str = c == '"';
			copy[o++] = text[i++];
			continue;
		}
		if (c == '"') {
			copy[o++] = text[i++];
			memset(copy + o, ' ', pad);
			o += pad;
			pad = 0;
			in_str = false;
			continue;
		}
		if (c == '\\' && i + 12 <= len && (cp = surrogate_pair(text + i)) >= 0) {
			char esc[24];

			/* cp <= 0x10FFFF: always exactly 10 bytes */
			snprintf(esc, sizeof(esc), "\\U%08lX", cp);
			memcpy(copy + o, esc, 10);
			o += 10;
			i += 12;
			pad += 2;
			continue;
		}
		if (c == '\\' && i + 1 < len)
			copy[o++] = text[i++];
		copy[o++] = text[i++];
	}
	st = sr_stream_parse(copy, o, limits, problem, payload);
	free(copy);
	return st;
}

void sr_stream_free(struct sr_stream *s)
{
	if (!s)
		return;
	sr_arena_free(s->arena);
	free(s->docs);
	free(s);
}

/* ---- access ---- */

const struct sr_pair *sr_map_pair(const struct sr_node *map, const char *key)
{
	size_t i, klen;

	if (!map || map->type != SR_NODE_MAP)
		return NULL;
	klen = strlen(key);
	for (i = 0; i < map->u.map.n; i++) {
		const struct sr_node *k = map->u.map.pairs[i].key;
		if (k->type == SR_NODE_SCALAR && k->u.scalar.len == klen &&
		    memcmp(k->u.scalar.str, key, klen) == 0)
			return &map->u.map.pairs[i];
	}
	return NULL;
}

struct sr_node *sr_map_get(const struct sr_node *map, const char *key)
{
	const struct sr_pair *p = sr_map_pair(map, key);

	return p ? p->value : NULL;
}

struct sr_node *sr_map_path(const struct sr_node *map, ...)
{
	const struct sr_node *n = map;
	const char *key;
	va_list ap;

	va_start(ap, map);
	while (n && (key = va_arg(ap, const char *)) != NULL)
		n = sr_map_get(n, key);
	va_end(ap);
	return (struct sr_node *)n;
}

bool sr_node_is_map(const struct sr_node *n)
{
	return n && n->type == SR_NODE_MAP;
}

bool sr_node_is_seq(const struct sr_node *n)
{
	return n && n->type == SR_NODE_SEQ;
}

bool sr_node_is_scalar(const struct sr_node *n)
{
	return n && n->type == SR_NODE_SCALAR;
}

static bool tagged(const struct sr_node *n, const char *name)
{
	return n->tag && strcmp(n->tag, name) == 0;
}

#define TAG_STR "tag:yaml.org,2002:str"

/* Plain and not forced to a string by a tag: subject to resolution. */
static bool resolvable(const struct sr_node *n)
{
	return n && n->type == SR_NODE_SCALAR && n->style == SR_STYLE_PLAIN &&
	       !tagged(n, TAG_STR);
}

bool sr_node_is_null(const struct sr_node *n)
{
	const char *s;

	if (!resolvable(n))
		return false;
	s = n->u.scalar.str;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}

const char *sr_node_str(const struct sr_node *n)
{
	if (!n || n->type != SR_NODE_SCALAR || sr_node_is_null(n))
		return NULL;
	return n->u.scalar.str;
}

bool sr_node_eq(const struct sr_node *n, const char *s)
{
	return n && n->type == SR_NODE_SCALAR && strcmp(n->u.scalar.str, s) == 0;
}

bool sr_node_int(const struct sr_node *n, long long *out)
{
	const char *s;
	char *end;
	long long v;
	int base = 10;

	if (!resolvable(n) || !n->u.scalar.len)
		return false;
	s = n->u.scalar.str;
	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		const char *d;

		base = s[1] == 'o' ? 8 : 16;
		s += 2;
		if (!*s)
			return false;
		/* strtoll would also take spaces, a sign or a second "0x" */
		for (d = s; *d; d++)
			if (base == 8 ? (*d < '0' || *d > '7') : !isxdigit((unsigned char)*d))
				return false;
	} else {
		const char *d = s + (*s == '-' || *s == '+');
		if (!*d)
			return false;
		for (; *d; d++)
			if (*d < '0' || *d > '9')
				return false;
	}
	errno = 0;
	v = strtoll(s, &end, base);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static bool is_float_syntax(const char *s)
{
	int digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF") ||
	    !strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN"))
		return true;
	while (*s >= '0' && *s <= '9') {
		s++;
		digits++;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			s++;
			digits++;
		}
	}
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

bool sr_node_float(const struct sr_node *n, bool allow_int, double *out)
{
	long long i;
	const char *s;

	if (!resolvable(n))
		return false;
	if (sr_node_int(n, &i)) {
		if (!allow_int)
			return false;
		*out = (double)i;
		return true;
	}
	s = n->u.scalar.str;
	if (!is_float_syntax(s))
		return false;
	if (strstr(s, "inf") || strstr(s, "Inf") || strstr(s, "INF"))
		*out = s[0] == '-' ? -INFINITY : INFINITY;
	else if (strstr(s, "nan") || strstr(s, "NaN") || strstr(s, "NAN"))
		*out = NAN;
	else
		*out = strtod(s, NULL);
	return true;
}

bool sr_node_bool(const struct sr_node *n, bool *out)
{
	const char *s;

	if (!resolvable(n))
		return false;
	s = n->u.scalar.str;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
		*out = true;
		return true;
	}
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
		*out = false;
		return true;
	}
	return false;
}

const char *sr_node_type_name(const struct sr_node *n)
{
	long long i;
	double d;
	bool b;

	if (!n)
		return "nothing";
	switch (n->type) {
	case SR_NODE_MAP:
		return "mapping";
	case SR_NODE_SEQ:
		return "sequence";
	default:
		break;
	}
	if (sr_node_is_null(n))
		return "null";
	if (sr_node_int(n, &i))
		return "integer";
	if (sr_node_float(n, false, &d))
		return "float";
	if (sr_node_bool(n, &b))
		return "boolean";
	return "string";
}

const char *sr_doc_libyaml_version(void)
{
	return yaml_get_version_string();
}

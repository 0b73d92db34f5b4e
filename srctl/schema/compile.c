/*
 * Compiling schemas: documents become trees of struct sr_schema, every
 * "$id" becomes a resource and every anchor an entry of its resource, and
 * then every "$ref" and "$dynamicRef" is linked to its target, loading
 * embedded meta-schemas and mapped files as references need them.
 */
#include "schema/internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/hash.h"
#include "base/xmalloc.h"
#include "engine/regex.h"
#include "base/banned.h"

/* Files a mapped prefix may serve: schemas, not arbitrary data. */
#define MAX_REMOTE_SIZE (16u << 20)

struct res_entry {
	char *uri;
	struct sr_schema__res *res;
};

struct node_entry {
	const struct sr_node *node;
	struct sr_schema *s;
};

struct mapping {
	char *prefix;
	char *dir;
};

struct sr_schema_set {
	struct sr_schema_options opts;
	struct res_entry *rmap;		/* open addressing on uri */
	size_t rmap_cap, rmap_n;
	struct sr_schema__res **res;	/* owned */
	size_t nres, res_cap;
	struct node_entry *nmap;	/* open addressing on node */
	size_t nmap_cap, nmap_n;
	struct sr_schema **all;		/* owned */
	size_t nall, all_cap;
	struct sr_schema **pending;	/* not linked yet */
	size_t npending, pending_cap;
	struct sr_stream **streams;	/* owned */
	size_t nstreams, streams_cap;
	struct mapping *maps;
	size_t nmaps, maps_cap;
	char **names;		/* file names for messages, owned */
	size_t nnames, names_cap;
	unsigned counter;
};

struct cctx {
	struct sr_schema_set *set;
	struct sr_schema__res *res;
	const char *base;
	unsigned draft;
	unsigned vocab;
	struct sr_buf *loc;
	bool doc_root;
};

static int bad(const struct cctx *c, const struct sr_node *at,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(const struct cctx *c, const struct sr_node *at,
	       const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (at)
		sr_error_set("%s:%u:%u: %s", c->res->file, at->start.line,
			     at->start.col, msg);
	else
		sr_error_set("%s: %s", c->res->file, msg);
	return SR_EINVALID;
}

/* ---- maps ---- */

static uint64_t hash_ptr(const void *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static struct res_entry *rmap_slot(struct res_entry *tab, size_t cap,
				   const char *uri)
{
	size_t mask = cap - 1, i = sr_hash_bytes(uri, strlen(uri)) & mask;

	while (tab[i].uri && strcmp(tab[i].uri, uri) != 0)
		i = (i + 1) & mask;
	return &tab[i];
}

static struct sr_schema__res *res_lookup(const struct sr_schema_set *set,
					 const char *uri)
{
	struct res_entry *e;

	if (!set->rmap_cap)
		return NULL;
	e = rmap_slot(set->rmap, set->rmap_cap, uri);
	return e->uri ? e->res : NULL;
}

static void rmap_put(struct sr_schema_set *set, const char *uri,
		     struct sr_schema__res *res)
{
	struct res_entry *e;

	if ((set->rmap_n + 1) * 2 > set->rmap_cap) {
		struct res_entry *old = set->rmap;
		size_t i, old_cap = set->rmap_cap;

		set->rmap_cap = old_cap ? old_cap * 2 : 32;
		set->rmap = sr_xcalloc(set->rmap_cap, sizeof(*set->rmap));
		for (i = 0; i < old_cap; i++)
			if (old[i].uri)
				*rmap_slot(set->rmap, set->rmap_cap,
					   old[i].uri) = old[i];
		free(old);
	}
	e = rmap_slot(set->rmap, set->rmap_cap, uri);
	if (!e->uri) {
		e->uri = sr_xstrdup(uri);
		set->rmap_n++;
	}
	e->res = res;
}

static struct node_entry *nmap_slot(struct node_entry *tab, size_t cap,
				    const struct sr_node *n)
{
	size_t mask = cap - 1, i = hash_ptr(n) & mask;

	while (tab[i].node && tab[i].node != n)
		i = (i + 1) & mask;
	return &tab[i];
}

static struct sr_schema *node_lookup(const struct sr_schema_set *set,
				     const struct sr_node *n)
{
	struct node_entry *e;

	if (!set->nmap_cap)
		return NULL;
	e = nmap_slot(set->nmap, set->nmap_cap, n);
	return e->node ? e->s : NULL;
}

static void nmap_put(struct sr_schema_set *set, const struct sr_node *n,
		     struct sr_schema *s)
{
	struct node_entry *e;

	if ((set->nmap_n + 1) * 2 > set->nmap_cap) {
		struct node_entry *old = set->nmap;
		size_t i, old_cap = set->nmap_cap;

		set->nmap_cap = old_cap ? old_cap * 2 : 256;
		set->nmap = sr_xcalloc(set->nmap_cap, sizeof(*set->nmap));
		for (i = 0; i < old_cap; i++)
			if (old[i].node)
				*nmap_slot(set->nmap, set->nmap_cap,
					   old[i].node) = old[i];
		free(old);
	}
	e = nmap_slot(set->nmap, set->nmap_cap, n);
	if (!e->node)
		set->nmap_n++;
	e->node = n;
	e->s = s;
}

/* ---- resources ---- */

static struct sr_schema__res *res_new(struct sr_schema_set *set,
				      const char *uri, const char *file,
				      const struct sr_node *node,
				      unsigned draft, unsigned vocab)
{
	struct sr_schema__res *r = sr_xcalloc(1, sizeof(*r));

	r->uri = sr_xstrdup(uri);
	r->file = file;
	r->node = node;
	r->draft = draft;
	r->vocab = vocab;
	set->res = sr_xgrow(set->res, &set->res_cap, set->nres + 1,
			    sizeof(*set->res));
	set->res[set->nres++] = r;
	return r;
}

static void add_anchor(struct sr_schema__res *r, const char *name,
		       struct sr_schema *s, bool dynamic)
{
	size_t i;

	for (i = 0; i < r->nanchors; i++) {
		if (!strcmp(r->anchors[i].name, name)) {
			/* "$anchor" and "$dynamicAnchor" of the same name */
			r->anchors[i].dynamic |= dynamic;
			return;
		}
	}
	r->anchors = sr_xgrow(r->anchors, &r->anchors_cap, r->nanchors + 1,
			      sizeof(*r->anchors));
	r->anchors[r->nanchors].name = sr_xstrdup(name);
	r->anchors[r->nanchors].s = s;
	r->anchors[r->nanchors].dynamic = dynamic;
	r->nanchors++;
	if (dynamic)
		r->has_dynamic = true;
}

static const struct sr_schema__anchor *find_anchor(
	const struct sr_schema__res *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nanchors; i++)
		if (!strcmp(r->anchors[i].name, name))
			return &r->anchors[i];
	return NULL;
}

struct sr_schema *sr_schema__dynamic_anchor(const struct sr_schema__res *r,
					    const char *name)
{
	const struct sr_schema__anchor *a;

	if (!r->has_dynamic)
		return NULL;
	a = find_anchor(r, name);
	return a && a->dynamic ? a->s : NULL;
}

/* ---- keyword values ---- */

static const char *str_of(const struct sr_node *n)
{
	if (sr_schema__kind(n) != SR_JT_STR)
		return NULL;
	return n->u.scalar.str;
}

static bool is_bool_schema(const struct sr_node *n, bool *v)
{
	return n && n->type == SR_NODE_SCALAR && sr_node_bool(n, v);
}

/* A non-negative integer keyword ("minLength": 2, or 2.0). */
static int nonneg(const struct cctx *c, const struct sr_node *n,
		  const char *kw, size_t *out)
{
	struct sr_num num;
	size_t v = 0, i;

	if (sr_schema__kind(n) != SR_JT_INT || !sr_schema__num(n, &num) ||
	    num.neg)
		return bad(c, n, "'%s' must be a non-negative integer", kw);
	if (num.ndig + num.exp > 19) {
		*out = (size_t)-1;
		return 0;
	}
	for (i = 0; i < (size_t)(num.ndig + num.exp); i++)
		v = v * 10 + (size_t)(i < num.ndig ? num.dig[i] : 0);
	*out = v;
	return 0;
}

static int number(const struct cctx *c, const struct sr_node *n,
		  const char *kw, struct sr_num *out)
{
	if (!(sr_schema__kind(n) & SR_JT_NUMBER) || !sr_schema__num(n, out))
		return bad(c, n, "'%s' must be a number", kw);
	return 0;
}

static unsigned type_bits(const char *name)
{
	static const struct {
		const char *name;
		unsigned bits;
	} types[] = {
		{ "null", SR_JT_NULL }, { "boolean", SR_JT_BOOL },
		{ "integer", SR_JT_INT }, { "number", SR_JT_NUMBER },
		{ "string", SR_JT_STR }, { "array", SR_JT_ARR },
		{ "object", SR_JT_OBJ },
	};
	size_t i;

	for (i = 0; i < SR_ARRAY_SIZE(types); i++)
		if (!strcmp(types[i].name, name))
			return types[i].bits;
	return 0;
}

/* ---- compiling ---- */

static int compile(struct cctx *c, const struct sr_node *n,
		   struct sr_schema **out);

static void loc_push(struct sr_buf *loc, const char *seg, size_t len)
{
	size_t i;

	sr_buf_addc(loc, '/');
	for (i = 0; i < len; i++) {
		if (seg[i] == '~')
			sr_buf_adds(loc, "~0");
		else if (seg[i] == '/')
			sr_buf_adds(loc, "~1");
		else
			sr_buf_addc(loc, seg[i]);
	}
}

static int sub(struct cctx *c, const struct sr_node *n, const char *kw,
	       const char *key, size_t keylen, struct sr_schema **out)
{
	size_t save = c->loc->len;
	int ret;

	loc_push(c->loc, kw, strlen(kw));
	if (key)
		loc_push(c->loc, key, keylen);
	ret = compile(c, n, out);
	c->loc->len = save;
	c->loc->ptr[save] = '\0';
	return ret;
}

static int sub_index(struct cctx *c, const struct sr_node *n,
		     const char *kw, size_t i, struct sr_schema **out)
{
	char idx[32];

	snprintf(idx, sizeof(idx), "%zu", i);
	return sub(c, n, kw, idx, strlen(idx), out);
}

/* An array of schemas; 'nonempty' for allOf and friends. */
static int schema_array(struct cctx *c, const struct sr_node *n,
			const char *kw, struct sr_schema ***out, size_t *nout)
{
	size_t i;
	int ret;
	bool may_be_empty = !strcmp(kw, "items");

	if (n->type != SR_NODE_SEQ || (!n->u.seq.n && !may_be_empty))
		return bad(c, n, "'%s' must be a non-empty array of schemas",
			   kw);
	*out = sr_xcalloc(n->u.seq.n ? n->u.seq.n : 1, sizeof(**out));
	*nout = n->u.seq.n;
	for (i = 0; i < n->u.seq.n; i++) {
		ret = sub_index(c, n->u.seq.items[i], kw, i, &(*out)[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int prop_cmp(const void *a, const void *b)
{
	const struct sr_schema__prop *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->name, y->name, x->len);
}

/* An object of schemas ("properties", "dependentSchemas"), sorted. */
static int schema_map(struct cctx *c, const struct sr_node *n,
		      const char *kw, struct sr_schema__prop **out,
		      size_t *nout)
{
	size_t i;
	int ret;

	if (n->type != SR_NODE_MAP)
		return bad(c, n, "'%s' must be an object of schemas", kw);
	*out = sr_xcalloc(n->u.map.n ? n->u.map.n : 1, sizeof(**out));
	*nout = n->u.map.n;
	for (i = 0; i < n->u.map.n; i++) {
		struct sr_schema__prop *p = &(*out)[i];

		p->name = sr_schema__key(n->u.map.pairs[i].key, &p->len);
		ret = sub(c, n->u.map.pairs[i].value, kw, p->name, p->len,
			  &p->s);
		if (ret)
			return ret;
	}
	qsort(*out, *nout, sizeof(**out), prop_cmp);
	return 0;
}

static int string_array(struct cctx *c, const struct sr_node *n,
			const char *kw, const struct sr_node ***out,
			size_t *nout)
{
	size_t i;

	if (n->type != SR_NODE_SEQ)
		return bad(c, n, "'%s' must be an array of strings", kw);
	for (i = 0; i < n->u.seq.n; i++)
		if (n->u.seq.items[i]->type != SR_NODE_SCALAR)
			return bad(c, n->u.seq.items[i],
				   "'%s' must be an array of strings", kw);
	*out = sr_xcalloc(n->u.seq.n ? n->u.seq.n : 1, sizeof(**out));
	*nout = n->u.seq.n;
	for (i = 0; i < n->u.seq.n; i++)
		(*out)[i] = n->u.seq.items[i];
	return 0;
}

static void push_pending(struct sr_schema_set *set, struct sr_schema *s)
{
	set->pending = sr_xgrow(set->pending, &set->pending_cap,
				set->npending + 1, sizeof(*set->pending));
	set->pending[set->npending++] = s;
}

/* Known dialects by "$schema" URI (without an empty fragment). */
static bool known_dialect(const char *uri, unsigned *draft)
{
	static const char *const d2020[] = {
		"https://json-schema.org/draft/2020-12/schema",
		"http://json-schema.org/draft/2020-12/schema",
		"https://json-schema.org/draft/2019-09/schema",
		"http://json-schema.org/draft/2019-09/schema",
		"https://json-schema.org/v1",
	};
	static const char *const d7[] = {
		"http://json-schema.org/draft-07/schema",
		"https://json-schema.org/draft-07/schema",
		"http://json-schema.org/draft-06/schema",
		"https://json-schema.org/draft-06/schema",
		"http://json-schema.org/draft-04/schema",
		"https://json-schema.org/draft-04/schema",
	};
	size_t i;

	for (i = 0; i < SR_ARRAY_SIZE(d2020); i++) {
		if (!strcmp(uri, d2020[i])) {
			*draft = SR_SCHEMA_DRAFT_2020_12;
			return true;
		}
	}
	for (i = 0; i < SR_ARRAY_SIZE(d7); i++) {
		if (!strcmp(uri, d7[i])) {
			*draft = SR_SCHEMA_DRAFT_7;
			return true;
		}
	}
	return false;
}

static int load_document(struct sr_schema_set *set, const char *uri);

/* The vocabularies a meta-schema's "$vocabulary" turns on. */
static int meta_vocab(struct cctx *c, const struct sr_node *at,
		      const struct sr_node *meta, unsigned *vocab)
{
#define VOCAB "https://json-schema.org/draft/2020-12/vocab/"
	static const struct {
		const char *uri;
		unsigned bit;
	} vocabs[] = {
		{ VOCAB "core", SR_VOC_CORE },
		{ VOCAB "applicator", SR_VOC_APPLICATOR },
		{ VOCAB "unevaluated", SR_VOC_UNEVALUATED },
		{ VOCAB "validation", SR_VOC_VALIDATION },
		{ VOCAB "meta-data", SR_VOC_META },
		{ VOCAB "format-annotation", SR_VOC_FORMAT },
		{ VOCAB "format-assertion",
		  SR_VOC_FORMAT_ASSERT | SR_VOC_FORMAT },
		{ VOCAB "content", SR_VOC_CONTENT },
	};
#undef VOCAB
	const struct sr_node *v = sr_map_get(meta, "$vocabulary");
	size_t i, k;

	if (!v || v->type != SR_NODE_MAP) {
		*vocab = SR_VOC_ALL_2020;
		return 0;
	}
	*vocab = SR_VOC_CORE;
	for (i = 0; i < v->u.map.n; i++) {
		const char *name = sr_node_str(v->u.map.pairs[i].key);
		bool required = false, known = false;

		sr_node_bool(v->u.map.pairs[i].value, &required);
		for (k = 0; name && k < SR_ARRAY_SIZE(vocabs); k++) {
			if (!strcmp(vocabs[k].uri, name)) {
				*vocab |= vocabs[k].bit;
				known = true;
			}
		}
		if (!known && required)
			return bad(c, at, "the meta-schema requires vocabulary "
				   "'%s', which srctl does not support",
				   name ? name : "");
	}
	return 0;
}

/* Apply "$schema" at a resource root: sets c->draft and c->vocab. */
static int apply_dialect(struct cctx *c, const struct sr_node *sn)
{
	const char *s = str_of(sn);
	char *uri = NULL;
	const char *frag;
	struct sr_schema__res *meta;
	unsigned draft;
	int ret = 0;

	if (!s)
		return bad(c, sn, "'$schema' must be a string");
	uri = sr_schema__uri_split(s, &frag);
	if (known_dialect(uri, &draft)) {
		c->draft = draft;
		c->vocab = draft == SR_SCHEMA_DRAFT_7 ? 0 : SR_VOC_ALL_2020;
		goto done;
	}
	meta = res_lookup(c->set, uri);
	if (!meta && load_document(c->set, uri) == 0)
		meta = res_lookup(c->set, uri);
	if (!meta) {
		/* an unknown dialect: keep the current one */
		sr_error_clear();
		goto done;
	}
	c->draft = meta->draft;
	if (c->draft == SR_SCHEMA_DRAFT_7)
		c->vocab = 0;
	else
		ret = meta_vocab(c, sn, meta->node, &c->vocab);
done:
	free(uri);
	return ret;
}

/* "$id": a new resource (or, in draft-07, a plain-name anchor). */
static int apply_id(struct cctx *c, const struct sr_node *idn,
		    struct sr_schema *s)
{
	const char *id = str_of(idn), *frag;
	char *abs = NULL, *uri = NULL;
	struct sr_schema__res *r;
	int ret = 0;

	if (!id)
		return bad(c, idn, "'$id' must be a string");
	if (id[0] == '#' && c->draft == SR_SCHEMA_DRAFT_7) {
		if (id[1])
			add_anchor(c->res, id + 1, s, false);
		return 0;
	}
	abs = sr_schema__uri_resolve(c->base, id);
	uri = sr_schema__uri_split(abs, &frag);
	if (c->doc_root || !strcmp(uri, c->res->uri)) {
		/* the document's own identity: an alias of its resource */
		r = res_lookup(c->set, uri);
		if (r && r != c->res) {
			ret = bad(c, idn, "schema '%s' is defined twice", uri);
			goto done;
		}
		if (!r) {
			free(c->res->uri);
			c->res->uri = sr_xstrdup(uri);
			rmap_put(c->set, uri, c->res);
		}
	} else {
		if (res_lookup(c->set, uri)) {
			ret = bad(c, idn, "schema '%s' is defined twice", uri);
			goto done;
		}
		r = res_new(c->set, uri, c->res->file, s->node, c->draft,
			    c->vocab);
		rmap_put(c->set, uri, r);
		r->root = s;
		c->res = r;
	}
	c->base = c->res->uri;
	if (frag && *frag && c->draft == SR_SCHEMA_DRAFT_7)
		add_anchor(c->res, frag, s, false);
done:
	free(abs);
	free(uri);
	return ret;
}

static int compile_ref(struct cctx *c, const struct sr_node *n, char **uri,
		       const char *kw)
{
	const char *ref = str_of(n);

	if (!ref)
		return bad(c, n, "'%s' must be a string", kw);
	*uri = sr_schema__uri_resolve(c->base, ref);
	return 0;
}

static int compile_pattern(struct cctx *c, const struct sr_node *n,
			   const char *text, size_t len, struct sr_regex **out)
{
	if (sr_regex_new(out, text, len, SR_REGEX_ECMA) < 0)
		return bad(c, n, "%s", sr_error_last());
	return 0;
}

/* A type name; YAML's plain null ("type: [string, null]") counts. */
static const char *type_name(const struct sr_node *n)
{
	if (sr_node_is_null(n))
		return "null";
	return str_of(n);
}

static int compile_type(struct cctx *c, struct sr_schema *s,
			const struct sr_node *v)
{
	size_t i;

	s->type_node = v;
	if (v->type == SR_NODE_SEQ) {
		for (i = 0; i < v->u.seq.n; i++) {
			const char *t = type_name(v->u.seq.items[i]);
			unsigned bits = t ? type_bits(t) : 0;

			if (!bits)
				return bad(c, v->u.seq.items[i],
					   "unknown type in 'type'");
			s->types |= bits;
		}
	} else {
		const char *t = type_name(v);

		s->types = t ? type_bits(t) : 0;
		if (!s->types)
			return bad(c, v, "'type' must be a type name or an "
				   "array of them");
	}
	s->has |= SR_K_TYPE;
	return 0;
}

/* The validation vocabulary, shared by both drafts. */
static int compile_validation(struct cctx *c, struct sr_schema *s,
			      const struct sr_node *m)
{
	const struct sr_node *v;
	int ret;
	size_t i;

	if ((v = sr_map_get(m, "type")) && (ret = compile_type(c, s, v)))
		return ret;
	if ((v = sr_map_get(m, "enum"))) {
		if (v->type != SR_NODE_SEQ)
			return bad(c, v, "'enum' must be an array");
		s->enum_vals = sr_xcalloc(v->u.seq.n ? v->u.seq.n : 1,
					  sizeof(*s->enum_vals));
		for (i = 0; i < v->u.seq.n; i++)
			s->enum_vals[i] = v->u.seq.items[i];
		s->n_enum = v->u.seq.n;
		s->has |= SR_K_ENUM;
	}
	if (sr_map_pair(m, "const")) {
		s->const_val = sr_map_get(m, "const");
		s->has |= SR_K_CONST;
	}
	if ((v = sr_map_get(m, "multipleOf"))) {
		if ((ret = number(c, v, "multipleOf", &s->multiple_of)))
			return ret;
		if (s->multiple_of.neg || !s->multiple_of.ndig ||
		    s->multiple_of.kind != SR_NUM_FINITE)
			return bad(c, v, "'multipleOf' must be greater than 0");
		s->multiple_of_node = v;
		s->has |= SR_K_MULT;
	}
	if ((v = sr_map_get(m, "minimum"))) {
		if ((ret = number(c, v, "minimum", &s->minimum)))
			return ret;
		s->minimum_node = v;
		s->has |= SR_K_MIN;
	}
	if ((v = sr_map_get(m, "maximum"))) {
		if ((ret = number(c, v, "maximum", &s->maximum)))
			return ret;
		s->maximum_node = v;
		s->has |= SR_K_MAX;
	}
	if ((v = sr_map_get(m, "exclusiveMinimum"))) {
		if ((ret = number(c, v, "exclusiveMinimum", &s->xminimum)))
			return ret;
		s->xminimum_node = v;
		s->has |= SR_K_XMIN;
	}
	if ((v = sr_map_get(m, "exclusiveMaximum"))) {
		if ((ret = number(c, v, "exclusiveMaximum", &s->xmaximum)))
			return ret;
		s->xmaximum_node = v;
		s->has |= SR_K_XMAX;
	}
	if ((v = sr_map_get(m, "minLength"))) {
		if ((ret = nonneg(c, v, "minLength", &s->min_len)))
			return ret;
		s->has |= SR_K_MINLEN;
	}
	if ((v = sr_map_get(m, "maxLength"))) {
		if ((ret = nonneg(c, v, "maxLength", &s->max_len)))
			return ret;
		s->has |= SR_K_MAXLEN;
	}
	if ((v = sr_map_get(m, "pattern"))) {
		if (sr_schema__kind(v) != SR_JT_STR)
			return bad(c, v, "'pattern' must be a string");
		if ((ret = compile_pattern(c, v, v->u.scalar.str,
					   v->u.scalar.len, &s->pattern)))
			return ret;
	}
	if ((v = sr_map_get(m, "minItems"))) {
		if ((ret = nonneg(c, v, "minItems", &s->min_items)))
			return ret;
		s->has |= SR_K_MINITEMS;
	}
	if ((v = sr_map_get(m, "maxItems"))) {
		if ((ret = nonneg(c, v, "maxItems", &s->max_items)))
			return ret;
		s->has |= SR_K_MAXITEMS;
	}
	if ((v = sr_map_get(m, "uniqueItems"))) {
		bool b;

		if (!sr_node_bool(v, &b))
			return bad(c, v, "'uniqueItems' must be a boolean");
		if (b)
			s->has |= SR_K_UNIQUE;
	}
	if ((v = sr_map_get(m, "minProperties"))) {
		if ((ret = nonneg(c, v, "minProperties", &s->min_props)))
			return ret;
		s->has |= SR_K_MINPROPS;
	}
	if ((v = sr_map_get(m, "maxProperties"))) {
		if ((ret = nonneg(c, v, "maxProperties", &s->max_props)))
			return ret;
		s->has |= SR_K_MAXPROPS;
	}
	if ((v = sr_map_get(m, "required")) &&
	    (ret = string_array(c, v, "required", &s->required,
				&s->nrequired)))
		return ret;
	return 0;
}

static int compile_dep_required(struct cctx *c, struct sr_schema *s,
				const struct sr_pair *p, const char *kw)
{
	struct sr_schema__names *d;
	int ret;

	s->dep_required = sr_xrealloc(s->dep_required,
				      (s->n_dep_required + 1) *
				      sizeof(*s->dep_required));
	d = &s->dep_required[s->n_dep_required++];
	memset(d, 0, sizeof(*d));
	d->name = sr_schema__key(p->key, &d->len);
	ret = string_array(c, p->value, kw, &d->req, &d->nreq);
	return ret;
}

static int compile_dependencies(struct cctx *c, struct sr_schema *s,
				const struct sr_node *v)
{
	size_t i;
	int ret;

	if (v->type != SR_NODE_MAP)
		return bad(c, v, "'dependencies' must be an object");
	for (i = 0; i < v->u.map.n; i++) {
		const struct sr_pair *p = &v->u.map.pairs[i];
		struct sr_schema__prop *d;

		if (p->value->type == SR_NODE_SEQ) {
			ret = compile_dep_required(c, s, p, "dependencies");
			if (ret)
				return ret;
			s->dep_required_kw = "dependencies";
			continue;
		}
		s->dep_schemas = sr_xrealloc(s->dep_schemas,
					     (s->n_dep_schemas + 1) *
					     sizeof(*s->dep_schemas));
		d = &s->dep_schemas[s->n_dep_schemas++];
		d->name = sr_schema__key(p->key, &d->len);
		d->s = NULL;
		if ((ret = sub(c, p->value, "dependencies", d->name, d->len,
			       &d->s)))
			return ret;
	}
	return 0;
}

static int compile_items(struct cctx *c, struct sr_schema *s,
			 const struct sr_node *m)
{
	const struct sr_node *v;
	int ret;

	if (c->draft == SR_SCHEMA_DRAFT_7) {
		v = sr_map_get(m, "items");
		if (v && v->type == SR_NODE_SEQ) {
			if ((ret = schema_array(c, v, "items", &s->prefix_items,
						&s->n_prefix_items)))
				return ret;
			if ((v = sr_map_get(m, "additionalItems"))) {
				if ((ret = sub(c, v, "additionalItems", NULL, 0,
					       &s->items)))
					return ret;
				s->items_kw = "additionalItems";
			}
		} else if (v) {
			if ((ret = sub(c, v, "items", NULL, 0, &s->items)))
				return ret;
			s->items_kw = "items";
		}
		return 0;
	}
	if ((v = sr_map_get(m, "prefixItems")) &&
	    (ret = schema_array(c, v, "prefixItems", &s->prefix_items,
				&s->n_prefix_items)))
		return ret;
	if ((v = sr_map_get(m, "items"))) {
		if ((ret = sub(c, v, "items", NULL, 0, &s->items)))
			return ret;
		s->items_kw = "items";
	}
	return 0;
}

/* The applicator vocabulary (and draft-07's equivalents). */
static int compile_applicators(struct cctx *c, struct sr_schema *s,
			       const struct sr_node *m)
{
	const struct sr_node *v;
	size_t i;
	int ret;

	if ((v = sr_map_get(m, "allOf")) &&
	    (ret = schema_array(c, v, "allOf", &s->all_of, &s->n_all_of)))
		return ret;
	if ((v = sr_map_get(m, "anyOf")) &&
	    (ret = schema_array(c, v, "anyOf", &s->any_of, &s->n_any_of)))
		return ret;
	if ((v = sr_map_get(m, "oneOf")) &&
	    (ret = schema_array(c, v, "oneOf", &s->one_of, &s->n_one_of)))
		return ret;
	if ((v = sr_map_get(m, "not")) &&
	    (ret = sub(c, v, "not", NULL, 0, &s->not_)))
		return ret;
	if ((v = sr_map_get(m, "if")) &&
	    (ret = sub(c, v, "if", NULL, 0, &s->if_)))
		return ret;
	if ((v = sr_map_get(m, "then")) &&
	    (ret = sub(c, v, "then", NULL, 0, &s->then_)))
		return ret;
	if ((v = sr_map_get(m, "else")) &&
	    (ret = sub(c, v, "else", NULL, 0, &s->else_)))
		return ret;
	if ((v = sr_map_get(m, "properties")) &&
	    (ret = schema_map(c, v, "properties", &s->props, &s->nprops)))
		return ret;
	if ((v = sr_map_get(m, "patternProperties"))) {
		if (v->type != SR_NODE_MAP)
			return bad(c, v, "'patternProperties' must be an "
				   "object of schemas");
		s->pprops = sr_xcalloc(v->u.map.n ? v->u.map.n : 1,
				       sizeof(*s->pprops));
		for (i = 0; i < v->u.map.n; i++) {
			const struct sr_pair *p = &v->u.map.pairs[i];
			size_t klen;
			const char *k = sr_schema__key(p->key, &klen);

			s->npprops = i + 1;
			if ((ret = compile_pattern(c, p->key, k, klen,
						   &s->pprops[i].re)))
				return ret;
			if ((ret = sub(c, p->value, "patternProperties", k,
				       klen, &s->pprops[i].s)))
				return ret;
		}
	}
	if ((v = sr_map_get(m, "additionalProperties")) &&
	    (ret = sub(c, v, "additionalProperties", NULL, 0,
		       &s->additional_props)))
		return ret;
	if ((v = sr_map_get(m, "propertyNames")) &&
	    (ret = sub(c, v, "propertyNames", NULL, 0, &s->property_names)))
		return ret;
	if ((v = sr_map_get(m, "contains")) &&
	    (ret = sub(c, v, "contains", NULL, 0, &s->contains)))
		return ret;
	if ((ret = compile_items(c, s, m)))
		return ret;
	/* draft-07's keyword, still honoured in 2020-12 schemas */
	if ((v = sr_map_get(m, "dependencies")) &&
	    (ret = compile_dependencies(c, s, v)))
		return ret;
	if (c->draft == SR_SCHEMA_DRAFT_7)
		return 0;
	if ((v = sr_map_get(m, "dependentSchemas")) &&
	    (ret = schema_map(c, v, "dependentSchemas", &s->dep_schemas,
			      &s->n_dep_schemas)))
		return ret;
	return 0;
}

static int compile_contains_bounds(struct cctx *c, struct sr_schema *s,
				   const struct sr_node *m)
{
	const struct sr_node *v;
	int ret;

	if ((v = sr_map_get(m, "minContains"))) {
		if ((ret = nonneg(c, v, "minContains", &s->min_contains)))
			return ret;
		s->has |= SR_K_MINCONTAINS;
	}
	if ((v = sr_map_get(m, "maxContains"))) {
		if ((ret = nonneg(c, v, "maxContains", &s->max_contains)))
			return ret;
		s->has |= SR_K_MAXCONTAINS;
	}
	return 0;
}

static int compile_defs(struct cctx *c, const struct sr_node *m,
			const char *kw)
{
	const struct sr_node *v = sr_map_get(m, kw);
	size_t i;
	int ret;

	if (!v)
		return 0;
	if (v->type != SR_NODE_MAP)
		return bad(c, v, "'%s' must be an object of schemas", kw);
	for (i = 0; i < v->u.map.n; i++) {
		const struct sr_pair *p = &v->u.map.pairs[i];
		struct sr_schema *d;
		size_t klen;
		const char *k = sr_schema__key(p->key, &klen);

		if ((ret = sub(c, p->value, kw, k, klen, &d)))
			return ret;
	}
	return 0;
}

static struct sr_schema *new_schema(struct cctx *c, const struct sr_node *n)
{
	struct sr_schema_set *set = c->set;
	struct sr_schema *s = sr_xcalloc(1, sizeof(*s));

	s->node = n;
	s->set = set;
	s->min_contains = 1;
	s->dep_required_kw = "dependentRequired";
	s->res = c->res;
	s->draft = (unsigned char)c->draft;
	s->vocab = c->vocab;
	set->all = sr_xgrow(set->all, &set->all_cap, set->nall + 1,
			    sizeof(*set->all));
	set->all[set->nall++] = s;
	nmap_put(set, n, s);
	return s;
}

static int compile_keywords(struct cctx *c, struct sr_schema *s,
			    const struct sr_node *m)
{
	const struct sr_node *v;
	bool d7 = c->draft == SR_SCHEMA_DRAFT_7;
	bool ref_only = d7 && sr_map_get(m, "$ref");
	unsigned voc = c->vocab;
	int ret;

	s->res = c->res;
	s->loc = sr_xstrdup(sr_buf_cstr(c->loc));
	if (c->res->root == NULL)
		c->res->root = s;
	c->doc_root = false;
	if (!d7) {
		if ((v = sr_map_get(m, "$anchor"))) {
			if (!str_of(v))
				return bad(c, v, "'$anchor' must be a string");
			add_anchor(c->res, str_of(v), s, false);
		}
		if ((v = sr_map_get(m, "$dynamicAnchor"))) {
			if (!str_of(v))
				return bad(c, v,
					   "'$dynamicAnchor' must be a string");
			add_anchor(c->res, str_of(v), s, true);
		}
	}
	if ((v = sr_map_get(m, "$ref"))) {
		if ((ret = compile_ref(c, v, &s->ref_uri, "$ref")))
			return ret;
		s->ref_node = v;
		push_pending(c->set, s);
	}
	if (!d7 && (v = sr_map_get(m, "$dynamicRef"))) {
		if ((ret = compile_ref(c, v, &s->dynref_uri, "$dynamicRef")))
			return ret;
		s->dynref_node = v;
		if (!s->ref_uri)
			push_pending(c->set, s);
	}
	/* subschemas that only references reach, compiled for their ids */
	if ((ret = compile_defs(c, m, "definitions")))
		return ret;
	if (!d7 && (ret = compile_defs(c, m, "$defs")))
		return ret;
	if (ref_only)
		return 0;
	if ((d7 || (voc & SR_VOC_APPLICATOR)) &&
	    (ret = compile_applicators(c, s, m)))
		return ret;
	if (!d7 && (voc & SR_VOC_UNEVALUATED)) {
		if ((v = sr_map_get(m, "unevaluatedProperties")) &&
		    (ret = sub(c, v, "unevaluatedProperties", NULL, 0,
			       &s->uneval_props)))
			return ret;
		if ((v = sr_map_get(m, "unevaluatedItems")) &&
		    (ret = sub(c, v, "unevaluatedItems", NULL, 0,
			       &s->uneval_items)))
			return ret;
		s->needs_marks = s->uneval_props || s->uneval_items;
	}
	if (d7 || (voc & SR_VOC_VALIDATION)) {
		if ((ret = compile_validation(c, s, m)))
			return ret;
		if (!d7 && (ret = compile_contains_bounds(c, s, m)))
			return ret;
		if (!d7 && (v = sr_map_get(m, "dependentRequired"))) {
			size_t i;

			if (v->type != SR_NODE_MAP)
				return bad(c, v, "'dependentRequired' must be "
					   "an object");
			for (i = 0; i < v->u.map.n; i++) {
				ret = compile_dep_required(c, s,
							   &v->u.map.pairs[i],
							   "dependentRequired");
				if (ret)
					return ret;
			}
		}
	}
	if ((d7 || (voc & (SR_VOC_FORMAT | SR_VOC_FORMAT_ASSERT))) &&
	    (v = sr_map_get(m, "format"))) {
		if (!str_of(v))
			return bad(c, v, "'format' must be a string");
		s->format = str_of(v);
		s->format_id = sr_schema__format_id(s->format);
		s->format_assert = c->set->opts.format_assert ||
				   (voc & SR_VOC_FORMAT_ASSERT);
		if (s->format_id)
			s->has |= SR_K_FORMAT;
	}
	if (!d7 && (voc & SR_VOC_CONTENT) &&
	    (v = sr_map_get(m, "contentSchema"))) {
		struct sr_schema *cs;

		if ((ret = sub(c, v, "contentSchema", NULL, 0, &cs)))
			return ret;
	}
	return 0;
}

/* "$id" first: it changes the base of everything else. */
static int compile_map(struct cctx *c, struct sr_schema *s,
		       const struct sr_node *m)
{
	struct sr_buf own = SR_BUF_INIT;
	struct sr_schema__res *outer = c->res;
	const struct sr_node *v = sr_map_get(m, "$id");
	int ret = 0;

	if (v && !(c->draft == SR_SCHEMA_DRAFT_7 && sr_map_get(m, "$ref"))) {
		ret = apply_id(c, v, s);
		if (ret)
			goto done;
	}
	if (c->res != outer)
		c->loc = &own;	/* locations restart at a new resource */
	ret = compile_keywords(c, s, m);
done:
	sr_buf_release(&own);
	return ret;
}

static int compile(struct cctx *c, const struct sr_node *n,
		   struct sr_schema **out)
{
	struct cctx inner = *c;
	struct sr_schema *s;
	const struct sr_node *v;
	bool b;
	int ret;

	*out = node_lookup(c->set, n);
	if (*out)
		return 0;
	if (is_bool_schema(n, &b)) {
		s = new_schema(c, n);
		s->boolean = b ? 1 : 2;
		s->loc = sr_xstrdup(sr_buf_cstr(c->loc));
		if (c->res->root == NULL)
			c->res->root = s;
		*out = s;
		return 0;
	}
	if (!n || n->type != SR_NODE_MAP)
		return bad(c, n,
			   "a schema must be an object or a boolean, got %s",
			   sr_schema__kind_name(sr_schema__kind(n)));
	/* "$schema" first: it decides what the other keywords mean */
	if ((v = sr_map_get(n, "$schema")) &&
	    (c->doc_root || sr_map_get(n, "$id"))) {
		ret = apply_dialect(&inner, v);
		if (ret)
			return ret;
		if (c->doc_root) {
			c->res->draft = inner.draft;
			c->res->vocab = inner.vocab;
		}
	}
	s = new_schema(&inner, n);
	*out = s;
	return compile_map(&inner, s, n);
}

/* ---- references ---- */

/* Follow a JSON pointer (already percent-decoded) from 'n'. */
static const struct sr_node *walk_pointer(const struct sr_node *n,
					  const char *ptr, size_t len)
{
	size_t i = 0;
	struct sr_buf tok = SR_BUF_INIT;

	while (n && i < len) {
		size_t k;

		if (ptr[i] != '/') {
			n = NULL;
			break;
		}
		i++;
		sr_buf_reset(&tok);
		sr_buf_add(&tok, "", 0);
		while (i < len && ptr[i] != '/') {
			if (ptr[i] == '~' && i + 1 < len && ptr[i + 1] == '0') {
				sr_buf_addc(&tok, '~');
				i += 2;
			} else if (ptr[i] == '~' && i + 1 < len &&
				   ptr[i + 1] == '1') {
				sr_buf_addc(&tok, '/');
				i += 2;
			} else {
				sr_buf_addc(&tok, ptr[i++]);
			}
		}
		if (n->type == SR_NODE_MAP) {
			const struct sr_node *next = NULL;

			for (k = 0; k < n->u.map.n; k++) {
				size_t klen;
				const char *key = sr_schema__key(
					n->u.map.pairs[k].key, &klen);

				if (klen == tok.len &&
				    !memcmp(key, tok.ptr, klen))
					next = n->u.map.pairs[k].value;
			}
			n = next;
		} else if (n->type == SR_NODE_SEQ) {
			char *end;
			unsigned long idx;

			errno = 0;
			idx = strtoul(tok.ptr, &end, 10);
			if (!tok.len || *end || errno || idx >= n->u.seq.n ||
			    (tok.ptr[0] == '0' && tok.len > 1))
				n = NULL;
			else
				n = n->u.seq.items[idx];
		} else {
			n = NULL;
		}
	}
	sr_buf_release(&tok);
	return n;
}

struct sr_schema *sr_schema__resolve(struct sr_schema_set *set,
				     const char *uri, bool *dynamic)
{
	const char *frag;
	char *base = sr_schema__uri_split(uri, &frag);
	char *dec = NULL;
	struct sr_schema__res *r = res_lookup(set, base);
	struct sr_schema *s = NULL;
	size_t dlen;

	*dynamic = false;
	if (!r && load_document(set, base) == 0)
		r = res_lookup(set, base);
	if (!r) {
		if (!*sr_error_last())
			sr_error_set("cannot resolve '%s'", uri);
		goto done;
	}
	if (!frag || !*frag) {
		s = r->root;
		goto done;
	}
	dec = sr_schema__pct_decode(frag, &dlen);
	if (dec[0] == '/') {
		const struct sr_node *n = walk_pointer(r->node, dec, dlen);
		struct sr_buf loc = SR_BUF_INIT;
		struct cctx c;

		if (!n) {
			sr_error_set("cannot resolve '%s': no such location",
				     uri);
			goto done;
		}
		s = node_lookup(set, n);
		if (s)
			goto done;
		/* a location no keyword compiled: compile it now */
		memset(&c, 0, sizeof(c));
		c.set = set;
		c.res = r;
		c.base = r->uri;
		c.draft = r->draft;
		c.vocab = r->vocab;
		c.loc = &loc;
		sr_buf_add(&loc, dec, dlen);
		if (compile(&c, n, &s) < 0)
			s = NULL;
		sr_buf_release(&loc);
	} else {
		const struct sr_schema__anchor *a = find_anchor(r, dec);

		if (!a) {
			sr_error_set("cannot resolve '%s': no anchor '%s'",
				     uri, dec);
			goto done;
		}
		s = a->s;
		*dynamic = a->dynamic;
	}
done:
	free(dec);
	free(base);
	return s;
}

/* Prefix the last error with the position of 'at'. */
static void error_at(const struct sr_schema *s, const struct sr_node *at,
		     const char *kw)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s", sr_error_last());
	sr_error_set("%s:%u:%u: %s '%.200s': %s", s->res->file,
		     at->start.line, at->start.col, kw, at->u.scalar.str, msg);
}

/* Link every pending reference; the first failure is returned. */
static int link_pending(struct sr_schema_set *set, size_t mark)
{
	int ret = 0;

	while (set->npending > mark) {
		struct sr_schema *s = set->pending[--set->npending];
		bool dynamic;

		if (s->ref_uri && !s->ref) {
			sr_error_clear();
			s->ref = sr_schema__resolve(set, s->ref_uri, &dynamic);
			if (!s->ref && !ret) {
				error_at(s, s->ref_node, "$ref");
				ret = SR_EINVALID;
			}
		}
		if (s->dynref_uri && !s->dynref) {
			const char *frag = strchr(s->dynref_uri, '#');

			sr_error_clear();
			s->dynref = sr_schema__resolve(set, s->dynref_uri,
						       &dynamic);
			if (!s->dynref && !ret) {
				error_at(s, s->dynref_node, "$dynamicRef");
				ret = SR_EINVALID;
			}
			if (s->dynref && dynamic && frag) {
				size_t len;

				s->dynref_name = sr_schema__pct_decode(frag + 1,
								       &len);
			}
		}
	}
	return ret;
}

/* ---- documents ---- */

static int add_document(struct sr_schema **out, struct sr_schema_set *set,
			const char *uri, const char *file,
			const struct sr_node *root)
{
	struct sr_schema__res *r;
	struct sr_buf loc = SR_BUF_INIT;
	struct cctx c;
	size_t mark = set->npending;
	int ret;

	*out = NULL;
	if (res_lookup(set, uri)) {
		sr_error_set("%s: schema '%s' is defined twice", file, uri);
		return SR_EINVALID;
	}
	memset(&c, 0, sizeof(c));
	c.set = set;
	c.draft = set->opts.default_draft;
	c.vocab = c.draft == SR_SCHEMA_DRAFT_7 ? 0 : SR_VOC_ALL_2020;
	r = res_new(set, uri, file, root, c.draft, c.vocab);
	rmap_put(set, uri, r);
	c.res = r;
	c.base = r->uri;
	c.loc = &loc;
	c.doc_root = true;
	ret = compile(&c, root, out);
	if (!ret)
		ret = link_pending(set, mark);
	set->npending = mark;
	sr_buf_release(&loc);
	if (ret)
		*out = NULL;
	return ret;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct sr_buf b = SR_BUF_INIT;
	char chunk[65536];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		sr_buf_add(&b, chunk, n);
		if (b.len > MAX_REMOTE_SIZE)
			break;
	}
	if (ferror(f) || b.len > MAX_REMOTE_SIZE) {
		fclose(f);
		sr_buf_release(&b);
		return NULL;
	}
	fclose(f);
	*len = b.len;
	return sr_buf_detach(&b);
}

struct parse_problem {
	char msg[512];
	bool seen;
};

static void on_problem(void *payload, const char *rule, struct sr_pos pos,
		       const char *message)
{
	struct parse_problem *p = payload;

	/* duplicate keys are tolerated in schemas, as JSON parsers do */
	if (p->seen || !strcmp(rule, "yaml/duplicate-key"))
		return;
	p->seen = true;
	snprintf(p->msg, sizeof(p->msg), "%u:%u: %s", pos.line, pos.col,
		 message);
}

/* A copy of 'name' that lives as long as the set. */
static char *keep_name(struct sr_schema_set *set, const char *name)
{
	set->names = sr_xgrow(set->names, &set->names_cap, set->nnames + 1,
			      sizeof(*set->names));
	set->names[set->nnames] = sr_xstrdup(name);
	return set->names[set->nnames++];
}

static int parse_and_add(struct sr_schema **out, struct sr_schema_set *set,
			 const char *uri, const char *file, const char *text,
			 size_t len)
{
	struct parse_problem prob;
	struct sr_stream *st;
	const char *ext;
	char *fname;

	memset(&prob, 0, sizeof(prob));
	*out = NULL;
	ext = file ? strrchr(file, '.') : NULL;
	if (ext && !strcmp(ext, ".json"))
		st = sr_stream_parse_json(text, len, NULL, on_problem, &prob);
	else
		st = sr_stream_parse(text, len, NULL, on_problem, &prob);
	if (prob.seen || !st->n) {
		sr_error_set("%s:%s", file, prob.seen ? prob.msg :
			     " no document");
		sr_stream_free(st);
		return SR_EPARSE;
	}
	set->streams = sr_xgrow(set->streams, &set->streams_cap,
				set->nstreams + 1, sizeof(*set->streams));
	set->streams[set->nstreams++] = st;
	fname = keep_name(set, file);
	return add_document(out, set, uri, fname, st->docs[0].root);
}

static int load_document(struct sr_schema_set *set, const char *uri)
{
	const char *text = sr_schema__meta_text(uri);
	struct sr_schema *s;
	size_t i, len;
	int ret;

	if (text)
		return parse_and_add(&s, set, uri, uri, text, strlen(text));
	for (i = 0; i < set->nmaps; i++) {
		const struct mapping *m = &set->maps[i];
		size_t plen;
		char *path, *data;
		struct sr_buf p = SR_BUF_INIT;

		plen = strlen(m->prefix);
		if (strncmp(uri, m->prefix, plen) != 0)
			continue;
		if (strstr(uri + plen, "..") || strchr(uri + plen, '?')) {
			sr_error_set("refusing to load '%s'", uri);
			return SR_EINVALID;
		}
		sr_buf_addf(&p, "%s/%s", m->dir, uri + plen);
		path = sr_buf_detach(&p);
		data = read_file(path, &len);
		if (!data) {
			sr_error_set("cannot resolve '%s': cannot read '%s'",
				     uri, path);
			free(path);
			return SR_ENOTFOUND;
		}
		ret = parse_and_add(&s, set, uri, path, data, len);
		free(data);
		free(path);
		return ret;
	}
	sr_error_set("cannot resolve '%s': not a known schema (srctl never "
		     "fetches schemas from the network)",
		     uri);
	return SR_ENOTFOUND;
}

/* ---- API ---- */

int sr_schema_set_new(struct sr_schema_set **out,
		      const struct sr_schema_options *opts)
{
	static const struct sr_schema_options dflt = SR_SCHEMA_OPTIONS_INIT;
	struct sr_schema_set *set = sr_xcalloc(1, sizeof(*set));

	set->opts = opts ? *opts : dflt;
	*out = set;
	return 0;
}

void sr_schema_set_map(struct sr_schema_set *set, const char *prefix,
		       const char *dir)
{
	set->maps = sr_xgrow(set->maps, &set->maps_cap, set->nmaps + 1,
			     sizeof(*set->maps));
	set->maps[set->nmaps].prefix = sr_xstrdup(prefix);
	set->maps[set->nmaps].dir = sr_xstrdup(dir);
	set->nmaps++;
}

int sr_schema_add(const struct sr_schema **out, struct sr_schema_set *set,
		  const char *uri, const char *file,
		  const struct sr_node *root)
{
	char gen[64];
	struct sr_schema *s = NULL;
	char *name;
	int ret;

	if (!uri) {
		snprintf(gen, sizeof(gen), "urn:srctl:schema:%u",
			 ++set->counter);
		uri = gen;
	}
	name = keep_name(set, file ? file : uri);
	{
		const char *frag;
		char *clean = sr_schema__uri_split(uri, &frag);

		ret = add_document(&s, set, clean, name, root);
		free(clean);
	}
	*out = s;
	return ret;
}

int sr_schema_load(const struct sr_schema **out, struct sr_schema_set *set,
		   const char *uri, const char *file, const char *text,
		   size_t len)
{
	char gen[64];
	struct sr_schema *s = NULL;
	int ret;

	if (!uri) {
		snprintf(gen, sizeof(gen), "urn:srctl:schema:%u",
			 ++set->counter);
		uri = gen;
	}
	ret = parse_and_add(&s, set, uri, file ? file : uri, text, len);
	*out = s;
	return ret;
}

int sr_schema_get(const struct sr_schema **out, struct sr_schema_set *set,
		  const char *uri)
{
	size_t mark = set->npending;
	struct sr_schema *s;
	bool dynamic;
	int ret;

	*out = NULL;
	sr_error_clear();
	s = sr_schema__resolve(set, uri, &dynamic);
	if (!s) {
		set->npending = mark;
		return SR_ENOTFOUND;
	}
	ret = link_pending(set, mark);
	set->npending = mark;
	if (ret)
		return ret;
	*out = s;
	return 0;
}

const char *sr_schema_uri(const struct sr_schema *s)
{
	return s->res->uri;
}

static void schema_free(struct sr_schema *s)
{
	size_t i;

	free(s->loc);
	free(s->ref_uri);
	free(s->dynref_uri);
	free(s->dynref_name);
	free(s->all_of);
	free(s->any_of);
	free(s->one_of);
	free(s->dep_schemas);
	free(s->props);
	for (i = 0; i < s->npprops; i++)
		sr_regex_free(s->pprops[i].re);
	free(s->pprops);
	free(s->required);
	for (i = 0; i < s->n_dep_required; i++)
		free(s->dep_required[i].req);
	free(s->dep_required);
	free(s->prefix_items);
	free(s->enum_vals);
	sr_regex_free(s->pattern);
	free(s);
}

void sr_schema_set_free(struct sr_schema_set *set)
{
	size_t i, k;

	if (!set)
		return;
	for (i = 0; i < set->nall; i++)
		schema_free(set->all[i]);
	free(set->all);
	for (i = 0; i < set->nres; i++) {
		struct sr_schema__res *r = set->res[i];

		for (k = 0; k < r->nanchors; k++)
			free(r->anchors[k].name);
		free(r->anchors);
		free(r->uri);
		free(r);
	}
	free(set->res);
	for (i = 0; i < set->rmap_cap; i++)
		free(set->rmap[i].uri);
	free(set->rmap);
	free(set->nmap);
	free(set->pending);
	for (i = 0; i < set->nstreams; i++)
		sr_stream_free(set->streams[i]);
	free(set->streams);
	for (i = 0; i < set->nmaps; i++) {
		free(set->maps[i].prefix);
		free(set->maps[i].dir);
	}
	free(set->maps);
	for (i = 0; i < set->nnames; i++)
		free(set->names[i]);
	free(set->names);
	free(set);
}

/*
 * Evaluating compiled schemas against instances.
 *
 * Validation runs twice at most: a fast pass that only answers valid or
 * not (stopping at the first failure), and, for an invalid instance, a
 * second pass that collects one record per violation. Annotations for
 * unevaluatedProperties/unevaluatedItems are bitmaps over the instance's
 * pairs or items ("marks"), filled by the keywords that evaluate them and
 * passed through in-place applicators; a branch that fails gets a
 * scratch bitmap that is dropped.
 */
#include "schema/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/xmalloc.h"
#include "engine/regex.h"
#include "base/banned.h"

/* Schema evaluations one validation may take before it gives up. */
#define MAX_STEPS 10000000UL
/* Nested evaluations: a "$ref" cycle that never reaches a value. */
#define MAX_NESTING 1500

struct seg {
	const struct sr_node *key;	/* NULL for an array index */
	size_t index;
};

struct err {
	struct sr_pos pos;
	size_t depth;			/* instance depth */
	size_t order;
	const char *keyword;
	char *pointer;
	char *schema_path;
	char *message;
	size_t label_len;		/* message starts with the label */
	const struct sr_node *at;
	char *expect;		/* type/const/enum: what was wanted */
};

struct marks {
	unsigned char *bits;
	size_t n;
};

struct vctx {
	bool collect;
	bool aborted;
	struct err *errs;
	size_t nerrs, errs_cap, order;
	struct seg *path;
	size_t depth, path_cap;
	const struct sr_schema__res **scope;
	size_t nscope, scope_cap;
	unsigned long steps;
	unsigned nesting;
	const struct sr_node *name_key;	/* validating a property name */
	size_t label_skip;	/* label the parent of the last segment */
};

static bool eval(struct vctx *c, const struct sr_schema *s,
		 const struct sr_node *inst, struct marks *m);

/* ---- marks ---- */

static void marks_init(struct marks *m, const struct sr_node *inst)
{
	size_t n = 0;

	if (inst && inst->type == SR_NODE_MAP)
		n = inst->u.map.n;
	else if (inst && inst->type == SR_NODE_SEQ)
		n = inst->u.seq.n;
	m->n = n;
	m->bits = n ? sr_xcalloc(n, 1) : NULL;
}

static void marks_merge(struct marks *into, const struct marks *from)
{
	size_t i;

	if (!into || !from)
		return;
	for (i = 0; i < into->n && i < from->n; i++)
		into->bits[i] |= from->bits[i];
}

static void mark(struct marks *m, size_t i)
{
	if (m && i < m->n)
		m->bits[i] = 1;
}

/* ---- errors ---- */

static void add_escaped(struct sr_buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '~')
			sr_buf_adds(b, "~0");
		else if (s[i] == '/')
			sr_buf_adds(b, "~1");
		else
			sr_buf_addc(b, s[i]);
	}
}

static char *pointer_of(const struct vctx *c)
{
	struct sr_buf b = SR_BUF_INIT;
	size_t i;

	sr_buf_add(&b, "", 0);
	for (i = 0; i < c->depth; i++) {
		sr_buf_addc(&b, '/');
		if (c->path[i].key) {
			size_t len;
			const char *k = sr_schema__key(c->path[i].key, &len);

			add_escaped(&b, k, len);
		} else {
			sr_buf_addf(&b, "%zu", c->path[i].index);
		}
	}
	return sr_buf_detach(&b);
}

static void add_key_text(struct sr_buf *b, const struct sr_node *key)
{
	size_t len;
	const char *k = sr_schema__key(key, &len);

	if (len > 60) {
		sr_buf_add(b, k, 60);
		sr_buf_adds(b, "...");
	} else {
		sr_buf_add(b, k, len);
	}
}

/* "timeout", "containers[0]", "(root)" or 'property name "x"'. */
static void add_label(struct sr_buf *b, const struct vctx *c)
{
	size_t depth = c->depth - c->label_skip, i = depth, k;

	if (c->name_key) {
		sr_buf_adds(b, "property name \"");
		add_key_text(b, c->name_key);
		sr_buf_addc(b, '"');
		return;
	}
	while (i > 0 && !c->path[i - 1].key)
		i--;
	if (i == 0 && depth == 0) {
		sr_buf_adds(b, "(root)");
		return;
	}
	if (i > 0)
		add_key_text(b, c->path[i - 1].key);
	for (k = i; k < depth; k++)
		sr_buf_addf(b, "[%zu]", c->path[k].index);
}

static void report(struct vctx *c, const struct sr_node *at,
		   const char *keyword, const struct sr_schema *s,
		   const char *expect, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void report(struct vctx *c, const struct sr_node *at,
		   const char *keyword, const struct sr_schema *s,
		   const char *expect, const char *fmt, ...)
{
	struct sr_buf msg = SR_BUF_INIT, path = SR_BUF_INIT;
	struct err *e;
	size_t label_len;
	va_list ap;

	if (!c->collect)
		return;
	add_label(&msg, c);
	label_len = msg.len;
	sr_buf_adds(&msg, ": ");
	va_start(ap, fmt);
	sr_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	c->errs = sr_xgrow(c->errs, &c->errs_cap, c->nerrs + 1,
			   sizeof(*c->errs));
	e = &c->errs[c->nerrs++];
	memset(e, 0, sizeof(*e));
	if (at)
		e->pos = at->start;
	e->depth = c->depth;
	e->order = c->order++;
	e->keyword = keyword;
	e->pointer = pointer_of(c);
	if (s) {
		sr_buf_adds(&path, s->res->uri);
		sr_buf_addc(&path, '#');
		sr_buf_adds(&path, s->loc ? s->loc : "");
		if (keyword && strcmp(keyword, "false")) {
			sr_buf_addc(&path, '/');
			sr_buf_adds(&path, keyword);
		}
		e->schema_path = sr_buf_detach(&path);
	}
	e->message = sr_buf_detach(&msg);
	e->label_len = label_len;
	e->at = at;
	e->expect = expect ? sr_xstrdup(expect) : NULL;
}

static void err_free(struct err *e)
{
	free(e->pointer);
	free(e->schema_path);
	free(e->message);
	free(e->expect);
}

static void truncate_errs(struct vctx *c, size_t n)
{
	while (c->nerrs > n)
		err_free(&c->errs[--c->nerrs]);
}

static void append_to_message(struct err *e, const char *suffix)
{
	struct sr_buf b = SR_BUF_INIT;

	sr_buf_adds(&b, e->message);
	sr_buf_adds(&b, suffix);
	free(e->message);
	e->message = sr_buf_detach(&b);
}

/* ---- paths and scopes ---- */

static void push_key(struct vctx *c, const struct sr_node *key)
{
	c->path = sr_xgrow(c->path, &c->path_cap, c->depth + 1,
			   sizeof(*c->path));
	c->path[c->depth].key = key;
	c->path[c->depth].index = 0;
	c->depth++;
}

static void push_index(struct vctx *c, size_t i)
{
	c->path = sr_xgrow(c->path, &c->path_cap, c->depth + 1,
			   sizeof(*c->path));
	c->path[c->depth].key = NULL;
	c->path[c->depth].index = i;
	c->depth++;
}

static void pop(struct vctx *c)
{
	c->depth--;
}

/* ---- keyword helpers ---- */

static void describe_types(struct sr_buf *b, const struct sr_schema *s)
{
	const struct sr_node *t = s->type_node;
	size_t i;

	if (t->type != SR_NODE_SEQ) {
		sr_buf_adds(b, sr_node_is_null(t) ? "null" : t->u.scalar.str);
		return;
	}
	for (i = 0; i < t->u.seq.n; i++) {
		const struct sr_node *x = t->u.seq.items[i];

		if (i)
			sr_buf_adds(b, i + 1 == t->u.seq.n ? " or " : ", ");
		sr_buf_adds(b, sr_node_is_null(x) ? "null" : x->u.scalar.str);
	}
}

static void describe_enum(struct sr_buf *b, const struct sr_schema *s)
{
	size_t i;

	for (i = 0; i < s->n_enum; i++) {
		if (i == 10) {
			sr_buf_addf(b, ", ... (%zu in all)", s->n_enum);
			break;
		}
		if (i)
			sr_buf_adds(b, i + 1 == s->n_enum ? " or " : ", ");
		sr_schema__render(b, s->enum_vals[i], 40);
	}
}

static bool check_type(struct vctx *c, const struct sr_schema *s,
		       const struct sr_node *inst, unsigned kind)
{
	struct sr_buf want = SR_BUF_INIT, got = SR_BUF_INIT;

	if (s->types & kind)
		return true;
	/* 1.0 is an integer; JSON Schema also calls an integer a number */
	if (c->collect) {
		const struct sr_node *unit = s->node && sr_node_is_map(s->node)
			? sr_map_get(s->node, "x-srctl-unit") : NULL;

		describe_types(&want, s);
		/* srctl's schemas name the unit: "integer (milliseconds)" */
		if (unit && sr_node_str(unit))
			sr_buf_addf(&want, " (%s)", sr_node_str(unit));
		sr_schema__describe(&got, inst);
		report(c, inst, "type", s, sr_buf_cstr(&want),
		       "expected %s, got %s", sr_buf_cstr(&want),
		       sr_buf_cstr(&got));
		sr_buf_release(&want);
		sr_buf_release(&got);
	}
	return false;
}

static bool check_enum(struct vctx *c, const struct sr_schema *s,
		       const struct sr_node *inst)
{
	struct sr_buf want = SR_BUF_INIT, got = SR_BUF_INIT;
	size_t i;

	for (i = 0; i < s->n_enum; i++)
		if (sr_schema__equal(inst, s->enum_vals[i]))
			return true;
	if (c->collect) {
		describe_enum(&want, s);
		sr_schema__render(&got, inst, 60);
		report(c, inst, "enum", s, sr_buf_cstr(&want),
		       "expected %s%s, got %s", s->n_enum > 1 ? "one of " : "",
		       sr_buf_cstr(&want), sr_buf_cstr(&got));
		sr_buf_release(&want);
		sr_buf_release(&got);
	}
	return false;
}

static bool check_const(struct vctx *c, const struct sr_schema *s,
			const struct sr_node *inst)
{
	struct sr_buf want = SR_BUF_INIT, got = SR_BUF_INIT;

	if (sr_schema__equal(inst, s->const_val))
		return true;
	if (c->collect) {
		sr_schema__render(&want, s->const_val, 60);
		sr_schema__render(&got, inst, 60);
		report(c, inst, "const", s, sr_buf_cstr(&want),
		       "expected %s, got %s", sr_buf_cstr(&want),
		       sr_buf_cstr(&got));
		sr_buf_release(&want);
		sr_buf_release(&got);
	}
	return false;
}

static const char *text_of(const struct sr_node *n)
{
	return n ? n->u.scalar.str : "";
}

static bool check_number(struct vctx *c, const struct sr_schema *s,
			 const struct sr_node *inst)
{
	struct sr_num v;
	bool ok = true;
	int r;

	if (!sr_schema__num(inst, &v))
		return true;
	if (s->has & SR_K_MIN) {
		r = sr_schema__num_cmp(&v, &s->minimum);
		if (r < 0 || r == 2) {
			report(c, inst, "minimum", s, NULL,
			       "must be >= %s, got %s",
			       text_of(s->minimum_node), inst->u.scalar.str);
			ok = false;
		}
	}
	if (s->has & SR_K_MAX) {
		r = sr_schema__num_cmp(&v, &s->maximum);
		if (r > 0) {
			report(c, inst, "maximum", s, NULL,
			       "must be <= %s, got %s",
			       text_of(s->maximum_node), inst->u.scalar.str);
			ok = false;
		}
	}
	if (s->has & SR_K_XMIN) {
		r = sr_schema__num_cmp(&v, &s->xminimum);
		if (r <= 0 || r == 2) {
			report(c, inst, "exclusiveMinimum", s, NULL,
			       "must be > %s, got %s",
			       text_of(s->xminimum_node), inst->u.scalar.str);
			ok = false;
		}
	}
	if (s->has & SR_K_XMAX) {
		r = sr_schema__num_cmp(&v, &s->xmaximum);
		if (r >= 0) {
			report(c, inst, "exclusiveMaximum", s, NULL,
			       "must be < %s, got %s",
			       text_of(s->xmaximum_node), inst->u.scalar.str);
			ok = false;
		}
	}
	if ((s->has & SR_K_MULT) &&
	    !sr_schema__num_multiple(&v, &s->multiple_of)) {
		report(c, inst, "multipleOf", s, NULL,
		       "must be a multiple of %s, got %s",
		       text_of(s->multiple_of_node), inst->u.scalar.str);
		ok = false;
	}
	return ok;
}

static bool check_string(struct vctx *c, const struct sr_schema *s,
			 const struct sr_node *inst)
{
	const char *str = inst->u.scalar.str;
	size_t len = inst->u.scalar.len;
	bool ok = true;

	if (s->has & (SR_K_MINLEN | SR_K_MAXLEN)) {
		size_t n = sr_utf8_count(str, len);

		if ((s->has & SR_K_MINLEN) && n < s->min_len) {
			report(c, inst, "minLength", s, NULL,
			       "must be at least %zu character%s long, got %zu",
			       s->min_len, s->min_len == 1 ? "" : "s", n);
			ok = false;
		}
		if ((s->has & SR_K_MAXLEN) && n > s->max_len) {
			report(c, inst, "maxLength", s, NULL,
			       "must be at most %zu character%s long, got %zu",
			       s->max_len, s->max_len == 1 ? "" : "s", n);
			ok = false;
		}
		if (!ok && !c->collect)
			return false;
	}
	if (s->pattern) {
		int r = sr_regex_search(s->pattern, str, len);

		if (r != 1) {
			struct sr_buf got = SR_BUF_INIT;

			if (c->collect) {
				sr_schema__render(&got, inst, 60);
				report(c, inst, "pattern", s, NULL, r == 0 ?
				       "must match pattern \"%s\", got %s" :
				       "pattern \"%s\" could not be evaluated "
				       "(too complex), got %s",
				       sr_regex_source(s->pattern),
				       sr_buf_cstr(&got));
				sr_buf_release(&got);
			}
			ok = false;
		}
	}
	if ((s->has & SR_K_FORMAT) && s->format_assert &&
	    !sr_schema__format_check(s->format_id, str, len)) {
		struct sr_buf got = SR_BUF_INIT;

		if (c->collect) {
			sr_schema__render(&got, inst, 60);
			report(c, inst, "format", s, NULL,
			       "expected a valid %s, got %s", s->format,
			       sr_buf_cstr(&got));
			sr_buf_release(&got);
		}
		ok = false;
	}
	return ok;
}

struct hashed {
	uint64_t h;
	size_t i;
};

static int hashed_cmp(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Find two equal items, the pair whose later item comes first. Items are
 * sorted by hash, so only items with equal hashes are compared.
 */
static bool find_duplicate(const struct sr_node *arr, size_t *first,
			   size_t *second)
{
	size_t n = arr->u.seq.n, i, j, run;
	struct hashed *h;
	bool found = false;

	if (n < 2)
		return false;
	h = sr_xmalloc(n * sizeof(*h));
	for (i = 0; i < n; i++) {
		h[i].h = sr_schema__hash(arr->u.seq.items[i]);
		h[i].i = i;
	}
	qsort(h, n, sizeof(*h), hashed_cmp);
	for (run = 0; run < n; run = j) {
		for (j = run + 1; j < n && h[j].h == h[run].h; j++)
			;
		for (i = run; i + 1 < j; i++) {
			size_t k;

			for (k = i + 1; k < j; k++) {
				if (found && h[k].i >= *second)
					break;
				const struct sr_node *x, *y;

				x = arr->u.seq.items[h[i].i];
				y = arr->u.seq.items[h[k].i];
				if (sr_schema__equal(x, y)) {
					*first = h[i].i;
					*second = h[k].i;
					found = true;
					break;
				}
			}
		}
	}
	free(h);
	return found;
}

#define FAIL_FAST() do { if (!ok && !c->collect) goto done; } while (0)

static bool check_array(struct vctx *c, const struct sr_schema *s,
			const struct sr_node *inst, struct marks *m)
{
	size_t n = inst->u.seq.n, i, a, b;
	bool ok = true;

	if ((s->has & SR_K_MINITEMS) && n < s->min_items) {
		report(c, inst, "minItems", s, NULL,
		       "must have at least %zu item%s, got %zu", s->min_items,
		       s->min_items == 1 ? "" : "s", n);
		ok = false;
	}
	if ((s->has & SR_K_MAXITEMS) && n > s->max_items) {
		report(c, inst, "maxItems", s, NULL,
		       "must have at most %zu item%s, got %zu", s->max_items,
		       s->max_items == 1 ? "" : "s", n);
		ok = false;
	}
	FAIL_FAST();
	if ((s->has & SR_K_UNIQUE) && find_duplicate(inst, &a, &b)) {
		struct sr_buf v = SR_BUF_INIT;

		if (c->collect) {
			sr_schema__render(&v, inst->u.seq.items[b], 40);
			report(c, inst, "uniqueItems", s, NULL,
			       "items must be unique, but items %zu and %zu "
			       "are both %s",
			       a, b, sr_buf_cstr(&v));
			sr_buf_release(&v);
		}
		ok = false;
		FAIL_FAST();
	}
	for (i = 0; i < n && i < s->n_prefix_items; i++) {
		push_index(c, i);
		if (!eval(c, s->prefix_items[i], inst->u.seq.items[i], NULL))
			ok = false;
		pop(c);
		mark(m, i);
		FAIL_FAST();
	}
	if (s->items && n > s->n_prefix_items) {
		if (s->items->boolean == 2) {
			report(c, inst, s->items_kw, s, NULL,
			       "must have at most %zu item%s, got %zu",
			       s->n_prefix_items,
			       s->n_prefix_items == 1 ? "" : "s", n);
			ok = false;
			FAIL_FAST();
		} else {
			for (i = s->n_prefix_items; i < n; i++) {
				push_index(c, i);
				if (!eval(c, s->items, inst->u.seq.items[i],
					  NULL))
					ok = false;
				pop(c);
				mark(m, i);
				FAIL_FAST();
			}
		}
	}
	if (s->contains) {
		size_t found = 0;
		bool saved = c->collect;
		bool need_all = m || (s->has & SR_K_MAXCONTAINS);

		c->collect = false;
		for (i = 0; i < n; i++) {
			push_index(c, i);
			if (eval(c, s->contains, inst->u.seq.items[i], NULL)) {
				found++;
				mark(m, i);
			}
			pop(c);
			if (!need_all && found >= s->min_contains)
				break;
		}
		c->collect = saved;
		if (found < s->min_contains) {
			report(c, inst, (s->has & SR_K_MINCONTAINS) ?
			       "minContains" : "contains", s, NULL,
			       "must contain at least %zu item%s matching the "
			       "'contains' schema, found %zu",
			       s->min_contains, s->min_contains == 1 ? "" : "s",
			       found);
			ok = false;
		}
		if ((s->has & SR_K_MAXCONTAINS) && found > s->max_contains) {
			report(c, inst, "maxContains", s, NULL,
			       "must contain at most %zu item%s matching the "
			       "'contains' schema, found %zu",
			       s->max_contains, s->max_contains == 1 ? "" : "s",
			       found);
			ok = false;
		}
	}
done:
	return ok;
}

static const struct sr_schema__prop *find_prop(const struct sr_schema *s,
					       const char *k, size_t klen)
{
	size_t lo = 0, hi = s->nprops;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct sr_schema__prop *p = &s->props[mid];
		int r;

		if (p->len != klen)
			r = p->len < klen ? -1 : 1;
		else
			r = memcmp(p->name, k, klen);
		if (!r)
			return p;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct sr_node *get_prop(const struct sr_node *obj,
				      const char *k, size_t klen)
{
	size_t i, len;

	for (i = 0; i < obj->u.map.n; i++) {
		const char *key = sr_schema__key(obj->u.map.pairs[i].key,
						 &len);

		if (len == klen && !memcmp(key, k, klen))
			return obj->u.map.pairs[i].value;
	}
	return NULL;
}

static bool has_prop(const struct sr_node *obj, const char *k, size_t klen)
{
	return get_prop(obj, k, klen) != NULL;
}

static void render_key(struct sr_buf *b, const struct sr_node *key)
{
	size_t len;
	const char *k = sr_schema__key(key, &len);
	struct sr_node tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.type = SR_NODE_SCALAR;
	tmp.style = SR_STYLE_DOUBLE;
	tmp.u.scalar.str = k;
	tmp.u.scalar.len = len;
	sr_schema__render(b, &tmp, 60);
}

/* A property that may not be there: reported at its key. */
static void report_extra(struct vctx *c, const struct sr_pair *p,
			 const char *keyword, const struct sr_schema *s,
			 const char *why)
{
	struct sr_buf k = SR_BUF_INIT;

	if (!c->collect)
		return;
	render_key(&k, p->key);
	push_key(c, p->key);
	c->label_skip = 1;
	report(c, p->key, keyword, s, NULL, "property %s is not allowed%s",
	       sr_buf_cstr(&k), why);
	c->label_skip = 0;
	pop(c);
	sr_buf_release(&k);
}

static bool check_object(struct vctx *c, const struct sr_schema *s,
			 const struct sr_node *inst, struct marks *m)
{
	size_t n = inst->u.map.n, i, k;
	bool ok = true;

	if ((s->has & SR_K_MINPROPS) && n < s->min_props) {
		report(c, inst, "minProperties", s, NULL,
		       "must have at least %zu propert%s, got %zu",
		       s->min_props, s->min_props == 1 ? "y" : "ies", n);
		ok = false;
	}
	if ((s->has & SR_K_MAXPROPS) && n > s->max_props) {
		report(c, inst, "maxProperties", s, NULL,
		       "must have at most %zu propert%s, got %zu",
		       s->max_props, s->max_props == 1 ? "y" : "ies", n);
		ok = false;
	}
	FAIL_FAST();
	for (i = 0; i < s->nrequired; i++) {
		const struct sr_node *r = s->required[i];

		if (!has_prop(inst, r->u.scalar.str, r->u.scalar.len)) {
			struct sr_buf k2 = SR_BUF_INIT;

			if (c->collect) {
				render_key(&k2, r);
				report(c, inst, "required", s, NULL,
				       "missing required property %s",
				       sr_buf_cstr(&k2));
				sr_buf_release(&k2);
			}
			ok = false;
			FAIL_FAST();
		}
	}
	for (i = 0; i < s->n_dep_required; i++) {
		const struct sr_schema__names *d = &s->dep_required[i];

		if (!has_prop(inst, d->name, d->len))
			continue;
		for (k = 0; k < d->nreq; k++) {
			const struct sr_node *r = d->req[k];
			struct sr_buf a = SR_BUF_INIT, b = SR_BUF_INIT;
			struct sr_node tmp;

			if (has_prop(inst, r->u.scalar.str, r->u.scalar.len))
				continue;
			ok = false;
			if (c->collect) {
				memset(&tmp, 0, sizeof(tmp));
				tmp.type = SR_NODE_SCALAR;
				tmp.style = SR_STYLE_DOUBLE;
				tmp.u.scalar.str = d->name;
				tmp.u.scalar.len = d->len;
				render_key(&a, &tmp);
				render_key(&b, r);
				report(c, inst, s->dep_required_kw, s, NULL,
				       "missing property %s, required when %s "
				       "is present",
				       sr_buf_cstr(&b), sr_buf_cstr(&a));
				sr_buf_release(&a);
				sr_buf_release(&b);
			}
			FAIL_FAST();
		}
	}
	if (!s->nprops && !s->npprops && !s->additional_props &&
	    !s->property_names)
		goto done;
	for (i = 0; i < n; i++) {
		const struct sr_pair *p = &inst->u.map.pairs[i];
		size_t klen;
		const char *key = sr_schema__key(p->key, &klen);
		bool matched = false;

		if (s->nprops) {
			const struct sr_schema__prop *pr = find_prop(s, key,
								     klen);

			if (pr) {
				matched = true;
				mark(m, i);
				if (pr->s->boolean == 2) {
					report_extra(c, p, "properties", s,
						     "");
					ok = false;
				} else {
					push_key(c, p->key);
					if (!eval(c, pr->s, p->value, NULL))
						ok = false;
					pop(c);
				}
				FAIL_FAST();
			}
		}
		for (k = 0; k < s->npprops; k++) {
			int r = sr_regex_search(s->pprops[k].re, key, klen);

			if (r == 0)
				continue;
			matched = true;
			mark(m, i);
			push_key(c, p->key);
			if (r < 0) {
				report(c, p->key, "patternProperties", s, NULL,
				       "pattern \"%s\" could not be evaluated "
				       "(too complex)",
				       sr_regex_source(s->pprops[k].re));
				ok = false;
			} else if (!eval(c, s->pprops[k].s, p->value, NULL)) {
				ok = false;
			}
			pop(c);
			FAIL_FAST();
		}
		if (!matched && s->additional_props) {
			mark(m, i);
			if (s->additional_props->boolean == 2) {
				report_extra(c, p, "additionalProperties", s,
					     "");
				ok = false;
			} else {
				push_key(c, p->key);
				if (!eval(c, s->additional_props, p->value,
					  NULL))
					ok = false;
				pop(c);
			}
			FAIL_FAST();
		}
		if (s->property_names) {
			const struct sr_node *saved = c->name_key;
			struct sr_node name;

			/* a property name is a string, even "1" or "true" */
			memset(&name, 0, sizeof(name));
			name.type = SR_NODE_SCALAR;
			name.style = SR_STYLE_DOUBLE;
			name.start = p->key->start;
			name.end = p->key->end;
			name.u.scalar.str = key;
			name.u.scalar.len = klen;
			push_key(c, p->key);
			c->name_key = p->key;
			if (!eval(c, s->property_names, &name, NULL))
				ok = false;
			c->name_key = saved;
			pop(c);
			FAIL_FAST();
		}
	}
done:
	return ok;
}

/* ---- anyOf / oneOf explanations ---- */

struct branch {
	size_t from, to;
	int door;	/* failed on the value's own type/const/enum */
	int disc;	/* failed on a discriminating property */
	size_t disc_err;	/* the first such error */
	size_t deepest;
	size_t count;
};

static bool is_door_keyword(const char *kw)
{
	return !strcmp(kw, "type") || !strcmp(kw, "const") ||
	       !strcmp(kw, "enum") || !strcmp(kw, "false");
}

static void score(const struct vctx *c, struct branch *b)
{
	size_t i;

	b->door = 0;
	b->disc = 0;
	b->deepest = 0;
	b->count = b->to - b->from;
	for (i = b->from; i < b->to; i++) {
		const struct err *e = &c->errs[i];

		if (e->depth == c->depth && is_door_keyword(e->keyword))
			b->door = 1;
		if (e->depth == c->depth + 1 && e->expect &&
		    (!strcmp(e->keyword, "const") ||
		     !strcmp(e->keyword, "enum")) && !b->disc) {
			b->disc = 1;
			b->disc_err = i;
		}
		if (e->depth > b->deepest)
			b->deepest = e->depth;
	}
	if (!b->count)
		b->door = 1;
}

static bool better(const struct branch *a, const struct branch *b)
{
	if (a->door != b->door)
		return a->door < b->door;
	if (a->disc != b->disc)
		return a->disc < b->disc;
	if (a->deepest != b->deepest)
		return a->deepest > b->deepest;
	return a->count < b->count;
}

/*
 * Every branch failed on the same property's const/enum (a discriminator
 * such as "kind"): one error at that property listing what it may be.
 */
static void combine_discriminator(struct vctx *c, const struct branch *b,
				  size_t n, size_t start, const char *kw,
				  const struct sr_schema *s)
{
	const struct err *first = &c->errs[b[0].disc_err];
	struct sr_buf want = SR_BUF_INIT, got = SR_BUF_INIT, msg = SR_BUF_INIT;
	struct err e;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			sr_buf_adds(&want, i + 1 == n ? " or " : ", ");
		sr_buf_adds(&want, c->errs[b[i].disc_err].expect);
	}
	sr_schema__describe(&got, first->at);
	sr_buf_add(&msg, first->message, first->label_len);
	sr_buf_addf(&msg, ": expected %s, got %s", sr_buf_cstr(&want),
		    sr_buf_cstr(&got));
	e = *first;
	e.keyword = kw;
	e.pointer = sr_xstrdup(first->pointer);
	e.schema_path = NULL;
	if (s) {
		struct sr_buf path = SR_BUF_INIT;

		sr_buf_addf(&path, "%s#%s/%s", s->res->uri, s->loc, kw);
		e.schema_path = sr_buf_detach(&path);
	}
	e.message = sr_buf_detach(&msg);
	e.expect = sr_buf_detach(&want);
	truncate_errs(c, start);
	c->errs = sr_xgrow(c->errs, &c->errs_cap, c->nerrs + 1,
			   sizeof(*c->errs));
	c->errs[c->nerrs++] = e;
	sr_buf_release(&got);
}

/*
 * All branches of an anyOf/oneOf failed: evaluate them again collecting
 * errors, and keep the errors of the most relevant one, or one summary
 * when every branch rejected the value's type or value outright.
 */
static void explain(struct vctx *c, struct sr_schema **branches, size_t n,
		    const struct sr_node *inst, const char *kw,
		    const struct sr_schema *s, struct marks *m)
{
	struct branch *b = sr_xcalloc(n, sizeof(*b));
	struct marks *bm = sr_xcalloc(n, sizeof(*bm));
	size_t start = c->nerrs, i, best = 0;
	bool all_door = true, same_disc = true;

	for (i = 0; i < n && !c->aborted; i++) {
		b[i].from = c->nerrs;
		if (m)
			marks_init(&bm[i], inst);
		eval(c, branches[i], inst, m ? &bm[i] : NULL);
		b[i].to = c->nerrs;
		score(c, &b[i]);
		if (!b[i].door)
			all_door = false;
		if (same_disc && (b[i].door || !b[i].disc ||
				  strcmp(c->errs[b[i].disc_err].pointer,
					 c->errs[b[0].disc_err].pointer)))
			same_disc = false;
		if (i && better(&b[i], &b[best]))
			best = i;
	}
	if (c->aborted) {
		n = i;
	} else if (same_disc && n > 1) {
		combine_discriminator(c, b, n, start, kw, s);
	} else if (all_door) {
		struct sr_buf want = SR_BUF_INIT, got = SR_BUF_INIT;
		size_t nw = 0, k;
		const char **seen = sr_xcalloc(c->nerrs - start + 1,
					       sizeof(*seen));

		for (k = start; k < c->nerrs; k++) {
			const char *x = c->errs[k].expect;
			size_t j;
			bool dup = false;

			if (!x || c->errs[k].depth != c->depth)
				continue;
			for (j = 0; j < nw; j++)
				dup = dup || !strcmp(seen[j], x);
			if (!dup)
				seen[nw++] = x;
		}
		for (k = 0; k < nw; k++) {
			if (k)
				sr_buf_adds(&want, k + 1 == nw ? " or " : ", ");
			sr_buf_adds(&want, seen[k]);
		}
		sr_schema__describe(&got, inst);
		{
			char *w = sr_buf_detach(&want);

			free(seen);
			truncate_errs(c, start);
			if (*w)
				report(c, inst, kw, s, w, "expected %s, got %s",
				       w, sr_buf_cstr(&got));
			else
				report(c, inst, kw, s, NULL,
				       "does not match any of the %zu "
				       "alternatives in '%s', got %s",
				       n, kw, sr_buf_cstr(&got));
			free(w);
		}
		sr_buf_release(&got);
	} else {
		struct branch keep = b[best];
		char suffix[128];
		size_t k, out = start;

		snprintf(suffix, sizeof(suffix),
			 " (%s alternative %zu of %zu, the closest match)", kw,
			 best + 1, n);
		for (k = start; k < c->nerrs; k++) {
			if (k >= keep.from && k < keep.to) {
				append_to_message(&c->errs[k], suffix);
				c->errs[out++] = c->errs[k];
			} else {
				err_free(&c->errs[k]);
			}
		}
		c->nerrs = out;
		marks_merge(m, &bm[best]);
	}
	for (i = 0; i < n; i++)
		free(bm[i].bits);
	free(bm);
	free(b);
}

/* Evaluate one branch without collecting; keep its marks if it passes. */
static bool try_branch(struct vctx *c, const struct sr_schema *b,
		       const struct sr_node *inst, struct marks *m)
{
	struct marks tmp;
	bool saved = c->collect, ok;

	c->collect = false;
	if (m) {
		marks_init(&tmp, inst);
		ok = eval(c, b, inst, &tmp);
		if (ok)
			marks_merge(m, &tmp);
		free(tmp.bits);
	} else {
		ok = eval(c, b, inst, NULL);
	}
	c->collect = saved;
	return ok;
}

static bool check_any_of(struct vctx *c, const struct sr_schema *s,
			 const struct sr_node *inst, struct marks *m)
{
	bool any = false;
	size_t i;

	for (i = 0; i < s->n_any_of && !c->aborted; i++) {
		if (try_branch(c, s->any_of[i], inst, m)) {
			any = true;
			if (!m)
				break;
		}
	}
	if (!any && c->collect && !c->aborted)
		explain(c, s->any_of, s->n_any_of, inst, "anyOf", s, m);
	return any;
}

static bool check_one_of(struct vctx *c, const struct sr_schema *s,
			 const struct sr_node *inst, struct marks *m)
{
	size_t i, matches = 0, first = 0, second = 0;
	struct marks tmp = { NULL, 0 }, *tm = m ? &tmp : NULL;

	for (i = 0; i < s->n_one_of && !c->aborted; i++) {
		struct marks one = { NULL, 0 };

		if (m)
			marks_init(&one, inst);
		if (!try_branch(c, s->one_of[i], inst, m ? &one : NULL)) {
			free(one.bits);
			continue;
		}
		if (!matches++) {
			first = i;
			if (tm)
				marks_init(tm, inst);
			marks_merge(tm, &one);
		} else {
			second = i;
			free(one.bits);
			break;
		}
		free(one.bits);
	}
	if (matches == 1) {
		marks_merge(m, tm);
	} else if (matches > 1) {
		report(c, inst, "oneOf", s, NULL,
		       "must match exactly one alternative in 'oneOf', but "
		       "matches alternatives %zu and %zu",
		       first + 1, second + 1);
	} else if (c->collect && !c->aborted) {
		explain(c, s->one_of, s->n_one_of, inst, "oneOf", s, m);
	}
	free(tmp.bits);
	return matches == 1;
}

/* ---- evaluation ---- */

static const struct sr_schema *dynamic_target(const struct vctx *c,
					      const struct sr_schema *s)
{
	size_t i;

	if (!s->dynref_name)
		return s->dynref;
	for (i = 0; i < c->nscope; i++) {
		struct sr_schema *t = sr_schema__dynamic_anchor(c->scope[i],
								s->dynref_name);

		if (t)
			return t;
	}
	return s->dynref;
}

static bool check_unevaluated(struct vctx *c, const struct sr_schema *s,
			      const struct sr_node *inst, unsigned kind,
			      struct marks *m)
{
	bool ok = true;
	size_t i;

	if (kind == SR_JT_OBJ && s->uneval_props) {
		for (i = 0; i < inst->u.map.n; i++) {
			const struct sr_pair *p = &inst->u.map.pairs[i];

			if (m->bits[i])
				continue;
			if (s->uneval_props->boolean == 2) {
				report_extra(c, p, "unevaluatedProperties", s,
					     " (no keyword of the schema "
					     "covers it)");
				ok = false;
			} else {
				push_key(c, p->key);
				if (!eval(c, s->uneval_props, p->value, NULL))
					ok = false;
				pop(c);
			}
			m->bits[i] = 1;
			if (!ok && !c->collect)
				return false;
		}
	}
	if (kind == SR_JT_ARR && s->uneval_items) {
		for (i = 0; i < inst->u.seq.n; i++) {
			if (m->bits[i])
				continue;
			push_index(c, i);
			if (s->uneval_items->boolean == 2) {
				report(c, inst->u.seq.items[i],
				       "unevaluatedItems", s, NULL,
				       "item %zu is not allowed (no keyword of "
				       "the schema covers it)",
				       i);
				ok = false;
			} else if (!eval(c, s->uneval_items,
					 inst->u.seq.items[i], NULL)) {
				ok = false;
			}
			pop(c);
			m->bits[i] = 1;
			if (!ok && !c->collect)
				return false;
		}
	}
	return ok;
}

static bool eval_body(struct vctx *c, const struct sr_schema *s,
		      const struct sr_node *inst, struct marks *mm)
{
	unsigned kind = sr_schema__kind(inst);
	bool ok = true;
	size_t i;

	if (s->ref) {
		if (!eval(c, s->ref, inst, mm))
			ok = false;
		FAIL_FAST();
	} else if (s->ref_uri) {
		report(c, inst, "$ref", s, NULL, "cannot resolve '%s'",
		       s->ref_uri);
		ok = false;
		goto done;
	}
	if (s->dynref) {
		if (!eval(c, dynamic_target(c, s), inst, mm))
			ok = false;
		FAIL_FAST();
	}
	if ((s->has & SR_K_TYPE) && !check_type(c, s, inst, kind)) {
		ok = false;
		/* the other keywords would only repeat the mismatch */
		goto done;
	}
	if ((s->has & SR_K_CONST) && !check_const(c, s, inst))
		ok = false;
	if ((s->has & SR_K_ENUM) && !check_enum(c, s, inst))
		ok = false;
	FAIL_FAST();
	switch (kind) {
	case SR_JT_INT:
	case SR_JT_NUM:
		if ((s->has & (SR_K_MIN | SR_K_MAX | SR_K_XMIN | SR_K_XMAX |
			       SR_K_MULT)) && !check_number(c, s, inst))
			ok = false;
		break;
	case SR_JT_STR:
		if (!check_string(c, s, inst))
			ok = false;
		break;
	case SR_JT_ARR:
		if (!check_array(c, s, inst, mm))
			ok = false;
		break;
	case SR_JT_OBJ:
		if (!check_object(c, s, inst, mm))
			ok = false;
		break;
	default:
		break;
	}
	FAIL_FAST();
	for (i = 0; i < s->n_all_of; i++) {
		if (!eval(c, s->all_of[i], inst, mm))
			ok = false;
		FAIL_FAST();
	}
	if (s->n_any_of && !check_any_of(c, s, inst, mm))
		ok = false;
	FAIL_FAST();
	if (s->n_one_of && !check_one_of(c, s, inst, mm))
		ok = false;
	FAIL_FAST();
	if (s->not_) {
		bool saved = c->collect, r;

		c->collect = false;
		r = eval(c, s->not_, inst, NULL);
		c->collect = saved;
		if (r) {
			report(c, inst, "not", s, NULL,
			       "must not match the schema in 'not'");
			ok = false;
		}
		FAIL_FAST();
	}
	if (s->if_) {
		if (try_branch(c, s->if_, inst, mm)) {
			if (s->then_ && !eval(c, s->then_, inst, mm))
				ok = false;
		} else if (s->else_ && !eval(c, s->else_, inst, mm)) {
			ok = false;
		}
		FAIL_FAST();
	}
	if (kind == SR_JT_OBJ) {
		for (i = 0; i < s->n_dep_schemas; i++) {
			const struct sr_schema__prop *d = &s->dep_schemas[i];

			if (!has_prop(inst, d->name, d->len))
				continue;
			if (!eval(c, d->s, inst, mm))
				ok = false;
			FAIL_FAST();
		}
	}
	if ((s->uneval_props || s->uneval_items) &&
	    (kind == SR_JT_OBJ || kind == SR_JT_ARR) &&
	    !check_unevaluated(c, s, inst, kind, mm))
		ok = false;
done:
	return ok;
}

static bool eval(struct vctx *c, const struct sr_schema *s,
		 const struct sr_node *inst, struct marks *m)
{
	struct marks own = { NULL, 0 }, *mm = m;
	bool pushed = false, ok;

	if (c->aborted)
		return false;
	if (++c->steps > MAX_STEPS || c->nesting >= MAX_NESTING) {
		bool saved = c->collect;

		c->collect = true;
		if (c->nesting >= MAX_NESTING)
			report(c, inst, "$ref", s, NULL,
			       "validation stopped: the schema nests more "
			       "than %d levels deep here (a $ref cycle?)",
			       MAX_NESTING);
		else
			report(c, inst, "limit", s, NULL,
			       "validation stopped: more than %lu schema "
			       "evaluations for this value",
			       MAX_STEPS);
		c->collect = saved;
		c->aborted = true;
		return false;
	}
	if (s->boolean == 1)
		return true;	/* true evaluates nothing: no annotations */
	if (s->boolean == 2) {
		struct sr_buf got = SR_BUF_INIT;

		if (c->collect) {
			sr_schema__describe(&got, inst);
			report(c, inst, "false", s, NULL,
			       "no value is allowed here, got %s",
			       sr_buf_cstr(&got));
			sr_buf_release(&got);
		}
		return false;
	}
	if (!c->nscope || c->scope[c->nscope - 1] != s->res) {
		c->scope = sr_xgrow(c->scope, &c->scope_cap, c->nscope + 1,
				    sizeof(*c->scope));
		c->scope[c->nscope++] = s->res;
		pushed = true;
	}
	if (s->needs_marks) {
		marks_init(&own, inst);
		mm = &own;
	}
	c->nesting++;
	ok = eval_body(c, s, inst, mm);
	c->nesting--;
	if (mm == &own) {
		if (ok)
			marks_merge(m, &own);
		free(own.bits);
	}
	if (pushed)
		c->nscope--;
	return ok;
}

static void vctx_release(struct vctx *c)
{
	truncate_errs(c, 0);
	free(c->errs);
	free(c->path);
	free(c->scope);
}

bool sr_schema_valid(const struct sr_schema *s,
		     const struct sr_node *instance)
{
	struct vctx c;
	bool ok;

	memset(&c, 0, sizeof(c));
	ok = eval(&c, s, instance, NULL);
	vctx_release(&c);
	return ok;
}

static int err_cmp(const void *a, const void *b)
{
	const struct err *x = a, *y = b;

	if (x->pos.offset != y->pos.offset)
		return x->pos.offset < y->pos.offset ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

size_t sr_schema_validate(const struct sr_schema *s,
			  const struct sr_node *instance,
			  sr_schema_report_fn report_fn, void *payload)
{
	struct vctx c;
	size_t i, n;
	bool ok;

	if (sr_schema_valid(s, instance))
		return 0;
	memset(&c, 0, sizeof(c));
	c.collect = true;
	ok = eval(&c, s, instance, NULL);
	if (ok || !c.nerrs) {
		/* cannot happen; never report an invalid value silently */
		report(&c, instance, "false", s, NULL,
		       "does not match the schema");
	}
	qsort(c.errs, c.nerrs, sizeof(*c.errs), err_cmp);
	for (i = 0; i < c.nerrs && report_fn; i++) {
		struct sr_schema_error e;

		e.pos = c.errs[i].pos;
		e.pointer = c.errs[i].pointer;
		e.keyword = c.errs[i].keyword;
		e.schema_path = c.errs[i].schema_path ?
				c.errs[i].schema_path : "";
		e.message = c.errs[i].message;
		report_fn(payload, &e);
	}
	n = c.nerrs;
	vctx_release(&c);
	return n;
}

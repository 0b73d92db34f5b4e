/*
 * Java sources (SPEC.md 4.2): cb/no-fallback for methods annotated
 * @CircuitBreaker(...) or @HystrixCommand(...) without a fallbackMethod,
 * found with pcre2 (srctl/engine/srcscan.h) in a copy of the source where
 * comments are blanked out and string and character literals and text
 * blocks are filled with '"', so an annotation that is commented out or quoted is not taken for
 * code, while offsets, and so line numbers, stay exact. Annotations may
 * span lines and be fully qualified.
 *
 * Which @CircuitBreaker it is follows the imports: resilience4j (and the
 * protection template's @CircuitBreaker(base=50, window=60s)) needs a
 * non-empty fallbackMethod; MicroProfile Fault Tolerance's takes its
 * fallback from a @Fallback on the same declaration; Spring Retry's from
 * its recover attribute or a @Recover method. A Hystrix command is
 * covered by fallbackMethod, defaultFallback, or a class-level
 * @DefaultProperties(defaultFallback = ...).
 *
 * Each resilience4j @CircuitBreaker(name = ...) is recorded as a
 * circuit breaker (and a dependency reference) for cb/missing and
 * check-deps; a name given as a String constant of the same file is
 * resolved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "engine/srcscan.h"
#include "spring.h"
#include "validators.h"
#include "base/banned.h"

enum cls { CODE, COMMENT, LITERAL };

/* The source, its blanked copy and what each byte is. */
struct src {
	const char *t;		/* original */
	char *m;		/* blanked: comments and literals are spaces */
	unsigned char *cls;
	size_t len;
	/* the last position computed, to walk forward from */
	size_t at;
	struct sr_pos pos;
};

static void mark(struct src *s, size_t from, size_t to, enum cls c)
{
	size_t i;

	/* literals become '"' so that they stay non-blank */
	for (i = from; i < to && i < s->len; i++) {
		s->cls[i] = (unsigned char)c;
		if (s->t[i] != '\n' && s->t[i] != '\r')
			s->m[i] = c == LITERAL ? '"' : ' ';
	}
}

/* The end of a literal opened at 'i' by 'q' ('"' or '\''): past its close. */
static size_t literal_end(const struct src *s, size_t i, char q)
{
	for (i++; i < s->len; i++) {
		if (s->t[i] == '\\') {
			i++;
			continue;
		}
		if (s->t[i] == q)
			return i + 1;
		if (s->t[i] == '\n' || s->t[i] == '\r')
			return i;	/* unterminated: stop at the line */
	}
	return s->len;
}

static size_t text_block_end(const struct src *s, size_t i)
{
	for (i += 3; i < s->len; i++) {
		if (s->t[i] == '\\') {
			i++;
			continue;
		}
		if (i + 3 <= s->len && !memcmp(s->t + i, "\"\"\"", 3))
			return i + 3;
	}
	return s->len;
}

static void classify(struct src *s)
{
	size_t i = 0, end;

	if (s->len >= 3 && !memcmp(s->t, "\xef\xbb\xbf", 3))
		mark(s, 0, 3, COMMENT);
	while (i < s->len) {
		char c = s->t[i];

		if (c == '/' && i + 1 < s->len && s->t[i + 1] == '/') {
			for (end = i; end < s->len && s->t[end] != '\n' &&
				      s->t[end] != '\r'; end++)
				;
			mark(s, i, end, COMMENT);
		} else if (c == '/' && i + 1 < s->len && s->t[i + 1] == '*') {
			const char *close = NULL;

			for (end = i + 2; end + 1 < s->len; end++)
				if (s->t[end] == '*' && s->t[end + 1] == '/') {
					close = s->t + end;
					break;
				}
			end = close ? end + 2 : s->len;
			mark(s, i, end, COMMENT);
		} else if (c == '"' && i + 3 <= s->len &&
			   !memcmp(s->t + i, "\"\"\"", 3)) {
			end = text_block_end(s, i);
			mark(s, i, end, LITERAL);
		} else if (c == '"' || c == '\'') {
			end = literal_end(s, i, c);
			mark(s, i, end, LITERAL);
		} else {
			end = i + 1;
		}
		i = end;
	}
}

/* The position of byte 'off'; offsets must come in increasing order. */
static struct sr_pos pos_of(struct src *s, size_t off)
{
	for (; s->at < off && s->at < s->len; s->at++) {
		unsigned char c = (unsigned char)s->t[s->at];

		if (c == '\n') {
			s->pos.line++;
			s->pos.col = 1;
		} else if (c == '\r') {
			if (s->at + 1 >= s->len || s->t[s->at + 1] != '\n') {
				s->pos.line++;
				s->pos.col = 1;
			}
		} else if ((c & 0xc0) != 0x80 &&
			   !(s->at < 3 && s->cls[0] == COMMENT &&
			     !memcmp(s->t, "\xef\xbb\xbf", 3))) {
			s->pos.col++;
		}
	}
	s->pos.offset = off;
	return s->pos;
}

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '$' ||
	       (unsigned char)c >= 0x80;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static size_t skip_blank(const struct src *s, size_t i)
{
	while (i < s->len && is_blank(s->m[i]))
		i++;
	return i;
}

/* Past the parenthesis that closes the one at 'open' (or the end). */
static size_t close_paren(const struct src *s, size_t open)
{
	size_t i;
	int depth = 0;

	for (i = open; i < s->len; i++) {
		char c = s->m[i];

		if (s->cls[i] != CODE)
			continue;
		if (c == '(' || c == '{' || c == '[')
			depth++;
		else if ((c == ')' || c == '}' || c == ']') && --depth <= 0)
			return i + 1;
	}
	return s->len;
}

/* One element of an annotation's argument list. */
struct attr {
	char *name;		/* NULL: a bare value */
	size_t start;		/* the value's bytes */
	size_t end;
};

struct attrs {
	struct attr *v;
	size_t n;
	size_t cap;
};

static void attrs_release(struct attrs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i].name);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static void add_attr(struct attrs *a, const struct src *s, size_t from,
		     size_t to)
{
	struct attr *at;
	size_t i = skip_blank(s, from), k;

	while (to > i && is_blank(s->m[to - 1]))
		to--;
	if (i >= to)
		return;
	a->v = sr_xgrow(a->v, &a->cap, a->n + 1, sizeof(*a->v));
	at = &a->v[a->n++];
	at->name = NULL;
	at->start = i;
	at->end = to;
	/* name = value (not name == value) */
	for (k = i; k < to && is_ident(s->m[k]); k++)
		;
	if (k == i)
		return;
	k = skip_blank(s, k);
	if (k < to && s->m[k] == '=' && (k + 1 >= to || s->m[k + 1] != '=')) {
		size_t n = k;

		while (n > i && is_blank(s->m[n - 1]))
			n--;
		at->name = sr_xstrndup(s->m + i, n - i);
		at->start = skip_blank(s, k + 1);
	}
}

/* The elements between the parentheses at 'open' and 'close' - 1. */
static void parse_attrs(struct attrs *out, const struct src *s, size_t open,
			size_t close)
{
	size_t i, start = open + 1;
	int depth = 0;
	size_t end = close > open ? close - 1 : open;

	for (i = open + 1; i < end; i++) {
		char c = s->m[i];

		if (s->cls[i] != CODE)
			continue;
		if (c == '(' || c == '{' || c == '[') {
			depth++;
		} else if (c == ')' || c == '}' || c == ']') {
			depth--;
		} else if (c == ',' && depth == 0) {
			add_attr(out, s, start, i);
			start = i + 1;
		}
	}
	add_attr(out, s, start, end);
}

static const struct attr *attr_get(const struct attrs *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->v[i].name && !strcmp(a->v[i].name, name))
			return &a->v[i];
	return NULL;
}

/*
 * A string literal's value with its escapes decoded (\uXXXX as
 * written), or NULL if the bytes [start, end) are not one literal.
 */
static char *literal_value(const struct src *s, size_t start, size_t end)
{
	struct sr_buf b = SR_BUF_INIT;
	size_t i;

	if (start >= end || s->t[start] != '"' || s->cls[start] != LITERAL ||
	    end - start < 2 || s->t[end - 1] != '"')
		return NULL;
	for (i = start; i < end; i++)
		if (s->cls[i] != LITERAL)
			return NULL;
	if (end - start >= 6 && !memcmp(s->t + start, "\"\"\"", 3))
		return NULL;	/* a text block is no annotation value */
	for (i = start + 1; i + 1 < end; i++) {
		char c = s->t[i];

		if (c == '\\' && i + 2 < end) {
			c = s->t[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'u')
				c = '\\', i--;
		}
		sr_buf_addc(&b, c);
	}
	sr_buf_adds(&b, "");
	return sr_buf_detach(&b);
}

/*
 * The value of a String constant declared in this file ("String NAME =
 * \"...\""), or NULL.
 */
static char *constant_value(const struct src *s, const char *ident)
{
	struct sr_buf pat = SR_BUF_INIT;
	struct sr_srcscan *re = NULL;
	struct sr_srcscan_match m;
	char *v = NULL;
	const char *p;

	sr_buf_adds(&pat, "(?<![\\w$])String\\s+");
	for (p = ident; *p; p++) {
		if (*p == '$')
			sr_buf_addc(&pat, '\\');
		sr_buf_addc(&pat, *p);
	}
	sr_buf_adds(&pat, "\\s*=(?!=)\\s*");
	if (sr_srcscan_new(&re, pat.ptr) == 0 &&
	    sr_srcscan_next(&m, re, s->m, s->len, 0) == 1) {
		size_t end = m.end;

		if (end < s->len && s->cls[end] == LITERAL && s->t[end] == '"') {
			size_t close = end;

			while (close < s->len && s->cls[close] == LITERAL)
				close++;
			v = literal_value(s, end, close);
		}
	}
	sr_srcscan_free(re);
	sr_buf_release(&pat);
	return v;
}

/*
 * An attribute's string value: a literal, or a constant of this file
 * (Constants.NAME or NAME). NULL when it cannot be known.
 */
static char *attr_string(const struct src *s, const struct attr *a)
{
	char *v = literal_value(s, a->start, a->end);
	size_t i, last;

	if (v || a->start >= a->end)
		return v;
	for (i = a->start; i < a->end; i++)
		if (!is_ident(s->m[i]) && s->m[i] != '.' && !is_blank(s->m[i]))
			return NULL;
	for (last = a->end; last > a->start && is_ident(s->m[last - 1]); last--)
		;
	if (last == a->end)
		return NULL;
	{
		char *ident = sr_xstrndup(s->m + last, a->end - last);

		v = constant_value(s, ident);
		free(ident);
	}
	return v;
}

/* Is the attribute there with a value that is not the empty string? */
static bool attr_nonempty(const struct src *s, const struct attrs *a,
			  const char *name)
{
	const struct attr *at = attr_get(a, name);
	char *v;
	bool ok;

	if (!at)
		return false;
	v = attr_string(s, at);
	ok = !v || *v;	/* an expression we cannot read: trust it */
	free(v);
	return ok;
}

enum flavour { R4J, MICROPROFILE, SPRING_RETRY, HYSTRIX };

/* What the file tells about its annotations, found once. */
struct facts {
	bool mp_import;		/* MicroProfile's CircuitBreaker imported */
	bool retry_import;	/* Spring Retry's */
	bool recover;		/* a @Recover method */
	bool default_fallback;	/* @DefaultProperties(defaultFallback) */
	size_t *fallbacks;	/* offsets of @Fallback annotations */
	size_t nfallbacks;
	size_t cap;
};

static bool scan_exists(const struct src *s, const char *pattern)
{
	struct sr_srcscan *re = NULL;
	struct sr_srcscan_match m;
	bool found = false;

	if (sr_srcscan_new(&re, pattern) == 0)
		found = sr_srcscan_next(&m, re, s->m, s->len, 0) == 1;
	sr_srcscan_free(re);
	return found;
}

#define QUAL "@\\s*(?:[A-Za-z_$][\\w$]*\\s*\\.\\s*)*"

static void find_facts(struct facts *f, const struct src *s)
{
	struct sr_srcscan *re = NULL;
	struct sr_srcscan_match m;
	size_t from = 0;

	memset(f, 0, sizeof(*f));
	f->mp_import = scan_exists(s,
		"\\bimport\\s+org\\s*\\.\\s*eclipse\\s*\\.\\s*microprofile\\s*\\."
		"\\s*faulttolerance\\s*\\.\\s*(?:CircuitBreaker|\\*)\\s*;");
	f->retry_import = scan_exists(s,
		"\\bimport\\s+org\\s*\\.\\s*springframework\\s*\\.\\s*retry\\s*\\."
		"\\s*annotation\\s*\\.\\s*(?:CircuitBreaker|\\*)\\s*;");
	f->recover = scan_exists(s, QUAL "Recover(?![\\w$])");
	if (sr_srcscan_new(&re, QUAL "DefaultProperties\\s*\\(") == 0) {
		while (sr_srcscan_next(&m, re, s->m, s->len, from) == 1) {
			struct attrs a = { NULL, 0, 0 };
			size_t open = m.end - 1;

			parse_attrs(&a, s, open, close_paren(s, open));
			if (attr_nonempty(s, &a, "defaultFallback"))
				f->default_fallback = true;
			attrs_release(&a);
			from = m.end;
		}
	}
	sr_srcscan_free(re);
	re = NULL;
	from = 0;
	if (sr_srcscan_new(&re, QUAL "Fallback(?![\\w$])") == 0) {
		while (sr_srcscan_next(&m, re, s->m, s->len, from) == 1) {
			f->fallbacks = sr_xgrow(f->fallbacks, &f->cap,
						f->nfallbacks + 1,
						sizeof(*f->fallbacks));
			f->fallbacks[f->nfallbacks++] = m.start;
			from = m.end;
		}
	}
	sr_srcscan_free(re);
}

/* Past an annotation at 'i' ('@'): its name and its arguments. */
static size_t skip_annotation(const struct src *s, size_t i)
{
	i = skip_blank(s, i + 1);
	while (i < s->len && (is_ident(s->m[i]) || s->m[i] == '.' ||
			      is_blank(s->m[i]))) {
		/* a blank ends the name unless a '.' or '(' follows */
		if (is_blank(s->m[i])) {
			size_t k = skip_blank(s, i);

			if (k < s->len && (s->m[k] == '.' || s->m[k] == '('))
				i = k;
			else
				break;
			if (s->m[i] == '(')
				break;
			continue;
		}
		i++;
	}
	if (i < s->len && s->m[i] == '(')
		i = close_paren(s, i);
	return i;
}

/*
 * The declaration an annotation ending at 'end' belongs to: its name
 * ('what' is "method" or "class") and where its annotations stop.
 */
static char *declaration(const struct src *s, size_t end, const char **what,
			 size_t *decl_end)
{
	char *last = NULL, *type = NULL, *name = NULL;
	bool after_type_kw = false;
	size_t i = skip_blank(s, end);

	while (i < s->len && s->m[i] == '@' &&
	       (i + 10 > s->len || memcmp(s->m + i, "@interface", 10) != 0))
		i = skip_blank(s, skip_annotation(s, i));
	*what = "declaration";
	while (i < s->len) {
		char c = s->m[i];

		if (is_ident(c)) {
			size_t k = i;
			char *w;

			while (k < s->len && is_ident(s->m[k]))
				k++;
			w = sr_xstrndup(s->m + i, k - i);
			if (after_type_kw && !type) {
				type = w;
				w = NULL;
			} else {
				after_type_kw = !strcmp(w, "class") ||
						!strcmp(w, "interface") ||
						!strcmp(w, "enum") ||
						!strcmp(w, "record");
				free(last);
				last = w;
			}
			i = k;
			continue;
		}
		if (c == '@') {
			i = skip_annotation(s, i);
			continue;
		}
		if (c == '(' && !type && last) {
			*what = "method";
			name = last;
			last = NULL;
			i = close_paren(s, i);
			break;
		}
		if (c == '{' || c == ';' || c == '=' || c == '(') {
			if (type) {
				*what = "class";
				name = type;
				type = NULL;
			}
			break;
		}
		i++;
	}
	/* the method's body or the end of its declaration */
	while (i < s->len && s->m[i] != '{' && s->m[i] != ';')
		i++;
	*decl_end = i;
	free(last);
	free(type);
	return name;
}

/* Where the annotations of the declaration holding 'at' start. */
static size_t declaration_start(const struct src *s, size_t at)
{
	int depth = 0;
	size_t i = at;

	while (i > 0) {
		char c = s->m[--i];

		if (s->cls[i] != CODE)
			continue;
		if (c == ')')
			depth++;
		else if (c == '(')
			depth--;
		else if (depth <= 0 && (c == ';' || c == '{' || c == '}'))
			return i + 1;
	}
	return 0;
}

static enum flavour flavour_of(const struct src *s, size_t q_start,
			       size_t q_end, const char *simple,
			       const struct facts *f)
{
	struct sr_buf q = SR_BUF_INIT;
	enum flavour fl = R4J;
	size_t i;

	if (!strcmp(simple, "HystrixCommand"))
		return HYSTRIX;
	for (i = q_start; i < q_end; i++)
		if (!is_blank(s->m[i]))
			sr_buf_addc(&q, s->m[i]);
	if (q.len) {
		if (strstr(q.ptr, "microprofile"))
			fl = MICROPROFILE;
		else if (strstr(q.ptr, "springframework.retry"))
			fl = SPRING_RETRY;
	} else if (f->mp_import) {
		fl = MICROPROFILE;
	} else if (f->retry_import) {
		fl = SPRING_RETRY;
	}
	sr_buf_release(&q);
	return fl;
}

static void record_breaker(struct sr_ctx *ctx, const char *name,
			   struct sr_pos at)
{
	struct sr_model *m = sr_ctx_model(ctx);
	struct sr_breaker b;
	struct sr_dep_ref r;
	struct sr_node where;

	if (!m || !name || !*name)
		return;
	memset(&where, 0, sizeof(where));
	where.start = at;
	memset(&b, 0, sizeof(b));
	b.kind = SR_BREAKER_R4J;
	b.name = name;
	b.full_name = name;
	b.loc = sr_ctx_loc(ctx, &where);
	sr_model_add_breaker(m, &b);
	memset(&r, 0, sizeof(r));
	r.kind = SR_REF_R4J;
	r.name = name;
	r.loc = b.loc;
	sr_model_add_ref(m, &r);
}

/* One @CircuitBreaker or @HystrixCommand found at 'at'. */
struct found {
	size_t at;		/* the '@' */
	size_t q_start;		/* its qualifier */
	size_t q_end;
	const char *simple;	/* "CircuitBreaker" or "HystrixCommand" */
	size_t end;		/* past its name, or its arguments */
	bool has_args;
	size_t open;
};

static bool mp_fallback(const struct src *s, const struct facts *f,
			size_t at, size_t decl_end)
{
	size_t start = declaration_start(s, at), i;

	for (i = 0; i < f->nfallbacks; i++)
		if (f->fallbacks[i] >= start && f->fallbacks[i] < decl_end)
			return true;
	return false;
}

static void check_annotation(struct sr_ctx *ctx, struct src *s,
			     const struct facts *f, const struct found *a)
{
	struct attrs attrs = { NULL, 0, 0 };
	enum flavour fl = flavour_of(s, a->q_start, a->q_end, a->simple, f);
	const struct attr *fm;
	const char *what = "declaration";
	char *decl, *name = NULL, *fm_value = NULL;
	size_t decl_end = s->len;
	bool covered = false, empty = false;
	struct sr_pos pos = pos_of(s, a->at);
	struct sr_buf fix = SR_BUF_INIT, on = SR_BUF_INIT;

	if (a->has_args)
		parse_attrs(&attrs, s, a->open, a->end);
	decl = declaration(s, a->end, &what, &decl_end);
	fm = attr_get(&attrs, "fallbackMethod");
	if (fm) {
		fm_value = attr_string(s, fm);
		empty = fm_value && !*fm_value;
		covered = !empty;
	}
	switch (fl) {
	case R4J:
		if (attr_get(&attrs, "name")) {
			name = attr_string(s, attr_get(&attrs, "name"));
			record_breaker(ctx, name, pos);
		}
		break;
	case MICROPROFILE:
		covered = mp_fallback(s, f, a->at, decl_end);
		break;
	case SPRING_RETRY:
		covered = f->recover || attr_nonempty(s, &attrs, "recover");
		break;
	case HYSTRIX:
		covered = covered || f->default_fallback ||
			  attr_nonempty(s, &attrs, "defaultFallback");
		break;
	}
	if (!covered) {
		if (decl)
			sr_buf_addf(&on, " on %s '%s'", what, decl);
		if (fl == MICROPROFILE)
			sr_buf_addf(&fix, "add @Fallback(fallbackMethod = \"%sFallback\")",
				    decl ? decl : "<method>");
		else if (fl == SPRING_RETRY)
			sr_buf_adds(&fix, "add a @Recover method for it, or recover = \"<method>\"");
		else if (decl && !strcmp(what, "method"))
			sr_buf_addf(&fix, "fallbackMethod = \"%sFallback\" (same parameters plus a Throwable)",
				    decl);
		else
			sr_buf_adds(&fix, "fallbackMethod = \"<method>\" (same parameters plus a Throwable)");
		sr_emit_at(ctx, "cb/no-fallback", pos, fix.ptr,
			   "@%s%s%s%s%s has %s: %s",
			   a->simple, name ? "(name = \"" : "",
			   name ? name : "", name ? "\")" : "", sr_buf_cstr(&on),
			   empty ? "an empty fallbackMethod" :
			   fl == MICROPROFILE ? "no @Fallback" :
			   fl == SPRING_RETRY ? "no @Recover method" :
			   "no fallbackMethod",
			   fl == HYSTRIX ?
			   "when the command fails, times out or its circuit opens, callers get a HystrixRuntimeException" :
			   "when the breaker opens, callers get an exception instead of a degraded answer");
	}
	free(decl);
	free(name);
	free(fm_value);
	sr_buf_release(&fix);
	sr_buf_release(&on);
	attrs_release(&attrs);
}

static bool detect(const char *name, const char *relpath,
		   const struct sr_doc *doc)
{
	(void)name;
	(void)relpath;
	(void)doc;
	return false;
}

static void check(struct sr_ctx *ctx, const struct sr_doc *doc)
{
	(void)ctx;
	(void)doc;
}

static bool wants_text(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".java");
}

static void check_text(struct sr_ctx *ctx, const char *text, size_t len)
{
	struct sr_srcscan *re = NULL;
	struct sr_srcscan_match m;
	struct facts f;
	struct src s;
	size_t from = 0;

	sr_spring__note_source(ctx);
	memset(&s, 0, sizeof(s));
	s.t = text;
	s.len = len;
	s.m = sr_xmalloc(len + 1);
	memcpy(s.m, text, len);
	s.m[len] = '\0';
	s.cls = sr_xcalloc(len + 1, 1);
	s.pos.line = 1;
	s.pos.col = 1;
	classify(&s);
	if (!memchr(s.m, '@', len) ||
	    sr_srcscan_new(&re, "@\\s*((?:[A-Za-z_$][\\w$]*\\s*\\.\\s*)*)"
			   "(CircuitBreaker|HystrixCommand)(?![\\w$])") < 0)
		goto done;
	find_facts(&f, &s);
	while (sr_srcscan_next(&m, re, s.m, s.len, from) == 1) {
		struct found a;
		size_t k = skip_blank(&s, m.end);

		memset(&a, 0, sizeof(a));
		a.at = m.start;
		a.q_start = m.group[0][0];
		a.q_end = m.group[0][1];
		a.simple = s.m[m.group[1][0]] == 'C' ? "CircuitBreaker" :
			   "HystrixCommand";
		a.end = m.end;
		if (k < s.len && s.m[k] == '(') {
			a.has_args = true;
			a.open = k;
			a.end = close_paren(&s, k);
		}
		check_annotation(ctx, &s, &f, &a);
		from = a.end > m.end ? a.end : m.end;
	}
	free(f.fallbacks);
done:
	sr_srcscan_free(re);
	free(s.m);
	free(s.cls);
}

const struct sr_validator sr_validator_java = {
	"java",
	detect,
	check,
	NULL,
	wants_text,
	check_text,
};

#include "manifest/toml.h"

#include <string.h>

#include "base/buf.h"
#include "base/banned.h"

#define MAX_INLINE_DEPTH 32

struct rd {
	struct sr_mp *p;
	const char *s, *end;
	const char *bol;
	unsigned line;
	sr_toml_fn fn;
	void *payload;
	struct sr_buf table;
	bool array_table;
	unsigned table_line;
	bool bad;	/* a problem on this line: skip the rest of it */
};

static void problem(struct rd *r, const char *at, const char *msg)
{
	if (!r->bad)
		sr_mp_problem(r->p, r->line, sr_mp_col(r->bol, at), "%s", msg);
	r->bad = true;
}

static void newline(struct rd *r, const char *nl)
{
	r->line++;
	r->bol = nl + 1;
}

static void skip_blank(struct rd *r)
{
	while (r->s < r->end && (*r->s == ' ' || *r->s == '\t'))
		r->s++;
}

/* Blanks, newlines and comments. */
static void skip_ws(struct rd *r)
{
	while (r->s < r->end) {
		if (*r->s == ' ' || *r->s == '\t' || *r->s == '\r') {
			r->s++;
		} else if (*r->s == '\n') {
			newline(r, r->s);
			r->s++;
		} else if (*r->s == '#') {
			while (r->s < r->end && *r->s != '\n')
				r->s++;
		} else {
			break;
		}
	}
}

static void skip_line(struct rd *r)
{
	while (r->s < r->end && *r->s != '\n')
		r->s++;
}

static bool bare_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* A string at r->s (which is at a quote); appended to 'out'. */
static bool string(struct rd *r, struct sr_buf *out)
{
	char q = *r->s;
	bool multi = r->end - r->s >= 3 && r->s[1] == q && r->s[2] == q;

	r->s += multi ? 3 : 1;
	if (multi && r->s < r->end && *r->s == '\n') {
		newline(r, r->s);
		r->s++;
	}
	while (r->s < r->end) {
		char c = *r->s;

		if (c == q && (!multi || (r->end - r->s >= 3 &&
					 r->s[1] == q && r->s[2] == q))) {
			r->s += multi ? 3 : 1;
			/* up to two more quotes belong to the string */
			while (multi && r->s < r->end && *r->s == q) {
				sr_buf_addc(out, q);
				r->s++;
			}
			return true;
		}
		if (c == '\n') {
			if (!multi)
				break;
			newline(r, r->s);
		}
		if (c == '\\' && q == '"' && r->s + 1 < r->end) {
			char e = r->s[1];
			r->s += 2;
			switch (e) {
			case 'n': sr_buf_addc(out, '\n'); break;
			case 't': sr_buf_addc(out, '\t'); break;
			case '"': case '\\': sr_buf_addc(out, e); break;
			case '\n':
				newline(r, r->s - 1);
				skip_ws(r);
				break;
			default:
				/* \uXXXX and the rest: kept as written */
				sr_buf_addc(out, '\\');
				sr_buf_addc(out, e);
			}
			continue;
		}
		sr_buf_addc(out, c);
		r->s++;
	}
	problem(r, r->s, "unterminated string");
	return false;
}

/* A dotted key, appended to 'key' with dots. */
static bool key(struct rd *r, struct sr_buf *out)
{
	for (;;) {
		skip_blank(r);
		if (r->s < r->end && (*r->s == '"' || *r->s == '\'')) {
			if (!string(r, out))
				return false;
		} else if (r->s < r->end && bare_char(*r->s)) {
			const char *b = r->s;
			while (r->s < r->end && bare_char(*r->s))
				r->s++;
			sr_buf_add(out, b, (size_t)(r->s - b));
		} else {
			problem(r, r->s, "expected a key");
			return false;
		}
		skip_blank(r);
		if (r->s < r->end && *r->s == '.') {
			r->s++;
			sr_buf_addc(out, '.');
			continue;
		}
		return true;
	}
}

/* Skip an array at r->s (at '['), strings and comments included. */
static bool skip_array(struct rd *r)
{
	unsigned depth = 0;
	struct sr_buf junk = SR_BUF_INIT;

	while (r->s < r->end) {
		char c = *r->s;
		if (c == '"' || c == '\'') {
			sr_buf_reset(&junk);
			if (!string(r, &junk))
				break;
			continue;
		}
		if (c == '#' || c == '\n' || c == ' ' || c == '\t' ||
		    c == '\r') {
			skip_ws(r);
			continue;
		}
		r->s++;
		if (c == '[')
			depth++;
		else if (c == ']' && --depth == 0) {
			sr_buf_release(&junk);
			return true;
		}
	}
	sr_buf_release(&junk);
	problem(r, r->s, "unterminated array");
	return false;
}

static bool value(struct rd *r, struct sr_buf *k, unsigned depth);

static void emit(struct rd *r, const char *k, const char *v, bool str,
		 unsigned line, unsigned col)
{
	struct sr_toml_kv kv;

	kv.table = sr_buf_cstr(&r->table);
	kv.array_table = r->array_table;
	kv.table_line = r->table_line;
	kv.key = k;
	kv.value = v;
	kv.is_string = str;
	kv.line = line;
	kv.col = col;
	r->fn(r->payload, &kv);
}

static bool inline_table(struct rd *r, struct sr_buf *k, unsigned depth)
{
	size_t klen = k->len;

	r->s++;	/* '{' */
	if (depth >= MAX_INLINE_DEPTH) {
		problem(r, r->s, "inline tables nested too deeply");
		return false;
	}
	for (;;) {
		skip_ws(r);
		if (r->s < r->end && *r->s == '}') {
			r->s++;
			return true;
		}
		k->len = klen;
		if (klen)
			sr_buf_addc(k, '.');
		else
			sr_buf_add(k, "", 0);
		if (!key(r, k))
			return false;
		if (r->s >= r->end || *r->s != '=') {
			problem(r, r->s, "expected '='");
			return false;
		}
		r->s++;
		if (!value(r, k, depth + 1))
			return false;
		k->len = klen;
		k->ptr[klen] = '\0';
		skip_ws(r);
		if (r->s < r->end && *r->s == ',') {
			r->s++;
			continue;
		}
		if (r->s < r->end && *r->s == '}') {
			r->s++;
			return true;
		}
		problem(r, r->s, "expected ',' or '}'");
		return false;
	}
}

static bool value(struct rd *r, struct sr_buf *k, unsigned depth)
{
	unsigned line, col;

	skip_blank(r);
	line = r->line;
	col = sr_mp_col(r->bol, r->s);
	if (r->s >= r->end || *r->s == '\n' || *r->s == '\r' ||
	    *r->s == '#') {
		problem(r, r->s, "expected a value");
		return false;
	}
	if (*r->s == '"' || *r->s == '\'') {
		struct sr_buf v = SR_BUF_INIT;
		bool ok = string(r, &v);
		if (ok)
			emit(r, sr_buf_cstr(k), sr_buf_cstr(&v), true, line,
			     col);
		sr_buf_release(&v);
		return ok;
	}
	if (*r->s == '[')
		return skip_array(r);
	if (*r->s == '{')
		return inline_table(r, k, depth);
	{
		const char *b = r->s;
		struct sr_buf v = SR_BUF_INIT;
		/* numbers, booleans, dates: no blanks, no quotes */
		while (r->s < r->end && (bare_char(*r->s) || *r->s == '.' ||
					 *r->s == '+' || *r->s == ':'))
			r->s++;
		if (r->s == b) {
			problem(r, r->s, "expected a value");
			sr_buf_release(&v);
			return false;
		}
		sr_buf_add(&v, b, (size_t)(r->s - b));
		emit(r, sr_buf_cstr(k), sr_buf_cstr(&v), false, line, col);
		sr_buf_release(&v);
	}
	return true;
}

static void header(struct rd *r)
{
	bool arr = r->end - r->s >= 2 && r->s[1] == '[';
	r->s += arr ? 2 : 1;
	sr_buf_reset(&r->table);
	sr_buf_add(&r->table, "", 0);
	if (!key(r, &r->table))
		return;
	if (r->s >= r->end || *r->s != ']' ||
	    (arr && (r->end - r->s < 2 || r->s[1] != ']'))) {
		problem(r, r->s, "expected ']'");
		return;
	}
	r->s += arr ? 2 : 1;
	r->array_table = arr;
	r->table_line = r->line;
	emit(r, NULL, NULL, false, r->line, 1);
}

void sr_toml_read(struct sr_mp *p, const char *text, size_t len,
		  sr_toml_fn fn, void *payload)
{
	struct rd r;
	struct sr_buf k = SR_BUF_INIT;

	memset(&r, 0, sizeof(r));
	r.p = p;
	r.s = text;
	r.end = text + len;
	r.bol = text;
	r.line = 1;
	r.fn = fn;
	r.payload = payload;
	sr_buf_add(&r.table, "", 0);
	for (;;) {
		skip_ws(&r);
		r.bad = false;
		if (r.s >= r.end)
			break;
		if (*r.s == '[') {
			header(&r);
		} else {
			sr_buf_reset(&k);
			sr_buf_add(&k, "", 0);
			if (key(&r, &k)) {
				if (r.s < r.end && *r.s == '=') {
					r.s++;
					value(&r, &k, 0);
				} else {
					problem(&r, r.s, "expected '='");
				}
			}
		}
		if (r.bad) {
			skip_line(&r);
			continue;
		}
		skip_blank(&r);
		if (r.s < r.end && *r.s != '\n' && *r.s != '\r' &&
		    *r.s != '#') {
			problem(&r, r.s, "unexpected text after the value");
			skip_line(&r);
		}
	}
	sr_buf_release(&k);
	sr_buf_release(&r.table);
}

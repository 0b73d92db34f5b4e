/*
 * Values in Istio and Gateway API objects: durations as each API reads
 * them, counts, and the shape of the fields the mesh checks walk through.
 * What the API server would reject is reported as mesh/invalid.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mesh.h"
#include "base/banned.h"

static const struct {
	const char *name;
	long long ns;
} go_units[] = {
	{ "ns", 1LL },
	{ "us", 1000LL },
	{ "\xc2\xb5s", 1000LL },	/* U+00B5 micro sign */
	{ "\xce\xbcs", 1000LL },	/* U+03BC Greek small letter mu */
	{ "ms", 1000000LL },
	{ "s", 1000000000LL },
	{ "m", 60000000000LL },
	{ "h", 3600000000000LL },
};

bool sr_mesh__parse_go_duration(const char *s, long long *ns)
{
	long long total = 0;
	bool neg = false;

	if (!s)
		return false;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!strcmp(s, "0")) {
		*ns = 0;
		return true;
	}
	if (!*s)
		return false;
	while (*s) {
		long long v = 0, unit = 0, frac = 0, scale;
		const char *start = s, *digits_end;
		bool pre, post = false;
		size_t i, ulen;

		while (isdigit((unsigned char)*s)) {
			int d = *s++ - '0';

			if (v > (LLONG_MAX - d) / 10)
				return false;
			v = v * 10 + d;
		}
		pre = s != start;
		digits_end = s;
		if (*s == '.') {
			s++;
			post = isdigit((unsigned char)*s);
			digits_end = s;
			while (isdigit((unsigned char)*s))
				s++;
		}
		if (!pre && !post)
			return false;
		/* the unit runs to the next digit or '.' */
		ulen = 0;
		while (s[ulen] && s[ulen] != '.' &&
		       !isdigit((unsigned char)s[ulen]))
			ulen++;
		for (i = 0; i < sizeof(go_units) / sizeof(go_units[0]); i++)
			if (strlen(go_units[i].name) == ulen &&
			    !strncmp(s, go_units[i].name, ulen))
				unit = go_units[i].ns;
		if (!unit)
			return false;
		/* the fraction, digit by digit, dropping what is below 1ns */
		scale = unit;
		if (post) {
			const char *f;

			for (f = digits_end; isdigit((unsigned char)*f); f++) {
				scale /= 10;
				frac += (*f - '0') * scale;
			}
		}
		s += ulen;
		if (v > (LLONG_MAX - frac) / unit)
			return false;
		v = v * unit + frac;
		if (total > LLONG_MAX - v)
			return false;
		total += v;
	}
	*ns = neg ? -total : total;
	return true;
}

bool sr_mesh__parse_gateway_duration(const char *s, long long *ms)
{
	long long total = 0;
	int parts = 0;

	if (!s || !*s)
		return false;
	while (*s) {
		long long v = 0, unit;
		int digits = 0;

		if (parts == 4)
			return false;
		while (isdigit((unsigned char)*s) && digits < 6) {
			v = v * 10 + (*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 5)
			return false;
		if (s[0] == 'm' && s[1] == 's') {
			unit = 1;
			s += 2;
		} else if (*s == 'h') {
			unit = 3600000;
			s++;
		} else if (*s == 'm') {
			unit = 60000;
			s++;
		} else if (*s == 's') {
			unit = 1000;
			s++;
		} else {
			return false;
		}
		total += v * unit;
		parts++;
	}
	*ms = total;
	return true;
}

void sr_mesh__fmt_ms(char *out, size_t size, long long ms)
{
	if (ms != 0 && ms % 3600000 == 0)
		snprintf(out, size, "%lldh", ms / 3600000);
	else if (ms != 0 && ms % 60000 == 0)
		snprintf(out, size, "%lldm", ms / 60000);
	else if (ms != 0 && ms % 1000 == 0)
		snprintf(out, size, "%llds", ms / 1000);
	else
		snprintf(out, size, "%lldms", ms);
}

void sr_mesh__fmt_gateway(char *out, size_t size, long long ms)
{
	static const struct {
		const char *unit;
		long long ms;
	} parts[] = {
		{ "h", 3600000 }, { "m", 60000 }, { "s", 1000 }, { "ms", 1 },
	};
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && len < size; i++) {
		long long v = ms / parts[i].ms;

		ms %= parts[i].ms;
		if (!v)
			continue;
		snprintf(out + len, size - len, "%lld%s", v, parts[i].unit);
		len += strlen(out + len);
	}
	if (!out[0])
		snprintf(out, size, "0s");
}

size_t sr_mesh__push(struct sr_mesh_obj *o, const char *key)
{
	size_t len = o->path.len;

	if (len)
		sr_buf_addc(&o->path, '.');
	sr_buf_adds(&o->path, key);
	return len;
}

size_t sr_mesh__push_index(struct sr_mesh_obj *o, size_t i)
{
	size_t len = o->path.len;

	sr_buf_addf(&o->path, "[%zu]", i);
	return len;
}

void sr_mesh__pop(struct sr_mesh_obj *o, size_t len)
{
	o->path.len = len;
	if (o->path.ptr)
		o->path.ptr[len] = '\0';
}

void sr_mesh__describe(struct sr_buf *out, const struct sr_node *n)
{
	const char *s = sr_node_str(n);
	const char *type = sr_node_type_name(n);

	if (!s || n->type != SR_NODE_SCALAR)
		sr_buf_adds(out, type);
	else if (!strcmp(type, "string"))
		sr_buf_addf(out, "\"%s\"", s);
	else
		sr_buf_addf(out, "%s %s", type, s);
}

struct sr_mesh_dur sr_mesh__istio_duration(struct sr_mesh_obj *o,
					   const struct sr_node *map,
					   const char *field, bool allow_zero)
{
	struct sr_mesh_dur d = { NULL, false, 0 };
	const struct sr_node *n = sr_map_get(map, field);
	struct sr_buf got = SR_BUF_INIT;
	const char *s;
	char fix[96], val[32];
	long long ns;
	size_t mark;

	if (!n || sr_node_is_null(n))
		return d;
	d.node = n;
	mark = sr_mesh__push(o, field);
	s = sr_node_str(n);
	if (!s || n->type != SR_NODE_SCALAR ||
	    strcmp(sr_node_type_name(n), "string") != 0) {
		sr_mesh__describe(&got, n);
		snprintf(fix, sizeof(fix), "%s: \"<n>s\" or \"<n>ms\"", field);
		sr_emit(o->ctx, "mesh/invalid", n, fix,
			"%s %s: %s must be a duration string such as \"2s\" or \"250ms\", got %s",
			o->kind, o->name, o->path.ptr, got.ptr);
	} else if (!sr_mesh__parse_go_duration(s, &ns)) {
		sr_emit(o->ctx, "mesh/invalid", n,
			"write a number with a unit: h, m, s or ms, e.g. \"1m30s\"",
			"%s %s: %s \"%s\" is not a duration",
			o->kind, o->name, o->path.ptr, s);
	} else if (ns == 0 && allow_zero) {
		d.known = true;
	} else if (ns < SR_MESH_NS_PER_MS) {
		snprintf(fix, sizeof(fix), "%s: 1ms or more", field);
		sr_emit(o->ctx, "mesh/invalid", n, fix,
			"%s %s: %s \"%s\" is below 1ms; Istio rejects durations under 1ms",
			o->kind, o->name, o->path.ptr, s);
	} else if (ns % SR_MESH_NS_PER_MS != 0) {
		char frac[8];
		size_t k;

		sr_mesh__fmt_ms(val, sizeof(val),
				(ns + SR_MESH_NS_PER_MS / 2) /
				SR_MESH_NS_PER_MS);
		snprintf(fix, sizeof(fix), "%s: %s", field, val);
		snprintf(frac, sizeof(frac), "%06lld", ns % SR_MESH_NS_PER_MS);
		for (k = strlen(frac); k > 1 && frac[k - 1] == '0'; k--)
			frac[k - 1] = '\0';
		sr_emit(o->ctx, "mesh/invalid", n, fix,
			"%s %s: %s \"%s\" is %lld.%s ms; Istio accepts only whole milliseconds",
			o->kind, o->name, o->path.ptr, s,
			ns / SR_MESH_NS_PER_MS, frac);
	} else {
		d.known = true;
		d.ms = ns / SR_MESH_NS_PER_MS;
	}
	sr_mesh__pop(o, mark);
	sr_buf_release(&got);
	return d;
}

bool sr_mesh__count(struct sr_mesh_obj *o, const struct sr_node *map,
		    const char *field, const struct sr_node **node,
		    long long *out)
{
	const struct sr_node *n = sr_map_get(map, field);
	struct sr_buf got = SR_BUF_INIT;
	bool ok = false;
	long long v;
	size_t mark;

	*node = NULL;
	if (!n || sr_node_is_null(n))
		return false;
	*node = n;
	mark = sr_mesh__push(o, field);
	if (!sr_node_int(n, &v)) {
		sr_mesh__describe(&got, n);
		sr_emit(o->ctx, "mesh/invalid", n,
			"write a plain (unquoted) whole number",
			"%s %s: %s must be an integer, got %s", o->kind,
			o->name, o->path.ptr, got.ptr);
	} else if (v < 0) {
		sr_emit(o->ctx, "mesh/invalid", n, "use 0 or more",
			"%s %s: %s is negative (%lld); the API server rejects it",
			o->kind, o->name, o->path.ptr, v);
	} else {
		*out = v;
		ok = true;
	}
	sr_mesh__pop(o, mark);
	sr_buf_release(&got);
	return ok;
}

const struct sr_node *sr_mesh__get(struct sr_mesh_obj *o,
				   const struct sr_node *map,
				   const char *field, bool want_seq)
{
	const struct sr_node *n = sr_map_get(map, field);
	size_t mark;

	if (!n || sr_node_is_null(n))
		return NULL;
	if (want_seq ? sr_node_is_seq(n) : sr_node_is_map(n))
		return n;
	mark = sr_mesh__push(o, field);
	sr_emit(o->ctx, "mesh/invalid", n, NULL,
		"%s %s: %s must be a %s, got %s", o->kind, o->name,
		o->path.ptr, want_seq ? "list" : "mapping",
		sr_node_type_name(n));
	sr_mesh__pop(o, mark);
	return NULL;
}

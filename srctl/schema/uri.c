/*
 * URI references (RFC 3986): parsing into components, resolution against
 * a base with dot-segment removal, fragments and percent-decoding.
 */
#include "schema/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "base/banned.h"

struct part {
	const char *p;
	size_t len;
	bool defined;
};

struct uri {
	struct part scheme, authority, path, query, fragment;
};

static bool scheme_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '+' || c == '-' ||
			  c == '.');
}

static size_t scheme_len(const char *s)
{
	size_t i = 0;

	while (s[i] && scheme_char(s[i], i == 0))
		i++;
	return i && s[i] == ':' ? i : 0;
}

bool sr_schema__uri_is_absolute(const char *s)
{
	return scheme_len(s) > 0;
}

static void parse(const char *s, struct uri *u)
{
	size_t n = scheme_len(s), i;

	memset(u, 0, sizeof(*u));
	if (n) {
		u->scheme = (struct part){ s, n, true };
		s += n + 1;
	}
	if (s[0] == '/' && s[1] == '/') {
		s += 2;
		i = strcspn(s, "/?#");
		u->authority = (struct part){ s, i, true };
		s += i;
	}
	i = strcspn(s, "?#");
	u->path = (struct part){ s, i, true };
	s += i;
	if (*s == '?') {
		s++;
		i = strcspn(s, "#");
		u->query = (struct part){ s, i, true };
		s += i;
	}
	if (*s == '#') {
		s++;
		u->fragment = (struct part){ s, strlen(s), true };
	}
}

/* RFC 3986 5.2.4, on 'in' (NUL-terminated, modified), into 'out'. */
static void remove_dots(struct sr_buf *out, const char *in)
{
	size_t start = out->len;

	while (*in) {
		if (!strncmp(in, "../", 3)) {
			in += 3;
		} else if (!strncmp(in, "./", 2)) {
			in += 2;
		} else if (!strncmp(in, "/./", 3)) {
			in += 2;
		} else if (!strcmp(in, "/.")) {
			in = "/";
		} else if (!strncmp(in, "/../", 4) || !strcmp(in, "/..")) {
			in = in[3] ? in + 3 : "/";
			while (out->len > start &&
			       out->ptr[out->len - 1] != '/')
				out->len--;
			if (out->len > start)
				out->len--;
			out->ptr[out->len] = '\0';
		} else if (!strcmp(in, ".") || !strcmp(in, "..")) {
			in += strlen(in);
		} else {
			size_t k = 1 + strcspn(in + 1, "/");

			if (*in != '/')
				k = strcspn(in, "/");
			sr_buf_add(out, in, k);
			in += k;
		}
	}
}

static void add_part(struct sr_buf *b, const struct part *p)
{
	sr_buf_add(b, p->p, p->len);
}

char *sr_schema__uri_resolve(const char *base, const char *ref)
{
	struct uri b, r;
	struct sr_buf out = SR_BUF_INIT, path = SR_BUF_INIT;
	const struct part *auth, *query;

	parse(base, &b);
	parse(ref, &r);
	if (r.scheme.defined) {
		sr_buf_add(&path, r.path.p, r.path.len);
		auth = &r.authority;
		query = &r.query;
		b.scheme = r.scheme;
	} else if (r.authority.defined) {
		sr_buf_add(&path, r.path.p, r.path.len);
		auth = &r.authority;
		query = &r.query;
	} else {
		auth = &b.authority;
		if (!r.path.len) {
			sr_buf_add(&path, b.path.p, b.path.len);
			query = r.query.defined ? &r.query : &b.query;
		} else {
			query = &r.query;
			if (r.path.p[0] == '/') {
				sr_buf_add(&path, r.path.p, r.path.len);
			} else {
				size_t k = b.path.len;

				if (b.authority.defined && !b.path.len) {
					sr_buf_addc(&path, '/');
				} else {
					while (k && b.path.p[k - 1] != '/')
						k--;
					sr_buf_add(&path, b.path.p, k);
				}
				sr_buf_add(&path, r.path.p, r.path.len);
			}
		}
	}
	if (b.scheme.defined) {
		add_part(&out, &b.scheme);
		sr_buf_addc(&out, ':');
	}
	if (auth->defined) {
		sr_buf_adds(&out, "//");
		add_part(&out, auth);
	}
	remove_dots(&out, sr_buf_cstr(&path));
	if (query->defined) {
		sr_buf_addc(&out, '?');
		add_part(&out, query);
	}
	if (r.fragment.defined) {
		sr_buf_addc(&out, '#');
		add_part(&out, &r.fragment);
	}
	sr_buf_release(&path);
	return sr_buf_detach(&out);
}

char *sr_schema__uri_split(const char *s, const char **frag)
{
	const char *h = strchr(s, '#');

	if (!h) {
		*frag = NULL;
		return sr_xstrdup(s);
	}
	*frag = h + 1;
	return sr_xstrndup(s, (size_t)(h - s));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *sr_schema__pct_decode(const char *s, size_t *len)
{
	size_t n = strlen(s), i, o = 0;
	char *out = sr_xmalloc(n + 1);

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n + 1 && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			out[o++] = (char)(hexval(s[i + 1]) * 16 +
					  hexval(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*len = o;
	return out;
}

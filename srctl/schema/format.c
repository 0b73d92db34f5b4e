/*
 * "format" assertions: date-time, date, time and duration (RFC 3339),
 * email (RFC 5321 mailbox), ipv4 and ipv6 (RFC 2673, RFC 4291), uri and
 * uri-reference (RFC 3986), regex (ECMA-262, through the regex engine),
 * uuid (RFC 4122) and json-pointer (RFC 6901). Other names are only
 * annotations.
 */
#include "schema/internal.h"

#include <string.h>

#include "engine/regex.h"
#include "base/banned.h"

enum {
	F_NONE,
	F_DATE_TIME,
	F_DATE,
	F_TIME,
	F_DURATION,
	F_EMAIL,
	F_IPV4,
	F_IPV6,
	F_URI,
	F_URI_REFERENCE,
	F_REGEX,
	F_UUID,
	F_JSON_POINTER
};

int sr_schema__format_id(const char *name)
{
	static const struct {
		const char *name;
		int id;
	} formats[] = {
		{ "date-time", F_DATE_TIME }, { "date", F_DATE },
		{ "time", F_TIME }, { "duration", F_DURATION },
		{ "email", F_EMAIL }, { "ipv4", F_IPV4 }, { "ipv6", F_IPV6 },
		{ "uri", F_URI }, { "uri-reference", F_URI_REFERENCE },
		{ "regex", F_REGEX }, { "uuid", F_UUID },
		{ "json-pointer", F_JSON_POINTER },
	};
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, name))
			return formats[i].id;
	return F_NONE;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Exactly 'n' digits at s[*i], as a number; -1 if not. */
static int digits(const char *s, size_t len, size_t *i, size_t n)
{
	int v = 0;
	size_t k;

	if (*i + n > len)
		return -1;
	for (k = 0; k < n; k++) {
		if (!is_digit(s[*i + k]))
			return -1;
		v = v * 10 + (s[*i + k] - '0');
	}
	*i += n;
	return v;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* full-date at s[*i]. */
static bool full_date(const char *s, size_t len, size_t *i)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	int y, m, d;

	y = digits(s, len, i, 4);
	if (y < 0 || *i >= len || s[(*i)++] != '-')
		return false;
	m = digits(s, len, i, 2);
	if (m < 1 || m > 12 || *i >= len || s[(*i)++] != '-')
		return false;
	d = digits(s, len, i, 2);
	if (d < 1)
		return false;
	return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* full-time at s[*i]: partial-time and offset, leap seconds in UTC. */
static bool full_time(const char *s, size_t len, size_t *i)
{
	int h, m, sec, oh = 0, om = 0, sign = 0, utc_min;

	h = digits(s, len, i, 2);
	if (h < 0 || h > 23 || *i >= len || s[(*i)++] != ':')
		return false;
	m = digits(s, len, i, 2);
	if (m < 0 || m > 59 || *i >= len || s[(*i)++] != ':')
		return false;
	sec = digits(s, len, i, 2);
	if (sec < 0 || sec > 60)
		return false;
	if (*i < len && s[*i] == '.') {
		size_t start = ++(*i);

		while (*i < len && is_digit(s[*i]))
			(*i)++;
		if (*i == start)
			return false;
	}
	if (*i >= len)
		return false;
	if (s[*i] == 'Z' || s[*i] == 'z') {
		(*i)++;
	} else if (s[*i] == '+' || s[*i] == '-') {
		sign = s[(*i)++] == '+' ? 1 : -1;
		oh = digits(s, len, i, 2);
		if (oh < 0 || oh > 23 || *i >= len || s[(*i)++] != ':')
			return false;
		om = digits(s, len, i, 2);
		if (om < 0 || om > 59)
			return false;
	} else {
		return false;
	}
	if (sec == 60) {
		/* a leap second happens at 23:59:60 UTC only */
		utc_min = h * 60 + m - sign * (oh * 60 + om);
		utc_min = ((utc_min % 1440) + 1440) % 1440;
		if (utc_min != 23 * 60 + 59)
			return false;
	}
	return true;
}

static bool check_date_time(const char *s, size_t len)
{
	size_t i = 0;

	if (!full_date(s, len, &i) || i >= len ||
	    (s[i] != 'T' && s[i] != 't'))
		return false;
	i++;
	return full_time(s, len, &i) && i == len;
}

static bool check_date(const char *s, size_t len)
{
	size_t i = 0;

	return full_date(s, len, &i) && i == len;
}

static bool check_time(const char *s, size_t len)
{
	size_t i = 0;

	return full_time(s, len, &i) && i == len;
}

/* Read "<digits><designator>" if the designator is 'want'. */
static bool dur_part(const char *s, size_t len, size_t *i, char want)
{
	size_t k = *i;

	while (k < len && is_digit(s[k]))
		k++;
	if (k == *i || k >= len || s[k] != want)
		return false;
	*i = k + 1;
	return true;
}

/* RFC 3339 appendix A: P(nY(nM(nD)?)?|nM(nD)?|nD)(T...)? | PnW | PT... */
static bool check_duration(const char *s, size_t len)
{
	static const char date_seq[] = "YMD", time_seq[] = "HMS";
	size_t i = 1, k, parts = 0;
	int last = -1;

	if (!len || s[0] != 'P')
		return false;
	if (dur_part(s, len, &i, 'W'))
		return i == len;
	for (k = 0; k < 3 && i < len && s[i] != 'T'; k++) {
		if (dur_part(s, len, &i, date_seq[k])) {
			if (last >= 0 && (int)k != last + 1)
				return false;
			last = (int)k;
			parts++;
		}
	}
	if (i < len && s[i] != 'T')
		return false;
	if (i == len)
		return parts > 0;
	i++;	/* T */
	last = -1;
	parts = 0;
	for (k = 0; k < 3 && i < len; k++) {
		if (dur_part(s, len, &i, time_seq[k])) {
			if (last >= 0 && (int)k != last + 1)
				return false;
			last = (int)k;
			parts++;
		}
	}
	return parts > 0 && i == len;
}

static bool check_ipv4(const char *s, size_t len)
{
	size_t i = 0, part;

	for (part = 0; part < 4; part++) {
		size_t start = i;
		int v = 0;

		if (part && (i >= len || s[i++] != '.'))
			return false;
		start = i;
		while (i < len && is_digit(s[i]) && i - start < 4)
			v = v * 10 + (s[i++] - '0');
		if (i == start || i - start > 3 || v > 255 ||
		    (s[start] == '0' && i - start > 1))
			return false;
	}
	return i == len;
}

static bool check_ipv6(const char *s, size_t len)
{
	size_t i = 0, groups = 0;
	bool compressed = false;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		compressed = true;
		i = 2;
		if (i == len)
			return true;
	} else if (len && s[0] == ':') {
		return false;
	}
	while (i < len) {
		size_t start = i, j = i;

		while (j < len && is_hex(s[j]) && j - start < 5)
			j++;
		if (j < len && s[j] == '.') {
			/* an embedded IPv4 address ends the address */
			if (!check_ipv4(s + start, len - start) ||
			    groups > 6)
				return false;
			groups += 2;
			i = len;
			break;
		}
		if (j == start || j - start > 4)
			return false;
		groups++;
		i = j;
		if (i == len)
			break;
		if (s[i] != ':')
			return false;
		i++;
		if (i < len && s[i] == ':') {
			if (compressed)
				return false;
			compressed = true;
			i++;
			if (i == len)
				break;
		} else if (i == len) {
			return false;	/* a trailing single colon */
		}
	}
	return compressed ? groups <= 7 : groups == 8;
}

static bool atext(char c)
{
	return is_alpha(c) || is_digit(c) ||
	       (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* A domain name as RFC 1123 allows it, at most 253 bytes. */
static bool hostname(const char *s, size_t len)
{
	size_t i = 0;

	if (!len || len > 253)
		return false;
	while (i < len) {
		size_t start = i;

		while (i < len && s[i] != '.') {
			if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-')
				return false;
			i++;
		}
		if (i == start || i - start > 63 || s[start] == '-' ||
		    s[i - 1] == '-')
			return false;
		if (i < len)
			i++;
		if (i == len && s[len - 1] == '.')
			return false;
	}
	return true;
}

static bool check_email(const char *s, size_t len)
{
	size_t i = 0, at;

	if (!len)
		return false;
	if (s[0] == '"') {
		for (i = 1; i < len && s[i] != '"'; i++) {
			if (s[i] == '\\')
				i++;
			else if ((unsigned char)s[i] < 0x20)
				return false;
		}
		if (i >= len)
			return false;
		i++;
	} else {
		bool dot_ok = false;

		for (; i < len && s[i] != '@'; i++) {
			if (s[i] == '.') {
				if (!dot_ok)
					return false;
				dot_ok = false;
			} else if (atext(s[i])) {
				dot_ok = true;
			} else {
				return false;
			}
		}
		if (!dot_ok)
			return false;
	}
	if (i >= len || s[i] != '@')
		return false;
	at = i + 1;
	if (at < len && s[at] == '[' && s[len - 1] == ']') {
		const char *lit = s + at + 1;
		size_t llen = len - at - 2;

		if (llen > 5 && !strncmp(lit, "IPv6:", 5))
			return check_ipv6(lit + 5, llen - 5);
		return check_ipv4(lit, llen);
	}
	return hostname(s + at, len - at);
}

static bool unreserved(char c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

static bool sub_delim(char c)
{
	return c && strchr("!$&'()*+,;=", c);
}

/* Characters of 'allowed' plus percent-escapes, over s[from, to). */
static bool chars_ok(const char *s, size_t from, size_t to,
		     const char *extra)
{
	size_t i;

	for (i = from; i < to; i++) {
		char c = s[i];

		if (c == '%') {
			if (i + 2 >= to || !is_hex(s[i + 1]) ||
			    !is_hex(s[i + 2]))
				return false;
			i += 2;
			continue;
		}
		if (unreserved(c) || sub_delim(c) || (c && strchr(extra, c)))
			continue;
		return false;
	}
	return true;
}

static bool authority_ok(const char *s, size_t from, size_t to)
{
	size_t at = from, i, host = from, hend;
	bool has_at = false;

	for (i = from; i < to; i++) {
		if (s[i] == '@') {
			at = i;
			has_at = true;
		}
	}
	if (has_at) {
		if (!chars_ok(s, from, at, ":"))
			return false;
		host = at + 1;
	}
	hend = to;
	if (host < to && s[host] == '[') {
		const char *close = memchr(s + host, ']', to - host);

		if (!close)
			return false;
		if (!check_ipv6(s + host + 1, (size_t)(close - s) - host - 1))
			return false;
		hend = (size_t)(close - s) + 1;
		if (hend < to && s[hend] != ':')
			return false;
	} else {
		for (i = host; i < to && s[i] != ':'; i++)
			;
		hend = i;
		if (!chars_ok(s, host, hend, ""))
			return false;
	}
	if (hend < to) {
		for (i = hend + 1; i < to; i++)
			if (!is_digit(s[i]))
				return false;
	}
	return true;
}

/* RFC 3986 URI (absolute) or URI-reference. */
static bool check_uri(const char *s, size_t len, bool reference)
{
	size_t i = 0, q, f, pend;

	if (memchr(s, '\0', len))
		return false;
	while (i < len && (is_alpha(s[i]) ||
			   (i && (is_digit(s[i]) || s[i] == '+' ||
				  s[i] == '-' || s[i] == '.'))))
		i++;
	if (i && i < len && s[i] == ':') {
		i++;
	} else {
		if (!reference)
			return false;
		i = 0;
		/* a relative reference: no ':' in the first segment */
		for (q = 0; q < len && s[q] != '/' && s[q] != '?' &&
			    s[q] != '#'; q++)
			if (s[q] == ':')
				return false;
	}
	f = i;
	while (f < len && s[f] != '#')
		f++;
	q = i;
	while (q < f && s[q] != '?')
		q++;
	pend = q;
	if (pend - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		size_t a = i + 2, ae = a;

		while (ae < pend && s[ae] != '/')
			ae++;
		if (!authority_ok(s, a, ae))
			return false;
		i = ae;
	}
	if (!chars_ok(s, i, pend, ":@/"))
		return false;
	if (q < f && !chars_ok(s, q + 1, f, ":@/?"))
		return false;
	if (f < len && !chars_ok(s, f + 1, len, ":@/?"))
		return false;
	return true;
}

static bool check_regex(const char *s, size_t len)
{
	struct sr_regex *re = NULL;

	if (sr_regex_new(&re, s, len, SR_REGEX_ECMA) < 0)
		return false;
	sr_regex_free(re);
	return true;
}

static bool check_uuid(const char *s, size_t len)
{
	size_t i;

	if (len != 36)
		return false;
	for (i = 0; i < len; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!is_hex(s[i])) {
			return false;
		}
	}
	return true;
}

static bool check_json_pointer(const char *s, size_t len)
{
	size_t i;

	if (len && s[0] != '/')
		return false;
	for (i = 0; i < len; i++)
		if (s[i] == '~' && (i + 1 >= len ||
				    (s[i + 1] != '0' && s[i + 1] != '1')))
			return false;
	return true;
}

bool sr_schema__format_check(int id, const char *s, size_t len)
{
	switch (id) {
	case F_DATE_TIME: return check_date_time(s, len);
	case F_DATE: return check_date(s, len);
	case F_TIME: return check_time(s, len);
	case F_DURATION: return check_duration(s, len);
	case F_EMAIL: return check_email(s, len);
	case F_IPV4: return check_ipv4(s, len);
	case F_IPV6: return check_ipv6(s, len);
	case F_URI: return check_uri(s, len, false);
	case F_URI_REFERENCE: return check_uri(s, len, true);
	case F_REGEX: return check_regex(s, len);
	case F_UUID: return check_uuid(s, len);
	case F_JSON_POINTER: return check_json_pointer(s, len);
	default: return true;
	}
}

#include "duration.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

/* Read a decimal number at *p; advance *p. */
static bool number(const char **p, double *out)
{
	const char *s = *p;
	char *end;

	if (!isdigit((unsigned char)*s) && !(*s == '.' && isdigit((unsigned char)s[1])))
		return false;
	*out = strtod(s, &end);
	if (end == s)
		return false;
	*p = end;
	return true;
}

static bool go_style(const char *s, double *ms)
{
	static const struct { const char *unit; double ms; } units[] = {
		{ "ns", 1e-6 }, { "us", 1e-3 }, { "\xc2\xb5s", 1e-3 },
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
		{ "d", 86400000 },
	};
	double total = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!*s)
		return false;
	while (*s) {
		double v;
		size_t i, best = 0, best_len = 0;

		if (!number(&s, &v))
			return false;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t n = strlen(units[i].unit);
			if (!strncmp(s, units[i].unit, n) && n > best_len) {
				best = i;
				best_len = n;
			}
		}
		if (!best_len)
			return false;
		total += v * units[best].ms;
		s += best_len;
	}
	*ms = neg ? -total : total;
	return true;
}

static bool iso8601(const char *s, double *ms)
{
	double total = 0;
	bool in_time = false, any = false;

	if (*s == '-' || *s == '+')
		s++;
	if (*s != 'P' && *s != 'p')
		return false;
	s++;
	while (*s) {
		double v;
		char u;

		if (*s == 'T' || *s == 't') {
			in_time = true;
			s++;
			continue;
		}
		if (!number(&s, &v))
			return false;
		u = (char)toupper((unsigned char)*s++);
		if (u == 'D' && !in_time)
			total += v * 86400000;
		else if (u == 'H' && in_time)
			total += v * 3600000;
		else if (u == 'M' && in_time)
			total += v * 60000;
		else if (u == 'S' && in_time)
			total += v * 1000;
		else
			return false;
		any = true;
	}
	if (!any)
		return false;
	*ms = total;
	return true;
}

bool sr_duration_parse_ms(const char *s, double *ms)
{
	while (*s == ' ')
		s++;
	return go_style(s, ms) || iso8601(s, ms);
}

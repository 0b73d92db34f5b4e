/*
 * CVSS 3.x base scores (FIRST, CVSS v3.1 specification section 7.1; the
 * 3.0 formula is the same but for Roundup, where 3.1 works in integers
 * to avoid floating-point error: we use the 3.1 Roundup for both, as
 * FIRST's calculator does).
 */
#include "advisory/advisory.h"

#include <math.h>
#include <string.h>

#include "base/banned.h"

struct metric {
	const char *name;
	const char *letters;	/* the values it takes */
	double weights[4];	/* per letter; Scope changed: see PR */
	double changed[4];	/* PR weights when Scope is Changed */
};

static const struct metric metrics[] = {
	{ "AV", "NALP", { 0.85, 0.62, 0.55, 0.2 }, { 0 } },
	{ "AC", "LH", { 0.77, 0.44 }, { 0 } },
	{ "PR", "NLH", { 0.85, 0.62, 0.27 }, { 0.85, 0.68, 0.5 } },
	{ "UI", "NR", { 0.85, 0.62 }, { 0 } },
	{ "S", "UC", { 0, 1 }, { 0 } },
	{ "C", "HLN", { 0.56, 0.22, 0 }, { 0 } },
	{ "I", "HLN", { 0.56, 0.22, 0 }, { 0 } },
	{ "A", "HLN", { 0.56, 0.22, 0 }, { 0 } },
};

#define N_METRICS (sizeof(metrics) / sizeof(metrics[0]))

/* The smallest number with one decimal at or above 'x' (3.1 Roundup). */
static double roundup(double x)
{
	long long i = llround(x * 100000.0);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

double sr_cvss3_base_score(const char *vector)
{
	int idx[N_METRICS];
	const char *p;
	size_t i;
	double iss, impact, expl, pr;
	bool changed;

	if (!vector || (strncmp(vector, "CVSS:3.0/", 9) &&
			strncmp(vector, "CVSS:3.1/", 9)))
		return -1;
	for (i = 0; i < N_METRICS; i++)
		idx[i] = -1;
	p = vector + 9;
	while (*p) {
		const char *colon = strchr(p, ':');
		const char *end = strchr(p, '/');
		size_t len, m;
		const char *at;

		if (!end)
			end = p + strlen(p);
		if (!colon || colon > end || end != colon + 2)
			return -1;
		len = (size_t)(colon - p);
		for (m = 0; m < N_METRICS; m++)
			if (strlen(metrics[m].name) == len &&
			    !strncmp(metrics[m].name, p, len))
				break;
		if (m < N_METRICS) {
			/* a base metric: once, with a known value */
			at = strchr(metrics[m].letters, colon[1]);
			if (idx[m] >= 0 || !at || !colon[1])
				return -1;
			idx[m] = (int)(at - metrics[m].letters);
		}
		/* temporal and environmental metrics do not change the base */
		p = *end ? end + 1 : end;
	}
	for (i = 0; i < N_METRICS; i++)
		if (idx[i] < 0)
			return -1;

	changed = idx[4] == 1;
	iss = 1.0 - (1.0 - metrics[5].weights[idx[5]]) *
		    (1.0 - metrics[6].weights[idx[6]]) *
		    (1.0 - metrics[7].weights[idx[7]]);
	if (changed)
		impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
	else
		impact = 6.42 * iss;
	pr = changed ? metrics[2].changed[idx[2]] : metrics[2].weights[idx[2]];
	expl = 8.22 * metrics[0].weights[idx[0]] * metrics[1].weights[idx[1]] *
	       pr * metrics[3].weights[idx[3]];
	if (impact <= 0)
		return 0;
	if (changed)
		return roundup(fmin(1.08 * (impact + expl), 10.0));
	return roundup(fmin(impact + expl, 10.0));
}

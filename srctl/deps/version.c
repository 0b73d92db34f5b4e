#include "version.h"

#include <string.h>

#include "base/banned.h"

static const char *const eco_names[SR_ECO__COUNT] = {
	[SR_ECO_MAVEN] = "Maven",
	[SR_ECO_NPM] = "npm",
	[SR_ECO_GO] = "Go",
	[SR_ECO_PYPI] = "PyPI",
	[SR_ECO_CARGO] = "crates.io",
	[SR_ECO_RUBYGEMS] = "RubyGems",
	[SR_ECO_PACKAGIST] = "Packagist",
	[SR_ECO_SEMVER] = "SemVer",
};

bool sr_ecosystem_parse(const char *osv_name, enum sr_ecosystem *out)
{
	int i;

	if (!osv_name)
		return false;
	/* OSV allows "Maven:<repository URL>" for other Maven repositories. */
	if (!strncmp(osv_name, "Maven:", 6) && osv_name[6]) {
		*out = SR_ECO_MAVEN;
		return true;
	}
	for (i = 0; i < SR_ECO__COUNT; i++) {
		if (!strcmp(osv_name, eco_names[i])) {
			*out = (enum sr_ecosystem)i;
			return true;
		}
	}
	return false;
}

const char *sr_ecosystem_name(enum sr_ecosystem eco)
{
	if ((int)eco < 0 || eco >= SR_ECO__COUNT)
		return "?";
	return eco_names[eco];
}

int sr_version__numcmp(const char *a, size_t alen, const char *b,
		       size_t blen)
{
	int r;

	while (alen > 1 && *a == '0') {
		a++;
		alen--;
	}
	while (blen > 1 && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	r = memcmp(a, b, alen);
	return (r > 0) - (r < 0);
}

bool sr_version_valid(enum sr_ecosystem eco, const char *v)
{
	if (!v)
		return false;
	switch (eco) {
	case SR_ECO_MAVEN:
		return sr_version__maven_valid(v);
	case SR_ECO_NPM:
	case SR_ECO_GO:
	case SR_ECO_CARGO:
	case SR_ECO_SEMVER:
		return sr_version__semver_valid(eco, v);
	case SR_ECO_PYPI:
		return sr_version__pypi_valid(v);
	case SR_ECO_RUBYGEMS:
		return sr_version__rubygems_valid(v);
	case SR_ECO_PACKAGIST:
		return sr_version__packagist_valid(v);
	case SR_ECO__COUNT:
		break;
	}
	return false;
}

static int sign(int r)
{
	return (r > 0) - (r < 0);
}

int sr_version__fallback(bool va, bool vb, const char *a, const char *b)
{
	if (va != vb)
		return va ? 1 : -1;
	return sign(strcmp(a, b));
}

int sr_version_compare(enum sr_ecosystem eco, const char *a, const char *b)
{
	if (!a)
		a = "";
	if (!b)
		b = "";
	switch (eco) {
	case SR_ECO_MAVEN:
		return sr_version__maven_cmp(a, b);
	case SR_ECO_NPM:
	case SR_ECO_GO:
	case SR_ECO_CARGO:
	case SR_ECO_SEMVER:
		return sr_version__semver_cmp(eco, a, b);
	case SR_ECO_PYPI:
		return sr_version__pypi_cmp(a, b);
	case SR_ECO_RUBYGEMS:
		return sr_version__rubygems_cmp(a, b);
	case SR_ECO_PACKAGIST:
		return sr_version__packagist_cmp(a, b);
	case SR_ECO__COUNT:
		break;
	}
	return sign(strcmp(a, b));
}

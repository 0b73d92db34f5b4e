/*
 * Version ordering per package ecosystem, for matching installed versions
 * against OSV advisory ranges and the organisation's known-bad list.
 *
 * Each ecosystem follows its reference implementation as OSV uses it:
 *
 *   Maven      org.apache.maven.artifact.versioning.ComparableVersion
 *              (Maven 4 rules: items, qualifiers alpha < beta < milestone <
 *              rc = cr < snapshot < "" = ga = final = release < sp <
 *              unknown (lexical), "a1"/"b1"/"m1" shorthands, ".X" treated
 *              as "-X", "rc1"-style combinations, trailing nulls trimmed,
 *              case-insensitive). Every string is valid except ones longer
 *              than 256 UTF-16 units, which Maven rejects. Maven 3.8
 *              (which osv-scanner's fixtures follow) orders a few real
 *              versions differently: fixtures/version-ordering/
 *              known-failures.txt lists them.
 *   npm        node-semver in loose mode: surrounding blanks and leading
 *              "v"/"=" ignored, leading zeros allowed, the prerelease
 *              hyphen optional ("1.2.3beta"), build ignored.
 *   Go         golang.org/x/mod/semver: "v" optional (OSV stores Go
 *              versions without it), "vMAJOR" and "vMAJOR.MINOR"
 *              shorthands, "+incompatible" is build metadata (ignored),
 *              pseudo-versions order as the prereleases they are.
 *   crates.io  The semver crate's grammar (an optional leading "v" is
 *              also accepted) and SemVer 2.0.0 precedence: build metadata
 *              is ignored, as OSV does, where the crate's Ord uses it last.
 *   SemVer     SemVer 2.0.0 precedence, strict grammar, optional "v"
 *              (the OSV SEMVER range type; osv-scanner accepts the "v").
 *   PyPI       PEP 440 as the packaging library implements it: epochs,
 *              pre/post/dev releases with their alternative spellings,
 *              implicit post releases ("1.0-1"), local versions.
 *              Non-PEP 440 ("legacy") versions are invalid, so they sort
 *              first, as packaging's LegacyVersion did.
 *   RubyGems   Gem::Version: segments, any letter makes a prerelease,
 *              "-" means ".pre.", trailing zeros trimmed per part.
 *   Packagist  PHP version_compare() as osv.dev ports it: "-_+" are dots,
 *              digit/letter boundaries split, special forms any-other <
 *              dev < alpha = a < beta = b < RC = rc < "#" (a number) <
 *              pl = p = patch; a leading "v"/"V" is dropped; special forms
 *              match case-insensitively (as Composer normalises them); a
 *              literal "#" part sorts just below numbers (PHP makes it
 *              equal to all of them, which is not transitive). Every
 *              string is valid, as for version_compare().
 *
 * Invalid versions never fail: a string that is not a valid version of the
 * ecosystem (sr_version_valid() false, or NULL, read as "") sorts before
 * every valid version, and two invalid strings order by strcmp(). So the
 * comparison is a total order for every ecosystem (with ties where the
 * ecosystem says two spellings are the same version, e.g. Maven "1.0" and
 * "1").
 *
 * Numbers may have any number of digits in every ecosystem (compared as
 * digit strings, never converted). Nothing here allocates or keeps state
 * (a compare parses both strings into stack buffers, about 100 ns); all
 * functions are reentrant.
 */
#ifndef SR_VERSION_H
#define SR_VERSION_H

#include <stdbool.h>
#include <stddef.h>

enum sr_ecosystem {
	SR_ECO_MAVEN,
	SR_ECO_NPM,
	SR_ECO_GO,
	SR_ECO_PYPI,
	SR_ECO_CARGO,
	SR_ECO_RUBYGEMS,
	SR_ECO_PACKAGIST,
	SR_ECO_SEMVER,
	SR_ECO__COUNT	/* not an ecosystem: the number of them */
};

/*
 * The ecosystem for an OSV ecosystem name: "Maven" (also "Maven:<repo>"),
 * "npm", "Go", "PyPI", "crates.io", "RubyGems", "Packagist", and "SemVer"
 * for plain SemVer 2.0.0. Names are case-sensitive, as in OSV. False for
 * anything else (including NULL); *out is then unchanged.
 */
bool sr_ecosystem_parse(const char *osv_name, enum sr_ecosystem *out);

/* The OSV name of 'eco' ("SemVer" for SR_ECO_SEMVER); "?" if out of range. */
const char *sr_ecosystem_name(enum sr_ecosystem eco);

/*
 * Compare two versions of ecosystem 'eco': <0, 0 or >0 as 'a' sorts
 * before, the same as, or after 'b'. Total, antisymmetric and transitive
 * for any input (see invalid versions above); an out-of-range 'eco'
 * compares with strcmp().
 */
int sr_version_compare(enum sr_ecosystem eco, const char *a, const char *b);

/*
 * Is 'v' a version the ecosystem's reference implementation accepts?
 * False for NULL and for an out-of-range 'eco'.
 */
bool sr_version_valid(enum sr_ecosystem eco, const char *v);

/*
 * Semi-private: one parser and comparator per ecosystem file
 * (version_<eco>.c). *_valid says whether the string parses; *_cmp takes
 * any two non-NULL strings, parses each once and applies the invalid-version
 * rule through sr_version__fallback().
 */
bool sr_version__maven_valid(const char *v);
int sr_version__maven_cmp(const char *a, const char *b);
/* The semver family: 'eco' is SR_ECO_NPM, _GO, _CARGO or _SEMVER. */
bool sr_version__semver_valid(enum sr_ecosystem eco, const char *v);
int sr_version__semver_cmp(enum sr_ecosystem eco, const char *a,
			   const char *b);
bool sr_version__pypi_valid(const char *v);
int sr_version__pypi_cmp(const char *a, const char *b);
bool sr_version__rubygems_valid(const char *v);
int sr_version__rubygems_cmp(const char *a, const char *b);
bool sr_version__packagist_valid(const char *v);
int sr_version__packagist_cmp(const char *a, const char *b);

/*
 * Shared helpers. sr_version__numcmp compares two runs of ASCII digits of
 * any length as numbers (leading zeros ignored). sr_version__fallback is
 * the order when 'a' or 'b' is invalid ('va'/'vb' say which are valid):
 * invalid before valid, two invalid ones by strcmp(). Both return -1, 0
 * or 1.
 */
int sr_version__numcmp(const char *a, size_t alen, const char *b,
		       size_t blen);
int sr_version__fallback(bool va, bool vb, const char *a, const char *b);

#endif

/*
 * deps_gen: inputs for bench/deps.sh.
 *
 *   deps_gen lock N FILE      a package-lock.json (v3) with N packages
 *   deps_gen osv M N PCT DIR  M OSV advisories in DIR/<bucket>/<id>.json
 *
 * Packages are pkg-0 .. pkg-(N-1), version 1.<i % 50>.<i % 7>. PCT
 * percent of the advisories name a package of the lockfile
 * (pkg-(k * 7919 % N)), the others a package it does not have (as most
 * of a real database does for any one project: malicious-package
 * records alone are most of npm's OSV export); each has two ECOSYSTEM
 * ranges, aliases, a CVSS vector and about 1.5 KB of text, like a GitHub
 * advisory (those are 2 to 10 KB). Deterministic: same arguments, same
 * bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char lorem[] =
	"The package does not validate the input it merges into an object, "
	"so a crafted payload can add or modify properties of "
	"Object.prototype. Depending on how the application uses the "
	"resulting objects this leads to denial of service, property "
	"injection or, in some configurations, remote code execution. ";

static int gen_lock(long n, const char *path)
{
	FILE *f = fopen(path, "w");
	long i;

	if (!f) {
		perror(path);
		return 1;
	}
	fprintf(f, "{\n  \"name\": \"bench\",\n  \"version\": \"1.0.0\",\n"
		"  \"lockfileVersion\": 3,\n  \"requires\": true,\n"
		"  \"packages\": {\n    \"\": {\n      \"name\": \"bench\",\n"
		"      \"version\": \"1.0.0\"\n    }");
	for (i = 0; i < n; i++)
		fprintf(f, ",\n    \"node_modules/pkg-%ld\": {\n"
			"      \"version\": \"1.%ld.%ld\",\n"
			"      \"resolved\": \"https://registry.npmjs.org/pkg-%ld/-/pkg-%ld-1.%ld.%ld.tgz\",\n"
			"      \"integrity\": \"sha512-%040ld\",\n"
			"      \"dev\": %s\n    }",
			i, i % 50, i % 7, i, i, i % 50, i % 7, i * 31,
			i % 3 ? "false" : "true");
	fprintf(f, "\n  }\n}\n");
	return fclose(f) != 0;
}

static int gen_osv(long m, long n, long pct, const char *dir)
{
	char path[4096];
	long k;

	mkdir(dir, 0755);
	for (k = 0; k < m; k++) {
		long p = k % 100 < pct ? (k * 7919) % n : n + k;
		FILE *f;

		if (k % 1000 == 0) {
			snprintf(path, sizeof(path), "%s/%04ld", dir, k / 1000);
			mkdir(path, 0755);
		}
		snprintf(path, sizeof(path), "%s/%04ld/BENCH-%06ld.json", dir,
			 k / 1000, k);
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			return 1;
		}
		fprintf(f, "{\n  \"schema_version\": \"1.4.0\",\n"
			"  \"id\": \"BENCH-%06ld\",\n"
			"  \"modified\": \"2024-01-01T00:00:00Z\",\n"
			"  \"published\": \"2023-06-01T00:00:00Z\",\n"
			"  \"aliases\": [\"CVE-2023-%05ld\"],\n"
			"  \"summary\": \"Prototype pollution in pkg-%ld\",\n"
			"  \"details\": \"%s%s%s\",\n"
			"  \"severity\": [{\"type\": \"CVSS_V3\", \"score\": "
			"\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H\"}],\n"
			"  \"affected\": [{\n"
			"    \"package\": {\"ecosystem\": \"npm\", \"name\": \"pkg-%ld\", "
			"\"purl\": \"pkg:npm/pkg-%ld\"},\n"
			"    \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": ["
			"{\"introduced\": \"0\"}, {\"fixed\": \"1.%ld.0\"}]},\n"
			"      {\"type\": \"ECOSYSTEM\", \"events\": ["
			"{\"introduced\": \"2.0.0\"}, {\"fixed\": \"2.%ld.1\"}]}],\n"
			"    \"database_specific\": {\"source\": \"bench\"}\n  }],\n"
			"  \"references\": [{\"type\": \"ADVISORY\", \"url\": "
			"\"https://nvd.nist.gov/vuln/detail/CVE-2023-%05ld\"}, "
			"{\"type\": \"PACKAGE\", \"url\": "
			"\"https://www.npmjs.com/package/pkg-%ld\"}],\n"
			"  \"database_specific\": {\"severity\": \"HIGH\", "
			"\"cwe_ids\": [\"CWE-1321\"], \"github_reviewed\": true}\n}\n",
			k, k % 100000, p, lorem, lorem, lorem, p, p,
			(k % 50) + 1, k % 9, k % 100000, p);
		if (fclose(f) != 0) {
			perror(path);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "lock"))
		return gen_lock(strtol(argv[2], NULL, 10), argv[3]);
	if (argc == 6 && !strcmp(argv[1], "osv"))
		return gen_osv(strtol(argv[2], NULL, 10),
			       strtol(argv[3], NULL, 10),
			       strtol(argv[4], NULL, 10), argv[5]);
	fprintf(stderr, "usage: deps_gen lock N FILE | "
		"deps_gen osv M N PCT DIR\n");
	return 2;
}

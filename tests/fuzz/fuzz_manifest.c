/*
 * libFuzzer target for srctl/manifest: every input is parsed as every
 * manifest format. A parser must never crash, hang, leak or read outside
 * the input, whatever the bytes; its problems are not checked. The scan
 * root does not exist, so includes (-r, a parent pom) are never read.
 *
 * tests/fuzz/run.sh builds it with libFuzzer, ASan and UBSan from the
 * sources of srctl/manifest, srctl/doc, srctl/base and srctl/deps
 * (version*.c), linked with -lyaml -lexpat -lm, and runs it for
 * FUZZ_MANIFEST_SECONDS (default 20) seeded with fixtures/manifest/.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/xmalloc.h"
#include "manifest/manifest.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const formats[] = { "package-lock.json", "yarn.lock",
	"pnpm-lock.yaml", "go.mod", "go.sum", "pom.xml", "gradle.lockfile",
	"build.gradle", "libs.versions.toml", "requirements.txt",
	"poetry.lock", "Pipfile.lock", "Cargo.lock", "Gemfile.lock",
	"composer.lock" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i, j;

	for (i = 0; i < SR_ARRAY_SIZE(formats); i++) {
		struct sr_manifest *m = NULL;

		if (sr_manifest_parse_as(&m, formats[i],
					 "/nonexistent-srctl-fuzz/input",
					 (const char *)data, size,
					 "/nonexistent-srctl-fuzz") != 0 || !m)
			abort();
		for (j = 0; j < m->n; j++)
			if (!m->deps[j].name || !m->deps[j].version ||
			    !m->deps[j].ecosystem)
				abort();
		sr_manifest_free(m);
	}
	return 0;
}

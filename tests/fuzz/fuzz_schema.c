/*
 * libFuzzer target for srctl/schema: random schemas and instances.
 *
 * Input: one flags byte (bit 0: draft-07 instead of 2020-12 by default,
 * bit 1: format assertions), then the schema text, a NUL byte, and the
 * instance text (JSON or YAML). Checks that nothing crashes, leaks or
 * hangs, and that the fast verdict (sr_schema_valid) and the error list
 * (sr_schema_validate) agree. References can reach the embedded
 * meta-schemas but no file.
 *
 * Build and run (from the repository root):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *     -Isrctl -I. tests/fuzz/fuzz_schema.c srctl/schema/[a-z]*.c \
 *     srctl/engine/regex.c srctl/doc/[a-z]*.c srctl/base/buf.c \
 *     srctl/base/xmalloc.c srctl/base/error.c srctl/base/utf8.c \
 *     -lyaml -lpcre2-8 -lm -o fuzz_schema
 *   ./fuzz_schema -max_total_time=60 -max_len=4096 CORPUS_DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "schema/schema.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(void *payload, const struct sr_schema_error *e)
{
	size_t *n = payload;

	/* every record is complete */
	if (!e->pointer || !e->keyword || !e->message || !e->schema_path)
		abort();
	(*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sr_schema_options opts = SR_SCHEMA_OPTIONS_INIT;
	struct sr_schema_set *set = NULL;
	const struct sr_schema *s = NULL;
	struct sr_stream *inst = NULL;
	const char *text, *sep;
	size_t len, n = 0, reported = 0;
	bool valid;

	if (size < 1)
		return 0;
	opts.default_draft = (data[0] & 1) ? SR_SCHEMA_DRAFT_7 :
			     SR_SCHEMA_DRAFT_2020_12;
	opts.format_assert = (data[0] & 2) != 0;
	text = (const char *)data + 1;
	len = size - 1;
	sep = memchr(text, '\0', len);
	if (!sep)
		return 0;
	sr_schema_set_new(&set, &opts);
	if (sr_schema_load(&s, set, NULL, "fuzz", text,
			   (size_t)(sep - text)) != 0)
		goto done;
	inst = sr_stream_parse(sep + 1, len - (size_t)(sep - text) - 1, NULL,
			       NULL, NULL);
	valid = sr_schema_valid(s, inst->n ? inst->docs[0].root : NULL);
	n = sr_schema_validate(s, inst->n ? inst->docs[0].root : NULL, count,
			       &reported);
	if (valid != (n == 0) || n != reported)
		abort();
done:
	sr_stream_free(inst);
	sr_schema_set_free(set);
	return 0;
}

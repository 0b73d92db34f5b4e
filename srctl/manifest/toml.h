/*
 * Semi-private: the part of TOML that lockfiles use (Cargo.lock,
 * poetry.lock, libs.versions.toml), read as a flat list of key/value
 * events. Table headers, dotted and quoted keys, basic and literal
 * strings (single- and multi-line), inline tables (their keys join the
 * key path: 'a = { b = "x" }' gives key "a.b"), and bare values; arrays
 * are skipped over whole, whatever they hold. Syntax errors become
 * manifest problems and reading resumes on the next line.
 */
#ifndef SR_MANIFEST_TOML_H
#define SR_MANIFEST_TOML_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest/mparse.h"

struct sr_toml_kv {
	const char *table;	/* header name, "" before any; dotted */
	bool array_table;	/* the header was [[...]] */
	unsigned table_line;	/* line of the header (0 before any) */
	const char *key;	/* dotted path below the table */
	const char *value;	/* string contents, or the bare value */
	bool is_string;
	unsigned line, col;	/* of the value */
};

/* Called for each key/value; a new table header calls it with key NULL. */
typedef void (*sr_toml_fn)(void *payload, const struct sr_toml_kv *kv);

void sr_toml_read(struct sr_mp *p, const char *text, size_t len,
		  sr_toml_fn fn, void *payload);

#endif

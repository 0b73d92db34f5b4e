/*
 * The string hash of srctl's hash tables (FNV-1a style): the document
 * model's anchors and key sets, the model's interned strings, the schema
 * compiler's maps and base/strmap. Not for fingerprints that appear in
 * output (those keep their own, documented functions).
 */
#ifndef SR_HASH_H
#define SR_HASH_H

#include <stddef.h>

size_t sr_hash_bytes(const char *s, size_t len);
size_t sr_hash_str(const char *s);

#endif

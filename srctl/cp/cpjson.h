/*
 * JSON helpers shared by the http and istio drivers: parse a response
 * body through the document model (doc/, the one JSON path of srctl) and
 * read typed values from it.
 */
#ifndef SR_CP_CPJSON_H
#define SR_CP_CPJSON_H

#include <stddef.h>

struct sr_buf;
struct sr_node;
struct sr_stream;

/*
 * Parse a JSON body; returns the stream (caller frees with
 * sr_stream_free) or NULL when it is not JSON, with the first problem
 * appended to 'err' (may be NULL).
 */
struct sr_stream *sr_cpjson_parse(const char *text, size_t len,
				  struct sr_buf *err);

/* A JSON integer (not a string holding one). */
int sr_cpjson_int(const struct sr_node *n, long long *out);

/* A JSON string's copy (caller frees), NULL for anything else. */
char *sr_cpjson_strdup(const struct sr_node *n);

#endif

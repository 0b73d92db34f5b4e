/*
 * Files embedded in the binary at build time (cmake/embed.cmake): the rule
 * catalogue from rules/ and the schemas from schemas/.
 */
#ifndef SR_EMBEDDED_H
#define SR_EMBEDDED_H

#include <stddef.h>

struct sr_embedded {
	const char *path;	/* relative to the source tree: "rules/..." */
	const char *data;	/* NUL-terminated */
	size_t size;		/* without the NUL */
};

/* Terminated by an entry with a NULL path. */
extern const struct sr_embedded sr_embedded[];

#endif

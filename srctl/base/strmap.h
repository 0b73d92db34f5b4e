/*
 * A hash map from byte strings to pointers, for the cross-file checks that
 * would otherwise compare every fact with every other one. Keys are
 * borrowed, not copied: they must outlive the map (interned model strings,
 * or text the caller keeps). A key is (pointer, length), so a prefix of a
 * longer string can be looked up without copying it. Keys are shorter
 * than 4 GiB (no file srctl reads is that large).
 */
#ifndef SR_STRMAP_H
#define SR_STRMAP_H

#include <stddef.h>

/* 24 bytes: cross-file rules keep maps with thousands of keys. */
struct sr_strmap_slot {
	const char *key;	/* NULL: empty */
	unsigned len;
	unsigned hash;
	void *value;
};

struct sr_strmap {
	struct sr_strmap_slot *slots;
	size_t n;
	size_t cap;		/* a power of two, or 0 */
};

#define SR_STRMAP_INIT { NULL, 0, 0 }

/* The value stored for the key, or NULL. */
void *sr_strmap_get(const struct sr_strmap *map, const char *key, size_t len);

/*
 * The value slot for the key, added (holding NULL) if missing. Valid until
 * the next call that adds a key.
 */
void **sr_strmap_put(struct sr_strmap *map, const char *key, size_t len);

void sr_strmap_release(struct sr_strmap *map);

#endif

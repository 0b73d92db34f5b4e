/*
 * A hash map from byte strings to pointers, for the cross-file checks that
 * would otherwise compare every fact with every other one. Keys are
 * borrowed, not copied: they must outlive the map (interned model strings,
 * or text the caller keeps). A key is (pointer, length), so a prefix of a
 * longer string can be looked up without copying it.
 */
#ifndef SR_STRMAP_H
#define SR_STRMAP_H

#include <stddef.h>

struct sr_strmap_slot {
	const char *key;	/* NULL: empty */
	size_t len;
	size_t hash;
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

#include "strmap.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xmalloc.h"
#include "banned.h"

static struct sr_strmap_slot *find(struct sr_strmap_slot *slots, size_t cap,
				   const char *key, unsigned len,
				   unsigned hash)
{
	size_t i = hash & (cap - 1);

	while (slots[i].key && (slots[i].hash != hash || slots[i].len != len ||
				memcmp(slots[i].key, key, len) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* The key's length and hash as slots keep them. */
static unsigned key_len(size_t len)
{
	SR_ASSERT(len <= UINT_MAX);
	return (unsigned)len;
}

void *sr_strmap_get(const struct sr_strmap *map, const char *key, size_t len)
{
	struct sr_strmap_slot *s;

	if (!map->cap)
		return NULL;
	s = find(map->slots, map->cap, key, key_len(len),
		 (unsigned)sr_hash_bytes(key, len));
	return s->key ? s->value : NULL;
}

void **sr_strmap_put(struct sr_strmap *map, const char *key, size_t len)
{
	unsigned hash = (unsigned)sr_hash_bytes(key, len);
	struct sr_strmap_slot *s;

	/* at most three quarters full: probes stay short, memory small */
	if ((map->n + 1) * 4 > map->cap * 3) {
		size_t cap = map->cap ? map->cap * 2 : 64, i;
		struct sr_strmap_slot *t = sr_xcalloc(cap, sizeof(*t));

		for (i = 0; i < map->cap; i++)
			if (map->slots[i].key)
				*find(t, cap, map->slots[i].key,
				      map->slots[i].len,
				      map->slots[i].hash) = map->slots[i];
		free(map->slots);
		map->slots = t;
		map->cap = cap;
	}
	s = find(map->slots, map->cap, key, key_len(len), hash);
	if (!s->key) {
		s->key = key;
		s->len = (unsigned)len;
		s->hash = hash;
		s->value = NULL;
		map->n++;
	}
	return &s->value;
}

void sr_strmap_release(struct sr_strmap *map)
{
	free(map->slots);
	map->slots = NULL;
	map->n = map->cap = 0;
}

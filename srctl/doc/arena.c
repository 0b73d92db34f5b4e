#include "arena.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "base/banned.h"

struct block {
	struct block *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

struct sr_arena {
	struct block *head;
};

#define BLOCK_SIZE (64 * 1024)

struct sr_arena *sr_arena_new(void)
{
	return sr_xcalloc(1, sizeof(struct sr_arena));
}

void *sr_arena_alloc(struct sr_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct block *b = a->head;
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (!b || b->size - b->used < size) {
		size_t bsize = size > BLOCK_SIZE / 4 ? size : BLOCK_SIZE;
		b = sr_xmalloc(sizeof(*b) + bsize);
		b->used = 0;
		b->size = bsize;
		if (a->head && bsize != BLOCK_SIZE) {
			/* keep filling the current block after a big one */
			b->next = a->head->next;
			a->head->next = b;
			b->used = size;
			return (char *)b->data;
		}
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

char *sr_arena_strndup(struct sr_arena *a, const char *s, size_t len)
{
	char *p = sr_arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void sr_arena_reset(struct sr_arena *a)
{
	struct block *b, *next, *keep = NULL;

	for (b = a->head; b; b = next) {
		next = b->next;
		if (!keep && b->size == BLOCK_SIZE) {
			keep = b;
			continue;
		}
		free(b);
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
}

void sr_arena_free(struct sr_arena *a)
{
	struct block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

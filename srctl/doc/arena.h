/*
 * A bump allocator: many small allocations, one release. Used by the
 * document model so a stream frees all its nodes and strings at once.
 */
#ifndef SR_ARENA_H
#define SR_ARENA_H

#include <stddef.h>

struct sr_arena;

struct sr_arena *sr_arena_new(void);
/* 'size' bytes aligned for any type. Never NULL. */
void *sr_arena_alloc(struct sr_arena *a, size_t size);
/* A NUL-terminated copy of 'len' bytes at 's'. */
char *sr_arena_strndup(struct sr_arena *a, const char *s, size_t len);
/*
 * Forget every allocation but keep one block for the next ones: a parser
 * that hands out one document at a time reuses the same memory.
 */
void sr_arena_reset(struct sr_arena *a);
void sr_arena_free(struct sr_arena *a);

#endif

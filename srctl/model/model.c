#include "model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "base/hash.h"
#include "doc/arena.h"
#include "base/banned.h"

struct sr_model *sr_model_new(void)
{
	struct sr_model *m = sr_xcalloc(1, sizeof(*m));

	m->arena = sr_arena_new();
	return m;
}

void sr_model_free(struct sr_model *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nservices; i++)
		free(m->services[i].targets);
	free(m->services);
	free(m->breakers.v);
	free(m->refs.v);
	free(m->interned);
	sr_strmap_release(&m->by_dir);
	sr_strmap_release(&m->by_name);
	sr_arena_free(m->arena);
	free(m);
}

static const char **intern_slot(const char **table, size_t cap,
				const char *s)
{
	size_t i = sr_hash_str(s) & (cap - 1);

	while (table[i] && strcmp(table[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return &table[i];
}

const char *sr_model_strdup(struct sr_model *m, const char *s)
{
	const char **slot;

	if (!s)
		return NULL;
	if (m->ninterned * 2 >= m->intern_cap) {
		size_t cap = m->intern_cap ? m->intern_cap * 2 : 256, i;
		const char **t = sr_xcalloc(cap, sizeof(*t));

		for (i = 0; i < m->intern_cap; i++)
			if (m->interned[i])
				*intern_slot(t, cap, m->interned[i]) = m->interned[i];
		free(m->interned);
		m->interned = t;
		m->intern_cap = cap;
	}
	slot = intern_slot(m->interned, m->intern_cap, s);
	if (!*slot) {
		*slot = sr_arena_strndup(m->arena, s, strlen(s));
		m->ninterned++;
	}
	return *slot;
}

void *sr_model_alloc(struct sr_model *m, size_t size)
{
	void *p = sr_arena_alloc(m->arena, size);

	memset(p, 0, size);
	return p;
}

void sr_model_file_paths(struct sr_model *m, const char *path,
			 const char *relpath, const char **path_copy,
			 const char **relpath_copy)
{
	size_t n = strlen(path), rn = strlen(relpath);
	const char *p = sr_arena_strndup(m->arena, path, n);

	*path_copy = p;
	if (rn <= n && !strcmp(path + n - rn, relpath) &&
	    (rn == n || path[n - rn - 1] == '/'))
		*relpath_copy = p + n - rn;
	else
		*relpath_copy = sr_arena_strndup(m->arena, relpath, rn);
}

struct sr_service *sr_model_service(struct sr_model *m, const char *name,
				    const char *dir, const struct sr_loc *loc)
{
	struct sr_service *s;
	void *at = sr_strmap_get(&m->by_dir, dir, strlen(dir));
	void **named;

	if (at)
		return &m->services[(size_t)(uintptr_t)at - 1];
	m->services = sr_xgrow(m->services, &m->cap, m->nservices + 1,
			       sizeof(*m->services));
	s = &m->services[m->nservices++];
	memset(s, 0, sizeof(*s));
	s->name = sr_model_strdup(m, name);
	s->dir = sr_model_strdup(m, dir);
	s->loc = loc;
	/* keyed by the interned copies, which live as long as the model */
	*sr_strmap_put(&m->by_dir, s->dir, strlen(s->dir)) =
		(void *)(uintptr_t)m->nservices;
	named = sr_strmap_put(&m->by_name, s->name, strlen(s->name));
	if (!*named)
		*named = (void *)(uintptr_t)m->nservices;
	return s;
}

void sr_model_add_target(struct sr_model *m, struct sr_service *svc,
			 const struct sr_target *t)
{
	struct sr_target *c;

	svc->targets = sr_xgrow(svc->targets, &svc->cap, svc->ntargets + 1,
				sizeof(*svc->targets));
	c = &svc->targets[svc->ntargets++];
	*c = *t;
	c->protocol = sr_model_strdup(m, t->protocol);
	c->direction = sr_model_strdup(m, t->direction);
	c->name = sr_model_strdup(m, t->name);
}

void sr_model_trim_targets(struct sr_service *svc)
{
	if (svc->cap > svc->ntargets && svc->ntargets) {
		svc->targets = sr_xrealloc(svc->targets,
					   svc->ntargets * sizeof(*svc->targets));
		svc->cap = svc->ntargets;
	}
}

const struct sr_service *sr_model_service_for(const struct sr_model *m,
					      const char *relpath)
{
	size_t n = strlen(relpath);
	void *at;

	/* the deepest directory of relpath that holds a service */
	while (n > 0) {
		while (n > 0 && relpath[n - 1] != '/')
			n--;
		if (!n)
			break;
		n--;	/* the slash */
		at = sr_strmap_get(&m->by_dir, relpath, n);
		if (at)
			return &m->services[(size_t)(uintptr_t)at - 1];
	}
	at = sr_strmap_get(&m->by_dir, "", 0);
	return at ? &m->services[(size_t)(uintptr_t)at - 1] : NULL;
}

const struct sr_service *sr_model_service_left(const struct sr_model *m,
					       const char *relpath,
					       size_t *seen,
					       const char *walk_relpath)
{
	const struct sr_service *svc;
	size_t n;

	if (*seen == m->nservices)
		return NULL;
	svc = sr_model_service_for(m, relpath);
	if (!svc) {
		*seen = m->nservices;
		return NULL;
	}
	/* the root is never left; "a/b" has left "a/b" when not in "a/b/" */
	n = strlen(svc->dir);
	if (!n || (!strncmp(walk_relpath, svc->dir, n) &&
		   walk_relpath[n] == '/'))
		return NULL;
	return svc;
}

const struct sr_service *sr_model_service_named(const struct sr_model *m,
						const char *name)
{
	void *at = sr_strmap_get(&m->by_name, name, strlen(name));

	return at ? &m->services[(size_t)(uintptr_t)at - 1] : NULL;
}

const struct sr_target *sr_service_target(const struct sr_service *svc,
					  const char *name)
{
	size_t i;

	for (i = 0; svc && i < svc->ntargets; i++)
		if (!strcmp(svc->targets[i].name, name))
			return &svc->targets[i];
	return NULL;
}

/* Append one copy of *item to a fact list; returns the copy. */
#define PUSH(m, list, item) \
	((list).v = sr_xgrow((list).v, &(list).cap, (list).n + 1, \
			     sizeof(*(list).v)), \
	 (list).v[(list).n] = *(item), &(list).v[(list).n++])

void sr_model_add_breaker(struct sr_model *m, const struct sr_breaker *b)
{
	struct sr_breaker *c = PUSH(m, m->breakers, b);

	c->name = sr_model_strdup(m, b->name);
	c->full_name = sr_model_strdup(m, b->full_name);
}

void sr_model_add_ref(struct sr_model *m, const struct sr_dep_ref *r)
{
	struct sr_dep_ref *c;

	if (r->kind == SR_REF_ROUTE)
		m->nroutes++;
	if (!m->keep_refs)
		return;
	c = PUSH(m, m->refs, r);
	c->name = sr_model_strdup(m, r->name);
}

const char *sr_model_short_name(struct sr_model *m, const char *host)
{
	const char *dot = strchr(host, '.');
	char buf[256];
	size_t n;

	if (!dot)
		return sr_model_strdup(m, host);
	n = (size_t)(dot - host);
	if (n >= sizeof(buf))
		return sr_arena_strndup(m->arena, host, n);
	memcpy(buf, host, n);
	buf[n] = '\0';
	return sr_model_strdup(m, buf);
}

unsigned sr_model_serial(struct sr_model *m)
{
	return ++m->serial;
}

#include "deferred.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "base/banned.h"

static void file_free(struct sr_deferred *d, struct sr_deferred_file *f)
{
	size_t i;

	for (i = 0; d->release && i < f->n; i++)
		d->release((char *)f->v + i * d->size);
	free(f->v);
	free(f->path);
	free(f->relpath);
	free(f);
}

static void release_all(struct sr_deferred *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		file_free(d, d->files[i]);
	free(d->files);
	d->files = NULL;
	d->n = d->cap = 0;
	d->owner = NULL;
}

void *sr_deferred_add(struct sr_deferred *d, struct sr_ctx *ctx)
{
	const struct sr_model *m = sr_ctx_model(ctx);
	const char *relpath = sr_ctx_relpath(ctx);
	struct sr_deferred_file *f;
	void *fact;

	if (d->owner != m) {
		release_all(d);
		d->owner = m;
	}
	/* a file's facts arrive together: only the last file can be it */
	if (d->n && !strcmp(d->files[d->n - 1]->relpath, relpath)) {
		f = d->files[d->n - 1];
	} else {
		f = sr_xcalloc(1, sizeof(*f));
		f->path = sr_xstrdup(sr_ctx_path(ctx));
		f->relpath = sr_xstrdup(relpath);
		d->files = sr_xgrow(d->files, &d->cap, d->n + 1,
				    sizeof(*d->files));
		d->files[d->n++] = f;
	}
	f->v = sr_xgrow(f->v, &f->cap, f->n + 1, d->size);
	fact = (char *)f->v + f->n++ * d->size;
	memset(fact, 0, d->size);
	return fact;
}

void sr_deferred_left(struct sr_deferred *d, struct sr_ctx *ctx)
{
	const struct sr_check_opts *opts = sr_ctx_opts(ctx);
	const char *relpath = sr_ctx_relpath(ctx);
	size_t i, kept = 0;

	if (!opts->tree_order || !d->n || d->owner != sr_ctx_model(ctx))
		return;
	for (i = 0; i < d->n; i++) {
		struct sr_deferred_file *f = d->files[i];
		const struct sr_service *svc;

		svc = sr_model_service_left(d->owner, f->relpath,
					    &f->services_seen, relpath);
		if (svc) {
			d->decide(opts, f, svc);
			file_free(d, f);
		} else {
			d->files[kept++] = f;
		}
	}
	d->n = kept;
}

void sr_deferred_finish(struct sr_deferred *d,
			const struct sr_check_opts *opts,
			const struct sr_model *m)
{
	size_t i;

	for (i = 0; d->owner == m && i < d->n; i++) {
		const struct sr_service *svc =
			sr_model_service_for(m, d->files[i]->relpath);

		if (svc)
			d->decide(opts, d->files[i], svc);
	}
	release_all(d);
}

struct sr_loc sr_deferred_loc(const struct sr_deferred_file *f,
			      struct sr_pos pos)
{
	struct sr_loc loc;

	loc.path = f->path;
	loc.relpath = f->relpath;
	loc.pos = pos;
	return loc;
}

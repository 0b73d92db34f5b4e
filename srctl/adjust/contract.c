#include "adjust/contract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "catalog/catalog.h"
#include "check/check.h"
#include "walk/walk.h"
#include "base/banned.h"

struct run {
	const struct sr_check_opts *check;
	struct sr_buf *err;
	int failed;
};

static bool want(const char *name)
{
	return !strcmp(name, "timeout.yaml") || !strcmp(name, "timeout.yml");
}

static int on_file(void *payload, const struct sr_walk_file *f)
{
	struct run *run = payload;

	if (sr_check_file(run->check, f->path, f->relpath) < 0) {
		sr_buf_addf(run->err, "%s", sr_error_last());
		run->failed = 1;
		return 1;
	}
	return 0;
}

int sr_contracts_load(struct sr_contracts *out, const struct sr_config *cfg,
		      struct sr_buf *err)
{
	struct sr_findings findings = SR_FINDINGS_INIT;
	struct sr_check_opts check;
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_walk_opts wopts;
	struct run run = { &check, err, 0 };
	const char *root = cfg->dir ? cfg->dir : ".";
	int r;

	memset(out, 0, sizeof(*out));
	if (sr_catalog_load() < 0) {
		sr_buf_addf(err, "%s", sr_error_last());
		return SR_ERROR;
	}
	memset(&check, 0, sizeof(check));
	memset(&wopts, 0, sizeof(wopts));
	check.config = cfg;
	check.findings = &findings;
	check.max_file_size = SR_MAX_FILE_SIZE_DEFAULT;
	check.limits = limits;
	check.only = "timeout";
	wopts.config = cfg;
	wopts.use_gitignore = true;
	wopts.want = want;
	wopts.on_file = on_file;
	wopts.payload = &run;
	sr_check_begin(&check);
	r = sr_walk(&root, 1, &wopts);
	if (r < 0 && !run.failed) {
		sr_buf_addf(err, "%s", sr_error_last());
		run.failed = 1;
	}
	for (size_t i = 0; !run.failed && i < check.model->nservices; i++) {
		const struct sr_service *s = &check.model->services[i];

		for (size_t k = 0; k < s->ntargets; k++) {
			const struct sr_target *t = &s->targets[k];
			struct sr_contract *c;
			struct sr_buf w = SR_BUF_INIT;

			out->v = sr_xgrow(out->v, &out->cap, out->n + 1,
					  sizeof(*out->v));
			c = &out->v[out->n++];
			memset(c, 0, sizeof(*c));
			c->service = sr_xstrdup(s->name);
			c->target = sr_xstrdup(t->name);
			c->has_base = t->has_base;
			c->has_max = t->has_max;
			c->base = t->base;
			c->max = t->max;
			c->multiplier = t->multiplier;
			if (t->loc)
				sr_buf_addf(&w, "%s:%u:%u", t->loc->relpath,
					    t->loc->pos.line, t->loc->pos.col);
			else
				sr_buf_adds(&w, "timeout.yaml");
			c->where = sr_buf_detach(&w);
		}
	}
	sr_check_finish(&check);
	sr_findings_release(&findings);
	sr_catalog_free();
	if (run.failed) {
		sr_contracts_release(out);
		return SR_ERROR;
	}
	return 0;
}

const struct sr_contract *sr_contracts_find(const struct sr_contracts *c,
					    const char *service,
					    const char *target)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].service, service) &&
		    !strcmp(c->v[i].target, target))
			return &c->v[i];
	return NULL;
}

bool sr_contracts_has_service(const struct sr_contracts *c,
			      const char *service)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].service, service))
			return true;
	return false;
}

void sr_contracts_release(struct sr_contracts *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].service);
		free(c->v[i].target);
		free(c->v[i].where);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

#include "adjust/contract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "catalog/catalog.h"
#include "check/check.h"
#include "model/model.h"
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

static void collect(struct sr_contracts *out, const struct sr_model *model,
		    const char *service)
{
	for (size_t i = 0; i < model->nservices; i++) {
		const struct sr_service *s = &model->services[i];

		if (service && strcmp(s->name, service))
			continue;
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
}

/* Is every component of root/relpath a real directory or file? */
static bool plain_path(const char *root, const char *relpath)
{
	struct sr_buf p = SR_BUF_INIT;
	struct stat st;
	const char *c = relpath;
	bool ok = true;

	sr_buf_adds(&p, root);
	while (ok && *c) {
		const char *slash = strchr(c, '/');
		size_t n = slash ? (size_t)(slash - c) : strlen(c);

		sr_buf_addc(&p, '/');
		sr_buf_add(&p, c, n);
		ok = lstat(p.ptr, &st) == 0 &&
		     (slash ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
		c += n + (slash ? 1 : 0);
	}
	sr_buf_release(&p);
	return ok;
}

/*
 * Read the contract files at the places a service's contract
 * conventionally lives (SPEC.md section 5: a service is the directory
 * that holds its timeout.yaml). Returns 1 when one of them declares
 * 'service', 0 when the walk must search, -1 on a read error.
 */
static int read_conventional(struct run *run, const char *root,
			     const char *service)
{
	static const char *const dirs[] = { "services/", "" };
	static const char *const names[] = { "timeout.yaml", "timeout.yml" };

	if (!strcmp(service, ".") || !strcmp(service, "..") ||
	    strchr(service, '/'))
		return 0;
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
			struct sr_buf rel = SR_BUF_INIT, path = SR_BUF_INIT;
			int r = 0;

			sr_buf_addf(&rel, "%s%s/%s", dirs[d], service, names[n]);
			sr_buf_addf(&path, "%s/%s", root, rel.ptr);
			if (plain_path(root, rel.ptr) &&
			    sr_walk_config_admits(run->check->config, rel.ptr))
				r = on_file(run, &(struct sr_walk_file){
						.path = path.ptr,
						.relpath = rel.ptr,
						.name = names[n] });
			sr_buf_release(&rel);
			sr_buf_release(&path);
			if (r)
				return -1;
		}
	}
	return sr_model_service_named(run->check->model, service) ? 1 : 0;
}

int sr_contracts_load(struct sr_contracts *out, const struct sr_config *cfg,
		      const char *service, struct sr_buf *err)
{
	struct sr_findings findings = SR_FINDINGS_INIT;
	struct sr_check_opts check;
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_walk_opts wopts;
	struct run run = { &check, err, 0 };
	const char *root = cfg->dir ? cfg->dir : ".";
	int found = 0;

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
	sr_check_begin(&check);
	if (service)
		found = read_conventional(&run, root, service);
	if (found == 0) {
		/* start over: what the shortcut read is read again below */
		sr_check_finish(&check);
		sr_findings_release(&findings);
		sr_check_begin(&check);
		wopts.config = cfg;
		wopts.use_gitignore = true;
		wopts.want = want;
		wopts.on_file = on_file;
		wopts.payload = &run;
		if (sr_walk(&root, 1, &wopts) < 0 && !run.failed) {
			sr_buf_addf(err, "%s", sr_error_last());
			run.failed = 1;
		}
	}
	if (!run.failed)
		collect(out, check.model, service);
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

#include "cp/driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "base/banned.h"

/*
 * The drivers. Each drv_<name>.c defines one of these; add a declaration
 * and a row to drivers[] below (one line each, to keep merges easy).
 */

static const struct sr_cp_driver *const drivers[] = {
	NULL
};

#define SECRET_MAX 65536

void sr_cp_value_release(struct sr_cp_value *v)
{
	free(v->version);
	free(v->owner);
	free(v->change_id);
	free(v->reason);
	memset(v, 0, sizeof(*v));
}

static char *dup_or_null(const char *s)
{
	return s ? sr_xstrdup(s) : NULL;
}

void sr_cp_value_copy(struct sr_cp_value *dst, const struct sr_cp_value *src)
{
	dst->ms = src->ms;
	dst->version = dup_or_null(src->version);
	dst->owner = dup_or_null(src->owner);
	dst->change_id = dup_or_null(src->change_id);
	dst->reason = dup_or_null(src->reason);
	dst->expires = src->expires;
}

void sr_cp_conf_release(struct sr_cp_conf *c)
{
	free(c->name);
	free(c->driver);
	free(c->endpoint);
	free(c->user);
	free(c->password_env);
	free(c->password_file);
	free(c->token_env);
	free(c->token_file);
	free(c->ca);
	free(c->cert);
	free(c->key);
	free(c->prefix);
	free(c->namespace_);
	free(c->base_dir);
	free(c->kubeconfig);
	memset(c, 0, sizeof(*c));
}

int sr_cp_open(struct sr_cp **out, const struct sr_cp_conf *conf,
	       struct sr_buf *err)
{
	const struct sr_cp_driver *drv = NULL;
	struct sr_cp *cp;
	int rc;

	*out = NULL;
	for (size_t i = 0; drivers[i]; i++)
		if (conf->driver && !strcmp(drivers[i]->name, conf->driver))
			drv = drivers[i];
	if (!drv) {
		sr_buf_addf(err, "unknown control-plane driver '%s' (known:",
			    conf->driver ? conf->driver : "");
		for (size_t i = 0; drivers[i]; i++)
			sr_buf_addf(err, " %s", drivers[i]->name);
		sr_buf_adds(err, ")");
		return SR_CP_INVALID;
	}
	cp = sr_xcalloc(1, sizeof(*cp));
	cp->drv = drv;
	cp->conf = conf;
	rc = drv->open(&cp->ctx, conf, err);
	if (rc != SR_CP_OK) {
		free(cp);
		return rc;
	}
	*out = cp;
	return SR_CP_OK;
}

void sr_cp_close(struct sr_cp *cp)
{
	if (!cp)
		return;
	if (cp->drv->close)
		cp->drv->close(cp->ctx);
	free(cp);
}

int sr_cp_get(struct sr_cp *cp, const struct sr_cp_edge *edge,
	      struct sr_cp_value *out, struct sr_buf *err)
{
	return cp->drv->get(cp->ctx, edge, out, err);
}

int sr_cp_put(struct sr_cp *cp, const struct sr_cp_edge *edge,
	      const char *expect_version, const struct sr_cp_write *w,
	      char **new_version, struct sr_buf *err)
{
	return cp->drv->put(cp->ctx, edge, expect_version, w, new_version,
			    err);
}

int sr_cp_list(struct sr_cp *cp,
	       int (*fn)(const struct sr_cp_edge *edge,
			 const struct sr_cp_value *v, void *data),
	       void *data, struct sr_buf *err)
{
	if (!cp->drv->list) {
		sr_buf_addf(err, "driver '%s' cannot list edges",
			    cp->drv->name);
		return SR_CP_INVALID;
	}
	return cp->drv->list(cp->ctx, fn, data, err);
}

const char *sr_cp_rc_name(int rc)
{
	switch (rc) {
	case SR_CP_OK: return "ok";
	case SR_CP_CONFLICT: return "conflict";
	case SR_CP_NOT_FOUND: return "not-found";
	case SR_CP_AUTH: return "auth";
	case SR_CP_INVALID: return "invalid";
	case SR_CP_UNAVAILABLE: return "unavailable";
	case SR_CP_TLS: return "tls";
	}
	return "error";
}

/* A relative path in .srctl.yaml is relative to the file's directory. */
static char *conf_path(const struct sr_cp_conf *conf, const char *p)
{
	struct sr_buf b = SR_BUF_INIT;

	if (p[0] != '/' && conf->base_dir && *conf->base_dir)
		sr_buf_addf(&b, "%s/", conf->base_dir);
	sr_buf_adds(&b, p);
	return sr_buf_detach(&b);
}

int sr_cp_secret(char **out, const struct sr_cp_conf *conf,
		 struct sr_buf *err)
{
	const char *env = conf->password_env ? conf->password_env
					     : conf->token_env;
	const char *file = conf->password_file ? conf->password_file
					       : conf->token_file;
	char *s = NULL;
	size_t len = 0;

	*out = NULL;
	if (env) {
		const char *v = getenv(env);

		if (!v || !*v) {
			sr_buf_addf(err, "control plane '%s': environment "
				    "variable %s is not set", conf->name, env);
			return SR_CP_AUTH;
		}
		*out = sr_xstrdup(v);
		return SR_CP_OK;
	}
	if (file) {
		char *path = conf_path(conf, file);

		if (sr_fs_read(&s, &len, path, SECRET_MAX)) {
			sr_buf_addf(err, "control plane '%s': cannot read "
				    "secret file '%s'", conf->name, path);
			free(path);
			return SR_CP_AUTH;
		}
		free(path);
		while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
			s[--len] = '\0';
		*out = s;
	}
	return SR_CP_OK;
}

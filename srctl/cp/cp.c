#include "cp/driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "base/banned.h"

/*
 * The drivers. Each drv_<name>.c defines one of these; add a declaration
 * and a row to drivers[] below (one line each, to keep merges easy).
 */
extern const struct sr_cp_driver sr_cp_drv_file;
extern const struct sr_cp_driver sr_cp_drv_etcd;
extern const struct sr_cp_driver sr_cp_drv_http;
extern const struct sr_cp_driver sr_cp_drv_istio;

static const struct sr_cp_driver *const drivers[] = {
	&sr_cp_drv_file,
	&sr_cp_drv_etcd,
	&sr_cp_drv_http,
	&sr_cp_drv_istio,
	NULL
};

#define SECRET_MAX 65536

void sr_cp_value_release(struct sr_cp_value *v)
{
	free(v->version);
	free(v->change_id);
	free(v->changed_by);
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
	dst->change_id = dup_or_null(src->change_id);
	dst->changed_by = dup_or_null(src->changed_by);
	dst->reason = dup_or_null(src->reason);
	dst->changed_at = src->changed_at;
	dst->expires = src->expires;
}

void sr_cp_conf_release(struct sr_cp_conf *c)
{
	free(c->name);
	free(c->driver);
	for (size_t i = 0; i < c->n_endpoints; i++)
		free(c->endpoints[i]);
	free(c->endpoints);
	free(c->user);
	free(c->password_env);
	free(c->password_file);
	free(c->token_env);
	free(c->token_file);
	free(c->ca);
	free(c->cert);
	free(c->key);
	free(c->prefix);
	free(c->kubeconfig);
	free(c->namespace_);
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
			sr_buf_addf(err, "environment variable %s is not "
				    "set", env);
			return SR_CP_AUTH;
		}
		*out = sr_xstrdup(v);
		return SR_CP_OK;
	}
	if (file) {
		if (sr_fs_read(&s, &len, file, SECRET_MAX)) {
			sr_buf_addf(err, "cannot read secret file '%s'",
				    file);
			return SR_CP_AUTH;
		}
		while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
			s[--len] = '\0';
		*out = s;
	}
	return SR_CP_OK;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

void sr_cp_time_rfc3339(struct sr_buf *out, long long t)
{
	long long days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	long long secs = t - days * 86400;
	long long z = days + 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	long long y = (long long)yoe + era * 400 + (m <= 2);

	sr_buf_addf(out, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d,
		    secs / 3600, secs / 60 % 60, secs % 60);
}

int sr_cp_time_parse(long long *out, const char *s)
{
	int y, mo, d, h, mi, se, n = 0;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se,
		   &n) != 6 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || se > 60)
		return SR_CP_INVALID;
	s += n;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	if (strcmp(s, "Z") && strcmp(s, "z"))
		return SR_CP_INVALID;	/* srctl writes UTC only */
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + se;
	return SR_CP_OK;
}

void sr_cp_value_json(struct sr_buf *out, const struct sr_cp_write *w)
{
	sr_buf_addf(out, "{\"timeout_ms\":%lld,\"change_id\":", w->ms);
	sr_buf_add_json(out, w->change_id ? w->change_id : "");
	sr_buf_adds(out, ",\"changed_by\":");
	sr_buf_add_json(out, w->changed_by ? w->changed_by : "");
	sr_buf_adds(out, ",\"changed_at\":\"");
	sr_cp_time_rfc3339(out, w->changed_at);
	sr_buf_adds(out, "\",\"expires_at\":");
	if (w->expires) {
		sr_buf_addc(out, '"');
		sr_cp_time_rfc3339(out, w->expires);
		sr_buf_addc(out, '"');
	} else {
		sr_buf_adds(out, "null");
	}
	sr_buf_adds(out, ",\"reason\":");
	sr_buf_add_json(out, w->reason ? w->reason : "");
	sr_buf_addc(out, '}');
}

static void ignore_problem(void *payload, const char *rule, struct sr_pos pos,
			   const char *message)
{
	struct sr_buf *err = payload;

	(void)rule;
	if (!err->len)
		sr_buf_addf(err, "line %u: %s", (unsigned)pos.line, message);
}

static char *str_field(const struct sr_node *map, const char *key)
{
	const char *s = sr_node_str(sr_map_get(map, key));

	return s && !sr_node_is_null(sr_map_get(map, key)) ? sr_xstrdup(s)
							   : NULL;
}

int sr_cp_value_parse(struct sr_cp_value *out, const char *json, size_t len,
		      struct sr_buf *err)
{
	struct sr_buf perr = SR_BUF_INIT;
	struct sr_doc_limits lim = SR_DOC_LIMITS_INIT;
	struct sr_stream *st = sr_stream_parse_json(json, len, &lim,
						    ignore_problem, &perr);
	const struct sr_node *root = st->n ? st->docs[0].root : NULL;
	const struct sr_node *n;
	long long ms;
	int rc = SR_CP_OK;

	if (perr.len || !sr_node_is_map(root)) {
		sr_buf_addf(err, "stored value is not a JSON object%s%s",
			    perr.len ? ": " : "", sr_buf_cstr(&perr));
		rc = SR_CP_INVALID;
		goto out;
	}
	n = sr_map_get(root, "timeout_ms");
	if (!sr_node_int(n, &ms) || ms <= 0) {
		sr_buf_adds(err, "stored value has no positive integer "
			    "\"timeout_ms\"");
		rc = SR_CP_INVALID;
		goto out;
	}
	out->ms = ms;
	out->change_id = str_field(root, "change_id");
	out->changed_by = str_field(root, "changed_by");
	out->reason = str_field(root, "reason");
	n = sr_map_get(root, "changed_at");
	if (sr_node_str(n) && !sr_node_is_null(n))
		sr_cp_time_parse(&out->changed_at, sr_node_str(n));
	n = sr_map_get(root, "expires_at");
	if (sr_node_str(n) && !sr_node_is_null(n))
		sr_cp_time_parse(&out->expires, sr_node_str(n));
out:
	sr_buf_release(&perr);
	sr_stream_free(st);
	return rc;
}

long sr_cp_request_timeout_ms(const struct sr_cp_conf *conf)
{
	long long t = conf->timeout_ms > 0 ? conf->timeout_ms : 10000;

	if (conf->deadline_ms) {
		long long left = conf->deadline_ms - sr_monotonic_ms();

		if (left < t)
			t = left;
	}
	return t < 1 ? 1 : (long)t;
}

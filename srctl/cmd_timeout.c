/*
 * srctl timeout show|adjust|revert|drift|history (SPEC.md section 8,
 * docs/timeout.md): bounded, audited changes of a live timeout on a
 * control plane. The bounds come from the repository's timeout contract;
 * the live value and every write go through a control-plane driver
 * (cp/driver.h) with compare-and-swap; every attempt is one audit line
 * and one count in the metrics file.
 */
#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "adjust/audit.h"
#include "adjust/contract.h"
#include "adjust/metrics.h"
#include "adjust/plan.h"
#include "adjust/promq.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/duration.h"
#include "base/xmalloc.h"
#include "cmd.h"
#include "config/config.h"
#include "cp/driver.h"
#include "doc/doc.h"
#include "exitcode.h"
#include "gitx/gitx.h"
#include "opt.h"
#include "base/banned.h"

#define DEFAULT_TIMEOUT_MS 10000LL
#define DEFAULT_AUDIT ".srctl/timeout-audit.jsonl"
#define DEFAULT_METRICS ".srctl/timeout-metrics.prom"
#define DEFAULT_OVERRIDES ".srctl/timeout-overrides.json"
#define NAME_MAX_LEN 63

/* Options every subcommand that talks to a control plane shares. */
struct common {
	const char *service, *target, *control_plane, *config;
	const char *timeout, *audit_log, *metrics_file, *pushgateway;
};

#define COMMON_OPTS(c) \
	SR_OPT_STRING('s', "service", &(c).service, "NAME", \
		      "the calling service (its timeout.yaml)"), \
	SR_OPT_STRING('t', "target", &(c).target, "NAME", \
		      "the dependency it calls"), \
	SR_OPT_STRING(0, "control-plane", &(c).control_plane, "NAME", \
		      "a control_planes entry (default: " \
		      "timeout.control_plane, 'default', the file driver)"), \
	SR_OPT_STRING('c', "config", &(c).config, "FILE", \
		      "use FILE instead of the nearest .srctl.yaml"), \
	SR_OPT_STRING(0, "timeout", &(c).timeout, "DURATION", \
		      "give up on the control plane after this, retries " \
		      "included (default 10s)")

#define OUTPUT_OPTS(c) \
	SR_OPT_STRING(0, "audit-log", &(c).audit_log, "FILE", \
		      "audit log (default timeout.audit_log, else " \
		      DEFAULT_AUDIT ")"), \
	SR_OPT_STRING(0, "metrics-file", &(c).metrics_file, "FILE", \
		      "Prometheus text file (default timeout.metrics_file, " \
		      "else " DEFAULT_METRICS ")"), \
	SR_OPT_STRING(0, "pushgateway", &(c).pushgateway, "URL", \
		      "also push the metrics to this Pushgateway")

/* What one run holds: configuration, contracts, control plane, outputs. */
struct run {
	const char *cmd;	/* "adjust", for messages */
	struct sr_config *cfg;
	struct sr_contracts contracts;
	struct sr_cp_conf conf;	/* shallow copy of the entry, or built-in */
	struct sr_cp_conf builtin;	/* owns the built-in file conf */
	struct sr_cp *cp;
	char *user;
	char *audit_path;
	char *metrics_path;
	const char *pushgateway;
	long long timeout_ms;
	long long cooldown_ms;
};

/* ---- small helpers ---- */

static int exit_of(int cp_rc)
{
	switch (cp_rc) {
	case SR_CP_OK: return SR_EXIT_OK;
	case SR_CP_CONFLICT: return SR_EXIT_CONFLICT;
	case SR_CP_UNAVAILABLE: return SR_EXIT_UNREACHABLE;
	case SR_CP_AUTH:
	case SR_CP_TLS: return SR_EXIT_DENIED;
	}
	return SR_EXIT_RUNTIME;
}

static const char *outcome_of(int cp_rc)
{
	switch (cp_rc) {
	case SR_CP_OK: return "ok";
	case SR_CP_CONFLICT: return "conflict";
	case SR_CP_UNAVAILABLE: return "unreachable";
	case SR_CP_AUTH:
	case SR_CP_TLS: return "denied";
	}
	return "error";
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > NAME_MAX_LEN || s[0] == '.' || s[0] == '-' ||
	    s[0] == '_')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		      *s == '_'))
			return false;
	return true;
}

static bool parse_duration(const char *s, long long *out)
{
	double ms;
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!errno && end != s && !*end && v > 0) {
		*out = v;	/* a bare integer is milliseconds */
		return true;
	}
	if (!sr_duration_parse_ms(s, &ms) || ms < 1 || ms > 1e12)
		return false;
	*out = (long long)ms;
	return true;
}

static long long now_s(void)
{
	return (long long)time(NULL);
}

static char *join_dir(const char *dir, const char *path)
{
	struct sr_buf b = SR_BUF_INIT;

	if (path[0] != '/' && dir && strcmp(dir, "."))
		sr_buf_addf(&b, "%s/", dir);
	sr_buf_adds(&b, path);
	return sr_buf_detach(&b);
}

/* $SRCTL_USER, which spares asking git who is acting. */
static const char *srctl_user(void)
{
	const char *env = getenv("SRCTL_USER");

	return env && *env ? env : NULL;
}

/*
 * Who is acting: $SRCTL_USER, git's user.email (the query started by
 * setup; finished here), the login name.
 */
static char *whoami(struct sr_gitx_config_query *email)
{
	struct passwd *pw;
	char *s;

	if (srctl_user()) {
		if (email)
			free(sr_gitx_config_finish(email));
		return sr_xstrdup(srctl_user());
	}
	s = email ? sr_gitx_config_finish(email) : NULL;
	if (s)
		return s;
	pw = getpwuid(getuid());
	return sr_xstrdup(pw && pw->pw_name ? pw->pw_name : "unknown");
}

static char *new_change_id(void)
{
	unsigned char r[8];
	struct sr_buf b = SR_BUF_INIT;
	ssize_t n = getrandom(r, sizeof(r), 0);

	if (n != (ssize_t)sizeof(r)) {
		/* not for security: only to tell changes apart */
		long long t = sr_monotonic_ms() ^ ((long long)getpid() << 20);

		memcpy(r, &t, sizeof(r));
	}
	sr_buf_addf(&b, "%llx-", now_s());
	for (size_t i = 0; i < sizeof(r); i++)
		sr_buf_addf(&b, "%02x", r[i]);
	return sr_buf_detach(&b);
}

/* ---- setting up a run ---- */

static int load_config(struct run *run, const struct common *c)
{
	struct sr_buf errors = SR_BUF_INIT;

	if (sr_config_load(&run->cfg, c->config, ".", &errors) < 0) {
		fprintf(stderr, "%s", sr_buf_cstr(&errors));
		if (errors.len && errors.ptr[errors.len - 1] != '\n')
			fputc('\n', stderr);
		fprintf(stderr, "srctl: invalid configuration\n");
		sr_buf_release(&errors);
		return SR_EXIT_USAGE;
	}
	sr_buf_release(&errors);
	return SR_EXIT_OK;
}

/* The contracts of 'service' (NULL: all of them). */
static int load_contracts(struct run *run, const char *service)
{
	struct sr_buf err = SR_BUF_INIT;

	if (sr_contracts_load(&run->contracts, run->cfg, service, &err) < 0) {
		fprintf(stderr, "srctl timeout %s: cannot read the timeout "
			"contracts: %s\n", run->cmd, sr_buf_cstr(&err));
		sr_buf_release(&err);
		return SR_EXIT_RUNTIME;
	}
	sr_buf_release(&err);
	return SR_EXIT_OK;
}

/* Pick the control plane and open it (nothing is sent yet). */
static int open_cp(struct run *run, const struct common *c)
{
	const struct sr_config *cfg = run->cfg;
	const char *want = c->control_plane ? c->control_plane
					    : cfg->timeout_control_plane;
	const struct sr_cp_conf *found = NULL;
	struct sr_buf err = SR_BUF_INIT;
	int rc;

	for (size_t i = 0; i < cfg->n_control_planes; i++)
		if (!strcmp(cfg->control_planes[i].name,
			    want ? want : "default"))
			found = &cfg->control_planes[i];
	if (!found && want) {
		const char *names[64];
		int n = 0;

		for (size_t i = 0; i < cfg->n_control_planes && n < 64; i++)
			names[n++] = cfg->control_planes[i].name;
		fprintf(stderr, "srctl timeout %s: no control plane '%s' in "
			"%s\n", run->cmd, want,
			cfg->path ? cfg->path : "(no .srctl.yaml)");
		if (n && sr_suggest(want, names, n))
			fprintf(stderr, "hint: did you mean '%s'?\n",
				sr_suggest(want, names, n));
		return SR_EXIT_USAGE;
	}
	if (found) {
		run->conf = *found;
	} else {
		run->builtin.name = sr_xstrdup("default");
		run->builtin.driver = sr_xstrdup("file");
		run->builtin.endpoints = sr_xmalloc(sizeof(char *));
		run->builtin.endpoints[0] = join_dir(cfg->dir,
						     DEFAULT_OVERRIDES);
		run->builtin.n_endpoints = 1;
		run->conf = run->builtin;
	}
	if (!c->timeout && run->conf.timeout_ms > 0)
		run->timeout_ms = run->conf.timeout_ms;
	run->conf.timeout_ms = run->timeout_ms;
	run->conf.deadline_ms = sr_monotonic_ms() + run->timeout_ms;
	run->cooldown_ms = run->conf.cooldown_ms;
	rc = sr_cp_open(&run->cp, &run->conf, &err);
	if (rc) {
		fprintf(stderr, "srctl timeout %s: control plane '%s': %s\n",
			run->cmd, run->conf.name, sr_buf_cstr(&err));
		sr_buf_release(&err);
		return rc == SR_CP_INVALID ? SR_EXIT_USAGE : exit_of(rc);
	}
	sr_buf_release(&err);
	return SR_EXIT_OK;
}

static int setup(struct run *run, const struct common *c, bool need_cp)
{
	struct sr_gitx_config_query *email = NULL;
	int ex;

	if (c->timeout && !parse_duration(c->timeout, &run->timeout_ms)) {
		fprintf(stderr, "srctl timeout %s: --timeout: not a duration: "
			"'%s' (e.g. 5s, 500ms)\n", run->cmd, c->timeout);
		return SR_EXIT_USAGE;
	}
	if (!c->timeout)
		run->timeout_ms = DEFAULT_TIMEOUT_MS;
	if ((c->service && !valid_name(c->service)) ||
	    (c->target && !valid_name(c->target))) {
		fprintf(stderr, "srctl timeout %s: invalid name '%s': use "
			"letters, digits, '.', '-' and '_' (at most %d)\n",
			run->cmd, c->service && !valid_name(c->service)
			? c->service : c->target, NAME_MAX_LEN);
		return SR_EXIT_USAGE;
	}
	ex = load_config(run, c);
	if (ex)
		return ex;
	run->audit_path = c->audit_log ? sr_xstrdup(c->audit_log)
		: run->cfg->timeout_audit_log
		? sr_xstrdup(run->cfg->timeout_audit_log)
		: join_dir(run->cfg->dir, DEFAULT_AUDIT);
	run->metrics_path = c->metrics_file ? sr_xstrdup(c->metrics_file)
		: run->cfg->timeout_metrics_file
		? sr_xstrdup(run->cfg->timeout_metrics_file)
		: join_dir(run->cfg->dir, DEFAULT_METRICS);
	run->pushgateway = c->pushgateway ? c->pushgateway
					  : run->cfg->timeout_pushgateway;
	if (!need_cp)
		return SR_EXIT_OK;
	/* git answers who is acting while the contract is read */
	if (!srctl_user())
		email = sr_gitx_config_start(run->cfg->dir ? run->cfg->dir
							   : ".", "user.email");
	ex = load_contracts(run, c->service);
	run->user = whoami(email);
	if (ex)
		return ex;
	return open_cp(run, c);
}

static void teardown(struct run *run)
{
	sr_cp_close(run->cp);
	sr_cp_conf_release(&run->builtin);
	sr_contracts_release(&run->contracts);
	sr_config_free(run->cfg);
	free(run->user);
	free(run->audit_path);
	free(run->metrics_path);
}

/* The contract of an edge, or a refusal naming what is missing. */
static const struct sr_contract *contract_of(struct run *run,
					     const char *service,
					     const char *target, int *ex)
{
	const struct sr_contract *k = sr_contracts_find(&run->contracts,
							service, target);

	*ex = SR_EXIT_OK;
	if (!k) {
		fprintf(stderr, "srctl timeout %s: refused: no timeout "
			"contract for %s -> %s in this repository%s\n",
			run->cmd, service, target,
			sr_contracts_has_service(&run->contracts, service)
			? " (the service has a contract, without this target)"
			: "");
		*ex = SR_EXIT_REFUSED;
		return NULL;
	}
	if (!k->has_base || !k->has_max || k->base <= 0 || k->max < k->base) {
		fprintf(stderr, "srctl timeout %s: refused: the contract of "
			"%s -> %s (%s) has no valid [base, max]; see 'srctl "
			"validate'\n", run->cmd, service, target, k->where);
		*ex = SR_EXIT_REFUSED;
		return NULL;
	}
	return k;
}

/* ---- control-plane calls with retry ---- */

/* Sleep before retry 'n' (1-based), inside the deadline. */
static bool backoff(const struct run *run, int n)
{
	long long ms = 50LL << (n > 5 ? 5 : n - 1);
	long long left = run->conf.deadline_ms - sr_monotonic_ms();
	struct timespec ts;

	if (left <= 0)
		return false;
	if (ms > left)
		ms = left;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return sr_monotonic_ms() < run->conf.deadline_ms;
}

static int get_retry(struct run *run, const struct sr_cp_edge *e,
		     struct sr_cp_value *v, struct sr_buf *err, int *retries)
{
	int rc;

	for (int n = 1;; n++) {
		sr_buf_reset(err);
		sr_cp_value_release(v);
		rc = sr_cp_get(run->cp, e, v, err);
		if (rc != SR_CP_UNAVAILABLE || !backoff(run, n))
			return rc;
		(*retries)++;
	}
}

static int put_retry(struct run *run, const struct sr_cp_edge *e,
		     const char *version, const struct sr_cp_write *w,
		     struct sr_buf *err, int *retries)
{
	int rc;

	for (int n = 1;; n++) {
		sr_buf_reset(err);
		/* the same change id: a write that did land is not redone */
		rc = sr_cp_put(run->cp, e, version, w, NULL, err);
		if (rc != SR_CP_UNAVAILABLE || !backoff(run, n))
			return rc;
		(*retries)++;
	}
}

/* ---- audit + metrics ---- */

static int record(struct run *run, struct sr_audit_rec *r, long long gauge)
{
	struct sr_buf line = SR_BUF_INIT, err = SR_BUF_INIT;
	struct sr_buf text = SR_BUF_INIT;
	int ex = SR_EXIT_OK;

	r->time = now_s();
	r->user = run->user;
	r->control_plane = run->conf.name;
	r->driver = run->conf.driver;
	sr_audit_json(&line, r);
	if (sr_audit_append(run->audit_path, line.ptr, &err) < 0) {
		fprintf(stderr, "srctl timeout %s: error: %s\n", run->cmd,
			err.ptr);
		ex = SR_EXIT_RUNTIME;
	}
	sr_buf_reset(&err);
	if (sr_metrics_update(run->metrics_path, r->service, r->target,
			      r->outcome, gauge, &text, &err) < 0) {
		fprintf(stderr, "srctl timeout %s: warning: metrics not "
			"written: %s\n", run->cmd, err.ptr);
	} else if (run->pushgateway) {
		sr_buf_reset(&err);
		if (sr_metrics_push(run->pushgateway, text.ptr,
				    run->timeout_ms > 5000 ? 5000
				    : (long)run->timeout_ms, &err))
			fprintf(stderr, "srctl timeout %s: warning: push to "
				"Pushgateway failed: %s\n", run->cmd, err.ptr);
	}
	sr_buf_release(&line);
	sr_buf_release(&err);
	sr_buf_release(&text);
	return ex;
}

/* ---- the change itself ---- */

struct change {
	const char *command;	/* "adjust" / "revert" */
	enum sr_adjust_mode mode;
	const char *mode_name;
	long long observed;	/* ms, 0 none */
	long long value;	/* for set */
	const char *reason;
	const char *ttl;
	long long ttl_ms;
	bool dry_run, yes;
	bool skip_cooldown;	/* revert */
	const char *expect_version;	/* revert --expired: as listed */
	const char *expect_change;	/* revert --expired: srctl's change */
};

static void print_live(const struct sr_cp_value *v, bool present)
{
	printf("%lld ms%s", v->ms, present ? "" : " (base: no override yet)");
}

static bool confirm(const char *cmd)
{
	char line[64];

	fprintf(stderr, "Apply this change? [y/N] ");
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	(void)cmd;
	return line[0] == 'y' || line[0] == 'Y';
}

/*
 * Read, plan, confirm, compare-and-swap (re-reading and re-planning once
 * on a conflict), then audit. Returns an SR_EXIT_* code.
 */
static int change_edge(struct run *run, const struct sr_cp_edge *edge,
		       const struct sr_contract *k, const struct change *ch)
{
	struct sr_cp_value live = SR_CP_VALUE_INIT, first = SR_CP_VALUE_INIT;
	struct sr_buf err = SR_BUF_INIT, how = SR_BUF_INIT, why = SR_BUF_INIT;
	struct sr_buf vjson = SR_BUF_INIT, ajson = SR_BUF_INIT;
	struct sr_audit_rec rec;
	struct sr_cp_write w;
	struct sr_adjust_in in;
	char *change_id = new_change_id();
	long long target_ms = -1, gauge = -1, confirmed = -1;
	bool present = false, first_present = false;
	int rc, pr, ex = SR_EXIT_OK, conflicts = 0;

	memset(&rec, 0, sizeof(rec));
	rec.command = ch->command;
	rec.service = edge->service;
	rec.target = edge->target;
	rec.mode = ch->mode_name;
	rec.old_ms = -1;
	rec.new_ms = -1;
	rec.reason = ch->reason;
	rec.ttl = ch->ttl;
	rec.change_id = change_id;

	for (;;) {
		rc = get_retry(run, edge, &live, &err, &rec.retries);
		present = rc == SR_CP_OK;
		if (rc == SR_CP_NOT_FOUND) {
			rc = SR_CP_OK;
			live.ms = k->base;
		}
		if (rc) {
			fprintf(stderr, "srctl timeout %s: cannot read %s -> %s "
				"from control plane '%s': %s\n", ch->command,
				edge->service, edge->target, run->conf.name,
				err.ptr);
			rec.outcome = outcome_of(rc);
			rec.error = err.ptr;
			ex = exit_of(rc);
			goto audit;
		}
		rec.old_ms = live.ms;
		if (ch->expect_change &&
		    (!present || !live.change_id ||
		     strcmp(live.change_id, ch->expect_change))) {
			fprintf(stderr, "srctl timeout %s: %s -> %s: skipped: "
				"changed since it was listed (no longer "
				"srctl's change %s)\n", ch->command,
				edge->service, edge->target,
				ch->expect_change);
			rec.outcome = "refused";
			rec.error = "changed by someone else";
			ex = SR_EXIT_REFUSED;
			goto audit;
		}
		if (!conflicts) {
			sr_cp_value_copy(&first, &live);
			first_present = present;
		}
		/* cooldown: the edge's last srctl write is too recent */
		if (!ch->skip_cooldown && run->cooldown_ms > 0 && present &&
		    live.change_id && live.changed_at &&
		    (now_s() - live.changed_at) * 1000 < run->cooldown_ms) {
			long long left = run->cooldown_ms / 1000 -
					 (now_s() - live.changed_at);

			sr_buf_reset(&why);
			sr_buf_addf(&why, "%s -> %s was changed %llds ago by "
				    "%s; the cooldown of control plane '%s' "
				    "is %llds (%llds left)", edge->service,
				    edge->target, now_s() - live.changed_at,
				    live.changed_by ? live.changed_by : "?",
				    run->conf.name, run->cooldown_ms / 1000,
				    left > 0 ? left : 1);
			fprintf(stderr, "srctl timeout %s: refused: %s\n",
				ch->command, why.ptr);
			rec.outcome = "refused";
			rec.error = why.ptr;
			ex = SR_EXIT_REFUSED;
			goto audit;
		}
		memset(&in, 0, sizeof(in));
		in.mode = ch->mode;
		in.base = k->base;
		in.max = k->max;
		in.multiplier = k->multiplier;
		in.where = k->where;
		in.current = live.ms;
		in.observed = ch->observed;
		in.value = ch->value;
		sr_buf_reset(&how);
		sr_buf_reset(&why);
		pr = sr_adjust_plan(&in, &target_ms, &how, &why);
		rec.new_ms = pr == SR_PLAN_REFUSED ? -1 : target_ms;
		if (pr == SR_PLAN_REFUSED) {
			fprintf(stderr, "srctl timeout %s: refused: %s -> %s: "
				"%s\n", ch->command, edge->service,
				edge->target, why.ptr);
			rec.outcome = "refused";
			rec.error = why.ptr;
			ex = SR_EXIT_REFUSED;
			goto audit;
		}
		if (pr == SR_PLAN_UNCHANGED && present) {
			printf("%s -> %s: already %lld ms (%s); nothing to "
			       "write\n", edge->service, edge->target,
			       live.ms, how.ptr);
			rec.outcome = "unchanged";
			gauge = live.ms;
			if (ch->dry_run)
				goto done;
			goto audit;
		}

		memset(&w, 0, sizeof(w));
		w.ms = target_ms;
		w.change_id = change_id;
		w.changed_by = run->user;
		w.reason = ch->reason;
		w.changed_at = now_s();
		w.expires = ch->ttl_ms ? w.changed_at +
			    (ch->ttl_ms + 999) / 1000 : 0;
		rec.expires = w.expires;

		if (confirmed != target_ms) {
			printf("%s -> %s: ", edge->service, edge->target);
			print_live(&live, present);
			printf(" -> %lld ms (%s)\n", target_ms, how.ptr);
			printf("  contract: base %lld ms, multiplier %g, max "
			       "%lld ms (%s)\n", k->base, k->multiplier,
			       k->max, k->where);
			sr_buf_reset(&vjson);
			sr_cp_value_json(&vjson, &w);
			printf("  control plane '%s' (%s): compare-and-swap "
			       "on version %s\n  value: %s\n",
			       run->conf.name, run->conf.driver,
			       present && live.version ? live.version
			       : "(absent: create)", vjson.ptr);
			if (ch->dry_run) {
				/* a server-side dry run where the driver
				 * has one (http, istio); a no-op else */
				w.dry_run = 1;
				rc = sr_cp_put(run->cp, edge, present &&
					       live.version ? live.version
					       : "", &w, NULL, &err);
				if (rc) {
					fprintf(stderr, "srctl timeout %s: dry "
						"run: control plane '%s' "
						"would refuse: %s\n",
						ch->command, run->conf.name,
						err.ptr);
					ex = exit_of(rc);
				} else {
					printf("dry run: nothing written\n");
				}
				goto done;
			}
			if (!ch->yes) {
				if (!isatty(STDIN_FILENO)) {
					fprintf(stderr, "srctl timeout %s: "
						"refused: not a terminal; "
						"confirm with --yes\n",
						ch->command);
					rec.outcome = "refused";
					rec.error = "no confirmation";
					ex = SR_EXIT_REFUSED;
					goto audit;
				}
				if (!confirm(ch->command)) {
					fprintf(stderr, "srctl timeout %s: "
						"aborted\n", ch->command);
					rec.outcome = "aborted";
					ex = SR_EXIT_REFUSED;
					goto audit;
				}
			}
			confirmed = target_ms;
		}
		/* the audit record as it stands if the write succeeds: the
		 * etcd driver stores it in the same transaction */
		sr_buf_reset(&ajson);
		rec.outcome = "ok";
		rec.time = now_s();
		rec.user = run->user;
		rec.control_plane = run->conf.name;
		rec.driver = run->conf.driver;
		sr_audit_json(&ajson, &rec);
		w.audit_json = ajson.ptr;
		if (ch->expect_version)
			rc = put_retry(run, edge, ch->expect_version, &w, &err,
				       &rec.retries);
		else
			rc = put_retry(run, edge, present && live.version
				       ? live.version : "", &w, &err,
				       &rec.retries);
		if (rc == SR_CP_OK) {
			printf("%s -> %s: %lld ms -> %lld ms on control plane "
			       "'%s' (change %s%s", edge->service,
			       edge->target, live.ms, target_ms,
			       run->conf.name, change_id,
			       w.expires ? ", expires " : "");
			if (w.expires) {
				struct sr_buf t = SR_BUF_INIT;

				sr_cp_time_rfc3339(&t, w.expires);
				printf("%s", t.ptr);
				sr_buf_release(&t);
			}
			printf(")\n");
			rec.outcome = "ok";
			gauge = target_ms;
			goto audit;
		}
		if (rc == SR_CP_CONFLICT && !conflicts &&
		    !ch->expect_version) {
			conflicts++;
			rec.retries++;
			fprintf(stderr, "srctl timeout %s: %s -> %s changed "
				"while writing; re-reading once\n",
				ch->command, edge->service, edge->target);
			continue;
		}
		if (rc == SR_CP_CONFLICT) {
			struct sr_cp_value now = SR_CP_VALUE_INIT;
			struct sr_buf e2 = SR_BUF_INIT;
			int g = sr_cp_get(run->cp, edge, &now, &e2);

			fprintf(stderr, "srctl timeout %s: conflict: %s -> %s "
				"changed again while writing %lld ms: read ",
				ch->command, edge->service, edge->target,
				target_ms);
			if (first_present)
				fprintf(stderr, "%lld ms", first.ms);
			else
				fprintf(stderr, "none (base %lld ms)", k->base);
			fprintf(stderr, ", then %lld ms, now ", live.ms);
			if (g == SR_CP_OK)
				fprintf(stderr, "%lld ms (by %s)", now.ms,
					now.changed_by ? now.changed_by : "?");
			else
				fprintf(stderr, "unknown (%s)",
					g == SR_CP_NOT_FOUND ? "absent"
					: sr_buf_cstr(&e2));
			fprintf(stderr, "; nothing written, re-run to act on "
				"the new value\n");
			sr_cp_value_release(&now);
			sr_buf_release(&e2);
		} else {
			fprintf(stderr, "srctl timeout %s: cannot write %s -> "
				"%s to control plane '%s': %s%s\n",
				ch->command, edge->service, edge->target,
				run->conf.name, err.ptr,
				rc == SR_CP_UNAVAILABLE
				? " (gave up within --timeout; the value is "
				  "unchanged unless the control plane "
				  "applied the last attempt)" : "");
		}
		rec.outcome = outcome_of(rc);
		rec.error = err.ptr;
		ex = exit_of(rc);
		goto audit;
	}
audit:
	{
		int ax = record(run, &rec, gauge);

		if (ax && !ex)
			ex = ax;
	}
done:
	sr_cp_value_release(&live);
	sr_cp_value_release(&first);
	sr_buf_release(&err);
	sr_buf_release(&how);
	sr_buf_release(&why);
	sr_buf_release(&vjson);
	sr_buf_release(&ajson);
	free(change_id);
	return ex;
}

/* ---- adjust ---- */

static int cmd_adjust(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl timeout adjust -s SERVICE -t TARGET --mode MODE "
		"--reason TEXT [options]",
		"Change the live timeout of SERVICE -> TARGET on a control "
		"plane, inside\nthe [base, max] of SERVICE's timeout contract.",
		"Modes: dynamic steps to clamp(live x multiplier, base, max), "
		"or with\n--observed-p99 / --prometheus to clamp(p99 x "
		"multiplier, base, max);\nreset goes back to base; set takes "
		"--value inside [base, max].\n"
		"A value outside [base, max] is refused; there is no "
		"override.\n"
		"The write is a compare-and-swap on the value read; a "
		"conflict\nre-reads and recomputes once. Every attempt is "
		"appended to the audit\nlog and counted in the metrics file.\n"
		"\nExit codes: 0 done (or nothing to do), 2 usage or "
		"configuration,\n3 I/O or internal error, 4 refused (bounds, "
		"cooldown, no contract,\nno confirmation), 5 conflict, 6 "
		"control plane unreachable or timed out,\n7 denied "
		"(credentials refused or TLS verification failed).\n"
	};
	struct common c = { 0 };
	const char *mode = NULL, *value = NULL, *observed = NULL;
	const char *prom = NULL, *query = NULL, *unit = NULL, *reason = NULL;
	const char *ttl = NULL;
	bool dry_run = false, yes = false;
	const struct sr_opt opts[] = {
		COMMON_OPTS(c),
		SR_OPT_STRING('m', "mode", &mode, "MODE",
			      "dynamic, reset or set"),
		SR_OPT_STRING(0, "value", &value, "MS",
			      "the value for --mode set, in ms"),
		SR_OPT_STRING(0, "observed-p99", &observed, "MS",
			      "dynamic: step from this observed p99 (ms)"),
		SR_OPT_STRING(0, "prometheus", &prom, "URL",
			      "dynamic: read the p99 from this Prometheus"),
		SR_OPT_STRING(0, "query", &query, "PROMQL",
			      "the instant query returning the p99"),
		SR_OPT_STRING(0, "query-unit", &unit, "UNIT",
			      "unit of the query's result: s (default) or ms"),
		SR_OPT_STRING('r', "reason", &reason, "TEXT",
			      "why (required; recorded in the audit log)"),
		SR_OPT_STRING(0, "ttl", &ttl, "DURATION",
			      "record an expiry for 'revert --expired' (30m)"),
		SR_OPT_BOOL('n', "dry-run", &dry_run,
			    "show the exact change, write nothing"),
		SR_OPT_BOOL('y', "yes", &yes, "do not ask for confirmation"),
		OUTPUT_OPTS(c),
		SR_OPT_END()
	};
	struct run run;
	struct change ch;
	const struct sr_contract *k;
	struct sr_cp_edge edge;
	int r, ex;

	memset(&run, 0, sizeof(run));
	memset(&ch, 0, sizeof(ch));
	run.cmd = "adjust";
	r = sr_opt_parse("timeout adjust", &usage, opts, argc, argv, NULL);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (!c.service || !c.target || !mode) {
		fprintf(stderr, "srctl timeout adjust: --service, --target and "
			"--mode are required\n");
		return SR_EXIT_USAGE;
	}
	if (sr_adjust_mode_parse(mode, &ch.mode) < 0) {
		fprintf(stderr, "srctl timeout adjust: unknown mode '%s' "
			"(dynamic, reset, set)\n", mode);
		return SR_EXIT_USAGE;
	}
	if (!reason || !*reason) {
		fprintf(stderr, "srctl timeout adjust: --reason is required "
			"(it goes into the audit log)\n");
		return SR_EXIT_USAGE;
	}
	if ((ch.mode == SR_MODE_SET) != (value != NULL)) {
		fprintf(stderr, "srctl timeout adjust: --value goes with "
			"--mode set, and only with it\n");
		return SR_EXIT_USAGE;
	}
	if (value && !parse_duration(value, &ch.value)) {
		fprintf(stderr, "srctl timeout adjust: --value: not a "
			"positive number of ms: '%s'\n", value);
		return SR_EXIT_USAGE;
	}
	if ((observed || prom || query) && ch.mode != SR_MODE_DYNAMIC) {
		fprintf(stderr, "srctl timeout adjust: --observed-p99, "
			"--prometheus and --query go with --mode dynamic\n");
		return SR_EXIT_USAGE;
	}
	if (observed && (prom || query)) {
		fprintf(stderr, "srctl timeout adjust: --observed-p99 or "
			"--prometheus/--query, not both\n");
		return SR_EXIT_USAGE;
	}
	if (!prom != !query) {
		fprintf(stderr, "srctl timeout adjust: --prometheus and "
			"--query go together\n");
		return SR_EXIT_USAGE;
	}
	if (unit && strcmp(unit, "s") && strcmp(unit, "ms")) {
		fprintf(stderr, "srctl timeout adjust: --query-unit: s or ms, "
			"not '%s'\n", unit);
		return SR_EXIT_USAGE;
	}
	if (observed && !parse_duration(observed, &ch.observed)) {
		fprintf(stderr, "srctl timeout adjust: --observed-p99: not a "
			"positive number of ms: '%s'\n", observed);
		return SR_EXIT_USAGE;
	}
	if (ttl && !parse_duration(ttl, &ch.ttl_ms)) {
		fprintf(stderr, "srctl timeout adjust: --ttl: not a duration: "
			"'%s' (e.g. 30m, 2h)\n", ttl);
		return SR_EXIT_USAGE;
	}
	ch.command = "adjust";
	ch.mode_name = sr_adjust_mode_name(ch.mode);
	ch.reason = reason;
	ch.ttl = ttl;
	ch.dry_run = dry_run;
	ch.yes = yes;

	ex = setup(&run, &c, true);
	if (ex)
		goto out;
	k = contract_of(&run, c.service, c.target, &ex);
	if (!k)
		goto out;
	if (prom) {
		struct sr_buf err = SR_BUF_INIT;
		double p99 = 0;
		int rc = sr_promq_instant(&p99, prom, query,
					  (long)run.timeout_ms, &err);

		if (!rc && (!(p99 > 0) || p99 * (unit && !strcmp(unit, "ms")
						 ? 1 : 1000) > 1e12)) {
			sr_buf_addf(&err, "the query returned %g, not a "
				    "positive latency", p99);
			rc = SR_CP_INVALID;
		}
		if (rc) {
			fprintf(stderr, "srctl timeout adjust: %s\n",
				err.ptr);
			sr_buf_release(&err);
			ex = rc == SR_CP_UNAVAILABLE ? SR_EXIT_UNREACHABLE
						     : SR_EXIT_RUNTIME;
			goto out;
		}
		sr_buf_release(&err);
		ch.observed = (long long)ceil(
			p99 * (unit && !strcmp(unit, "ms") ? 1 : 1000));
		if (ch.observed < 1)
			ch.observed = 1;
		printf("observed p99 from Prometheus: %lld ms\n", ch.observed);
	}
	edge.service = c.service;
	edge.target = c.target;
	ex = change_edge(&run, &edge, k, &ch);
out:
	teardown(&run);
	return ex;
}

/* ---- revert ---- */

struct expired {
	char *service, *target, *version, *change_id;
	long long ms, expires;
};

struct expired_list {
	struct expired *v;
	size_t n, cap;
	long long now;
};

static int collect_expired(const struct sr_cp_edge *e,
			   const struct sr_cp_value *v, void *data)
{
	struct expired_list *l = data;
	struct expired *x;

	if (!v->expires || v->expires > l->now)
		return 0;
	l->v = sr_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	x = &l->v[l->n++];
	x->service = sr_xstrdup(e->service);
	x->target = sr_xstrdup(e->target);
	x->version = sr_xstrdup(v->version ? v->version : "");
	x->change_id = v->change_id ? sr_xstrdup(v->change_id) : NULL;
	x->ms = v->ms;
	x->expires = v->expires;
	return 0;
}

/* The audit log's new_ms for change 'id' (-1 when not found). */
struct audit_find {
	const char *id;
	long long new_ms;
};

static void quiet_problem(void *payload, const char *rule, struct sr_pos pos,
			  const char *message)
{
	(void)payload;
	(void)rule;
	(void)pos;
	(void)message;
}

static int find_change(unsigned line, const char *json, size_t len,
		       void *data)
{
	struct sr_doc_limits lim = SR_DOC_LIMITS_INIT;
	struct audit_find *f = data;
	struct sr_stream *st = sr_stream_parse_json(json, len, &lim,
						    quiet_problem, NULL);
	const struct sr_node *root = st->n ? st->docs[0].root : NULL;
	long long v;

	(void)line;
	if (sr_node_eq(sr_map_get(root, "change_id"), f->id) &&
	    sr_node_eq(sr_map_get(root, "outcome"), "ok") &&
	    sr_node_int(sr_map_get(root, "new_ms"), &v))
		f->new_ms = v;
	sr_stream_free(st);
	return 0;
}

static int cmd_revert(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl timeout revert (-s SERVICE -t TARGET | --expired) "
		"[options]",
		"Put edges back to their contract's base: one named edge, or "
		"with\n--expired every edge whose --ttl has passed and whose "
		"live value is\nstill srctl's own write (same change id; "
		"anything changed since is\nleft alone and reported).",
		"Exit codes as for 'srctl timeout adjust'; with --expired the "
		"worst\nof all edges.\n"
	};
	struct common c = { 0 };
	const char *reason = NULL;
	bool expired = false, dry_run = false, yes = false;
	const struct sr_opt opts[] = {
		COMMON_OPTS(c),
		SR_OPT_BOOL(0, "expired", &expired,
			    "revert every edge whose --ttl has passed"),
		SR_OPT_STRING('r', "reason", &reason, "TEXT",
			      "why (required for a named edge; default "
			      "'ttl expired' with --expired)"),
		SR_OPT_BOOL('n', "dry-run", &dry_run,
			    "show the exact change, write nothing"),
		SR_OPT_BOOL('y', "yes", &yes, "do not ask for confirmation"),
		OUTPUT_OPTS(c),
		SR_OPT_END()
	};
	struct run run;
	struct change ch;
	struct expired_list l = { 0 };
	struct sr_buf err = SR_BUF_INIT;
	int r, ex;

	memset(&run, 0, sizeof(run));
	memset(&ch, 0, sizeof(ch));
	run.cmd = "revert";
	r = sr_opt_parse("timeout revert", &usage, opts, argc, argv, NULL);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (expired == (c.service || c.target) ||
	    (!expired && (!c.service || !c.target))) {
		fprintf(stderr, "srctl timeout revert: give --service and "
			"--target, or --expired\n");
		return SR_EXIT_USAGE;
	}
	if (!expired && (!reason || !*reason)) {
		fprintf(stderr, "srctl timeout revert: --reason is required "
			"(it goes into the audit log)\n");
		return SR_EXIT_USAGE;
	}
	ch.command = "revert";
	ch.mode = SR_MODE_RESET;
	ch.mode_name = "revert";
	ch.reason = reason ? reason : "ttl expired";
	ch.dry_run = dry_run;
	ch.yes = yes;
	ch.skip_cooldown = true;
	ex = setup(&run, &c, true);
	if (ex)
		goto out;
	if (!expired) {
		struct sr_cp_edge e = { c.service, c.target };
		const struct sr_contract *k = contract_of(&run, c.service,
							  c.target, &ex);

		if (k)
			ex = change_edge(&run, &e, k, &ch);
		goto out;
	}
	l.now = now_s();
	r = sr_cp_list(run.cp, collect_expired, &l, &err);
	if (r) {
		fprintf(stderr, "srctl timeout revert: cannot list control "
			"plane '%s': %s\n", run.conf.name, err.ptr);
		ex = exit_of(r);
		goto out;
	}
	if (!l.n)
		printf("no expired adjustments on control plane '%s'\n",
		       run.conf.name);
	for (size_t i = 0; i < l.n; i++) {
		struct expired *x = &l.v[i];
		struct sr_cp_edge e = { x->service, x->target };
		struct audit_find f = { x->change_id, -1 };
		const struct sr_contract *k;
		int one;

		if (!x->change_id) {
			fprintf(stderr, "srctl timeout revert: %s -> %s: "
				"skipped: not written by srctl\n",
				x->service, x->target);
			continue;
		}
		/*
		 * srctl's own write: the live change id is a successful
		 * write in the audit log, and the value is what it wrote
		 * (a hand edit that kept srctl's fields is caught too)
		 */
		sr_buf_reset(&err);
		sr_audit_read(run.audit_path, find_change, &f, &err);
		if (f.new_ms < 0) {
			fprintf(stderr, "srctl timeout revert: %s -> %s: "
				"skipped: change %s is not a write recorded "
				"in %s\n", x->service, x->target,
				x->change_id, run.audit_path);
			continue;
		}
		if (f.new_ms != x->ms) {
			fprintf(stderr, "srctl timeout revert: %s -> %s: "
				"skipped: live %lld ms is not what change %s "
				"wrote (%lld ms)\n", x->service, x->target,
				x->ms, x->change_id, f.new_ms);
			continue;
		}
		k = contract_of(&run, x->service, x->target, &one);
		if (k) {
			ch.expect_version = x->version;
			ch.expect_change = x->change_id;
			one = change_edge(&run, &e, k, &ch);
		}
		if (one > ex)
			ex = one;
	}
out:
	for (size_t i = 0; i < l.n; i++) {
		free(l.v[i].service);
		free(l.v[i].target);
		free(l.v[i].version);
		free(l.v[i].change_id);
	}
	free(l.v);
	sr_buf_release(&err);
	teardown(&run);
	return ex;
}

/* ---- show ---- */

static void print_time(long long t)
{
	struct sr_buf b = SR_BUF_INIT;

	sr_cp_time_rfc3339(&b, t);
	printf("%s", b.ptr);
	sr_buf_release(&b);
}

static int show_one(struct run *run, const struct sr_contract *k)
{
	struct sr_cp_edge e = { k->service, k->target };
	struct sr_cp_value v = SR_CP_VALUE_INIT;
	struct sr_buf err = SR_BUF_INIT;
	int retries = 0, rc = get_retry(run, &e, &v, &err, &retries);
	int ex = SR_EXIT_OK;

	printf("%s -> %s\n  contract: base %lld ms, multiplier %g, max ",
	       k->service, k->target, k->base, k->multiplier);
	if (k->has_max)
		printf("%lld ms", k->max);
	else
		printf("(none)");
	printf(" (%s)\n  live:     ", k->where);
	if (rc == SR_CP_NOT_FOUND) {
		printf("%lld ms (no override on '%s': the base applies)\n",
		       k->base, run->conf.name);
	} else if (rc) {
		printf("unknown\n");
		fprintf(stderr, "srctl timeout show: cannot read %s -> %s: %s\n",
			k->service, k->target, err.ptr);
		ex = exit_of(rc);
	} else {
		printf("%lld ms on '%s' (%s)", v.ms, run->conf.name,
		       run->conf.driver);
		if (k->has_max && (v.ms < k->base || v.ms > k->max))
			printf(" OUTSIDE the contract");
		printf("\n");
		if (v.changed_by || v.changed_at) {
			printf("  changed:  by %s at ",
			       v.changed_by ? v.changed_by : "?");
			print_time(v.changed_at);
			printf(", change %s\n",
			       v.change_id ? v.change_id : "?");
		}
		if (v.reason)
			printf("  reason:   %s\n", v.reason);
		if (v.expires) {
			printf("  expires:  ");
			print_time(v.expires);
			printf("%s\n", v.expires <= now_s()
			       ? " (expired: 'srctl timeout revert --expired')"
			       : "");
		}
	}
	sr_cp_value_release(&v);
	sr_buf_release(&err);
	return ex;
}

static int cmd_show(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl timeout show -s SERVICE [-t TARGET] [options]",
		"Show the timeout contract of SERVICE (or of one TARGET) "
		"next to the\nlive value on the control plane.",
		NULL
	};
	struct common c = { 0 };
	const struct sr_opt opts[] = { COMMON_OPTS(c), SR_OPT_END() };
	struct run run;
	int r, ex, shown = 0;

	memset(&run, 0, sizeof(run));
	run.cmd = "show";
	r = sr_opt_parse("timeout show", &usage, opts, argc, argv, NULL);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (!c.service) {
		fprintf(stderr, "srctl timeout show: --service is required\n");
		return SR_EXIT_USAGE;
	}
	ex = setup(&run, &c, true);
	if (ex)
		goto out;
	for (size_t i = 0; i < run.contracts.n; i++) {
		const struct sr_contract *k = &run.contracts.v[i];
		int one;

		if (strcmp(k->service, c.service) ||
		    (c.target && strcmp(k->target, c.target)))
			continue;
		one = show_one(&run, k);
		if (one > ex)
			ex = one;
		shown++;
	}
	if (!shown) {
		contract_of(&run, c.service, c.target ? c.target : "*", &ex);
		ex = SR_EXIT_USAGE;
	}
out:
	teardown(&run);
	return ex;
}

/* ---- drift ---- */

struct drift {
	struct run *run;
	const struct common *only;	/* -s/-t: the edges to look at */
	int found;
};

static int drift_one(const struct sr_cp_edge *e, const struct sr_cp_value *v,
		     void *data)
{
	struct drift *d = data;
	const struct sr_contract *k = sr_contracts_find(&d->run->contracts,
							e->service, e->target);

	if ((d->only->service && strcmp(e->service, d->only->service)) ||
	    (d->only->target && strcmp(e->target, d->only->target)))
		return 0;
	if (!k) {
		printf("%s -> %s: live %lld ms has no timeout contract in the "
		       "repository\n", e->service, e->target, v->ms);
		d->found++;
	} else if (!k->has_max || v->ms < k->base || v->ms > k->max) {
		printf("%s -> %s: live %lld ms is outside the contract's "
		       "[%lld, ", e->service, e->target, v->ms, k->base);
		if (k->has_max)
			printf("%lld", k->max);
		else
			printf("?");
		printf("] ms (%s)\n", k->where);
		d->found++;
	} else if (v->expires && v->expires <= now_s()) {
		printf("%s -> %s: live %lld ms expired at ", e->service,
		       e->target, v->ms);
		print_time(v->expires);
		printf(" ('srctl timeout revert --expired')\n");
		d->found++;
	}
	return 0;
}

static int cmd_drift(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl timeout drift [options]",
		"List live values on the control plane that are outside the "
		"repository's\ncontracts, have no contract, or outlived their "
		"--ttl.",
		"Exit codes: 0 no drift, 1 drift found, 2 usage or "
		"configuration,\n3 I/O error, 6 unreachable, 7 denied.\n"
	};
	struct common c = { 0 };
	const struct sr_opt opts[] = { COMMON_OPTS(c), SR_OPT_END() };
	struct run run;
	struct drift d;
	struct sr_buf err = SR_BUF_INIT;
	int r, ex;

	memset(&run, 0, sizeof(run));
	run.cmd = "drift";
	r = sr_opt_parse("timeout drift", &usage, opts, argc, argv, NULL);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	ex = setup(&run, &c, true);
	if (ex)
		goto out;
	d.run = &run;
	d.only = &c;
	d.found = 0;
	r = sr_cp_list(run.cp, drift_one, &d, &err);
	if (r) {
		fprintf(stderr, "srctl timeout drift: cannot list control "
			"plane '%s': %s\n", run.conf.name, err.ptr);
		ex = exit_of(r);
	} else if (d.found) {
		ex = SR_EXIT_FINDINGS;
	} else {
		printf("no drift on control plane '%s'\n", run.conf.name);
	}
out:
	sr_buf_release(&err);
	teardown(&run);
	return ex;
}

/* ---- history ---- */

struct history {
	const char *service, *target;
	bool json;
	int printed;
};

static void field(const struct sr_node *root, const char *key)
{
	const struct sr_node *n = sr_map_get(root, key);
	const char *s = sr_node_str(n);

	printf("%s", s && !sr_node_is_null(n) ? s : "-");
}

static int history_one(unsigned line, const char *json, size_t len,
		       void *data)
{
	struct sr_doc_limits lim = SR_DOC_LIMITS_INIT;
	struct history *h = data;
	struct sr_stream *st = sr_stream_parse_json(json, len, &lim,
						    quiet_problem, NULL);
	const struct sr_node *root = st->n ? st->docs[0].root : NULL;

	if (!sr_node_is_map(root)) {
		fprintf(stderr, "srctl timeout history: warning: line %u is "
			"not a JSON object; skipped\n", line);
		goto out;
	}
	if ((h->service && !sr_node_eq(sr_map_get(root, "service"),
				       h->service)) ||
	    (h->target && !sr_node_eq(sr_map_get(root, "target"),
				      h->target)))
		goto out;
	h->printed++;
	if (h->json) {
		printf("%.*s\n", (int)len, json);
		goto out;
	}
	field(root, "time");
	printf("  ");
	field(root, "user");
	printf("  %s ", sr_node_str(sr_map_get(root, "command"))
	       ? sr_node_str(sr_map_get(root, "command")) : "?");
	field(root, "service");
	printf(" -> ");
	field(root, "target");
	printf("  ");
	field(root, "old_ms");
	printf(" -> ");
	field(root, "new_ms");
	printf(" ms  ");
	field(root, "outcome");
	printf("  \"");
	field(root, "reason");
	printf("\"\n");
out:
	sr_stream_free(st);
	return 0;
}

static int cmd_history(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl timeout history [-s SERVICE] [-t TARGET] [--json]",
		"Print the audit log of srctl timeout, oldest first.",
		NULL
	};
	struct common c = { 0 };
	bool json = false;
	const struct sr_opt opts[] = {
		SR_OPT_STRING('s', "service", &c.service, "NAME",
			      "only this calling service"),
		SR_OPT_STRING('t', "target", &c.target, "NAME",
			      "only this dependency"),
		SR_OPT_STRING('c', "config", &c.config, "FILE",
			      "use FILE instead of the nearest .srctl.yaml"),
		SR_OPT_STRING(0, "audit-log", &c.audit_log, "FILE",
			      "audit log (default timeout.audit_log, else "
			      DEFAULT_AUDIT ")"),
		SR_OPT_BOOL(0, "json", &json, "the records as JSON lines"),
		SR_OPT_END()
	};
	struct run run;
	struct history h;
	struct sr_buf err = SR_BUF_INIT;
	int r, ex;

	memset(&run, 0, sizeof(run));
	run.cmd = "history";
	r = sr_opt_parse("timeout history", &usage, opts, argc, argv, NULL);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	ex = setup(&run, &c, false);
	if (ex)
		goto out;
	h.service = c.service;
	h.target = c.target;
	h.json = json;
	h.printed = 0;
	if (sr_audit_read(run.audit_path, history_one, &h, &err) < 0) {
		fprintf(stderr, "srctl timeout history: %s\n", err.ptr);
		ex = SR_EXIT_RUNTIME;
	} else if (!h.printed && !json) {
		printf("no adjustments recorded in %s\n", run.audit_path);
	}
out:
	sr_buf_release(&err);
	teardown(&run);
	return ex;
}

/* ---- dispatch ---- */

static const struct sr_cmd subs[] = {
	{ "show", cmd_show, "the contract next to the live value" },
	{ "adjust", cmd_adjust, "change a live timeout inside [base, max]" },
	{ "revert", cmd_revert, "back to base: one edge, or all expired" },
	{ "drift", cmd_drift, "live values outside the contracts" },
	{ "history", cmd_history, "the audit log" },
	{ NULL, NULL, NULL }
};

static void usage_subs(FILE *out)
{
	fprintf(out, "usage: srctl timeout <command> [options]\n\n"
		"Bounded, audited changes of live timeouts on a control "
		"plane\n(docs/timeout.md).\n\nCommands:\n");
	for (const struct sr_cmd *s = subs; s->name; s++)
		fprintf(out, "  %-9s %s\n", s->name, s->summary);
	fprintf(out, "\nOptions:\n  -h, --help  this help; 'srctl timeout "
		"<command> --help' for a\n              command's options\n"
		"\nExit codes: 0 done, 1 drift found, 2 usage or configuration, "
		"3 I/O\nor internal error, 4 refused, 5 conflict, 6 control "
		"plane unreachable,\n7 denied (credentials or TLS).\n");
}

int cmd_timeout(int argc, char **argv)
{
	const char *names[8];
	int n = 0;

	if (argc < 1) {
		usage_subs(stderr);
		return SR_EXIT_USAGE;
	}
	if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h") ||
	    !strcmp(argv[0], "help")) {
		usage_subs(stdout);
		return SR_EXIT_OK;
	}
	for (const struct sr_cmd *s = subs; s->name; s++) {
		if (!strcmp(s->name, argv[0]))
			return s->fn(argc - 1, argv + 1);
		names[n++] = s->name;
	}
	if (argv[0][0] == '-') {
		fprintf(stderr, "srctl timeout: unknown option '%s'\n",
			argv[0]);
		usage_subs(stderr);
		return SR_EXIT_USAGE;
	}
	fprintf(stderr, "srctl timeout: unknown command '%s'\n", argv[0]);
	if (sr_suggest(argv[0], names, n))
		fprintf(stderr, "hint: did you mean '%s'?\n",
			sr_suggest(argv[0], names, n));
	usage_subs(stderr);
	return SR_EXIT_USAGE;
}

/*
 * sr_config_load on .srctl.yaml files written to a temporary directory:
 * a full valid file, strict-schema errors (all of them, with positions and
 * "did you mean"), YAML problems, discovery up from a subdirectory and
 * where it stops, explicit paths, severity overrides.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "base/buf.h"
#include "base/error.h"
#include "config/config.h"
#include "base/banned.h"
#include "harness.h"
#include "scratch.h"

static char tmp[PATH_MAX];
static char cwd0[PATH_MAX];

/* Load 'text' as ./case/.srctl.yaml from inside ./case. */
static int load_text(struct sr_config **out, struct sr_buf *errors,
		     const char *text)
{
	int rc;

	rm_rf("case");
	mkdirs("case");
	put("case/.srctl.yaml", text);
	CHECK_INT(chdir("case"), 0);
	sr_buf_reset(errors);
	rc = sr_config_load(out, NULL, ".", errors);
	CHECK_INT(chdir(".."), 0);
	return rc;
}

static void test_valid(void)
{
	struct sr_config *cfg = NULL;
	struct sr_buf err = SR_BUF_INIT;
	char want_dir[PATH_MAX + 8];
	int rc;

	rc = load_text(&cfg, &err,
		"# a complete configuration\n"
		"include: [\"deploy/**\", \"services/**\"]\n"
		"exclude:\n"
		"  - vendor/**\n"
		"  - examples/**\n"
		"rules:\n"
		"  probe/startup-missing: off\n"
		"  cb/eject-all: error\n"
		"  timeout/retry-budget: info\n"
		"  cb/eject-all: warning\n"
		"probes: { readiness_path: /ready, liveness_path: /live }\n"
		"services:\n"
		"  payment-gw: { paths: [\"services/payment-gw/**\"] }\n"
		"  ledger:\n"
		"external: [redis, es, kafka]\n"
		"advisories: [\"security/osv/\"]\n"
		"schemas:\n"
		"  - { files: \"deploy/**/*.yaml\", schema: s.json }\n"
		"control_planes: { etcd: { driver: etcd, endpoint: "
		"http://127.0.0.1:2379 } }\n"
		"deps: {}\n");
	/* the duplicate cb/eject-all is a YAML problem: drop it and retry */
	CHECK_INT(rc, SR_EINVALID);
	CHECK(strstr(sr_buf_cstr(&err), ".srctl.yaml:10:3:") != NULL);
	CHECK(cfg == NULL);

	rc = load_text(&cfg, &err,
		"# a complete configuration\n"
		"include: [\"deploy/**\", \"services/**\"]\n"
		"exclude:\n"
		"  - vendor/**\n"
		"  - examples/**\n"
		"rules:\n"
		"  probe/startup-missing: off\n"
		"  cb/eject-all: error\n"
		"  timeout/retry-budget: info\n"
		"probes: { readiness_path: /ready, liveness_path: /live }\n"
		"services:\n"
		"  payment-gw: { paths: [\"services/payment-gw/**\"] }\n"
		"  ledger:\n"
		"external: [redis, es, kafka]\n"
		"advisories: [\"security/osv/\"]\n"
		"schemas:\n"
		"  - { files: \"deploy/**/*.yaml\", schema: s.json }\n"
		"control_planes: { etcd: { driver: etcd, endpoint: "
		"http://127.0.0.1:2379 } }\n"
		"deps: {}\n");
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&err), "");
	if (!cfg)
		return;
	CHECK_STR(cfg->path, ".srctl.yaml");
	snprintf(want_dir, sizeof(want_dir), "%s/case", tmp);
	CHECK_STR(cfg->dir, want_dir);
	CHECK_INT(cfg->n_include, 2);
	CHECK_STR(cfg->include[1], "services/**");
	CHECK_INT(cfg->n_exclude, 2);
	CHECK_STR(cfg->exclude[0], "vendor/**");
	CHECK_INT(cfg->n_rules, 3);
	CHECK_STR(cfg->readiness_path, "/ready");
	CHECK_STR(cfg->liveness_path, "/live");
	CHECK_INT(cfg->n_schemas, 1);
	if (cfg->n_schemas == 1) {
		CHECK_INT(cfg->schemas[0].n_files, 1);
		CHECK_STR(cfg->schemas[0].files[0], "deploy/**/*.yaml");
		CHECK_STR(cfg->schemas[0].schema, "s.json");
		CHECK_INT(cfg->schemas[0].pos.line, 17);
	}
	CHECK_INT(sr_config_severity(cfg, "probe/startup-missing",
				     SR_SEV_WARNING), SR_SEV_OFF);
	CHECK_INT(sr_config_severity(cfg, "cb/eject-all", SR_SEV_INFO),
		  SR_SEV_ERROR);
	CHECK_INT(sr_config_severity(cfg, "timeout/retry-budget",
				     SR_SEV_ERROR), SR_SEV_INFO);
	CHECK_INT(sr_config_severity(cfg, "probe/identical", SR_SEV_ERROR),
		  SR_SEV_ERROR);
	CHECK_INT(sr_config_severity(NULL, "a/b", SR_SEV_WARNING),
		  SR_SEV_WARNING);
	sr_config_free(cfg);
	sr_buf_release(&err);
}

/* control_planes: and timeout: (SPEC.md section 8), strictly checked. */
static void test_control_planes(void)
{
	struct sr_config *cfg = NULL;
	struct sr_buf err = SR_BUF_INIT;
	const struct sr_cp_conf *c;
	int rc;

	rc = load_text(&cfg, &err,
		"control_planes:\n"
		"  default:\n"
		"    driver: etcd\n"
		"    endpoints: [\"https://127.0.0.1:2379\", "
		"\"https://127.0.0.2:2379\"]\n"
		"    prefix: /srctl/timeouts\n"
		"    ca_file: pki/ca.crt\n"
		"    cert_file: /abs/client.crt\n"
		"    key_file: pki/client.key\n"
		"    user: srctl\n"
		"    password_env: SRCTL_ETCD_PASSWORD\n"
		"    cooldown: 2m\n"
		"    timeout: 5s\n"
		"  local: { driver: file, endpoint: ovr.json }\n"
		"timeout:\n"
		"  audit_log: logs/audit.jsonl\n"
		"  pushgateway: http://127.0.0.1:9091\n"
		"  control_plane: local\n");
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&err), "");
	if (cfg) {
		CHECK_INT(cfg->n_control_planes, 2);
		c = &cfg->control_planes[0];
		CHECK_STR(c->name, "default");
		CHECK_STR(c->driver, "etcd");
		CHECK_INT(c->n_endpoints, 2);
		CHECK_STR(c->endpoints[1], "https://127.0.0.2:2379");
		CHECK(strstr(c->ca, "/case/pki/ca.crt") != NULL);
		CHECK_STR(c->cert, "/abs/client.crt");
		CHECK_STR(c->user, "srctl");
		CHECK_STR(c->password_env, "SRCTL_ETCD_PASSWORD");
		CHECK_INT(c->cooldown_ms, 120000);
		CHECK_INT(c->timeout_ms, 5000);
		c = &cfg->control_planes[1];
		CHECK(strstr(c->endpoints[0], "/case/ovr.json") != NULL);
		CHECK(strstr(cfg->timeout_audit_log, "/case/logs/audit.jsonl")
		      != NULL);
		CHECK_STR(cfg->timeout_pushgateway, "http://127.0.0.1:9091");
		CHECK_STR(cfg->timeout_control_plane, "local");
	}
	sr_config_free(cfg);
	sr_buf_reset(&err);

	cfg = NULL;
	rc = load_text(&cfg, &err,
		"control_planes:\n"
		"  a: { driver: etdc, endpoint: x }\n"
		"  b: { driver: etcd, user: u, pasword_env: P }\n"
		"  c: { driver: http, endpoint: ftp://x, cert_file: c }\n"
		"  d: { endpoint: http://x, cooldown: soon }\n"
		"  e: [1]\n"
		"timeout: { audit: x }\n");
	CHECK_INT(rc, SR_EINVALID);
	CHECK(cfg == NULL);
	CHECK(strstr(sr_buf_cstr(&err), "unknown driver 'etdc' (did you "
		     "mean 'etcd'?)") != NULL);
	CHECK(strstr(sr_buf_cstr(&err), "unknown key 'pasword_env' (did "
		     "you mean 'password_env'?)") != NULL);
	CHECK(strstr(sr_buf_cstr(&err), "user 'u' needs password_env or "
		     "password_file") != NULL);
	CHECK(strstr(sr_buf_cstr(&err), "the etcd driver needs an "
		     "endpoint") != NULL);
	CHECK(strstr(sr_buf_cstr(&err), "endpoint 'ftp://x' must be an "
		     "http:// or https:// URL") != NULL);
	CHECK(strstr(sr_buf_cstr(&err), "cert_file and key_file go "
		     "together") != NULL);
	CHECK(strstr(sr_buf_cstr(&err), "'control_planes.d' needs a "
		     "driver") != NULL);
	CHECK(strstr(sr_buf_cstr(&err), "'control_planes.d.cooldown' must "
		     "be a duration") != NULL);
	CHECK(strstr(sr_buf_cstr(&err), "'control_planes.e' must be a "
		     "mapping") != NULL);
	CHECK(strstr(sr_buf_cstr(&err), "'timeout': unknown key 'audit'")
	      != NULL);
	sr_buf_release(&err);
}

static void test_defaults(void)
{
	struct sr_config *cfg = NULL;
	struct sr_buf err = SR_BUF_INIT;

	/* an empty file, and one with only a comment, are fine */
	CHECK_INT(load_text(&cfg, &err, ""), 0);
	CHECK(cfg != NULL);
	if (cfg) {
		CHECK_STR(cfg->readiness_path, "/health/ready");
		CHECK_STR(cfg->liveness_path, "/health/live");
		CHECK_INT(cfg->n_include + cfg->n_exclude + cfg->n_rules, 0);
	}
	sr_config_free(cfg);
	CHECK_INT(load_text(&cfg, &err, "# nothing yet\n"), 0);
	sr_config_free(cfg);

	/* a single string is a one-item list; null means unset */
	CHECK_INT(load_text(&cfg, &err, "include: deploy/**\nexclude:\n"), 0);
	if (cfg) {
		CHECK_INT(cfg->n_include, 1);
		CHECK_STR(cfg->include[0], "deploy/**");
		CHECK_INT(cfg->n_exclude, 0);
	}
	sr_config_free(cfg);
	sr_config_free(NULL);
	sr_buf_release(&err);
}

struct bad_case {
	const char *text;
	const char *errors;	/* exactly, in order */
};

static const struct bad_case bad[] = {
	{ "inlcude: [a]\n",
	  ".srctl.yaml:1:1: unknown key 'inlcude' (did you mean "
	  "'include'?)\n" },
	{ "include: [a]\nfoo: 1\n",
	  ".srctl.yaml:2:1: unknown key 'foo'\n" },
	{ "include:\n  a: b\n",
	  ".srctl.yaml:2:3: 'include' must be a list of strings, got "
	  "mapping\n" },
	{ "exclude: [a, {b: c}, ~]\n",
	  ".srctl.yaml:1:14: 'exclude' must be a list of strings, got "
	  "mapping in the list\n"
	  ".srctl.yaml:1:22: 'exclude' must be a list of strings, got "
	  "null in the list\n" },
	{ "rules:\n  probe/identical: fatal\n  cb/x: [error]\n",
	  ".srctl.yaml:2:20: 'rules': 'probe/identical' must be off, info, "
	  "warning or error, got 'fatal'\n"
	  ".srctl.yaml:3:9: 'rules': 'cb/x' must be off, info, warning or "
	  "error, got sequence\n" },
	{ "rules:\n  identical: error\n  Probe/X: off\n",
	  ".srctl.yaml:2:3: 'rules': 'identical' is not a rule id (expected "
	  "area/name or area/*)\n"
	  ".srctl.yaml:3:3: 'rules': 'Probe/X' is not a rule id (expected "
	  "area/name or area/*)\n" },
	{ "rules:\n  timeout/*: off\n  Probe/*: off\n  a*/*: off\n",
	  ".srctl.yaml:3:3: 'rules': 'Probe/*' is not a rule id (expected "
	  "area/name or area/*)\n"
	  ".srctl.yaml:4:3: 'rules': 'a*/*' is not a rule id (expected "
	  "area/name or area/*)\n" },
	{ "rules: [a/b]\n",
	  ".srctl.yaml:1:8: 'rules' must be a mapping, got sequence\n" },
	{ "probes:\n  readines_path: /r\n  liveness_path: live\n",
	  ".srctl.yaml:2:3: 'probes': unknown key 'readines_path' (did you "
	  "mean 'readiness_path'?)\n"
	  ".srctl.yaml:3:18: 'probes.liveness_path' must be an HTTP path "
	  "starting with '/', got 'live'\n" },
	{ "services:\n  api: [a]\n  web: { path: [x] }\n",
	  ".srctl.yaml:2:8: 'services.api' must be a mapping, got sequence\n"
	  ".srctl.yaml:3:10: 'services.web': unknown key 'path' (did you "
	  "mean 'paths'?)\n" },
	{ "external: redis\nadvisories: [1, [x]]\n",
	  ".srctl.yaml:1:11: 'external' must be a list of strings, got "
	  "string\n"
	  ".srctl.yaml:2:17: 'advisories' must be a list of strings, got "
	  "sequence in the list\n" },
	{ "schemas:\n  - { files: a }\n  - x\n",
	  ".srctl.yaml:2:5: 'schemas': an entry needs 'schema'\n"
	  ".srctl.yaml:3:5: 'schemas' entries must be {files, schema} "
	  "mappings, got string\n" },
	{ "control_planes: [a]\ndeps: 3\n",
	  ".srctl.yaml:1:17: 'control_planes' must be a mapping, got "
	  "sequence\n"
	  ".srctl.yaml:2:7: 'deps' must be a mapping, got integer\n" },
	{ "- a\n- b\n",
	  ".srctl.yaml:1:1: the configuration must be a mapping, got "
	  "sequence\n" },
	{ "include: [a]\n---\nexclude: [b]\n",
	  ".srctl.yaml:2:1: the configuration must be one YAML document\n" },
	/* deps: dates are real calendar days; an ignore names something */
	{ "deps:\n  ignore:\n    - {id: A, until: 2025-02-29}\n"
	  "    - {package: b, until: 2026-13-01}\n    - {reason: r}\n",
	  ".srctl.yaml:3:22: 'deps.ignore.until' must be a date YYYY-MM-DD, "
	  "got '2025-02-29'\n"
	  ".srctl.yaml:4:27: 'deps.ignore.until' must be a date YYYY-MM-DD, "
	  "got '2026-13-01'\n"
	  ".srctl.yaml:5:7: 'deps.ignore': an entry needs 'id', 'package' or "
	  "both\n" },
	/* every problem is reported, in file order */
	{ "exclud: [a]\ninclude: {}\nrules: {x: off}\n",
	  ".srctl.yaml:1:1: unknown key 'exclud' (did you mean 'exclude'?)\n"
	  ".srctl.yaml:2:10: 'include' must be a list of strings, got "
	  "mapping\n"
	  ".srctl.yaml:3:9: 'rules': 'x' is not a rule id (expected "
	  "area/name or area/*)\n" },
};

/* deps: advisories, ignores and known_bad are kept as written. */
static void test_deps(void)
{
	struct sr_config *cfg = NULL;
	struct sr_buf err = SR_BUF_INIT;
	int rc = load_text(&cfg, &err,
			   "advisories: osv\n"
			   "deps:\n"
			   "  known_bad: policy/bad.yaml\n"
			   "  ignore:\n"
			   "    - id: GHSA-1\n"
			   "      package: lodash\n"
			   "      reason: not reachable\n"
			   "      until: 2024-02-29\n"
			   "    - package: left-pad\n");

	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&err), "");
	if (rc == 0) {
		CHECK_INT(cfg->n_advisories, 1);
		CHECK_STR(cfg->advisories[0], "osv");
		CHECK_STR(cfg->deps_known_bad, "policy/bad.yaml");
		CHECK_INT(cfg->n_deps_ignore, 2);
		CHECK_STR(cfg->deps_ignore[0].id, "GHSA-1");
		CHECK_STR(cfg->deps_ignore[0].package, "lodash");
		CHECK_STR(cfg->deps_ignore[0].reason, "not reachable");
		CHECK_STR(cfg->deps_ignore[0].until, "2024-02-29");
		CHECK_INT(cfg->deps_ignore[0].pos.line, 5);
		CHECK(cfg->deps_ignore[1].id == NULL);
		CHECK(cfg->deps_ignore[1].reason == NULL);
		CHECK(cfg->deps_ignore[1].until == NULL);
	}
	sr_config_free(cfg);
	sr_buf_release(&err);
}

static void test_bad(void)
{
	struct sr_buf err = SR_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sr_config *cfg = (struct sr_config *)&err;
		int rc = load_text(&cfg, &err, bad[i].text);

		CHECK_INT(rc, SR_EINVALID);
		CHECK(cfg == NULL);
		/* from inside case/, the file shows as .srctl.yaml */
		CHECK_INT(chdir("case"), 0);
		sr_buf_reset(&err);
		rc = sr_config_load(&cfg, NULL, ".", &err);
		CHECK_INT(chdir(".."), 0);
		CHECK_INT(rc, SR_EINVALID);
		CHECK_STR(sr_buf_cstr(&err), bad[i].errors);
	}
	sr_buf_release(&err);
}

static void test_yaml_problems(void)
{
	struct sr_config *cfg = NULL;
	struct sr_buf err = SR_BUF_INIT;

	CHECK_INT(load_text(&cfg, &err, "include: [a]\ninclude: [b]\n"),
		  SR_EINVALID);
	CHECK(strncmp(sr_buf_cstr(&err), ".srctl.yaml:2:1: ", 17) == 0);
	CHECK(strstr(sr_buf_cstr(&err), "include") != NULL);

	CHECK_INT(load_text(&cfg, &err, "include: [a\nexclude: b\n"),
		  SR_EINVALID);
	CHECK(strncmp(sr_buf_cstr(&err), ".srctl.yaml:", 12) == 0);
	CHECK(cfg == NULL);
	sr_buf_release(&err);
}

static void test_discovery(void)
{
	struct sr_config *cfg = NULL;
	struct sr_buf err = SR_BUF_INIT;
	git_repository *repo = NULL;
	char want[PATH_MAX + 32];
	int rc;

	/* up from a subdirectory (and from a file in it) */
	put("up/.srctl.yaml", "exclude: [vendor/**]\n");
	put("up/a/b/c.yaml", "x: 1\n");
	rc = sr_config_load(&cfg, NULL, "up/a/b", &err);
	CHECK_INT(rc, 0);
	if (cfg) {
		CHECK_STR(cfg->path, "up/.srctl.yaml");
		snprintf(want, sizeof(want), "%s/up", tmp);
		CHECK_STR(cfg->dir, want);
		CHECK_INT(cfg->n_exclude, 1);
	}
	sr_config_free(cfg);
	rc = sr_config_load(&cfg, NULL, "up/a/b/c.yaml", &err);
	CHECK_INT(rc, 0);
	CHECK(cfg && cfg->path && !strcmp(cfg->path, "up/.srctl.yaml"));
	sr_config_free(cfg);

	/* .srctl.yml is found too; shown absolute from outside the cwd */
	put("yml/.srctl.yml", "include: [x]\n");
	mkdirs("yml/sub");
	CHECK_INT(chdir("yml/sub"), 0);
	rc = sr_config_load(&cfg, NULL, ".", &err);
	CHECK_INT(chdir("../.."), 0);
	CHECK_INT(rc, 0);
	snprintf(want, sizeof(want), "%s/yml/.srctl.yml", tmp);
	CHECK(cfg && cfg->path && !strcmp(cfg->path, want));
	sr_config_free(cfg);

	/* the search stops at the top of a git work tree */
	put("outer/.srctl.yaml", "include: [x]\n");
	CHECK_INT(git_repository_init(&repo, "outer/repo", 0), 0);
	git_repository_free(repo);
	mkdirs("outer/repo/sub");
	rc = sr_config_load(&cfg, NULL, "outer/repo/sub", &err);
	CHECK_INT(rc, 0);
	if (cfg) {
		CHECK(cfg->path == NULL);
		snprintf(want, sizeof(want), "%s/outer/repo", tmp);
		CHECK_STR(cfg->dir, want);
		CHECK_INT(cfg->n_include, 0);
		CHECK_STR(cfg->readiness_path, "/health/ready");
	}
	sr_config_free(cfg);
	/* ...after looking at the top itself */
	put("outer/repo/.srctl.yaml", "exclude: [y]\n");
	rc = sr_config_load(&cfg, NULL, "outer/repo/sub", &err);
	CHECK_INT(rc, 0);
	CHECK(cfg && cfg->path &&
	      !strcmp(cfg->path, "outer/repo/.srctl.yaml"));
	sr_config_free(cfg);

	/* a start path that does not exist searches from what does */
	rc = sr_config_load(&cfg, NULL, "up/a/missing/x.yaml", &err);
	CHECK_INT(rc, 0);
	CHECK(cfg && cfg->path && !strcmp(cfg->path, "up/.srctl.yaml"));
	sr_config_free(cfg);
	CHECK_STR(sr_buf_cstr(&err), "");
	sr_buf_release(&err);
}

static void test_explicit(void)
{
	struct sr_config *cfg = NULL;
	struct sr_buf err = SR_BUF_INIT;
	char want[PATH_MAX + 32];
	int rc;

	put("conf/srctl.yaml", "include: [a]\n");
	rc = sr_config_load(&cfg, "conf/srctl.yaml", "up/a", &err);
	CHECK_INT(rc, 0);
	if (cfg) {
		CHECK_STR(cfg->path, "conf/srctl.yaml");
		snprintf(want, sizeof(want), "%s/conf", tmp);
		CHECK_STR(cfg->dir, want);
	}
	sr_config_free(cfg);

	rc = sr_config_load(&cfg, "conf/missing.yaml", ".", &err);
	CHECK_INT(rc, SR_ERROR);
	CHECK(cfg == NULL);
	CHECK_STR(sr_buf_cstr(&err), "cannot read configuration "
		  "'conf/missing.yaml': No such file or directory\n");

	sr_buf_reset(&err);
	put("conf/bad.yaml", "include: {a: 1}\n");
	rc = sr_config_load(&cfg, "conf/bad.yaml", ".", &err);
	CHECK_INT(rc, SR_EINVALID);
	CHECK_STR(sr_buf_cstr(&err), "conf/bad.yaml:1:10: 'include' must be "
		  "a list of strings, got mapping\n");
	sr_buf_release(&err);
}

int main(void)
{
	const char *base = getenv("TMPDIR");
	char home[PATH_MAX + 8], made[PATH_MAX];

	if (!base || !*base)
		base = "/tmp";
	snprintf(made, sizeof(made), "%s/srctl-config-XXXXXX", base);
	if (!mkdtemp(made) || !realpath(made, tmp) ||
	    !getcwd(cwd0, sizeof(cwd0)) || chdir(tmp) < 0) {
		perror("srctl-config temp dir");
		return 1;
	}
	snprintf(home, sizeof(home), "%s/home", tmp);
	mkdir(home, 0755);
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	git_libgit2_init();

	test_valid();
	test_control_planes();
	test_defaults();
	test_bad();
	test_deps();
	test_yaml_problems();
	test_discovery();
	test_explicit();

	if (chdir(cwd0) < 0)
		perror("chdir");
	rm_rf(tmp);
	git_libgit2_shutdown();
	return sr_test_done();
}

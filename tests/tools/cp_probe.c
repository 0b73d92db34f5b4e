/*
 * cp-probe: drive one control-plane driver directly through cp/driver.h
 * (get / put / list), for the driver tests in tests/suites/cp_drivers.cmake
 * that need a server started by a script. Prints one line per result and
 * exits with the SR_CP_* code, so a test can tell conflict from
 * unavailable from refused credentials (64: bad usage).
 *
 *   cp-probe [--driver D] [--endpoint URL] [--prefix P] [--token-env V]
 *            [--token-file F] [--ca F] [--kubeconfig F] [--namespace N]
 *            [--timeout-ms N] [--dry-run] [--change-id ID]
 *            get S T | put S T EXPECT MS | list
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "cp/driver.h"

static int print_edge(const struct sr_cp_edge *e, const struct sr_cp_value *v,
		      void *data)
{
	(void)data;
	printf("edge %s %s ms=%lld change_id=%s\n", e->service, e->target,
	       v->ms, v->change_id ? v->change_id : "-");
	return 0;
}

static char *endpoint_list[2];

int main(int argc, char **argv)
{
	struct sr_cp_conf conf;
	struct sr_cp *cp = NULL;
	struct sr_buf err = SR_BUF_INIT;
	const char *change_id = "probe-change-1";
	int dry = 0, i, rc;

	memset(&conf, 0, sizeof(conf));
	conf.name = sr_xstrdup("probe");
	conf.driver = sr_xstrdup("http");
	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		const char *o = argv[i];
		char **slot = NULL;

		if (!strcmp(o, "--dry-run")) {
			dry = 1;
			continue;
		}
		if (i + 1 >= argc)
			return 64;
		if (!strcmp(o, "--driver"))
			slot = &conf.driver;
		else if (!strcmp(o, "--endpoint"))
			slot = &endpoint_list[0];
		else if (!strcmp(o, "--prefix"))
			slot = &conf.prefix;
		else if (!strcmp(o, "--token-env"))
			slot = &conf.token_env;
		else if (!strcmp(o, "--token-file"))
			slot = &conf.token_file;
		else if (!strcmp(o, "--ca"))
			slot = &conf.ca;
		else if (!strcmp(o, "--kubeconfig"))
			slot = &conf.kubeconfig;
		else if (!strcmp(o, "--namespace"))
			slot = &conf.namespace_;
		else if (!strcmp(o, "--timeout-ms"))
			conf.timeout_ms = strtoll(argv[i + 1], NULL, 10);
		else if (!strcmp(o, "--change-id"))
			change_id = argv[i + 1];
		else {
			fprintf(stderr, "cp-probe: unknown option %s\n", o);
			return 64;
		}
		if (slot) {
			free(*slot);
			*slot = sr_xstrdup(argv[i + 1]);
		}
		i++;
	}
	if (endpoint_list[0]) {
		conf.endpoints = sr_xcalloc(1, sizeof(char *));
		conf.endpoints[0] = endpoint_list[0];
		conf.n_endpoints = 1;
	}
	if (i >= argc)
		return 64;
	rc = sr_cp_open(&cp, &conf, &err);
	if (rc == SR_CP_OK && !strcmp(argv[i], "get") && i + 2 < argc) {
		struct sr_cp_edge e = { argv[i + 1], argv[i + 2] };
		struct sr_cp_value v = SR_CP_VALUE_INIT;

		rc = sr_cp_get(cp, &e, &v, &err);
		if (rc == SR_CP_OK)
			printf("ok ms=%lld version=%s change_id=%s "
			       "changed_by=%s reason=%s expires=%lld\n", v.ms,
			       v.version ? v.version : "-",
			       v.change_id ? v.change_id : "-",
			       v.changed_by ? v.changed_by : "-",
			       v.reason ? v.reason : "-", v.expires);
		sr_cp_value_release(&v);
	} else if (rc == SR_CP_OK && !strcmp(argv[i], "put") &&
		   i + 4 < argc) {
		struct sr_cp_edge e = { argv[i + 1], argv[i + 2] };
		struct sr_cp_write w;
		char *nv = NULL;

		memset(&w, 0, sizeof(w));
		w.ms = strtoll(argv[i + 4], NULL, 10);
		w.change_id = change_id;
		w.changed_by = "probe";
		w.reason = "cp-probe test";
		w.changed_at = 1700000000;
		w.expires = 1700001800;
		w.dry_run = dry;
		rc = sr_cp_put(cp, &e, argv[i + 3], &w, &nv, &err);
		if (rc == SR_CP_OK)
			printf("ok version=%s\n", nv ? nv : "-");
		free(nv);
	} else if (rc == SR_CP_OK && !strcmp(argv[i], "list")) {
		rc = sr_cp_list(cp, print_edge, NULL, &err);
		if (rc == SR_CP_OK)
			printf("ok\n");
	} else if (rc == SR_CP_OK) {
		fprintf(stderr, "cp-probe: bad command\n");
		rc = 64;
	}
	if (rc != SR_CP_OK && rc != 64)
		printf("error %s: %s\n", sr_cp_rc_name(rc), sr_buf_cstr(&err));
	sr_cp_close(cp);
	sr_buf_release(&err);
	sr_cp_conf_release(&conf);
	return rc;
}

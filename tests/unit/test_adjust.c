/*
 * The arithmetic of srctl timeout adjust (adjust/plan.c) and the value
 * object and file driver every control plane shares (cp/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adjust/plan.h"
#include "base/buf.h"
#include "cp/driver.h"
#include "harness.h"

static int plan(enum sr_adjust_mode mode, long long current,
		long long observed, long long value, long long *out,
		struct sr_buf *why)
{
	struct sr_adjust_in in;
	struct sr_buf how = SR_BUF_INIT;
	int rc;

	memset(&in, 0, sizeof(in));
	in.mode = mode;
	in.base = 800;
	in.max = 2000;
	in.multiplier = 1.5;
	in.where = "t.yaml:3:5";
	in.current = current;
	in.observed = observed;
	in.value = value;
	*out = -1;
	sr_buf_reset(why);
	rc = sr_adjust_plan(&in, out, &how, why);
	sr_buf_release(&how);
	return rc;
}

static void test_plan(void)
{
	struct sr_buf why = SR_BUF_INIT;
	long long v;

	/* dynamic: 800 -> 1200 -> 1800 -> 2000 (clamped), then refused */
	CHECK_INT(plan(SR_MODE_DYNAMIC, 800, 0, 0, &v, &why), SR_PLAN_OK);
	CHECK_INT(v, 1200);
	CHECK_INT(plan(SR_MODE_DYNAMIC, 1200, 0, 0, &v, &why), SR_PLAN_OK);
	CHECK_INT(v, 1800);
	CHECK_INT(plan(SR_MODE_DYNAMIC, 1800, 0, 0, &v, &why), SR_PLAN_OK);
	CHECK_INT(v, 2000);
	CHECK_INT(plan(SR_MODE_DYNAMIC, 2000, 0, 0, &v, &why),
		  SR_PLAN_REFUSED);
	CHECK(strstr(sr_buf_cstr(&why), "max 2000 ms (t.yaml:3:5)") != NULL);
	/* a live value above max (drift) is not raised further either */
	CHECK_INT(plan(SR_MODE_DYNAMIC, 5000, 0, 0, &v, &why),
		  SR_PLAN_REFUSED);
	/* below base (drift): a step never lands below base */
	CHECK_INT(plan(SR_MODE_DYNAMIC, 100, 0, 0, &v, &why), SR_PLAN_OK);
	CHECK_INT(v, 800);
	/* observed p99: 1000 x 1.5, clamped both ways, may go down */
	CHECK_INT(plan(SR_MODE_DYNAMIC, 1800, 1000, 0, &v, &why), SR_PLAN_OK);
	CHECK_INT(v, 1500);
	CHECK_INT(plan(SR_MODE_DYNAMIC, 800, 5000, 0, &v, &why), SR_PLAN_OK);
	CHECK_INT(v, 2000);
	CHECK_INT(plan(SR_MODE_DYNAMIC, 1200, 10, 0, &v, &why), SR_PLAN_OK);
	CHECK_INT(v, 800);
	CHECK_INT(plan(SR_MODE_DYNAMIC, 2000, 5000, 0, &v, &why),
		  SR_PLAN_UNCHANGED);
	/* ceil: 1001 x 1.5 = 1501.5 -> 1502, never below what was asked */
	CHECK_INT(plan(SR_MODE_DYNAMIC, 1001, 0, 0, &v, &why), SR_PLAN_OK);
	CHECK_INT(v, 1502);
	/* set: inside, at the bounds, outside naming the bound */
	CHECK_INT(plan(SR_MODE_SET, 800, 0, 1500, &v, &why), SR_PLAN_OK);
	CHECK_INT(v, 1500);
	CHECK_INT(plan(SR_MODE_SET, 1500, 0, 2000, &v, &why), SR_PLAN_OK);
	CHECK_INT(plan(SR_MODE_SET, 1500, 0, 800, &v, &why), SR_PLAN_OK);
	CHECK_INT(plan(SR_MODE_SET, 800, 0, 2001, &v, &why),
		  SR_PLAN_REFUSED);
	CHECK(strstr(sr_buf_cstr(&why), "above the contract's max 2000 ms")
	      != NULL);
	CHECK_INT(plan(SR_MODE_SET, 800, 0, 799, &v, &why), SR_PLAN_REFUSED);
	CHECK(strstr(sr_buf_cstr(&why), "below the contract's base 800 ms")
	      != NULL);
	CHECK_INT(plan(SR_MODE_SET, 1500, 0, 1500, &v, &why),
		  SR_PLAN_UNCHANGED);
	/* reset */
	CHECK_INT(plan(SR_MODE_RESET, 1800, 0, 0, &v, &why), SR_PLAN_OK);
	CHECK_INT(v, 800);
	CHECK_INT(plan(SR_MODE_RESET, 800, 0, 0, &v, &why), SR_PLAN_UNCHANGED);
	sr_buf_release(&why);
}

static void test_value_json(void)
{
	struct sr_cp_write w;
	struct sr_cp_value v = SR_CP_VALUE_INIT;
	struct sr_buf b = SR_BUF_INIT, err = SR_BUF_INIT;
	long long t = 0;

	memset(&w, 0, sizeof(w));
	w.ms = 1200;
	w.change_id = "abc";
	w.changed_by = "a\"b";
	w.reason = "p99 > 1200ms";
	w.changed_at = 1795000000;	/* 2026-11-18T11:06:40Z */
	w.expires = 1795001800;
	sr_cp_value_json(&b, &w);
	CHECK_STR(b.ptr, "{\"timeout_ms\":1200,\"change_id\":\"abc\","
		  "\"changed_by\":\"a\\\"b\",\"changed_at\":"
		  "\"2026-11-18T11:06:40Z\",\"expires_at\":"
		  "\"2026-11-18T11:36:40Z\",\"reason\":\"p99 > 1200ms\"}");
	CHECK_INT(sr_cp_value_parse(&v, b.ptr, b.len, &err), SR_CP_OK);
	CHECK_INT(v.ms, 1200);
	CHECK_STR(v.changed_by, "a\"b");
	CHECK_INT(v.changed_at, 1795000000);
	CHECK_INT(v.expires, 1795001800);
	sr_cp_value_release(&v);
	CHECK_INT(sr_cp_value_parse(&v, "{\"timeout_ms\":\"x\"}", 18, &err),
		  SR_CP_INVALID);
	sr_cp_value_release(&v);
	CHECK_INT(sr_cp_value_parse(&v, "[1]", 3, &err), SR_CP_INVALID);
	sr_cp_value_release(&v);
	CHECK_INT(sr_cp_time_parse(&t, "1970-01-01T00:00:00Z"), SR_CP_OK);
	CHECK_INT(t, 0);
	CHECK_INT(sr_cp_time_parse(&t, "2000-02-29T12:00:00.5Z"), SR_CP_OK);
	CHECK_INT(t, 951825600);
	CHECK_INT(sr_cp_time_parse(&t, "2000-02-29T12:00:00+01:00"),
		  SR_CP_INVALID);
	sr_buf_release(&b);
	sr_buf_release(&err);
}

static void test_file_driver(void)
{
	struct sr_cp_conf conf;
	struct sr_cp *cp = NULL;
	struct sr_cp_edge e = { "payment-gw", "redis" };
	struct sr_cp_value v = SR_CP_VALUE_INIT;
	struct sr_cp_write w;
	struct sr_buf err = SR_BUF_INIT;
	char *ep = "test-adjust-dir/ovr.json", *ver = NULL;
	char *eps[1];

	system("rm -rf test-adjust-dir");
	memset(&conf, 0, sizeof(conf));
	eps[0] = ep;
	conf.name = "t";
	conf.driver = "file";
	conf.endpoints = eps;
	conf.n_endpoints = 1;
	CHECK_INT(sr_cp_open(&cp, &conf, &err), SR_CP_OK);
	if (!cp)
		return;
	CHECK_INT(sr_cp_get(cp, &e, &v, &err), SR_CP_NOT_FOUND);
	memset(&w, 0, sizeof(w));
	w.ms = 1200;
	w.change_id = "c1";
	/* create-only: "" */
	CHECK_INT(sr_cp_put(cp, &e, "", &w, &ver, &err), SR_CP_OK);
	CHECK_STR(ver, "1");
	free(ver);
	ver = NULL;
	CHECK_INT(sr_cp_put(cp, &e, "", &w, NULL, &err), SR_CP_CONFLICT);
	CHECK_INT(sr_cp_get(cp, &e, &v, &err), SR_CP_OK);
	CHECK_INT(v.ms, 1200);
	CHECK_STR(v.version, "1");
	CHECK_STR(v.change_id, "c1");
	sr_cp_value_release(&v);
	/* stale version */
	w.ms = 1800;
	CHECK_INT(sr_cp_put(cp, &e, "0", &w, NULL, &err), SR_CP_CONFLICT);
	CHECK(strstr(sr_buf_cstr(&err), "changed since it was read") != NULL);
	/* dry run checks, writes nothing */
	w.dry_run = 1;
	CHECK_INT(sr_cp_put(cp, &e, "1", &w, NULL, &err), SR_CP_OK);
	CHECK_INT(sr_cp_get(cp, &e, &v, &err), SR_CP_OK);
	CHECK_INT(v.ms, 1200);
	sr_cp_value_release(&v);
	w.dry_run = 0;
	CHECK_INT(sr_cp_put(cp, &e, "1", &w, NULL, &err), SR_CP_OK);
	CHECK_INT(sr_cp_get(cp, &e, &v, &err), SR_CP_OK);
	CHECK_INT(v.ms, 1800);
	CHECK_STR(v.version, "2");
	sr_cp_value_release(&v);
	sr_cp_close(cp);
	/* unknown driver */
	conf.driver = "etcdd";
	sr_buf_reset(&err);
	CHECK_INT(sr_cp_open(&cp, &conf, &err), SR_CP_INVALID);
	CHECK(strstr(sr_buf_cstr(&err), "unknown control-plane driver") !=
	      NULL);
	/* a corrupt overrides file is an error, not an empty table */
	{
		FILE *f = fopen(ep, "w");

		if (f) {
			fputs("{\"edges\": [1]}", f);
			fclose(f);
		}
	}
	conf.driver = "file";
	CHECK_INT(sr_cp_open(&cp, &conf, &err), SR_CP_OK);
	if (cp) {
		CHECK_INT(sr_cp_get(cp, &e, &v, &err), SR_CP_INVALID);
		sr_cp_close(cp);
	}
	sr_cp_value_release(&v);
	sr_buf_release(&err);
	system("rm -rf test-adjust-dir");
}

int main(void)
{
	test_plan();
	test_value_json();
	test_file_driver();
	return sr_test_done();
}

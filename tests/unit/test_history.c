/*
 * history/: policy values extracted from one file version for each kind
 * audit-log follows (and nothing from other files or fields), the diff of
 * two versions, ISO 8601 times both ways, and the adjustment-log merge.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "history/audit.h"
#include "history/policy.h"
#include "base/banned.h"
#include "harness.h"

static const char *value(const struct sr_policy *p, const char *target,
			 const char *field)
{
	const struct sr_policy_value *v = sr_policy_find(p, target, field);

	return v ? v->value : NULL;
}

static void extract(struct sr_policy *p, const char *path, const char *text)
{
	sr_policy_release(p);
	sr_policy_extract(p, path, text, strlen(text));
}

static void test_kinds(void)
{
	struct sr_policy p = SR_POLICY_INIT;

	extract(&p, "svc/timeout.yaml",
		"service: pay\nhttp:\n  outbound:\n    redis:\n"
		"      base: 800\n      max: 2000\n"
		"      retries: { attempts: 3, per_try: 800 }\n");
	CHECK_INT(p.n, 4);
	CHECK_STR(value(&p, "http.outbound.redis", "max"), "2000");
	CHECK_STR(value(&p, "http.outbound.redis", "retries.per_try"), "800");
	CHECK(value(&p, "service", "value") == NULL);

	/* a List of workloads, a CronJob, init containers; not replicas */
	extract(&p, "k8s/all.yaml",
		"apiVersion: v1\nkind: List\nitems:\n"
		"- apiVersion: apps/v1\n  kind: Deployment\n"
		"  metadata: {name: web}\n  spec:\n    replicas: 2\n"
		"    template:\n      spec:\n"
		"        initContainers:\n        - name: proxy\n"
		"          startupProbe: {tcpSocket: {port: 1}}\n"
		"        containers:\n        - image: x\n"
		"          livenessProbe:\n            exec: {command: [a, b]}\n"
		"- apiVersion: batch/v1\n  kind: CronJob\n"
		"  metadata: {name: nightly}\n  spec:\n    jobTemplate:\n"
		"      spec:\n        template:\n          spec:\n"
		"            containers:\n            - name: job\n"
		"              readinessProbe: {periodSeconds: 30}\n");
	CHECK_INT(p.n, 4);
	CHECK_STR(value(&p, "Deployment/web/proxy", "startupProbe.tcpSocket.port"),
		  "1");
	CHECK_STR(value(&p, "Deployment/web/0", "livenessProbe.exec.command[1]"),
		  "b");
	CHECK_STR(value(&p, "CronJob/nightly/job", "readinessProbe.periodSeconds"),
		  "30");

	/* a custom resource that reuses a workload kind is not one */
	extract(&p, "crd.yaml",
		"apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: x}\n"
		"spec:\n  template:\n    spec:\n      containers:\n"
		"      - name: a\n        readinessProbe: {periodSeconds: 1}\n");
	CHECK_INT(p.n, 0);

	extract(&p, "mesh/dr.yaml",
		"apiVersion: networking.istio.io/v1\nkind: DestinationRule\n"
		"metadata: {name: r}\nspec:\n  host: ledger\n  trafficPolicy:\n"
		"    connectionPool: {http: {http1MaxPendingRequests: 10}}\n"
		"    outlierDetection: {consecutive5xxErrors: 5}\n"
		"    loadBalancer: {simple: ROUND_ROBIN}\n"
		"  subsets:\n  - name: v2\n    trafficPolicy:\n"
		"      outlierDetection: {interval: 5s}\n");
	CHECK_INT(p.n, 3);
	CHECK_STR(value(&p, "ledger", "outlierDetection.consecutive5xxErrors"),
		  "5");
	CHECK_STR(value(&p, "ledger",
			"connectionPool.http.http1MaxPendingRequests"), "10");
	CHECK_STR(value(&p, "ledger", "subsets[v2].outlierDetection.interval"),
		  "5s");

	extract(&p, "mesh/route.yaml",
		"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
		"metadata: {name: r}\nspec:\n  rules:\n"
		"  - backendRefs: [{name: ledger, port: 80}]\n"
		"    timeouts: {request: 2s, backendRequest: 1s}\n");
	CHECK_INT(p.n, 2);
	CHECK_STR(value(&p, "ledger", "rules[0].timeouts.backendRequest"), "1s");

	extract(&p, "src/main/resources/application.yml",
		"resilience4j.circuitbreaker:\n  instances:\n"
		"    ledger: {failureRateThreshold: 50}\n"
		"  configs:\n    default: {slidingWindowSize: 10}\n"
		"---\nresilience4j:\n  timelimiter:\n"
		"    instances:\n      ledger: {timeoutDuration: 2s}\n"
		"server: {port: 8080}\n");
	CHECK_INT(p.n, 3);
	CHECK_STR(value(&p, "ledger", "circuitbreaker.failureRateThreshold"),
		  "50");
	CHECK_STR(value(&p, "default", "circuitbreaker.configs.slidingWindowSize"),
		  "10");
	CHECK_STR(value(&p, "ledger", "timelimiter.timeoutDuration"), "2s");

	/* neither policy nor parseable: nothing, and no crash */
	extract(&p, "other.yaml", "a: [1, 2\n");
	CHECK_INT(p.n, 0);
	sr_policy_release(&p);
}

static void test_diff(void)
{
	struct sr_audit a = SR_AUDIT_INIT;
	struct sr_audit_origin o = { "0123456789", "0123456", "Ann", "a@x",
				     100, 60 };
	const char *v1 = "http:\n  out:\n    r: {base: 1, max: 2}\n";
	const char *v2 = "# note\nhttp:\n  out:\n    r: {base: 1, max: 3}\n"
			 "    s: {base: 5, max: 6}\n";

	sr_audit_diff(&a, &o, "timeout.yaml", "pay", v1, strlen(v1),
		      "timeout.yaml", "pay", v2, strlen(v2));
	CHECK_INT(a.n, 3);
	CHECK_STR(a.v[0].field, "max");
	CHECK_STR(a.v[0].old_value, "2");
	CHECK_STR(a.v[0].new_value, "3");
	CHECK(a.v[1].old_value == NULL);
	CHECK_STR(a.v[2].target, "http.out.s");
	/* deleted file: every value goes */
	sr_audit_diff(&a, &o, "timeout.yaml", "pay", v1, strlen(v1), NULL,
		      NULL, NULL, 0);
	CHECK_INT(a.n, 5);
	CHECK(a.v[4].new_value == NULL);
	CHECK_STR(a.v[4].service, "pay");
	/* same text: nothing */
	sr_audit_diff(&a, &o, "timeout.yaml", "pay", v1, strlen(v1),
		      "timeout.yaml", "pay", v1, strlen(v1));
	CHECK_INT(a.n, 5);
	/* --service filters */
	a.service = "other";
	sr_audit_diff(&a, &o, "timeout.yaml", "pay", v1, strlen(v1),
		      "timeout.yaml", "pay", v2, strlen(v2));
	CHECK_INT(a.n, 5);
	sr_audit_release(&a);
}

static void test_time(void)
{
	static const struct {
		const char *in;
		long long t;
		int off;
	} ok[] = {
		{ "1970-01-01", 0, 0 },
		{ "2026-01-31T10:00:00Z", 1769853600, 0 },
		{ "2026-01-31 11:00:00+01:00", 1769853600, 60 },
		{ "2026-01-31T05:30:00.123-0430", 1769853600, -270 },
		{ "2000-02-29T00:00", 951782400, 0 },
	};
	static const char *const bad[] = { "", "2026", "2026-13-01",
		"2026-01-31T25:00", "2026-01-31X", "yesterday", "HEAD~1" };
	struct sr_buf b = SR_BUF_INIT;
	long long t;
	int off;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK(sr_audit_parse_time(ok[i].in, &t, &off));
		CHECK(t == ok[i].t);
		CHECK_INT(off, ok[i].off);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!sr_audit_parse_time(bad[i], &t, &off));
	sr_audit_fmt_time(&b, 1769853600, -270, true);
	CHECK_STR(b.ptr, "2026-01-31T05:30:00-04:30");
	sr_buf_reset(&b);
	sr_audit_fmt_time(&b, 1769853600, 60, false);
	CHECK_STR(b.ptr, "2026-01-31 11:00:00 +0100");
	sr_buf_release(&b);
}

static void test_adjustments(void)
{
	char path[] = "/tmp/srctl-test-history.XXXXXX";
	struct sr_audit a = SR_AUDIT_INIT;
	struct sr_audit_origin o = { "c1", "c1", "Ann", "a@x", 200, 0 };
	struct sr_buf warn = SR_BUF_INIT;
	const char *v1 = "http:\n  out:\n    r: {base: 1, max: 2}\n";
	const char *v2 = "http:\n  out:\n    r: {base: 1, max: 3}\n";
	const char *log =
		"{\"who\":\"w\",\"when\":\"1970-01-01T00:05:00Z\",\"service\":\"p\","
		"\"target\":\"t\",\"old\":1,\"new\":2,\"outcome\":\"applied\"}\n"
		"{\"who\":\"w\",\"when\":\"1970-01-01T00:01:00Z\",\"service\":\"p\","
		"\"target\":\"t\",\"old\":{\"max\":5,\"base\":1},"
		"\"new\":{\"max\":6,\"base\":1}}\n"
		"[1]\n{\"when\":\"soon\",\"service\":\"p\",\"target\":\"t\"}\n";
	int fd = mkstemp(path);
	FILE *f;

	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs(log, f);
	fclose(f);
	sr_audit_diff(&a, &o, "timeout.yaml", "p", v1, strlen(v1),
		      "timeout.yaml", "p", v2, strlen(v2));
	CHECK_INT(sr_audit_load_adjustments(&a, path, 0, &warn), 0);
	CHECK_INT(a.n, 3);
	sr_audit_merge(&a);
	/* 00:01 adjustment, the commit at 200 s, then 00:05 */
	CHECK_STR(a.v[0].field, "max");
	CHECK_STR(a.v[0].new_value, "6");
	CHECK(a.v[1].source == SR_AUDIT_GIT);
	CHECK_STR(a.v[2].field, "value");
	CHECK_STR(a.v[2].outcome, "applied");
	CHECK(strstr(warn.ptr, ":3: not a JSON object\n") != NULL);
	CHECK(strstr(warn.ptr, ":4: 'when' is not an ISO 8601 time\n") != NULL);
	unlink(path);
	CHECK(sr_audit_load_adjustments(&a, path, 0, &warn) < 0);
	sr_audit_release(&a);
	sr_buf_release(&warn);
}

int main(void)
{
	test_kinds();
	test_diff();
	test_time();
	test_adjustments();
	return sr_test_done();
}

/*
 * Unit tests for the Kubernetes workload validator's helpers
 * (validators/k8s*.c): include= lists, endpoint comparison, typo distance
 * and workload detection. The rules themselves are covered by the golden
 * cases under fixtures/rules/probe/.
 */
#include <string.h>

#include "validators/k8s.h"
#include "validators/validators.h"
#include "harness.h"

static const char *joined(const struct sr_k8s_names *n)
{
	static char buf[256];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n->n && len + strlen(n->v[i]) + 2 < sizeof(buf); i++) {
		if (i)
			buf[len++] = '|';
		memcpy(buf + len, n->v[i], strlen(n->v[i]) + 1);
		len += strlen(n->v[i]);
	}
	return buf;
}

struct include_case {
	const char *text;
	bool present;
	const char *names;	/* joined with '|' */
};

static const struct include_case include_cases[] = {
	{ "/health/ready?include=redis,es", true, "redis|es" },
	{ "/health/ready", false, "" },
	{ "/health/ready?include=", true, "" },
	{ "/health/ready?x=1&include=a&include=b,a", true, "a|b" },
	{ "/health/ready?include=a%2Cb%2cc", true, "a|b|c" },
	{ "/health/ready?include=+a+,%20b%20,,", true, "a|b" },
	{ "/health/ready?include=a#include=b", true, "a" },
	{ "/health/ready?xinclude=a", false, "" },
	{ "include=a", false, "" },
	{ "curl -f 'http://localhost:8080/health/ready?include=redis,es' -m 2",
	  true, "redis|es" },
	{ "wget \"http://x/ready?include=kafka\"", true, "kafka" },
	{ "/r?include=%zz,%2", true, "%zz|%2" },
	{ "/r?include=a;include=b", true, "a|b" },
};

static void test_include(void)
{
	size_t i;

	for (i = 0; i < sizeof(include_cases) / sizeof(include_cases[0]); i++) {
		const struct include_case *c = &include_cases[i];
		struct sr_k8s_names n = { NULL, 0, 0, false };

		CHECK_INT(sr_k8s__parse_include(&n, c->text), c->present);
		CHECK_STR(joined(&n), c->names);
		sr_k8s__names_release(&n);
	}
}

static void test_names_has(void)
{
	struct sr_k8s_names n = { NULL, 0, 0, false };

	sr_k8s__parse_include(&n, "/x?include=redis,es");
	CHECK(sr_k8s__names_has(&n, "redis"));
	CHECK(sr_k8s__names_has(&n, "es"));
	CHECK(!sr_k8s__names_has(&n, "e"));
	sr_k8s__names_release(&n);
	CHECK_INT(n.n, 0);
	/* releasing twice is harmless */
	sr_k8s__names_release(&n);
}

static void test_endpoint(void)
{
	CHECK(sr_k8s__same_endpoint("/health/ready", "/health/ready"));
	CHECK(sr_k8s__same_endpoint("/health/ready?include=a", "/health/ready"));
	CHECK(sr_k8s__same_endpoint("/health/ready#x", "/health/ready?y"));
	CHECK(sr_k8s__same_endpoint("", "/"));
	CHECK(sr_k8s__same_endpoint("?include=a", "/"));
	CHECK(!sr_k8s__same_endpoint("/health/ready/", "/health/ready"));
	CHECK(!sr_k8s__same_endpoint("/health/readyz", "/health/ready"));
	CHECK(!sr_k8s__same_endpoint("/Health/Ready", "/health/ready"));
	CHECK(!sr_k8s__same_endpoint("/health", "/health/ready"));
}

static void test_distance(void)
{
	CHECK_INT(sr_k8s__distance("management", "managment", 3), 1);
	CHECK_INT(sr_k8s__distance("payment-gw", "paymnet-gw", 3), 2);
	CHECK_INT(sr_k8s__distance("http", "http", 3), 0);
	CHECK_INT(sr_k8s__distance("http", "grpc", 3), 3);
	CHECK_INT(sr_k8s__distance("", "abc", 9), 3);
}

static bool detects(const char *yaml)
{
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct sr_stream *s = sr_stream_parse(yaml, strlen(yaml), &limits,
					      NULL, NULL);
	bool found = false;
	size_t i;

	for (i = 0; i < s->n; i++)
		found |= sr_validator_k8s.detect("x.yaml", "x.yaml",
						 &s->docs[i]);
	sr_stream_free(s);
	return found;
}

static void test_detect(void)
{
	CHECK(detects("apiVersion: apps/v1\nkind: Deployment\n"));
	CHECK(detects("apiVersion: v1\nkind: Pod\n"));
	CHECK(detects("apiVersion: batch/v1\nkind: CronJob\n"));
	CHECK(detects("apiVersion: extensions/v1beta1\nkind: DaemonSet\n"));
	CHECK(detects("{apiVersion: \"v1\", kind: \"Pod\"}\n"));
	CHECK(detects("apiVersion: v1\nkind: List\nitems: []\n"));
	CHECK(detects("apiVersion: apps/v1\nkind: DeploymentList\nitems: []\n"));
	CHECK(detects("---\nkind: x\n---\napiVersion: v1\nkind: Pod\n"));
	CHECK(!detects("apiVersion: v1\nkind: Service\n"));
	CHECK(!detects("apiVersion: example.com/v1\nkind: Deployment\n"));
	CHECK(!detects("kind: Deployment\n"));
	CHECK(!detects("apiVersion: v1\nkind: List\nitems: x\n"));
	CHECK(!detects("apiVersion: [v1]\nkind: Pod\n"));
	CHECK(!detects("- apiVersion: v1\n  kind: Pod\n"));
	CHECK(!detects("just text\n"));
	CHECK(!detects(""));
}

int main(void)
{
	test_include();
	test_names_has();
	test_endpoint();
	test_distance();
	test_detect();
	return sr_test_done();
}

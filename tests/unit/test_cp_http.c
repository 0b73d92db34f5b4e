/*
 * The http and istio drivers where no server is needed: configuration
 * and kubeconfig problems are reported with their cause (and file:line:col
 * for the kubeconfig), refused before any request; a server that is not
 * there is "unavailable". The request/response behaviour is tested
 * against real and fake servers by tests/suites/cp_drivers.cmake.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "cp/driver.h"
#include "base/banned.h"
#include "harness.h"

static char dir[] = "/tmp/srctl-test-cp-http-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	SR_ASSERT(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void conf_init(struct sr_cp_conf *c, const char *driver,
		      const char *endpoint)
{
	memset(c, 0, sizeof(*c));
	c->name = sr_xstrdup("t");
	c->driver = sr_xstrdup(driver);
	if (endpoint) {
		c->endpoints = sr_xcalloc(1, sizeof(char *));
		c->endpoints[0] = sr_xstrdup(endpoint);
		c->n_endpoints = 1;
	}
	c->timeout_ms = 2000;
}

/* Open 'c'; return the code and leave the message in 'err'. */
static int try_open(struct sr_cp_conf *c, struct sr_buf *err)
{
	struct sr_cp *cp = NULL;
	int rc;

	sr_buf_reset(err);
	rc = sr_cp_open(&cp, c, err);
	sr_cp_close(cp);
	return rc;
}

static int has(const struct sr_buf *b, const char *s)
{
	int ok = strstr(sr_buf_cstr(b), s) != NULL;

	if (!ok)
		fprintf(stderr, "  message: %s\n  lacks:   %s\n",
			sr_buf_cstr(b), s);
	return ok;
}

static void test_http_open(void)
{
	struct sr_cp_conf c;
	struct sr_buf err = SR_BUF_INIT;

	conf_init(&c, "http", NULL);
	CHECK_INT(try_open(&c, &err), SR_CP_INVALID);
	CHECK(has(&err, "needs an endpoint"));
	sr_cp_conf_release(&c);

	conf_init(&c, "http", "ftp://cp.example");
	CHECK_INT(try_open(&c, &err), SR_CP_INVALID);
	CHECK(has(&err, "not an http:// or https:// URL"));
	sr_cp_conf_release(&c);

	/* A token goes over plain http only to this machine. */
	setenv("SRCTL_TEST_CP_TOKEN2", "tok2", 1);
	conf_init(&c, "http", "http://cp.example:8080/api");
	c.token_env = sr_xstrdup("SRCTL_TEST_CP_TOKEN2");
	CHECK_INT(try_open(&c, &err), SR_CP_INVALID);
	CHECK(has(&err, "refusing to send a token over plain http"));
	CHECK(!strstr(sr_buf_cstr(&err), "tok2"));
	sr_cp_conf_release(&c);
	conf_init(&c, "http", "http://127.0.0.1:8080/api");
	c.token_env = sr_xstrdup("SRCTL_TEST_CP_TOKEN2");
	CHECK_INT(try_open(&c, &err), SR_CP_OK);
	sr_cp_conf_release(&c);
	conf_init(&c, "http", "http://cp.example:8080/api");
	CHECK_INT(try_open(&c, &err), SR_CP_OK);	/* no token: fine */
	sr_cp_conf_release(&c);

	conf_init(&c, "http", "http://127.0.0.1:1");
	c.token_env = sr_xstrdup("SRCTL_TEST_SURELY_UNSET_TOKEN");
	unsetenv("SRCTL_TEST_SURELY_UNSET_TOKEN");
	CHECK_INT(try_open(&c, &err), SR_CP_AUTH);
	CHECK(has(&err, "SRCTL_TEST_SURELY_UNSET_TOKEN is not set"));
	sr_cp_conf_release(&c);
	sr_buf_release(&err);
}

/* Nothing listens on port 1: get is unavailable, not a crash or hang. */
static void test_http_unreachable(void)
{
	struct sr_cp_conf c;
	struct sr_buf err = SR_BUF_INIT;
	struct sr_cp *cp = NULL;
	struct sr_cp_value v = SR_CP_VALUE_INIT;
	struct sr_cp_edge e = { "payment-gw", "redis" };

	conf_init(&c, "http", "http://127.0.0.1:1/api/");
	setenv("SRCTL_TEST_CP_TOKEN", "tok-never-in-messages", 1);
	c.token_env = sr_xstrdup("SRCTL_TEST_CP_TOKEN");
	CHECK_INT(sr_cp_open(&cp, &c, &err), SR_CP_OK);
	if (cp) {
		CHECK_INT(sr_cp_get(cp, &e, &v, &err), SR_CP_UNAVAILABLE);
		CHECK(has(&err, "http://127.0.0.1:1/api/v1/edges/payment-gw/"
			  "redis"));
		CHECK(!strstr(sr_buf_cstr(&err), "tok-never-in-messages"));
	}
	sr_cp_value_release(&v);
	sr_cp_close(cp);
	sr_cp_conf_release(&c);
	sr_buf_release(&err);
}

static int istio_open_with(const char *kubeconfig, struct sr_buf *err)
{
	struct sr_cp_conf c;
	int rc;

	conf_init(&c, "istio", NULL);
	c.kubeconfig = sr_xstrdup(kubeconfig);
	rc = try_open(&c, err);
	sr_cp_conf_release(&c);
	return rc;
}

#define KC_HEAD "apiVersion: v1\nkind: Config\n"
#define KC_CLUSTER "clusters:\n- name: c\n  cluster:\n" \
	"    server: https://127.0.0.1:1\n"
#define KC_CONTEXT "contexts:\n- name: x\n  context: {cluster: c, user: u}\n"

static void test_kubeconfig(void)
{
	struct sr_buf err = SR_BUF_INIT;
	const char *p;

	CHECK_INT(istio_open_with("/nonexistent/kubeconfig", &err),
		  SR_CP_INVALID);
	CHECK(has(&err, "cannot read kubeconfig '/nonexistent/kubeconfig'"));

	p = write_file("bad-yaml", KC_HEAD "clusters: [\n");
	CHECK_INT(istio_open_with(p, &err), SR_CP_INVALID);
	CHECK(has(&err, "bad-yaml:4:1: did not find expected node"));

	p = write_file("no-context", KC_HEAD KC_CLUSTER);
	CHECK_INT(istio_open_with(p, &err), SR_CP_INVALID);
	CHECK(has(&err, "no current-context"));

	p = write_file("missing-context", KC_HEAD "current-context: y\n"
		       KC_CLUSTER KC_CONTEXT);
	CHECK_INT(istio_open_with(p, &err), SR_CP_INVALID);
	CHECK(has(&err, "context 'y' not found"));

	p = write_file("exec", KC_HEAD "current-context: x\n" KC_CLUSTER
		       KC_CONTEXT "users:\n- name: u\n  user:\n"
		       "    exec: {command: aws}\n");
	CHECK_INT(istio_open_with(p, &err), SR_CP_INVALID);
	CHECK(has(&err, "exec or auth-provider plugin"));

	p = write_file("bad-ca", KC_HEAD "current-context: x\n"
		       "clusters:\n- name: c\n  cluster:\n"
		       "    server: https://127.0.0.1:1\n"
		       "    certificate-authority-data: '%%%notbase64'\n"
		       KC_CONTEXT "users:\n- name: u\n  user: {token: t}\n");
	CHECK_INT(istio_open_with(p, &err), SR_CP_INVALID);
	CHECK(has(&err, "bad-ca:8:33: certificate-authority-data is not "
		  "base64"));

	p = write_file("insecure", KC_HEAD "current-context: x\n"
		       "clusters:\n- name: c\n  cluster:\n"
		       "    server: https://127.0.0.1:1\n"
		       "    insecure-skip-tls-verify: true\n"
		       KC_CONTEXT "users:\n- name: u\n  user: {token: t}\n");
	CHECK_INT(istio_open_with(p, &err), SR_CP_TLS);
	CHECK(has(&err, "insecure-skip-tls-verify"));

	p = write_file("no-server", KC_HEAD "current-context: x\n"
		       "clusters:\n- name: c\n  cluster: {}\n" KC_CONTEXT);
	CHECK_INT(istio_open_with(p, &err), SR_CP_INVALID);
	CHECK(has(&err, "has no server"));

	p = write_file("ok", KC_HEAD "current-context: x\n" KC_CLUSTER
		       KC_CONTEXT "users:\n- name: u\n  user:\n"
		       "    token: secret-kube-token\n");
	CHECK_INT(istio_open_with(p, &err), SR_CP_OK);
	sr_buf_release(&err);
}

/* A valid kubeconfig whose server is not there: unavailable. */
static void test_istio_unreachable(void)
{
	struct sr_cp_conf c;
	struct sr_buf err = SR_BUF_INIT;
	struct sr_cp *cp = NULL;
	struct sr_cp_value v = SR_CP_VALUE_INIT;
	struct sr_cp_edge e = { "payment-gw", "redis" };
	char path[512];

	snprintf(path, sizeof(path), "%s/ok", dir);
	conf_init(&c, "istio", NULL);
	c.kubeconfig = sr_xstrdup(path);
	c.namespace_ = sr_xstrdup("payments");
	CHECK_INT(sr_cp_open(&cp, &c, &err), SR_CP_OK);
	if (cp) {
		CHECK_INT(sr_cp_get(cp, &e, &v, &err), SR_CP_UNAVAILABLE);
		CHECK(has(&err, "/apis/networking.istio.io/v1/namespaces/"
			  "payments/virtualservices/redis"));
		CHECK(!strstr(sr_buf_cstr(&err), "secret-kube-token"));
	}
	sr_cp_value_release(&v);
	sr_cp_close(cp);
	sr_cp_conf_release(&c);
	sr_buf_release(&err);
}

int main(void)
{
	char cmd[600];

	SR_ASSERT(mkdtemp(dir));
	test_http_open();
	test_http_unreachable();
	test_kubeconfig();
	test_istio_unreachable();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return sr_test_done();
}

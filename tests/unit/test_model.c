/* Unit tests for the repository model (srctl/model). */
#include <string.h>

#include "model/model.h"
#include "harness.h"

static void add(struct sr_model *m, const char *svc_name, const char *dir,
		const char *target, long long base, long long max)
{
	struct sr_service *svc = sr_model_service(m, svc_name, dir, NULL);
	struct sr_target t;

	memset(&t, 0, sizeof(t));
	t.protocol = "http";
	t.direction = "downstream";
	t.name = target;
	t.has_base = t.has_max = true;
	t.base = base;
	t.max = max;
	t.multiplier = 1.5;
	sr_model_add_target(m, svc, &t);
}

int main(void)
{
	struct sr_model *m = sr_model_new();
	const struct sr_service *s;
	const struct sr_target *t;
	char name[16] = "redis";

	add(m, "payment-gw", "services/payment-gw", name, 800, 2000);
	/* the model keeps its own copies */
	memcpy(name, "XXXXX", 5);
	add(m, "payment-gw", "services/payment-gw", "es", 1200, 3500);
	add(m, "root", "", "db", 100, 200);
	add(m, "payment-gw-v2", "services/payment-gw-v2", "redis", 500, 900);
	CHECK_INT(m->nservices, 3);

	s = sr_model_service_for(m, "services/payment-gw/k8s/deploy.yaml");
	CHECK(s && !strcmp(s->name, "payment-gw"));
	/* a directory whose name only starts like a service's is not inside it */
	s = sr_model_service_for(m, "services/payment-gw-v2/k8s/deploy.yaml");
	CHECK(s && !strcmp(s->name, "payment-gw-v2"));
	s = sr_model_service_for(m, "other/x.yaml");
	CHECK(s && !strcmp(s->name, "root"));

	s = sr_model_service_named(m, "payment-gw");
	CHECK(s && s->ntargets == 2);
	t = sr_service_target(s, "redis");
	CHECK(t && t->base == 800 && t->max == 2000);
	CHECK_STR(t ? t->direction : NULL, "downstream");
	CHECK(sr_service_target(s, "kafka") == NULL);
	CHECK(sr_model_service_named(m, "nope") == NULL);
	sr_model_free(m);
	sr_model_free(NULL);
	return sr_test_done();
}

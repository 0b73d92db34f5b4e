/*
 * bench-gen: write a deterministic, realistic policy repository for the
 * srctl benchmark.
 *
 *   bench-gen OUTDIR NFILES [SEED]
 *
 * OUTDIR gets NFILES YAML files spread over services/svc-NNNN/:
 *
 *   timeout.yaml                          timeout contract (template shape)
 *   k8s/deployment.yaml                   Deployment + Service + ConfigMap
 *   istio/virtualservice.yaml             VirtualService
 *   istio/destinationrule.yaml            DestinationRule(s)
 *   src/main/resources/application.yml    Spring Boot + resilience4j
 *                                         (Go services: config/app.yaml)
 *   and sometimes k8s/hpa.yaml, k8s/pdb.yaml, k8s/cronjob.yaml,
 *   src/main/resources/application-prod.yml, k8s/rendered/bundle.yaml
 *   (a ~200 KB rendered chart).
 *
 * Everything comes from a PRNG of our own (splitmix64 to seed, xorshift64*
 * to draw), seeded per service from SEED and the service's index, so the
 * same arguments give byte-identical trees and a smaller repository is a
 * prefix of a larger one. A few percent of the files carry the mistakes
 * people really make (units in durations, max below base, retry budgets
 * over the timeout, missing probes, routes without timeouts, ...), and a
 * very few are not even valid YAML.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* ---------------------------------------------------------------- PRNG */

struct rng {
	uint64_t s;
};

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	r->s = splitmix64(seed ^ splitmix64(stream + 1));
	if (!r->s)
		r->s = 0x2545F4914F6CDD1DULL;
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, n), n > 0. */
static unsigned below(struct rng *r, unsigned n)
{
	return (unsigned)((rng_next(r) >> 32) % n);
}

/* Uniform in [lo, hi]. */
static int range(struct rng *r, int lo, int hi)
{
	return lo + (int)below(r, (unsigned)(hi - lo + 1));
}

/* True with probability permille / 1000. */
static int chance(struct rng *r, unsigned permille)
{
	return below(r, 1000) < permille;
}

#define PICK(r, arr) ((arr)[below((r), sizeof(arr) / sizeof((arr)[0]))])

/* -------------------------------------------------------------- output */

struct out {
	char *p;
	size_t len;
	size_t cap;
};

static void die(const char *what)
{
	fprintf(stderr, "bench-gen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void reserve(struct out *o, size_t more)
{
	if (o->len + more + 1 <= o->cap)
		return;
	while (o->len + more + 1 > o->cap)
		o->cap = o->cap ? o->cap * 2 : 65536;
	o->p = realloc(o->p, o->cap);
	if (!o->p)
		die("realloc");
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->p ? o->p + o->len : NULL,
		      o->p ? o->cap - o->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("vsnprintf");
	if (!o->p || o->len + (size_t)n + 1 > o->cap) {
		reserve(o, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
	}
	o->len += (size_t)n;
}

struct gen {
	const char *outdir;
	long want;		/* files to write */
	long written;
	unsigned long long bytes;
	struct out buf;
	char path[4096];
};

static void mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST)
			die(path);
		*p = '/';
	}
}

/* Write the buffer to OUTDIR/svc/rel. Returns 0 once NFILES are written. */
static int emit(struct gen *g, const char *svc, const char *rel)
{
	FILE *f;
	int n;

	if (g->written >= g->want) {
		g->buf.len = 0;
		return 0;
	}
	n = snprintf(g->path, sizeof(g->path), "%s/services/%s/%s",
		     g->outdir, svc, rel);
	if (n < 0 || (size_t)n >= sizeof(g->path)) {
		fprintf(stderr, "bench-gen: path too long\n");
		exit(1);
	}
	mkdirs(g->path);
	f = fopen(g->path, "wb");
	if (!f)
		die(g->path);
	if (g->buf.len && fwrite(g->buf.p, 1, g->buf.len, f) != g->buf.len)
		die(g->path);
	if (fclose(f) != 0)
		die(g->path);
	g->bytes += g->buf.len;
	g->buf.len = 0;
	g->written++;
	return g->written < g->want;
}

/* ---------------------------------------------------------------- data */

static const char *const teams[] = {
	"payments", "checkout", "catalog", "search", "identity",
	"logistics", "ads", "messaging", "pricing", "risk", "growth",
	"platform",
};

static const char *const externals[] = {
	"redis", "mysql", "postgres", "es", "kafka", "mongo", "memcached",
	"s3", "ldap", "rabbitmq", "cassandra", "vault",
};

static const char *const words[] = {
	"order", "cart", "invoice", "ledger", "refund", "quote", "stock",
	"shipment", "profile", "session", "token", "rating", "review",
	"coupon", "banner", "feed", "inbox", "notify", "report", "audit",
};

static const char *const java_exceptions[] = {
	"java.io.IOException",
	"java.util.concurrent.TimeoutException",
	"org.springframework.web.client.HttpServerErrorException",
	"org.springframework.dao.TransientDataAccessException",
	"io.lettuce.core.RedisCommandTimeoutException",
	"java.net.SocketTimeoutException",
};

struct mult {
	const char *text;
	int x10;
};

static const struct mult mults[] = {
	{ "1.2", 12 }, { "1.5", 15 }, { "1.5", 15 }, { "2", 20 },
	{ "2.0", 20 }, { "2.5", 25 }, { "3", 30 },
};

#define MAX_TARGETS 6

struct target {
	char name[24];
	int internal;
	int base;		/* ms */
	const char *mult;
	int mult_x10;
	int max;		/* ms; 0: missing (a mistake) */
	int attempts;		/* 0: no retries block */
	int per_try;
	int clamped_ok;		/* max < base * multiplier, suppressed */
};

struct svc {
	int idx;
	char name[16];
	const char *team;
	const char *word;
	int java;		/* Spring Boot service (else Go) */
	int version[3];
	int http_port;
	int mgmt_port;
	int ntargets;
	struct target t[MAX_TARGETS];
	int replica;		/* target with an aliased "-replica", or -1 */
	int route_timeout_ms;	/* what callers' routes use */
	struct rng r;
};

static int round_up(int v, int step)
{
	return (v + step - 1) / step * step;
}

static void make_service(struct svc *s, uint64_t seed, int idx)
{
	struct rng *r = &s->r;
	int i, j;

	memset(s, 0, sizeof(*s));
	s->idx = idx;
	rng_seed(r, seed, (uint64_t)idx);
	snprintf(s->name, sizeof(s->name), "svc-%04d", idx);
	s->team = PICK(r, teams);
	s->word = PICK(r, words);
	s->java = !chance(r, 200);
	s->version[0] = range(r, 0, 4);
	s->version[1] = range(r, 0, 30);
	s->version[2] = range(r, 0, 12);
	s->http_port = chance(r, 800) ? 8080 : PICK(r, ((const int[]){ 8000, 9000, 3000 }));
	s->mgmt_port = s->java ? 8081 : s->http_port;
	s->ntargets = range(r, 1, 5);
	for (i = 0; i < s->ntargets; i++) {
		struct target *t = &s->t[i];
		const struct mult *m;
		int dup;

		do {
			if (idx > 1 && chance(r, 300)) {
				t->internal = 1;
				snprintf(t->name, sizeof(t->name), "svc-%04d",
					 1 + (int)below(r, (unsigned)idx - 1));
			} else {
				t->internal = 0;
				snprintf(t->name, sizeof(t->name), "%s",
					 PICK(r, externals));
			}
			dup = 0;
			for (j = 0; j < i; j++)
				dup |= !strcmp(s->t[j].name, t->name);
		} while (dup);
		m = &PICK(r, mults);
		t->mult = m->text;
		t->mult_x10 = m->x10;
		t->base = range(r, 5, 150) * 10;
		t->max = round_up(t->base * t->mult_x10 / 10, 50);
		if (chance(r, 300))
			t->max += range(r, 1, 8) * 100;
		if (!t->internal && t->base < 100 && chance(r, 300)) {
			t->max = t->base + 10;
			t->clamped_ok = 1;
		}
		if (chance(r, 400)) {
			t->attempts = range(r, 1, 3);
			t->per_try = t->max / (t->attempts + 1) / 10 * 10;
			if (t->per_try < 10)
				t->per_try = 10;
		}
	}
	s->replica = -1;
	for (i = 0; i < s->ntargets && s->replica < 0; i++) {
		/* not the last one, which may move to grpc: */
		if (!s->t[i].internal && chance(r, 100) &&
		    (i < s->ntargets - 1 || s->ntargets == 1))
			s->replica = i;
	}
	s->route_timeout_ms = round_up(range(r, 5, 60) * 100, 500);
}

/* "redis,es,svc-0012,redis-replica" */
static void join_targets(const struct svc *s, char *out, size_t n, int skip)
{
	size_t len = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i <= s->ntargets; i++) {
		int w;

		if (i == skip)
			continue;
		if (i < s->ntargets)
			w = snprintf(out + len, n - len, "%s%s",
				     len ? "," : "", s->t[i].name);
		else if (s->replica >= 0)
			w = snprintf(out + len, n - len, "%s%s-replica",
				     len ? "," : "", s->t[s->replica].name);
		else
			break;
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
}

/* The slowest target's max: what a readiness check may have to wait. */
static int worst_max(const struct svc *s)
{
	int i, w = 0;

	for (i = 0; i < s->ntargets; i++) {
		if (s->t[i].max > w)
			w = s->t[i].max;
	}
	return w;
}

/* ---------------------------------------------------------- timeout.yaml */

static void put_target_body(struct out *o, struct rng *r, const struct target *t,
			    int flow, const char *ind)
{
	char base[32], max[32];
	const char *mult = t->mult;
	int mistake = chance(r, 12) ? range(r, 1, 6) : 0;

	snprintf(base, sizeof(base), "%d", t->base);
	snprintf(max, sizeof(max), "%d", t->max);
	switch (mistake) {
	case 1:	/* timeout/unit */
		if (t->max % 1000 == 0)
			snprintf(max, sizeof(max), "\"%ds\"", t->max / 1000);
		else
			snprintf(max, sizeof(max), "\"%dms\"", t->max);
		break;
	case 2:	/* timeout/bounds: max < base */
		snprintf(max, sizeof(max), "%d", t->base / 2);
		break;
	case 3:	/* timeout/missing-max */
		max[0] = '\0';
		break;
	case 4:	/* timeout/bounds: multiplier < 1 */
		mult = "0.8";
		break;
	case 5:	/* timeout/step-clamped */
		snprintf(max, sizeof(max), "%d", t->base + 10);
		break;
	default:
		break;
	}
	if (flow) {
		put(o, "{ base: %s, multiplier: %s", base, mult);
		if (max[0])
			put(o, ", max: %s", max);
		if (t->attempts) {
			int per_try = mistake == 6 ? t->max : t->per_try;

			put(o, ", retries: { attempts: %d, per_try: %d }",
			    t->attempts, per_try);
		}
		put(o, " }\n");
		return;
	}
	put(o, "\n%sbase: %s\n%smultiplier: %s\n", ind, base, ind, mult);
	if (max[0])
		put(o, "%smax: %s", ind, max);
	if (max[0] && chance(r, 150))
		put(o, "  # ms, raised after INC-%d", range(r, 1000, 9999));
	if (max[0])
		put(o, "\n");
	if (t->attempts) {
		/* timeout/retry-budget: per_try at the full max */
		int per_try = mistake == 6 ? t->max : t->per_try;

		if (chance(r, 500))
			put(o, "%sretries: { attempts: %d, per_try: %d }\n", ind,
			    t->attempts, per_try);
		else
			put(o, "%sretries:\n%s  attempts: %d\n%s  per_try: %d\n",
			    ind, ind, t->attempts, ind, per_try);
	}
}

static void gen_timeout(struct out *o, struct svc *s)
{
	struct rng *r = &s->r;
	int i, grpc_from;

	put(o, "# Timeout contract of %s (%s team).\n", s->name, s->team);
	put(o, "# SRE protection template V1.0: <protocol>.<direction>.<target>\n");
	put(o, "# All durations are integer milliseconds.\n");
	if (chance(r, 300))
		put(o, "# Owner: %s-oncall@example.com  Runbook: https://runbooks.example.com/%s\n",
		    s->team, s->name);
	put(o, "service: %s\n", s->name);
	/* gRPC targets: the internal ones, sometimes */
	grpc_from = s->ntargets;
	if (chance(r, 350) && s->ntargets > 1)
		grpc_from = s->ntargets - 1;
	put(o, "http:\n  downstream:\n");
	for (i = 0; i < grpc_from; i++) {
		const struct target *t = &s->t[i];
		int flow = i != s->replica && chance(r, 450);

		if (chance(r, 100))
			put(o, "    # %s: keep below the caller's route timeout\n",
			    t->name);
		if (t->clamped_ok)
			put(o, "    # srctl:ignore timeout/step-clamped -- local cache; one step to max is intended\n");
		if (i == s->replica) {
			put(o, "    %s: &%s-timeouts", t->name, t->name);
		} else {
			put(o, "    %s:%s", t->name, flow ? " " : "");
		}
		put_target_body(o, r, t, flow, "      ");
	}
	if (s->replica >= 0 && s->replica < grpc_from)	/* same budget */
		put(o, "    %s-replica: *%s-timeouts\n", s->t[s->replica].name,
		    s->t[s->replica].name);
	if (chance(r, 15))	/* timeout/depth */
		put(o, "    legacy:\n      v1:\n        search: { base: 300, multiplier: 2, max: 600 }\n");
	if (grpc_from < s->ntargets) {
		put(o, "grpc:\n  downstream:\n");
		for (i = grpc_from; i < s->ntargets; i++) {
			put(o, "    %s: ", s->t[i].name);
			put_target_body(o, r, &s->t[i], 1, "      ");
		}
	}
	if (chance(r, 250)) {
		put(o, "  upstream:\n    gateway: { base: %d, multiplier: 1.5, max: %d }\n",
		    s->route_timeout_ms / 2, s->route_timeout_ms);
	}
}

/* ------------------------------------------------------------ Kubernetes */

static void put_probe(struct out *o, struct rng *r, const char *kind,
		      const char *path, const char *port, int delay,
		      int period, int timeout, int failures)
{
	put(o, "          %s:\n", kind);
	if (chance(r, 300))
		put(o, "            httpGet: { path: \"%s\", port: %s }\n", path, port);
	else
		put(o, "            httpGet:\n              path: %s\n              port: %s\n"
		    "              scheme: HTTP\n", path, port);
	put(o, "            initialDelaySeconds: %d\n", delay);
	put(o, "            periodSeconds: %d\n", period);
	put(o, "            timeoutSeconds: %d\n", timeout);
	put(o, "            failureThreshold: %d\n", failures);
	if (chance(r, 300))
		put(o, "            successThreshold: 1\n");
}

static void put_labels(struct out *o, const struct svc *s, const char *ind,
		       const char *component)
{
	put(o, "%sapp.kubernetes.io/name: %s\n", ind, s->name);
	put(o, "%sapp.kubernetes.io/instance: %s-prod\n", ind, s->name);
	put(o, "%sapp.kubernetes.io/version: \"%d.%d.%d\"\n", ind,
	    s->version[0], s->version[1], s->version[2]);
	put(o, "%sapp.kubernetes.io/component: %s\n", ind, component);
	put(o, "%sapp.kubernetes.io/part-of: %s\n", ind, s->team);
	put(o, "%sapp.kubernetes.io/managed-by: Helm\n", ind);
	put(o, "%shelm.sh/chart: %s-%d.%d.%d\n", ind, s->name, s->version[0],
	    s->version[1], s->version[2]);
}

static void put_app_container(struct out *o, struct svc *s, const char *name)
{
	struct rng *r = &s->r;
	char incl[256], ready[320];
	const char *port = chance(r, 500) ? "management" : NULL;
	char portnum[16];
	int mistake = chance(r, 60) ? range(r, 1, 6) : 0;
	int mem = PICK(r, ((const int[]){ 256, 512, 768, 1024, 1536, 2048 }));
	int i, rtimeout, rperiod;

	snprintf(portnum, sizeof(portnum), "%d", s->mgmt_port);
	if (!port)
		port = portnum;
	join_targets(s, incl, sizeof(incl),
		     mistake == 1 && s->ntargets > 1 ? 0 : -1);
	if (mistake == 2)
		snprintf(ready, sizeof(ready), "/actuator/health");
	else
		snprintf(ready, sizeof(ready), "/health/ready?include=%s", incl);

	put(o, "        - name: %s\n", name);
	put(o, "          image: registry.example.com/%s/%s:%d.%d.%d\n", s->team,
	    s->name, s->version[0], s->version[1], s->version[2]);
	put(o, "          imagePullPolicy: IfNotPresent\n");
	if (s->java && chance(r, 200))
		put(o, "          args: [\"--spring.profiles.active=prod\", \"--server.port=%d\"]\n",
		    s->http_port);
	put(o, "          ports:\n");
	put(o, "            - { name: http, containerPort: %d, protocol: TCP }\n",
	    s->http_port);
	if (s->java)
		put(o, "            - name: management\n              containerPort: %d\n"
		    "              protocol: TCP\n", s->mgmt_port);
	else if (!strcmp(port, "management"))
		port = "http";
	put(o, "          env:\n");
	if (s->java) {
		put(o, "            - name: JAVA_OPTS\n");
		if (chance(r, 900))
			put(o, "              value: \"-Xms%dm -Xmx%dm -XX:MaxMetaspaceSize=%dm -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError\"\n",
			    mem / 2, mem / 2, mem / 4);
		else	/* runtime/jvm-metaspace */
			put(o, "              value: \"-Xmx%dm -XX:+UseG1GC\"\n", mem * 3 / 4);
		put(o, "            - name: SPRING_PROFILES_ACTIVE\n              value: prod\n");
	} else {
		put(o, "            - name: GOMEMLIMIT\n              value: \"%dMiB\"\n",
		    chance(r, 950) ? mem * 9 / 10 : mem);
		put(o, "            - name: GOMAXPROCS\n              valueFrom:\n"
		    "                resourceFieldRef: { resource: limits.cpu, divisor: \"1\" }\n");
	}
	put(o, "            - name: POD_NAME\n              valueFrom:\n"
	    "                fieldRef:\n                  fieldPath: metadata.name\n");
	put(o, "            - name: POD_IP\n              valueFrom: { fieldRef: { fieldPath: status.podIP } }\n");
	for (i = 0; i < s->ntargets; i++) {
		if (s->t[i].internal) {
			put(o, "            - name: SVC_%s_URL\n              value: http://%s.%s.svc.cluster.local:8080\n",
			    s->t[i].name + 4, s->t[i].name, s->team);
		} else if (chance(r, 500)) {
			char env[24];
			size_t k;

			for (k = 0; s->t[i].name[k] && k + 1 < sizeof(env); k++)
				env[k] = (char)(s->t[i].name[k] >= 'a' && s->t[i].name[k] <= 'z' ?
						s->t[i].name[k] - 'a' + 'A' : s->t[i].name[k]);
			env[k] = '\0';
			put(o, "            - name: %s_PASSWORD\n              valueFrom:\n"
			    "                secretKeyRef: { name: %s-%s, key: password }\n",
			    env, s->name, s->t[i].name);
		}
	}
	put(o, "          envFrom:\n            - configMapRef:\n                name: %s-config\n",
	    s->name);
	put(o, "          resources: &app-resources\n");
	put(o, "            requests: { cpu: %dm, memory: %dMi }\n",
	    range(r, 1, 8) * 100, mem);
	if (chance(r, 970))
		put(o, "            limits:\n              cpu: \"%d\"\n              memory: %dMi\n",
		    range(r, 1, 4), mem);
	/* a check may wait for the slowest dependency: time out after it */
	rtimeout = (worst_max(s) + 999) / 1000;
	if (chance(r, 40))	/* probe/timing: the default 1 s */
		rtimeout = 1;
	rperiod = rtimeout * 2 > 5 ? rtimeout * 2 : 5;
	if (mistake != 3)	/* probe/readiness-missing */
		put_probe(o, r, "readinessProbe", ready, port, 10, rperiod,
			  rtimeout, 3);
	if (mistake == 4)	/* probe/identical */
		put_probe(o, r, "livenessProbe", ready, port, 10, rperiod,
			  rtimeout, 3);
	else if (mistake == 5)	/* probe/order: gives up first */
		put_probe(o, r, "livenessProbe", "/health/live", port, 5, 5, 2, 1);
	else if (mistake != 6)
		put_probe(o, r, "livenessProbe", "/health/live", port, 30, 10, 2, 6);
	if (chance(r, 900))
		put_probe(o, r, "startupProbe", "/health/live", port, 0, 5, 2, 60);
	put(o, "          lifecycle:\n            preStop:\n              exec:\n"
	    "                command: [\"sh\", \"-c\", \"sleep %d\"]\n", range(r, 5, 20));
	put(o, "          securityContext:\n            allowPrivilegeEscalation: false\n"
	    "            readOnlyRootFilesystem: true\n            capabilities: { drop: [ALL] }\n");
	put(o, "          volumeMounts:\n            - { name: config, mountPath: /config, readOnly: true }\n"
	    "            - name: tmp\n              mountPath: /tmp\n");
}

static void put_sidecar(struct out *o, struct rng *r, int which)
{
	if (which == 0) {
		put(o, "        - name: log-shipper\n");
		put(o, "          image: cr.fluentbit.io/fluent/fluent-bit:2.%d.%d\n",
		    range(r, 0, 2), range(r, 0, 9));
		put(o, "          args: [\"-c\", \"/fluent-bit/etc/fluent-bit.conf\"]\n");
		put(o, "          ports:\n            - { name: metrics, containerPort: 2020 }\n");
		put(o, "          resources: *app-resources\n");
		put(o, "          readinessProbe:\n            tcpSocket: { port: metrics }\n"
		    "            periodSeconds: 10\n");
		put(o, "          livenessProbe:\n            exec:\n              command:\n"
		    "                - /bin/sh\n                - -c\n"
		    "                - \"test -S /tmp/fluent.sock\"\n"
		    "            periodSeconds: 20\n            failureThreshold: 3\n");
		if (chance(r, 900))
			put(o, "          startupProbe:\n            tcpSocket: { port: metrics }\n"
			    "            periodSeconds: 5\n            failureThreshold: 30\n");
		put(o, "          volumeMounts:\n            - { name: tmp, mountPath: /tmp }\n");
	} else {
		put(o, "        - name: cloud-sql-proxy\n");
		put(o, "          image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.%d.0\n",
		    range(r, 1, 9));
		put(o, "          args:\n            - \"--structured-logs\"\n"
		    "            - \"--port=5432\"\n            - \"--health-check\"\n"
		    "            - \"--http-address=0.0.0.0\"\n");
		put(o, "          ports:\n            - containerPort: 9090\n              name: proxy-health\n");
		put(o, "          resources:\n            requests: { cpu: 50m, memory: 64Mi }\n"
		    "            limits: { cpu: 200m, memory: 128Mi }\n");
		if (chance(r, 950))
			put(o, "          readinessProbe:\n            grpc: { port: 9090 }\n"
			    "          livenessProbe:\n            tcpSocket: { port: proxy-health }\n"
			    "            periodSeconds: 10\n"
			    "          startupProbe:\n            tcpSocket: { port: proxy-health }\n"
			    "            failureThreshold: 30\n");
		/* else: a sidecar without probes, as they often are */
	}
}

static void put_deployment(struct out *o, struct svc *s, const char *name,
			   int ncontainers)
{
	struct rng *r = &s->r;
	int i;

	put(o, "# Source: %s/templates/deployment.yaml\n", s->name);
	put(o, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n");
	put(o, "  name: %s\n  namespace: %s\n  labels:\n", name, s->team);
	put_labels(o, s, "    ", "server");
	put(o, "  annotations:\n    deployment.kubernetes.io/revision: \"%d\"\n",
	    range(r, 1, 400));
	put(o, "spec:\n  replicas: %d\n  revisionHistoryLimit: 5\n", range(r, 2, 12));
	put(o, "  selector:\n    matchLabels:\n      app: %s\n", name);
	put(o, "  strategy:\n    type: RollingUpdate\n"
	    "    rollingUpdate: { maxSurge: 25%%, maxUnavailable: 0 }\n");
	put(o, "  template:\n    metadata:\n      labels:\n        app: %s\n"
	    "        version: v%d\n", name, s->version[0] + 1);
	put(o, "      annotations:\n        prometheus.io/scrape: \"true\"\n"
	    "        prometheus.io/port: \"%d\"\n        prometheus.io/path: %s\n"
	    "        sidecar.istio.io/inject: \"true\"\n",
	    s->mgmt_port, s->java ? "/actuator/prometheus" : "/metrics");
	if (chance(r, 300))
		put(o, "        checksum/config: %016llx%016llx\n",
		    (unsigned long long)rng_next(r), (unsigned long long)rng_next(r));
	put(o, "    spec:\n      serviceAccountName: %s\n", name);
	put(o, "      terminationGracePeriodSeconds: %d\n", range(r, 3, 9) * 10);
	put(o, "      securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 }\n");
	if (chance(r, 400))
		put(o, "      affinity:\n        podAntiAffinity:\n"
		    "          preferredDuringSchedulingIgnoredDuringExecution:\n"
		    "            - weight: 100\n              podAffinityTerm:\n"
		    "                topologyKey: kubernetes.io/hostname\n"
		    "                labelSelector:\n                  matchLabels: { app: %s }\n",
		    name);
	if (chance(r, 300))
		put(o, "      topologySpreadConstraints:\n        - maxSkew: 1\n"
		    "          topologyKey: topology.kubernetes.io/zone\n"
		    "          whenUnsatisfiable: ScheduleAnyway\n"
		    "          labelSelector: { matchLabels: { app: %s } }\n", name);
	if (chance(r, 250))
		put(o, "      initContainers:\n        - name: migrate\n"
		    "          image: registry.example.com/%s/%s-migrations:%d.%d.%d\n"
		    "          command: [\"/app/migrate\", \"up\"]\n"
		    "          resources: { requests: { cpu: 100m, memory: 128Mi } }\n",
		    s->team, s->name, s->version[0], s->version[1], s->version[2]);
	put(o, "      containers:\n");
	put_app_container(o, s, "app");
	for (i = 1; i < ncontainers; i++)
		put_sidecar(o, r, i - 1);
	put(o, "      volumes:\n        - name: config\n          configMap:\n"
	    "            name: %s-config\n        - name: tmp\n          emptyDir: {}\n",
	    s->name);
}

static void put_service(struct out *o, struct svc *s, const char *name)
{
	put(o, "---\n# Source: %s/templates/service.yaml\n", s->name);
	put(o, "apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: %s\n"
	    "  labels:\n", name, s->team);
	put_labels(o, s, "    ", "server");
	put(o, "spec:\n  type: ClusterIP\n  selector:\n    app: %s\n  ports:\n"
	    "    - name: http\n      port: 8080\n      targetPort: http\n"
	    "      protocol: TCP\n", name);
	if (s->java)
		put(o, "    - { name: http-management, port: %d, targetPort: management }\n",
		    s->mgmt_port);
}

static void put_configmap(struct out *o, struct svc *s, const char *name)
{
	struct rng *r = &s->r;
	unsigned sz = below(r, 100);
	int lines = sz < 60 ? range(r, 5, 40) : sz < 92 ? range(r, 40, 120) :
		    range(r, 120, 280);
	int i;

	put(o, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s-config\n"
	    "  namespace: %s\ndata:\n", name, s->team);
	put(o, "  LOG_FORMAT: json\n  FEATURE_FLAGS: \"%s,%s\"\n",
	    PICK(r, words), PICK(r, words));
	if (s->java) {
		put(o, "  logback-spring.xml: |\n");
		put(o, "    <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n    <configuration scan=\"true\">\n");
		put(o, "      <appender name=\"JSON\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
		    "        <encoder class=\"net.logstash.logback.encoder.LogstashEncoder\"/>\n"
		    "      </appender>\n");
		for (i = 0; i < lines; i++)
			put(o, "      <logger name=\"com.example.%s.%s%d.%s\" level=\"%s\" additivity=\"false\"/>\n",
			    s->team, s->word, s->idx, PICK(r, words),
			    PICK(r, ((const char *const[]){ "INFO", "WARN", "DEBUG", "ERROR" })));
		put(o, "      <root level=\"INFO\"><appender-ref ref=\"JSON\"/></root>\n"
		    "    </configuration>\n");
	} else {
		put(o, "  config.toml: %s\n", chance(r, 200) ? ">-" : "|-");
		put(o, "    # rendered by helm; do not edit\n    [server]\n    addr = \":%d\"\n",
		    s->http_port);
		for (i = 0; i < lines; i++) {
			if (i % 8 == 0)
				put(o, "    [%s.%s%d]\n", PICK(r, words), PICK(r, words), i);
			put(o, "    %s_%s = \"%s-%llx\"\n", PICK(r, words),
			    PICK(r, words), PICK(r, externals),
			    (unsigned long long)(rng_next(r) & 0xffffffffULL));
		}
	}
}

static void gen_deployment(struct out *o, struct svc *s)
{
	struct rng *r = &s->r;
	unsigned c = below(r, 100);

	put_deployment(o, s, s->name, c < 55 ? 1 : c < 90 ? 2 : 3);
	put_service(o, s, s->name);
	put_configmap(o, s, s->name);
}

static void gen_hpa(struct out *o, struct svc *s)
{
	struct rng *r = &s->r;

	put(o, "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n"
	    "  name: %s\n  namespace: %s\nspec:\n  scaleTargetRef:\n"
	    "    apiVersion: apps/v1\n    kind: Deployment\n    name: %s\n"
	    "  minReplicas: %d\n  maxReplicas: %d\n  metrics:\n"
	    "    - type: Resource\n      resource:\n        name: cpu\n"
	    "        target: { type: Utilization, averageUtilization: %d }\n",
	    s->name, s->team, s->name, range(r, 2, 4), range(r, 6, 40),
	    range(r, 5, 8) * 10);
	if (chance(r, 500))
		put(o, "  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 300\n"
		    "      policies: [{ type: Percent, value: 10, periodSeconds: 60 }]\n");
}

static void gen_pdb(struct out *o, struct svc *s)
{
	put(o, "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n"
	    "  name: %s\n  namespace: %s\n  labels:\n", s->name, s->team);
	put_labels(o, s, "    ", "server");
	put(o, "spec:\n  maxUnavailable: 1\n"
	    "  selector:\n    matchLabels:\n      app: %s\n", s->name);
}

static void gen_cronjob(struct out *o, struct svc *s)
{
	struct rng *r = &s->r;

	put(o, "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: %s-%s-cleanup\n"
	    "  namespace: %s\nspec:\n  schedule: \"%d %d * * *\"\n"
	    "  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n"
	    "      backoffLimit: 2\n      activeDeadlineSeconds: 3600\n"
	    "      template:\n        spec:\n          restartPolicy: OnFailure\n"
	    "          containers:\n            - name: cleanup\n"
	    "              image: registry.example.com/%s/%s:%d.%d.%d\n"
	    "              command: [\"/app/%s\", \"cleanup\", \"--older-than=%dd\"]\n"
	    "              resources:\n                requests: { cpu: 100m, memory: 256Mi }\n"
	    "                limits: { memory: 256Mi }\n",
	    s->name, s->word, s->team, range(r, 0, 59), range(r, 0, 23),
	    s->team, s->name, s->version[0], s->version[1], s->version[2],
	    s->name, range(r, 7, 90));
}

/* A rendered chart: many workloads in one multi-document stream. */
static void gen_bundle(struct out *o, struct svc *s)
{
	struct rng *r = &s->r;
	char name[64];
	int i, n = range(r, 18, 26);

	put(o, "# Rendered by `helm template %s-umbrella` -- do not edit by hand.\n",
	    s->name);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s-%s-%d", s->name, PICK(r, words), i);
		if (i)
			put(o, "---\n");
		put_deployment(o, s, name, 1 + (int)below(r, 3));
		put_service(o, s, name);
		put_configmap(o, s, name);
	}
}

/* ----------------------------------------------------------------- Istio */

static void gen_virtualservice(struct out *o, struct svc *s)
{
	struct rng *r = &s->r;
	int i, nroutes = range(r, 1, 6), canary = chance(r, 300);
	int bad = s->idx % 600 == 100;	/* not YAML at all */

	put(o, "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\n");
	put(o, "metadata:\n  name: %s\n  namespace: %s\n  labels: { app: %s }\n",
	    s->name, s->team, s->name);
	put(o, "spec:\n  hosts:\n    - %s\n    - %s.%s.svc.cluster.local\n",
	    s->name, s->name, s->team);
	if (bad)	/* an unclosed flow sequence */
		put(o, "  gateways: [mesh\n");
	else if (chance(r, 300))
		put(o, "    - %s.api.example.com\n  gateways: [mesh, istio-ingress/public]\n",
		    s->word);
	else
		put(o, "  gateways: [mesh]\n");
	put(o, "  http:\n");
	for (i = 0; i < nroutes; i++) {
		int last = i == nroutes - 1;
		int timeout = s->route_timeout_ms;
		int attempts = range(r, 1, 3);
		int per_try = timeout / (attempts + 1);

		put(o, "    - name: %s\n", last ? "default" : PICK(r, words));
		if (!last) {
			put(o, "      match:\n        - uri:\n            prefix: /api/v%d/%s\n",
			    range(r, 1, 3), PICK(r, words));
			if (chance(r, 300))
				put(o, "          headers:\n            x-canary: { exact: \"true\" }\n");
			if (chance(r, 200))
				put(o, "          method: { exact: %s }\n",
				    PICK(r, ((const char *const[]){ "GET", "POST", "PUT" })));
		}
		put(o, "      route:\n        - destination:\n            host: %s.%s.svc.cluster.local\n"
		    "            subset: v%d\n            port: { number: 8080 }\n",
		    s->name, s->team, s->version[0] + 1);
		if (canary) {
			put(o, "          weight: 90\n        - destination: { host: %s.%s.svc.cluster.local, subset: canary }\n"
			    "          weight: 10\n", s->name, s->team);
		}
		if (!chance(r, 15)) {	/* timeout/route-missing */
			if (timeout % 1000 == 0)
				put(o, "      timeout: %ds\n", timeout / 1000);
			else
				put(o, "      timeout: %dms\n", timeout);
		}
		if (chance(r, 600)) {
			if (chance(r, 30))	/* timeout/retry-budget */
				per_try = timeout;
			put(o, "      retries:\n        attempts: %d\n        perTryTimeout: %dms\n"
			    "        retryOn: \"5xx,reset,connect-failure,retriable-4xx\"\n",
			    attempts, per_try);
		}
		if (chance(r, 150))
			put(o, "      fault:\n        delay:\n          percentage: { value: 0.1 }\n"
			    "          fixedDelay: 5s\n");
		if (chance(r, 200))
			put(o, "      headers:\n        request:\n          set: { x-route: %s }\n",
			    s->word);
	}
}

/* connectTimeout stays below route_ms / 2 when there is a route (> 0) */
static void put_traffic_policy(struct out *o, struct rng *r, const char *ind,
			       int route_ms)
{
	int mistake = chance(r, 40) ? range(r, 1, 3) : 0;
	int connect = range(r, 1, 10) * 100;

	if (route_ms > 0 && connect >= route_ms / 2)
		connect = route_ms / 2 / 50 * 50 > 0 ? route_ms / 2 / 50 * 50 : 50;
	put(o, "%strafficPolicy:\n", ind);
	put(o, "%s  connectionPool:\n%s    tcp: { maxConnections: %d, connectTimeout: %dms }\n",
	    ind, ind, range(r, 1, 20) * 50, connect);
	put(o, "%s    http:\n%s      http1MaxPendingRequests: %d\n"
	    "%s      maxRequestsPerConnection: %d\n%s      idleTimeout: 60s\n",
	    ind, ind, range(r, 1, 16) * 16, ind, range(r, 0, 100), ind);
	if (mistake == 1)	/* cb/outlier-missing */
		return;
	put(o, "%s  outlierDetection:\n", ind);
	put(o, "%s    consecutive5xxErrors: %d\n", ind, mistake == 2 ? 0 : range(r, 3, 10));
	if (chance(r, 500))
		put(o, "%s    consecutiveGatewayErrors: %d\n", ind, mistake == 2 ? 0 : range(r, 2, 5));
	put(o, "%s    interval: %ds\n%s    baseEjectionTime: %ds\n", ind,
	    range(r, 1, 6) * 5, ind, range(r, 1, 6) * 15);
	put(o, "%s    maxEjectionPercent: %d\n", ind, mistake == 3 ? 100 : range(r, 2, 5) * 10);
}

static void gen_destinationrule(struct out *o, struct svc *s)
{
	struct rng *r = &s->r;
	int i;

	put(o, "apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\n");
	put(o, "metadata:\n  name: %s\n  namespace: %s\n", s->name, s->team);
	put(o, "spec:\n  host: %s.%s.svc.cluster.local\n", s->name, s->team);
	put_traffic_policy(o, r, "  ", s->route_timeout_ms);
	put(o, "  subsets:\n    - name: v%d\n      labels: { version: v%d }\n",
	    s->version[0] + 1, s->version[0] + 1);
	if (chance(r, 300))
		put(o, "    - name: canary\n      labels:\n        version: canary\n");
	/* DestinationRules for the targets this service calls (and the replica) */
	for (i = 0; i <= s->ntargets; i++) {
		char host[40];

		if (i == s->ntargets && s->replica < 0)
			break;
		if (i == s->ntargets)
			snprintf(host, sizeof(host), "%s-replica",
				 s->t[s->replica].name);
		else
			snprintf(host, sizeof(host), "%s", s->t[i].name);
		if (chance(r, 50))	/* cb/missing, unless resilience4j has one */
			continue;
		put(o, "---\napiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\n");
		put(o, "metadata:\n  name: %s-%s\n  namespace: %s\n", s->name,
		    host, s->team);
		if (i < s->ntargets && s->t[i].internal)	/* short name */
			put(o, "spec:\n  host: %s\n  exportTo: [\".\"]\n", host);
		else
			put(o, "spec:\n  host: %s.%s.svc.cluster.local\n  exportTo: [\".\"]\n",
			    host, s->team);
		put_traffic_policy(o, r, "  ",
				   i < s->ntargets && s->t[i].internal ? 500 : 0);
	}
}

/* ----------------------------------------------------------- Spring Boot */

static void put_duration_ms(struct out *o, int ms)
{
	if (ms % 1000 == 0)
		put(o, "%ds", ms / 1000);
	else
		put(o, "%dms", ms);
}

static void gen_application(struct out *o, struct svc *s)
{
	struct rng *r = &s->r;
	char incl[256];
	int i, mistake = chance(r, 40) ? range(r, 1, 5) : 0;
	int dup_server = chance(r, 5);	/* yaml/duplicate-key */
	int sql = 0;

	put(o, "# %s: Spring Boot configuration (profile-independent defaults)\n",
	    s->name);
	put(o, "spring:\n  application:\n    name: %s\n", s->name);
	put(o, "  lifecycle:\n    timeout-per-shutdown-phase: 20s\n");
	for (i = 0; i < s->ntargets; i++) {
		const char *n = s->t[i].name;

		if ((!strcmp(n, "mysql") || !strcmp(n, "postgres")) && !sql++)
			put(o, "  datasource:\n    url: jdbc:%s://%s.%s.svc:%d/%s\n"
			    "    username: ${DB_USER}\n    password: ${DB_PASSWORD}\n"
			    "    hikari:\n      maximum-pool-size: %d\n      connection-timeout: %d\n"
			    "      validation-timeout: 1000\n",
			    !strcmp(n, "mysql") ? "mysql" : "postgresql", n, s->team,
			    !strcmp(n, "mysql") ? 3306 : 5432, s->word,
			    range(r, 5, 40), s->t[i].max);
		else if (!strcmp(n, "redis"))
			put(o, "  data:\n    redis:\n      host: redis.%s.svc\n      port: 6379\n"
			    "      timeout: %dms\n      lettuce:\n        pool: { max-active: %d, max-idle: 8 }\n",
			    s->team, s->t[i].base, range(r, 8, 64));
		else if (!strcmp(n, "kafka"))
			put(o, "  kafka:\n    bootstrap-servers: kafka-0.kafka:9092,kafka-1.kafka:9092\n"
			    "    consumer:\n      group-id: %s\n      auto-offset-reset: earliest\n"
			    "    producer:\n      acks: all\n      properties:\n"
			    "        delivery.timeout.ms: %d\n", s->name, s->t[i].max * 4);
	}
	put(o, "server:\n  port: %d\n  shutdown: graceful\n", s->http_port);
	put(o, "  tomcat:\n    threads: { max: %d, min-spare: 10 }\n    connection-timeout: 5s\n",
	    range(r, 4, 40) * 10);
	put(o, "management:\n  server:\n    port: %d\n", s->mgmt_port);
	put(o, "  endpoints:\n    web:\n      exposure:\n        include: health,info,prometheus\n");
	put(o, "  endpoint:\n    health:\n      show-details: never\n      probes:\n"
	    "        enabled: %s\n", mistake == 1 ? "false" : "true");
	join_targets(s, incl, sizeof(incl), mistake == 2 && s->ntargets > 1 ? 0 : -1);
	put(o, "      group:\n        readiness:\n          include: readinessState,%s\n"
	    "        liveness:\n          include: livenessState\n", incl);
	put(o, "  metrics:\n    tags:\n      application: ${spring.application.name}\n"
	    "    distribution:\n      percentiles-histogram:\n        http.server.requests: true\n");
	if (dup_server)
		put(o, "server:\n  port: %d\n", s->http_port + 1);

	put(o, "resilience4j:\n  circuitbreaker:\n    configs:\n");
	put(o, "      default: &cb-default\n        slidingWindowType: COUNT_BASED\n"
	    "        slidingWindowSize: %d\n        minimumNumberOfCalls: %d\n"
	    "        failureRateThreshold: %d\n        slowCallRateThreshold: %d\n"
	    "        slowCallDurationThreshold: 2s\n        waitDurationInOpenState: %ds\n"
	    "        permittedNumberOfCallsInHalfOpenState: %d\n"
	    "        automaticTransitionFromOpenToHalfOpenEnabled: true\n"
	    "        recordExceptions:\n",
	    range(r, 2, 10) * 10, range(r, 1, 2) * 10, range(r, 4, 6) * 10,
	    range(r, 6, 10) * 10, range(r, 1, 6) * 10, range(r, 2, 10));
	for (i = 0; i < 3; i++)
		put(o, "          - %s\n", java_exceptions[(s->idx + i) % 6]);
	put(o, "        ignoreExceptions:\n          - com.example.%s.BusinessException\n",
	    s->team);
	put(o, "      slow-backend:\n        <<: *cb-default\n        slowCallDurationThreshold: 5s\n"
	    "        slidingWindowType: TIME_BASED\n        slidingWindowSize: 60\n");
	put(o, "    instances:\n");
	for (i = 0; i < s->ntargets; i++) {
		const struct target *t = &s->t[i];

		if (i == 0 && mistake == 3)	/* cb/missing */
			continue;
		switch (below(r, 4)) {
		case 0:
			put(o, "      %s:\n        baseConfig: default\n", t->name);
			break;
		case 1:
			put(o, "      %s:\n        <<: *cb-default\n        failureRateThreshold: %d\n",
			    t->name, i == 0 && mistake == 4 ? 0 : range(r, 3, 7) * 10);
			break;
		case 2:
			put(o, "      %s:\n        baseConfig: slow-backend\n"
			    "        waitDurationInOpenState: %s\n", t->name,
			    i == 0 && mistake == 4 ? "0s" : "20s");
			break;
		default:
			put(o, "      %s:\n        slidingWindowType: COUNT_BASED\n"
			    "        slidingWindowSize: %d\n        minimumNumberOfCalls: %d\n"
			    "        failureRateThreshold: 50\n        waitDurationInOpenState: 30s\n"
			    "        permittedNumberOfCallsInHalfOpenState: %d\n",
			    t->name, i == 0 && mistake == 4 ? 10 : 100,
			    i == 0 && mistake == 4 ? 20 : 50, range(r, 1, 5));
			break;
		}
		if (chance(r, 200))
			put(o, "        registerHealthIndicator: true\n        eventConsumerBufferSize: 10\n");
	}
	if (s->replica >= 0)
		put(o, "      %s-replica:\n        baseConfig: default\n",
		    s->t[s->replica].name);
	put(o, "  timelimiter:\n    configs:\n      default:\n        timeoutDuration: 2s\n"
	    "        cancelRunningFuture: true\n    instances:\n");
	for (i = 0; i < s->ntargets; i++) {
		/* a retried call is limited per try, within [base, max] */
		int ms = s->t[i].attempts ? s->t[i].base : s->t[i].max;

		if (i == 0 && mistake == 5)	/* cb/r4j-timelimiter */
			ms = s->t[i].max * 3;
		put(o, "      %s:\n        timeoutDuration: ", s->t[i].name);
		put_duration_ms(o, ms);
		put(o, "\n");
	}
	put(o, "  retry:\n    instances:\n");
	for (i = 0; i < s->ntargets; i++) {
		if (!s->t[i].attempts)
			continue;
		put(o, "      %s:\n        maxAttempts: %d\n        waitDuration: %dms\n"
		    "        enableExponentialBackoff: true\n        exponentialBackoffMultiplier: 2\n"
		    "        retryExceptions: [%s, %s]\n",
		    s->t[i].name, s->t[i].max / s->t[i].base > 1 ?
		    s->t[i].max / s->t[i].base : 1, range(r, 5, 50) * 10,
		    java_exceptions[0], java_exceptions[1]);
	}
	put(o, "  bulkhead:\n    instances:\n      %s: { maxConcurrentCalls: %d, maxWaitDuration: 10ms }\n",
	    s->t[0].name, range(r, 2, 20) * 5);
	put(o, "logging:\n  level:\n    root: INFO\n    com.example.%s: %s\n"
	    "    org.springframework.web: WARN\n    io.github.resilience4j: INFO\n",
	    s->team, chance(r, 200) ? "DEBUG" : "INFO");
	if (chance(r, 350)) {
		put(o, "---\nspring:\n  config:\n    activate:\n      on-profile: local\n");
		put(o, "server:\n  port: %d\nlogging:\n  level:\n    root: DEBUG\n",
		    s->http_port + 10);
	}
}

static void gen_application_prod(struct out *o, struct svc *s)
{
	struct rng *r = &s->r;
	int i;

	put(o, "# overrides for the prod profile\nspring:\n  config:\n    activate:\n"
	    "      on-profile: prod\n");
	put(o, "resilience4j:\n  circuitbreaker:\n    instances:\n");
	for (i = 0; i < s->ntargets; i++)
		put(o, "      %s: { failureRateThreshold: %d, waitDurationInOpenState: %ds }\n",
		    s->t[i].name, range(r, 3, 6) * 10, range(r, 1, 6) * 10);
	put(o, "logging:\n  level:\n    root: WARN\n");
}

/* Go services: their own config, same facts. */
static void gen_go_config(struct out *o, struct svc *s)
{
	struct rng *r = &s->r;
	int i;

	put(o, "# %s runtime configuration\nlisten: \":%d\"\n", s->name, s->http_port);
	put(o, "shutdownGrace: %ds\nlog:\n  level: info\n  format: json\n",
	    range(r, 5, 30));
	put(o, "defaults: &client-defaults\n  keepAlive: 30s\n  maxIdleConns: %d\n"
	    "  breaker: { failures: 5, window: 60s, cooldown: 30s }\n",
	    range(r, 2, 20) * 10);
	put(o, "clients:\n");
	for (i = 0; i < s->ntargets; i++) {
		put(o, "  %s:\n    <<: *client-defaults\n    addr: %s.%s.svc:%d\n"
		    "    timeout: %dms\n", s->t[i].name, s->t[i].name, s->team,
		    range(r, 1000, 9999), s->t[i].max);
	}
}

/* --------------------------------------------------------------- driver */

static int gen_service(struct gen *g, uint64_t seed, int idx)
{
	struct svc s;
	struct out *o = &g->buf;
	int extras;

	make_service(&s, seed, idx);
	extras = (int)below(&s.r, 1000);

	gen_timeout(o, &s);
	if (!emit(g, s.name, "timeout.yaml"))
		return 0;
	gen_deployment(o, &s);
	if (!emit(g, s.name, "k8s/deployment.yaml"))
		return 0;
	gen_virtualservice(o, &s);
	if (!emit(g, s.name, "istio/virtualservice.yaml"))
		return 0;
	gen_destinationrule(o, &s);
	if (!emit(g, s.name, "istio/destinationrule.yaml"))
		return 0;
	if (s.java) {
		gen_application(o, &s);
		if (!emit(g, s.name, "src/main/resources/application.yml"))
			return 0;
		if (extras % 3 == 0) {
			gen_application_prod(o, &s);
			if (!emit(g, s.name, "src/main/resources/application-prod.yml"))
				return 0;
		}
	} else {
		gen_go_config(o, &s);
		if (!emit(g, s.name, "config/app.yaml"))
			return 0;
	}
	if (extras % 5 < 2) {
		gen_hpa(o, &s);
		if (!emit(g, s.name, "k8s/hpa.yaml"))
			return 0;
	}
	if (extras % 7 < 2) {
		gen_pdb(o, &s);
		if (!emit(g, s.name, "k8s/pdb.yaml"))
			return 0;
	}
	if (extras % 11 == 0) {
		gen_cronjob(o, &s);
		if (!emit(g, s.name, "k8s/cronjob.yaml"))
			return 0;
	}
	if (extras < 4) {	/* 0.4% of the services ship a rendered bundle */
		gen_bundle(o, &s);
		if (!emit(g, s.name, "k8s/rendered/bundle.yaml"))
			return 0;
	}
	return 1;
}

static int parse_num(const char *s, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return !errno && end != s && !*end && *s != '-';
}

int main(int argc, char **argv)
{
	struct gen g;
	unsigned long long n, seed = 1;
	int idx;

	if (argc < 3 || argc > 4 || !parse_num(argv[2], &n) || n == 0 ||
	    n > 10000000 || (argc == 4 && !parse_num(argv[3], &seed))) {
		fprintf(stderr, "usage: bench-gen OUTDIR NFILES [SEED]\n");
		return 2;
	}
	memset(&g, 0, sizeof(g));
	g.outdir = argv[1];
	g.want = (long)n;
	if (mkdir(g.outdir, 0777) < 0 && errno != EEXIST)
		die(g.outdir);
	for (idx = 1; gen_service(&g, seed, idx); idx++)
		;
	fprintf(stderr, "bench-gen: %ld files, %d services, %llu bytes, seed %llu\n",
		g.written, idx, g.bytes, seed);
	free(g.buf.p);
	return 0;
}

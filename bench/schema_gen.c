/*
 * Generate a repository of N files (default 10 000) for the schema
 * benchmark (bench/schema.sh): services/svcNNNN/ each with a timeout
 * contract, a Kubernetes Deployment with probes, an Istio VirtualService
 * and DestinationRule, and a memory contract, in the proportions of a
 * mesh-heavy monorepo. One file in a hundred carries a mistake, so the
 * error paths are measured too.
 *   schema_gen OUT-DIR [FILES]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void mkdirs(const char *path)
{
	char buf[4096];
	size_t i, n = strlen(path);

	if (n >= sizeof(buf))
		exit(2);
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
			perror(buf);
			exit(1);
		}
		buf[i] = i < n ? '/' : '\0';
	}
}

static FILE *open_file(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	return f;
}

static void timeout_yaml(const char *dir, unsigned i, int bad)
{
	FILE *f = open_file(dir, "timeout.yaml");

	fprintf(f, "service: svc%04u\nhttp:\n  downstream:\n", i);
	fprintf(f, "    redis: { base: %s, multiplier: 1.5, max: 2000 }\n",
		bad ? "\"800ms\"" : "800");
	fprintf(f, "    svc%04u: { base: 300, max: 900, retries: "
		"{ attempts: 2, per_try: 400 } }\n", (i + 1) % 10000);
	fprintf(f, "grpc:\n  downstream:\n    ledger: { base: 150, "
		"multiplier: 2, max: 600 }\n");
	fclose(f);
}

static void deploy_yaml(const char *dir, unsigned i, int bad)
{
	FILE *f = open_file(dir, "deploy.yaml");

	fprintf(f,
		"apiVersion: apps/v1\nkind: Deployment\n"
		"metadata:\n  name: svc%04u\n  labels: { app: svc%04u }\n"
		"spec:\n  replicas: 3\n  template:\n    metadata:\n"
		"      labels: { app: svc%04u }\n    spec:\n"
		"      containers:\n        - name: app\n"
		"          image: registry.example.com/svc%04u:1.%u\n"
		"          ports: [{ name: http, containerPort: 8080 }]\n"
		"          env:\n            - { name: JAVA_OPTS, value: \"-Xmx512m\" }\n"
		"          readinessProbe:\n"
		"            httpGet: { path: \"/health/ready?include=redis,svc%04u,ledger\", port: http }\n"
		"            periodSeconds: %s\n            timeoutSeconds: 3\n"
		"            failureThreshold: 3\n"
		"          livenessProbe:\n"
		"            httpGet: { path: /health/live, port: http }\n"
		"            periodSeconds: 10\n            failureThreshold: 6\n"
		"          startupProbe:\n"
		"            httpGet: { path: /health/live, port: http }\n"
		"            periodSeconds: 5\n            failureThreshold: 60\n",
		i, i, i, i, i % 7, (i + 1) % 10000, bad ? "10s" : "10");
	fclose(f);
}

static void mesh_yaml(const char *dir, unsigned i, int bad)
{
	FILE *f = open_file(dir, "mesh.yaml");

	fprintf(f,
		"apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
		"metadata: { name: svc%04u }\nspec:\n  hosts: [svc%04u]\n"
		"  http:\n    - timeout: %s\n"
		"      retries: { attempts: 2, perTryTimeout: 400ms, retryOn: \"5xx,reset\" }\n"
		"      route: [{ destination: { host: svc%04u, port: { number: 8080 } } }]\n"
		"---\n"
		"apiVersion: networking.istio.io/v1\nkind: DestinationRule\n"
		"metadata: { name: svc%04u }\nspec:\n  host: svc%04u\n"
		"  trafficPolicy:\n"
		"    connectionPool: { tcp: { maxConnections: 100, connectTimeout: 500ms } }\n"
		"    outlierDetection: { consecutive5xxErrors: 5, interval: 10s, "
		"baseEjectionTime: 30s, maxEjectionPercent: 50 }\n",
		i, i, bad ? "2000" : "2s", i, i, i);
	fclose(f);
}

static void memory_yaml(const char *dir, unsigned i, int bad)
{
	FILE *f = open_file(dir, "memory-contract.yaml");

	fprintf(f, "service: svc%04u\nheap: { max_object_refs: %s }\n"
		"off_heap: { max_request_buffer: 4MB }\n"
		"shared_memory: { segment_size: 16Mi }\n", i,
		bad ? "lots" : "85000");
	fclose(f);
}

int main(int argc, char **argv)
{
	unsigned long files = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
	unsigned i, n;
	char dir[4096];

	if (argc < 2 || files < 4) {
		fprintf(stderr, "usage: schema_gen OUT-DIR [FILES]\n");
		return 2;
	}
	n = (unsigned)(files / 4);
	for (i = 0; i < n; i++) {
		int bad = i % 100 == 42;

		snprintf(dir, sizeof(dir), "%s/services/svc%04u", argv[1], i);
		mkdirs(dir);
		timeout_yaml(dir, i, bad);
		deploy_yaml(dir, i, bad);
		mesh_yaml(dir, i, bad);
		memory_yaml(dir, i, bad);
	}
	printf("%u files in %u services under %s\n", n * 4, n, argv[1]);
	return 0;
}

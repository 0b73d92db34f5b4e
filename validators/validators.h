/*
 * Contract validators: one module per contract kind, listed in
 * sr_validators[] (validators.c), the one place to add a kind.
 *
 * How to add a contract kind:
 *  1. write validators/<kind>.c defining
 *     const struct sr_validator sr_validator_<kind> = { ... };
 *  2. declare it below and add one row to sr_validators[];
 *  3. add its rules to rules/<area>/ and fixtures that fire them and
 *     fixtures that must stay silent under fixtures/rules/<area>/.
 */
#ifndef SR_VALIDATORS_H
#define SR_VALIDATORS_H

#include <stdbool.h>
#include <stddef.h>

#include "check/check.h"
#include "doc/doc.h"

struct sr_validator {
	const char *kind;	/* "timeout-contract", ... */
	/*
	 * Is this document of this kind? 'name' is the file's base name,
	 * 'relpath' its path below the root.
	 */
	bool (*detect)(const char *name, const char *relpath,
		       const struct sr_doc *doc);
	/* Check one document and report through sr_emit(). */
	void (*check)(struct sr_ctx *ctx, const struct sr_doc *doc);
	/*
	 * Optional: after every file, check what needs the whole model
	 * and report through sr_emit_late().
	 */
	void (*finish)(const struct sr_check_opts *opts, struct sr_model *m);
	/*
	 * Optional, for files that are not YAML (Java sources, .properties):
	 * does this validator read files with this base name, and check one
	 * such file's UTF-8 text (suppression comments may use '#' or '//').
	 */
	bool (*wants_text)(const char *name);
	void (*check_text)(struct sr_ctx *ctx, const char *text, size_t len);
};

extern const struct sr_validator sr_validator_timeout;
extern const struct sr_validator sr_validator_k8s;	/* workloads, probes */
extern const struct sr_validator sr_validator_mesh;	/* Istio, Gateway API */
extern const struct sr_validator sr_validator_spring;	/* resilience4j */
extern const struct sr_validator sr_validator_java;	/* annotations */

/* NULL-terminated, in the order they run. */
extern const struct sr_validator *const sr_validators[];

#endif

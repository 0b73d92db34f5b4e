/*
 * .srctl.yaml: the repository's srctl configuration. Found by walking up
 * from the first path (or named with --config) and checked strictly:
 * unknown keys and wrong types are errors with file:line.
 */
#ifndef SR_CONFIG_H
#define SR_CONFIG_H

#include <stddef.h>

#include "base/buf.h"
#include "base/pos.h"
#include "report/finding.h"

struct sr_rule_setting {
	char *id;
	enum sr_severity severity;	/* SR_SEV_OFF disables the rule */
	struct sr_pos pos;		/* of the id in the file */
};

/* One 'schemas:' entry: files matching these globs follow that schema. */
struct sr_config_schema {
	char **files;		/* globs, relative to the configuration */
	size_t n_files;
	char *schema;		/* a file relative to it, or a shipped name */
	struct sr_pos pos;	/* of the schema value, for messages */
};

struct sr_config {
	char *path;		/* the file read, or NULL for built-in defaults */
	char *dir;		/* its directory: globs are relative to it */
	char **include;		/* globs; none means everything */
	size_t n_include;
	char **exclude;
	size_t n_exclude;
	struct sr_rule_setting *rules;
	size_t n_rules;
	char *readiness_path;	/* default /health/ready */
	char *liveness_path;	/* default /health/live */
	char **services;	/* the services: registry's names */
	size_t n_services;
	char *services_file;	/* services: naming a registry file, or NULL */
	char **external;	/* external: dependencies outside the repo */
	size_t n_external;
	struct sr_config_schema *schemas;	/* schemas: user schemas */
	size_t n_schemas;
};

/*
 * Load the configuration. With 'explicit_path', read that file (which
 * must exist); otherwise look for .srctl.yaml in 'start' (a file's
 * directory or a directory) and its parents, stopping at the top of a git
 * work tree or the file system root; none found gives the defaults.
 * Returns 0, or SR_EINVALID / SR_ERROR with every problem, one per line
 * as "file:line:col: message", appended to 'errors'.
 */
int sr_config_load(struct sr_config **out, const char *explicit_path,
		   const char *start, struct sr_buf *errors);

/*
 * The severity of rule 'id' after the configuration's overrides, starting
 * from 'dflt'.
 */
enum sr_severity sr_config_severity(const struct sr_config *cfg,
				    const char *id, enum sr_severity dflt);

void sr_config_free(struct sr_config *cfg);

#endif

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
#include "cp/driver.h"
#include "report/finding.h"

struct sr_rule_setting {
	char *id;
	enum sr_severity severity;	/* SR_SEV_OFF disables the rule */
	struct sr_pos pos;		/* of the id in the file */
};

/* deps.ignore: one advisory (or package) not reported, until a date. */
struct sr_deps_ignore {
	char *id;		/* advisory id or alias, or NULL: any */
	char *package;		/* package name, or NULL: any */
	char *reason;		/* or NULL (a warning) */
	char *until;		/* YYYY-MM-DD, or NULL: for good */
	struct sr_pos pos;	/* of the entry in the file */
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
	char *audit_adjustments;	/* audit.adjustments: the control
					   plane's adjustment log, or NULL */
	char **advisories;	/* advisories: OSV files or directories */
	size_t n_advisories;
	struct sr_deps_ignore *deps_ignore;	/* deps.ignore */
	size_t n_deps_ignore;
	char *deps_known_bad;	/* deps.known_bad: a list file, or NULL */
	/* control_planes: (SPEC.md section 8), in file order */
	struct sr_cp_conf *control_planes;
	size_t n_control_planes;
	/* timeout: settings of srctl timeout; paths resolved against dir */
	char *timeout_audit_log;	/* audit_log */
	char *timeout_metrics_file;	/* metrics_file */
	char *timeout_pushgateway;	/* pushgateway: URL */
	char *timeout_control_plane;	/* control_plane: default name */
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

/*
 * Baselines: the findings a repository has accepted for now, so that only
 * new ones fail (SPEC.md section 6). A finding is identified by its rule,
 * its file (relative to the baseline file's directory, so runs on any
 * PATH, or with --staged, from anywhere name it alike) and the JSON
 * pointer of its node in the document -- not its line, so edits elsewhere
 * in the file keep it identified. A finding without a node (a whole-file
 * finding, a Java source) is identified by its message instead. Equal identities are
 * counted, so a second identical violation is new.
 *
 * The file, .srctl-baseline.json by default, is JSON:
 *   {"version":1,"findings":[{"rule":..,"file":..,"path":..|"message":..,
 *    "count":N}, ...]}
 * sorted, written atomically. Owns what it loads.
 */
#ifndef SR_BASELINE_H
#define SR_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "report/finding.h"

#define SR_BASELINE_DEFAULT ".srctl-baseline.json"

struct sr_baseline;

/*
 * Read a baseline file. Returns 0; SR_ERROR when it cannot be read,
 * SR_EPARSE when it is not a baseline, with "file:line:col: message" lines
 * appended to 'errors'.
 */
int sr_baseline_load(struct sr_baseline **out, const char *path,
		     struct sr_buf *errors);

/*
 * The directory a baseline file's names are relative to: the real path of
 * the directory holding 'baseline_path', or NULL (errno set).
 */
char *sr_baseline_dir(const char *baseline_path);

/*
 * The name a baseline gives the file at 'path' (relative to directory
 * 'root' unless absolute): relative to 'dir', or absolute when outside
 * it. No file system access.
 */
char *sr_baseline_key(const char *dir, const char *root, const char *path);

/*
 * Remove from 'list' the findings the baseline holds and count them in
 * list->baselined (list->has_baseline is set). 'keys' are the findings'
 * file names (sr_baseline_key), parallel to list->v. 'checked' says
 * whether a file (by its key) was checked in this run (NULL: all were);
 * entries of checked files that matched nothing are stale.
 */
void sr_baseline_apply(struct sr_baseline *b, struct sr_findings *list,
		       char **keys,
		       bool (*checked)(void *payload, const char *key),
		       void *payload);

/* The stale entries after sr_baseline_apply: i < sr_baseline_nstale. */
size_t sr_baseline_nstale(const struct sr_baseline *b);
void sr_baseline_stale(const struct sr_baseline *b, size_t i,
		       const char **rule, const char **file,
		       const char **where);

void sr_baseline_free(struct sr_baseline *b);

/*
 * Write the findings of 'list' (their file names in 'keys', parallel to
 * list->v) as a baseline to 'path', atomically.
 * Returns 0 or SR_ERROR (message in sr_error_last()).
 */
int sr_baseline_write(const char *path, const struct sr_findings *list,
		      char *const *keys);

#endif

/*
 * Git access through libgit2: the only module that includes <git2.h>.
 */
#ifndef SR_GITX_H
#define SR_GITX_H

#include <stdbool.h>

struct sr_gitx;

/*
 * Open the repository whose work tree contains 'path'. Returns NULL when
 * 'path' is not inside a work tree (not an error).
 */
struct sr_gitx *sr_gitx_open(const char *path);
/* The work tree's top directory, absolute, no trailing '/'. Borrowed. */
const char *sr_gitx_workdir(const struct sr_gitx *g);
/*
 * Is 'abspath' (an absolute path inside the work tree) ignored by the
 * repository's .gitignore files, info/exclude and core.excludesFile?
 */
bool sr_gitx_ignored(struct sr_gitx *g, const char *abspath, bool is_dir);
void sr_gitx_free(struct sr_gitx *g);

/*
 * The git configuration value 'name' ("user.email") as git would read
 * it for the repository at 'path' (or the global configuration outside
 * one); NULL when unset. Caller frees.
 */
char *sr_gitx_config_string(const char *path, const char *name);

#endif

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
/*
 * The top of the work tree containing the absolute directory 'dir', found
 * by looking for a '.git' entry in it and its parents, without starting
 * libgit2 (whose start-up reads the system's CA bundle: tens of ms that
 * commands which only need the top should not pay). NULL when there is
 * none; the caller frees the result.
 */
char *sr_gitx_find_top(const char *dir);
/* The work tree's top directory, absolute, no trailing '/'. Borrowed. */
const char *sr_gitx_workdir(const struct sr_gitx *g);
/*
 * Is 'abspath' (an absolute path inside the work tree) ignored by the
 * repository's .gitignore files, info/exclude and core.excludesFile?
 */
bool sr_gitx_ignored(struct sr_gitx *g, const char *abspath, bool is_dir);
void sr_gitx_free(struct sr_gitx *g);

#endif

/*
 * gitignore-style glob matching for include/exclude patterns: '*' and '?'
 * stop at '/', '**' crosses directories, '[...]' is a character class, a
 * pattern without '/' matches the base name at any depth, a trailing '/'
 * matches only directories, and 'dir/' or 'dir/' followed by '**'
 * matches everything below 'dir'.
 */
#ifndef SR_GLOB_H
#define SR_GLOB_H

#include <stdbool.h>

/* Does 'path' (relative, '/'-separated, no leading "./") match 'pattern'? */
bool sr_glob_match(const char *pattern, const char *path, bool is_dir);

#endif

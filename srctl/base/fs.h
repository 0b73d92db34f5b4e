/*
 * File helpers: bounded whole-file reads and atomic writes.
 */
#ifndef SR_FS_H
#define SR_FS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Read the file at 'path' into a NUL-terminated buffer the caller frees.
 * Returns 0, SR_ETOOLARGE when the file has more than 'limit' bytes (*len
 * then holds the size seen, *out is NULL), or SR_ERROR with the cause in
 * sr_error_last().
 */
int sr_fs_read(char **out, size_t *len, const char *path, size_t limit);

/*
 * Replace 'path' with 'data': write a temporary file beside it, fsync,
 * rename. An interrupted run leaves the old file intact.
 */
int sr_fs_write_atomic(const char *path, const char *data, size_t len);
/*
 * The same, with the fsync only when 'durable': readers still never see a
 * half-written file, but after a crash the old or even an empty file may
 * be there (fine for a file that is rewritten on every run).
 */
int sr_fs_replace(const char *path, const char *data, size_t len,
		  bool durable);

/*
 * Create the directories above 'path' that are missing (mkdir -p of its
 * directory). Returns 0 or SR_ERROR with the cause in sr_error_last().
 */
int sr_fs_make_parents(const char *path);

/*
 * A new temporary file in $TMPDIR (or /tmp), open for reading and writing
 * and already unlinked, so nothing is left behind however the run ends:
 * its descriptor, or -1 (with sr_error_last() set) when none can be made.
 */
int sr_fs_temp(void);

/*
 * Resolve "." and ".." in an absolute '/'-separated path, in place,
 * lexically: no file system access (a staged file may be gone from the
 * work tree, a baseline may name files not there yet).
 */
void sr_fs_normalise(char *p);

#endif

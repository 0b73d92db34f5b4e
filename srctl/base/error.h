/*
 * Error codes and the last-error slot. Functions return 0 on success or a
 * negative SR_E* code; the message for the most recent failure is kept in
 * one static slot (srctl is single-threaded where errors are raised).
 * Set the message where the failure is detected; callers propagate the
 * code without overwriting the message.
 */
#ifndef SR_ERROR_H
#define SR_ERROR_H

#define SR_OK 0
#define SR_ERROR (-1)    /* generic failure */
#define SR_ENOTFOUND (-2) /* a file, key or object that is not there */
#define SR_EPARSE (-3)   /* input that could not be parsed */
#define SR_EINVALID (-4) /* input that parsed but is not acceptable */
#define SR_ENET (-5)     /* a network request failed */
#define SR_ETOOLARGE (-6) /* input over a size limit */

void sr_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last message, "" when none. Borrowed; valid until the next set. */
const char *sr_error_last(void);
void sr_error_clear(void);

#endif

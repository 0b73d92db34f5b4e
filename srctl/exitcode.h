/*
 * srctl's exit codes: the only place they are defined (SPEC.md section 6).
 */
#ifndef SR_EXITCODE_H
#define SR_EXITCODE_H

#define SR_EXIT_OK 0		/* nothing at or above --fail-on */
#define SR_EXIT_FINDINGS 1	/* findings at or above --fail-on */
#define SR_EXIT_USAGE 2		/* bad command line or configuration */
#define SR_EXIT_RUNTIME 3	/* I/O or internal error */
/* srctl timeout (docs/timeout.md "Exit codes") */
#define SR_EXIT_REFUSED 4	/* bounds, cooldown, no contract, no --yes */
#define SR_EXIT_CONFLICT 5	/* the edge changed again after a re-read */
#define SR_EXIT_UNREACHABLE 6	/* control plane down or past --timeout */
#define SR_EXIT_DENIED 7	/* credentials refused, TLS verify failed */

#endif

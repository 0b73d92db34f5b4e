/*
 * srctl's exit codes: the only place they are defined (SPEC.md section 6).
 */
#ifndef SR_EXITCODE_H
#define SR_EXITCODE_H

#define SR_EXIT_OK 0		/* nothing at or above --fail-on */
#define SR_EXIT_FINDINGS 1	/* findings at or above --fail-on */
#define SR_EXIT_USAGE 2		/* bad command line or configuration */
#define SR_EXIT_RUNTIME 3	/* I/O or internal error */

#endif

/*
 * The arithmetic of srctl timeout adjust (SPEC.md section 8), kept apart
 * from I/O so it can be tested exhaustively: the new value of an edge for
 * a mode, always inside the contract's [base, max], and the refusals.
 */
#ifndef SR_ADJUST_PLAN_H
#define SR_ADJUST_PLAN_H

#include "base/buf.h"

enum sr_adjust_mode {
	SR_MODE_DYNAMIC,	/* clamp(from x multiplier, base, max) */
	SR_MODE_RESET,		/* base */
	SR_MODE_SET		/* an explicit value inside [base, max] */
};

struct sr_adjust_in {
	enum sr_adjust_mode mode;
	long long base, max;	/* the contract, ms */
	double multiplier;
	const char *where;	/* the contract's file:line:col */
	long long current;	/* the live value (base when none) */
	long long observed;	/* observed p99 ms, 0: step from current */
	long long value;	/* for SR_MODE_SET */
};

#define SR_PLAN_OK 0
#define SR_PLAN_REFUSED 1	/* outside the bounds; 'why' names one */
#define SR_PLAN_UNCHANGED 2	/* the edge already has the value */

/*
 * Compute *out for 'in'. Returns SR_PLAN_OK, SR_PLAN_REFUSED (with a
 * message naming the bound in 'why') or SR_PLAN_UNCHANGED. 'how' gets a
 * short account of the arithmetic ("800 ms x 1.5 = 1200 ms").
 */
int sr_adjust_plan(const struct sr_adjust_in *in, long long *out,
		   struct sr_buf *how, struct sr_buf *why);

/* Parse "--mode" text. */
int sr_adjust_mode_parse(const char *s, enum sr_adjust_mode *out);
const char *sr_adjust_mode_name(enum sr_adjust_mode m);

#endif

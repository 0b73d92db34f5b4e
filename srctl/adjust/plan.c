#include "adjust/plan.h"

#include <math.h>
#include <string.h>

#include "base/banned.h"

int sr_adjust_mode_parse(const char *s, enum sr_adjust_mode *out)
{
	if (!strcmp(s, "dynamic"))
		*out = SR_MODE_DYNAMIC;
	else if (!strcmp(s, "reset"))
		*out = SR_MODE_RESET;
	else if (!strcmp(s, "set"))
		*out = SR_MODE_SET;
	else
		return -1;
	return 0;
}

const char *sr_adjust_mode_name(enum sr_adjust_mode m)
{
	switch (m) {
	case SR_MODE_DYNAMIC: return "dynamic";
	case SR_MODE_RESET: return "reset";
	case SR_MODE_SET: return "set";
	}
	return "?";
}

int sr_adjust_plan(const struct sr_adjust_in *in, long long *out,
		   struct sr_buf *how, struct sr_buf *why)
{
	long long v;

	switch (in->mode) {
	case SR_MODE_RESET:
		v = in->base;
		sr_buf_addf(how, "reset to base %lld ms", in->base);
		break;
	case SR_MODE_SET:
		if (in->value < in->base) {
			sr_buf_addf(why, "%lld ms is below the contract's base "
				    "%lld ms (%s)", in->value, in->base,
				    in->where);
			return SR_PLAN_REFUSED;
		}
		if (in->value > in->max) {
			sr_buf_addf(why, "%lld ms is above the contract's max "
				    "%lld ms (%s)", in->value, in->max,
				    in->where);
			return SR_PLAN_REFUSED;
		}
		v = in->value;
		sr_buf_addf(how, "set to %lld ms", v);
		break;
	case SR_MODE_DYNAMIC:
	default: {
		long long from = in->observed > 0 ? in->observed : in->current;
		/* ceil: a step must never round below what was asked */
		double want = ceil((double)from * in->multiplier - 1e-9);

		if (in->observed <= 0 && in->current >= in->max) {
			sr_buf_addf(why, "the live value %lld ms is already at "
				    "the contract's max %lld ms (%s); dynamic "
				    "cannot raise it further", in->current,
				    in->max, in->where);
			return SR_PLAN_REFUSED;
		}
		v = want > (double)in->max ? in->max
		    : want < (double)in->base ? in->base : (long long)want;
		sr_buf_addf(how, "%s %lld ms x %g = %.0f ms",
			    in->observed > 0 ? "observed p99" : "live",
			    from, in->multiplier, want);
		if (v == in->max && want > (double)in->max)
			sr_buf_addf(how, ", clamped to max %lld ms", in->max);
		else if (v == in->base && want < (double)in->base)
			sr_buf_addf(how, ", raised to base %lld ms", in->base);
		break;
	}
	}
	*out = v;
	return v == in->current ? SR_PLAN_UNCHANGED : SR_PLAN_OK;
}

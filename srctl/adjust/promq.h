/*
 * A Prometheus instant query (GET /api/v1/query) for the observed p99
 * that `srctl timeout adjust --mode dynamic --prometheus URL --query Q`
 * steps from. The query must return one sample (a one-element vector or
 * a scalar); anything else is an error naming what came back.
 */
#ifndef SR_ADJUST_PROMQ_H
#define SR_ADJUST_PROMQ_H

#include "base/buf.h"

/*
 * Run 'query' against the Prometheus at 'url'; *out gets the sample
 * value as Prometheus returned it (for histogram_quantile over
 * *_seconds_bucket that is seconds). Returns an SR_CP_* code with the
 * cause in 'err'.
 */
int sr_promq_instant(double *out, const char *url, const char *query,
		     long timeout_ms, struct sr_buf *err);

#endif

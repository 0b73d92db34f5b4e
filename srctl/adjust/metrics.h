/*
 * Prometheus metrics of srctl timeout, as a textfile-collector file
 * (node_exporter --collector.textfile) kept across runs:
 *   sre_timeout_adjustment_count_total{service,target,outcome}  counter
 *   sre_timeout_current_ms{service,target}                     gauge
 * Updated under an flock and replaced atomically (temp + fsync + rename);
 * the same text can be pushed to a Pushgateway.
 */
#ifndef SR_ADJUST_METRICS_H
#define SR_ADJUST_METRICS_H

#include "base/buf.h"

/*
 * Count one attempt with 'outcome' and, when current_ms >= 0, set the
 * edge's gauge; write 'path'. The whole new file is left in 'text' (may
 * be NULL) for a push. Returns 0 or SR_ERROR with the cause in 'err'.
 */
int sr_metrics_update(const char *path, const char *service,
		      const char *target, const char *outcome,
		      long long current_ms, struct sr_buf *text,
		      struct sr_buf *err);

/*
 * PUT 'text' to <url>/metrics/job/srctl (replacing srctl's group).
 * Returns an SR_CP_* code with the cause in 'err'.
 */
int sr_metrics_push(const char *url, const char *text, long timeout_ms,
		    struct sr_buf *err);

#endif

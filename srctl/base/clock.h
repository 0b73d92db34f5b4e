/*
 * A monotonic clock in milliseconds, for deadlines and timeouts (never
 * for dates: see cp/ for wall-clock times).
 */
#ifndef SR_CLOCK_H
#define SR_CLOCK_H

long long sr_monotonic_ms(void);

#endif

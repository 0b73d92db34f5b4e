/*
 * Duration strings as people write them in configuration: Go/Istio style
 * ("800ms", "2s", "1m30s", "1.5h", "250us", "10ns") and ISO-8601 as
 * Spring reads it ("PT5S", "PT0.5S", "P1DT2H"). Used to say what a
 * wrongly written value means in milliseconds.
 */
#ifndef SR_DURATION_H
#define SR_DURATION_H

#include <stdbool.h>

/* Parse 's' into milliseconds (may be fractional). False if not a duration. */
bool sr_duration_parse_ms(const char *s, double *ms);

#endif

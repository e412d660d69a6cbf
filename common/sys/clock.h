/*
 * clock.h - the one clock every measurement uses: CLOCK_MONOTONIC, which
 * never jumps when the wall clock is set, in seconds as a double.
 */
#ifndef TVP_CLOCK_H
#define TVP_CLOCK_H

#include <time.h>

double clock_now(void);
double clock_resolution(void);
/* an absolute CLOCK_MONOTONIC deadline `s` seconds from now */
struct timespec clock_deadline(double s);
/* sleep until an absolute CLOCK_MONOTONIC deadline, resuming after signals */
void clock_sleep_until(const struct timespec *deadline);

#endif

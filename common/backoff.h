/*
 * backoff.h - what a thread that can only poll does between two looks.
 *
 * Used where there is nothing to sleep on: the lock-free ring (common/
 * spsc.c), whose whole point is to need no lock and no system call, and
 * OpenMP, which has locks but no condition variables. Spin briefly (the
 * other side is usually on another core and about to act), then give the
 * CPU away, so a poller sharing a core with the thread it waits for lets
 * that thread run instead of burning its time slice.
 */
#ifndef TVP_BACKOFF_H
#define TVP_BACKOFF_H

#include <sched.h>

#define BACKOFF_SPINS 64

static inline void backoff(unsigned *spins)
{
	if (++*spins < BACKOFF_SPINS)
		return;
	*spins = 0;
	sched_yield();
}

#endif

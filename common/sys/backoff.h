/*
 * backoff.h - what a thread that can only poll does between two looks.
 *
 * Used where there is nothing to sleep on: the lock-free ring (common/
 * spsc.c), whose whole point is to need no lock and no system call, and
 * OpenMP, which has locks but no condition variables. Spin first: the
 * other side is usually on another core and about to act, and a ring that
 * is briefly empty or full is the common case when both sides run at the
 * same speed, so giving the CPU away then (a system call, and on a loaded
 * machine a lost time slice) would cost far more than the wait. Every
 * BACKOFF_SPINS looks the poller yields once: by then the other side is
 * probably not running (on a loaded machine it waits for a CPU), and a
 * poller sharing its core must let it run.
 * No `pause` instruction between looks: under virtualisation a pause loop
 * makes the hypervisor take the CPU away (pause-loop exiting), and on the
 * VM tvp was measured on it made the ring 2-3 times slower.
 */
#ifndef TVP_BACKOFF_H
#define TVP_BACKOFF_H

#include <sched.h>

/* a few microseconds of looks: many cache-line trips */
#define BACKOFF_SPINS 1024

static inline void backoff(unsigned *spins)
{
	if (++*spins % BACKOFF_SPINS == 0)
		sched_yield();
}

#endif

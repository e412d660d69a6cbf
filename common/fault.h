/*
 * fault.h - test-only fault injection, inert unless TVP_FAULT is set.
 *
 * TVP_FAULT=POINT:WORKER arms the fault point named POINT in worker number
 * WORKER only, e.g. TVP_FAULT=counter-lock:1 (processes' counter mutex:
 * worker 1 kills itself while it holds the lock). Tests set it to make a
 * failure happen at an exact place instead of hoping for one; the points
 * are listed in tests/README.md. Read once per worker, never in a loop.
 */
#ifndef TVP_FAULT_H
#define TVP_FAULT_H

/* 1 when TVP_FAULT names this point and this worker, else 0 */
int fault_armed(const char *point, int worker);

#endif

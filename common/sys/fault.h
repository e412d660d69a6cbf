/*
 * fault.h - fault injection for the tests: make a worker die, hang or
 * fail, make thread or process creation or an allocation fail, on purpose.
 *
 * Compiled in, inert unless the driver was started with TVP_FAULT set
 * (grammar in tests/README.md), e.g.
 *
 *	TVP_FAULT=kill:worker=1,backend=processes tvp run squares -w 2
 *
 * A fault *point* is one call at a place where something can go wrong:
 * threads/team.c and processes/team.c call it in every worker before
 * its body and before creating each worker, shm_alloc() before every
 * allocation; so every workload run through team_run() or proc_team_run()
 * gets those points for free. An OpenMP file calls it once at the top of
 * its parallel region; code that holds a shared lock may call it with
 * FAULT_LOCKED to die holding it. Adding a site is one enum value and one
 * line in the site table of fault.c.
 */
#ifndef TVP_FAULT_H
#define TVP_FAULT_H

#include <stddef.h>

#include "tvp.h"

enum fault_site {
	FAULT_WORKER,	/* a worker, before its body */
	FAULT_CREATE,	/* before pthread_create() / fork() of a worker */
	FAULT_ALLOC,	/* before each shm_alloc() of a cell */
	FAULT_LOCKED,	/* a worker inside a critical section, lock held */
};

/*
 * Take the fault from `spec` (TVP_FAULT's value; NULL or "" for none).
 * 0, or -1 with err saying what was wrong. Call it before any thread or
 * child exists: the spec is read, never written, once set.
 */
int fault_set(const char *spec, char *err, size_t len);

/* The runner, once after fork: the cell that FAULT_ALLOC points belong to. */
void fault_enter(const struct cell *c);

/*
 * A fault point: c is the cell being run (NULL: the one fault_enter()
 * named), worker the worker's index (-1 where none). Returns 0 to carry
 * on, or an errno value the caller must treat as the result of the call it
 * guards (EAGAIN from pthread_create). Faults that kill, abort, stall or
 * exit do so here and never return.
 */
int fault_point(const struct cell *c, enum fault_site site, int worker);

/* a spec is set (TVP_FAULT) */
int fault_armed(void);

/*
 * Whether the spec fired anywhere in this run, runners and workers
 * included; fault_mark_fired() is for code that sees a fault fire where
 * fault_point() cannot (an MPI rank, a Python worker: other programs).
 */
int fault_fired(void);
void fault_mark_fired(void);

/* where fault_mark_fired() also leaves a file, if set (mpi/launch.c) */
#define FAULT_MARK_ENV "TVP_FAULT_MARK"

/*
 * For a fault that another program carries out (python/tvp_ref.py): if
 * the spec is for cell c at site, 1 with "ACTION:WORKER:STATUS" in buf.
 */
int fault_describe(const struct cell *c, enum fault_site site, char *buf,
		   size_t len);

/* the spec's worker=K */
int fault_worker(void);

#endif

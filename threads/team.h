/*
 * threads/team.h - start W POSIX threads on one function and join them all.
 */
#ifndef TVP_THREADS_TEAM_H
#define TVP_THREADS_TEAM_H

#include "tvp.h"

/* a worker's body: 0 on success, or -1 (it may cell_fail() to say why) */
typedef int (*team_fn)(void *arg, int id);

/* run fn(arg, 0..c->workers-1) on c->workers threads; 0 or -1 (c->error set) */
int team_run(struct cell *c, team_fn fn, void *arg);

/*
 * The same, for workers that wait for each other (a producer for its
 * consumer): if a thread cannot be created, stop(arg) must make the ones
 * already started return, before they are joined.
 */
typedef void (*team_stop_fn)(void *arg);
int team_run_stop(struct cell *c, team_fn fn, void *arg, team_stop_fn stop);

#endif

/*
 * team.h - start W POSIX threads on one function and join them all.
 */
#ifndef TVP_THREADS_TEAM_H
#define TVP_THREADS_TEAM_H

#include "tvp.h"

/* a worker's body: 0 on success, or -1 (it may cell_fail() to say why) */
typedef int (*team_fn)(void *arg, int id);

/* run fn(arg, 0..c->workers-1) on c->workers threads; 0 or -1 (c->error set) */
int team_run(struct cell *c, team_fn fn, void *arg);

#endif

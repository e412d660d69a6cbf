/*
 * processes/team.h - fork W worker processes on one function and reap them all.
 */
#ifndef TVP_PROCESSES_TEAM_H
#define TVP_PROCESSES_TEAM_H

#include "tvp.h"

/* a worker's body, run in a child: 0 on success, or -1 */
typedef int (*proc_team_fn)(void *arg, int id);

/*
 * Run fn(arg, 0..c->workers-1) in c->workers forked children and wait for
 * them. If any child fails or dies, its siblings are killed (they may be
 * blocked on it forever) and c->error names the worker and the signal or
 * status. 0 or -1.
 */
int proc_team_run(struct cell *c, proc_team_fn fn, void *arg);

#endif

/*
 * processes/processes.h - the fork + shared memory back end: its run
 * functions, one per workload (or variant), declared once for the table in
 * processes/backend.c and the workload files that define them, and its own
 * knobs (`tvp run --mutex robust`), indexes into c->be_param.
 */
#ifndef TVP_PROCESSES_PROCESSES_H
#define TVP_PROCESSES_PROCESSES_H

#include "tvp.h"

/* processes' parameters, in the order of backend_processes.params */
enum processes_param { PROC_MUTEX };
/* --mutex: the process-shared mutex of counter's mutex variant */
enum processes_mutex { PROC_MUTEX_SHARED, PROC_MUTEX_ROBUST };

int processes_squares_run(struct cell *c);
int processes_counter_run(struct cell *c);
int processes_prodcons_run(struct cell *c);
int processes_prodcons_pipe_run(struct cell *c);
int processes_prodcons_spsc_run(struct cell *c);
int processes_prodcons_tutorial_run(struct cell *c);
int processes_fetch_run(struct cell *c);
int processes_spawn_run(struct cell *c);
int processes_spawn_exec_run(struct cell *c);
int processes_spawn_fork_minimal_run(struct cell *c);
int processes_hello_run(struct cell *c);

#endif

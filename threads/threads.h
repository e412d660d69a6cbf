/*
 * threads/threads.h - the POSIX threads back end's run functions, one per
 * workload (or variant), declared once: threads/backend.c puts them in its
 * table and each workload file includes this, so the compiler checks every
 * definition against run_fn.
 */
#ifndef TVP_THREADS_THREADS_H
#define TVP_THREADS_THREADS_H

#include "tvp.h"

/* threads' parameters, in the order of backend_threads.params */
enum threads_param { THR_MUTEX };
/* --mutex: the kind of counter's mutex (see threads/backend.c) */
enum threads_mutex { THR_MUTEX_PRIVATE, THR_MUTEX_SHARED, THR_MUTEX_ROBUST };

int threads_squares_run(struct cell *c);
int threads_counter_run(struct cell *c);
int threads_prodcons_run(struct cell *c);
int threads_prodcons_spsc_run(struct cell *c);
int threads_prodcons_tutorial_run(struct cell *c);
int threads_fetch_run(struct cell *c);
int threads_spawn_run(struct cell *c);
int threads_hello_run(struct cell *c);
int threads_monitor_run(struct cell *c);

#endif

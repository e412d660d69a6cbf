/*
 * openmp/openmp.h - the OpenMP back end: its run functions, one per
 * workload, declared once for the table in openmp/backend.c and the
 * workload files that define them, and its own knobs (`tvp run --schedule
 * dynamic`, `--lock omp-lock`), indexes into c->be_param.
 */
#ifndef TVP_OPENMP_OPENMP_H
#define TVP_OPENMP_OPENMP_H

#include "tvp.h"

/* openmp's parameters, in the order of backend_openmp.params */
enum openmp_param { OPENMP_SCHEDULE, OPENMP_LOCK };
/* --schedule: how squares' `omp for` deals out its iterations */
enum openmp_schedule { OPENMP_STATIC, OPENMP_DYNAMIC, OPENMP_GUIDED };
/* --lock: counter's mutex variant, a critical section or an omp_lock_t */
enum openmp_lock { OPENMP_CRITICAL, OPENMP_OMP_LOCK };

int openmp_squares_run(struct cell *c);
int openmp_counter_run(struct cell *c);
int openmp_prodcons_run(struct cell *c);
int openmp_fetch_run(struct cell *c);
int openmp_spawn_run(struct cell *c);
int openmp_hello_run(struct cell *c);

#endif

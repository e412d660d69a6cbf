/*
 * bridge.h - one repetition of a cell run by CPython: python/tvp_ref.py in
 * a child process, its results read back over a pipe.
 */
#ifndef TVP_PYTHON_BRIDGE_H
#define TVP_PYTHON_BRIDGE_H

#include <stdint.h>
#include <stdio.h>

#include "tvp.h"

/* take `bytes` of results from `in` into c->state; 0, or -1 with c->error set */
typedef int (*py_take_fn)(struct cell *c, FILE *in, uint64_t bytes);

/*
 * Run the script on this cell: the workload, variant, workers, size, seed
 * and every parameter; the model is the back end's name after "python-".
 * `take` reads the results into the workload's state, where verify() will
 * judge them; c->self_timed_s becomes the script's own timed section.
 * 0, or -1 with c->error set.
 */
int py_run(struct cell *c, py_take_fn take);
/* the same, with `extra` ("name=value", NULL-terminated) passed as more
 * --param options: what only the running cell knows, e.g. a server's URL */
int py_run_extra(struct cell *c, py_take_fn take, const char *const *extra);

/* NULL when python3 and the script are there, else why not */
const char *py_unavailable(void);

#endif

/*
 * trace.h - the per-task timeline CSV that --trace FILE appends to, one
 * format for every workload that has one (fetch, hello), so that
 * `tvp plot --trace` reads them all:
 *
 *   backend,workers,run,task,worker,start_s,end_s,status
 *
 * start_s and end_s are seconds since the run's start; status is the
 * workload's outcome code for the task (fetch: an HTTP status; hello: 0).
 */
#ifndef TVP_TRACE_H
#define TVP_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include "tvp.h"

#define TRACE_HEADER "backend,workers,run,task,worker,start_s,end_s,status"

/* path "none": *out = NULL and 0; else the file, opened to append; -errno */
int trace_open(const char *path, FILE **out);
/* one task's row; `run` counts the cell's repetitions from 1 */
void trace_row(FILE *f, const struct cell *c, uint64_t run, uint64_t task,
	       int worker, double start_s, double end_s, int status);

#endif

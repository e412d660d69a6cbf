/*
 * python/python.h - the CPython back ends' run functions, one per workload,
 * declared once for the table in python/backend.c (shared by
 * python-sequential, python-threads and python-processes) and the workload
 * files that define them.
 */
#ifndef TVP_PYTHON_PYTHON_H
#define TVP_PYTHON_PYTHON_H

#include "tvp.h"

int python_squares_run(struct cell *c);
int python_counter_run(struct cell *c);
int python_prodcons_run(struct cell *c);
int python_fetch_run(struct cell *c);

#endif

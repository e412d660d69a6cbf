/*
 * openmp/backend.c - the OpenMP back end: one table, one line per workload
 * this model runs.
 */
#include "tvp.h"

int openmp_squares_run(struct cell *c);
int openmp_counter_run(struct cell *c);
int openmp_prodcons_run(struct cell *c);
int openmp_fetch_run(struct cell *c);
int openmp_spawn_run(struct cell *c);

static const struct backend_entry openmp_entries[] = {
	{ "squares", openmp_squares_run, NULL },
	{ "counter", openmp_counter_run, NULL },
	{ "prodcons", openmp_prodcons_run, VARIANTS("locked") },
	{ "fetch", openmp_fetch_run, NULL },
	{ "spawn", openmp_spawn_run, VARIANTS("start") },
	{ 0 },
};

const struct backend backend_openmp = {
	.name = "openmp",
	.summary = "OpenMP pragmas: the compiler and runtime make the team",
	.max_workers = MAX_WORKERS,
	.entries = openmp_entries,
};

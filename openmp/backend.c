/*
 * openmp/backend.c - the OpenMP back end: one table, one line per workload
 * this model runs.
 */
#include "openmp/openmp.h"

/* knobs of this model alone: the workloads know nothing of them */
static const struct param_def openmp_params[] = {
	[OPENMP_SCHEDULE] = { "schedule", PARAM_CHOICE, "static",
			      "how squares' omp for deals out its loop (static: blocks, as threads and processes do)",
			      0, 0, "static|dynamic|guided" },
	[OPENMP_LOCK] = { "lock", PARAM_CHOICE, "critical",
			  "the lock of counter's mutex variant: omp critical, or an omp_lock_t",
			  0, 0, "critical|omp-lock" },
	{ 0 },
};

static const struct backend_entry openmp_entries[] = {
	{ &workload_squares, openmp_squares_run, NULL },
	{ &workload_counter, openmp_counter_run, NULL },
	{ &workload_prodcons, openmp_prodcons_run, VARIANTS("locked") },
	{ &workload_fetch, openmp_fetch_run, NULL },
	{ &workload_spawn, openmp_spawn_run, VARIANTS("start") },
	{ &workload_hello, openmp_hello_run, NULL },
	{ 0 },
};

const struct backend backend_openmp = {
	.name = "openmp",
	.summary = "OpenMP pragmas: the compiler and runtime make the team",
	.max_workers = MAX_WORKERS,
	.entries = openmp_entries,
	.params = openmp_params,
};

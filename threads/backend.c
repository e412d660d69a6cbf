/*
 * threads/backend.c - the POSIX threads back end: one table, one line per
 * workload this model runs.
 */
#include "threads/threads.h"

/*
 * Knobs of this model alone. Threads need only a private mutex, the
 * default; shared and robust are the processes' kinds, between threads:
 * `-b threads,processes --mutex shared` compares the same mutex in both
 * models, so what is left between the rows is the model's.
 */
static const struct param_def threads_params[] = {
	[THR_MUTEX] = { "mutex", PARAM_CHOICE, "private",
			"the mutex of counter's mutex variant: private (PTHREAD_PROCESS_PRIVATE, all that threads need), shared (PTHREAD_PROCESS_SHARED, the processes' kind) or robust (shared and robust)",
			0, 0, "private|shared|robust" },
	{ 0 },
};

static const struct backend_entry threads_entries[] = {
	{ &workload_squares, threads_squares_run, NULL },
	{ &workload_counter, threads_counter_run, NULL },
	{ &workload_prodcons, threads_prodcons_run, VARIANTS("locked") },
	{ &workload_prodcons, threads_prodcons_spsc_run, VARIANTS("spsc") },
	{ &workload_prodcons, threads_prodcons_tutorial_run, VARIANTS("tutorial") },
	{ &workload_fetch, threads_fetch_run, NULL },
	{ &workload_spawn, threads_spawn_run, VARIANTS("start") },
	{ &workload_hello, threads_hello_run, NULL },
	{ &workload_monitor, threads_monitor_run, NULL },
	{ 0 },
};

const struct backend backend_threads = {
	.name = "threads",
	.summary = "POSIX threads: one address space, pthread_create/join",
	.max_workers = MAX_WORKERS,
	.entries = threads_entries,
	.params = threads_params,
};

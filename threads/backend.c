/*
 * threads/backend.c - the POSIX threads back end: one table, one line per
 * workload this model runs.
 */
#include "threads/threads.h"

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
};

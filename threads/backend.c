/*
 * threads/backend.c - the POSIX threads back end: one table, one line per
 * workload this model runs.
 */
#include "tvp.h"

int threads_squares_run(struct cell *c);
int threads_counter_run(struct cell *c);
int threads_prodcons_run(struct cell *c);
int threads_prodcons_spsc_run(struct cell *c);
int threads_fetch_run(struct cell *c);
int threads_spawn_run(struct cell *c);

static const struct backend_entry threads_entries[] = {
	{ "squares", threads_squares_run, NULL },
	{ "counter", threads_counter_run,
	  VARIANTS("unsynchronised", "mutex", "atomic", "sharded", "sharded-unpadded") },
	{ "prodcons", threads_prodcons_run, VARIANTS("locked") },
	{ "prodcons", threads_prodcons_spsc_run, VARIANTS("spsc") },
	{ "fetch", threads_fetch_run, NULL },
	{ "spawn", threads_spawn_run, VARIANTS("start") },
	{ 0 },
};

const struct backend backend_threads = {
	.name = "threads",
	.summary = "POSIX threads: one address space, pthread_create/join",
	.max_workers = MAX_WORKERS,
	.entries = threads_entries,
};

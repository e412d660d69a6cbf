/*
 * threads/backend.c - the POSIX threads back end: one table, one line per
 * workload this model runs.
 */
#include "tvp.h"

int threads_squares_run(struct cell *c);
int threads_counter_run(struct cell *c);
int threads_spawn_run(struct cell *c);

/* every counter variant but OpenMP's own omp-lock */
static const char *const counter_variants[] = {
	"unsynchronised", "mutex", "atomic", "sharded", "sharded-unpadded", NULL,
};
static const char *const spawn_start[] = { "start", NULL };

static const struct backend_entry threads_entries[] = {
	{ "squares", threads_squares_run, NULL },
	{ "counter", threads_counter_run, counter_variants },
	{ "spawn", threads_spawn_run, spawn_start },
	{ 0 },
};

const struct backend backend_threads = {
	.name = "threads",
	.summary = "POSIX threads: one address space, pthread_create/join",
	.max_workers = MAX_WORKERS,
	.entries = threads_entries,
};

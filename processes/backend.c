/*
 * processes/backend.c - the fork + shared memory back end: one table, one
 * line per workload this model runs.
 */
#include "tvp.h"

int processes_squares_run(struct cell *c);
int processes_counter_run(struct cell *c);
int processes_spawn_run(struct cell *c);
int processes_spawn_exec_run(struct cell *c);

/* every counter variant but OpenMP's own omp-lock */
static const char *const counter_variants[] = {
	"unsynchronised", "mutex", "atomic", "sharded", "sharded-unpadded", NULL,
};
static const char *const spawn_start[] = { "start", NULL };
static const char *const spawn_exec[] = { "exec", NULL };

static const struct backend_entry processes_entries[] = {
	{ "squares", processes_squares_run, NULL },
	{ "counter", processes_counter_run, counter_variants },
	{ "spawn", processes_spawn_run, spawn_start },
	{ "spawn", processes_spawn_exec_run, spawn_exec },
	{ 0 },
};

const struct backend backend_processes = {
	.name = "processes",
	.summary = "fork() workers sharing anonymous MAP_SHARED memory",
	.max_workers = MAX_WORKERS,
	.entries = processes_entries,
};

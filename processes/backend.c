/*
 * processes/backend.c - the fork + shared memory back end: one table, one
 * line per workload this model runs.
 */
#include "tvp.h"

int processes_squares_run(struct cell *c);
int processes_counter_run(struct cell *c);
int processes_prodcons_run(struct cell *c);
int processes_prodcons_pipe_run(struct cell *c);
int processes_prodcons_spsc_run(struct cell *c);
int processes_fetch_run(struct cell *c);
int processes_spawn_run(struct cell *c);
int processes_spawn_exec_run(struct cell *c);

static const struct backend_entry processes_entries[] = {
	{ "squares", processes_squares_run, NULL },
	{ "counter", processes_counter_run,
	  VARIANTS("unsynchronised", "mutex", "atomic", "sharded", "sharded-unpadded") },
	{ "prodcons", processes_prodcons_run, VARIANTS("locked") },
	{ "prodcons", processes_prodcons_pipe_run, VARIANTS("pipe") },
	{ "prodcons", processes_prodcons_spsc_run, VARIANTS("spsc") },
	{ "fetch", processes_fetch_run, NULL },
	{ "spawn", processes_spawn_run, VARIANTS("start") },
	{ "spawn", processes_spawn_exec_run, VARIANTS("exec") },
	{ 0 },
};

const struct backend backend_processes = {
	.name = "processes",
	.summary = "fork() workers sharing anonymous MAP_SHARED memory",
	.max_workers = MAX_WORKERS,
	.entries = processes_entries,
};

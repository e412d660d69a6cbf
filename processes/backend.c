/*
 * processes/backend.c - the fork + shared memory back end: one table, one
 * line per workload this model runs.
 */
#include "tvp.h"

int processes_squares_run(struct cell *c);
int processes_prodcons_run(struct cell *c);
int processes_prodcons_pipe_run(struct cell *c);
int processes_prodcons_spsc_run(struct cell *c);

static const char *const processes_prodcons_variants[] = { "locked", NULL };
static const char *const processes_prodcons_pipe_variants[] = { "pipe", NULL };
static const char *const processes_prodcons_spsc_variants[] = { "spsc", NULL };

static const struct backend_entry processes_entries[] = {
	{ "squares", processes_squares_run, NULL },
	{ "prodcons", processes_prodcons_run, processes_prodcons_variants },
	{ "prodcons", processes_prodcons_pipe_run, processes_prodcons_pipe_variants },
	{ "prodcons", processes_prodcons_spsc_run, processes_prodcons_spsc_variants },
	{ 0 },
};

const struct backend backend_processes = {
	.name = "processes",
	.summary = "fork() workers sharing anonymous MAP_SHARED memory",
	.max_workers = MAX_WORKERS,
	.entries = processes_entries,
};

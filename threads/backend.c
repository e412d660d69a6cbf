/*
 * threads/backend.c - the POSIX threads back end: one table, one line per
 * workload this model runs.
 */
#include "tvp.h"

int threads_squares_run(struct cell *c);
int threads_prodcons_run(struct cell *c);
int threads_prodcons_spsc_run(struct cell *c);

static const char *const threads_prodcons_variants[] = { "locked", NULL };
static const char *const threads_prodcons_spsc_variants[] = { "spsc", NULL };

static const struct backend_entry threads_entries[] = {
	{ "squares", threads_squares_run, NULL },
	{ "prodcons", threads_prodcons_run, threads_prodcons_variants },
	{ "prodcons", threads_prodcons_spsc_run, threads_prodcons_spsc_variants },
	{ 0 },
};

const struct backend backend_threads = {
	.name = "threads",
	.summary = "POSIX threads: one address space, pthread_create/join",
	.max_workers = MAX_WORKERS,
	.entries = threads_entries,
};

/*
 * sequential.c - the reference back end: the workload's own sequential run,
 * one worker, no synchronisation. Every speedup is measured against it.
 */
#include "tvp.h"

static int sequential_run(struct cell *c)
{
	return c->wl->reference(c);
}

static const struct backend_entry sequential_entries[] = {
	{ "*", sequential_run, NULL },	/* every workload has a reference */
	{ 0 },
};

const struct backend backend_sequential = {
	.name = "sequential",
	.summary = "one worker, a plain loop: the reference for speedup",
	.max_workers = 1,
	.entries = sequential_entries,
};

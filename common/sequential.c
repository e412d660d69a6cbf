/*
 * sequential.c - the reference back end: the workload's own sequential run,
 * one worker, no synchronisation. Every speedup is measured against it.
 */
#include "sys/fault.h"
#include "tvp.h"

static int sequential_run(struct cell *c)
{
	fault_point(c, FAULT_WORKER, 0);	/* tests: the one worker */
	return c->wl->reference(c);
}

static const struct backend_entry sequential_entries[] = {
	{ NULL, sequential_run, NULL },	/* every workload has a reference */
	{ 0 },
};

const struct backend backend_sequential = {
	.name = "sequential",
	.summary = "one worker, a plain loop: the reference for speedup",
	.max_workers = 1,
	.entries = sequential_entries,
};

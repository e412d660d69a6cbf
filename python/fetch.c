/*
 * python/fetch.c - fetch run by CPython (python/tvp_ref.py: the tutorial's
 * ThreadPoolExecutor or ProcessPoolExecutor, as_completed, and a
 * try/except around each future.result()). Over --source http the script
 * downloads with urllib from the server this cell started on 127.0.0.1.
 * Every collected future comes back in completion order: its task, times,
 * status and the bytes it received, whose checksum is taken here exactly
 * as fetch_task_run() takes a C worker's, so the C verify() checks every
 * task against its closed form.
 * Compare: threads/fetch.c (the same pool without a GIL).
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "python/bridge.h"
#include "python/python.h"

/* one collected future, as the script packs it ("=QddiiiiQ") */
struct py_completion {
	uint64_t task;
	double start, end;	/* CLOCK_MONOTONIC seconds, like the C workers' */
	int32_t worker, status, error, pad;
	uint64_t bytes;		/* payload bytes that follow */
};

_Static_assert(sizeof(struct py_completion) == 48, "the script packs 48 bytes");

static int fetch_take_one(struct cell *c, FILE *in, char *buf, uint64_t *left)
{
	struct fetch *f = c->state;
	struct py_completion r;
	struct fetch_task *t;

	if (*left < sizeof(r) || fread(&r, sizeof(r), 1, in) != 1)
		return -1;
	*left -= sizeof(r);
	if (r.task >= f->n || r.bytes > f->bytes || r.bytes > *left) {
		cell_fail(c, "python: completion of task %" PRIu64 " of %" PRIu64
			  " with %" PRIu64 " bytes", r.task, f->n, r.bytes);
		return -1;
	}
	if (fread(buf, 1, r.bytes, in) != r.bytes)
		return -1;
	*left -= r.bytes;
	t = &f->task[r.task];
	t->start = r.start;
	t->end = r.end;
	t->worker = r.worker;
	t->status = r.status;
	t->bytes = (uint32_t)r.bytes;
	t->checksum = fetch_checksum(buf, r.bytes);
	atomic_fetch_add(&t->runs, 1);
	/* the script's as_completed order is the order the stream holds */
	fetch_collect(f, r.task, r.error, (int64_t)r.bytes);
	return 0;
}

static int fetch_take(struct cell *c, FILE *in, uint64_t bytes)
{
	struct fetch *f = c->state;
	char *buf = malloc(f->bytes ? f->bytes : 1);
	uint64_t count = 0, left = bytes, k;

	if (!buf || left < sizeof(f->t0) + sizeof(count) ||
	    fread(&f->t0, sizeof(f->t0), 1, in) != 1 ||
	    fread(&count, sizeof(count), 1, in) != 1)
		count = UINT64_MAX;
	left -= count == UINT64_MAX ? 0 : sizeof(f->t0) + sizeof(count);
	for (k = 0; k < count && count != UINT64_MAX; k++)
		if (fetch_take_one(c, in, buf, &left))
			break;
	free(buf);
	if (k == count && left == 0)
		return 0;
	if (!c->error[0])
		cell_fail(c, "python's completions end early or run long");
	return -1;
}

int python_fetch_run(struct cell *c)
{
	struct fetch *f = c->state;
	char url[sizeof(f->base_url) + 8];
	const char *const extra[] = { url, NULL };

	snprintf(url, sizeof(url), "url=%s", f->base_url);
	/* the pool starts inside the script's timed section: no separate figure */
	f->pool_start_s = -1;
	return py_run_extra(c, fetch_take, extra);
}

/*
 * mpi/programs/fetch.c - fetch with a manager rank and worker ranks.
 *
 * The pool is MPI's classic manager/worker: rank 0 is the manager (the
 * caller of the tutorial's executor), ranks 1..W are the W workers, so
 * mpirun starts W + 1 ranks. The manager gives each worker one task, then
 * receives results from MPI_ANY_SOURCE: whichever worker finishes first is
 * heard first, which is as_completed. Each answer is collected (a failed
 * download is an outcome, not an error) and its worker gets the next task,
 * or a stop message once none is left. Workers are set up before the clock,
 * as an executor made in advance would be.
 * With --source http every worker rank runs its own server on 127.0.0.1,
 * which is the only loopback address it can reach when it runs on another
 * host. Ranks never write --trace: tvp writes it from what rank 0 sends.
 * Note: Open MPI waits for messages by polling, so a rank waiting for its
 * next task burns a core; fetch's CPU/wall shows it.
 * Compare: threads/fetch.c, processes/fetch.c, openmp/fetch.c.
 */
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "mpi/programs/rank.h"

enum { TAG_TASK = 1, TAG_STOP, TAG_DONE };

/* a worker's answer: which task, the record it wrote, what the future holds */
struct fetch_done {
	uint64_t id;
	int64_t result;
	int32_t error;
	struct fetch_task task;
};

static void fetch_setup(struct cell *c, int rank, struct rank_out *out)
{
	struct fetch *f;
	int rc;

	c->workers--;			/* rank 0 manages, the others fetch */
	c->param[FE_TRACE].s = "none";
	rc = c->wl->setup(c);
	if (rc)
		rank_fail("setup: %s", strerror(-rc));
	f = c->state;
	c->wl->reset(c);
	if (rank > 0 && (rc = fetch_worker_init(f, rank - 1)) != 0)
		rank_fail("worker set-up: %s", strerror(-rc));
	if (rank == 0) {
		rank_out_add(out, f->task, f->n * sizeof(*f->task));
		rank_out_add(out, &f->t0, sizeof(f->t0));
	}
}

static void fetch_send(uint64_t id, int worker, int tag)
{
	MPI_Send(&id, 1, MPI_UINT64_T, worker, tag, MPI_COMM_WORLD);
}

/* the manager: submit, then take each result as it completes */
static void fetch_manager(struct cell *c)
{
	struct fetch *f = c->state;
	struct fetch_done d;
	MPI_Status st;
	uint64_t next = 0;

	fetch_clock_start(c, -1);	/* the detail's times count from here */
	for (int w = 1; w <= c->workers; w++, next += next < f->n)
		fetch_send(next, w, next < f->n ? TAG_TASK : TAG_STOP);
	for (uint64_t done = 0; done < f->n; done++) {
		MPI_Recv(&d, (int)sizeof(d), MPI_BYTE, MPI_ANY_SOURCE, TAG_DONE,
			 MPI_COMM_WORLD, &st);
		memcpy(&f->task[d.id], &d.task, sizeof(d.task));
		fetch_collect(f, d.id, d.error, d.result);
		fetch_send(next, st.MPI_SOURCE, next < f->n ? TAG_TASK : TAG_STOP);
		next += next < f->n;
	}
}

static void fetch_worker(struct cell *c, int id)
{
	struct fetch *f = c->state;
	struct fetch_done d;
	MPI_Status st;

	for (;;) {
		MPI_Recv(&d.id, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
		if (st.MPI_TAG == TAG_STOP)
			return;
		d.error = fetch_task_run(&f->job[d.id], id, &d.result);
		memcpy(&d.task, &f->task[d.id], sizeof(d.task));
		MPI_Send(&d, (int)sizeof(d), MPI_BYTE, 0, TAG_DONE, MPI_COMM_WORLD);
	}
}

static void fetch_run(struct cell *c, int rank)
{
	if (rank == 0)
		fetch_manager(c);
	else
		fetch_worker(c, rank - 1);
}

static void fetch_teardown(struct cell *c)
{
	int rank;

	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	if (rank > 0)
		fetch_worker_fini(c->state, rank - 1);
	c->wl->teardown(c);
}

RANK_PROGRAM(fetch, .setup = fetch_setup, .run = fetch_run,
	     .teardown = fetch_teardown);

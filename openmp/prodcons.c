/*
 * openmp/prodcons.c - producers and consumers as the threads of one
 * OpenMP parallel region, around a queue guarded by an omp_lock_t
 * (openmp/queue.c).
 *
 * Thread numbers 0..P-1 produce, the rest consume; the last producer
 * closes the queue; a consumer gets until the queue says it is closed and
 * empty (-EPIPE). The producer and consumer are threads/prodcons.c's,
 * line for line.
 *
 * Where OpenMP is the wrong tool: it has locks but no condition
 * variables, so a thread that finds the queue full or empty cannot sleep
 * until it changes; it can only let go of the lock and look again
 * (oq_put and oq_get poll, with common/sys/backoff.h's spin-then-yield).
 * With a core per thread that costs little; with more threads than cores
 * the pollers steal time from the very threads they wait for. OpenMP is
 * made for teams that share out work on data, not for threads that wait
 * for each other; `#pragma omp task` with depend clauses is its way to
 * pipeline, and it has no bounded buffer at all. The region also needs
 * exactly P + C threads: if the runtime gives fewer (OMP_THREAD_LIMIT,
 * omp_set_dynamic), a missing consumer would leave producers waiting, so
 * the region checks and refuses instead.
 * Compare: threads/prodcons.c, processes/prodcons.c.
 */
#include <errno.h>
#include <omp.h>
#include <string.h>

#include "openmp/openmp.h"
#include "openmp/queue.h"
#include "prodcons.h"
#include "sys/fault.h"

struct pc_run {
	struct cell *c;
	struct prodcons *s;
	struct oq *q;
};

/* ---- locked: the bounded buffer, polled -------------------------------- */

/* a worker that cannot go on closes the queue: nobody waits for it */
static int prodcons_abort(struct pc_run *r, const char *who, int k,
			  const char *call, int rc)
{
	oq_close(r->q);
	if (rc != -EPIPE)	/* -EPIPE: closed by a worker that failed first */
		cell_fail(r->c, "%s %d: %s: %s", who, k, call, strerror(-rc));
	return -1;
}

/* producer k's items, in order, into the queue; 0 or -1 */
static int prodcons_put_all(struct pc_run *r, int k)
{
	uint64_t count = prodcons_items_of(r->s, k);
	uint64_t item[PC_MAX_ITEM_WORDS];
	int rc;

	for (uint64_t seq = 0; seq < count; seq++) {
		prodcons_make(r->s, k, seq, item);
		rc = oq_put(r->q, item);
		if (rc)
			return prodcons_abort(r, "producer", k, "oq_put", rc);
	}
	return 0;
}

static int prodcons_producer(struct pc_run *r, int k)
{
	if (prodcons_put_all(r, k))
		return -1;
	if (prodcons_producer_done(r->s))
		oq_close(r->q);	/* the last one out ends the stream */
	return 0;
}

static int prodcons_consumer(struct pc_run *r, int k)
{
	uint64_t item[PC_MAX_ITEM_WORDS];
	struct pc_tallies t = prodcons_tally_begin(r->s, k);
	int rc;

	while ((rc = oq_get(r->q, item)) == 0)
		prodcons_tally(&t, item);
	prodcons_tally_end(t);
	if (rc == -EPIPE)	/* closed and drained: the normal end */
		return 0;
	return prodcons_abort(r, "consumer", k, "oq_get", rc);
}

static int prodcons_worker(void *arg, int id)
{
	struct pc_run *r = arg;

	if (id < r->s->producers)
		return prodcons_producer(r, id);
	return prodcons_consumer(r, id - r->s->producers);
}

/*
 * The team: one thread per producer and consumer, or none at all. A
 * region smaller than P + C would leave producers waiting on a consumer
 * that never runs, so every thread checks the team's size first.
 */
static int prodcons_team(struct pc_run *r)
{
	int team = r->s->producers + r->s->consumers, got = team, failed = 0;

	omp_set_dynamic(0);
#pragma omp parallel num_threads(team)
	{
		int id = omp_get_thread_num(), size = omp_get_num_threads();

		fault_point(r->c, FAULT_WORKER, id);	/* tests */
		if (size != team) {
#pragma omp atomic write
			got = size;
		} else if (prodcons_worker(r, id) != 0) {
#pragma omp atomic write
			failed = 1;
		}
	}
	if (got != team) {
		cell_fail(r->c,
			  "OpenMP gave %d threads, prodcons needs P + C = %d",
			  got, team);
		return -1;
	}
	return failed ? -1 : 0;
}

/* the queue for one run, and a team of producers and consumers on it */
static int prodcons_on_queue(struct cell *c)
{
	struct pc_run r = { .c = c, .s = c->state };
	int rc;

	r.q = oq_create(r.s->capacity, r.s->item_size);
	if (!r.q) {
		cell_fail(c, "oq_create: %s", strerror(errno));
		return -1;
	}
	rc = prodcons_team(&r);
	oq_destroy(r.q);
	return rc;
}

int openmp_prodcons_run(struct cell *c)
{
	return prodcons_on_queue(c);
}

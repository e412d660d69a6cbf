/*
 * threads/prodcons.c - producers and consumers as POSIX threads.
 *
 * variant locked: the textbook bounded buffer (threads/queue.c: one mutex,
 *   not_full and not_empty). A producer puts its items; the last producer
 *   to finish closes the queue; a consumer gets until the queue says it is
 *   closed and empty (-EPIPE). Nobody polls: a thread with nothing to do
 *   sleeps in pthread_cond_wait, and close wakes them all to leave.
 * variant tutorial: the Python tutorial's loop over the same queue: a
 *   consumer leaves when get() times out, marks each item with
 *   task_done(), and join() waits until every item is marked.
 * variant spsc: one producer, one consumer, a lock-free ring (common/
 *   spsc.c): no mutex and, while items flow, no system call: two indexes
 *   with acquire/release; an empty or full ring is polled.
 * Threads share the address space, so the queue is an ordinary allocation
 * and an item is handed over by copying it into a slot.
 * Compare: processes/prodcons.c (the same loops across fork(), and a
 * pipe), openmp/prodcons.c (a queue that can only be polled).
 */
#include <errno.h>
#include <string.h>

#include "prodcons.h"
#include "sys/spsc.h"
#include "threads/queue.h"
#include "threads/team.h"
#include "threads/threads.h"

struct pc_run {
	struct cell *c;
	struct prodcons *s;
	struct tq *q;
};

/* ---- locked: the bounded buffer ---------------------------------------- */

/* a worker that cannot go on closes the queue: nobody waits for it */
static int prodcons_abort(struct pc_run *r, const char *who, int k,
			  const char *call, int rc)
{
	tq_close(r->q);
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
		rc = tq_put(r->q, item);
		if (rc)
			return prodcons_abort(r, "producer", k, "tq_put", rc);
	}
	return 0;
}

static int prodcons_producer(struct pc_run *r, int k)
{
	if (prodcons_put_all(r, k))
		return -1;
	if (prodcons_producer_done(r->s))
		tq_close(r->q);	/* the last one out ends the stream */
	return 0;
}

static int prodcons_consumer(struct pc_run *r, int k)
{
	uint64_t item[PC_MAX_ITEM_WORDS];
	struct pc_tallies t = prodcons_tally_begin(r->s, k);
	int rc;

	while ((rc = tq_get(r->q, item)) == 0)
		prodcons_tally(&t, item);
	prodcons_tally_end(t);
	if (rc == -EPIPE)	/* closed and drained: the normal end */
		return 0;
	return prodcons_abort(r, "consumer", k, "tq_get", rc);
}

static int prodcons_worker(void *arg, int id)
{
	struct pc_run *r = arg;

	if (id < r->s->producers)
		return prodcons_producer(r, id);
	return prodcons_consumer(r, id - r->s->producers);
}

/* a worker could not be started: nobody may wait for it */
static void prodcons_stop(void *arg)
{
	struct pc_run *r = arg;

	tq_close(r->q);
}

/* the queue for one run, and a team of producers and consumers on it */
static int prodcons_on_queue(struct cell *c, team_fn worker)
{
	struct pc_run r = { .c = c, .s = c->state };
	int rc;

	r.q = tq_create(r.s->capacity, r.s->item_size);
	if (!r.q) {
		cell_fail(c, "tq_create: %s", strerror(errno));
		return -1;
	}
	rc = team_run_stop(c, worker, &r, prodcons_stop);
	tq_destroy(r.q);
	return rc;
}

int threads_prodcons_run(struct cell *c)
{
	return prodcons_on_queue(c, prodcons_worker);
}

/* ---- tutorial: get with a timeout, task_done, join --------------------- */

/*
 * The tutorial's producer, and then its main(): in Python the main thread
 * joins the producers and calls q.join(). Here every worker is one of the
 * team, so the last producer to finish (all others have finished: the
 * producers are joined) does main's part and waits in join() for the
 * consumers' last task_done(). The queue is never closed.
 */
static int tutorial_producer(struct pc_run *r, int k)
{
	int rc;

	if (prodcons_put_all(r, k))
		return -1;
	if (!prodcons_producer_done(r->s))
		return 0;
	rc = tq_join(r->q);	/* q.join(): every item put is done */
	if (rc)
		return prodcons_abort(r, "producer", k, "tq_join", rc);
	prodcons_joined(r->s);
	return 0;
}

/*
 * The tutorial's consumer: get with a timeout, and on queue.Empty leave.
 * One guard the tutorial leaves out: a timeout while a producer is still
 * at work means only that it is slow (a busy machine can stall it for
 * longer than any timeout), and leaving then would strand its items and
 * the join; so a consumer leaves on a timeout once every producer is done.
 */
static int tutorial_consumer(struct pc_run *r, int k)
{
	uint64_t item[PC_MAX_ITEM_WORDS];
	int rc;

	for (;;) {
		rc = tq_get_timeout(r->q, item, r->s->get_timeout_s);
		if (rc == -ETIMEDOUT && atomic_load(&r->s->producers_left) == 0)
			return 0;	/* except queue.Empty: break */
		if (rc == -ETIMEDOUT)
			continue;
		if (rc)
			return prodcons_abort(r, "consumer", k, "tq_get_timeout", rc);
		prodcons_consume(r->s, k, item);
		prodcons_task_done(r->s, item);	/* the record, then the queue */
		tq_task_done(r->q);
	}
}

static int tutorial_worker(void *arg, int id)
{
	struct pc_run *r = arg;

	if (id < r->s->producers)
		return tutorial_producer(r, id);
	return tutorial_consumer(r, id - r->s->producers);
}

int threads_prodcons_tutorial_run(struct cell *c)
{
	return prodcons_on_queue(c, tutorial_worker);
}

/* ---- spsc: one producer, one consumer, no lock ------------------------- */

int threads_prodcons_spsc_run(struct cell *c)
{
	struct pc_spsc r = { .c = c, .s = c->state };
	int rc;

	r.ring = prodcons_spsc_create(&r);
	if (!r.ring)
		return -1;
	rc = team_run_stop(c, prodcons_spsc_worker, &r, prodcons_spsc_stop);
	spsc_destroy(r.ring);
	return rc;
}

/*
 * threads/prodcons.c - producers and consumers as POSIX threads.
 *
 * variant locked: the textbook bounded buffer (threads/queue.c: one mutex,
 *   not_full and not_empty). A producer puts its items; the last producer
 *   to finish closes the queue; a consumer gets until the queue says it is
 *   closed and empty (-EPIPE). Nobody polls: a thread with nothing to do
 *   sleeps in pthread_cond_wait, and close wakes them all to leave.
 * variant spsc: one producer, one consumer, a lock-free ring (common/
 *   spsc.c): no mutex and, while items flow, no system call: two indexes
 *   with acquire/release; an empty or full ring is polled.
 * Threads share the address space, so the queue is an ordinary allocation
 * and an item is handed over by copying it into a slot.
 * Compare: processes/prodcons.c (the same loops across fork(), and a
 * pipe), openmp/prodcons.c (a ring that can only be polled).
 */
#include <errno.h>
#include <string.h>

#include "prodcons.h"
#include "queue.h"
#include "spsc.h"
#include "team.h"

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

static int prodcons_producer(struct pc_run *r, int k)
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
	if (prodcons_producer_done(r->s))
		tq_close(r->q);	/* the last one out ends the stream */
	return 0;
}

static int prodcons_consumer(struct pc_run *r, int k)
{
	uint64_t item[PC_MAX_ITEM_WORDS];
	int rc;

	while ((rc = tq_get(r->q, item)) == 0)
		prodcons_consume(r->s, k, item);
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

int threads_prodcons_run(struct cell *c)
{
	struct pc_run r = { .c = c, .s = c->state };
	int rc;

	r.q = tq_create(r.s->capacity, r.s->item_size);
	if (!r.q) {
		cell_fail(c, "tq_create: %s", strerror(errno));
		return -1;
	}
	rc = team_run(c, prodcons_worker, &r);
	tq_destroy(r.q);
	return rc;
}

/* ---- spsc: one producer, one consumer, no lock ------------------------- */

int threads_prodcons_spsc_run(struct cell *c)
{
	struct pc_spsc r = { .c = c, .s = c->state };
	int rc;

	r.ring = prodcons_spsc_create(&r);
	if (!r.ring)
		return -1;
	rc = team_run(c, prodcons_spsc_worker, &r);
	spsc_destroy(r.ring);
	return rc;
}

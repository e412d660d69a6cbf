/*
 * openmp/prodcons.c - producers and consumers as the threads of one
 * OpenMP parallel region, around a ring guarded by an omp_lock_t.
 *
 * Thread numbers 0..P-1 produce, the rest consume; the last producer
 * marks the ring closed; a consumer leaves when it finds it closed and
 * empty. The shape is threads/prodcons.c's.
 *
 * Where OpenMP is the wrong tool: it has locks but no condition
 * variables, so a thread that finds the ring full or empty cannot sleep
 * until it changes; it can only let go of the lock and look again
 * (ring_put and ring_get poll, with common/backoff.h's spin-then-yield).
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
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"
#include "prodcons.h"
#include "ring.h"

struct omp_ring {
	omp_lock_t lock;	/* guards every field below */
	uint64_t put, got;	/* items in the ring: put - got */
	int closed;
	size_t capacity, item_size;
	unsigned char *slot;
};

/* ---- the ring: lock, look, and if it is not ready, unlock and retry ---- */

static void ring_put(struct omp_ring *q, const void *item)
{
	unsigned spins = 0;

	omp_set_lock(&q->lock);
	while (q->put - q->got == q->capacity) {
		omp_unset_lock(&q->lock);	/* nothing to wait on: poll */
		backoff(&spins);
		omp_set_lock(&q->lock);
	}
	memcpy(ring_slot(q->slot, q->put, q->capacity, q->item_size), item,
	       q->item_size);
	q->put++;
	omp_unset_lock(&q->lock);
}

/* 0: an item; -1: closed and empty */
static int ring_get(struct omp_ring *q, void *item)
{
	unsigned spins = 0;

	omp_set_lock(&q->lock);
	while (q->put == q->got && !q->closed) {
		omp_unset_lock(&q->lock);
		backoff(&spins);
		omp_set_lock(&q->lock);
	}
	if (q->put == q->got) {
		omp_unset_lock(&q->lock);
		return -1;
	}
	memcpy(item, ring_slot(q->slot, q->got, q->capacity, q->item_size),
	       q->item_size);
	q->got++;
	omp_unset_lock(&q->lock);
	return 0;
}

static void ring_close(struct omp_ring *q)
{
	omp_set_lock(&q->lock);
	q->closed = 1;
	omp_unset_lock(&q->lock);
}

/* ---- locked: the same producer and consumer as threads/ ---------------- */

static void prodcons_producer(struct prodcons *s, struct omp_ring *q, int k)
{
	uint64_t count = prodcons_items_of(s, k);
	uint64_t item[PC_MAX_ITEM_WORDS];

	for (uint64_t seq = 0; seq < count; seq++) {
		prodcons_make(s, k, seq, item);
		ring_put(q, item);
	}
	if (prodcons_producer_done(s))
		ring_close(q);	/* the last one out ends the stream */
}

static void prodcons_consumer(struct prodcons *s, struct omp_ring *q, int k)
{
	uint64_t item[PC_MAX_ITEM_WORDS];

	while (ring_get(q, item) == 0)
		prodcons_consume(s, k, item);
}

int openmp_prodcons_run(struct cell *c)
{
	struct prodcons *s = c->state;
	struct omp_ring q = { .capacity = s->capacity, .item_size = s->item_size };
	int team = s->producers + s->consumers, got = team;

	q.slot = malloc(q.capacity * q.item_size);
	if (!q.slot) {
		cell_fail(c, "malloc: out of memory for %zu slots", q.capacity);
		return -1;
	}
	omp_init_lock(&q.lock);
	omp_set_dynamic(0);
#pragma omp parallel num_threads(team)
	{
		int id = omp_get_thread_num(), size = omp_get_num_threads();

		if (size != team) {
#pragma omp atomic write
			got = size;
		} else if (id < s->producers) {
			prodcons_producer(s, &q, id);
		} else {
			prodcons_consumer(s, &q, id - s->producers);
		}
	}
	omp_destroy_lock(&q.lock);
	free(q.slot);
	if (got == team)
		return 0;
	cell_fail(c, "OpenMP gave %d threads, prodcons needs P + C = %d", got, team);
	return -1;
}

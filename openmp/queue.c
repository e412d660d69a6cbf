/*
 * openmp/queue.c - the bounded queue of openmp/prodcons.c: lock, look,
 * and if it is not ready, unlock and look again.
 *
 * The same ring as threads/queue.c (common/sys/ring.h maps an index to
 * its slot), where every pthread_cond_wait becomes a poll: with a core
 * per thread that costs little; with more threads than cores the pollers
 * steal time from the very threads they wait for.
 * Compare threads/queue.c, processes/queue.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "openmp/queue.h"
#include "sys/backoff.h"
#include "sys/ring.h"

struct oq *oq_create(size_t capacity, size_t item_size)
{
	size_t bytes;
	unsigned char *slot;
	struct oq *q = ring_alloc(sizeof(*q), capacity, item_size, ring_calloc,
				  &bytes, &slot);

	if (!q)
		return NULL;
	q->capacity = capacity;
	q->item_size = item_size;
	q->slot = slot;
	omp_init_lock(&q->lock);
	return q;
}

void oq_destroy(struct oq *q)
{
	if (!q)
		return;
	omp_destroy_lock(&q->lock);
	free(q);
}

/* nothing to wait on: let go of the lock, back off, take it again */
static void oq_poll(struct oq *q, unsigned *spins)
{
	omp_unset_lock(&q->lock);
	backoff(spins);
	omp_set_lock(&q->lock);
}

int oq_put(struct oq *q, const void *item)
{
	unsigned spins = 0;

	omp_set_lock(&q->lock);
	while (q->put - q->got == q->capacity && !q->closed)
		oq_poll(q, &spins);
	if (q->closed) {
		omp_unset_lock(&q->lock);
		return -EPIPE;
	}
	memcpy(ring_slot(q->slot, q->put, q->capacity, q->item_size), item,
	       q->item_size);
	q->put++;
	omp_unset_lock(&q->lock);
	return 0;
}

int oq_get(struct oq *q, void *item)
{
	unsigned spins = 0;

	omp_set_lock(&q->lock);
	while (q->put == q->got && !q->closed)
		oq_poll(q, &spins);
	if (q->put == q->got) {
		omp_unset_lock(&q->lock);
		return -EPIPE;
	}
	memcpy(item, ring_slot(q->slot, q->got, q->capacity, q->item_size),
	       q->item_size);
	q->got++;
	omp_unset_lock(&q->lock);
	return 0;
}

void oq_close(struct oq *q)
{
	omp_set_lock(&q->lock);
	q->closed = 1;
	omp_unset_lock(&q->lock);
}

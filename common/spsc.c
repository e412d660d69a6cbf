/*
 * spsc.c - the single-producer single-consumer ring, lock-free.
 *
 * Why these memory orders:
 * - put copies the item into its slot, then stores tail + 1 with
 *   *release*: whoever sees the new tail also sees the slot's bytes;
 * - get loads tail with *acquire* (pairing with that release) before it
 *   reads the slot, then stores head + 1 with *release* after copying the
 *   item out: the producer, loading head with *acquire*, cannot overwrite
 *   a slot the consumer is still reading;
 * - each side reads its own index relaxed: nobody else writes it.
 * Each side also keeps its last view of the other's index on its own
 * cache line (head_seen, tail_seen) and reloads it only when the ring
 * looks full or empty, so in the steady state the two cores do not pass
 * the index cache lines back and forth for every item.
 * Compare threads/queue.c: the same ring with a mutex, which any number
 * of producers and consumers may share, and which sleeps instead of
 * polling.
 */
#include <errno.h>
#include <string.h>

#include "backoff.h"
#include "ring.h"
#include "shm.h"
#include "spsc.h"

static unsigned char *spsc_slot(struct spsc *q, uint64_t i)
{
	return ring_slot(q->slot, i, q->capacity, q->item_size);
}

struct spsc *spsc_create(size_t capacity, size_t item_size)
{
	size_t slots, bytes = ring_bytes(sizeof(struct spsc), capacity,
					 item_size, &slots);
	struct spsc *q;

	if (!bytes)
		return NULL;
	q = shm_alloc(bytes);	/* zeroed: empty, open */
	if (!q)
		return NULL;
	q->capacity = capacity;
	q->item_size = item_size;
	q->bytes = bytes;
	q->slot = (unsigned char *)q + slots;
	return q;
}

void spsc_destroy(struct spsc *q)
{
	if (q)
		shm_free(q, q->bytes);
}

int spsc_put(struct spsc *q, const void *item)
{
	uint64_t t = atomic_load_explicit(&q->tail, memory_order_relaxed);
	unsigned spins = 0;

	/* only this producer closes, so it cannot change while we wait */
	if (atomic_load_explicit(&q->closed, memory_order_relaxed))
		return -EPIPE;
	while (t - q->head_seen == q->capacity) {
		q->head_seen = atomic_load_explicit(&q->head, memory_order_acquire);
		if (t - q->head_seen == q->capacity)
			backoff(&spins);
	}
	memcpy(spsc_slot(q, t), item, q->item_size);
	atomic_store_explicit(&q->tail, t + 1, memory_order_release);
	return 0;
}

int spsc_get(struct spsc *q, void *item)
{
	uint64_t h = atomic_load_explicit(&q->head, memory_order_relaxed);
	unsigned spins = 0;

	while (h == q->tail_seen) {
		q->tail_seen = atomic_load_explicit(&q->tail, memory_order_acquire);
		if (h != q->tail_seen)
			break;
		/* closed is stored after the last tail: look at tail once more */
		if (atomic_load_explicit(&q->closed, memory_order_acquire) &&
		    h == atomic_load_explicit(&q->tail, memory_order_acquire))
			return -EPIPE;
		backoff(&spins);
	}
	memcpy(item, spsc_slot(q, h), q->item_size);
	atomic_store_explicit(&q->head, h + 1, memory_order_release);
	return 0;
}

void spsc_close(struct spsc *q)
{
	atomic_store_explicit(&q->closed, 1, memory_order_release);
}

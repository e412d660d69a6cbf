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
 * - each side's true index (next, in its struct spsc_side) is a plain
 *   variable in that side's own loop: nobody else reads or writes it.
 * Each side also keeps its last view of the other's index there (seen)
 * and reloads it only when the ring looks full or empty, so in the
 * steady state the two cores do not pass the index cache lines back and
 * forth for every item.
 * And each side *publishes* its index only once every `batch` items (a
 * cache line of slots, at most the capacity). Published for every item,
 * the index is what the slower side's partner polls: each look takes the
 * line away, and the next store misses, one transfer between the cores
 * per item.
 * Nothing waits for an unpublished item: a side publishes before it
 * waits, and close publishes the last items before it sets closed.
 * The release and acquire pairs are the same, made once a batch: a
 * release store of tail covers every slot written before it.
 * Compare threads/queue.c: the same ring with a mutex, which any number
 * of producers and consumers may share, and which sleeps instead of
 * polling.
 */
#include <errno.h>
#include <string.h>

#include "sys/backoff.h"
#include "sys/ring.h"	/* ring_bytes */
#include "sys/shm.h"
#include "sys/spsc.h"

struct spsc *spsc_create(size_t capacity, size_t item_size)
{
	size_t bytes;
	unsigned char *slot;
	struct spsc *q = ring_alloc(sizeof(*q), capacity, item_size, shm_alloc,
				    &bytes, &slot);	/* zeroed: empty, open */

	if (!q)
		return NULL;
	q->capacity = capacity;
	q->item_size = item_size;
	q->batch = CACHELINE_SIZE / item_size ? CACHELINE_SIZE / item_size : 1;
	if (q->batch > capacity)
		q->batch = capacity;
	q->bytes = bytes;
	q->slot = slot;
	return q;
}

void spsc_destroy(struct spsc *q)
{
	if (q)
		shm_free(q, q->bytes);
}

uint64_t spsc_wait_room(struct spsc *q, uint64_t tail)
{
	unsigned spins = 0;
	uint64_t head;

	/* the consumer may be waiting for the items not yet published */
	atomic_store_explicit(&q->tail, tail, memory_order_release);
	for (;;) {
		head = atomic_load_explicit(&q->head, memory_order_acquire);
		if (tail - head != q->capacity)
			return head;
		/* full: closed under us only if the consumer never started */
		if (atomic_load_explicit(&q->closed, memory_order_relaxed))
			return SPSC_CLOSED;
		backoff(&spins);
	}
}

uint64_t spsc_wait_item(struct spsc *q, uint64_t head)
{
	unsigned spins = 0;
	uint64_t tail;

	/* the producer may be waiting for the slots not yet given back */
	atomic_store_explicit(&q->head, head, memory_order_release);
	for (;;) {
		tail = atomic_load_explicit(&q->tail, memory_order_acquire);
		if (head != tail)
			return tail;
		/* closed is stored after the last tail: look at tail once more */
		if (atomic_load_explicit(&q->closed, memory_order_acquire) &&
		    head == atomic_load_explicit(&q->tail, memory_order_acquire))
			return SPSC_CLOSED;
		backoff(&spins);
	}
}

void spsc_close(struct spsc_side p)
{
	/* the last items first: get reads closed, then tail once more */
	atomic_store_explicit(&p.q->tail, p.next, memory_order_release);
	atomic_store_explicit(&p.q->closed, 1, memory_order_release);
}

void spsc_abort(struct spsc *q)
{
	/* not the producer: its state is its own; it sees closed once full */
	atomic_store_explicit(&q->closed, 1, memory_order_release);
}

/*
 * spsc.h - a lock-free ring for exactly one producer and one consumer.
 *
 * Lamport's ring with C11 atomics: the producer alone writes `tail`, the
 * consumer alone writes `head`, so neither needs a lock, only the right
 * memory order (see spsc.c). It lives in shm_alloc() memory, so the same
 * code serves two threads or two forked processes: lock-free atomics work
 * on shared memory across processes because they need no lock to share.
 * Full and empty are waited out by polling (common/sys/backoff.h): fast when
 * each side has its own core, wasteful when they share one.
 * Same return codes as threads/queue.h; with more than one producer or
 * consumer it is simply wrong (items lost or duplicated).
 */
#ifndef TVP_SPSC_H
#define TVP_SPSC_H

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tvp.h"

struct spsc {
	/*
	 * The producer's line: the index it publishes, the index it writes
	 * next, its copy of head, the slot it writes next (kept, so no item
	 * costs a division) and the puts left before it publishes again.
	 */
	_Alignas(CACHELINE_SIZE) atomic_uint_fast64_t tail;
	uint64_t tail_next, head_seen;
	size_t tail_slot, tail_left;
	/* the consumer's line, the same five seen from the other side */
	_Alignas(CACHELINE_SIZE) atomic_uint_fast64_t head;
	uint64_t head_next, tail_seen;
	size_t head_slot, head_left;
	/* written once, by close */
	_Alignas(CACHELINE_SIZE) atomic_int closed;
	/* read-only after create */
	_Alignas(CACHELINE_SIZE) size_t capacity;
	size_t item_size, bytes;
	size_t batch;		/* items per publication of an index */
	unsigned char *slot;
};

struct spsc *spsc_create(size_t capacity, size_t item_size);	/* NULL + errno */
void spsc_destroy(struct spsc *q);
static inline int spsc_put(struct spsc *q, const void *item);	/* 0; -EPIPE if closed */
static inline int spsc_get(struct spsc *q, void *item);	/* 0; -EPIPE: closed and empty */
void spsc_close(struct spsc *q);	/* by the producer, after its last put */
void spsc_abort(struct spsc *q);	/* for it, when the consumer could not start */

/*
 * The waits, out of line: the ring is full or empty as the other side
 * last published it. 0 once there is room or an item; -EPIPE as above.
 */
int spsc_wait_room(struct spsc *q, uint64_t t);
int spsc_wait_item(struct spsc *q, uint64_t h);

/* each side publishes its index once every `batch` items (see spsc.c) */
static inline void spsc_publish(atomic_uint_fast64_t *index, uint64_t next,
				size_t *left, size_t batch)
{
	if (--*left == 0) {
		*left = batch;
		atomic_store_explicit(index, next, memory_order_release);
	}
}

/*
 * put and get are inline: in the steady state an item costs a copy and
 * two stores, and a call into another file (not inlined without LTO: six
 * registers saved and restored, and the loop's state reloaded after the
 * call) would cost as much again. The memory orders are explained in
 * spsc.c.
 */
static inline void spsc_copy(void *to, const void *from, size_t item_size)
{
	/* the default 8-byte item: one load and one store, not a memcpy call */
	if (item_size == sizeof(uint64_t))
		memcpy(to, from, sizeof(uint64_t));
	else
		memcpy(to, from, item_size);
}

static inline int spsc_put(struct spsc *q, const void *item)
{
	uint64_t t = q->tail_next;
	int rc;

	if (atomic_load_explicit(&q->closed, memory_order_relaxed))
		return -EPIPE;
	if (t - q->head_seen == q->capacity && (rc = spsc_wait_room(q, t)))
		return rc;
	spsc_copy(q->slot + q->tail_slot * q->item_size, item, q->item_size);
	q->tail_slot = q->tail_slot + 1 == q->capacity ? 0 : q->tail_slot + 1;
	q->tail_next = t + 1;
	spsc_publish(&q->tail, t + 1, &q->tail_left, q->batch);
	return 0;
}

static inline int spsc_get(struct spsc *q, void *item)
{
	uint64_t h = q->head_next;
	int rc;

	if (h == q->tail_seen && (rc = spsc_wait_item(q, h)))
		return rc;
	spsc_copy(item, q->slot + q->head_slot * q->item_size, q->item_size);
	q->head_slot = q->head_slot + 1 == q->capacity ? 0 : q->head_slot + 1;
	q->head_next = h + 1;
	spsc_publish(&q->head, h + 1, &q->head_left, q->batch);
	return 0;
}

#endif

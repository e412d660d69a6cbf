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
 * Return codes as threads/queue.h's, but a put fails with -EPIPE only once
 * the ring is full: closed means the consumer never came (spsc_abort).
 * With more than one producer or consumer it is simply wrong (items lost
 * or duplicated).
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
	 * Each side's published index has a line of its own: the other side
	 * polls it while it waits, and every look takes the line away. On the
	 * line of its writer's other state, that state would miss on nearly
	 * every item while the other side waits.
	 */
	_Alignas(CACHELINE_SIZE) atomic_uint_fast64_t tail;	/* by the producer */
	_Alignas(CACHELINE_SIZE) atomic_uint_fast64_t head;	/* by the consumer */
	/* written once, by close or abort */
	_Alignas(CACHELINE_SIZE) atomic_int closed;
	/* read-only after create */
	_Alignas(CACHELINE_SIZE) size_t capacity;
	size_t item_size, bytes;
	size_t batch;		/* items per publication of an index */
	unsigned char *slot;
};

/*
 * One side's end of the ring, a local of that side's loop: the index it
 * fills or empties next, its last view of the other side's index, the
 * slot it is at, the items left before it publishes, and a copy of the
 * ring's geometry. In a local whose address no other file sees, the
 * compiler keeps it in registers. In the shared struct, every item would
 * load and store it again: the copy into or out of a slot is a byte copy,
 * which may alias anything in memory.
 */
struct spsc_side {
	struct spsc *q;
	unsigned char *slot;
	size_t item_size, capacity, batch;
	uint64_t next, seen;
	size_t at, left;
};

struct spsc *spsc_create(size_t capacity, size_t item_size);	/* NULL + errno */
void spsc_destroy(struct spsc *q);
/* either side's end, before its first put or get */
static inline struct spsc_side spsc_side_of(struct spsc *q);
static inline int spsc_put(struct spsc_side *p, const void *item);	/* 0; -EPIPE: no consumer */
static inline int spsc_get(struct spsc_side *c, void *item);	/* 0; -EPIPE: closed and empty */
/*
 * By the producer, after its last put. The sides go by value to calls out
 * of line: given a side's address, the compiler would keep it in memory.
 */
void spsc_close(struct spsc_side p);
void spsc_abort(struct spsc *q);	/* for it, when the consumer could not start */

/*
 * The waits, out of line: the ring is full or empty as the other side
 * last published it. Each publishes this side's index first, and returns
 * the other side's once there is room or an item, or SPSC_CLOSED.
 */
#define SPSC_CLOSED UINT64_MAX	/* no index gets there: 2^64 items */
uint64_t spsc_wait_room(struct spsc *q, uint64_t tail);
uint64_t spsc_wait_item(struct spsc *q, uint64_t head);

static inline struct spsc_side spsc_side_of(struct spsc *q)
{
	return (struct spsc_side){ .q = q, .slot = q->slot,
				   .item_size = q->item_size,
				   .capacity = q->capacity, .batch = q->batch,
				   .left = q->batch };
}

static inline void spsc_copy(void *to, const void *from, size_t item_size)
{
	/* the default 8-byte item: one load and one store, not a memcpy call */
	if (item_size == sizeof(uint64_t))
		memcpy(to, from, sizeof(uint64_t));
	else
		memcpy(to, from, item_size);
}

/* past one slot, and once every `batch` items publish the index (spsc.c) */
static inline void spsc_step(struct spsc_side *e, atomic_uint_fast64_t *index)
{
	e->at = e->at + 1 == e->capacity ? 0 : e->at + 1;
	e->next++;
	if (--e->left == 0) {
		e->left = e->batch;
		atomic_store_explicit(index, e->next, memory_order_release);
	}
}

/*
 * put and get are inline: in the steady state an item costs a copy and
 * a few register operations, and a call into another file (not inlined
 * without LTO) would cost as much again. The memory orders are explained
 * in spsc.c.
 */
static inline int spsc_put(struct spsc_side *p, const void *item)
{
	if (p->next - p->seen == p->capacity) {
		p->seen = spsc_wait_room(p->q, p->next);
		if (p->seen == SPSC_CLOSED)
			return -EPIPE;
		p->left = p->batch;	/* the wait published tail */
	}
	spsc_copy(p->slot + p->at * p->item_size, item, p->item_size);
	spsc_step(p, &p->q->tail);
	return 0;
}

static inline int spsc_get(struct spsc_side *c, void *item)
{
	if (c->next == c->seen) {
		c->seen = spsc_wait_item(c->q, c->next);
		if (c->seen == SPSC_CLOSED)
			return -EPIPE;
		c->left = c->batch;	/* the wait published head */
	}
	spsc_copy(item, c->slot + c->at * c->item_size, c->item_size);
	spsc_step(c, &c->q->head);
	return 0;
}

#endif

/*
 * spsc.h - a lock-free ring for exactly one producer and one consumer.
 *
 * Lamport's ring with C11 atomics: the producer alone writes `tail`, the
 * consumer alone writes `head`, so neither needs a lock, only the right
 * memory order (see spsc.c). It lives in shm_alloc() memory, so the same
 * code serves two threads or two forked processes: lock-free atomics work
 * on shared memory across processes because they need no lock to share.
 * Full and empty are waited out by polling (common/backoff.h): fast when
 * each side has its own core, wasteful when they share one.
 * Same return codes as threads/queue.h; with more than one producer or
 * consumer it is simply wrong (items lost or duplicated).
 */
#ifndef TVP_SPSC_H
#define TVP_SPSC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "tvp.h"

struct spsc {
	/* the producer's line: the index it writes, its copy of head */
	_Alignas(CACHELINE_SIZE) atomic_uint_fast64_t tail;
	uint64_t head_seen;
	/* the consumer's line */
	_Alignas(CACHELINE_SIZE) atomic_uint_fast64_t head;
	uint64_t tail_seen;
	/* written once, by close */
	_Alignas(CACHELINE_SIZE) atomic_int closed;
	/* read-only after create */
	_Alignas(CACHELINE_SIZE) size_t capacity;
	size_t item_size, bytes;
	unsigned char *slot;
};

struct spsc *spsc_create(size_t capacity, size_t item_size);	/* NULL + errno */
void spsc_destroy(struct spsc *q);
int spsc_put(struct spsc *q, const void *item);	/* 0; -EPIPE if closed */
int spsc_get(struct spsc *q, void *item);	/* 0; -EPIPE: closed and empty */
void spsc_close(struct spsc *q);		/* by the producer, after its last put */

#endif

/*
 * ring.h - what the queues (threads/queue.c, processes/queue.c,
 * openmp/queue.c, common/sys/spsc.c) share: where the slots go, which slot
 * item i uses, and how long a timed get waits. The synchronisation, the
 * lesson, stays in each queue's own file.
 */
#ifndef TVP_RING_H
#define TVP_RING_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "sys/clock.h"
#include "tvp.h"

/* beyond this a timed get waits for ever (and NaN means for ever too) */
#define RING_MAX_TIMEOUT_S (365.0 * 24 * 3600)

/*
 * One allocation holds the queue's struct (`head` bytes) and, from the
 * next cache line on, capacity slots of item_size bytes: returns the
 * total and sets *slots to the slots' offset; 0 with errno = EINVAL for a
 * zero size or a total that would overflow.
 */
static inline size_t ring_bytes(size_t head, size_t capacity, size_t item_size,
				size_t *slots)
{
	*slots = (head + CACHELINE_SIZE - 1) / CACHELINE_SIZE * CACHELINE_SIZE;
	if (capacity == 0 || item_size == 0 ||
	    capacity > (SIZE_MAX - *slots) / item_size) {
		errno = EINVAL;
		return 0;
	}
	return *slots + capacity * item_size;
}

/* calloc's zeroed block, in ring_alloc()'s form (shm_alloc's, for shared) */
static inline void *ring_calloc(size_t bytes)
{
	return calloc(1, bytes);
}

/*
 * The queue's block, zeroed, from alloc (ring_calloc for one process,
 * shm_alloc for several): its size in *bytes and its slots at *slot.
 * NULL: a bad size (errno EINVAL) or no memory.
 */
static inline void *ring_alloc(size_t head, size_t capacity, size_t item_size,
			       void *(*alloc)(size_t), size_t *bytes,
			       unsigned char **slot)
{
	size_t slots;
	unsigned char *q;

	*bytes = ring_bytes(head, capacity, item_size, &slots);
	q = *bytes ? alloc(*bytes) : NULL;
	if (q)
		*slot = q + slots;
	return q;
}

/* item i's slot: the counters only grow, the ring wraps */
static inline unsigned char *ring_slot(unsigned char *slot, uint64_t i,
				       size_t capacity, size_t item_size)
{
	return slot + (i % capacity) * item_size;
}

/* the deadline of a get that waits `seconds`; NULL: wait for ever */
static inline const struct timespec *ring_deadline(double seconds,
						   struct timespec *ts)
{
	if (!(seconds < RING_MAX_TIMEOUT_S))
		return NULL;
	*ts = clock_deadline(seconds > 0 ? seconds : 0);
	return ts;
}

#endif

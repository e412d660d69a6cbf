/*
 * counter.h - the counter workload's shared state and the lock-free
 * kernels every back end calls, so that only the way workers are started
 * and the lock differ between threads/, processes/ and openmp/.
 */
#ifndef TVP_COUNTER_H
#define TVP_COUNTER_H

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#include "tvp.h"

/* the order of -V and of the rows; indexes into every back end's table */
enum counter_variant {
	CV_UNSYNCHRONISED,
	CV_MUTEX,
	CV_ATOMIC,
	CV_SHARDED,
	CV_SHARDED_UNPADDED,
	CV_COUNT
};

/* a worker's private slot, alone on its cache line */
struct counter_slot {
	alignas(CACHELINE_SIZE) uint64_t n;
};

struct counter {
	/*
	 * The shared counter, on a line of its own. In C11 atomicity belongs
	 * to an object's type, so the atomic variant needs an _Atomic object;
	 * OpenMP's `omp atomic` and the locked variants use plain accesses.
	 * The union gives one 8-byte counter both types.
	 */
	alignas(CACHELINE_SIZE) union {
		uint64_t plain;
		_Atomic uint64_t atomic;
	} count;
	/*
	 * The processes back end's mutex (shared or robust: its --mutex), and
	 * the threads' with --mutex shared or robust. It must live in the
	 * shared mapping: a mutex in ordinary memory would be copied into each
	 * child on fork(), and every child would lock its own copy.
	 */
	alignas(CACHELINE_SIZE) pthread_mutex_t lock;
	/* read-only while workers run, so off the lines they write */
	alignas(CACHELINE_SIZE) uint64_t n;	/* increments per worker */
	int workers;
	/* unsynchronised: lost updates over every run verified so far */
	uint64_t raced_runs;
	double lost_pct_min, lost_pct_max;
	struct counter_slot *padded;	/* sharded: one line per worker */
	uint64_t *unpadded;		/* sharded-unpadded: adjacent words */
};

/* the same loop for every variant that needs no lock: n increments of *p */
void counter_add(volatile uint64_t *p, uint64_t n);

/*
 * Workers shared by threads/ and processes/ (team_fn and proc_team_fn alike):
 * `cell` is the struct cell, `id` the worker's number. Always 0.
 */
int counter_unsynchronised_worker(void *cell, int id);
int counter_atomic_worker(void *cell, int id);
int counter_sharded_worker(void *cell, int id);
int counter_sharded_unpadded_worker(void *cell, int id);

/* after the join: the sharded variants' count is the sum of their slots */
void counter_gather(struct counter *s, int variant);

#endif

/*
 * prodcons.h - the producer-consumer workload's items and shared state,
 * and the few calls every back end's prodcons.c makes: make an item, hand
 * it to the consumer's check-and-log, say when a producer is done.
 *
 * Workers 0..P-1 are producers, P..P+C-1 consumers; the cell's workers
 * is P + C (see prodcons_split in common/prodcons.c).
 */
#ifndef TVP_PRODCONS_H
#define TVP_PRODCONS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "tvp.h"

enum prodcons_param { PC_PRODUCERS, PC_CONSUMERS, PC_CAPACITY, PC_ITEM_SIZE,
		      PC_WORK, PC_GET_TIMEOUT };
enum prodcons_variant { PC_LOCKED, PC_PIPE, PC_SPSC, PC_TUTORIAL };

/*
 * An item is item_size bytes: a header word, then payload words.
 * header = producer (12 bits) | sequence (40 bits) | check (12 bits)
 */
#define PC_PRODUCER_BITS 12
#define PC_SEQ_BITS 40
#define PC_CHECK_BITS 12
#define PC_MAX_ITEMS (1ULL << PC_SEQ_BITS)
/* a pipe write of at most PIPE_BUF bytes is atomic: items never interleave */
#define PC_MAX_ITEM_SIZE 4096
#define PC_MAX_ITEM_WORDS (PC_MAX_ITEM_SIZE / sizeof(uint64_t))
/* end of stream on a pipe: no real item has producer 0xfff */
#define PC_END UINT64_MAX

/* what one consumer got; written only by that consumer, read by verify() */
struct pc_log {
	_Alignas(CACHELINE_SIZE) uint64_t count;	/* items, in entry[] */
	uint64_t bad;		/* items whose payload failed the check */
	uint64_t sink;		/* XOR of the per-item work's results */
	uint64_t *entry;	/* headers in the order they arrived; n slots */
};

struct prodcons {
	uint64_t n;		/* items in total, over all producers */
	int producers, consumers;
	size_t capacity;	/* queue slots */
	size_t item_size;	/* bytes, a multiple of 8 */
	size_t words;		/* item_size / 8 */
	uint64_t work;		/* steps of consumer work per item */
	_Alignas(CACHELINE_SIZE) atomic_int producers_left;
	struct pc_log *log;	/* [consumers], shared */
	uint64_t *entries;	/* consumers * n log slots, shared */
	/* tutorial: get's timeout, and what task_done and join left behind */
	int tutorial;
	double get_timeout_s;
	atomic_uchar *done;	/* shared, [n]: task_done()s per item */
	atomic_uint_fast64_t done_total;	/* task_done()s so far */
	uint64_t done_at_join;	/* done_total when join() returned */
	int joined;		/* times join() returned: 1 */
	/* verify()'s own scratch, private to the runner */
	uint8_t *seen;		/* one bit per (producer, sequence) */
	uint64_t *next;		/* per producer: the sequence expected next */
};

/* how many items producer k makes (sizes differ by at most one) */
uint64_t prodcons_items_of(const struct prodcons *s, int k);
/* splitmix64's finaliser: every input bit moves about half the output bits */
static inline uint64_t prodcons_mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* the header of item `seq` of producer k: who, which, and a check of both */
static inline uint64_t prodcons_header(int k, uint64_t seq)
{
	uint64_t id = (uint64_t)k << PC_SEQ_BITS | seq;

	return id << PC_CHECK_BITS | prodcons_mix(id) >> (64 - PC_CHECK_BITS);
}

/*
 * Item `seq` of producer k, into item[0..s->words). Inline, as the
 * consumer's tally is: out of line, the call and the loop state it makes
 * the caller reload cost a fast ring's producer as much as the ring.
 */
static inline void prodcons_make(const struct prodcons *s, int k,
				 uint64_t seq, uint64_t *item)
{
	item[0] = prodcons_header(k, seq);
	for (size_t w = 1; w < s->words; w++)
		item[w] = prodcons_mix(item[0] + w);
}

/* the consumer's work per item: `steps` of an LCG (Knuth's MMIX constants) */
#define PC_LCG_A 6364136223846793005ULL
#define PC_LCG_C 1442695040888963407ULL

static inline uint64_t prodcons_work_steps(uint64_t x, uint64_t steps)
{
	for (uint64_t i = 0; i < steps; i++)
		x = x * PC_LCG_A + PC_LCG_C;
	return x;
}

/*
 * Consumer k's log while items flow: count, bad and sink in a local (the
 * compiler keeps them in registers) and stored once, by tally_end. Left
 * in the shared log, every item would reload and store them again across
 * the queue's call or the ring's release store, both compiler barriers:
 * at tens of millions of items a second, a tenth to a quarter of the time.
 * The calls out of line take the tallies by value: given their address,
 * the compiler could no longer keep them in registers.
 * A consumer's loop: t = prodcons_tally_begin(s, k); get and
 * prodcons_tally(&t, item) until the queue is drained; prodcons_tally_end(t).
 */
struct pc_tallies {
	struct prodcons *s;
	int k;
	uint64_t *entry, n, work;
	size_t words;
	uint64_t count, bad, sink;
	int reference;	/* the sequential reference: no fault point */
};

struct pc_tallies prodcons_tally_begin(struct prodcons *s, int k);
void prodcons_tally_end(struct pc_tallies t);
/* the first item: stored at once, then the fault tests' kill point */
void prodcons_tally_first(struct pc_tallies t);

/*
 * Check the payload, do the work, log the header. The header is not
 * checked here: verify() checks every logged header (and an item past the
 * n-th, which is not logged, fails the run as extra), so a check here
 * would only cost each item a hash, on the hot path, in every run.
 */
static inline void prodcons_tally(struct pc_tallies *t, const uint64_t *item)
{
	uint64_t bad = 0;

	for (size_t w = 1; w < t->words; w++)
		bad |= item[w] ^ prodcons_mix(item[0] + w);
	t->bad += bad != 0;
	t->sink ^= prodcons_work_steps(item[0], t->work);
	if (t->count < t->n)
		t->entry[t->count] = item[0];
	if (++t->count == 1)
		prodcons_tally_first(*t);
}

/* one item, tallied and stored: for a consumer that must store as it goes */
void prodcons_consume(struct prodcons *s, int k, const uint64_t *item);
/* a producer has put its last item: 1 if it was the last producer */
int prodcons_producer_done(struct prodcons *s);
/*
 * The tutorial variant's record of q.task_done() and q.join(): a consumer
 * calls prodcons_task_done() for each item just *before* it tells the
 * queue, so when join() returns every item's mark is already there; the
 * joiner calls prodcons_joined() as join() returns.
 */
void prodcons_task_done(struct prodcons *s, const uint64_t *item);
void prodcons_joined(struct prodcons *s);

/*
 * The spsc variant is the same for threads and processes (the ring is in
 * shared memory either way), so its two loops live here, once: worker 0
 * produces, worker 1 consumes, as a team_fn or proc_team_fn.
 */
struct spsc;
struct pc_spsc {
	struct cell *c;
	struct prodcons *s;
	struct spsc *ring;
};
/* the ring for one producer and one consumer; NULL with c->error set */
struct spsc *prodcons_spsc_create(struct pc_spsc *r);
int prodcons_spsc_worker(void *arg, int id);
/* the consumer could not be started: the producer must not wait for it */
void prodcons_spsc_stop(void *arg);

#endif

/*
 * mpi/programs/prodcons.c - producers and consumers as MPI ranks.
 *
 * Ranks 0..P-1 produce, ranks P..P+C-1 consume. There is no queue object:
 * the queue is the messages in flight, and what bounds it is credit, the
 * flow control of message passing. Each producer starts with its share of
 * --capacity credits (at least one); sending an item spends one, and a
 * producer with none waits for a consumer to hand one back, which the
 * consumer does once it has consumed the item. So at most --capacity items
 * are ever sent and not yet consumed, as in a bounded buffer, and a fast
 * producer waits for slow consumers instead of flooding them.
 * A producer deals its items to the consumers in turn; a consumer takes
 * items from any producer (MPI_ANY_SOURCE) in arrival order. MPI delivers
 * the messages of one sender to one receiver in the order they were sent,
 * so each producer's items stay in order at every consumer. Shutdown is an
 * end-of-stream message from every producer to every consumer, sent once
 * all its items are consumed; a consumer stops after P of them.
 * MPI runs the default variant, locked, with this queue of its own.
 * Compare: threads/prodcons.c, processes/prodcons.c, openmp/prodcons.c.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/programs/rank.h"
#include "prodcons.h"

enum { TAG_ITEM = 1, TAG_CREDIT, TAG_END };

/* every rank holds the workload's own state: its items and consumer logs */
static void prodcons_setup(struct cell *c, int rank, struct rank_out *out)
{
	struct prodcons *s;
	int rc = c->wl->setup(c);

	if (rc)
		rank_fail("setup: %s", strerror(-rc));
	s = c->state;
	if (s->producers + s->consumers != c->workers || s->n > INT_MAX)
		rank_fail("P=%d + C=%d on %d ranks, n=%llu: no MPI layout",
			  s->producers, s->consumers, c->workers,
			  (unsigned long long)s->n);
	c->wl->reset(c);
	if (rank == 0) {
		rank_out_add(out, s->log, (uint64_t)s->consumers * sizeof(*s->log));
		rank_out_add(out, s->entries,
			     (uint64_t)s->consumers * s->n * sizeof(*s->entries));
	}
}

static int prodcons_credits(const struct prodcons *s, int k)
{
	uint64_t lo, hi;

	block_range(s->capacity, s->producers, k, &lo, &hi);
	return hi > lo ? (int)(hi - lo) : 1;
}

static void prodcons_producer(struct prodcons *s, int k)
{
	uint64_t count = prodcons_items_of(s, k), item[PC_MAX_ITEM_WORDS];
	int credits = prodcons_credits(s, k), held = credits;

	for (uint64_t seq = 0; seq < count; seq++) {
		int to = s->producers + (int)((seq + (uint64_t)k) % (uint64_t)s->consumers);

		if (held == 0) {	/* the queue is full: wait for a free slot */
			MPI_Recv(NULL, 0, MPI_BYTE, MPI_ANY_SOURCE, TAG_CREDIT,
				 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			held++;
		}
		prodcons_make(s, k, seq, item);
		MPI_Send(item, (int)s->words, MPI_UINT64_T, to, TAG_ITEM,
			 MPI_COMM_WORLD);
		held--;
	}
	for (; held < credits; held++)	/* every item consumed */
		MPI_Recv(NULL, 0, MPI_BYTE, MPI_ANY_SOURCE, TAG_CREDIT,
			 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	for (int j = 0; j < s->consumers; j++)
		MPI_Send(NULL, 0, MPI_BYTE, s->producers + j, TAG_END,
			 MPI_COMM_WORLD);
}

static void prodcons_consumer(struct prodcons *s, int k)
{
	uint64_t item[PC_MAX_ITEM_WORDS];
	struct pc_tallies t = prodcons_tally_begin(s, k);
	int ended = 0;
	MPI_Status st;

	while (ended < s->producers) {
		MPI_Recv(item, (int)s->words, MPI_UINT64_T, MPI_ANY_SOURCE,
			 MPI_ANY_TAG, MPI_COMM_WORLD, &st);
		if (st.MPI_TAG == TAG_END) {
			ended++;
			continue;
		}
		prodcons_tally(&t, item);
		/* the slot is free again: hand the credit back to its producer */
		MPI_Send(NULL, 0, MPI_BYTE, st.MPI_SOURCE, TAG_CREDIT,
			 MPI_COMM_WORLD);
	}
	prodcons_tally_end(t);
}

static void prodcons_run(struct cell *c, int rank)
{
	struct prodcons *s = c->state;

	if (rank < s->producers)
		prodcons_producer(s, rank);
	else
		prodcons_consumer(s, rank - s->producers);
	MPI_Barrier(MPI_COMM_WORLD);	/* the run ends when every rank is done */
}

/* untimed: each consumer's log goes to rank 0, for verify() */
static void prodcons_collect(struct cell *c, int rank)
{
	struct prodcons *s = c->state;

	for (int k = 0; k < s->consumers; k++) {
		struct pc_log *log = &s->log[k];
		int from = s->producers + k;

		if (rank == from) {
			MPI_Send(log, (int)sizeof(*log), MPI_BYTE, 0, TAG_END,
				 MPI_COMM_WORLD);
			MPI_Send(log->entry, (int)(log->count < s->n ? log->count : s->n),
				 MPI_UINT64_T, 0, TAG_ITEM, MPI_COMM_WORLD);
		} else if (rank == 0) {
			uint64_t *mine = log->entry;	/* the copy brings the sender's */

			MPI_Recv(log, (int)sizeof(*log), MPI_BYTE, from, TAG_END,
				 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			log->entry = mine;
			MPI_Recv(log->entry, (int)s->n, MPI_UINT64_T, from, TAG_ITEM,
				 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		}
	}
}

static void prodcons_teardown(struct cell *c)
{
	c->wl->teardown(c);
}

RANK_PROGRAM(prodcons, .setup = prodcons_setup, .run = prodcons_run,
	     .collect = prodcons_collect, .teardown = prodcons_teardown);

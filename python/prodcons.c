/*
 * python/prodcons.c - prodcons run by CPython (python/tvp_ref.py: threads
 * around a queue.Queue, processes around a multiprocessing.JoinableQueue,
 * both with task_done/join and one None sentinel per consumer). Each
 * consumer's log (its count, bad payloads, work checksum and the headers in
 * the order they arrived) comes back into the shared logs, where the C
 * verify() checks exactly-once and per-producer order as for any back end.
 * Compare: threads/prodcons.c, processes/prodcons.c.
 */
#include <inttypes.h>

#include "prodcons.h"
#include "python/bridge.h"
#include "python/python.h"

/* one consumer's record: count, bad, sink, then count headers */
static int prodcons_take_log(struct cell *c, FILE *in, struct pc_log *log,
			     uint64_t *left)
{
	struct prodcons *s = c->state;
	uint64_t head[3];

	if (*left < sizeof(head) || fread(head, sizeof(head), 1, in) != 1)
		return -1;
	*left -= sizeof(head);
	log->count = head[0];
	log->bad = head[1];
	log->sink = head[2];
	if (log->count > s->n || *left < log->count * sizeof(uint64_t)) {
		cell_fail(c, "python logged %" PRIu64 " items for one consumer, of %"
			  PRIu64, log->count, s->n);
		return -1;
	}
	*left -= log->count * sizeof(uint64_t);
	return fread(log->entry, sizeof(uint64_t), log->count, in) == log->count ?
	       0 : -1;
}

static int prodcons_take(struct cell *c, FILE *in, uint64_t bytes)
{
	struct prodcons *s = c->state;
	uint64_t left = bytes;

	for (int k = 0; k < s->consumers; k++)
		if (prodcons_take_log(c, in, &s->log[k], &left)) {
			if (!c->error[0])
				cell_fail(c, "python's consumer logs end early");
			return -1;
		}
	if (left) {
		cell_fail(c, "python sent %" PRIu64 " bytes more than %d logs",
			  left, s->consumers);
		return -1;
	}
	return 0;
}

int python_prodcons_run(struct cell *c)
{
	struct prodcons *s = c->state;

	/* the split of W into P + C was made by the C setup: pass it as is */
	c->param[PC_PRODUCERS].u = (uint64_t)s->producers;
	c->param[PC_CONSUMERS].u = (uint64_t)s->consumers;
	return py_run(c, prodcons_take);
}

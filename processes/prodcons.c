/*
 * processes/prodcons.c - producers and consumers as forked processes.
 *
 * variant locked: the bounded buffer of threads/prodcons.c, line for line,
 *   over processes/queue.c: the ring, its process-shared mutex (not
 *   robust: the kind of mutex the threads use; a dead worker is the
 *   supervisor's business) and its condition variables sit in one
 *   shm_alloc() mapping made before fork(). The last producer closes;
 *   consumers get until -EPIPE.
 * variant tutorial: the tutorial's loop of threads/prodcons.c over the
 *   shared queue: get() with a timeout, task_done(), join().
 * variant pipe: the baseline every systems course shows. Each item is one
 *   write() and one read() system call; writes of at most PIPE_BUF bytes
 *   are atomic, so items from several producers never interleave. A pipe
 *   has no close() that readers could see while the parent still holds
 *   the write end, so the last producer sends one end-of-stream item per
 *   consumer (Python's multiprocessing "None" sentinel).
 * variant spsc: one producer, one consumer, the lock-free ring in shared
 *   memory (common/sys/spsc.c); atomics work across processes.
 * If a consumer dies, producers may block for ever on a full queue: the
 * supervisor (processes/team.c) sees the death, kills the rest and
 * reports which worker died; the shared queue is then only unmapped.
 * Compare: threads/prodcons.c, openmp/prodcons.c.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "processes/processes.h"
#include "processes/queue.h"
#include "processes/team.h"
#include "prodcons.h"
#include "sys/checked.h"
#include "sys/spsc.h"

struct pc_run {
	struct cell *c;
	struct prodcons *s;
	struct sq *q;		/* locked */
	int fd[2];		/* pipe: read end, write end */
};

/* ---- locked: the bounded buffer in shared memory ----------------------- */

/* a worker that cannot go on closes the queue: nobody waits for it */
static int prodcons_abort(struct pc_run *r, const char *who, int k,
			  const char *call, int rc)
{
	sq_close(r->q);
	if (rc != -EPIPE)	/* -EPIPE: closed by a worker that failed first */
		cell_fail(r->c, "%s %d: %s: %s", who, k, call, strerror(-rc));
	return -1;
}

/* producer k's items, in order, into the queue; 0 or -1 */
static int prodcons_put_all(struct pc_run *r, int k)
{
	uint64_t count = prodcons_items_of(r->s, k);
	uint64_t item[PC_MAX_ITEM_WORDS];
	int rc;

	for (uint64_t seq = 0; seq < count; seq++) {
		prodcons_make(r->s, k, seq, item);
		rc = sq_put(r->q, item);
		if (rc)
			return prodcons_abort(r, "producer", k, "sq_put", rc);
	}
	return 0;
}

static int prodcons_producer(struct pc_run *r, int k)
{
	if (prodcons_put_all(r, k))
		return -1;
	if (prodcons_producer_done(r->s))
		sq_close(r->q);	/* the last one out ends the stream */
	return 0;
}

static int prodcons_consumer(struct pc_run *r, int k)
{
	uint64_t item[PC_MAX_ITEM_WORDS];
	struct pc_tallies t = prodcons_tally_begin(r->s, k);
	int rc;

	while ((rc = sq_get(r->q, item)) == 0)
		prodcons_tally(&t, item);
	prodcons_tally_end(t);
	if (rc == -EPIPE)	/* closed and drained: the normal end */
		return 0;
	return prodcons_abort(r, "consumer", k, "sq_get", rc);
}

static int prodcons_worker(void *arg, int id)
{
	struct pc_run *r = arg;

	if (id < r->s->producers)
		return prodcons_producer(r, id);
	return prodcons_consumer(r, id - r->s->producers);
}

/* the queue for one run, and a team of producers and consumers on it */
static int prodcons_on_queue(struct cell *c, proc_team_fn worker)
{
	struct pc_run r = { .c = c, .s = c->state };
	int rc;

	r.q = sq_create_plain(r.s->capacity, r.s->item_size);
	if (!r.q) {
		cell_fail(c, "sq_create: %s", strerror(errno));
		return -1;
	}
	rc = proc_team_run(c, worker, &r);
	sq_destroy(r.q);
	return rc;
}

int processes_prodcons_run(struct cell *c)
{
	return prodcons_on_queue(c, prodcons_worker);
}

/* ---- tutorial: get with a timeout, task_done, join --------------------- */

/*
 * The tutorial's producer, and then its main(): in Python the main thread
 * joins the producers and calls q.join(). Here every worker is one of the
 * team, so the last producer to finish (all others have finished: the
 * producers are joined) does main's part and waits in join() for the
 * consumers' last task_done(). The queue is never closed.
 */
static int tutorial_producer(struct pc_run *r, int k)
{
	int rc;

	if (prodcons_put_all(r, k))
		return -1;
	if (!prodcons_producer_done(r->s))
		return 0;
	rc = sq_join(r->q);	/* q.join(): every item put is done */
	if (rc)
		return prodcons_abort(r, "producer", k, "sq_join", rc);
	prodcons_joined(r->s);
	return 0;
}

/*
 * The tutorial's consumer: get with a timeout, and on queue.Empty leave.
 * One guard the tutorial leaves out: a timeout while a producer is still
 * at work means only that it is slow (a busy machine can stall it for
 * longer than any timeout), and leaving then would strand its items and
 * the join; so a consumer leaves on a timeout once every producer is done.
 */
static int tutorial_consumer(struct pc_run *r, int k)
{
	uint64_t item[PC_MAX_ITEM_WORDS];
	int rc;

	for (;;) {
		rc = sq_get_timeout(r->q, item, r->s->get_timeout_s);
		if (rc == -ETIMEDOUT && atomic_load(&r->s->producers_left) == 0)
			return 0;	/* except queue.Empty: break */
		if (rc == -ETIMEDOUT)
			continue;
		if (rc)
			return prodcons_abort(r, "consumer", k, "sq_get_timeout", rc);
		prodcons_consume(r->s, k, item);
		prodcons_task_done(r->s, item);	/* the record, then the queue */
		sq_task_done(r->q);
	}
}

static int tutorial_worker(void *arg, int id)
{
	struct pc_run *r = arg;

	if (id < r->s->producers)
		return tutorial_producer(r, id);
	return tutorial_consumer(r, id - r->s->producers);
}

int processes_prodcons_tutorial_run(struct cell *c)
{
	return prodcons_on_queue(c, tutorial_worker);
}

/* ---- pipe: one write() and one read() per item ------------------------- */

static int pipe_write(struct pc_run *r, const uint64_t *item)
{
	ssize_t n;

	do
		n = write(r->fd[1], item, r->s->item_size);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)r->s->item_size)
		return 0;
	cell_fail(r->c, "write (pipe): %s", n < 0 ? strerror(errno) : "short write");
	return -1;
}

/* 1: an item; 0: end of stream; -1: an error (c->error says which) */
static int pipe_read(struct pc_run *r, uint64_t *item)
{
	ssize_t n;

	do
		n = read(r->fd[0], item, r->s->item_size);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)r->s->item_size)
		return item[0] != PC_END;
	cell_fail(r->c, "read (pipe): %s", n < 0 ? strerror(errno) :
		  n == 0 ? "end of file before the end-of-stream item" :
		  "short read: part of an item");
	return -1;
}

static int pipe_producer(struct pc_run *r, int k)
{
	uint64_t count = prodcons_items_of(r->s, k);
	uint64_t item[PC_MAX_ITEM_WORDS] = { 0 };

	for (uint64_t seq = 0; seq < count; seq++) {
		prodcons_make(r->s, k, seq, item);
		if (pipe_write(r, item))
			return -1;
	}
	if (!prodcons_producer_done(r->s))
		return 0;
	item[0] = PC_END;	/* the last one out: one end mark per consumer */
	for (int i = 0; i < r->s->consumers; i++)
		if (pipe_write(r, item))
			return -1;
	return 0;
}

static int pipe_consumer(struct pc_run *r, int k)
{
	uint64_t item[PC_MAX_ITEM_WORDS];
	struct pc_tallies t = prodcons_tally_begin(r->s, k);
	int rc;

	while ((rc = pipe_read(r, item)) == 1)
		prodcons_tally(&t, item);
	prodcons_tally_end(t);
	return rc;
}

/* each child closes the end it does not use, as every textbook says */
static int pipe_worker(void *arg, int id)
{
	struct pc_run *r = arg;
	int producer = id < r->s->producers;

	if (close(r->fd[producer ? 0 : 1]) != 0) {
		cell_fail(r->c, "close (pipe): %s", strerror(errno));
		return -1;
	}
	if (producer)
		return pipe_producer(r, id);
	return pipe_consumer(r, id - r->s->producers);
}

int processes_prodcons_pipe_run(struct cell *c)
{
	struct pc_run r = { .c = c, .s = c->state };
	int rc;

	CHECK_SYS(c, pipe(r.fd));
	rc = proc_team_run(c, pipe_worker, &r);
	for (int end = 0; end < 2; end++)
		if (close(r.fd[end]) != 0 && !rc) {
			cell_fail(c, "close (pipe): %s", strerror(errno));
			rc = -1;
		}
	return rc;
}

/* ---- spsc: one producer, one consumer, no lock ------------------------- */

int processes_prodcons_spsc_run(struct cell *c)
{
	struct pc_spsc r = { .c = c, .s = c->state };
	int rc;

	r.ring = prodcons_spsc_create(&r);
	if (!r.ring)
		return -1;
	rc = proc_team_run(c, prodcons_spsc_worker, &r);
	spsc_destroy(r.ring);
	return rc;
}

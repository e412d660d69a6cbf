/*
 * prodcons.c - producers and consumers over a bounded queue.
 *
 * MODELS  the tutorial's queue.Queue lesson: P producers put -n items in
 *         total into a queue of --capacity slots, C consumers get them
 *         out, and the run ends cleanly: no item lost, no worker left
 *         waiting, nobody polling. Each back end uses its model's own
 *         queue (threads/queue.c, processes/queue.c, an omp_lock_t ring,
 *         a pipe, a lock-free single-producer single-consumer ring).
 * ITEMS   --item-size bytes: a header word (producer id, that producer's
 *         sequence number, a 12-bit check of both) and payload words
 *         derived from the header, which the consumer checks. --work K
 *         gives the consumer K steps of dependent arithmetic per item.
 * WORKERS P + C. By default W (-w) is split: P = max(1, W/2), C = max(1,
 *         W - P); --producers or --consumers fix one side (the other takes
 *         the rest of W), or both; the row's workers column is then P + C.
 * CORRECT Every consumer logs the header of every item it got, in order,
 *         in shared memory. verify() reads only those logs: each
 *         (producer, sequence) consumed exactly once, none missing, each
 *         producer's items in increasing order at every consumer, every
 *         check field and payload intact, the work's result recomputed in
 *         closed form. The detail shows the items per consumer (fairness).
 * TUTORIAL The tutorial's own loop, as variant `tutorial`: a consumer
 *         leaves when get() has waited --get-timeout for an item (Python's
 *         `except queue.Empty: break`), calls task_done() for every item
 *         it got, and once the producers are joined, join() on the queue
 *         waits for the last task_done(). verify() also checks that every
 *         item was marked done exactly once and that join() returned only
 *         after all n were.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prodcons.h"
#include "sys/fault.h"
#include "sys/shm.h"
#include "sys/spsc.h"

/*
 * 1024 slots: with a small ring the locked queue spends its time putting a
 * side to sleep on the full or empty ring and waking it (at 64 slots 2-3x
 * slower than at 1024), which is the parameter's lesson, not the model's;
 * from about 1024 on it runs near its ceiling (docs/performance.md), so
 * the locked ring against the pipe compares the models. 8 KiB of 8-byte
 * items: still in L1.
 */
#define DEFAULT_CAPACITY "1024"
#define MAX_CAPACITY (1 << 20)
#define MAX_SIDE (MAX_WORKERS / 2)
#define MAX_WORK 1000000
#define MAX_GET_TIMEOUT_MS 60000

static const char *const prodcons_variants[] = {
	[PC_LOCKED] = "locked", [PC_PIPE] = "pipe", [PC_SPSC] = "spsc",
	[PC_TUTORIAL] = "tutorial", NULL,
};

static const struct param_def prodcons_params[] = {
	[PC_PRODUCERS] = { "producers", PARAM_UINT, "0",
			   "producers P (0: max(1, W/2)); workers = P + C",
			   0, MAX_SIDE, NULL },
	[PC_CONSUMERS] = { "consumers", PARAM_UINT, "0",
			   "consumers C (0: max(1, W - P)); spsc needs P = C = 1",
			   0, MAX_SIDE, NULL },
	[PC_CAPACITY] = { "capacity", PARAM_UINT, DEFAULT_CAPACITY,
			  "queue slots (a pipe holds what the kernel gives it)",
			  1, MAX_CAPACITY, NULL },
	[PC_ITEM_SIZE] = { "item-size", PARAM_UINT, "8",
			   "bytes per item, rounded up to a multiple of 8",
			   8, PC_MAX_ITEM_SIZE, NULL },
	[PC_WORK] = { "work", PARAM_UINT, "0",
		      "steps of dependent arithmetic per item in the consumer",
		      0, MAX_WORK, NULL },
	[PC_GET_TIMEOUT] = { "get-timeout", PARAM_MS, "20ms",
			     "tutorial: a consumer leaves when get waits this long",
			     1, MAX_GET_TIMEOUT_MS, NULL },
	{ 0 },
};

/* ---- items --------------------------------------------------------------- */

static int header_intact(uint64_t h)
{
	return h != PC_END &&
	       prodcons_header((int)(h >> (64 - PC_PRODUCER_BITS)),
			       (h >> PC_CHECK_BITS) & (PC_MAX_ITEMS - 1)) == h;
}

uint64_t prodcons_items_of(const struct prodcons *s, int k)
{
	uint64_t lo, hi;

	block_range(s->n, s->producers, k, &lo, &hi);
	return hi - lo;
}

struct pc_tallies prodcons_tally_begin(struct prodcons *s, int k)
{
	const struct pc_log *log = &s->log[k];

	return (struct pc_tallies){ .s = s, .k = k, .entry = log->entry,
				    .n = s->n, .work = s->work,
				    .words = s->words, .count = log->count,
				    .bad = log->bad, .sink = log->sink };
}

void prodcons_tally_end(struct pc_tallies t)
{
	struct pc_log *log = &t.s->log[t.k];

	log->count = t.count;
	log->bad = t.bad;
	log->sink = t.sink;
}

void prodcons_tally_first(struct pc_tallies t)
{
	prodcons_tally_end(t);	/* a consumer killed here has logged it */
	if (!t.reference)	/* tests: TVP_FAULT may kill it, mid-run */
		fault_point(NULL, FAULT_WORKER, t.s->producers + t.k);
}

void prodcons_consume(struct prodcons *s, int k, const uint64_t *item)
{
	struct pc_tallies t = prodcons_tally_begin(s, k);

	prodcons_tally(&t, item);
	prodcons_tally_end(t);
}

int prodcons_producer_done(struct prodcons *s)
{
	/* release: this producer's puts happen before the stream is closed */
	return atomic_fetch_sub_explicit(&s->producers_left, 1,
					 memory_order_acq_rel) == 1;
}

/* where (producer, sequence) of a header sits among all n items */
static uint64_t item_index(const struct prodcons *s, uint64_t h)
{
	int p = (int)(h >> (64 - PC_PRODUCER_BITS));
	uint64_t lo, hi;

	block_range(s->n, s->producers, p, &lo, &hi);
	return lo + ((h >> PC_CHECK_BITS) & (PC_MAX_ITEMS - 1));
}

void prodcons_task_done(struct prodcons *s, const uint64_t *item)
{
	uint64_t i = header_intact(item[0]) ? item_index(s, item[0]) : s->n;

	if (i < s->n)	/* a damaged item is counted by the log check */
		atomic_fetch_add(&s->done[i], 1);
	atomic_fetch_add(&s->done_total, 1);
}

void prodcons_joined(struct prodcons *s)
{
	s->done_at_join = atomic_load(&s->done_total);
	s->joined++;
}

/* ---- workers: how P and C follow from W ------------------------------- */

static void prodcons_split(const struct cell *c, int *p, int *n_c)
{
	int w = c->workers, P = (int)c->param[PC_PRODUCERS].u,
	    C = (int)c->param[PC_CONSUMERS].u;

	if (!P)
		P = C ? w - C : w / 2;
	if (P < 1)
		P = 1;
	if (!C)
		C = w - P;
	if (C < 1)
		C = 1;
	*p = P;
	*n_c = C;
}

/* a parallel back end runs P + C workers; the sequential reference one */
static void prodcons_settle(struct cell *c, int p, int n_c)
{
	if (c->be && c->be->max_workers > 1)
		c->workers = p + n_c;
}

/*
 * The driver asks before it plans a cell: a worker count the split turns
 * into P + C, and spsc only where there is one producer and one consumer.
 * The sequential reference keeps its one worker.
 */
/*
 * With -w given, P and C must add up to it: never more workers than asked
 * for, silently. (Without -w, W follows from P and C.)
 */
static int prodcons_check_workers(const struct cell *c, int p, int n_c,
				  char *why, size_t len)
{
	uint64_t P = c->param[PC_PRODUCERS].u, C = c->param[PC_CONSUMERS].u;

	if (!c->workers_given || !c->be || c->be->max_workers == 1 ||
	    (!P && !C) || p + n_c == c->workers)
		return 0;
	if (P && C)
		snprintf(why, len, "--producers %llu --consumers %llu: prodcons runs P + C = %d workers, but -w asks for %d; give -w %d, or one of --producers and --consumers (the other is then W minus it)",
			 (unsigned long long)P, (unsigned long long)C, p + n_c,
			 c->workers, p + n_c);
	else
		snprintf(why, len, "--%s %llu: leaves no %s in -w %d; give fewer, or a -w above %llu",
			 P ? "producers" : "consumers",
			 (unsigned long long)(P ? P : C), P ? "consumer" : "producer",
			 c->workers, (unsigned long long)(P ? P : C));
	return -1;
}

static int prodcons_plan(struct cell *c, char *why, size_t len)
{
	int p, n_c;

	prodcons_split(c, &p, &n_c);
	if (prodcons_check_workers(c, p, n_c, why, len))
		return -1;
	if (c->variant == PC_SPSC && (p != 1 || n_c != 1)) {
		snprintf(why, len, "spsc needs one producer and one consumer, not P=%d C=%d",
			 p, n_c);
		return 1;
	}
	prodcons_settle(c, p, n_c);
	return 0;
}

/* ---- setup, reference, verify ------------------------------------------ */

static uint64_t prodcons_footprint(const struct cell *c)
{
	int p, n_c;

	prodcons_split(c, &p, &n_c);
	/* every consumer's log has room for all n items; verify's bitmap */
	return (uint64_t)n_c * c->size * sizeof(uint64_t) + c->size / 8 +
	       (c->variant == PC_TUTORIAL ? c->size : 0);	/* done marks */
}

static void prodcons_free(struct prodcons *s)
{
	shm_free(s->entries, (size_t)s->consumers * s->n * sizeof(uint64_t));
	shm_free(s->log, (size_t)s->consumers * sizeof(*s->log));
	shm_free(s->done, s->n);
	free(s->seen);
	free(s->next);
	shm_free(s, sizeof(*s));
}

static void prodcons_init(struct prodcons *s, const struct cell *c)
{
	prodcons_split(c, &s->producers, &s->consumers);
	s->n = c->size;
	s->capacity = (size_t)c->param[PC_CAPACITY].u;
	s->words = ((size_t)c->param[PC_ITEM_SIZE].u + sizeof(uint64_t) - 1) /
		   sizeof(uint64_t);
	s->item_size = s->words * sizeof(uint64_t);
	s->work = c->param[PC_WORK].u;
	s->tutorial = c->variant == PC_TUTORIAL;
	s->get_timeout_s = c->param[PC_GET_TIMEOUT].d / 1e3;
}

static int prodcons_setup(struct cell *c)
{
	struct prodcons *s = shm_alloc(sizeof(*s));

	if (!s)
		return -errno;
	prodcons_init(s, c);
	prodcons_settle(c, s->producers, s->consumers);	/* callers without plan */
	if (s->n >= PC_MAX_ITEMS) {
		shm_free(s, sizeof(*s));
		return -EINVAL;
	}
	s->log = shm_alloc((size_t)s->consumers * sizeof(*s->log));
	s->entries = shm_alloc((size_t)s->consumers * s->n * sizeof(uint64_t));
	s->seen = calloc(s->n / 8 + 1, 1);
	s->next = calloc((size_t)s->producers, sizeof(*s->next));
	if (s->tutorial)
		s->done = shm_alloc(s->n ? s->n : 1);
	if (!s->log || !s->entries || !s->seen || !s->next ||
	    (s->tutorial && !s->done)) {
		prodcons_free(s);
		return -ENOMEM;
	}
	for (int k = 0; k < s->consumers; k++)
		s->log[k].entry = s->entries + (uint64_t)k * s->n;
	c->state = s;
	return 0;
}

/* empty logs: a back end that moved nothing cannot pass */
static void prodcons_reset(struct cell *c)
{
	struct prodcons *s = c->state;

	for (int k = 0; k < s->consumers; k++) {
		s->log[k].count = 0;
		s->log[k].bad = 0;
		s->log[k].sink = 0;
	}
	atomic_store(&s->producers_left, s->producers);
	if (s->tutorial)
		memset(s->done, 0, s->n);
	s->done_total = 0;
	s->done_at_join = 0;
	s->joined = 0;
}

/*
 * The same items with no queue and no second thread: producers in turn,
 * items dealt to consumers round-robin. What every back end adds to this
 * is the cost of handing items over.
 */
static int prodcons_reference(struct cell *c)
{
	struct prodcons *s = c->state;
	uint64_t item[PC_MAX_ITEM_WORDS], i = 0;

	for (int k = 0; k < s->producers; k++) {
		uint64_t count = prodcons_items_of(s, k);

		for (uint64_t seq = 0; seq < count; seq++) {
			int to = (int)(i++ % (uint64_t)s->consumers);
			struct pc_tallies t = prodcons_tally_begin(s, to);

			t.reference = 1;
			prodcons_make(s, k, seq, item);
			prodcons_tally(&t, item);
			prodcons_tally_end(t);
			if (s->tutorial)
				prodcons_task_done(s, item);
		}
	}
	if (s->tutorial)
		prodcons_joined(s);	/* nothing left to wait for */
	return 0;
}

/* what verify() found in the logs, over all consumers */
struct pc_tally {
	uint64_t unique, twice, order, broken, bad, sink, extra;
};

/* the work's K affine steps as one map x -> a*x + b (see squares.c) */
static void work_closed_form(uint64_t steps, uint64_t *a, uint64_t *b)
{
	*a = 1;
	*b = 0;
	for (uint64_t i = 0; i < steps; i++) {
		*a *= PC_LCG_A;
		*b = *b * PC_LCG_A + PC_LCG_C;
	}
}

/* one logged header: known, new, and after its producer's last one here */
static void check_entry(struct prodcons *s, uint64_t h, struct pc_tally *t)
{
	int p = (int)(h >> (64 - PC_PRODUCER_BITS));
	uint64_t seq = (h >> PC_CHECK_BITS) & (PC_MAX_ITEMS - 1), lo, hi;

	if (!header_intact(h) || p >= s->producers ||
	    seq >= prodcons_items_of(s, p)) {
		t->broken++;
		return;
	}
	block_range(s->n, s->producers, p, &lo, &hi);
	if (s->seen[(lo + seq) / 8] & 1u << (lo + seq) % 8) {
		t->twice++;
	} else {
		s->seen[(lo + seq) / 8] |= (uint8_t)(1u << (lo + seq) % 8);
		t->unique++;
	}
	t->order += seq < s->next[p];
	s->next[p] = seq + 1;
}

static void check_log(struct prodcons *s, int k, struct pc_tally *t)
{
	const struct pc_log *log = &s->log[k];
	uint64_t n = log->count < s->n ? log->count : s->n, sink = 0, a, b;

	memset(s->next, 0, (size_t)s->producers * sizeof(*s->next));
	work_closed_form(s->work, &a, &b);
	for (uint64_t i = 0; i < n; i++) {
		check_entry(s, log->entry[i], t);
		sink ^= a * log->entry[i] + b;
	}
	t->extra += log->count - n;
	t->bad += log->bad;
	t->sink += log->count == n && sink != log->sink;
}

/* "per consumer 500012 499988", or min..max when they do not all fit */
static void per_consumer(const struct prodcons *s, char *buf, size_t len)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	size_t at = (size_t)snprintf(buf, len, "per consumer");

	for (int k = 0; k < s->consumers && at < len; k++)
		at += (size_t)snprintf(buf + at, len - at, " %" PRIu64,
				       s->log[k].count);
	if (at < len)
		return;
	for (int k = 0; k < s->consumers; k++) {
		lo = s->log[k].count < lo ? s->log[k].count : lo;
		hi = s->log[k].count > hi ? s->log[k].count : hi;
	}
	snprintf(buf, len, "per consumer %" PRIu64 "..%" PRIu64, lo, hi);
}

/* tutorial: every item marked done once, and join() waited for them all */
static int check_done(const struct prodcons *s, char *detail, size_t len)
{
	uint64_t none = 0, twice = 0;

	for (uint64_t i = 0; i < s->n; i++) {
		none += s->done[i] == 0;
		twice += s->done[i] > 1;
	}
	if (!none && !twice && s->joined == 1 && s->done_at_join == s->n &&
	    s->done_total == s->n)
		return 0;
	snprintf(detail, len, "task_done: %" PRIu64 " items never marked, %"
		 PRIu64 " marked twice, %" PRIu64 " calls for %" PRIu64
		 " items; join returned %d times, after %" PRIu64 " were done",
		 none, twice, (uint64_t)s->done_total, s->n, s->joined,
		 s->done_at_join);
	return -1;
}

static enum verdict prodcons_verify(struct cell *c, char *detail, size_t len)
{
	struct prodcons *s = c->state;
	struct pc_tally t = { 0 };
	char fair[DETAIL_LEN / 2];

	memset(s->seen, 0, s->n / 8 + 1);
	for (int k = 0; k < s->consumers; k++)
		check_log(s, k, &t);
	per_consumer(s, fair, sizeof(fair));
	if (t.unique == s->n && !t.twice && !t.order && !t.broken && !t.bad &&
	    !t.sink && !t.extra) {
		if (s->tutorial && check_done(s, detail, len))
			return VERDICT_NO;
		snprintf(detail, len, "P=%d C=%d: %" PRIu64
			 " items once each, in order%s; %s", s->producers,
			 s->consumers, s->n, s->tutorial ?
			 ", each task_done once, join after the last" : "",
			 fair);
		return VERDICT_YES;
	}
	snprintf(detail, len, "P=%d C=%d: %" PRIu64 " missing, %" PRIu64
		 " twice, %" PRIu64 " out of order, %" PRIu64 " damaged, %"
		 PRIu64 " bad payload, %" PRIu64 " wrong work; %s",
		 s->producers, s->consumers, s->n - t.unique, t.twice + t.extra,
		 t.order, t.broken, t.bad, t.sink, fair);
	return VERDICT_NO;
}

static double prodcons_work(const struct cell *c)
{
	return (double)c->size;
}

static void prodcons_teardown(struct cell *c)
{
	prodcons_free(c->state);
	c->state = NULL;
}

const struct workload workload_prodcons = {
	.name = "prodcons",
	.summary = "P producers, C consumers, one bounded queue (W = P + C)",
	.description = "Producers and consumers over a bounded queue, the tutorial's "
		"queue.Queue: P producers put -n items in total, C consumers take "
		"them out, and the run ends with no item lost and nobody left "
		"waiting. Every item must be consumed exactly once and each "
		"producer's items in order; the workers column is P + C.",
	.size_help = "items in total",
	.default_size = 500000,
	.variants = prodcons_variants,
	.params = prodcons_params,
	.unit = "items/s",
	.footprint = prodcons_footprint,
	.plan = prodcons_plan,
	.setup = prodcons_setup,
	.reset = prodcons_reset,
	.reference = prodcons_reference,
	.verify = prodcons_verify,
	.work = prodcons_work,
	.teardown = prodcons_teardown,
};

/* ---- spsc: the loops threads/ and processes/ share --------------------- */

struct spsc *prodcons_spsc_create(struct pc_spsc *r)
{
	struct spsc *ring;

	if (r->s->producers != 1 || r->s->consumers != 1) {
		cell_fail(r->c, "spsc needs one producer and one consumer, not P=%d C=%d",
			  r->s->producers, r->s->consumers);
		return NULL;
	}
	ring = spsc_create(r->s->capacity, r->s->item_size);
	if (!ring)
		cell_fail(r->c, "spsc_create: %s", strerror(errno));
	return ring;
}

static int spsc_producer(struct pc_spsc *r)
{
	uint64_t count = prodcons_items_of(r->s, 0);
	uint64_t item[PC_MAX_ITEM_WORDS];
	struct spsc_side p = spsc_side_of(r->ring);

	for (uint64_t seq = 0; seq < count; seq++) {
		prodcons_make(r->s, 0, seq, item);
		if (spsc_put(&p, item))	/* closed: no consumer came */
			break;
	}
	spsc_close(p);
	return 0;
}

static int spsc_consumer(struct pc_spsc *r)
{
	/* zeroed once: gcc's analyzer cannot tell the ring's item size is words */
	uint64_t item[PC_MAX_ITEM_WORDS] = { 0 };
	struct pc_tallies t = prodcons_tally_begin(r->s, 0);
	struct spsc_side c = spsc_side_of(r->ring);
	int rc;

	/*
	 * A forked consumer has no page-table entries for its log yet: one
	 * call maps it, instead of a page fault every 512 items inside the
	 * ring's loop (threads: already mapped, nearly free).
	 */
	rc = shm_prefault(r->s->log[0].entry, r->s->n * sizeof(uint64_t));
	if (rc < 0) {
		cell_fail(r->c, "madvise (MADV_POPULATE_READ): %s", strerror(-rc));
		spsc_abort(r->ring);	/* the producer must not wait for us */
		return -1;
	}
	while (spsc_get(&c, item) == 0)
		prodcons_tally(&t, item);
	prodcons_tally_end(t);
	return 0;	/* -EPIPE: closed and drained, the normal end */
}

int prodcons_spsc_worker(void *arg, int id)
{
	return id == 0 ? spsc_producer(arg) : spsc_consumer(arg);
}

void prodcons_spsc_stop(void *arg)
{
	struct pc_spsc *r = arg;

	spsc_abort(r->ring);
}

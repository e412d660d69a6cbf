/*
 * counter.c - one shared 64-bit counter under contention: W workers each
 * add 1 to it n times, with every synchronisation idiom.
 *
 * MODELS  the tutorial's counter with a Lock, the classic first lesson in
 *         shared state, and what the alternatives to the lock cost:
 *         unsynchronised      a plain load, add, store: updates get lost
 *         mutex               a lock around the increment (openmp: critical,
 *                             or an omp_lock_t with its --lock; processes:
 *                             a process-shared mutex, robust with its
 *                             --mutex; threads: private, or the
 *                             processes' kinds with their --mutex)
 *         atomic              one indivisible fetch-and-add per increment
 *         sharded             a private slot per worker on its own cache
 *                             line, summed after the join (openmp: reduction)
 *         sharded-unpadded    the same slots side by side in one line: no
 *                             word is shared, yet the line is (false sharing)
 * SIZE    -n is increments *per worker*: a run does W*n of them, and
 *         throughput and speedup count per increment.
 * CORRECT every synchronised variant ends with exactly W*n. The
 *         unsynchronised one ends with 0 < final <= W*n when it has several
 *         workers ("expected-race", its lost updates counted, never hidden)
 *         and exactly n with one; anything else is a bug, not a race.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "counter.h"
#include "result.h"
#include "sys/detail.h"
#include "sys/shm.h"

_Static_assert(sizeof(_Atomic uint64_t) == sizeof(uint64_t) &&
	       alignof(_Atomic uint64_t) == alignof(uint64_t),
	       "the atomic and the plain view of the counter must coincide");

static const char *const counter_variants[] = {
	[CV_UNSYNCHRONISED] = "unsynchronised",
	[CV_MUTEX] = "mutex",
	[CV_ATOMIC] = "atomic",
	[CV_SHARDED] = "sharded",
	[CV_SHARDED_UNPADDED] = "sharded-unpadded",
	[CV_COUNT] = NULL,
};

/*
 * `volatile` makes every `*p = *p + 1` a real load and a real store, in
 * order, each time round the loop. Without it the compiler may keep the
 * value in a register and store once at the end (*p += n): right for one
 * worker, but it would make the unsynchronised race all but vanish and the
 * shards never touch memory, hiding what those variants exist to show.
 *
 * volatile is NOT synchronisation: it makes no load-add-store indivisible
 * and orders nothing between cores. Two workers can both load 41 and both
 * store 42: the lost update the unsynchronised variant counts. (In C11 that
 * concurrent access is a data race, undefined behaviour. It is tvp's one
 * deliberate race, so ThreadSanitizer is told to skip this function, and
 * only this one, so that `make tsan` still checks everything else.)
 *
 * noinline: every back end and the sequential reference run the very same
 * machine code; only where p points differs.
 */
__attribute__((noinline, no_sanitize("thread")))
void counter_add(volatile uint64_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		*p = *p + 1;
}

/* every worker on the one shared word: the race */
int counter_unsynchronised_worker(void *cell, int id)
{
	struct counter *s = ((struct cell *)cell)->state;

	(void)id;
	counter_add(&s->count.plain, s->n);
	return 0;
}

int counter_atomic_worker(void *cell, int id)
{
	struct counter *s = ((struct cell *)cell)->state;
	uint64_t n = s->n;

	(void)id;
	/*
	 * relaxed: each increment only has to be indivisible; it publishes no
	 * other data, and the join orders the final read after all of them.
	 * On x86-64 it is the same `lock xadd` instruction as seq_cst.
	 */
	for (uint64_t i = 0; i < n; i++)
		atomic_fetch_add_explicit(&s->count.atomic, 1, memory_order_relaxed);
	return 0;
}

/* each worker on its own cache line: nothing shared, nothing to wait for */
int counter_sharded_worker(void *cell, int id)
{
	struct counter *s = ((struct cell *)cell)->state;

	counter_add(&s->padded[id].n, s->n);
	return 0;
}

/*
 * Each worker on its own word, but the words share a line: every store
 * takes the whole line from the other cores (false sharing).
 */
int counter_sharded_unpadded_worker(void *cell, int id)
{
	struct counter *s = ((struct cell *)cell)->state;

	counter_add(&s->unpadded[id], s->n);
	return 0;
}

void counter_gather(struct counter *s, int variant)
{
	uint64_t sum = 0;

	if (variant != CV_SHARDED && variant != CV_SHARDED_UNPADDED)
		return;
	for (int k = 0; k < s->workers; k++)
		sum += variant == CV_SHARDED ? s->padded[k].n : s->unpadded[k];
	s->count.plain = sum;
}

static uint64_t counter_footprint(const struct cell *c)
{
	return sizeof(struct counter) +
	       (uint64_t)c->workers * (sizeof(struct counter_slot) + sizeof(uint64_t));
}

static void counter_free(struct counter *s)
{
	shm_free(s->unpadded, (size_t)s->workers * sizeof(*s->unpadded));
	shm_free(s->padded, (size_t)s->workers * sizeof(*s->padded));
	shm_free(s, sizeof(*s));
}

static int counter_setup(struct cell *c)
{
	size_t w = (size_t)c->workers;
	struct counter *s;

	if (c->size > UINT64_MAX / w)
		return -EOVERFLOW;	/* W*n would not fit in the counter */
	s = shm_alloc(sizeof(*s));
	if (!s)
		return -errno;
	s->n = c->size;
	s->workers = c->workers;
	s->padded = shm_alloc(w * sizeof(*s->padded));
	s->unpadded = s->padded ? shm_alloc(w * sizeof(*s->unpadded)) : NULL;
	if (!s->unpadded) {
		int rc = -errno;

		counter_free(s);
		return rc;
	}
	c->state = s;
	return 0;
}

static void counter_reset(struct cell *c)
{
	struct counter *s = c->state;

	s->count.plain = 0;
	memset(s->padded, 0, (size_t)s->workers * sizeof(*s->padded));
	memset(s->unpadded, 0, (size_t)s->workers * sizeof(*s->unpadded));
}

/* one worker does what all W would: with no one to race, plain is exact */
static int counter_reference(struct cell *c)
{
	struct counter *s = c->state;

	counter_add(&s->count.plain, (uint64_t)c->workers * s->n);
	return 0;
}

/*
 * Lost updates vary from run to run (0% when the workers happen not to
 * overlap), so the detail gives the range over every run, not the last.
 */
static enum verdict counter_verify_race(struct counter *s, uint64_t final,
					uint64_t expected, char *detail,
					size_t len)
{
	uint64_t lost = expected - final;
	double pct = 100.0 * (double)lost / (double)expected;

	if (final == 0 || final > expected) {
		snprintf(detail, len, "final %" PRIu64 " outside (0, %" PRIu64
			 "]: a bug, not a lost update", final, expected);
		return VERDICT_NO;
	}
	if (s->raced_runs++ == 0 || pct < s->lost_pct_min)
		s->lost_pct_min = pct;
	if (s->raced_runs == 1 || pct > s->lost_pct_max)
		s->lost_pct_max = pct;
	snprintf(detail, len, "lost %" PRIu64 " of %" PRIu64
		 " updates (%.2f%%); %.1f-%.1f%% over %" PRIu64 " runs", lost,
		 expected, pct, s->lost_pct_min, s->lost_pct_max, s->raced_runs);
	return VERDICT_RACE;
}

static enum verdict counter_verify(struct cell *c, char *detail, size_t len)
{
	struct counter *s = c->state;
	uint64_t expected = (uint64_t)c->workers * s->n;
	uint64_t final = s->count.plain;	/* after the join: no one writes */

	if (c->variant == CV_UNSYNCHRONISED && c->workers > 1 && expected > 0)
		return counter_verify_race(s, final, expected, detail, len);
	if (final != expected) {
		snprintf(detail, len, "final %" PRIu64 ", expected %" PRIu64
			 " = %d x %" PRIu64, final, expected, c->workers, s->n);
		return VERDICT_NO;
	}
	snprintf(detail, len, "exact: %" PRIu64 " = %d x %" PRIu64, final,
		 c->workers, s->n);
	return VERDICT_YES;
}

static double counter_work(const struct cell *c)
{
	return (double)c->workers * (double)c->size;
}

static void counter_teardown(struct cell *c)
{
	counter_free(c->state);
	c->state = NULL;
}

/* ---- in the driver, after every cell ran ------------------------------- */

static double seconds_per_incr(const struct cell_result *r)
{
	return r->st.median / r->work;
}

static const struct cell_result *
counter_padded_twin(const struct cell_result *r, const struct cell_result *all,
		    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (all[i].wl == r->wl && all[i].be == r->be &&
		    all[i].variant == CV_SHARDED && all[i].workers == r->workers &&
		    all[i].size == r->size && !all[i].failed && all[i].reps > 0 &&
		    all[i].work > 0 && all[i].st.median > 0)
			return &all[i];
	return NULL;
}

/*
 * ns per increment for the synchronised variants (the price of the idiom);
 * for sharded-unpadded, its slowdown against sharded in the same run.
 * With one worker there is no one to share a line with: no comparison.
 */
static void counter_annotate(struct cell_result *r,
			     const struct cell_result *all, size_t n)
{
	const struct cell_result *twin;
	double ratio;

	if (r->failed || r->reps == 0 || r->work <= 0 || r->verdict == VERDICT_NO)
		return;
	if (r->variant != CV_UNSYNCHRONISED)
		detail_add(r->detail, sizeof(r->detail), "%.2f ns/incr",
			   seconds_per_incr(r) * 1e9);
	twin = counter_padded_twin(r, all, n);
	if (r->variant != CV_SHARDED_UNPADDED || r->workers < 2 || !twin)
		return;
	ratio = seconds_per_incr(r) / seconds_per_incr(twin);
	if (ratio >= 1)
		detail_add(r->detail, sizeof(r->detail),
			   "%.1fx slower than sharded", ratio);
	else
		detail_add(r->detail, sizeof(r->detail),
			   "%.1fx faster than sharded", 1 / ratio);
}

const struct workload workload_counter = {
	.name = "counter",
	.summary = "one shared counter, W workers x n increments, every sync idiom",
	.description = "One shared counter, W workers adding 1 to it n times each, with "
		"every synchronisation idiom: none (updates get lost: "
		"expected-race), a mutex, an atomic add, per-worker shards on their "
		"own cache lines, and the same shards packed into one line (false "
		"sharing). Synchronised variants must end at exactly W*n; "
		"throughput counts increments.",
	.size_help = "increments per worker",
	/* long enough that forked workers overlap and the race shows */
	.default_size = 10000000,
	.variants = counter_variants,
	.params = NULL,
	.unit = "incr/s",
	.footprint = counter_footprint,
	.setup = counter_setup,
	.reset = counter_reset,
	.reference = counter_reference,
	.verify = counter_verify,
	.work = counter_work,
	.teardown = counter_teardown,
	.annotate = counter_annotate,
};

/*
 * spawn.c - what it costs to start and finish W workers.
 *
 * MODELS  the tutorial's remark that "creating workers costs something":
 *         -n rounds of starting W workers that do (almost) nothing and
 *         waiting for all of them. Variant `start` uses each model's own
 *         primitive: pthread_create + pthread_join, fork + _exit + waitpid,
 *         entering and leaving an OpenMP parallel region. Variant `exec`
 *         starts a new program (posix_spawn of bin/tvp-nop + waitpid): what
 *         multiprocessing's "spawn" start method and every shell pay.
 *         Variant `fork-minimal` (processes) makes the same forks as
 *         `start`, from a minimal parent (bin/tvp-nop) instead of tvp's
 *         runner: fork copies the parent's page tables, so it costs more
 *         from a bigger parent, and the two rows side by side show how
 *         much of `start` is the model and how much is the parent.
 * MEASURE EPCC-style: the back end times the rounds itself and subtracts the
 *         same rounds with each worker's job called directly, so the result
 *         is the construct's cost alone. throughput is that cost in
 *         microseconds per worker (lower is better); speedup means nothing
 *         here and is left empty. The sequential row is the empty reference
 *         itself: W direct calls per round.
 * CORRECT every worker of every round left exactly one mark: one byte per
 *         (worker, round) in shared memory, each of which must be 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "result.h"
#include "spawn_cost.h"
#include "sys/checked.h"
#include "sys/clock.h"
#include "sys/detail.h"
#include "sys/shm.h"

static const char *const spawn_variants[] = {
	[SPAWN_START] = "start", [SPAWN_EXEC] = "exec",
	[SPAWN_FORK_MINIMAL] = "fork-minimal", NULL,
};

static const struct param_def spawn_params[] = {
	{ 0 },
};

/* noinline: the reference loop must call the very code the workers run */
__attribute__((noinline)) void spawn_mark(struct spawn *s, int id)
{
	s->marks[spawn_mark_index(s, id)]++;
}

uint64_t spawn_mark_index(const struct spawn *s, int id)
{
	/* worker-major: within one round, workers write different cache lines */
	return (uint64_t)id * s->rounds + s->round;
}

double spawn_net_s(const struct spawn *s, double construct_s)
{
	struct spawn ref = *s;
	double t0, empty_s;

	ref.marks = s->empty;
	t0 = clock_now();
	for (ref.round = 0; ref.round < ref.rounds; ref.round++)
		for (int id = 0; id < ref.workers; id++)
			spawn_mark(&ref, id);
	empty_s = clock_now() - t0;
	return construct_s > empty_s ? construct_s - empty_s : 0;
}

int spawn_rounds(struct cell *c, spawn_round_fn round, void *arg)
{
	struct spawn *s = c->state;
	double t0 = clock_now();

	for (s->round = 0; s->round < s->rounds; s->round++)
		if (round(c, arg))
			return -1;
	c->self_timed_s = spawn_net_s(s, clock_now() - t0);
	return 0;
}

static uint64_t spawn_marks_len(const struct cell *c)
{
	return c->size * (uint64_t)c->workers;
}

static uint64_t spawn_footprint(const struct cell *c)
{
	return 2 * spawn_marks_len(c);
}

/*
 * A program started by exec keeps none of our mappings, only descriptors:
 * its marks live in a memfd, shared memory with no name in /dev/shm.
 */
static int spawn_alloc_marks(struct cell *c, struct spawn *s, size_t len)
{
	s->marks_fd = -1;
	if (c->variant == SPAWN_START) {
		s->marks = shm_alloc(len);
		return s->marks ? 0 : -errno;
	}
	s->marks = shm_alloc_fd(len, &s->marks_fd);
	return s->marks ? 0 : -errno;
}

static int spawn_setup(struct cell *c)
{
	size_t len = (size_t)spawn_marks_len(c);
	struct spawn *s = shm_alloc(sizeof(*s) + len);
	int rc;

	if (!s)
		return -errno;
	s->empty = (unsigned char *)(s + 1);
	s->rounds = c->size;
	s->workers = c->workers;
	rc = spawn_alloc_marks(c, s, len);
	if (rc) {
		shm_free(s, sizeof(*s) + len);
		return rc;
	}
	c->state = s;
	return 0;
}

static void spawn_reset(struct cell *c)
{
	struct spawn *s = c->state;

	memset(s->marks, 0, (size_t)spawn_marks_len(c));
}

static int spawn_reference(struct cell *c)
{
	struct spawn *s = c->state;

	for (s->round = 0; s->round < s->rounds; s->round++)
		for (int id = 0; id < s->workers; id++)
			spawn_mark(s, id);
	return 0;
}

static enum verdict spawn_verify(struct cell *c, char *detail, size_t len)
{
	struct spawn *s = c->state;
	uint64_t n = spawn_marks_len(c), missing = 0, extra = 0, first = 0;

	for (uint64_t i = 0; i < n; i++) {
		if (s->marks[i] == 1)
			continue;
		if (missing + extra == 0)
			first = i;
		if (s->marks[i] == 0)
			missing++;
		else
			extra++;
	}
	if (missing + extra) {
		snprintf(detail, len, "%" PRIu64 " starts missing, %" PRIu64
			 " repeated, of %" PRIu64 "; first: worker %" PRIu64
			 " round %" PRIu64, missing, extra, n,
			 first / s->rounds, first % s->rounds);
		return VERDICT_NO;
	}
	snprintf(detail, len, "%" PRIu64 " rounds x %d worker%s, each marked once",
		 s->rounds, s->workers, s->workers == 1 ? "" : "s");
	if (c->variant == SPAWN_FORK_MINIMAL && c->be && c->be->max_workers > 1)
		detail_add(detail, len, "forked by tvp-nop, a minimal parent");
	if (s->parent_maps > 0)
		detail_add(detail, len, "the forking parent has %ld mappings",
			   s->parent_maps);
	return VERDICT_YES;
}

static double spawn_work(const struct cell *c)
{
	return (double)spawn_marks_len(c);
}

static void spawn_teardown(struct cell *c)
{
	struct spawn *s = c->state;
	size_t len = (size_t)spawn_marks_len(c);

	shm_free(s->marks, len);
	if (s->marks_fd >= 0)
		WARN_SYS(close(s->marks_fd));
	shm_free(s, sizeof(*s) + len);
	c->state = NULL;
}

/*
 * The cost per worker is time over starts, the inverse of a throughput:
 * the throughput column carries it in us/worker. A ratio against the
 * sequential row (direct calls) would only say "starting costs more than
 * calling", so speedup and efficiency stay empty.
 */
/*
 * A processes `start` row's fork-minimal twin: the same forks, a small
 * parent. `all` holds every workload's rows, and a variant is a number
 * within its workload, so the twin must be spawn's too.
 */
static const struct cell_result *spawn_minimal_twin(const struct cell_result *r,
						   const struct cell_result *all,
						   size_t n)
{
	if (r->variant != SPAWN_START || r->be->max_workers == 1)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (all[i].wl == r->wl && all[i].variant == SPAWN_FORK_MINIMAL &&
		    all[i].be == r->be && all[i].workers == r->workers &&
		    all[i].size == r->size && !all[i].failed && all[i].reps &&
		    all[i].work > 0)
			return &all[i];
	return NULL;
}

static void spawn_annotate(struct cell_result *r, const struct cell_result *all,
			   size_t n)
{
	const struct cell_result *twin = spawn_minimal_twin(r, all, n);

	r->speedup = NAN;
	r->efficiency = NAN;
	r->throughput = r->reps && r->work > 0 ? r->st.median / r->work * 1e6 : NAN;
	if (isfinite(r->throughput))
		detail_add(r->detail, sizeof(r->detail), "%.*f us per worker%s",
			   r->throughput < 10 ? 3 : 0, r->throughput,
			   r->be->max_workers == 1 ? " (direct calls: the empty reference)" : "");
	if (twin && isfinite(r->throughput) && twin->st.median > 0)
		detail_add(r->detail, sizeof(r->detail),
			   "%.2fx a fork from a minimal parent (fork-minimal)",
			   r->throughput / (twin->st.median / twin->work * 1e6));
}

const struct workload workload_spawn = {
	.name = "spawn",
	.summary = "cost of starting and joining W workers (EPCC-style, minus an empty loop)",
	.description = "What starting and joining W workers costs: pthread_create and "
		"join, fork and waitpid, an OpenMP parallel region, or a new "
		"program (exec). The empty work is timed the same way and "
		"subtracted, EPCC-style, so the figure is microseconds per worker "
		"(lower is better) and speedup means nothing here.",
	.size_help = "rounds of start W workers + join them",
	.default_size = 100,
	.variants = spawn_variants,
	.params = spawn_params,
	.unit = "us/worker",
	.footprint = spawn_footprint,
	.setup = spawn_setup,
	.reset = spawn_reset,
	.reference = spawn_reference,
	.verify = spawn_verify,
	.work = spawn_work,
	.teardown = spawn_teardown,
	.annotate = spawn_annotate,
};

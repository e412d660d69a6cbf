/*
 * bench-limits - bare loops of every construct tvp measures, with nothing
 * of tvp around them: the ceiling each tvp figure is compared with
 * (scripts/bench-limits.sh, `make bench-limits`).
 *
 *   bench-limits MODE WORKERS N REPS [CAPACITY [ITEM_SIZE]]
 *
 * MODE is one of the names in `modes[]` below. Each run is timed from
 * before the first worker starts to after the last is joined, as tvp's
 * runner times a cell; a warm-up run is not counted. Prints one number, the
 * median over REPS runs, in the unit of tvp's throughput column for that
 * construct: items/s (rings, pipe), incr/s (counters) or us/worker (starts,
 * net of the same rounds with direct calls, as tvp's spawn subtracts its
 * empty reference; exec-start spawns $BENCH_HELPER, default bin/tvp-nop).
 * Every run checks its own result (each item in order,
 * the exact count, every mark) and exits 1 if it is wrong.
 * This file uses no tvp code on purpose.
 */
#include <errno.h>
#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CACHELINE_SIZE 64
#define MAX_W 64
#define MAX_REPS 101
#define MAX_ITEM_WORDS 512
#define SPINS_BEFORE_YIELD 1024

/* ---- what every loop needs: shared memory, a team, a clock -------------- */

static void die(const char *call, int err)
{
	fprintf(stderr, "bench-limits: %s: %s\n", call, strerror(err));
	exit(1);
}

static void *shared(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap", errno);
	return p;
}

static double now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		die("clock_gettime", errno);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef void (*work_fn)(int id);

static work_fn team_work;	/* what threads_run's threads run */

static void *thread_main(void *arg)
{
	team_work((int)(intptr_t)arg);
	return NULL;
}

static void threads_run(int w, work_fn fn)
{
	pthread_t t[MAX_W];
	int rc;

	team_work = fn;
	for (int k = 0; k < w; k++)
		if ((rc = pthread_create(&t[k], NULL, thread_main, (void *)(intptr_t)k)))
			die("pthread_create", rc);
	for (int k = 0; k < w; k++)
		if ((rc = pthread_join(t[k], NULL)))
			die("pthread_join", rc);
}

static void processes_run(int w, work_fn fn)
{
	pid_t pid[MAX_W];
	int status;

	for (int k = 0; k < w; k++) {
		pid[k] = fork();
		if (pid[k] < 0)
			die("fork", errno);
		if (pid[k] == 0) {
			fn(k);
			_exit(0);
		}
	}
	for (int k = 0; k < w; k++) {
		if (waitpid(pid[k], &status, 0) != pid[k])
			die("waitpid", errno);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			die("a worker process", ECHILD);
	}
}

/* ---- the parameters of one run, and the state its workers share -------- */

static struct {
	int w;
	uint64_t n;		/* items, or increments per worker, or rounds */
	size_t capacity, words;
} cfg;

struct shared_state {
	alignas(CACHELINE_SIZE) _Atomic uint64_t count;
	alignas(CACHELINE_SIZE) pthread_mutex_t lock;
	pthread_cond_t not_full, not_empty;
	uint64_t head, tail;	/* the locked ring's, under lock */
	/*
	 * the spsc ring: each side's index, polled by the other, and on a
	 * line of its own, each side's copy of the other's index
	 */
	alignas(CACHELINE_SIZE) _Atomic uint64_t spsc_tail;
	alignas(CACHELINE_SIZE) _Atomic uint64_t spsc_head;
	alignas(CACHELINE_SIZE) uint64_t head_seen;
	alignas(CACHELINE_SIZE) uint64_t tail_seen;
	alignas(CACHELINE_SIZE) uint64_t bad;	/* items out of order */
	int fd[2];
	alignas(CACHELINE_SIZE) unsigned char marks[MAX_W];
};

static struct shared_state *st;
static uint64_t *slots;

/* tvp's common/sys/backoff.h: spin, and yield once every so many looks */
static void spin(unsigned *spins)
{
	if (++*spins % SPINS_BEFORE_YIELD == 0)
		sched_yield();
}

static void item_fill(uint64_t *item, uint64_t i)
{
	for (size_t k = 0; k < cfg.words; k++)
		item[k] = i + k;
}

/* ---- rings: one producer, one consumer --------------------------------- */

static void locked_put(const uint64_t *item)
{
	pthread_mutex_lock(&st->lock);
	while (st->tail - st->head == cfg.capacity)
		pthread_cond_wait(&st->not_full, &st->lock);
	memcpy(slots + st->tail % cfg.capacity * cfg.words, item, cfg.words * 8);
	st->tail++;
	pthread_cond_signal(&st->not_empty);
	pthread_mutex_unlock(&st->lock);
}

static void locked_get(uint64_t *item)
{
	pthread_mutex_lock(&st->lock);
	while (st->tail == st->head)
		pthread_cond_wait(&st->not_empty, &st->lock);
	memcpy(item, slots + st->head % cfg.capacity * cfg.words, cfg.words * 8);
	st->head++;
	pthread_cond_signal(&st->not_full);
	pthread_mutex_unlock(&st->lock);
}

static void spsc_put(const uint64_t *item, uint64_t t, size_t slot)
{
	unsigned spins = 0;

	while (t - st->head_seen == cfg.capacity) {
		st->head_seen = atomic_load_explicit(&st->spsc_head, memory_order_acquire);
		if (t - st->head_seen == cfg.capacity)
			spin(&spins);
	}
	memcpy(slots + slot * cfg.words, item, cfg.words * 8);
	atomic_store_explicit(&st->spsc_tail, t + 1, memory_order_release);
}

static void spsc_get(uint64_t *item, uint64_t h, size_t slot)
{
	unsigned spins = 0;

	while (h == st->tail_seen) {
		st->tail_seen = atomic_load_explicit(&st->spsc_tail, memory_order_acquire);
		if (h == st->tail_seen)
			spin(&spins);
	}
	memcpy(item, slots + slot * cfg.words, cfg.words * 8);
	atomic_store_explicit(&st->spsc_head, h + 1, memory_order_release);
}

static void pipe_io(int fd, uint64_t *item, int out)
{
	size_t len = cfg.words * 8;
	ssize_t n;

	do
		n = out ? write(fd, item, len) : read(fd, item, len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len)
		die(out ? "write" : "read", n < 0 ? errno : EIO);
}

enum ring { RING_LOCKED, RING_SPSC, RING_PIPE };
static enum ring ring_kind;

/* worker 0 produces items 0..n-1, worker 1 checks they come in order */
static void ring_work(int id)
{
	uint64_t item[MAX_ITEM_WORDS];
	size_t slot = 0;

	for (uint64_t i = 0; i < cfg.n; i++) {
		if (id == 0)
			item_fill(item, i);
		if (ring_kind == RING_LOCKED)
			id == 0 ? locked_put(item) : locked_get(item);
		else if (ring_kind == RING_SPSC)
			id == 0 ? spsc_put(item, i, slot) : spsc_get(item, i, slot);
		else
			pipe_io(st->fd[id == 0], item, id == 0);
		slot = slot + 1 == cfg.capacity ? 0 : slot + 1;
		if (id == 1 && item[0] != i)
			st->bad++;
	}
}

static void ring_reset(void)
{
	st->head = st->tail = st->head_seen = st->tail_seen = st->bad = 0;
	atomic_store(&st->spsc_head, 0);
	atomic_store(&st->spsc_tail, 0);
}

static void ring_check(void)
{
	if (st->bad)
		die("ring", EPROTO);
}

/* ---- counters: W workers x n increments on one word -------------------- */

static void atomic_work(int id)
{
	(void)id;
	for (uint64_t i = 0; i < cfg.n; i++)
		atomic_fetch_add_explicit(&st->count, 1, memory_order_relaxed);
}

static void mutex_work(int id)
{
	volatile uint64_t *plain = (volatile uint64_t *)&st->count;
	int rc;

	(void)id;
	for (uint64_t i = 0; i < cfg.n; i++) {
		if ((rc = pthread_mutex_lock(&st->lock)))
			die("pthread_mutex_lock", rc);
		*plain = *plain + 1;
		if ((rc = pthread_mutex_unlock(&st->lock)))
			die("pthread_mutex_unlock", rc);
	}
}

static void counter_check(void)
{
	if (atomic_load(&st->count) != cfg.n * (uint64_t)cfg.w)
		die("counter", EPROTO);
	atomic_store(&st->count, 0);
}

/* ---- starts: W workers that leave a mark, n rounds --------------------- */

static void mark(int id)
{
	st->marks[id]++;
}

extern char **environ;

/* exec-start: posix_spawn the helper that does nothing, and reap it */
static void exec_run(int w, work_fn fn)
{
	const char *helper = getenv("BENCH_HELPER");
	char *argv[] = { (char *)(helper ? helper : "bin/tvp-nop"), NULL };
	pid_t pid[MAX_W];
	int status, rc;

	for (int k = 0; k < w; k++)
		if ((rc = posix_spawn(&pid[k], argv[0], NULL, NULL, argv, environ)))
			die("posix_spawn", rc);
	for (int k = 0; k < w; k++) {
		if (waitpid(pid[k], &status, 0) != pid[k])
			die("waitpid", errno);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			die("the helper", ECHILD);
		fn(k);	/* the helper marks nothing we can see: count it here */
	}
}

static void omp_region(int w)
{
#pragma omp parallel num_threads(w)
	mark(omp_get_thread_num());
}

static void marks_check(uint64_t rounds)
{
	for (int k = 0; k < cfg.w; k++)
		if (st->marks[k] != (unsigned char)rounds)
			die("marks", EPROTO);
	memset(st->marks, 0, sizeof(st->marks));
}

/* ---- the modes --------------------------------------------------------- */

enum mode_kind { RING, COUNTER, START };

struct mode {
	const char *name;
	enum mode_kind kind;
	void (*team)(int w, work_fn fn);	/* threads_run, processes_run, NULL: omp */
	work_fn work;
	enum ring ring;
	int mutex_pshared, mutex_robust;
};

static const struct mode modes[] = {
	{ "ring-locked", RING, threads_run, ring_work, RING_LOCKED, 0, 0 },
	{ "ring-locked-processes", RING, processes_run, ring_work, RING_LOCKED, 1, 0 },
	{ "ring-locked-robust", RING, processes_run, ring_work, RING_LOCKED, 1, 1 },
	{ "spsc-threads", RING, threads_run, ring_work, RING_SPSC, 0, 0 },
	{ "spsc-processes", RING, processes_run, ring_work, RING_SPSC, 0, 0 },
	{ "pipe", RING, processes_run, ring_work, RING_PIPE, 0, 0 },
	{ "atomic-threads", COUNTER, threads_run, atomic_work, 0, 0, 0 },
	{ "atomic-processes", COUNTER, processes_run, atomic_work, 0, 0, 0 },
	{ "mutex-threads", COUNTER, threads_run, mutex_work, 0, 0, 0 },
	{ "mutex-threads-shared", COUNTER, threads_run, mutex_work, 0, 1, 0 },
	{ "mutex-processes", COUNTER, processes_run, mutex_work, 0, 1, 0 },
	{ "mutex-robust", COUNTER, processes_run, mutex_work, 0, 1, 1 },
	{ "thread-start", START, threads_run, mark, 0, 0, 0 },
	{ "fork-start", START, processes_run, mark, 0, 0, 0 },
	{ "exec-start", START, exec_run, mark, 0, 0, 0 },
	{ "omp-region", START, NULL, mark, 0, 0, 0 },
};

static void mutex_setup(const struct mode *m)
{
	pthread_mutexattr_t a;
	pthread_condattr_t ca;
	int rc;

	if ((rc = pthread_mutexattr_init(&a)) || (rc = pthread_condattr_init(&ca)))
		die("pthread_mutexattr_init", rc);
	if (m->mutex_pshared || m->team == processes_run) {
		if ((rc = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED)) ||
		    (rc = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED)))
			die("pthread_mutexattr_setpshared", rc);
	}
	if (m->mutex_robust &&
	    (rc = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST)))
		die("pthread_mutexattr_setrobust", rc);
	if ((rc = pthread_mutex_init(&st->lock, &a)) ||
	    (rc = pthread_cond_init(&st->not_full, &ca)) ||
	    (rc = pthread_cond_init(&st->not_empty, &ca)))
		die("pthread_mutex_init", rc);
	pthread_mutexattr_destroy(&a);
	pthread_condattr_destroy(&ca);
}

/* one timed run of the mode: seconds, checked */
static double run_once(const struct mode *m)
{
	double t0;

	if (m->kind == RING) {
		ring_reset();
		if (m->ring == RING_PIPE && pipe(st->fd) != 0)
			die("pipe", errno);
	}
	t0 = now();
	if (m->kind == START) {
		for (uint64_t r = 0; r < cfg.n; r++)
			m->team ? m->team(cfg.w, m->work) : omp_region(cfg.w);
	} else {
		m->team(m->kind == RING ? 2 : cfg.w, m->work);
	}
	t0 = now() - t0;
	if (m->kind == RING && m->ring == RING_PIPE &&
	    (close(st->fd[0]) != 0 || close(st->fd[1]) != 0))
		die("close", errno);
	if (m->kind == RING)
		ring_check();
	else if (m->kind == COUNTER)
		counter_check();
	else
		marks_check(cfg.n);
	return t0;
}

/* the EPCC reference of a start mode: the same rounds, direct calls */
static double empty_rounds(void)
{
	double t0 = now();

	for (uint64_t r = 0; r < cfg.n; r++)
		for (int k = 0; k < cfg.w; k++)
			mark(k);
	t0 = now() - t0;
	memset(st->marks, 0, sizeof(st->marks));
	return t0;
}

/* a run's figure in tvp's unit for that construct */
static double figure(const struct mode *m, double s)
{
	if (m->kind == RING)
		return (double)cfg.n / s;
	if (m->kind == COUNTER)
		return (double)cfg.n * cfg.w / s;
	s -= empty_rounds();
	return (s > 0 ? s : 0) / ((double)cfg.n * cfg.w) * 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static const struct mode *mode_find(const char *name)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(*modes); i++)
		if (strcmp(name, modes[i].name) == 0)
			return &modes[i];
	return NULL;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench-limits MODE WORKERS(1-%d) N REPS(1-%d) "
		"[CAPACITY [ITEM_SIZE(8-%d)]]\nmodes:", MAX_W, MAX_REPS,
		MAX_ITEM_WORDS * 8);
	for (size_t i = 0; i < sizeof(modes) / sizeof(*modes); i++)
		fprintf(stderr, " %s", modes[i].name);
	fputc('\n', stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const struct mode *m = argc > 1 ? mode_find(argv[1]) : NULL;
	long reps = argc > 4 ? atol(argv[4]) : 0;
	size_t item = argc > 6 ? (size_t)atol(argv[6]) : 8;
	double fig[MAX_REPS];

	cfg.w = argc > 2 ? atoi(argv[2]) : 0;
	cfg.n = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
	cfg.capacity = argc > 5 ? (size_t)atol(argv[5]) : 64;
	cfg.words = (item + 7) / 8;
	if (!m || cfg.w < 1 || cfg.w > MAX_W || cfg.n == 0 || reps < 1 ||
	    reps > MAX_REPS || cfg.capacity == 0 || cfg.words == 0 ||
	    cfg.words > MAX_ITEM_WORDS)
		return usage();
	st = shared(sizeof(*st));
	slots = shared(cfg.capacity * cfg.words * 8);
	ring_kind = m->ring;
	mutex_setup(m);
	run_once(m);	/* warm-up, not counted */
	for (long r = 0; r < reps; r++)
		fig[r] = figure(m, run_once(m));
	qsort(fig, (size_t)reps, sizeof(*fig), by_value);
	printf("%.6g\n", fig[reps / 2]);
	return 0;
}

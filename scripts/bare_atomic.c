/*
 * bare_atomic.c - the yardstick for tvp's counter `atomic` variant: W
 * threads each doing n relaxed atomic_fetch_add on one shared, cache-line
 * aligned word, and nothing else. No tvp code, no runner, no verify in the
 * way, so what it prints is the cost of the contended line alone.
 *
 *   bare-atomic [WORKERS [N [REPS]]]     (default 2 10000000 5)
 *
 * Prints the median over REPS of wall time per increment, timed from the
 * moment all threads are released to the last join.
 */
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHELINE_SIZE 64
#define MAX_WORKERS 64
#define MAX_REPS 100

static struct {
	alignas(CACHELINE_SIZE) _Atomic uint64_t count;
} line;
static pthread_barrier_t start;
static uint64_t per_worker;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	for (uint64_t i = 0; i < per_worker; i++)
		atomic_fetch_add_explicit(&line.count, 1, memory_order_relaxed);
	return NULL;
}

/* one timed run, in seconds; any failure ends the program */
static double run(int w)
{
	pthread_t t[MAX_WORKERS];
	double t0;
	int rc;

	atomic_store(&line.count, 0);
	for (int k = 0; k < w; k++) {
		rc = pthread_create(&t[k], NULL, worker, NULL);
		if (rc) {
			fprintf(stderr, "bare-atomic: pthread_create: %s\n", strerror(rc));
			exit(1);
		}
	}
	pthread_barrier_wait(&start);
	t0 = now();
	for (int k = 0; k < w; k++) {
		rc = pthread_join(t[k], NULL);
		if (rc) {
			fprintf(stderr, "bare-atomic: pthread_join: %s\n", strerror(rc));
			exit(1);
		}
	}
	t0 = now() - t0;
	if (atomic_load(&line.count) != (uint64_t)w * per_worker) {
		fprintf(stderr, "bare-atomic: lost increments\n");
		exit(1);
	}
	return t0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int w = argc > 1 ? atoi(argv[1]) : 2;
	int reps = argc > 3 ? atoi(argv[3]) : 5;
	double s[MAX_REPS], med, total;

	per_worker = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000;
	if (w < 1 || w > MAX_WORKERS || reps < 1 || reps > MAX_REPS ||
	    per_worker == 0) {
		fprintf(stderr, "usage: bare-atomic [WORKERS 1-%d [N>0 [REPS 1-%d]]]\n",
			MAX_WORKERS, MAX_REPS);
		return 2;
	}
	if (pthread_barrier_init(&start, NULL, (unsigned)w + 1) != 0)
		return 1;
	run(w);		/* warm-up, not counted */
	for (int r = 0; r < reps; r++)
		s[r] = run(w);
	qsort(s, (size_t)reps, sizeof(*s), by_value);
	med = s[reps / 2];
	total = (double)w * (double)per_worker;
	printf("bare atomic_fetch_add: %d threads x %llu on one line: "
	       "%.2f ns/incr (%.3g incr/s), median of %d\n", w,
	       (unsigned long long)per_worker, med / total * 1e9, total / med, reps);
	return 0;
}

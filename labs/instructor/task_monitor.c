/*
 * task_monitor.c - lab 7, THE SOLUTION (instructors): `running` is an
 * atomic_bool, so main's store and the monitor's loads are ordered and
 * TSan is silent. (A mutex around both, or the condition variable of
 * tvp's condvar variant, are right too.) Copy it over
 * labs/code/task_monitor.c and `make lab-7` reports the program fixed.
 *
 *   task-monitor [WORKERS] [ITEMS]
 *
 * WORKERS threads each do ITEMS small pieces of work and count them in
 * their own slot of progress[]. A monitor thread, started first, adds up
 * the slots every millisecond for as long as `running` is set. main()
 * joins the workers, clears `running` and joins the monitor, as the
 * tutorial's monitor.stop() does. At the end the program checks the total
 * work and that the monitor took samples and stopped, and exits 1 if not.
 *
 * Run it: it works, every time. Then run the ThreadSanitizer build (make
 * lab-7 builds and runs both) and read what it says. Compare with the
 * `monitor` workload of tvp: threads/monitor.c.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_WORKERS 64

static atomic_bool running = true;	/* an atomic: stores and loads are ordered */
static atomic_long progress[MAX_WORKERS];
static long items, samples, last_seen;
static int workers;

static long total(void)
{
	long sum = 0;

	for (int k = 0; k < workers; k++)
		sum += atomic_load_explicit(&progress[k], memory_order_relaxed);
	return sum;
}

static void *monitor(void *arg)
{
	struct timespec tick = { 0, 1000000 };	/* 1 ms */

	(void)arg;
	do {
		last_seen = total();
		samples++;
		nanosleep(&tick, NULL);
	} while (atomic_load(&running));
	last_seen = total();	/* the final look, after the work */
	return NULL;
}

static void *worker(void *arg)
{
	atomic_long *mine = arg;
	unsigned long x = 1;

	for (long i = 0; i < items; i++) {
		for (int k = 0; k < 100; k++)
			x = x * 6364136223846793005UL + 1442695040888963407UL;
		atomic_fetch_add_explicit(mine, 1, memory_order_relaxed);
	}
	return x == 0 ? arg : NULL;	/* use x, so the work stays */
}

static int start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	int rc = pthread_create(t, NULL, fn, arg);

	if (rc)
		fprintf(stderr, "pthread_create: %s\n", strerror(rc));
	return rc;
}

static int join(pthread_t t)
{
	int rc = pthread_join(t, NULL);

	if (rc)
		fprintf(stderr, "pthread_join: %s\n", strerror(rc));
	return rc;
}

int main(int argc, char **argv)
{
	pthread_t tid[MAX_WORKERS], mon;
	long expected;

	workers = argc > 1 ? atoi(argv[1]) : 2;
	items = argc > 2 ? atol(argv[2]) : 200000;
	if (workers < 1 || workers > MAX_WORKERS || items < 0) {
		fprintf(stderr, "usage: task-monitor [WORKERS 1-%d] [ITEMS]\n",
			MAX_WORKERS);
		return 2;
	}
	if (start(&mon, monitor, NULL))
		return 2;
	for (int k = 0; k < workers; k++)
		if (start(&tid[k], worker, &progress[k]))
			return 2;
	for (int k = 0; k < workers; k++)
		if (join(tid[k]))
			return 2;
	atomic_store(&running, false);	/* monitor.stop() */
	if (join(mon))
		return 2;
	expected = (long)workers * items;
	printf("%s: work %ld of %ld; monitor took %ld samples, saw %ld at the end\n",
	       total() == expected && last_seen == expected && samples > 0 ?
	       "ok" : "WRONG", total(), expected, samples, last_seen);
	return total() == expected && last_seen == expected && samples > 0 ? 0 : 1;
}

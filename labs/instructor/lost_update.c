/*
 * lost_update.c - lab 1, THE SOLUTION (instructors): the leftover add
 * after the loop takes the lock too. Copy it over labs/code/lost_update.c
 * and `make lab-1` reports the program fixed.
 *
 *   lost-update [THREADS] [INCREMENTS]
 *
 * THREADS threads each add 1 to one shared counter INCREMENTS times. To
 * take the lock less often, each thread counts in a local variable and adds
 * it to the shared counter every BATCH increments. At the end the program
 * checks the total against THREADS * INCREMENTS and exits 1 if it is wrong.
 *
 * Run it a few times: is the total ever wrong? Then run the
 * ThreadSanitizer build (make lab-1 builds and runs both) and read what it
 * says. Which line is it, and why does the check above almost never see it?
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 1000
#define MAX_THREADS 64

static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long increments;

static void *worker(void *arg)
{
	long local = 0;

	(void)arg;
	for (long i = 0; i < increments; i++) {
		local++;
		if (local == BATCH) {
			pthread_mutex_lock(&lock);
			counter += local;
			pthread_mutex_unlock(&lock);
			local = 0;
		}
	}
	pthread_mutex_lock(&lock);
	counter += local;	/* what is left over, fewer than BATCH */
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t tid[MAX_THREADS];
	long expected;
	int rc;

	increments = argc > 2 ? atol(argv[2]) : 1000003;
	if (threads < 1 || threads > MAX_THREADS || increments < 0) {
		fprintf(stderr, "usage: lost-update [THREADS 1-%d] [INCREMENTS]\n",
			MAX_THREADS);
		return 2;
	}
	for (int k = 0; k < threads; k++)
		if ((rc = pthread_create(&tid[k], NULL, worker, NULL))) {
			fprintf(stderr, "pthread_create: %s\n", strerror(rc));
			return 2;
		}
	for (int k = 0; k < threads; k++)
		if ((rc = pthread_join(tid[k], NULL))) {
			fprintf(stderr, "pthread_join: %s\n", strerror(rc));
			return 2;
		}
	expected = (long)threads * increments;
	printf("%s: counter = %ld, expected %ld (%ld lost)\n",
	       counter == expected ? "ok" : "WRONG", counter, expected,
	       expected - counter);
	return counter == expected ? 0 : 1;
}

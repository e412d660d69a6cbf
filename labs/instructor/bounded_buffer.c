/*
 * bounded_buffer.c - lab 4, THE SOLUTION (instructors): both waits re-check
 * their condition in a `while` (Mesa semantics: a woken thread must look
 * again, another may have got there first). Copy it over
 * labs/code/bounded_buffer.c and `make lab-4` reports the program fixed.
 *
 *   bounded-buffer [CONSUMERS] [ITEMS] [CAPACITY]
 *
 * The producer puts items 1..ITEMS, then one 0 per consumer (a sentinel:
 * "no more work"). Each consumer takes items until it gets its sentinel.
 * At the end the program checks that every item was taken exactly once,
 * and exits 1 if not: that check is the test that catches the bug.
 * ThreadSanitizer will not help here: every access is under the lock.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONSUMERS 64
#define MAX_CAPACITY 4096

struct buffer {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	long slot[MAX_CAPACITY];
	int capacity, count, in, out;
};

static struct buffer b = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.not_empty = PTHREAD_COND_INITIALIZER,
	.not_full = PTHREAD_COND_INITIALIZER,
};
static unsigned char *taken;	/* taken[item]: how many times it came out */
static long n_items;

static void put(long item)
{
	pthread_mutex_lock(&b.lock);
	while (b.count == b.capacity)
		pthread_cond_wait(&b.not_full, &b.lock);
	b.slot[b.in] = item;
	b.in = (b.in + 1) % b.capacity;
	b.count++;
	pthread_cond_signal(&b.not_empty);
	pthread_mutex_unlock(&b.lock);
}

static long get(void)
{
	long item;

	pthread_mutex_lock(&b.lock);
	while (b.count == 0)
		pthread_cond_wait(&b.not_empty, &b.lock);
	item = b.slot[b.out];
	b.out = (b.out + 1) % b.capacity;
	b.count--;
	pthread_cond_signal(&b.not_full);
	pthread_mutex_unlock(&b.lock);
	return item;
}

static void *consumer(void *arg)
{
	long item;

	(void)arg;
	/* each item has one consumer, so counting it needs no lock */
	while ((item = get()) != 0)
		if (item > 0 && item <= n_items)
			taken[item]++;
	return NULL;
}

/* 0 when every item came out exactly once */
static int check(void)
{
	long lost = 0, twice = 0;

	for (long i = 1; i <= n_items; i++) {
		lost += taken[i] == 0;
		twice += taken[i] > 1;
	}
	if (lost + twice == 0) {
		printf("ok: all %ld items taken exactly once\n", n_items);
		return 0;
	}
	printf("WRONG: %ld of %ld items never taken, %ld taken more than once\n",
	       lost, n_items, twice);
	return 1;
}

int main(int argc, char **argv)
{
	int consumers = argc > 1 ? atoi(argv[1]) : 3;
	pthread_t tid[MAX_CONSUMERS];
	int rc;

	n_items = argc > 2 ? atol(argv[2]) : 200000;
	b.capacity = argc > 3 ? atoi(argv[3]) : 1;
	if (consumers < 1 || consumers > MAX_CONSUMERS || n_items < 1 ||
	    b.capacity < 1 || b.capacity > MAX_CAPACITY) {
		fprintf(stderr, "usage: bounded-buffer [CONSUMERS 1-%d] [ITEMS] [CAPACITY 1-%d]\n",
			MAX_CONSUMERS, MAX_CAPACITY);
		return 2;
	}
	taken = calloc((size_t)n_items + 1, 1);
	if (!taken) {
		perror("calloc");
		return 2;
	}
	for (int k = 0; k < consumers; k++)
		if ((rc = pthread_create(&tid[k], NULL, consumer, NULL))) {
			fprintf(stderr, "pthread_create: %s\n", strerror(rc));
			return 2;
		}
	for (long i = 1; i <= n_items; i++)
		put(i);
	for (int k = 0; k < consumers; k++)
		put(0);
	for (int k = 0; k < consumers; k++)
		if ((rc = pthread_join(tid[k], NULL))) {
			fprintf(stderr, "pthread_join: %s\n", strerror(rc));
			return 2;
		}
	rc = check();
	free(taken);
	return rc;
}

/*
 * threads/pool.c - a thread pool with futures and a completion queue.
 *
 * W threads are started once and each loops: take a future from the task
 * queue, run it, put it on the completion queue. Both are the bounded
 * queues of threads/queue.c, so all the locking is theirs: the futures
 * themselves need no lock, because a future belongs to one thread at a
 * time (the submitter, then the worker that took it from the queue, then
 * whoever takes it off the completion queue), and passing it through a
 * queue's mutex is what makes the previous owner's writes visible.
 *
 * as_completed is the completion queue read in order: futures come back
 * in the order they finished, not the order they were submitted. Both
 * queues hold `capacity` futures and at most `capacity` are ever out, so a
 * worker never waits to hand a result back.
 * pool_create() returns once every worker is waiting for work, so what
 * starting threads costs is not mixed into what the pool does.
 * Shutdown closes the task queue: each worker drains what is left (or
 * cancels it) and then sees -EPIPE and returns.
 * Compare processes/pool.c (the same loop in forked children, over shared
 * memory) and openmp/fetch.c (a `parallel for` with a dynamic schedule).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "sys/fault.h"
#include "threads/pool.h"
#include "threads/queue.h"

struct pool_worker {
	pthread_t tid;
	struct pool *pool;
	int id;
};

struct pool {
	struct tq *tasks;	/* struct future *, in submission order */
	struct tq *done;	/* struct future *, in completion order */
	struct pool_init init;
	atomic_int cancel;	/* shutdown(cancel_pending): skip the rest */
	struct outstanding out;	/* submitted and not yet collected */
	int workers;		/* started */
	int joined;
	struct pool_worker *w;
};

static void *pool_worker_main(void *arg)
{
	struct pool_worker *w = arg;
	struct pool *p = w->pool;
	int init_error;
	struct future *f = NULL;

	fault_point(NULL, FAULT_WORKER, w->id);	/* tests only: TVP_FAULT */
	init_error = p->init.init ? p->init.init(p->init.arg, w->id) : 0;

	tq_put(p->done, &f);	/* "ready": pool_create() waits for W of these */
	while (tq_get(p->tasks, &f) == 0) {
		future_run(f, w->id, init_error, atomic_load(&p->cancel));
		/*
		 * Cannot fail: `done` is closed only after every worker has
		 * returned, and has room for every future that is out.
		 */
		tq_put(p->done, &f);
	}
	if (p->init.fini)
		p->init.fini(p->init.arg, w->id);
	return NULL;
}

static void pool_free(struct pool *p)
{
	tq_destroy(p->done);
	tq_destroy(p->tasks);
	free(p->w);
	free(p);
}

/* the pool without its threads; 0 or -errno */
static int pool_alloc(struct pool **out, int workers, size_t capacity,
		      const struct pool_init *init)
{
	struct pool *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->out.capacity = capacity;
	p->init = init ? *init : (struct pool_init){ 0 };
	p->w = calloc((size_t)workers, sizeof(*p->w));
	p->tasks = tq_create(capacity, sizeof(struct future *));
	p->done = tq_create(capacity, sizeof(struct future *));
	if (!p->w || !p->tasks || !p->done) {
		int rc = errno ? -errno : -ENOMEM;

		pool_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

/* start the threads; how many started, and 0 or the pthread error */
static int pool_start(struct pool *p, int workers)
{
	int rc = 0;

	for (p->workers = 0; p->workers < workers; p->workers++) {
		struct pool_worker *w = &p->w[p->workers];

		*w = (struct pool_worker){ .pool = p, .id = p->workers };
		rc = fault_point(NULL, FAULT_CREATE, p->workers);	/* tests */
		if (!rc)
			rc = pthread_create(&w->tid, NULL, pool_worker_main, w);
		if (rc)
			break;
	}
	return rc;
}

/*
 * Each worker, once its init has run, puts a NULL on the completion queue.
 * Taking one per worker means the pool is really up, threads waiting for
 * work, when pool_create() returns.
 */
static int pool_wait_ready(struct pool *p)
{
	for (int k = 0; k < p->workers; k++) {
		struct future *ready;
		int rc = tq_get(p->done, &ready);

		if (rc)
			return rc;
	}
	return 0;
}

int pool_create(struct pool **out, int workers, size_t capacity,
		const struct pool_init *init)
{
	struct pool *p = NULL;
	int rc, ready;

	if (workers < 1 || capacity < 1)
		return -EINVAL;
	rc = pool_alloc(&p, workers, capacity, init);
	if (rc || !p)
		return rc ? rc : -ENOMEM;
	rc = -pool_start(p, workers);
	ready = pool_wait_ready(p);
	if (rc || ready) {
		pool_destroy(p);	/* stops the ones already started */
		return rc ? rc : ready;
	}
	*out = p;
	return 0;
}

int pool_submit(struct pool *p, struct future *f, pool_fn fn, void *arg)
{
	int rc = outstanding_add(&p->out);

	if (rc)
		return rc;
	future_prepare(f, fn, arg);
	rc = tq_put(p->tasks, &f);
	if (rc)
		outstanding_remove(&p->out);
	return rc;
}

int pool_as_completed(struct pool *p, struct future **f)
{
	/* claim one outstanding future first: then one is sure to arrive */
	int rc = outstanding_remove(&p->out);

	return rc ? rc : tq_get(p->done, f);
}

void pool_shutdown(struct pool *p, int cancel_pending)
{
	if (cancel_pending)
		atomic_store(&p->cancel, 1);
	tq_close(p->tasks);
}

int pool_join(struct pool *p)
{
	int failed = 0;

	if (p->joined)
		return 0;
	pool_shutdown(p, 0);
	for (int k = 0; k < p->workers; k++) {
		int rc = pthread_join(p->w[k].tid, NULL);

		if (rc && !failed)
			failed = rc;
	}
	p->joined = 1;
	tq_close(p->done);
	return -failed;
}

void pool_destroy(struct pool *p)
{
	pool_join(p);
	pool_free(p);
}

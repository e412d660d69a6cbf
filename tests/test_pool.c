/*
 * test_pool.c - the two pools on their own: the thread pool
 * (threads/pool.c) and the process pool (processes/pool.c), each
 * claim checked on both through one table of their functions.
 *
 * Futures carry results and errors; as_completed hands them back in the
 * order they finished; a failing task does not stop the others; shutdown
 * with work pending either finishes it or cancels it; capacity and
 * shutdown refuse further submits; the worker initializer runs once per
 * worker; a dead process breaks its pool instead of hanging it.
 * Everything a task touches is shared memory, so the same tasks serve
 * both pools. No test sleeps to synchronise: a task that must stay busy
 * waits on a process-shared semaphore that the test posts.
 */
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "processes/pool.h"
#include "sys/shm.h"
#include "tests/harness.h"
#include "threads/pool.h"

#define MAX_TASKS 640
#define BIG_POOL 64

/* ---- one table, two pools ---------------------------------------------- */

struct pool_api {
	const char *name;
	int (*create)(void **p, int workers, size_t capacity,
		      const struct pool_init *init);
	int (*submit)(void *p, struct future *f, pool_fn fn, void *arg);
	int (*as_completed)(void *p, struct future **f);
	void (*shutdown)(void *p, int cancel_pending);
	int (*join)(void *p);
	void (*destroy)(void *p);
};

static int t_create(void **p, int w, size_t cap, const struct pool_init *i)
{
	struct pool *q = NULL;
	int rc = pool_create(&q, w, cap, i);

	*p = q;
	return rc;
}
static int t_submit(void *p, struct future *f, pool_fn fn, void *arg)
{
	return pool_submit(p, f, fn, arg);
}
static int t_as_completed(void *p, struct future **f) { return pool_as_completed(p, f); }
static void t_shutdown(void *p, int cancel) { pool_shutdown(p, cancel); }
static int t_join(void *p) { return pool_join(p); }
static void t_destroy(void *p) { pool_destroy(p); }

static int p_create(void **p, int w, size_t cap, const struct pool_init *i)
{
	struct proc_pool *q = NULL;
	int rc = proc_pool_create(&q, w, cap, i);

	*p = q;
	return rc;
}
static int p_submit(void *p, struct future *f, pool_fn fn, void *arg)
{
	return proc_pool_submit(p, f, fn, arg);
}
static int p_as_completed(void *p, struct future **f) { return proc_pool_as_completed(p, f); }
static void p_shutdown(void *p, int cancel) { proc_pool_shutdown(p, cancel); }
static int p_join(void *p) { return proc_pool_join(p); }
static void p_destroy(void *p) { proc_pool_destroy(p); }

static const struct pool_api apis[] = {
	{ "threads", t_create, t_submit, t_as_completed, t_shutdown, t_join, t_destroy },
	{ "processes", p_create, p_submit, p_as_completed, p_shutdown, p_join, p_destroy },
};
#define N_APIS (sizeof(apis) / sizeof(apis[0]))

/* ---- what the tasks share: one shm_alloc() block ------------------------ */

struct gate {
	sem_t started;		/* posted by the task when it begins */
	sem_t go;		/* posted by the test to let it finish */
};

struct fixture {
	struct future fut[MAX_TASKS];
	int64_t value[MAX_TASKS];	/* square it; < 0: fail with that error */
	struct gate gate[MAX_TASKS];
	atomic_int inits, finis;
	int init_error;
};

static struct fixture *fixture_new(void)
{
	struct fixture *x = shm_alloc(sizeof(*x));

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	for (int i = 0; i < MAX_TASKS; i++) {
		x->value[i] = i;
		CU_ASSERT_EQUAL_FATAL(sem_init(&x->gate[i].started, 1, 0), 0);
		CU_ASSERT_EQUAL_FATAL(sem_init(&x->gate[i].go, 1, 0), 0);
	}
	return x;
}

static void fixture_free(struct fixture *x)
{
	CU_ASSERT_EQUAL(shm_free(x, sizeof(*x)), 0);
}

static int square_task(void *arg, int worker, int64_t *result)
{
	int64_t v = *(int64_t *)arg;

	(void)worker;
	if (v < 0)
		return (int)v;
	*result = v * v;
	return 0;
}

static void sem_wait_all(sem_t *s)
{
	while (sem_wait(s) != 0 && errno == EINTR)
		;
}

static int gated_task(void *arg, int worker, int64_t *result)
{
	struct gate *g = arg;

	(void)worker;
	sem_post(&g->started);
	sem_wait_all(&g->go);
	*result = -1;
	return 0;
}

static int dying_task(void *arg, int worker, int64_t *result)
{
	(void)arg, (void)worker, (void)result;
	kill(getpid(), SIGKILL);
	return 0;
}

static int counting_init(void *arg, int worker)
{
	struct fixture *x = arg;

	(void)worker;
	atomic_fetch_add(&x->inits, 1);
	return x->init_error;
}

static void counting_fini(void *arg, int worker)
{
	struct fixture *x = arg;

	(void)worker;
	atomic_fetch_add(&x->finis, 1);
}

static void *pool_new(const struct pool_api *api, int workers, size_t cap,
		      const struct pool_init *init)
{
	void *p = NULL;

	CU_ASSERT_EQUAL_FATAL(api->create(&p, workers, cap, init), 0);
	return p;
}

/* collect until -ENOENT; how many came back */
static int drain(const struct pool_api *api, void *p)
{
	struct future *f;
	int n = 0, rc;

	while ((rc = api->as_completed(p, &f)) == 0)
		n++;
	CU_ASSERT_EQUAL(rc, -ENOENT);
	return n;
}

/* ---- the claims --------------------------------------------------------- */

static void futures_hold_results_and_errors(const struct pool_api *api)
{
	struct fixture *x = fixture_new();
	void *p = pool_new(api, 3, 100, NULL);

	for (int i = 0; i < 100; i++) {
		if (i % 7 == 0)
			x->value[i] = -EIO;
		CU_ASSERT_EQUAL(api->submit(p, &x->fut[i], square_task, &x->value[i]), 0);
	}
	CU_ASSERT_EQUAL(drain(api, p), 100);
	for (int i = 0; i < 100; i++) {
		struct future *f = &x->fut[i];

		if (i % 7 == 0) {
			CU_ASSERT_EQUAL(future_state(f), FUTURE_FAILED);
			CU_ASSERT_EQUAL(f->error, -EIO);
		} else {
			CU_ASSERT_EQUAL(future_state(f), FUTURE_DONE);
			CU_ASSERT_EQUAL(f->result, (int64_t)i * i);
		}
	}
	CU_ASSERT_EQUAL(api->join(p), 0);
	api->destroy(p);
	fixture_free(x);
}

static void test_pool_futures_hold_results_and_errors(void)
{
	for (size_t a = 0; a < N_APIS; a++)
		futures_hold_results_and_errors(&apis[a]);
}

static void as_completed_follows_completion_order(const struct pool_api *api)
{
	static const int finish[] = { 2, 0, 1 };
	struct fixture *x = fixture_new();
	void *p = pool_new(api, 3, 3, NULL);
	struct future *f;

	for (int i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(api->submit(p, &x->fut[i], gated_task, &x->gate[i]), 0);
	for (int i = 0; i < 3; i++)	/* all three running at once */
		sem_wait_all(&x->gate[i].started);
	for (int k = 0; k < 3; k++) {
		sem_post(&x->gate[finish[k]].go);
		CU_ASSERT_EQUAL_FATAL(api->as_completed(p, &f), 0);
		CU_ASSERT_PTR_EQUAL(f, &x->fut[finish[k]]);
	}
	CU_ASSERT_EQUAL(api->as_completed(p, &f), -ENOENT);
	api->destroy(p);
	fixture_free(x);
}

static void test_pool_as_completed_follows_completion_order(void)
{
	for (size_t a = 0; a < N_APIS; a++)
		as_completed_follows_completion_order(&apis[a]);
}

static void failure_does_not_stop_the_worker(const struct pool_api *api)
{
	struct fixture *x = fixture_new();
	void *p = pool_new(api, 1, 10, NULL);	/* one worker runs all ten */

	for (int i = 0; i < 10; i++) {
		x->value[i] = i % 2 ? -ENOENT : i;
		CU_ASSERT_EQUAL(api->submit(p, &x->fut[i], square_task, &x->value[i]), 0);
	}
	CU_ASSERT_EQUAL(drain(api, p), 10);
	for (int i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(future_state(&x->fut[i]),
				i % 2 ? FUTURE_FAILED : FUTURE_DONE);
	CU_ASSERT_EQUAL(api->join(p), 0);
	api->destroy(p);
	fixture_free(x);
}

static void test_pool_failed_task_does_not_stop_the_others(void)
{
	for (size_t a = 0; a < N_APIS; a++)
		failure_does_not_stop_the_worker(&apis[a]);
}

static void shutdown_cancels_pending(const struct pool_api *api)
{
	struct fixture *x = fixture_new();
	void *p = pool_new(api, 1, 10, NULL);

	CU_ASSERT_EQUAL(api->submit(p, &x->fut[0], gated_task, &x->gate[0]), 0);
	sem_wait_all(&x->gate[0].started);	/* the only worker is busy */
	for (int i = 1; i < 10; i++)
		CU_ASSERT_EQUAL(api->submit(p, &x->fut[i], square_task, &x->value[i]), 0);
	api->shutdown(p, 1);
	sem_post(&x->gate[0].go);
	CU_ASSERT_EQUAL(drain(api, p), 10);
	CU_ASSERT_EQUAL(future_state(&x->fut[0]), FUTURE_DONE);
	for (int i = 1; i < 10; i++) {
		CU_ASSERT_EQUAL(future_state(&x->fut[i]), FUTURE_CANCELLED);
		CU_ASSERT_EQUAL(x->fut[i].error, -ECANCELED);
	}
	CU_ASSERT_EQUAL(api->join(p), 0);
	api->destroy(p);
	fixture_free(x);
}

static void test_pool_shutdown_with_cancel_skips_pending_work(void)
{
	for (size_t a = 0; a < N_APIS; a++)
		shutdown_cancels_pending(&apis[a]);
}

static void shutdown_finishes_pending(const struct pool_api *api)
{
	struct fixture *x = fixture_new();
	void *p = pool_new(api, 2, 50, NULL);

	for (int i = 0; i < 50; i++)
		CU_ASSERT_EQUAL(api->submit(p, &x->fut[i], square_task, &x->value[i]), 0);
	api->shutdown(p, 0);
	CU_ASSERT_EQUAL(api->join(p), 0);	/* waits for all fifty */
	for (int i = 0; i < 50; i++)
		CU_ASSERT_EQUAL(x->fut[i].result, (int64_t)i * i);
	CU_ASSERT_EQUAL(drain(api, p), 50);	/* still collectable after */
	api->destroy(p);
	fixture_free(x);
}

static void test_pool_shutdown_without_cancel_finishes_pending_work(void)
{
	for (size_t a = 0; a < N_APIS; a++)
		shutdown_finishes_pending(&apis[a]);
}

static void refuses_submits(const struct pool_api *api)
{
	struct fixture *x = fixture_new();
	void *p = pool_new(api, 2, 2, NULL);
	struct future *f;

	CU_ASSERT_EQUAL(api->submit(p, &x->fut[0], square_task, &x->value[0]), 0);
	CU_ASSERT_EQUAL(api->submit(p, &x->fut[1], square_task, &x->value[1]), 0);
	/* two out and none collected: a third could deadlock the pool */
	CU_ASSERT_EQUAL(api->submit(p, &x->fut[2], square_task, &x->value[2]), -ENOSPC);
	CU_ASSERT_EQUAL(api->as_completed(p, &f), 0);
	api->shutdown(p, 0);
	CU_ASSERT_EQUAL(api->submit(p, &x->fut[2], square_task, &x->value[2]), -EPIPE);
	CU_ASSERT_EQUAL(drain(api, p), 1);
	api->destroy(p);
	fixture_free(x);
}

static void test_pool_refuses_submits_beyond_capacity_and_after_shutdown(void)
{
	for (size_t a = 0; a < N_APIS; a++)
		refuses_submits(&apis[a]);
	CU_ASSERT_EQUAL(pool_create(&(struct pool *){ NULL }, 0, 1, NULL), -EINVAL);
	CU_ASSERT_EQUAL(proc_pool_create(&(struct proc_pool *){ NULL }, 1, 0, NULL),
			-EINVAL);
}

static void initializer_runs_once_per_worker(const struct pool_api *api,
					     int init_error)
{
	struct fixture *x = fixture_new();
	struct pool_init init = { counting_init, counting_fini, x };
	void *p;

	x->init_error = init_error;
	p = pool_new(api, 4, 20, &init);
	for (int i = 0; i < 20; i++)
		CU_ASSERT_EQUAL(api->submit(p, &x->fut[i], square_task, &x->value[i]), 0);
	CU_ASSERT_EQUAL(drain(api, p), 20);
	CU_ASSERT_EQUAL(api->join(p), 0);
	CU_ASSERT_EQUAL(x->inits, 4);
	CU_ASSERT_EQUAL(x->finis, 4);	/* fini runs even after a failed init */
	for (int i = 0; i < 20; i++) {
		CU_ASSERT_EQUAL(x->fut[i].error, init_error);
		CU_ASSERT_EQUAL(future_state(&x->fut[i]),
				init_error ? FUTURE_FAILED : FUTURE_DONE);
	}
	api->destroy(p);
	fixture_free(x);
}

static void test_pool_initializer_runs_once_per_worker_and_its_error_fails_tasks(void)
{
	for (size_t a = 0; a < N_APIS; a++) {
		initializer_runs_once_per_worker(&apis[a], 0);
		initializer_runs_once_per_worker(&apis[a], -ENODEV);
	}
}

static void runs_a_big_pool(const struct pool_api *api)
{
	struct fixture *x = fixture_new();
	void *p = pool_new(api, BIG_POOL, MAX_TASKS, NULL);
	int64_t sum = 0;
	struct future *f;

	for (int i = 0; i < MAX_TASKS; i++)
		CU_ASSERT_EQUAL(api->submit(p, &x->fut[i], square_task, &x->value[i]), 0);
	while (api->as_completed(p, &f) == 0)
		sum += f->result;
	/* sum of i^2 for i < n is (n-1)n(2n-1)/6 */
	CU_ASSERT_EQUAL(sum, (int64_t)(MAX_TASKS - 1) * MAX_TASKS * (2 * MAX_TASKS - 1) / 6);
	CU_ASSERT_EQUAL(api->join(p), 0);
	api->destroy(p);
	fixture_free(x);
}

static void test_pool_runs_64_workers(void)
{
	for (size_t a = 0; a < N_APIS; a++)
		runs_a_big_pool(&apis[a]);
}

static void test_proc_pool_reports_a_dead_worker_instead_of_hanging(void)
{
	struct fixture *x = fixture_new();
	struct proc_pool *p = NULL;
	struct future *f;
	int rc;

	CU_ASSERT_EQUAL_FATAL(proc_pool_create(&p, 2, 4, NULL), 0);
	CU_ASSERT_EQUAL(proc_pool_submit(p, &x->fut[0], dying_task, NULL), 0);
	CU_ASSERT_EQUAL(proc_pool_submit(p, &x->fut[1], square_task, &x->value[1]), 0);
	while ((rc = proc_pool_as_completed(p, &f)) == 0)
		CU_ASSERT_PTR_EQUAL(f, &x->fut[1]);	/* the dead one never comes */
	CU_ASSERT_EQUAL(rc, -ECHILD);
	CU_ASSERT_PTR_NOT_NULL(strstr(proc_pool_error(p), "killed by SIGKILL"));
	CU_ASSERT_EQUAL(proc_pool_join(p), -ECHILD);	/* kills the survivor */
	proc_pool_destroy(p);
	fixture_free(x);
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

static int dying_init(void *arg, int worker)
{
	(void)arg;
	if (worker == 1)
		kill(getpid(), SIGKILL);
	return 0;
}

static void test_proc_pool_create_fails_when_a_worker_dies_starting(void)
{
	struct pool_init init = { dying_init, NULL, NULL };
	struct proc_pool *p = NULL;

	CU_ASSERT_EQUAL(proc_pool_create(&p, 3, 4, &init), -ECHILD);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

SUITE(pool,
      TEST(test_pool_futures_hold_results_and_errors),
      TEST(test_pool_as_completed_follows_completion_order),
      TEST(test_pool_failed_task_does_not_stop_the_others),
      TEST(test_pool_shutdown_with_cancel_skips_pending_work),
      TEST(test_pool_shutdown_without_cancel_finishes_pending_work),
      TEST(test_pool_refuses_submits_beyond_capacity_and_after_shutdown),
      TEST(test_pool_initializer_runs_once_per_worker_and_its_error_fails_tasks),
      TEST(test_pool_runs_64_workers),
      TEST(test_proc_pool_reports_a_dead_worker_instead_of_hanging),
      TEST(test_proc_pool_create_fails_when_a_worker_dies_starting))

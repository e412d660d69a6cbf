/*
 * test_shmqueue.c - the processes' shared queue (processes/queue.c) on
 * its own, across fork(): FIFO, capacity 1, the empty edge and timeouts,
 * close while children are blocked on either side, task_done/join across
 * processes, and the two ways a process can die on a shared queue: holding
 * its lock (the next locker goes on) and waiting in it (destroy does not
 * hang). Children report through their exit status; none is left behind.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "processes/queue.h"
#include "sys/shm.h"
#include "tests/harness.h"

#define CROSS_ITEMS 20000

/* fork a child that runs fn(q, arg) and _exit()s with its result */
static pid_t spawn(int (*fn)(struct sq *, int), struct sq *q, int arg)
{
	pid_t p = fork();

	if (p == 0)
		_exit(fn(q, arg));
	CU_ASSERT_FATAL(p > 0);
	return p;
}

/* the child's exit status, or -1 if it did not exit normally */
static int reap(pid_t p)
{
	int status;

	if (waitpid(p, &status, 0) != p)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_sq_create_refuses_zero_sizes(void)
{
	errno = 0;
	CU_ASSERT_PTR_NULL(sq_create(0, 8));
	CU_ASSERT_EQUAL(errno, EINVAL);
	errno = 0;
	CU_ASSERT_PTR_NULL(sq_create(4, 0));
	CU_ASSERT_EQUAL(errno, EINVAL);
}

static int produce_sequence(struct sq *q, int n)
{
	for (uint64_t i = 0; i < (uint64_t)n; i++)
		if (sq_put(q, &i))
			return 1;
	return 0;
}

static void test_sq_keeps_fifo_from_a_child_at_capacity_one(void)
{
	struct sq *q = sq_create(1, sizeof(uint64_t));
	uint64_t v, wrong = 0;
	pid_t p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	p = spawn(produce_sequence, q, CROSS_ITEMS);
	for (uint64_t i = 0; i < CROSS_ITEMS; i++) {
		CU_ASSERT_EQUAL_FATAL(sq_get(q, &v), 0);
		wrong += v != i;
	}
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT_EQUAL(reap(p), 0);
	sq_destroy(q);
}

static void test_sq_get_timeout_on_empty_times_out(void)
{
	struct sq *q = sq_create(2, sizeof(int));
	int v = 8, out = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(sq_get_timeout(q, &out, 0), -ETIMEDOUT);
	CU_ASSERT_EQUAL(sq_get_timeout(q, &out, 0.01), -ETIMEDOUT);
	CU_ASSERT_EQUAL(sq_put(q, &v), 0);
	CU_ASSERT_EQUAL(sq_get_timeout(q, &out, 0), 0);
	CU_ASSERT_EQUAL(out, 8);
	sq_destroy(q);
}

static void test_sq_close_drains_then_refuses(void)
{
	struct sq *q = sq_create(4, sizeof(int));
	int a = 1, b = 2, out = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(sq_put(q, &a), 0);
	CU_ASSERT_EQUAL(sq_put(q, &b), 0);
	sq_close(q);
	CU_ASSERT_EQUAL(sq_put(q, &a), -EPIPE);
	CU_ASSERT_EQUAL(sq_get(q, &out), 0);
	CU_ASSERT_EQUAL(out, 1);
	CU_ASSERT_EQUAL(sq_get(q, &out), 0);
	CU_ASSERT_EQUAL(out, 2);
	CU_ASSERT_EQUAL(sq_get(q, &out), -EPIPE);
	CU_ASSERT_EQUAL(sq_get_timeout(q, &out, 60), -EPIPE);
	sq_destroy(q);
}

/* exit 0 when the blocking call ends in -EPIPE, as close promises */
static int get_expect_epipe(struct sq *q, int timed)
{
	int v;

	return (timed ? sq_get_timeout(q, &v, 60) : sq_get(q, &v)) == -EPIPE ? 0 : 1;
}

static int put_expect_epipe(struct sq *q, int v)
{
	return sq_put(q, &v) == -EPIPE ? 0 : 1;
}

static void test_sq_close_wakes_blocked_children(void)
{
	struct sq *empty = sq_create(1, sizeof(int)), *full = sq_create(1, sizeof(int));
	pid_t g[3], p;
	int v = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(empty);
	CU_ASSERT_PTR_NOT_NULL_FATAL(full);
	CU_ASSERT_EQUAL(sq_put(full, &v), 0);
	for (int k = 0; k < 3; k++)
		g[k] = spawn(get_expect_epipe, empty, k == 0);
	p = spawn(put_expect_epipe, full, 2);
	sq_close(empty);
	sq_close(full);
	for (int k = 0; k < 3; k++)
		CU_ASSERT_EQUAL(reap(g[k]), 0);
	CU_ASSERT_EQUAL(reap(p), 0);
	sq_destroy(empty);
	sq_destroy(full);
}

static int consume_and_mark_done(struct sq *q, int unused)
{
	int v;

	(void)unused;
	while (sq_get(q, &v) == 0)
		sq_task_done(q);
	return 0;
}

static void test_sq_join_waits_for_children_task_done(void)
{
	struct sq *q = sq_create(2, sizeof(int));
	pid_t c[2];

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(sq_join(q), 0);
	for (int k = 0; k < 2; k++)
		c[k] = spawn(consume_and_mark_done, q, 0);
	for (int i = 0; i < 1000; i++)
		CU_ASSERT_EQUAL(sq_put(q, &i), 0);
	CU_ASSERT_EQUAL(sq_join(q), 0);
	CU_ASSERT_EQUAL(q->done, 1000);
	sq_close(q);
	for (int k = 0; k < 2; k++)
		CU_ASSERT_EQUAL(reap(c[k]), 0);
	sq_destroy(q);
}

/* take the queue's lock and die without unlocking it */
static int die_holding_lock(struct sq *q, int unused)
{
	(void)unused;
	if (shm_mutex_lock(&q->lock) < 0)
		return 1;
	_exit(0);
}

static void test_sq_dead_lock_holder_does_not_wedge_others(void)
{
	struct sq *q = sq_create(2, sizeof(int));
	int v = 11, out = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(sq_put(q, &v), 0);
	CU_ASSERT_EQUAL(reap(spawn(die_holding_lock, q, 0)), 0);
	/* the lock's owner is dead: robust, so these go on instead of hanging */
	CU_ASSERT_EQUAL(sq_put(q, &v), 0);
	CU_ASSERT_EQUAL(sq_get(q, &out), 0);
	CU_ASSERT_EQUAL(sq_get(q, &out), 0);
	CU_ASSERT_EQUAL(out, 11);
	CU_ASSERT_EQUAL(sq_get_timeout(q, &out, 0), -ETIMEDOUT);
	sq_destroy(q);
}

/* tell the parent we are about to wait, then wait on an empty queue */
static int announce_and_get(struct sq *q, int fd)
{
	int v;

	if (write(fd, "w", 1) != 1)
		return 1;
	return sq_get(q, &v) == 0 ? 0 : 2;
}

static void test_sq_destroy_does_not_hang_after_a_killed_waiter(void)
{
	struct sq *q = sq_create(1, sizeof(int));
	int fd[2], status;
	char c;
	pid_t p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL_FATAL(pipe(fd), 0);
	p = spawn(announce_and_get, q, fd[1]);
	CU_ASSERT_EQUAL(read(fd[0], &c, 1), 1);
	CU_ASSERT_EQUAL(kill(p, SIGKILL), 0);
	CU_ASSERT_EQUAL(waitpid(p, &status, 0), p);
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	sq_destroy(q);	/* would hang in pthread_cond_destroy() */
	close(fd[0]);
	close(fd[1]);
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

SUITE(shmqueue,
      TEST(test_sq_create_refuses_zero_sizes),
      TEST(test_sq_keeps_fifo_from_a_child_at_capacity_one),
      TEST(test_sq_get_timeout_on_empty_times_out),
      TEST(test_sq_close_drains_then_refuses),
      TEST(test_sq_close_wakes_blocked_children),
      TEST(test_sq_join_waits_for_children_task_done),
      TEST(test_sq_dead_lock_holder_does_not_wedge_others),
      TEST(test_sq_destroy_does_not_hang_after_a_killed_waiter))

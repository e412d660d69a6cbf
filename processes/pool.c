/*
 * processes/pool.c - a pool of pre-forked processes with futures and a
 * completion queue.
 *
 * The loop of threads/pool.c, in W children forked once: take a future
 * from the task queue, run it, put it on the completion queue. The queues
 * are processes/queue.c's, in shared memory mapped before the fork, and
 * carry pointers to futures that are shared memory too, so a pointer means
 * the same bytes in every process. A task's function pointer is valid in
 * the child because fork() copies the whole program, at the same
 * addresses; no exec() follows. proc_pool_create() returns once every
 * child has run its init and is waiting for work, so forking and first
 * page faults are not mixed into what the pool does.
 *
 * What threads never face: a child can die (a crash, the OOM killer, a
 * stray kill) with a future in hand, and that future would never come
 * back. So the parent does not wait on the completion queue for ever: it
 * waits at most PROC_POOL_CHECK_S at a time and, each time nothing came,
 * asks waitpid(WNOHANG) whether a child has gone. A child that leaves
 * before shutdown breaks the pool: as_completed returns -ECHILD, and join
 * kills the rest rather than trust queues a dying process may have left
 * mid-wait (see processes/queue.h).
 * Compare threads/pool.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "processes/pool.h"
#include "processes/queue.h"
#include "sys/detail.h"
#include "sys/fault.h"
#include "sys/shm.h"

/* how long the parent waits for a completion before checking on children */
#define PROC_POOL_CHECK_S 0.1

struct proc_pool {
	struct sq *tasks;	/* struct future *, in submission order */
	struct sq *done;	/* struct future *, in completion order */
	struct pool_init init;
	atomic_int *cancel;	/* shared: the children read it */
	struct outstanding out;	/* submitted and not yet collected */
	int workers;		/* forked */
	int shut_down, joined;
	pid_t *pid;		/* 0 once reaped */
	char error[DETAIL_LEN];
};

static void proc_pool_worker_main(struct proc_pool *p, int id, pid_t parent)
{
	int init_error, rc;
	struct future *f;

	/* die with the parent; and if it already died, do not start */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(127);
	fault_point(NULL, FAULT_WORKER, id);	/* tests only: TVP_FAULT */
	init_error = p->init.init ? p->init.init(p->init.arg, id) : 0;
	f = NULL;
	sq_put(p->done, &f);	/* "ready": proc_pool_create() waits for W */
	while ((rc = sq_get(p->tasks, &f)) == 0) {
		future_run(f, id, init_error, atomic_load(p->cancel));
		/* room for every future out, and closed only after we are gone */
		sq_put(p->done, &f);
	}
	if (p->init.fini)
		p->init.fini(p->init.arg, id);
	_exit(rc == -EPIPE ? 0 : 1);
}

static void proc_pool_free(struct proc_pool *p)
{
	sq_destroy(p->done);
	sq_destroy(p->tasks);
	shm_free(p->cancel, sizeof(*p->cancel));
	free(p->pid);
	free(p);
}

static int proc_pool_alloc(struct proc_pool **out, int workers,
			   size_t capacity, const struct pool_init *init)
{
	struct proc_pool *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->out.capacity = capacity;
	p->init = init ? *init : (struct pool_init){ 0 };
	p->pid = calloc((size_t)workers, sizeof(*p->pid));
	p->cancel = shm_alloc(sizeof(*p->cancel));
	p->tasks = sq_create(capacity, sizeof(struct future *));
	p->done = sq_create(capacity, sizeof(struct future *));
	if (!p->pid || !p->cancel || !p->tasks || !p->done) {
		int rc = errno ? -errno : -ENOMEM;

		proc_pool_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

/* the first child to go wrong is the one the error names */
static void proc_pool_broke(struct proc_pool *p, int k, int status)
{
	char sig[96];

	if (p->error[0])
		return;
	if (WIFSIGNALED(status))
		snprintf(p->error, sizeof(p->error), "pool worker %d killed by %s",
			 k, signame(WTERMSIG(status), sig, sizeof(sig)));
	else
		snprintf(p->error, sizeof(p->error),
			 "pool worker %d exited with status %d%s", k,
			 WEXITSTATUS(status), p->shut_down ? "" : " before shutdown");
}

/* reap children that have exited (options: WNOHANG, or 0 to wait) */
static void proc_pool_reap(struct proc_pool *p, int options)
{
	for (int k = 0; k < p->workers; k++) {
		int status;
		pid_t r;

		if (p->pid[k] == 0)
			continue;
		do
			r = waitpid(p->pid[k], &status, options);
		while (r < 0 && errno == EINTR);
		if (r == 0)
			continue;	/* still running */
		p->pid[k] = 0;
		if (r < 0 && !p->error[0])
			snprintf(p->error, sizeof(p->error), "waitpid (pool worker %d): %s",
				 k, strerror(errno));
		else if (r > 0 && (!p->shut_down || !WIFEXITED(status) ||
				   WEXITSTATUS(status) != 0))
			proc_pool_broke(p, k, status);
	}
}

/*
 * The next future off the completion queue, checking every
 * PROC_POOL_CHECK_S that no child has died holding one: 0, or -ECHILD.
 */
static int proc_pool_take(struct proc_pool *p, struct future **f)
{
	for (;;) {
		int rc;

		if (p->error[0])
			return -ECHILD;
		rc = sq_get_timeout(p->done, f, PROC_POOL_CHECK_S);
		if (rc != -ETIMEDOUT)
			return rc;
		proc_pool_reap(p, WNOHANG);
	}
}

/* fork the children; 0 or -errno */
static int proc_pool_start(struct proc_pool *p, int workers)
{
	pid_t self = getpid();

	for (p->workers = 0; p->workers < workers; p->workers++) {
		int err = fault_point(NULL, FAULT_CREATE, p->workers);	/* tests */
		pid_t pid = err ? -1 : fork();

		if (err)
			return -err;
		if (pid == 0)
			proc_pool_worker_main(p, p->workers, self);
		if (pid < 0)
			return -errno;
		p->pid[p->workers] = pid;
	}
	return 0;
}

/*
 * Each child, once its init has run, puts a NULL on the completion queue.
 * Taking one per child means the pool is really up, every child forked,
 * its pages faulted in and waiting for work, when proc_pool_create()
 * returns.
 */
static int proc_pool_wait_ready(struct proc_pool *p)
{
	for (int k = 0; k < p->workers; k++) {
		struct future *ready;
		int rc = proc_pool_take(p, &ready);

		if (rc)
			return rc;
	}
	return 0;
}

int proc_pool_create(struct proc_pool **out, int workers, size_t capacity,
		     const struct pool_init *init)
{
	struct proc_pool *p = NULL;
	int rc, ready;

	if (workers < 1 || capacity < 1)
		return -EINVAL;
	rc = proc_pool_alloc(&p, workers, capacity, init);
	if (rc || !p)
		return rc ? rc : -ENOMEM;
	rc = proc_pool_start(p, workers);
	ready = proc_pool_wait_ready(p);
	if (rc || ready) {
		proc_pool_destroy(p);	/* stops the ones already forked */
		return rc ? rc : ready;
	}
	*out = p;
	return 0;
}

int proc_pool_submit(struct proc_pool *p, struct future *f, pool_fn fn,
		     void *arg)
{
	int rc = outstanding_add(&p->out);

	if (rc)
		return rc;
	future_prepare(f, fn, arg);
	rc = sq_put(p->tasks, &f);
	if (rc)
		outstanding_remove(&p->out);
	return rc;
}

int proc_pool_as_completed(struct proc_pool *p, struct future **f)
{
	/* claim one outstanding future first: then one is sure to arrive */
	int rc = outstanding_remove(&p->out);

	return rc ? rc : proc_pool_take(p, f);
}

void proc_pool_shutdown(struct proc_pool *p, int cancel_pending)
{
	if (cancel_pending)
		atomic_store(p->cancel, 1);
	p->shut_down = 1;
	sq_close(p->tasks);
}

/* a broken pool's queues cannot be trusted: its children are killed */
static void proc_pool_kill(struct proc_pool *p)
{
	for (int k = 0; k < p->workers; k++)
		if (p->pid[k] > 0 && kill(p->pid[k], SIGKILL) != 0 &&
		    errno != ESRCH && !p->error[0])
			snprintf(p->error, sizeof(p->error), "kill (pool worker %d): %s",
				 k, strerror(errno));
}

int proc_pool_join(struct proc_pool *p)
{
	if (p->joined)
		return p->error[0] ? -ECHILD : 0;
	if (p->error[0])
		proc_pool_kill(p);
	proc_pool_shutdown(p, 0);
	proc_pool_reap(p, 0);
	p->joined = 1;
	sq_close(p->done);
	return p->error[0] ? -ECHILD : 0;
}

void proc_pool_destroy(struct proc_pool *p)
{
	proc_pool_join(p);
	proc_pool_free(p);
}

const char *proc_pool_error(const struct proc_pool *p)
{
	return p->error;
}

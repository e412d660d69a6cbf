/*
 * processes/team.c - the fork + waitpid fork-join, and what to do when a child
 * does not come back.
 *
 * The tutorial's multiprocessing.Process(...).start() and .join(). Children
 * share nothing but what lives in shm_alloc() memory (MAP_SHARED survives
 * fork; ordinary memory is copied on write). Each child ends with _exit(),
 * never exit(): it must not flush stdio buffers or run atexit handlers it
 * inherited from the parent.
 *
 * A child that dies can leave its siblings waiting forever (on a queue it
 * should have filled, a lock it held). So the supervisor waits for *any*
 * child, and at the first one that fails it kills the rest and reports
 * which worker died and how. Compare threads/team.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "processes/team.h"
#include "sys/detail.h"
#include "sys/fault.h"
#include "sys/pin.h"
#include "sys/shm.h"

#define WHY_UNFINISHED '\1'	/* in `why` until the worker's body returned */

/*
 * The child's cell is its own copy-on-write copy, so why it failed is
 * copied into the shared `why` slot, where the parent can read it.
 */
static void proc_team_member_main(struct cell *c, proc_team_fn fn, void *arg,
				  int id, pid_t parent, char *why)
{
	int rc;

	/* die with the runner; and if it already died, do not start */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(127);
	/*
	 * Until the body has returned, `why` says the worker did not finish:
	 * a worker that exits with status 0 before (TVP_FAULT's exit:status=0,
	 * a stray exit(0)) is a failure too, and its siblings, who may wait
	 * for its items, are not left waiting for it.
	 */
	why[0] = WHY_UNFINISHED;
	fault_point(c, FAULT_WORKER, id);	/* tests only: TVP_FAULT */
	c->error[0] = 0;
	rc = pin_worker(c, id);	/* --pin: bind before doing any work */
	if (rc)
		cell_fail(c, "sched_setaffinity: %s", strerror(-rc));
	else if (fn(arg, id) == 0) {
		why[0] = 0;
		_exit(0);
	}
	snprintf(why, DETAIL_LEN, "worker %d: %.200s", id,
		 c->error[0] ? c->error : "failed");
	_exit(1);
}

static int worker_of(const pid_t *pid, int n, pid_t p)
{
	for (int k = 0; k < n; k++)
		if (pid[k] == p)
			return k;
	return -1;
}

static void describe_death(struct cell *c, int k, int status, const char *why)
{
	char sig[96];

	if (WIFSIGNALED(status))
		cell_fail(c, "worker %d killed by %s", k,
			  signame(WTERMSIG(status), sig, sizeof(sig)));
	else if (why[0] == WHY_UNFINISHED)
		cell_fail(c, "worker %d exited with status %d before it finished", k,
			  WEXITSTATUS(status));
	else if (why[0])
		cell_fail(c, "%s", why);
	else
		cell_fail(c, "worker %d exited with status %d", k,
			  WEXITSTATUS(status));
}

static void kill_all(struct cell *c, const pid_t *pid, int n)
{
	for (int k = 0; k < n; k++)
		if (pid[k] > 0 && kill(pid[k], SIGKILL) != 0 && errno != ESRCH)
			cell_fail(c, "kill (worker %d): %s", k, strerror(errno));
}

/* reap all n children; at the first failure kill the others */
static int proc_team_reap(struct cell *c, pid_t *pid, int n,
			  char (*why)[DETAIL_LEN])
{
	int left = n, failed = 0;

	while (left > 0) {
		int status, k;
		pid_t p = waitpid(-1, &status, 0);

		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0) {
			cell_fail(c, "waitpid: %s", strerror(errno));
			return -1;
		}
		k = worker_of(pid, n, p);
		if (k < 0)
			continue;	/* not one of ours */
		pid[k] = 0;
		left--;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !why[k][0])
			continue;
		if (!failed++) {
			describe_death(c, k, status, why[k]);
			kill_all(c, pid, n);
		}
	}
	return failed ? -1 : 0;
}

int proc_team_run(struct cell *c, proc_team_fn fn, void *arg)
{
	size_t why_len = (size_t)c->workers * DETAIL_LEN;
	char (*why)[DETAIL_LEN] = shm_alloc(why_len);
	/*
	 * On the stack: after fork() each private page the parent writes is a
	 * copy-on-write fault, and its stack page takes one anyway; a heap
	 * array costs another, and a child's free() of it two more. Private,
	 * not beside `why`: no child can change whom the supervisor kills.
	 */
	pid_t pid[MAX_WORKERS];
	pid_t self = getpid();
	int started, err = 0, rc = -1;

	if (!why) {
		cell_fail(c, "mmap: %s", strerror(errno));
		goto out;
	}
	if (c->workers > MAX_WORKERS) {	/* the CLI allows no more */
		cell_fail(c, "%d workers: at most %d", c->workers, MAX_WORKERS);
		goto out;
	}
	/* learn the CPU order here, once, so the children inherit it */
	if (c->pin && (rc = pin_prepare()) != 0) {
		cell_fail(c, "--pin: reading the CPU topology: %s", strerror(-rc));
		rc = -1;
		goto out;
	}
	for (started = 0; started < c->workers; started++) {
		pid_t p;

		err = fault_point(c, FAULT_CREATE, started);	/* tests: EAGAIN */
		p = err ? -1 : fork();
		if (p == 0)
			proc_team_member_main(c, fn, arg, started, self,
					      why[started]);
		if (p < 0) {
			err = err ? err : errno;
			kill_all(c, pid, started);	/* all or nothing */
			break;
		}
		pid[started] = p;
	}
	rc = proc_team_reap(c, pid, started, why);
	if (err)
		cell_fail(c, "fork (worker %d of %d): %s", started, c->workers,
			  strerror(err));
	rc = err ? -1 : rc;
out:
	if (why && shm_free(why, why_len) != 0)
		cell_fail(c, "munmap: %s", strerror(errno));
	return rc;
}

/*
 * processes/spawn.c - the price of fork + _exit + waitpid, and of starting
 * a new program with posix_spawn.
 *
 * `start`: every round forks W children with the supervisor every tvp
 * processes workload uses (processes/supervisor.c) and reaps them. fork()
 * copies the parent's page tables and marks every private page
 * copy-on-write, so it costs more than a thread and grows with the
 * parent's memory; the children then die, which unmaps it all again.
 * `exec`: every round starts W copies of bin/tvp-nop (processes/helper/)
 * with posix_spawn(), which glibc implements with a vfork-like clone that
 * shares the parent's memory until the exec, so no page tables are copied,
 * but the new program must be loaded and dynamically linked. This is what
 * Python's multiprocessing pays with its "spawn" start method, before the
 * interpreter even starts. The helper reaches its mark through the memfd
 * descriptor it inherits (common/shm.c: shm_alloc_fd).
 * Compare: threads/spawn.c, openmp/spawn.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "locate.h"
#include "runner.h"
#include "spawn_cost.h"
#include "supervisor.h"

#define INDEX_LEN 24	/* a uint64_t in decimal, and its NUL */

extern char **environ;

static int spawn_worker(void *arg, int id)
{
	spawn_mark(arg, id);
	return 0;
}

static int spawn_round(struct cell *c, void *arg)
{
	(void)arg;
	return proc_team_run(c, spawn_worker, c->state);
}

int processes_spawn_run(struct cell *c)
{
	return spawn_rounds(c, spawn_round, NULL);
}

/* wait for the first n helpers; each must have exited with status 0 */
static int spawn_exec_reap(struct cell *c, const pid_t *pid, int n)
{
	char sig[96];
	int failed = 0;

	for (int k = 0; k < n; k++) {
		int status;

		while (waitpid(pid[k], &status, 0) < 0)
			if (errno != EINTR) {
				if (!failed++)
					cell_fail(c, "waitpid: %s", strerror(errno));
				status = 0;
				break;
			}
		if (WIFSIGNALED(status) && !failed++)
			cell_fail(c, "tvp-nop (worker %d) killed by %s", k,
				  runner_signame(WTERMSIG(status), sig, sizeof(sig)));
		else if (WIFEXITED(status) && WEXITSTATUS(status) && !failed++)
			cell_fail(c, "tvp-nop (worker %d) exited with status %d",
				  k, WEXITSTATUS(status));
	}
	return failed ? -1 : 0;
}

struct spawn_exec {
	char **argv;	/* { helper, marks fd, index (filled per worker), NULL } */
	pid_t *pid;
};

static int spawn_exec_round(struct cell *c, void *arg)
{
	struct spawn_exec *x = arg;
	struct spawn *s = c->state;
	char **argv = x->argv;
	pid_t *pid = x->pid;
	int started, rc = 0;

	for (started = 0; started < s->workers; started++) {
		snprintf(argv[2], INDEX_LEN, "%" PRIu64, spawn_mark_index(s, started));
		rc = posix_spawn(&pid[started], argv[0], NULL, NULL, argv, environ);
		if (rc)
			break;
	}
	if (spawn_exec_reap(c, pid, started))
		return -1;
	if (rc)
		cell_fail(c, "posix_spawn %s (worker %d of %d): %s", argv[0],
			  started, s->workers, strerror(rc));
	return rc ? -1 : 0;
}

int processes_spawn_exec_run(struct cell *c)
{
	static const char *const helper_rel[] = { "tvp-nop", NULL };
	struct spawn *s = c->state;
	char helper[PATH_MAX], fd[16], index[INDEX_LEN];
	char *argv[] = { helper, fd, index, NULL };
	pid_t *pid = calloc((size_t)s->workers, sizeof(*pid));
	int rc;

	if (!pid) {
		cell_fail(c, "calloc: %s", strerror(errno));
		return -1;
	}
	rc = locate_file("TVP_NOP", helper_rel, X_OK, helper, sizeof(helper));
	if (rc) {
		cell_fail(c, "tvp-nop, the helper to exec, is not next to tvp (make builds it; or set TVP_NOP): %s",
			  strerror(-rc));
	} else {
		snprintf(fd, sizeof(fd), "%d", s->marks_fd);
		rc = spawn_rounds(c, spawn_exec_round,
				  &(struct spawn_exec){ argv, pid });
	}
	free(pid);
	return rc ? -1 : 0;
}

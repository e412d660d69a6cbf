/*
 * processes/spawn.c - the price of fork + _exit + waitpid, and of starting
 * a new program with posix_spawn.
 *
 * `start`: every round forks W children with the supervisor every tvp
 * processes workload uses (processes/team.c) and reaps them. fork()
 * copies the parent's page tables and marks every private page
 * copy-on-write, so it costs more than a thread and grows with the
 * parent's memory; the children then die, which unmaps it all again.
 * `exec`: every round starts W copies of bin/tvp-nop (processes/helper/)
 * with posix_spawn(), which glibc implements with a vfork-like clone that
 * shares the parent's memory until the exec, so no page tables are copied,
 * but the new program must be loaded and dynamically linked. This is what
 * Python's multiprocessing pays with its "spawn" start method, before the
 * interpreter even starts. The helper reaches its mark through the memfd
 * descriptor it inherits (common/sys/shm.c: shm_alloc_fd).
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

#include "processes/processes.h"
#include "processes/team.h"
#include "spawn_cost.h"
#include "sys/checked.h"
#include "sys/detail.h"
#include "sys/fault.h"
#include "sys/locate.h"
#include "sys/maps.h"

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
	struct spawn *s = c->state;

	s->parent_maps = maps_count();	/* untimed: before the rounds */
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
				  signame(WTERMSIG(status), sig, sizeof(sig)));
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
		rc = fault_point(c, FAULT_CREATE, started);	/* tests: EAGAIN */
		if (!rc)
			rc = posix_spawn(&pid[started], argv[0], NULL, NULL, argv,
					 environ);
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

/* bin/tvp-nop's path into helper[PATH_MAX]; 0 or -1 with c->error */
static int spawn_helper(struct cell *c, char *helper)
{
	static const char *const helper_rel[] = { "tvp-nop", NULL };
	int rc = locate_file("TVP_NOP", helper_rel, X_OK, helper, PATH_MAX);

	if (rc)
		cell_fail(c, "tvp-nop, the helper to exec, is not next to tvp (make builds it; or set TVP_NOP): %s",
			  strerror(-rc));
	return rc ? -1 : 0;
}

int processes_spawn_exec_run(struct cell *c)
{
	struct spawn *s = c->state;
	char helper[PATH_MAX], fd[16], index[INDEX_LEN];
	char *argv[] = { helper, fd, index, NULL };
	pid_t *pid = calloc((size_t)s->workers, sizeof(*pid));
	int rc;

	if (!pid) {
		cell_fail(c, "calloc: %s", strerror(errno));
		return -1;
	}
	rc = spawn_helper(c, helper);
	if (!rc) {
		snprintf(fd, sizeof(fd), "%d", s->marks_fd);
		rc = spawn_rounds(c, spawn_exec_round,
				  &(struct spawn_exec){ argv, pid });
	}
	free(pid);
	return rc ? -1 : 0;
}

/* ---- fork-minimal: the same forks, made by tvp-nop --------------------- */

/* read the helper's one line: its seconds for every round and its mappings */
static int spawn_minimal_read(struct cell *c, int fd, double *seconds,
			      long *maps)
{
	char line[64];
	ssize_t n;
	size_t len = 0;

	while (len < sizeof(line) - 1 &&
	       (n = read(fd, line + len, sizeof(line) - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cell_fail(c, "read (tvp-nop's pipe): %s", strerror(errno));
			return -1;
		}
		len += (size_t)n;
	}
	line[len] = 0;
	/* "SECONDS MAPS": its time, and its own mappings (0: unknown) */
	if (sscanf(line, "%lf %ld", seconds, maps) != 2 || !(*seconds >= 0) ||
	    *maps < 0) {
		cell_fail(c, "tvp-nop fork printed no time");
		return -1;
	}
	return 0;
}

/* start `tvp-nop fork FD ROUNDS W` with its stdout on out[1]; 0 or an errno */
static int spawn_minimal_start(struct spawn *s, char *helper, int out[2],
			       pid_t *pid)
{
	char fd[16], rounds[INDEX_LEN], w[16];
	char *argv[] = { helper, "fork", fd, rounds, w, NULL };
	posix_spawn_file_actions_t fa;
	int rc;

	snprintf(fd, sizeof(fd), "%d", s->marks_fd);
	snprintf(rounds, sizeof(rounds), "%" PRIu64, s->rounds);
	snprintf(w, sizeof(w), "%d", s->workers);
	rc = posix_spawn_file_actions_init(&fa);
	if (rc)
		return rc;
	rc = posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	if (!rc)
		rc = posix_spawn_file_actions_addclose(&fa, out[0]);
	if (!rc)
		rc = posix_spawn(pid, helper, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/*
 * tvp-nop forks W children -n times and prints how long that took; the
 * runner subtracts the empty reference as for every other row, and the
 * marks the children left are verified as always.
 */
int processes_spawn_fork_minimal_run(struct cell *c)
{
	struct spawn *s = c->state;
	char helper[PATH_MAX];
	int out[2], rc, closed;
	double seconds = 0;
	pid_t pid;

	if (spawn_helper(c, helper))
		return -1;
	CHECK_SYS(c, pipe(out));
	rc = spawn_minimal_start(s, helper, out, &pid);
	/* the parent's write end: the helper's exit is then the pipe's EOF */
	closed = close(out[1]) == 0 ? 0 : errno;
	if (rc) {
		(void)close(out[0]);	/* already failing: its status adds nothing */
		cell_fail(c, "posix_spawn %s: %s", helper, strerror(rc));
		return -1;
	}
	/* its one line fits in the pipe: reap first, so a failed helper is named */
	rc = spawn_exec_reap(c, &pid, 1);
	if (!rc && closed) {
		cell_fail(c, "close (pipe): %s", strerror(closed));
		rc = -1;
	}
	if (!rc)
		rc = spawn_minimal_read(c, out[0], &seconds, &s->parent_maps);
	if (close(out[0]) != 0 && !rc) {
		cell_fail(c, "close (pipe): %s", strerror(errno));
		rc = -1;
	}
	if (rc)
		return -1;
	c->self_timed_s = spawn_net_s(s, seconds);
	return 0;
}

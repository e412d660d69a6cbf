/*
 * runner.c - measuring one cell in a supervised child, the runner.
 *
 * DESIGN
 * Each cell runs in its own child process, in its own process group, so
 * that a crash, a hang or a leak in one cell cannot touch the driver or the
 * cells after it. The runner sends one fixed-size message per repetition
 * over a pipe; each is smaller than PIPE_BUF, so a write is atomic. The
 * driver waits on the pipe with a deadline; when a repetition takes longer
 * than --timeout it kills the runner's whole group (workers included).
 * After the runner is gone the driver kills and reaps whatever is left of
 * the group: the driver is a child subreaper, so orphaned workers come back
 * to it instead of to init, and nothing outlives its cell. The same wait
 * also watches the interrupt pipe (interrupt.h): a SIGINT or SIGTERM to
 * the driver kills the runner's group at once and ends the cell unfinished.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/interrupt.h"
#include "run/runner.h"
#include "sys/checked.h"
#include "sys/clock.h"
#include "sys/detail.h"
#include "sys/fault.h"

enum msg_kind { MSG_READY = 1, MSG_REP, MSG_FAIL, MSG_DONE };
enum cmd_kind { CMD_REP = 1, CMD_DONE };

struct msg {
	int32_t kind;
	int32_t rep;		/* < 0: warm-up */
	int32_t verdict;
	double wall_s, user_s, sys_s, vol, invol;
	double cpu_s;		/* the runner's CPU so far, reaped workers included */
	double work;
	char text[DETAIL_LEN];	/* verify's detail, or why it failed */
};

struct cmd {
	int32_t kind;
	int32_t rep;
};

_Static_assert(sizeof(struct msg) <= PIPE_BUF, "a message must be atomic");

static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static int write_full(int fd, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
}

/* ---- the runner (child) side ------------------------------------------- */

static void usage_now(struct msg *m)
{
	struct rusage self, kids;

	/* the runner's threads plus the worker processes it has reaped */
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	m->user_s = (double)(self.ru_utime.tv_sec + kids.ru_utime.tv_sec) +
		    (double)(self.ru_utime.tv_usec + kids.ru_utime.tv_usec) * 1e-6;
	m->sys_s = (double)(self.ru_stime.tv_sec + kids.ru_stime.tv_sec) +
		   (double)(self.ru_stime.tv_usec + kids.ru_stime.tv_usec) * 1e-6;
	m->vol = (double)(self.ru_nvcsw + kids.ru_nvcsw);
	m->invol = (double)(self.ru_nivcsw + kids.ru_nivcsw);
}

/* stamp the runner's CPU so far, so the driver can tell it from others' */
static void send_msg(int fd, struct msg *m)
{
	struct msg now;

	usage_now(&now);
	m->cpu_s = now.user_s + now.sys_s;
	if (write_full(fd, m, sizeof(*m)))
		_exit(3);	/* the driver is gone; nobody to tell */
}

/* one repetition: reset, then only run() between the two clock reads */
static int runner_rep(struct cell *c, run_fn run, int rep, int fd)
{
	struct msg before, m = { .kind = MSG_REP, .rep = rep };
	double t0, t1;
	int rc;

	if (c->wl->reset)
		c->wl->reset(c);
	c->self_timed_s = -1;
	c->self_user_s = -1;
	c->self_sys_s = -1;
	c->error[0] = 0;
	c->note = NULL;
	usage_now(&before);
	t0 = clock_now();
	rc = run(c);
	t1 = clock_now();
	usage_now(&m);
	if (rc) {
		m.kind = MSG_FAIL;
		snprintf(m.text, sizeof(m.text), "%s",
			 c->error[0] ? c->error : "run failed");
		send_msg(fd, &m);
		return -1;
	}
	m.wall_s = c->self_timed_s >= 0 ? c->self_timed_s : t1 - t0;
	m.user_s = c->self_user_s >= 0 ? c->self_user_s : m.user_s - before.user_s;
	m.sys_s = c->self_sys_s >= 0 ? c->self_sys_s : m.sys_s - before.sys_s;
	m.vol -= before.vol;
	m.invol -= before.invol;
	m.verdict = (int32_t)c->wl->verify(c, m.text, sizeof(m.text));
	if (c->note)	/* a back-end knob's doing: the variant cannot say it */
		detail_add(m.text, sizeof(m.text), "%s", c->note);
	send_msg(fd, &m);
	return m.verdict == VERDICT_NO ? -1 : 0;
}

/*
 * Set up, say so, then run one repetition per command until told to stop
 * (or the driver's end of the pipe closes): the driver decides the order
 * of repetitions across the cells of a comparison.
 */
static void runner_child(struct cell *c, int cmd_fd, int fd)
{
	run_fn run = c->be == NULL ? NULL : backend_runner(c->be, c->wl, c->variant);
	struct msg m = { .kind = MSG_FAIL };
	struct cmd k;
	int rc;

	fault_enter(c);	/* tests: allocation faults belong to this cell */
	if (!run) {
		snprintf(m.text, sizeof(m.text), "%s has no run function for %s",
			 c->be ? c->be->name : "?", c->wl->name);
		send_msg(fd, &m);
		_exit(0);
	}
	rc = c->wl->setup(c);
	if (rc) {
		snprintf(m.text, sizeof(m.text), "setup: %s", strerror(-rc));
		send_msg(fd, &m);
		_exit(0);
	}
	m.kind = MSG_READY;
	send_msg(fd, &m);
	while (read_full(cmd_fd, &k, sizeof(k)) == (ssize_t)sizeof(k) &&
	       k.kind == CMD_REP)
		if (runner_rep(c, run, k.rep, fd))
			break;
	m = (struct msg){ .kind = MSG_DONE };
	m.work = c->wl->work ? c->wl->work(c) : (double)c->size;
	c->wl->teardown(c);
	send_msg(fd, &m);
	_exit(0);
}

static void runner_start(struct cell *c, int cmd[2], int msg[2], pid_t driver)
{
	/* own group, so the driver can kill the runner and its workers at once */
	if (setpgid(0, 0) != 0)
		_exit(4);
	/* die with the driver; check the parent again in case it died first */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != driver)
		_exit(5);
	if (close(cmd[1]) != 0 || close(msg[0]) != 0)
		_exit(6);
	runner_child(c, cmd[0], msg[1]);
}

/* ---- the driver side --------------------------------------------------- */

/* wait for the runner's pipe; 0 when the deadline passed or we must stop */
static int wait_msg(struct runner *rn, double deadline)
{
	for (;;) {
		struct pollfd p[2] = { { .fd = rn->msg_fd, .events = POLLIN },
				       { .fd = interrupt_fd(), .events = POLLIN } };
		double left = deadline - clock_now();
		int rc = left > 0 ? poll(p, 2, (int)(left * 1000) + 1) : 0;

		if (interrupt_signal()) {
			rn->interrupted = 1;
			return 0;
		}
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -errno;
		if (rc == 0)
			rn->timed_out = 1;
		return rc;
	}
}

/*
 * The runner's next message, within the timeout: 1 read, 0 the runner has
 * ended (EOF, timeout or interrupt: then its group is killed), -errno.
 */
/* ESRCH is no failure: the whole group may have gone already */
static void kill_group(pid_t pgid)
{
	if (kill(-pgid, SIGKILL) != 0 && errno != ESRCH)
		fprintf(stderr, "tvp: kill(-%d): %s\n", (int)pgid, strerror(errno));
}

static int next_msg(struct runner *rn, struct msg *m)
{
	int rc = wait_msg(rn, clock_now() + rn->timeout_s);
	ssize_t n;

	if (rc < 0)
		return rc;
	if (rc == 0) {
		kill_group(rn->pid);
		return 0;
	}
	n = read_full(rn->msg_fd, m, sizeof(*m));
	if (n < 0)
		return (int)n;
	if (n < (ssize_t)sizeof(*m))
		return 0;	/* EOF: the runner has finished or died */
	rn->cycle_cpu_s = m->cpu_s - rn->cpu_s;
	rn->cpu_s = m->cpu_s;
	return 1;
}

static int send_cmd(struct runner *rn, const struct cmd *k)
{
	ssize_t n;

	do
		n = send(rn->cmd_fd, k, sizeof(*k), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*k) ? 0 : n < 0 ? -errno : -EIO;
}

static void take_fail(struct runner *rn, const struct msg *m,
		      struct cell_result *r)
{
	rn->ended = 1;
	r->failed = 1;
	snprintf(r->detail, sizeof(r->detail), "%s", m->text);
}

int runner_spawn(struct runner *rn, struct cell *c, double timeout_s,
		 struct cell_result *r)
{
	int cmd[2], msg[2], rc;
	struct msg m;
	pid_t driver = getpid();

	*rn = (struct runner){ .pid = -1, .cmd_fd = -1, .msg_fd = -1,
			       .timeout_s = timeout_s };
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		return -errno;
	/* a socket, so a write to a dead runner is EPIPE, never SIGPIPE */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cmd) != 0)
		return -errno;
	if (pipe2(msg, O_CLOEXEC) != 0) {
		rc = -errno;
		goto out_close_cmd;
	}
	fflush(NULL);	/* the child must not inherit unwritten output */
	rn->pid = interrupt_fork();
	if (rn->pid < 0) {
		rc = -errno;
		goto out_close_msg;
	}
	if (rn->pid == 0)
		runner_start(c, cmd, msg, driver);
	/* both sides set the group, so neither can race the other's kill */
	if (setpgid(rn->pid, rn->pid) != 0 && errno != EACCES && errno != ESRCH)
		fprintf(stderr, "tvp: setpgid: %s\n", strerror(errno));
	WARN_SYS(close(cmd[0]));	/* the runner's ends: it has its own */
	WARN_SYS(close(msg[1]));
	rn->cmd_fd = cmd[1];
	rn->msg_fd = msg[0];
	rc = next_msg(rn, &m);
	if (rc <= 0) {
		rn->ended = 1;
		return rc;
	}
	if (m.kind == MSG_FAIL)
		take_fail(rn, &m, r);
	else if (m.kind != MSG_READY)
		return -EPROTO;
	return 0;
out_close_msg:	/* failing already, nothing sent: rc says why */
	(void)close(msg[0]);
	(void)close(msg[1]);
out_close_cmd:
	(void)close(cmd[0]);
	(void)close(cmd[1]);
	return rc;
}

int runner_cycle(struct runner *rn, int rep, struct runner_rep *out,
		 struct cell_result *r)
{
	struct cmd k = { .kind = CMD_REP, .rep = rep };
	struct msg m;
	int rc;

	if (rn->ended)
		return 0;
	rc = send_cmd(rn, &k);
	if (rc == -EPIPE || rc == -ECONNRESET) {	/* it died between repetitions */
		rn->ended = 1;
		return 0;
	}
	if (rc)
		return rc;
	rc = next_msg(rn, &m);
	if (rc <= 0) {
		rn->ended = 1;
		return rc;
	}
	if (m.kind == MSG_FAIL) {
		take_fail(rn, &m, r);
		return 0;
	}
	if (m.kind != MSG_REP || m.rep != rep)
		return -EPROTO;
	*out = (struct runner_rep){
		.rep = m.rep, .verdict = (enum verdict)m.verdict,
		.wall_s = m.wall_s, .user_s = m.user_s, .sys_s = m.sys_s,
		.vol = m.vol, .invol = m.invol, .cycle_cpu_s = rn->cycle_cpu_s,
	};
	snprintf(out->text, sizeof(out->text), "%s", m.text);
	if (out->verdict == VERDICT_NO)
		rn->ended = 1;	/* a wrong run ends the cell */
	return 1;
}

/*
 * LLVM's OpenMP runtime (clang builds: make tsan, CC=clang) registers each
 * process that starts it as /dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid> and
 * removes the file only in an exit-time destructor, which a runner ending
 * in _exit() (or killed) never runs. The driver removes the dead runner's
 * file, and only that one. GCC's libgomp makes none: ENOENT is the norm.
 */
static void forget_omp_registration(pid_t runner)
{
	char name[64];

	snprintf(name, sizeof(name), "/__KMP_REGISTERED_LIB_%d_%d", (int)runner,
		 (int)getuid());
	if (shm_unlink(name) != 0 && errno != ENOENT)
		fprintf(stderr, "tvp: shm_unlink(%s): %s\n", name, strerror(errno));
}

/* kill and reap what is left of the runner's group (orphaned workers) */
static void reap_group(pid_t pgid)
{
	kill_group(pgid);
	while (waitpid(-pgid, NULL, 0) > 0 || errno == EINTR)
		;
}

/*
 * Every orphan that came to us as subreaper: a process in a group of its
 * own, such as mpirun and the guard that cleans up after it
 * (mpi/launch.c), finishes before the next comparison starts, so nothing
 * of a cell outlives it or the driver's exit. Only when no runner of ours
 * is alive: this waits for every child.
 */
void runner_reap_orphans(void)
{
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

static void explain_exit(int status, const struct runner *rn,
			 struct cell_result *r)
{
	char sig[96];

	if (rn->interrupted) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail), "interrupted by %s",
			 signame(interrupt_signal(), sig, sizeof(sig)));
	} else if (rn->timed_out) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail),
			 "timed out: a repetition ran longer than %gs; runner killed",
			 rn->timeout_s);
	} else if (WIFSIGNALED(status)) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail), "runner killed by %s",
			 signame(WTERMSIG(status), sig, sizeof(sig)));
	} else if (WEXITSTATUS(status) != 0 || !rn->done) {
		/* a runner that said why it stopped (setup failed) keeps its reason */
		if (!r->failed || !r->detail[0])
			snprintf(r->detail, sizeof(r->detail),
				 "runner exited with status %d before it finished",
				 WEXITSTATUS(status));
		r->failed = 1;
	}
}

/* the runner's last word: how much work one run did */
static int take_done(struct runner *rn, struct cell_result *r)
{
	struct msg m;
	int rc;

	while ((rc = next_msg(rn, &m)) > 0) {
		if (m.kind == MSG_FAIL) {
			take_fail(rn, &m, r);
		} else if (m.kind == MSG_DONE) {
			r->work = m.work;
			rn->done = 1;
		} else {
			return -EPROTO;
		}
	}
	return rc;
}

int runner_close(struct runner *rn, struct cell_result *r)
{
	struct cmd k = { .kind = CMD_DONE };
	struct rusage ru;
	int status, rc = 0;

	if (rn->pid <= 0)
		return 0;
	if (rn->cmd_fd >= 0 && !rn->interrupted && !rn->timed_out) {
		(void)send_cmd(rn, &k);	/* EPIPE: it has gone already */
		rc = take_done(rn, r);
	}
	if (rc || rn->interrupted)
		kill_group(rn->pid);
	if (rn->cmd_fd >= 0)
		WARN_SYS(close(rn->cmd_fd));
	if (rn->msg_fd >= 0)
		WARN_SYS(close(rn->msg_fd));
	rn->cmd_fd = rn->msg_fd = -1;
	while (wait4(rn->pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return -errno;
	reap_group(rn->pid);
	forget_omp_registration(rn->pid);
	explain_exit(status, rn, r);
	r->maxrss_kb = ru.ru_maxrss;
	if (r->failed)
		r->verdict = VERDICT_NO;
	rn->pid = -1;
	return rc;
}

void runner_kill(struct runner *rn)
{
	if (rn->pid > 0)
		kill_group(rn->pid);
	rn->interrupted = 1;
}

void result_init(struct cell_result *r, const struct cell *c, int reps)
{
	*r = (struct cell_result){ .wl = c->wl, .be = c->be,
				   .variant = c->variant, .workers = c->workers,
				   .size = c->size, .foreign_cpus = NAN };
	/* NULL on failure: the schedule reports the cell as not run */
	r->wall = calloc((size_t)reps, sizeof(*r->wall));
}

void result_driver_error(struct cell_result *r, int rc)
{
	r->failed = 1;
	r->verdict = VERDICT_NO;
	snprintf(r->detail, sizeof(r->detail), "driver could not run the cell: %s",
		 strerror(-rc));
}

void result_free(struct cell_result *r)
{
	free(r->wall);
	r->wall = NULL;
}

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
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "fault.h"
#include "interrupt.h"
#include "runner.h"

enum msg_kind { MSG_REP = 1, MSG_FAIL, MSG_DONE };

struct msg {
	int32_t kind;
	int32_t rep;		/* < 0: warm-up */
	int32_t verdict;
	double wall_s, user_s, sys_s, vol, invol;
	double work;
	char text[DETAIL_LEN];	/* verify's detail, or why it failed */
};

_Static_assert(sizeof(struct msg) <= PIPE_BUF, "a message must be atomic");

const char *runner_signame(int sig, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		snprintf(buf, len, "SIG%s (%s)", abbrev, strsignal(sig));
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

/* ---- the runner (child) side ------------------------------------------- */

static void send_msg(int fd, const struct msg *m)
{
	ssize_t n;

	do
		n = write(fd, m, sizeof(*m));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*m))
		_exit(3);	/* the driver is gone; nobody to tell */
}

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
	send_msg(fd, &m);
	return m.verdict == VERDICT_NO ? -1 : 0;
}

static void runner_child(struct cell *c, const struct measure_opts *o, int fd)
{
	run_fn run = c->be == NULL ? NULL : backend_runner(c->be, c->wl, c->variant);
	struct msg m = { .kind = MSG_FAIL };
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
	for (int r = -o->warmup; r < o->reps; r++)
		if (runner_rep(c, run, r, fd))
			break;
	m.kind = MSG_DONE;
	m.work = c->wl->work ? c->wl->work(c) : (double)c->size;
	c->wl->teardown(c);
	send_msg(fd, &m);
	_exit(0);
}

static void runner_start(struct cell *c, const struct measure_opts *o,
			 int fd[2], pid_t driver)
{
	/* own group, so the driver can kill the runner and its workers at once */
	if (setpgid(0, 0) != 0)
		_exit(4);
	/* die with the driver; check the parent again in case it died first */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != driver)
		_exit(5);
	if (close(fd[0]) != 0)
		_exit(6);
	runner_child(c, o, fd[1]);
}

/* ---- the driver side --------------------------------------------------- */

struct collect {
	double user, sys, vol, invol;
	int done;
	int timed_out;
	int interrupted;
};

static void take_rep(const struct msg *m, struct cell_result *r,
		     struct collect *k, const struct measure_opts *o)
{
	if (o->on_rep)
		o->on_rep(o->arg, m->rep);
	/* a cell is "no" if any run was wrong, "expected-race" if any raced */
	if (m->verdict == VERDICT_NO)
		r->verdict = VERDICT_NO;
	else if (m->verdict == VERDICT_RACE && r->verdict == VERDICT_YES)
		r->verdict = VERDICT_RACE;
	if (r->verdict != VERDICT_NO || m->verdict == VERDICT_NO)
		snprintf(r->detail, sizeof(r->detail), "%s", m->text);
	if (m->rep < 0 || m->verdict == VERDICT_NO)
		return;		/* warm-ups, and wrong runs, are not counted */
	r->wall[r->reps++] = m->wall_s;
	k->user += m->user_s;
	k->sys += m->sys_s;
	k->vol += m->vol;
	k->invol += m->invol;
}

static int take_msg(const struct msg *m, struct cell_result *r,
		    struct collect *k, const struct measure_opts *o)
{
	switch (m->kind) {
	case MSG_REP:
		take_rep(m, r, k, o);
		return 0;
	case MSG_FAIL:
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail), "%s", m->text);
		return 0;
	case MSG_DONE:
		r->work = m->work;
		k->done = 1;
		return 0;
	}
	return -EPROTO;
}

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

/* wait for the runner's pipe; 0 when the deadline passed or we must stop */
static int wait_msg(int fd, double deadline, struct collect *k)
{
	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
				       { .fd = interrupt_fd(), .events = POLLIN } };
		double left = deadline - clock_now();
		int rc = left > 0 ? poll(p, 2, (int)(left * 1000) + 1) : 0;

		if (interrupt_signal()) {
			k->interrupted = 1;
			return 0;
		}
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -errno;
		if (rc == 0)
			k->timed_out = 1;
		return rc;
	}
}

/* read messages until EOF, a repetition overruns the timeout, or a signal */
static int collect_msgs(int fd, pid_t pid, const struct measure_opts *o,
			struct cell_result *r, struct collect *k)
{
	double deadline = clock_now() + o->timeout_s;
	struct msg m;

	for (;;) {
		int rc = wait_msg(fd, deadline, k);
		ssize_t n;

		if (rc < 0)
			return rc;
		if (rc == 0) {
			kill(-pid, SIGKILL);
			return 0;
		}
		n = read_full(fd, &m, sizeof(m));
		if (n < 0)
			return (int)n;
		if (n < (ssize_t)sizeof(m))
			return 0;	/* EOF: the runner has finished or died */
		if (take_msg(&m, r, k, o))
			return -EPROTO;
		deadline = clock_now() + o->timeout_s;
	}
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
	if (kill(-pgid, SIGKILL) != 0 && errno != ESRCH)
		fprintf(stderr, "tvp: kill(-%d): %s\n", (int)pgid, strerror(errno));
	while (waitpid(-pgid, NULL, 0) > 0 || errno == EINTR)
		;
}

static void explain_exit(int status, const struct collect *k,
			 const struct measure_opts *o, struct cell_result *r)
{
	char sig[96];

	if (k->interrupted) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail), "interrupted by %s",
			 runner_signame(interrupt_signal(), sig, sizeof(sig)));
	} else if (k->timed_out) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail),
			 "timed out: a repetition ran longer than %gs; runner killed",
			 o->timeout_s);
	} else if (WIFSIGNALED(status)) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail), "runner killed by %s",
			 runner_signame(WTERMSIG(status), sig, sizeof(sig)));
	} else if (WEXITSTATUS(status) != 0 || !k->done) {
		/* a runner that said why it stopped (setup failed) keeps its reason */
		if (!r->failed || !r->detail[0])
			snprintf(r->detail, sizeof(r->detail),
				 "runner exited with status %d before it finished",
				 WEXITSTATUS(status));
		r->failed = 1;
	}
}

static void finish(struct cell_result *r, const struct collect *k,
		   const struct rusage *ru)
{
	if (r->reps > 0) {
		r->user_s = k->user / r->reps;
		r->sys_s = k->sys / r->reps;
		r->ctxsw_vol = k->vol / r->reps;
		r->ctxsw_invol = k->invol / r->reps;
	}
	r->maxrss_kb = ru->ru_maxrss;
	if (r->failed)
		r->verdict = VERDICT_NO;
	if (stats_compute(r->wall, (size_t)r->reps, &r->st)) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail), "statistics: out of memory");
	}
}

int runner_measure(struct cell *c, const struct measure_opts *o,
		   struct cell_result *r)
{
	struct collect k = { 0 };
	struct rusage ru;
	int fd[2], status, rc;
	pid_t pid, driver = getpid();

	r->verdict = VERDICT_YES;
	r->wall = calloc((size_t)o->reps, sizeof(*r->wall));
	if (!r->wall)
		return -ENOMEM;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0 || pipe(fd) != 0)
		return -errno;
	fflush(NULL);	/* the child must not inherit unwritten output */
	pid = interrupt_fork();
	if (pid < 0) {
		rc = -errno;
		close(fd[0]);
		close(fd[1]);
		return rc;
	}
	if (pid == 0)
		runner_start(c, o, fd, driver);
	/* both sides set the group, so neither can race the other's kill */
	if (setpgid(pid, pid) != 0 && errno != EACCES && errno != ESRCH)
		fprintf(stderr, "tvp: setpgid: %s\n", strerror(errno));
	close(fd[1]);
	rc = collect_msgs(fd[0], pid, o, r, &k);
	close(fd[0]);
	if (rc)
		kill(-pid, SIGKILL);
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return -errno;
	reap_group(pid);
	forget_omp_registration(pid);
	explain_exit(status, &k, o, r);
	finish(r, &k, &ru);
	return rc ? rc : k.interrupted ? -EINTR : 0;
}

void result_free(struct cell_result *r)
{
	free(r->wall);
	r->wall = NULL;
}

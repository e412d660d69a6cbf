/*
 * harness.c - the CUnit main and the helpers every suite shares.
 */
#include <CUnit/Basic.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sys/clock.h"
#include "sys/detail.h"
#include "tests/harness.h"

#define MAX_SUITES 64

static const struct suite_def *suites[MAX_SUITES];
static size_t n_suites;

void harness_add(const struct suite_def *s)
{
	if (n_suites < MAX_SUITES)
		suites[n_suites++] = s;
}

/* "name=value" options into `out`, parallel to defs; else the defaults */
static void harness_params(const struct param_def *defs, const char *const *opts,
			   union param_value *out)
{
	char err[ERR_LEN] = "";

	for (int p = 0; defs && defs[p].name; p++) {
		const char *value = defs[p].def;
		size_t len = strlen(defs[p].name);

		for (const char *const *o = opts; o && *o; o++)
			if (strncmp(*o, defs[p].name, len) == 0 && (*o)[len] == '=')
				value = *o + len + 1;
		if (parse_param(&defs[p], value, &out[p], err))
			CU_FAIL_FATAL(err);
	}
}

struct cell harness_cell(const char *wl, const char *be, const char *variant,
			 int workers, uint64_t size, const char *const *opts)
{
	struct cell c = { .workers = workers, .size = size, .seed = 42 };

	c.wl = workload_find(wl);
	c.be = backend_find(be);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.wl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.be);
	c.variant = variant ? workload_variant(c.wl, variant) : 0;
	CU_ASSERT_FATAL(c.variant >= 0);
	harness_params(c.wl->params, opts, c.param);
	harness_params(c.be->params, opts, c.be_param);
	return c;
}

void harness_reference(struct cell *c)
{
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL_FATAL(c->wl->setup(c), 0);
	if (c->wl->reset)
		c->wl->reset(c);
	CU_ASSERT_EQUAL(c->wl->reference(c), 0);
	CU_ASSERT_EQUAL(c->wl->verify(c, detail, sizeof(detail)), VERDICT_YES);
}

int harness_run(struct cell *c, char *detail, size_t len)
{
	run_fn run = backend_runner(c->be, c->wl, c->variant);
	int v;

	detail[0] = 0;
	if (!run || c->wl->setup(c) != 0)
		return -1;
	if (c->wl->reset)
		c->wl->reset(c);
	c->error[0] = 0;
	c->note = NULL;
	if (run(c) != 0) {
		snprintf(detail, len, "%s", c->error);
		c->wl->teardown(c);
		return -1;
	}
	v = (int)c->wl->verify(c, detail, len);
	if (c->note)	/* as the runner reports a back-end knob */
		detail_add(detail, len, "%s", c->note);
	c->wl->teardown(c);
	return v;
}

#define HARNESS_TIMEOUT_S 120.0	/* a tvp that runs longer than this hangs */
#define MAX_ARGS 64
#define MAX_ENV 512

extern char **environ;

static void drain(int *fd, char *buf, size_t cap)
{
	size_t len = strlen(buf);
	ssize_t n = read(*fd, buf + len, cap - 1 - len);

	if (n > 0)
		len += (size_t)n;
	else if (n == 0 || errno != EINTR) {
		close(*fd);
		*fd = -1;
	}
	if (len == cap - 1)	/* full: keep reading but drop the rest */
		len = cap - 1 - (cap > 256 ? 256 : 0);
	buf[len] = 0;
}

static const char *stdout_file;	/* harness_tvp_to(): stdout goes there */

/* in the child: a session of its own, the pipes (or /dev/null), exec */
static void exec_tvp(const char **argv, const char **envp, int out[2],
		     int err[2])
{
	int null = open("/dev/null", O_WRONLY);
	int to = stdout_file ? open(stdout_file, O_WRONLY) : -1;

	if (setsid() < 0 || null < 0 || (stdout_file && to < 0) ||
	    dup2(to >= 0 ? to : out ? out[1] : null, STDOUT_FILENO) < 0 ||
	    dup2(err ? err[1] : null, STDERR_FILENO) < 0)
		_exit(126);
	execve(argv[0], (char *const *)argv, (char *const *)envp);
	_exit(127);
}

/* argv and envp are built before fork: the child only execs */
static void build_vectors(const char **argv, const char **envp,
			  const char *const *env, const char *const *args)
{
	size_t n = 0;

	argv[0] = getenv("TVP_BIN") ? getenv("TVP_BIN") : "bin/tvp";
	for (size_t i = 0; args[i] && i + 2 < MAX_ARGS; i++)
		argv[i + 1] = args[i];
	for (char **e = environ; *e && n + 1 < MAX_ENV; e++)
		envp[n++] = *e;
	for (; env && *env && n + 1 < MAX_ENV; env++)
		envp[n++] = *env;	/* a later NAME= wins in getenv */
	envp[n] = NULL;
}

int harness_tvp_start(struct tvp_proc *p, const char *const *env,
		      const char *const *args, int capture)
{
	const char *argv[MAX_ARGS] = { 0 }, *envp[MAX_ENV];
	int out[2] = { -1, -1 }, err[2] = { -1, -1 };

	build_vectors(argv, envp, env, args);
	if (capture && (pipe(out) != 0 || pipe(err) != 0))
		return -1;
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (p->pid == 0)
		exec_tvp(argv, envp, capture ? out : NULL, capture ? err : NULL);
	if (capture) {
		close(out[1]);
		close(err[1]);
	}
	p->out = out[0];
	p->err = err[0];
	return 0;
}

/* read both streams until `until` shows on stderr (1), EOF (0) or the deadline (-1) */
static int pump(struct tvp_proc *p, struct tvp_output *o, const char *until,
		double deadline)
{
	while (p->out >= 0 || p->err >= 0) {
		struct pollfd f[2] = { { .fd = p->out, .events = POLLIN },
				       { .fd = p->err, .events = POLLIN } };
		double left = deadline - clock_now();
		int rc;

		if (until && strstr(o->err, until))
			return 1;
		if (left <= 0)
			return -1;
		rc = poll(f, 2, (int)(left * 1000) + 1);
		if (rc < 0 && errno != EINTR)
			return -1;
		if (rc > 0 && f[0].revents)
			drain(&p->out, o->out, sizeof(o->out));
		if (rc > 0 && f[1].revents)
			drain(&p->err, o->err, sizeof(o->err));
	}
	return until && strstr(o->err, until) ? 1 : 0;
}

int harness_tvp_wait_err(struct tvp_proc *p, struct tvp_output *o,
			 const char *text)
{
	return pump(p, o, text, clock_now() + HARNESS_TIMEOUT_S) == 1 ? 0 : -1;
}

static void fail_on_sanitizer_report(const struct tvp_output *o)
{
	static const char *const marks[] = { "Sanitizer", "runtime error:" };

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(o->err, marks[i])) {
			fprintf(stderr, "\n--- tvp's stderr ---\n%s\n", o->err);
			CU_FAIL("a sanitizer reported an error in tvp (above)");
		}
}

int harness_tvp_finish(struct tvp_proc *p, struct tvp_output *o)
{
	int status, rc = 0;

	o->sid = p->pid;
	if (pump(p, o, NULL, clock_now() + HARNESS_TIMEOUT_S) < 0) {
		CU_FAIL("tvp did not finish in time: killed");
		kill(-p->pid, SIGKILL);
		rc = -1;
	}
	if (p->out >= 0)
		close(p->out);
	if (p->err >= 0)
		close(p->err);
	while (waitpid(p->pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	o->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fail_on_sanitizer_report(o);
	return rc;
}

int harness_tvp_env(struct tvp_output *o, const char *const *env,
		    const char *const *args)
{
	struct tvp_proc p;

	memset(o, 0, sizeof(*o));
	if (harness_tvp_start(&p, env, args, 1) != 0)
		return -1;
	return harness_tvp_finish(&p, o);
}

int harness_tvp(struct tvp_output *o, const char *const *args)
{
	return harness_tvp_env(o, NULL, args);
}

int harness_tvp_to(struct tvp_output *o, const char *path,
		   const char *const *args)
{
	int rc;

	stdout_file = path;
	rc = harness_tvp_env(o, NULL, args);
	stdout_file = NULL;
	return rc;
}

/* live (not zombie) processes whose session is sid, from /proc/PID/stat; kill them? */
static int session_scan(pid_t sid, int kill_them)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		char path[300], line[512], *rp, state;
		int ppid, pgrp, session;
		FILE *f;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;	/* it ended while we looked */
		if (fgets(line, sizeof(line), f) && (rp = strrchr(line, ')')) &&
		    sscanf(rp + 1, " %c %d %d %d", &state, &ppid, &pgrp, &session) == 4)
			if (session == sid && state != 'Z' && state != 'X') {
				n++;
				if (kill_them)
					kill(atoi(e->d_name), SIGKILL);
			}
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

int harness_session_left(pid_t sid, double wait_s)
{
	double deadline = clock_now() + wait_s;
	struct timespec poll_gap = { 0, 10 * 1000 * 1000 };
	int n;

	/* dying takes a moment: poll the condition, bounded, never a fixed sleep */
	while ((n = session_scan(sid, 0)) > 0 && clock_now() < deadline)
		nanosleep(&poll_gap, NULL);
	if (n)	/* the test fails; the next tests need not */
		session_scan(sid, 1);
	return n;
}

/* entries in /dev/shm whose name contains one of marks */
static int shm_count(const char *const *marks)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		for (const char *const *m = marks; *m; m++)
			if (strstr(e->d_name, *m)) {
				n++;
				break;
			}
	closedir(d);
	return n;
}

int harness_shm_entries(void)
{
	static const char *const tvp[] = { "tvp", NULL };

	return shm_count(tvp);
}

int harness_shm_foreign_entries(void)
{
	/*
	 * tvp's own, CPython's semaphores, and Open MPI's: tvp points those
	 * into a tvp-mpi.* directory of its own (mpi/launch.c), so a leak
	 * shows as a tvp entry; Open MPI's usual names are not counted, as
	 * other programs on the machine may be making them at the same time.
	 */
	static const char *const all[] = { "tvp", "sem.mp-", NULL };

	return shm_count(all);
}

int harness_session_size(pid_t sid)
{
	return session_scan(sid, 0);
}

/*
 * LLVM's libomp (clang builds: make tsan) registers each process that
 * starts it as /dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid> and removes the
 * file only at a normal exit. This test process starts libomp, then forks
 * worker processes that inherit it and end in _exit(), and some tests kill
 * whole process trees on purpose. At the end, remove the registrations
 * made since `start` whose process is gone: stale by libomp's own rule.
 */
static void harness_forget_stale_omp(time_t start)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[300];
		struct stat st;
		int pid, uid;

		if (sscanf(e->d_name, "__KMP_REGISTERED_LIB_%d_%d", &pid, &uid) != 2 ||
		    uid != (int)getuid() || (kill(pid, 0) == 0 || errno != ESRCH))
			continue;
		snprintf(path, sizeof(path), "/dev/shm/%s", e->d_name);
		if (stat(path, &st) == 0 && st.st_mtime >= start && unlink(path) != 0)
			fprintf(stderr, "harness: unlink %s: %s\n", path, strerror(errno));
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	time_t start = time(NULL);
	unsigned failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (size_t i = 0; i < n_suites; i++) {
		CU_pSuite s;

		if (argc > 1 && strcmp(argv[1], suites[i]->name) != 0)
			continue;
		s = CU_add_suite(suites[i]->name, NULL, NULL);
		for (CU_TestInfo *t = suites[i]->tests; s && t->pName; t++)
			CU_add_test(s, t->pName, t->pTestFunc);
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	harness_forget_stale_omp(start);
	return failed ? 1 : 0;
}

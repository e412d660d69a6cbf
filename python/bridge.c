/*
 * bridge.c - running python/tvp_ref.py for one repetition, and reading
 * back what it computed.
 *
 * DESIGN
 * The interpreter runs as a child of the runner with a pipe for results:
 * a header (magic; wall, user and system seconds of its own timed section;
 * payload length) and
 * the raw payload, e.g. the eight-byte squares, straight into the
 * workload's shared buffers. So the C verify() judges CPython exactly as it
 * judges C, and interpreter start-up (tens of milliseconds) stays out of the
 * time. The child dies with the runner (PR_SET_PDEATHSIG) and is in the
 * runner's process group, so --timeout takes it and its pool down too.
 * Its stdout is pointed at stderr: nothing it prints can reach the report.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "python/bridge.h"
#include "sys/argv.h"
#include "sys/checked.h"
#include "sys/detail.h"
#include "sys/fault.h"
#include "sys/locate.h"

#define PY_MODEL_PREFIX "python-"
#define PY_MAGIC_LEN 4

static const char *const py_script_rel[] = {
	"../python/tvp_ref.py",		/* bin/tvp in a built tree */
	"../share/tvp/tvp_ref.py",	/* an installed tvp */
	NULL,
};

static const char *py_interpreter(void)
{
	const char *py = getenv("TVP_PYTHON");

	return py && *py ? py : "python3";
}

/* the interpreter, looked up on PATH as a shell would */
static int py_find(char *out, size_t len)
{
	const char *py = py_interpreter(), *path = getenv("PATH");
	char dir[PATH_MAX];

	if (strchr(py, '/'))
		return access(py, X_OK) == 0 &&
		       (size_t)snprintf(out, len, "%s", py) < len ? 0 : -ENOENT;
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)n, p);
		if ((size_t)snprintf(out, len, "%s/%s", n ? dir : ".", py) < len &&
		    access(out, X_OK) == 0)
			return 0;
		p += n + (p[n] == ':');
	}
	return -ENOENT;
}

const char *py_unavailable(void)
{
	static char why[DETAIL_LEN];
	char path[PATH_MAX];
	int rc;

	const char *py = py_interpreter(), *script = getenv("TVP_PYTHON_SCRIPT");

	if (py_find(path, sizeof(path)) != 0) {
		snprintf(why, sizeof(why), strchr(py, '/') ?
			 "%s is not an executable file (TVP_PYTHON)" :
			 "%s not found on PATH (install python3, or set TVP_PYTHON)",
			 py);
		return why;
	}
	rc = locate_file("TVP_PYTHON_SCRIPT", py_script_rel, R_OK, path,
			 sizeof(path));
	if (rc && script && *script)
		snprintf(why, sizeof(why), "TVP_PYTHON_SCRIPT=%s: %s", script,
			 strerror(-rc));
	else if (rc)
		snprintf(why, sizeof(why),
			 "python/tvp_ref.py not found beside bin/ (or set TVP_PYTHON_SCRIPT): %s",
			 strerror(-rc));
	return rc ? why : NULL;
}

/* word number `k` of "a|b|c" */
static int py_choice(const char *choices, int k, const char **word)
{
	const char *p = choices;

	for (; k > 0 && p; k--)
		p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL;
	*word = p;
	return p ? (int)strcspn(p, "|") : 0;
}

/* "--param NAME=VALUE", the value written as a user would type it */
static int py_param(struct argv_buf *cmd, const struct param_def *d,
		    const union param_value *v)
{
	const char *word;
	int len;

	if (argv_add(cmd, "--param"))
		return -E2BIG;
	switch (d->kind) {
	case PARAM_UINT:
		return argv_add(cmd, "%s=%" PRIu64, d->name, v->u);
	case PARAM_DOUBLE:
	case PARAM_MS:	/* milliseconds */
		return argv_add(cmd, "%s=%.17g", d->name, v->d);
	case PARAM_CHOICE:
		len = py_choice(d->choices, v->choice, &word);
		return argv_add(cmd, "%s=%.*s", d->name, len, word ? word : "");
	case PARAM_STRING:
	case PARAM_OUTPUT:
		return argv_add(cmd, "%s=%s", d->name, v->s);
	}
	return -EINVAL;
}

/*
 * Tests: TVP_FAULT's worker faults are carried out by the script, in its
 * worker K (fetch: task K, a pool hiding which worker runs it), so it
 * gets the spec when it is for this cell. Every such worker runs, so the
 * fault is sure to fire: counted here, as the script cannot tell us.
 */
static int py_fault(const struct cell *c, struct argv_buf *cmd)
{
	char spec[64];
	uint64_t k = (uint64_t)fault_worker();
	uint64_t workers = strcmp(c->wl->name, "fetch") == 0 ? c->size :
			   (uint64_t)c->workers;

	if (!fault_describe(c, FAULT_WORKER, spec, sizeof(spec)) || k >= workers)
		return 0;
	fault_mark_fired();
	return argv_add(cmd, "--fault=%s", spec);
}

static int py_command(const struct cell *c, int out_fd,
		      const char *const *extra, struct argv_buf *cmd)
{
	char path[PATH_MAX];
	int rc = py_find(path, sizeof(path));

	argv_reset(cmd);
	/* -I: no user site-packages, no PYTHON* variables: stdlib only */
	rc = rc ? rc : argv_add(cmd, "%s", path);
	rc = rc ? rc : argv_add(cmd, "-I");
	rc = rc ? rc : locate_file("TVP_PYTHON_SCRIPT", py_script_rel, R_OK,
				   path, sizeof(path));
	rc = rc ? rc : argv_add(cmd, "%s", path);
	rc = rc ? rc : argv_add(cmd, "%s", c->wl->name);
	rc = rc ? rc : argv_add(cmd, "--model=%s",
			      c->be->name + strlen(PY_MODEL_PREFIX));
	rc = rc ? rc : argv_add(cmd, "--variant=%s",
			      workload_variant_name(c->wl, c->variant));
	rc = rc ? rc : argv_add(cmd, "--workers=%d", c->workers);
	rc = rc ? rc : argv_add(cmd, "--size=%" PRIu64, c->size);
	rc = rc ? rc : argv_add(cmd, "--seed=%" PRIu64, c->seed);
	rc = rc ? rc : argv_add(cmd, "--out-fd=%d", out_fd);
	for (int p = 0; !rc && c->wl->params && c->wl->params[p].name; p++)
		rc = py_param(cmd, &c->wl->params[p], &c->param[p]);
	for (; !rc && extra && *extra; extra++)
		rc = argv_add(cmd, "--param=%s", *extra);
	return rc ? rc : py_fault(c, cmd);
}

/* a pipe whose write end is clear of 0-2, which the child rewires */
static int py_pipe(int fd[2])
{
	int high, err;

	if (pipe2(fd, O_CLOEXEC) != 0)
		return -errno;
	if (fd[1] > STDERR_FILENO)
		return 0;
	high = fcntl(fd[1], F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	err = errno;
	WARN_SYS(close(fd[1]));	/* nothing written yet: only say so */
	fd[1] = high;
	if (high >= 0)
		return 0;
	(void)close(fd[0]);	/* failing already: err says why */
	return -err;
}

static void py_child(const struct argv_buf *cmd, int out_fd, pid_t parent)
{
	/* die with the runner; and if it already died, do not start */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(127);
	/* anything the script prints goes to stderr, never into the report */
	if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		_exit(126);
	/* the result pipe is the one descriptor the exec must keep */
	if (fcntl(out_fd, F_SETFD, 0) != 0)
		_exit(126);
	execv(cmd->argv[0], cmd->argv);
	_exit(127);
}

static int py_error_record(struct cell *c, FILE *in)
{
	uint64_t len;
	char msg[DETAIL_LEN];
	size_t got = 0;

	if (fread(&len, sizeof(len), 1, in) == 1)
		got = fread(msg, 1, len < sizeof(msg) ? len : sizeof(msg) - 1, in);
	msg[got] = 0;
	cell_fail(c, "python: %s", got ? msg : "failed without a message");
	return -1;
}

/* the header, then the payload through `take`; -1 with c->error, or 0 */
static int py_collect(struct cell *c, FILE *in, py_take_fn take)
{
	char magic[PY_MAGIC_LEN];
	double seconds[3];	/* wall, user, system of the timed section */
	uint64_t bytes;

	if (fread(magic, 1, sizeof(magic), in) != sizeof(magic))
		return -1;	/* no results at all: its exit status says why */
	if (memcmp(magic, "TVPE", PY_MAGIC_LEN) == 0)
		return py_error_record(c, in);
	if (memcmp(magic, "TVP1", PY_MAGIC_LEN) != 0 ||
	    fread(seconds, sizeof(seconds), 1, in) != 1 ||
	    fread(&bytes, sizeof(bytes), 1, in) != 1) {
		cell_fail(c, "python: malformed results header");
		return -1;
	}
	if (take(c, in, bytes))
		return -1;
	c->self_timed_s = seconds[0];
	c->self_user_s = seconds[1];
	c->self_sys_s = seconds[2];
	return 0;
}

/* reap the interpreter; its status explains a run that sent nothing */
static int py_reap(struct cell *c, pid_t pid, int failed)
{
	char sig[96];
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			cell_fail(c, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (c->error[0])
		return -1;
	if (WIFSIGNALED(status))
		cell_fail(c, "python3 killed by %s",
			  signame(WTERMSIG(status), sig, sizeof(sig)));
	else if (WEXITSTATUS(status) == 127)
		cell_fail(c, "could not exec %s", py_interpreter());
	else if (WEXITSTATUS(status) != 0)
		cell_fail(c, "python3 exited with status %d (its message is on stderr)",
			  WEXITSTATUS(status));
	else if (failed)
		cell_fail(c, "python3 exited without sending results");
	return c->error[0] ? -1 : 0;
}

static int py_spawn(struct cell *c, int fd[2], const char *const *extra,
		    pid_t *pid)
{
	struct argv_buf *cmd = malloc(sizeof(*cmd));
	pid_t self = getpid();
	int rc;

	if (!cmd)
		return -ENOMEM;
	rc = py_command(c, fd[1], extra, cmd);
	if (rc == 0) {
		fflush(NULL);	/* the child must not inherit unwritten output */
		*pid = fork();
		if (*pid == 0)
			py_child(cmd, fd[1], self);
		rc = *pid < 0 ? -errno : 0;
	}
	free(cmd);
	return rc;
}

int py_run(struct cell *c, py_take_fn take)
{
	return py_run_extra(c, take, NULL);
}

int py_run_extra(struct cell *c, py_take_fn take, const char *const *extra)
{
	int fd[2], rc, failed;
	FILE *in;
	pid_t pid = -1;	/* set by py_spawn() whenever rc is 0 */

	rc = py_pipe(fd);
	if (rc == 0) {
		rc = py_spawn(c, fd, extra, &pid);
		/* the child's end; a child that runs must be reaped below */
		WARN_SYS(close(fd[1]));
		if (rc)
			(void)close(fd[0]);	/* failing already: rc says why */
	}
	if (rc) {
		cell_fail(c, "starting %s: %s", py_interpreter(), strerror(-rc));
		return -1;
	}
	in = fdopen(fd[0], "rb");
	if (!in) {
		cell_fail(c, "fdopen: %s", strerror(errno));
		(void)close(fd[0]);	/* failing already: the cell says why */
	}
	/* close before reaping: a child still writing then gets EPIPE, no hang */
	failed = in ? py_collect(c, in, take) : -1;
	if (in)
		(void)fclose(in);	/* read-only: nothing buffered to lose */
	return py_reap(c, pid, failed) || failed ? -1 : 0;
}

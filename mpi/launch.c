/*
 * launch.c - one run of an mpi cell: mpirun on the workload's MPI program,
 * rank 0's results read back into the cell's state.
 *
 * DESIGN
 * The runner forks mpirun with stdout on a pipe and stderr in an unlinked
 * temporary file. Rank 0 writes a header (its own timing, the sizes of its
 * buffers) and the buffers on its stdout (mpi/wire.h), and mpirun forwards
 * them to us byte for byte, whichever host rank 0 runs on. We copy them
 * into the cell's shared state, where the workload's verify() checks them
 * as it checks every other back end's output. We read the pipe to its end
 * before waiting for mpirun, so rank 0 can never block on a full pipe;
 * stderr goes to a file so neither stream can stall the other.
 * mpirun's exit status says whether the run happened at all: when a rank
 * dies, mpirun kills the others and exits non-zero, and the cell fails
 * with mpirun's own explanation (the "noticed that process rank 1 ...
 * exited on signal 9" line), never with a hang or a half-read result.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argv.h"
#include "launch.h"
#include "locate.h"
#include "runner.h"
#include "wire.h"

#define MPI_STDERR_KEEP 16384	/* bytes of mpirun's stderr searched for a reason */
#define MPIRUN_GRACE_MS 5000	/* for mpirun's clean-up after SIGTERM */

extern char **environ;

/* ---- finding mpirun and the programs ----------------------------------- */

static int search_path(const char *name, char *path, size_t len)
{
	const char *dir = getenv("PATH");

	if (strchr(name, '/')) {
		snprintf(path, len, "%s", name);
		return access(path, X_OK) == 0 ? 0 : -ENOENT;
	}
	for (dir = dir ? dir : "/usr/bin:/bin"; dir; ) {
		const char *colon = strchr(dir, ':');
		int dlen = colon ? (int)(colon - dir) : (int)strlen(dir);

		snprintf(path, len, "%.*s/%s", dlen ? dlen : 1, dlen ? dir : ".", name);
		if (access(path, X_OK) == 0)
			return 0;
		dir = colon ? colon + 1 : NULL;
	}
	return -ENOENT;
}

int mpi_mpirun(char *path, size_t len)
{
	const char *name = getenv(MPI_ENV_MPIRUN);

	return search_path(name && *name ? name : "mpirun", path, len);
}

int mpi_program(const char *workload, char *path, size_t len)
{
	char name[64];
	const char *const beside_tvp[] = { name, NULL };

	snprintf(name, sizeof(name), "tvp-mpi-%s", workload);
	return locate_file(NULL, beside_tvp, X_OK, path, len);
}

/* ---- the command line -------------------------------------------------- */

static void mpirun_options(struct argv_buf *a, int ranks)
{
	const char *hostfile = getenv(MPI_ENV_HOSTFILE);
	const char *extra = getenv(MPI_ENV_ARGS);
	char words[ARGV_MAX_TEXT], *save = NULL;

	argv_add(a, "-np");
	argv_add(a, "%d", ranks);
	/* like threads and processes: the kernel places ranks, nobody pins */
	argv_add(a, "--bind-to");
	argv_add(a, "none");
	if (hostfile && *hostfile) {
		argv_add(a, "--hostfile");
		argv_add(a, "%s", hostfile);
	} else {
		/* one machine: ranks talk through shared memory (vader), no NIC
		 * probing; a slot per hardware thread, more ranks only on purpose */
		argv_add(a, "--mca");
		argv_add(a, "btl");
		argv_add(a, "self,vader");
		argv_add(a, "--use-hwthread-cpus");
		if (ranks > sysconf(_SC_NPROCESSORS_ONLN))
			argv_add(a, "--oversubscribe");
	}
	if (extra && strlen(extra) < sizeof(words)) {
		strcpy(words, extra);
		for (char *w = strtok_r(words, " \t", &save); w;
		     w = strtok_r(NULL, " \t", &save))
			argv_add(a, "%s", w);
	}
}

/* a parameter as a user would type it, so the program parses it as tvp did */
static void param_text(struct argv_buf *a, const struct param_def *d,
		       const union param_value *v)
{
	const char *w = d->choices;

	switch (d->kind) {
	case PARAM_UINT:
		argv_add(a, "%llu", (unsigned long long)v->u);
		return;
	case PARAM_DOUBLE:
	case PARAM_MS:		/* a bare number is milliseconds */
		argv_add(a, "%.17g", v->d);
		return;
	case PARAM_CHOICE:
		for (int i = 0; i < v->choice && w && strchr(w, '|'); i++)
			w = strchr(w, '|') + 1;
		argv_add(a, "%.*s", (int)strcspn(w ? w : "", "|"), w ? w : "");
		return;
	case PARAM_STRING:
		argv_add(a, "%s", v->s ? v->s : "");
		return;
	}
}

static void program_options(struct argv_buf *a, const struct cell *c)
{
	argv_add(a, "--wire");
	argv_add(a, "-n");
	argv_add(a, "%llu", (unsigned long long)c->size);
	argv_add(a, "-V");
	argv_add(a, "%s", workload_variant_name(c->wl, c->variant));
	argv_add(a, "--seed");
	argv_add(a, "%llu", (unsigned long long)c->seed);
	for (int p = 0; c->wl->params && c->wl->params[p].name; p++) {
		argv_add(a, "--%s", c->wl->params[p].name);
		param_text(a, &c->wl->params[p], &c->param[p]);
	}
}

static int mpi_command(struct cell *c, int ranks, struct argv_buf *a,
		       size_t n_bufs)
{
	char path[PATH_MAX];
	int rc;

	if (n_bufs > MAX_WIRE_BUFS) {
		cell_fail(c, "more than %d result buffers", MAX_WIRE_BUFS);
		return -1;
	}
	if (mpi_mpirun(path, sizeof(path))) {
		cell_fail(c, "mpirun: not found (set %s or PATH)", MPI_ENV_MPIRUN);
		return -1;
	}
	argv_add(a, "%s", path);
	mpirun_options(a, ranks);
	rc = mpi_program(c->wl->name, path, sizeof(path));
	if (rc) {
		cell_fail(c, "tvp-mpi-%s beside tvp: %s (built by make where mpicc is)",
			  c->wl->name, strerror(-rc));
		return -1;
	}
	argv_add(a, "%s", path);
	program_options(a, c);
	if (a->full) {
		cell_fail(c, "mpirun command line: longer than %d words or %d bytes",
			  ARGV_MAX_WORDS, ARGV_MAX_TEXT);
		return -1;
	}
	return 0;
}

/* ---- starting mpirun --------------------------------------------------- */

/* our environment, plus Open MPI's consent to run as root when we are root */
static char **mpi_env(void)
{
	static char root[] = "OMPI_ALLOW_RUN_AS_ROOT=1";
	static char confirm[] = "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1";
	size_t n = 0, i;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		return NULL;
	for (i = 0; i < n; i++)
		env[i] = environ[i];
	if (geteuid() == 0) {
		env[i++] = root;
		env[i++] = confirm;
	}
	return env;
}

/* an unlinked file for mpirun's stderr: it cannot fill up and block it */
static int mpi_errfile(void)
{
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/tvp-mpi-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (unlink(path) != 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

/* 0, 1, 2 from these; nothing else of the runner's (its pipe to the driver) */
static void std_fds(int in, int out, int err)
{
	if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
	    dup2(err, STDERR_FILENO) < 0)
		_exit(126);
	if (close_range(3, ~0U, 0) != 0 && errno != ENOSYS)
		_exit(126);
}

static void mpi_child(char *const argv[], char *const envp[], int out, int err)
{
	int null = open("/dev/null", O_RDONLY);

	if (null < 0)
		_exit(126);
	std_fds(null, out, err);
	/* out of reach of the watchdog's SIGKILL to the runner's group */
	if (setpgid(0, 0) != 0)
		_exit(126);
	execve(argv[0], argv, envp);
	dprintf(STDERR_FILENO, "tvp: execve %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/*
 * The guard: one SIGTERM to mpirun if the runner dies first (the watchdog's
 * SIGKILL, an interrupt). On SIGTERM mpirun stops the ranks and removes
 * what they made in /dev/shm (Open MPI's shared-memory segments) and in
 * /tmp (its session directory); killed outright it could not. mpirun cannot
 * take SIGTERM as its own parent-death signal: the kernel sends that again
 * each time the orphan passes to a new parent (the driver, then init), and
 * a second SIGTERM makes mpirun quit at once, leaving both behind. The
 * guard sends one, and SIGKILL if mpirun has not gone after a grace period
 * (an mpirun wedged by a dying rank happens); like mpirun it has a process
 * group of its own. Ranks die with mpirun in any case (rank.c).
 */
static void mpi_guard(pid_t mpirun, pid_t runner, int null)
{
	struct pollfd gone = { .fd = -1, .events = POLLIN };
	sigset_t set;
	int sig;

	std_fds(null, null, null);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	gone.fd = pidfd_open(mpirun, 0);
	if (gone.fd < 0 || sigprocmask(SIG_BLOCK, &set, NULL) != 0 ||
	    setpgid(0, 0) != 0 || prctl(PR_SET_PDEATHSIG, SIGUSR1) != 0)
		_exit(126);
	if (getppid() == runner)	/* else the runner died before prctl() */
		sigwait(&set, &sig);
	kill(mpirun, SIGTERM);
	if (poll(&gone, 1, MPIRUN_GRACE_MS) == 0)
		kill(mpirun, SIGKILL);
	_exit(0);
}

/* ---- reading the results back ------------------------------------------ */

static int read_header(FILE *f, struct wire_header *h, size_t n, char *why,
		       size_t len)
{
	if (fread(h, sizeof(*h), 1, f) != 1) {
		snprintf(why, len, "rank 0 sent no results (%s)",
			 ferror(f) ? strerror(errno) : "end of output");
		return -1;
	}
	if (memcmp(h->magic, WIRE_MAGIC, sizeof(h->magic)) != 0) {
		snprintf(why, len, "rank 0's output does not start with tvp-mpi's header");
		return -1;
	}
	if (h->n_bufs != n) {
		snprintf(why, len, "rank 0 sent %llu result buffers, expected %zu",
			 (unsigned long long)h->n_bufs, n);
		return -1;
	}
	return 0;
}

static int read_buffers(FILE *f, const struct wire_header *h,
			const struct mpi_buf *out, size_t n, char *why, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		if (h->len[i] != out[i].len) {
			snprintf(why, len, "rank 0 sent %llu bytes of result %zu, expected %zu",
				 (unsigned long long)h->len[i], i, out[i].len);
			return -1;
		}
		if (out[i].len && fread(out[i].p, out[i].len, 1, f) != 1) {
			snprintf(why, len, "rank 0's result %zu ended early", i);
			return -1;
		}
	}
	return 0;
}

/* the header and the buffers, then the pipe to its end; closes fd */
static int read_results(int fd, const struct mpi_buf *out, size_t n,
			struct wire_header *h, char *why, size_t len)
{
	FILE *f = fdopen(fd, "r");
	char rest[4096];
	int rc;

	if (!f) {
		snprintf(why, len, "fdopen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	rc = read_header(f, h, n, why, len);
	if (rc == 0)
		rc = read_buffers(f, h, out, n, why, len);
	while (fread(rest, 1, sizeof(rest), f) > 0)
		;	/* to the end, so mpirun never blocks writing to us */
	fclose(f);
	return rc;
}

/* ---- judging the run --------------------------------------------------- */

static int has_words(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return isalnum((unsigned char)*line);
}

/* the first line of text with words in it and mark in it, into why */
static int find_line(const char *text, const char *mark, char *why, size_t len)
{
	for (const char *line = text; *line; ) {
		size_t l = strcspn(line, "\n");
		char buf[DETAIL_LEN];

		snprintf(buf, sizeof(buf), "%.*s", (int)l, line);
		if (has_words(buf) && strstr(buf, mark)) {
			snprintf(why, len, "%s", buf + strspn(buf, " \t"));
			return 1;
		}
		line += l + (line[l] == '\n');
	}
	return 0;
}

/*
 * A rank that exited non-zero before MPI_Finalize: mpirun spreads it over
 * a box ("Process name: [[19161,1],2]", "Exit code:    7"); say it in one.
 */
static int exit_reason(const char *text, char *why, size_t len)
{
	const char *name = strstr(text, "Process name:");
	const char *code = strstr(text, "Exit code:");
	int rank, status;

	if (!name || !code ||
	    sscanf(name, "Process name: [[%*d,%*d],%d]", &rank) != 1 ||
	    sscanf(code, "Exit code: %d", &status) != 1)
		return 0;
	snprintf(why, len, "rank %d exited with status %d", rank, status);
	return 1;
}

/* what in mpirun's stderr says best what went wrong */
static void find_reason(const char *text, char *why, size_t len)
{
	/* our programs' own words (rank.c), then mpirun's about a dead rank */
	if (find_line(text, "tvp-mpi-", why, len) ||
	    find_line(text, "noticed that", why, len) ||
	    exit_reason(text, why, len) || find_line(text, "", why, len))
		return;
	snprintf(why, len, "nothing on its stderr");
}

static void explain_status(struct cell *c, int status, int err_fd)
{
	char text[MPI_STDERR_KEEP], why[DETAIL_LEN], sig[96];
	ssize_t n = pread(err_fd, text, sizeof(text) - 1, 0);

	text[n > 0 ? n : 0] = 0;
	find_reason(text, why, sizeof(why));
	if (WIFSIGNALED(status))
		cell_fail(c, "mpirun killed by %s: %s",
			  runner_signame(WTERMSIG(status), sig, sizeof(sig)), why);
	else
		cell_fail(c, "mpirun exited with status %d: %s",
			  WEXITSTATUS(status), why);
}

/* ---- one run ----------------------------------------------------------- */

/*
 * Wait for mpirun, then for any rank it left behind: when a rank dies,
 * mpirun kills the others but need not wait for them. They die with it
 * (rank.c) and, as we are a subreaper, come back to us rather than to
 * init, so we can reap them and leave no zombie.
 */
static int mpi_wait(struct cell *c, pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR) {
			cell_fail(c, "waitpid(mpirun): %s", strerror(errno));
			return -1;
		}
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	return 0;
}

/* fork and exec mpirun, stdout on a pipe; its pid, or -1 */
static pid_t mpi_exec(struct cell *c, struct argv_buf *a, int err_fd,
		      int *out_fd)
{
	char **envp = mpi_env();
	int fd[2];
	pid_t pid;

	if (!envp) {
		cell_fail(c, "calloc: %s", strerror(errno));
		return -1;
	}
	if (pipe2(fd, O_CLOEXEC) != 0) {
		cell_fail(c, "pipe2: %s", strerror(errno));
		free(envp);
		return -1;
	}
	pid = fork();
	if (pid == 0)
		mpi_child(a->argv, envp, fd[1], err_fd);
	free(envp);
	close(fd[1]);
	if (pid < 0) {
		cell_fail(c, "fork: %s", strerror(errno));
		close(fd[0]);
		return -1;
	}
	setpgid(pid, pid);	/* both sides: no window for the group kill */
	*out_fd = fd[0];
	return pid;
}

/* mpirun and its guard: pid[0] mpirun, pid[1] the guard; 0 or -1 */
static int mpi_start(struct cell *c, struct argv_buf *a, int err_fd,
		     int *out_fd, pid_t pid[2])
{
	pid[0] = mpi_exec(c, a, err_fd, out_fd);
	if (pid[0] < 0)
		return -1;
	pid[1] = fork();
	if (pid[1] == 0)
		mpi_guard(pid[0], getppid(), open("/dev/null", O_RDWR));
	if (pid[1] > 0) {
		setpgid(pid[1], pid[1]);
		return 0;
	}
	cell_fail(c, "fork: %s", strerror(errno));
	kill(pid[0], SIGTERM);	/* mpirun cleans up and exits; reaped later */
	close(*out_fd);
	return -1;
}

/* mpirun has closed its stdout and is leaving: the guard may go */
static void mpi_release(pid_t guard)
{
	kill(guard, SIGKILL);
	while (waitpid(guard, NULL, 0) < 0 && errno == EINTR)
		;
}

int mpi_run(struct cell *c, int ranks, const struct mpi_buf *out, size_t n)
{
	struct argv_buf a = { .argc = 0 };
	struct wire_header h;
	char why[DETAIL_LEN];
	int err_fd, out_fd, status, read_rc, rc = -1;
	int reaper = 0;
	pid_t pid[2];

	if (mpi_command(c, ranks, &a, n))
		return -1;
	/* ranks mpirun leaves behind come to us (mpi_wait), for this run only */
	if (prctl(PR_GET_CHILD_SUBREAPER, &reaper) != 0 ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
		cell_fail(c, "prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
		return -1;
	}
	err_fd = mpi_errfile();
	if (err_fd < 0) {
		cell_fail(c, "mkostemp: %s", strerror(-err_fd));
		goto out_reaper;
	}
	if (mpi_start(c, &a, err_fd, &out_fd, pid))
		goto out_reap;
	read_rc = read_results(out_fd, out, n, &h, why, sizeof(why));
	mpi_release(pid[1]);
	if (mpi_wait(c, pid[0], &status))
		goto out_close;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		explain_status(c, status, err_fd);
	} else if (read_rc) {
		cell_fail(c, "%s", why);
	} else {
		c->self_timed_s = h.seconds;
		rc = 0;
	}
out_reap:
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
out_close:
	close(err_fd);
out_reaper:
	if (prctl(PR_SET_CHILD_SUBREAPER, reaper) != 0 && rc == 0) {
		cell_fail(c, "prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
		rc = -1;
	}
	return rc;
}

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
#include <ftw.h>
#include <poll.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mpi/launch.h"
#include "mpi/wire.h"
#include "sys/argv.h"
#include "sys/checked.h"
#include "sys/detail.h"
#include "sys/fault.h"
#include "sys/locate.h"

#define MPI_STDERR_KEEP 16384	/* bytes of mpirun's stderr searched for a reason */
#define MPIRUN_GRACE_MS 2000	/* for mpirun's clean-up after SIGTERM */
#define MPI_TMP_ENVS 5		/* variables naming the cell's directory */
#define MPI_FAULT_MARK "fault-fired"	/* a rank's TVP_FAULT fired (fault.h) */
#define MPI_TMP_FDS 16		/* nftw()'s open directories */

/* what mpirun and its ranks make on disk goes into this cell's directory */
static const char *const mpi_tmp_vars[MPI_TMP_ENVS] = {
	"OMPI_MCA_btl_vader_backing_directory",	/* Open MPI 4: shm segments */
	"OMPI_MCA_orte_tmpdir_base",		/* Open MPI 4: session dir */
	"OMPI_MCA_btl_sm_backing_directory",	/* Open MPI 5 */
	"PRTE_MCA_prte_tmpdir_base",		/* Open MPI 5 */
	FAULT_MARK_ENV,				/* tests: a file in it */
};

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
	case PARAM_OUTPUT:
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

/*
 * Our environment, Open MPI's files pointed into dir, and its consent to
 * run as root when we are root; the strings are in vars (freed with it).
 */
static char **mpi_env(const char *dir, char *vars)
{
	static char root[] = "OMPI_ALLOW_RUN_AS_ROOT=1";
	static char confirm[] = "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1";
	size_t n = 0, i;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 3 + MPI_TMP_ENVS, sizeof(*env));
	if (!env)
		return NULL;
	for (i = 0; i < n; i++)
		env[i] = environ[i];
	for (int v = 0; v < MPI_TMP_ENVS; v++, vars += PATH_MAX + 64) {
		snprintf(vars, PATH_MAX + 64, "%s=%s%s", mpi_tmp_vars[v], dir,
			 strcmp(mpi_tmp_vars[v], FAULT_MARK_ENV) ? "" :
			 "/" MPI_FAULT_MARK);
		env[i++] = vars;
	}
	if (geteuid() == 0) {
		env[i++] = root;
		env[i++] = confirm;
	}
	return env;
}

/*
 * The cell's own directory for Open MPI's shared-memory segments and
 * session files, in /dev/shm (tmpfs, where the segments belong). Removing
 * it removes everything Open MPI made, whether or not mpirun lived to
 * clean up (at hundreds of ranks its SIGTERM clean-up outlasts any grace,
 * and a SIGKILLed mpirun cleans nothing).
 */
static int mpi_tmp_make(char *dir, size_t len)
{
	snprintf(dir, len, "/dev/shm/tvp-mpi.XXXXXX");
	if (mkdtemp(dir))
		return 0;
	return -errno;
}

static int mpi_tmp_unlink(const char *path, const struct stat *st, int type,
			  struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

/* dir and all in it, noting a rank's fault mark first; 0 or -errno */
static int mpi_tmp_remove(const char *dir)
{
	char mark[PATH_MAX + 16];

	snprintf(mark, sizeof(mark), "%s/%s", dir, MPI_FAULT_MARK);
	if (access(mark, F_OK) == 0)
		fault_mark_fired();
	if (nftw(dir, mpi_tmp_unlink, MPI_TMP_FDS, FTW_DEPTH | FTW_PHYS) != 0 &&
	    errno != ENOENT)
		return -errno;
	return 0;
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

		(void)close(fd);	/* failing already: rc says why */
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
 * group of its own. Ranks die with mpirun in any case (rank.c). Then the
 * guard removes the cell's directory (mpi_tmp_make), so nothing of Open
 * MPI's stays in /dev/shm or /tmp however mpirun ended.
 */
static void mpi_guard(pid_t mpirun, pid_t runner, int null, const char *dir)
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
	/*
	 * Unchecked on purpose: stderr is /dev/null here, sigwait on a valid
	 * set cannot fail, and ESRCH (mpirun gone already) is what a signal
	 * to mpirun is expected to meet.
	 */
	if (getppid() == runner)	/* else the runner died before prctl() */
		(void)sigwait(&set, &sig);
	/* by pidfd: mpirun may be reaped already and its pid reused */
	(void)pidfd_send_signal(gone.fd, SIGTERM, NULL, 0);
	if (poll(&gone, 1, MPIRUN_GRACE_MS) == 0) {
		(void)pidfd_send_signal(gone.fd, SIGKILL, NULL, 0);
		while (poll(&gone, 1, -1) < 0 && errno == EINTR)
			;
	}
	/* the ranks die with mpirun (rank.c); their files are ours to remove */
	mpi_tmp_remove(dir);
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
		(void)close(fd);	/* failing already: why says so */
		return -1;
	}
	rc = read_header(f, h, n, why, len);
	if (rc == 0)
		rc = read_buffers(f, h, out, n, why, len);
	while (fread(rest, 1, sizeof(rest), f) > 0)
		;	/* to the end, so mpirun never blocks writing to us */
	(void)fclose(f);	/* read-only: nothing buffered to lose */
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
			  signame(WTERMSIG(status), sig, sizeof(sig)), why);
	else
		cell_fail(c, "mpirun exited with status %d: %s",
			  WEXITSTATUS(status), why);
}

/* ---- one run ----------------------------------------------------------- */

struct mpi_launch {
	char dir[PATH_MAX];	/* the cell's directory for Open MPI's files */
	char vars[MPI_TMP_ENVS][PATH_MAX + 64];
	int err_fd, out_fd;
	pid_t mpirun, guard;
};

/* wait for mpirun; 0, or -1 with the cell failed */
static int mpi_wait(struct cell *c, pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR) {
			cell_fail(c, "waitpid(mpirun): %s", strerror(errno));
			return -1;
		}
	return 0;
}

/*
 * Any rank mpirun left behind: when a rank dies, mpirun kills the others
 * but need not wait for them. They die with it (rank.c) and, as we are a
 * subreaper, come back to us rather than to init, so we can reap them and
 * leave no zombie.
 */
static void mpi_reap_all(void)
{
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

/*
 * fork() for mpirun, which starts every rank: where TVP_FAULT makes the
 * start of rank K fail (create), it is this fork that fails, with the
 * error the rank's start would have had.
 */
static pid_t mpi_fork(struct cell *c, int ranks)
{
	for (int k = 0; k < ranks; k++) {
		int err = fault_point(c, FAULT_CREATE, k);	/* tests */

		if (err) {
			cell_fail(c, "fork (rank %d of %d): %s", k, ranks,
				  strerror(err));
			errno = err;
			return -2;
		}
	}
	return fork();
}

/*
 * The child sets its group too; EACCES (it has exec'd already) and ESRCH
 * mean that it did, or has gone.
 */
static void set_group(pid_t pid)
{
	if (setpgid(pid, pid) != 0 && errno != EACCES && errno != ESRCH)
		check_warn("setpgid", errno);
}

/* fork and exec mpirun, stdout on a pipe; its pid, or -1 */
static pid_t mpi_exec(struct cell *c, struct argv_buf *a, struct mpi_launch *l,
		      int ranks)
{
	char **envp = mpi_env(l->dir, &l->vars[0][0]);
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
	pid = mpi_fork(c, ranks);
	if (pid == 0)
		mpi_child(a->argv, envp, fd[1], l->err_fd);
	free(envp);
	WARN_SYS(close(fd[1]));	/* mpirun's end: a failure loses nothing */
	if (pid < 0) {
		if (pid == -1)
			cell_fail(c, "fork: %s", strerror(errno));
		(void)close(fd[0]);	/* failing already: the cell says why */
		return -1;
	}
	set_group(pid);	/* both sides: no window for the group kill */
	l->out_fd = fd[0];
	return pid;
}

/* mpirun and its guard; 0 or -1 */
static int mpi_start(struct cell *c, struct argv_buf *a, struct mpi_launch *l,
		     int ranks)
{
	l->mpirun = mpi_exec(c, a, l, ranks);
	if (l->mpirun < 0)
		return -1;
	l->guard = fork();
	if (l->guard == 0)
		mpi_guard(l->mpirun, getppid(), open("/dev/null", O_RDWR), l->dir);
	if (l->guard > 0) {
		set_group(l->guard);
		return 0;
	}
	cell_fail(c, "fork: %s", strerror(errno));
	/* mpirun cleans up and exits; reaped later, so it is there to signal */
	WARN_SYS(kill(l->mpirun, SIGTERM));
	(void)close(l->out_fd);	/* failing already: the cell says why */
	return -1;
}

/* mpirun is gone and its directory with it: the guard may go */
static void mpi_release(pid_t guard)
{
	/* our child, not reaped yet: even when it has exited, kill finds it */
	WARN_SYS(kill(guard, SIGKILL));
	while (waitpid(guard, NULL, 0) < 0)
		if (errno != EINTR) {
			check_warn("waitpid", errno);
			break;
		}
}

/* mpirun's verdict on the run, then ours on what rank 0 sent; 0 or -1 */
static int mpi_judge(struct cell *c, int status, int read_rc, const char *why,
		     const struct wire_header *h, int err_fd)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		explain_status(c, status, err_fd);
		return -1;
	}
	if (read_rc) {
		cell_fail(c, "%s", why);
		return -1;
	}
	c->self_timed_s = h->seconds;
	return 0;
}

/* mpirun from start to end, and everything it made removed; 0 or -1 */
static int mpi_launch(struct cell *c, struct argv_buf *a, struct mpi_launch *l,
		      int ranks, const struct mpi_buf *out, size_t n)
{
	struct wire_header h;
	char why[DETAIL_LEN];
	int status, read_rc, rc = -1, tmp_rc;

	tmp_rc = mpi_tmp_make(l->dir, sizeof(l->dir));
	if (tmp_rc) {
		cell_fail(c, "mkdtemp %s: %s", l->dir, strerror(-tmp_rc));
		return -1;
	}
	if (mpi_start(c, a, l, ranks))
		goto out_reap;
	read_rc = read_results(l->out_fd, out, n, &h, why, sizeof(why));
	if (mpi_wait(c, l->mpirun, &status) == 0)
		rc = mpi_judge(c, status, read_rc, why, &h, l->err_fd);
	tmp_rc = mpi_tmp_remove(l->dir);	/* before the guard goes */
	mpi_release(l->guard);
out_reap:
	mpi_reap_all();
	if (tmp_rc == 0)
		tmp_rc = mpi_tmp_remove(l->dir);
	if (tmp_rc && rc == 0) {
		cell_fail(c, "removing %s: %s", l->dir, strerror(-tmp_rc));
		rc = -1;
	}
	return rc;
}

int mpi_run(struct cell *c, int ranks, const struct mpi_buf *out, size_t n)
{
	struct argv_buf a = { .argc = 0 };
	struct mpi_launch l = { .err_fd = -1 };
	int reaper = 0, rc = -1;

	if (mpi_command(c, ranks, &a, n))
		return -1;
	/* ranks mpirun leaves behind come to us (mpi_reap_all), for this run */
	if (prctl(PR_GET_CHILD_SUBREAPER, &reaper) != 0 ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
		cell_fail(c, "prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
		return -1;
	}
	l.err_fd = mpi_errfile();
	if (l.err_fd < 0) {
		cell_fail(c, "mkostemp: %s", strerror(-l.err_fd));
	} else {
		rc = mpi_launch(c, &a, &l, ranks, out, n);
		WARN_SYS(close(l.err_fd));	/* read and unlinked: only say so */
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, reaper) != 0 && rc == 0) {
		cell_fail(c, "prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
		rc = -1;
	}
	return rc;
}

/*
 * plot_gnuplot.c - running gnuplot on a script tvp wrote, and the check
 * that the script cannot run anything else.
 *
 * The script is written to memory first and checked: every string must be
 * a single-quoted one in a place that takes text (a title, a label, a
 * colour), every datablock must hold numbers only, and nothing outside the
 * quotes may be a backtick, a macro (@), a double quote, a shell escape
 * (!, |, <) or a call of system(), eval or load. A script that fails is a
 * bug in tvp and is never run. The output file is opened here and becomes
 * gnuplot's stdout, so its name never reaches gnuplot's parser, and a file
 * tvp cannot write is refused before gnuplot starts.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot/plot.h"
#include "sys/checked.h"

int plot_find_gnuplot(char *path, size_t len)
{
	const char *env = getenv("PATH");
	char dirs[4096], *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s", env && *env ? env : "/usr/bin:/bin");
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, len, "%s/gnuplot", *d ? d : ".");
		if (access(path, X_OK) == 0)
			return 0;
	}
	return -1;
}

void plot_explain_missing(void)
{
	fprintf(stderr,
		"tvp: plotting needs gnuplot, which is not on PATH. Install it with\n"
		"    make deps-plot                    (as root; uses apt-get)\n"
		"    sudo apt-get install -y gnuplot-nox\n");
}

/* ---- the check ------------------------------------------------------------ */

/* the words after which tvp's scripts put a string */
static const char *const gp_slots[] = {
	"title", "xlabel", "ylabel", "rgb", "font", "background",
};
static const char *const gp_banned[] = {
	"system", "eval", "load", "call", "shell", "save", "cd",
};

static int gp_word_in(const char *w, size_t n, const char *const *set,
		      size_t n_set)
{
	for (size_t i = 0; i < n_set; i++)
		if (strlen(set[i]) == n && strncmp(w, set[i], n) == 0)
			return 1;
	return 0;
}

/*
 * A quote may open only after a word that takes text, as sprintf's
 * format, or as a label's text ("set label N '...'").
 */
static int gp_slot_ok(const char *line, const char *quote)
{
	const char *end = quote, *w;
	int call;

	while (end > line && end[-1] == ' ')
		end--;
	call = end > line && end[-1] == '(';
	end -= call;
	w = end;
	while (w > line && (isalnum((unsigned char)w[-1]) || w[-1] == '_'))
		w--;
	if (call)
		return end - w == 7 && strncmp(w, "sprintf", 7) == 0;
	if (gp_word_in(w, (size_t)(end - w), gp_slots,
		       sizeof(gp_slots) / sizeof(gp_slots[0])))
		return 1;
	return strncmp(line, "set label ", 10) == 0 && w == line + 10 &&
	       end > w && strspn(w, "0123456789") == (size_t)(end - w);
}

static int gp_line_ok(const char *line)
{
	for (const char *c = line; *c; c++) {
		if (*c == '\'') {
			if (!gp_slot_ok(line, c))
				return 0;
			/* tvp never doubles a quote: the first one ends the string */
			for (c++; *c != '\''; c++)
				if (!*c || (unsigned char)*c < 0x20 || *c == 0x7f)
					return 0;
		} else if (isalpha((unsigned char)*c) &&
			   (c == line || !isalnum((unsigned char)c[-1]))) {
			size_t n = strspn(c, "abcdefghijklmnopqrstuvwxyz"
					     "ABCDEFGHIJKLMNOPQRSTUVWXYZ");

			if (gp_word_in(c, n, gp_banned,
				       sizeof(gp_banned) / sizeof(gp_banned[0])))
				return 0;
		} else if (strchr("\"`@!|<>;{}", *c) || (*c == '\\' && c[1]) ||
			   (unsigned char)*c < 0x20) {
			return 0;
		}
	}
	return 1;
}

/* "$name << EOD", the only place a '<' may stand */
static int gp_block_start(const char *line)
{
	size_t n = line[0] == '$' ? strspn(line + 1, "abcdefghijklmnopqrstuvwxyz0123456789") : 0;

	return n && strcmp(line + 1 + n, " << EOD") == 0;
}

int plot_script_check(const char *script)
{
	int lineno = 0, block = 0;
	const char *s = script;

	while (*s) {
		size_t n = strcspn(s, "\n");
		char line[1024];

		lineno++;
		if (n >= sizeof(line))
			return lineno;
		memcpy(line, s, n);
		line[n] = 0;
		s += n + (s[n] == '\n');
		if (block)
			block = strcmp(line, "EOD") != 0;
		if (block ? strspn(line, "0123456789.eE+- ") != n :
		    !gp_block_start(line) && strcmp(line, "EOD") != 0 && !gp_line_ok(line))
			return lineno;
		block = block || gp_block_start(line);
	}
	return block ? lineno : 0;
}

/* ---- running it -------------------------------------------------------------- */

/* gnuplot reads the script on stdin and draws into out_fd, its stdout */
static pid_t gnuplot_spawn(const char *path, int out_fd, int *to)
{
	int fd[2];
	pid_t pid;

	if (pipe2(fd, O_CLOEXEC) != 0) {
		fprintf(stderr, "tvp: pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* like runners and workers, gnuplot dies with tvp */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
		    dup2(fd[0], STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0)
			_exit(126);
		execl(path, "gnuplot", (char *)NULL);
		_exit(127);
	}
	WARN_SYS(close(fd[0]));	/* the child's end: gnuplot has it or never ran */
	if (pid < 0) {
		fprintf(stderr, "tvp: fork: %s\n", strerror(errno));
		(void)close(fd[1]);	/* failing already; nothing written */
		return -1;
	}
	*to = fd[1];
	return pid;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int gnuplot_run(const char *path, const char *text, size_t len,
		       int out_fd)
{
	struct sigaction old;
	int fd, status, rc = 0;
	pid_t pid = gnuplot_spawn(path, out_fd, &fd);

	if (pid < 0)
		return -1;
	/* if gnuplot stops reading (a script error), fail the write, not tvp */
	if (sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, &old))
		rc = -1;
	if (write_all(fd, text, len))
		rc = -1;	/* gnuplot stopped reading: it said why */
	if (close(fd) != 0)
		rc = -1;
	if (sigaction(SIGPIPE, &old, NULL))
		rc = -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "tvp: waitpid: %s\n", strerror(errno));
			return -1;
		}
	if (rc || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "tvp: gnuplot failed (see its message above)\n");
		return -1;
	}
	return 0;
}

/* the script in memory, checked; NULL after saying why */
static char *gnuplot_script(int (*script)(FILE *f, const void *arg),
			    const void *arg, size_t *len)
{
	char *text = NULL;
	FILE *mem = open_memstream(&text, len);
	int rc, bad;

	if (!mem) {
		fprintf(stderr, "tvp: open_memstream: %s\n", strerror(errno));
		return NULL;
	}
	rc = script(mem, arg);
	if (fclose(mem) != 0 || rc) {
		fprintf(stderr, "tvp: writing the gnuplot script: %s\n",
			strerror(rc ? -rc : ENOMEM));
		free(text);
		return NULL;
	}
	bad = plot_script_check(text);
	if (bad) {
		fprintf(stderr, "tvp: not running gnuplot: line %d of the script tvp wrote lets text through unquoted (a bug in tvp)\n",
			bad);
		free(text);
		return NULL;
	}
	return text;
}

int plot_gnuplot(const char *out, int (*script)(FILE *f, const void *arg),
		 const void *arg)
{
	char path[4096], *text;
	size_t len = 0;
	int fd, rc;

	if (plot_find_gnuplot(path, sizeof(path))) {
		plot_explain_missing();
		return -1;
	}
	text = gnuplot_script(script, arg, &len);
	if (!text)
		return -1;
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "tvp: cannot write '%s': %s\n", out, strerror(errno));
		free(text);
		return -1;
	}
	rc = gnuplot_run(path, text, len, fd);
	if (close(fd) != 0 && !rc) {
		fprintf(stderr, "tvp: writing '%s': %s\n", out, strerror(errno));
		rc = -1;
	}
	if (rc && unlink(out) != 0)
		fprintf(stderr, "tvp: unlink '%s': %s\n", out, strerror(errno));
	free(text);
	return rc;
}

/*
 * plot.c - gnuplot scripts for speedup curves and task timelines, and the
 * pipe that feeds them to gnuplot.
 *
 * Data goes inline, as gnuplot 5 datablocks ($name << EOD), so a script is
 * complete in itself: `tvp plot` output can be saved and re-run by hand.
 * Every string that reaches the script (names from a CSV file) is quoted
 * with gnuplot's escapes, and `noenhanced` keeps an underscore an
 * underscore instead of a subscript.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot.h"

#define PANEL_W 560
#define PANEL_H 400
#define MAX_PANEL_COLS 3
#define MAX_SERIES 16
#define MAX_INT_XTICS 16	/* up to this many workers, a tic per worker */
#define TRACE_W 900
#define TRACE_ROW_H 28
#define TRACE_MIN_H 300
#define TRACE_BAR_HALF 0.35	/* half a bar's height, in worker rows */

static const char *const series_colour[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
	"#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
};
#define N_COLOURS (sizeof(series_colour) / sizeof(series_colour[0]))

const char *plot_terminal(const char *file)
{
	static const struct { const char *ext, *term; } tab[] = {
		{ ".png", "pngcairo" }, { ".svg", "svg dynamic background \"white\"" },
	};
	const char *dot = file ? strrchr(file, '.') : NULL;

	for (size_t i = 0; dot && i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(dot, tab[i].ext) == 0)
			return tab[i].term;
	return NULL;
}

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

void plot_panel_name(const char *workload, const char *variant, char *buf,
		     size_t len)
{
	if (strcmp(variant, "default") == 0)
		snprintf(buf, len, "%s", workload);
	else
		snprintf(buf, len, "%s / %s", workload, variant);
}

/* a gnuplot double-quoted string */
static void gp_string(FILE *f, const char *s)
{
	fputc('"', f);
	if (!s)
		s = "";
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc('"', f);
}

static void gp_header(FILE *f, const char *out, int w, int h)
{
	fprintf(f, "set terminal %s size %d,%d font \"sans,10\" noenhanced\n",
		plot_terminal(out), w, h);
	fputs("set output ", f);
	gp_string(f, out);
	fputc('\n', f);
}

/* ---- speedup versus workers -------------------------------------------- */

/* names in first-seen order: panels, or back ends (one colour each) */
static size_t distinct(const struct plot_points *pts, int series,
		       const char **names, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < pts->n; i++) {
		const char *s = series ? pts->v[i].series : pts->v[i].panel;
		size_t k = 0;

		while (k < n && strcmp(names[k], s) != 0)
			k++;
		if (k == n && n < max)
			names[n++] = s;
	}
	return n;
}

static int point_cmp(const void *a, const void *b)
{
	const struct plot_point *x = a, *y = b;

	return (x->workers > y->workers) - (x->workers < y->workers);
}

static void speedup_axes(FILE *f, const struct plot_points *pts, long cpus)
{
	int wmax = 1;

	for (size_t i = 0; i < pts->n; i++)
		if (pts->v[i].workers > wmax)
			wmax = pts->v[i].workers;
	fputs("set grid\nset key top left box opaque\nset style data linespoints\n"
	      "set xlabel \"workers (W)\"\n"
	      "set ylabel \"speedup over sequential\"\n", f);
	fprintf(f, "set xrange [0.5:%g]\nset yrange [0:*]\n", wmax + 0.5);
	if (wmax <= MAX_INT_XTICS)
		fputs("set xtics 1\n", f);
	if (cpus > 0 && cpus < wmax)	/* past this, workers share CPUs */
		fprintf(f, "set arrow 1 from %ld, graph 0 to %ld, graph 1 nohead dt 3 lc rgb \"gray50\"\n"
			"set label 1 \"%ld CPUs\" at %ld, graph 0.05 offset 0.5,0 tc rgb \"gray40\"\n",
			cpus, cpus, cpus, cpus);
}

/* one panel: its data blocks, then one plot command */
static void speedup_panel(FILE *f, const struct plot_points *pts, size_t p,
			  const char *panel, const char **series, size_t n_series)
{
	for (size_t s = 0; s < n_series; s++) {
		fprintf(f, "$p%zus%zu << EOD\n", p, s);
		for (size_t i = 0; i < pts->n; i++)
			if (strcmp(pts->v[i].panel, panel) == 0 &&
			    strcmp(pts->v[i].series, series[s]) == 0)
				fprintf(f, "%d %.6g\n", pts->v[i].workers, pts->v[i].speedup);
		fputs("EOD\n", f);
	}
	fputs("set title ", f);
	gp_string(f, panel);
	fputs("\nplot x with lines dt 2 lw 1.5 lc rgb \"gray40\" title \"ideal (speedup = W)\"", f);
	for (size_t s = 0; s < n_series; s++) {
		for (size_t i = 0; i < pts->n; i++)
			if (strcmp(pts->v[i].panel, panel) == 0 &&
			    strcmp(pts->v[i].series, series[s]) == 0) {
				fprintf(f, ", \\\n     $p%zus%zu using 1:2 lw 2 pt 7 ps 0.8 lc rgb \"%s\" title ",
					p, s, series_colour[s % N_COLOURS]);
				gp_string(f, series[s]);
				break;
			}
	}
	fputc('\n', f);
}

void plot_speedup_script(FILE *f, const struct plot_points *pts,
			 const char *out, const char *title, long cpus)
{
	const char *panels[MAX_SERIES * 4], *series[MAX_SERIES];
	size_t n_panels, n_series, cols, rows;

	qsort(pts->v, pts->n, sizeof(*pts->v), point_cmp);	/* lines run left to right */
	n_panels = distinct(pts, 0, panels, sizeof(panels) / sizeof(panels[0]));
	n_series = distinct(pts, 1, series, MAX_SERIES);
	cols = n_panels < MAX_PANEL_COLS ? (n_panels ? n_panels : 1) : MAX_PANEL_COLS;
	rows = n_panels ? (n_panels + cols - 1) / cols : 1;
	gp_header(f, out, (int)cols * PANEL_W, (int)rows * PANEL_H + (title ? 30 : 0));
	fprintf(f, "set multiplot layout %zu,%zu", rows, cols);
	if (title) {
		fputs(" title ", f);
		gp_string(f, title);
	}
	fputc('\n', f);
	speedup_axes(f, pts, cpus);
	for (size_t p = 0; p < n_panels; p++)
		speedup_panel(f, pts, p, panels[p], series, n_series);
	fputs("unset multiplot\n", f);
}

/* ---- per-worker timeline ------------------------------------------------ */

static size_t trace_statuses(const struct plot_trace *t, const char **names,
			     size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		size_t k = 0;

		while (k < n && strcmp(names[k], t->v[i].status) != 0)
			k++;
		if (k == n && n < max)
			names[n++] = t->v[i].status;
	}
	return n;
}

/* "ok" is green whatever its place; failures take the other colours */
static const char *status_colour(const char *status, size_t k)
{
	static const char *const others[] = { "#d62728", "#ff7f0e", "#9467bd",
					      "#8c564b", "#7f7f7f" };

	if (strcmp(status, "ok") == 0)
		return "#2ca02c";
	return others[k % (sizeof(others) / sizeof(others[0]))];
}

void plot_trace_script(FILE *f, const struct plot_trace *t, const char *out,
		       const char *title)
{
	const char *status[MAX_SERIES];
	size_t n_status = trace_statuses(t, status, MAX_SERIES);
	int wmax = 0, h;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].worker > wmax)
			wmax = t->v[i].worker;
	h = TRACE_MIN_H > 100 + TRACE_ROW_H * (wmax + 1) ? TRACE_MIN_H :
	    100 + TRACE_ROW_H * (wmax + 1);
	gp_header(f, out, TRACE_W, h);
	fputs("set title ", f);
	gp_string(f, title ? title : "tasks per worker over time");
	fprintf(f, "\nset xlabel \"time (%s)\"\nset ylabel \"worker\"\n"
		"set yrange [%g:%g]\nset ytics 1\nset xrange [0:*]\n"
		"set grid xtics\nset key outside right top\n"
		"set style fill solid 0.8 border lc rgb \"black\"\n",
		t->unit, wmax + 0.6, -0.6);	/* worker 0 on top */
	for (size_t s = 0; s < n_status; s++) {
		fprintf(f, "$s%zu << EOD\n", s);
		for (size_t i = 0; i < t->n; i++)
			if (strcmp(t->v[i].status, status[s]) == 0)
				fprintf(f, "%.9g %.9g %d\n", t->v[i].start, t->v[i].end,
					t->v[i].worker);
		fputs("EOD\n", f);
	}
	fputs("plot ", f);
	for (size_t s = 0, bad = 0; s < n_status; s++) {
		fprintf(f, "%s$s%zu using (($1+$2)/2):3:(($2-$1)/2):(%g) with boxxyerror lc rgb \"%s\" title ",
			s ? ", \\\n     " : "", s, TRACE_BAR_HALF,
			status_colour(status[s], bad));
		bad += strcmp(status[s], "ok") != 0;
		gp_string(f, status[s]);
	}
	fputc('\n', f);
}

/* ---- running gnuplot ----------------------------------------------------- */

/*
 * gnuplot reads the script on stdin; its stdout goes to our stderr, so
 * nothing but the report ever reaches tvp's stdout.
 */
static pid_t gnuplot_spawn(const char *path, int *to)
{
	int fd[2];
	pid_t pid;

	if (pipe(fd) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (dup2(fd[0], STDIN_FILENO) < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			_exit(126);
		close(fd[0]);
		close(fd[1]);
		execl(path, "gnuplot", (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	if (pid < 0) {
		close(fd[1]);
		return -1;
	}
	*to = fd[1];
	return pid;
}

int plot_gnuplot(void (*script)(FILE *f, const void *arg), const void *arg)
{
	char path[4096];
	struct sigaction old;
	int fd, status, rc = 0;
	FILE *f;
	pid_t pid;

	if (plot_find_gnuplot(path, sizeof(path))) {
		plot_explain_missing();
		return -1;
	}
	pid = gnuplot_spawn(path, &fd);
	if (pid < 0 || !(f = fdopen(fd, "w"))) {
		fprintf(stderr, "tvp: starting gnuplot: %s\n", strerror(errno));
		if (pid > 0) {
			close(fd);
			waitpid(pid, NULL, 0);
		}
		return -1;
	}
	/* if gnuplot stops reading (a script error), fail the write, not tvp */
	if (sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, &old))
		rc = -1;
	script(f, arg);
	if (fclose(f) != 0)
		rc = -1;	/* gnuplot stopped reading: it said why */
	if (sigaction(SIGPIPE, &old, NULL))
		rc = -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (rc || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "tvp: gnuplot failed (see its message above)\n");
		return -1;
	}
	return 0;
}

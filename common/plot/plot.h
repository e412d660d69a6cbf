/*
 * plot.h - pictures for a lab report, drawn by gnuplot.
 *
 * tvp writes a gnuplot script, data included, into a pipe to gnuplot, and
 * hands gnuplot the output file already open as its stdout: nothing but the
 * picture is left on disk, and no file name ever reaches gnuplot. Two
 * pictures:
 *   speedup  speedup versus workers, one line per back end with min-max
 *            error bars, the ideal line up to the CPU count, Karp-Flatt's
 *            serial fraction where it means something, busy-host points
 *            ringed, one panel per workload/variant; from a run (`tvp run
 *            ... --plot FILE`) or from its CSV (`tvp plot`);
 *   trace    a per-worker timeline (Gantt chart) of a CSV with the columns
 *            worker,start,end,status (and optionally backend,workers,run,
 *            as tvp's --trace writes), one bar per task, one row per
 *            worker, one panel per back end and worker count.
 * PNG or SVG, by the output file's extension.
 *
 * Every string in a script is a single-quoted gnuplot string (no backtick,
 * macro or escape expansion there) with quotes made typographic and
 * control characters blanked, and plot_script_check() refuses any script
 * in which that does not hold.
 */
#ifndef TVP_PLOT_H
#define TVP_PLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "result.h"
#include "sys/info.h"

#define PLOT_NAME_LEN 96
#define PLOT_STATUS_LEN 32
/* beyond these a picture is unreadable (and too tall for cairo): refused */
#define MAX_PLOT_PANELS 90
#define MAX_PLOT_SERIES 20
#define MAX_TRACE_PANELS 24
#define PLOT_FOOTER_LINES 4
#define PLOT_LINE_LEN 256

struct config;

struct plot_point {
	char panel[PLOT_NAME_LEN];	/* "squares" or "counter / mutex" */
	char series[PLOT_NAME_LEN];	/* the back end */
	int workers;
	double speedup;
	double lo, hi;		/* the speedup at the slowest and fastest rep */
	double work;		/* units of work per run; NAN: unknown */
	uint64_t size;		/* -n */
	int reps;
	double foreign_cpus;	/* NAN: not measured */
	int busy_reps;		/* counted reps on a busy host */
	size_t seq;		/* the order it was added in, set by plot_points_add */
};

struct plot_task {
	char backend[PLOT_NAME_LEN];	/* "" when the trace has no backend column */
	int workers;		/* 0 when the trace has no workers column */
	long run;
	int segment;		/* rows of one (backend, workers, run) in a row */
	int worker;
	double start, end;
	char status[PLOT_STATUS_LEN];
	int ok;			/* "ok", 0 or 2xx; anything else failed */
	int panel;		/* index into the panels, -1: an earlier run */
};

/* one back end and worker count: the last run of it in the trace */
struct plot_trace_panel {
	char backend[PLOT_NAME_LEN];
	int workers;
	long run;
	int segment;
	int rows;		/* the highest worker drawn + 1 */
	size_t tasks;
};

/* a growable array of T: points or tasks */
struct plot_points {
	struct plot_point *v;
	size_t n, cap;
};

struct plot_trace {
	struct plot_task *v;
	size_t n, cap;
	char unit[8];			/* "s", "ms" or "us", from the header */
	struct plot_trace_panel *panel;
	size_t n_panels;
};

/* what a speedup picture says besides its data */
struct plot_caption {
	char title[PLOT_LINE_LEN];
	char footer[PLOT_FOOTER_LINES][PLOT_LINE_LEN];
	long cpus;			/* the ideal line ends here; <= 0 unknown */
};

/* the gnuplot terminal for FILE's extension (.png, .svg), or NULL */
const char *plot_terminal(const char *file);
/* the gnuplot executable on PATH into path; 0, or -1 if there is none */
int plot_find_gnuplot(char *path, size_t len);
/* say on stderr how to get gnuplot */
void plot_explain_missing(void);

void plot_panel_name(const char *workload, const char *variant, char *buf,
		     size_t len);
int plot_points_add(struct plot_points *pts, const struct plot_point *p);
void plot_points_free(struct plot_points *pts);
void plot_trace_free(struct plot_trace *t);
/* 0, or -1 with what exceeds MAX_PLOT_PANELS or MAX_PLOT_SERIES in err */
int plot_points_check(const struct plot_points *pts, char *err, size_t len);
/* the footer lines every speedup picture gets: host figures, marks */
void plot_caption_host(const struct plot_points *pts, struct plot_caption *c);

/* the scripts, written to f (output: gnuplot's stdout); 0 or -ENOMEM */
int plot_speedup_script(FILE *f, const struct plot_points *pts,
			const char *out, const struct plot_caption *cap);
int plot_trace_script(FILE *f, const struct plot_trace *t, const char *out,
		      const char *title);
/* 0 if every string in script is inert to gnuplot, else the bad line */
int plot_script_check(const char *script);

/*
 * Reading CSV (libcsv): each row's fields to row(), blank lines and lines
 * starting with '#' between rows skipped. 0, or -1 with "FILE:LINE: what
 * is wrong" in err (row() writes its own complaint there).
 */
struct plot_csv;
typedef int (*plot_csv_row_fn)(struct plot_csv *in, char **field, int n,
			       void *arg);
int plot_csv_read(FILE *f, const char *name, plot_csv_row_fn row, void *arg,
		  char *err, size_t len);
/* inside row(): a complaint about the current row; returns -1 */
int plot_csv_fail(struct plot_csv *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* reading: 0, or -1 with "FILE:LINE: what is wrong" in err */
int plot_read_results(FILE *in, const char *name, struct plot_points *pts,
		      char *err, size_t len);
int plot_read_trace(FILE *in, const char *name, struct plot_trace *t,
		    char *err, size_t len);

/* feed script(f, arg) to gnuplot, drawing into out; 0, or -1 after saying why */
int plot_gnuplot(const char *out, int (*script)(FILE *f, const void *arg),
		 const void *arg);

/* `tvp run --plot FILE`: 0, or -1 after saying why on stderr */
int plot_results(const char *out, const struct cell_result *rows, size_t n,
		 const struct machine_info *m, const struct config *cfg);
/* `tvp plot ...`: argv[0] is "plot"; returns the exit status */
int plot_main(int argc, char **argv);

#endif

/*
 * plot.h - pictures for a lab report, drawn by gnuplot.
 *
 * tvp writes a gnuplot script, data included, into a pipe to gnuplot:
 * nothing but the picture is left on disk. Two pictures:
 *   speedup  speedup versus workers, one line per back end, the ideal
 *            line (speedup = W), one panel per workload/variant; from a
 *            run (`tvp run ... --plot FILE`) or from its CSV (`tvp plot`);
 *   trace    a per-worker timeline (Gantt chart) of a CSV with the columns
 *            worker,start,end,status, one bar per task (`tvp plot --trace`).
 * PNG or SVG, by the output file's extension.
 */
#ifndef TVP_PLOT_H
#define TVP_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "info.h"
#include "result.h"

#define PLOT_NAME_LEN 96
#define PLOT_STATUS_LEN 32

struct plot_point {
	char panel[PLOT_NAME_LEN];	/* "squares" or "counter / mutex" */
	char series[PLOT_NAME_LEN];	/* the back end */
	int workers;
	double speedup;
};

struct plot_task {
	int worker;
	double start, end;
	char status[PLOT_STATUS_LEN];
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
};

/* the gnuplot terminal for FILE's extension (.png, .svg), or NULL */
const char *plot_terminal(const char *file);
/* the gnuplot executable on PATH into path; 0, or -1 if there is none */
int plot_find_gnuplot(char *path, size_t len);
/* say on stderr how to get gnuplot */
void plot_explain_missing(void);

void plot_panel_name(const char *workload, const char *variant, char *buf,
		     size_t len);
int plot_points_add(struct plot_points *pts, const char *panel,
		    const char *series, int workers, double speedup);
void plot_points_free(struct plot_points *pts);
void plot_trace_free(struct plot_trace *t);

/* the scripts, written to f; `title` may be NULL */
void plot_speedup_script(FILE *f, const struct plot_points *pts,
			 const char *out, const char *title, long cpus);
void plot_trace_script(FILE *f, const struct plot_trace *t, const char *out,
		       const char *title);

/* reading: 0, or -1 with "FILE:LINE: what is wrong" in err */
int plot_read_results(FILE *in, const char *name, struct plot_points *pts,
		      char *err, size_t len);
int plot_read_trace(FILE *in, const char *name, struct plot_trace *t,
		    char *err, size_t len);
/* split one CSV line in place (RFC 4180 quotes); fields, or -1 */
int plot_csv_split(char *line, char **field, int max);

/* feed script(f, arg) to gnuplot; 0, or -1 after saying why on stderr */
int plot_gnuplot(void (*script)(FILE *f, const void *arg), const void *arg);

/* `tvp run --plot FILE`: 0, or -1 after saying why on stderr */
int plot_results(const char *out, const struct cell_result *rows, size_t n,
		 const struct machine_info *m);
/* `tvp plot ...`: argv[0] is "plot"; returns the exit status */
int plot_main(int argc, char **argv);

#endif

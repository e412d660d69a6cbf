/*
 * plot_trace.c - the gnuplot script for a task trace: a Gantt chart, one
 * row per worker and one bar per task, green where the task was ok and red
 * where it failed, one panel per back end and worker count on a shared
 * time axis, so threads and processes line up one above the other.
 */
#include <string.h>

#include "plot/gp.h"
#include "plot/plot.h"

#define TRACE_W 900
#define TRACE_HEAD_H 30
#define TRACE_PANEL_PAD 78	/* a panel's title, xlabel and tics */
#define TRACE_ROW_H 24
#define MAX_TRACE_ROW_TICS 32	/* more workers: rows shrink, tics thin out */
#define TRACE_MAX_ROWS_H 768
#define TRACE_MIN_ROWS_H 72
#define TRACE_BAR_HALF 0.35	/* half a bar's height, in worker rows */
#define TRACE_OK "#2ca02c"
#define TRACE_FAILED "#d62728"

static int trace_panel_h(const struct plot_trace_panel *p)
{
	int rows_h = p->rows <= MAX_TRACE_ROW_TICS ? TRACE_ROW_H * p->rows :
		     TRACE_MAX_ROWS_H;

	/* a panel of one or two workers still holds the key */
	return TRACE_PANEL_PAD + (rows_h > TRACE_MIN_ROWS_H ? rows_h : TRACE_MIN_ROWS_H);
}

static double trace_end(const struct plot_trace *t)
{
	double end = 0;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].panel >= 0 && t->v[i].end > end)
			end = t->v[i].end;
	return end > 0 ? end : 1;
}

static void trace_panel_title(FILE *f, const struct plot_trace_panel *p)
{
	char title[PLOT_LINE_LEN];

	if (!p->backend[0] && !p->workers)
		snprintf(title, sizeof(title), "tasks per worker");
	else
		snprintf(title, sizeof(title), "%s, %d worker%s (run %ld, the last in the trace)",
			 p->backend[0] ? p->backend : "?", p->workers,
			 p->workers == 1 ? "" : "s", p->run);
	fputs("set title ", f);
	gp_string(f, title);
	fputc('\n', f);
}

/* ok and failed tasks of panel p: two datablocks; which are not empty */
static int trace_blocks(FILE *f, const struct plot_trace *t, size_t p,
			int *has)
{
	for (int ok = 1; ok >= 0; ok--) {
		has[ok] = 0;
		fprintf(f, "$t%zu%s << EOD\n", p, ok ? "ok" : "failed");
		for (size_t i = 0; i < t->n; i++) {
			const struct plot_task *k = &t->v[i];

			if (k->panel != (int)p || k->ok != ok)
				continue;
			fprintf(f, "%.9g %.9g %d\n", k->start, k->end, k->worker);
			has[ok] = 1;
		}
		fputs("EOD\n", f);
	}
	return has[0] || has[1];
}

static void trace_panel(FILE *f, const struct plot_trace *t, size_t p,
			int top, int h)
{
	const struct plot_trace_panel *tp = &t->panel[p];
	int ph = trace_panel_h(tp), has[2];
	const char *sep = "plot ";

	if (!trace_blocks(f, t, p, has))
		return;
	fprintf(f, "set origin 0, %.4f\nset size 1, %.4f\n",
		1 - (double)(top + ph) / h, (double)ph / h);
	trace_panel_title(f, tp);
	fprintf(f, "set yrange [%g:%g]\n", tp->rows - 1 + 0.6, -0.6);	/* worker 0 on top */
	fputs(tp->rows <= MAX_TRACE_ROW_TICS ? "set ytics 1\n" : "set ytics autofreq\n", f);
	for (int ok = 1; ok >= 0; ok--) {
		if (!has[ok])
			continue;
		fprintf(f, "%s$t%zu%s using (($1+$2)/2):3:(($2-$1)/2):(%g) with boxxyerror lc rgb '%s' title '%s'",
			sep, p, ok ? "ok" : "failed", TRACE_BAR_HALF,
			ok ? TRACE_OK : TRACE_FAILED, ok ? "ok" : "failed");
		sep = ", \\\n     ";
	}
	fputc('\n', f);
}

int plot_trace_script(FILE *f, const struct plot_trace *t, const char *out,
		      const char *title)
{
	int h = TRACE_HEAD_H, top = TRACE_HEAD_H;

	for (size_t p = 0; p < t->n_panels; p++)
		h += trace_panel_h(&t->panel[p]);
	gp_header(f, out, TRACE_W, h);
	fprintf(f, "set xlabel 'time since the run started (%s)'\nset ylabel 'worker'\n"
		"set xrange [0:%.9g]\nset grid xtics\n"
		"set key outside right top\nset lmargin 10\nset rmargin 16\n"
		"set style fill solid 0.8 border lc rgb 'black'\n",
		t->unit, trace_end(t));
	fputs("set multiplot\n", f);
	gp_canvas_label(f, 100, title ? title : "tasks per worker over time",
			TRACE_W / 2, TRACE_HEAD_H / 2 + 4, TRACE_W, h,
			"center font ',12'");
	for (size_t p = 0; p < t->n_panels; p++) {
		trace_panel(f, t, p, top, h);
		top += trace_panel_h(&t->panel[p]);
		if (p == 0)
			fputs("unset label 100\n", f);
	}
	fputs("unset multiplot\n", f);
	return 0;
}

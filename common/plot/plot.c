/*
 * plot.c - the gnuplot script for speedup curves, and what every script
 * shares: terminals, quoting, colours.
 *
 * Data goes inline, as gnuplot 5 datablocks ($name << EOD) of numbers only,
 * so a script is complete in itself. Every string that reaches the script
 * (names from a CSV file, the CPU model, captions) is a single-quoted
 * gnuplot string: gnuplot expands backticks and macros in double quotes,
 * never in single ones; a quote becomes a typographic one and a control
 * character (a newline would end the command) becomes a space. `noenhanced` keeps an
 * underscore an underscore instead of a subscript.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot/gp.h"
#include "plot/plot.h"
#include "stats/stats.h"

#define PANEL_W 560
#define PANEL_H 400
#define MAX_PANEL_COLS 3
#define MAX_INT_XTICS 16	/* up to this many workers, a tic per worker */
#define HEAD_H 40		/* the picture's title */
#define LINE_H 16		/* one footer line */
#define FOOT_CHAR_W 6		/* pixels per character of the footer's font */
#define FOOT_TAG 101		/* footer labels: tags from here, 100 the title */
#define MARGIN_L 62		/* room for tic labels and the ylabel */
#define MARGIN_R 18
#define GAP_X 78
#define GAP_Y 84		/* a panel's xlabel and the next one's title */
#define SAME_WORK 1e-6		/* relative: the same work at every W */

static const char *const series_colour[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
	"#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
};
#define N_COLOURS (sizeof(series_colour) / sizeof(series_colour[0]))

const char *plot_terminal(const char *file)
{
	static const struct { const char *ext, *term; } tab[] = {
		{ ".png", "pngcairo" }, { ".svg", "svg dynamic background rgb '#ffffff'" },
	};
	const char *dot = file ? strrchr(file, '.') : NULL;

	for (size_t i = 0; dot && i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(dot, tab[i].ext) == 0)
			return tab[i].term;
	return NULL;
}

void plot_panel_name(const char *workload, const char *variant, char *buf,
		     size_t len)
{
	if (strcmp(variant, "default") == 0)
		snprintf(buf, len, "%s", workload);
	else
		snprintf(buf, len, "%s / %s", workload, variant);
}

/*
 * gnuplot 5.4 reads two quotes inside a single-quoted string as one quote,
 * but not at the string's start nor twice in a row (it then ends early):
 * a quote becomes U+2019 instead, which looks alike and never ends it.
 * A string longer than GP_STRING_MAX bytes (a long path as a title) is cut
 * at a character's start and ends in "...": no caption needs more, and a
 * script line must stay within what plot_script_check reads.
 */
#define GP_STRING_MAX 300

void gp_string(FILE *f, const char *s)
{
	size_t out = 0;

	fputc('\'', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (out >= GP_STRING_MAX && (c & 0xc0) != 0x80) {
			fputs("...", f);
			break;
		}
		if (c == '\'') {
			fputs("\u2019", f);
			out += 3;
		} else {
			fputc(c < 0x20 || c == 0x7f ? ' ' : c, f);
			out++;
		}
	}
	fputc('\'', f);
}

/* the terminal; the output is gnuplot's stdout, opened by tvp */
void gp_header(FILE *f, const char *out, int w, int h)
{
	fprintf(f, "set terminal %s size %d,%d font 'sans,10' noenhanced\n"
		"set output\n", plot_terminal(out), w, h);
}

/* a label at a fixed place on the canvas, pixels from the top left */
void gp_canvas_label(FILE *f, int tag, const char *text, int x, int y,
		     int w, int h, const char *how)
{
	fprintf(f, "set label %d ", tag);
	gp_string(f, text);
	fprintf(f, " at screen %.4f, screen %.4f %s\n", (double)x / w,
		1 - (double)y / h, how);
}

/* ---- names and limits ---------------------------------------------------- */

/* names in first-seen order: panels, or back ends (one colour each) */
static size_t distinct(const struct plot_points *pts, int series,
		       const char **names)
{
	size_t n = 0;

	for (size_t i = 0; i < pts->n; i++) {
		const char *s = series ? pts->v[i].series : pts->v[i].panel;
		size_t k = 0;

		while (k < n && strcmp(names[k], s) != 0)
			k++;
		if (k == n)
			names[n++] = s;
	}
	return n;
}

int plot_points_check(const struct plot_points *pts, char *err, size_t len)
{
	const char **names = calloc(pts->n ? pts->n : 1, sizeof(*names));
	size_t panels, series;

	if (!names) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	panels = distinct(pts, 0, names);
	series = distinct(pts, 1, names);
	free(names);
	if (panels > MAX_PLOT_PANELS)
		snprintf(err, len, "%zu panels (workload/variant pairs), more than the %d one picture holds; select fewer workloads",
			 panels, MAX_PLOT_PANELS);
	else if (series > MAX_PLOT_SERIES)
		snprintf(err, len, "%zu back ends, more than the %d one legend holds; select fewer back ends",
			 series, MAX_PLOT_SERIES);
	return panels > MAX_PLOT_PANELS || series > MAX_PLOT_SERIES ? -1 : 0;
}

/* ---- host figures -------------------------------------------------------- */

void plot_caption_host(const struct plot_points *pts, struct plot_caption *c)
{
	double *v = malloc((pts->n ? pts->n : 1) * sizeof(*v));
	size_t n = 0, busy = 0;
	char *line = NULL;

	for (size_t i = 0; v && i < pts->n; i++) {
		if (isfinite(pts->v[i].foreign_cpus))
			v[n++] = pts->v[i].foreign_cpus;
		busy += pts->v[i].busy_reps > 0;
	}
	for (int k = 0; k < PLOT_FOOTER_LINES && !line; k++)
		if (!c->footer[k][0])
			line = c->footer[k];
	if (line && n)
		snprintf(line, PLOT_LINE_LEN, "host: other processes took a median %.2f CPUs during the timed repetitions; %zu of %zu points ringed: a repetition ran on a busy host",
			 stats_median(v, n), busy, pts->n);
	else if (line)
		snprintf(line, PLOT_LINE_LEN, "host: other processes' CPU use not measured; %zu of %zu points ringed: a repetition ran on a busy host",
			 busy, pts->n);
	free(v);
}

/* ---- speedup versus workers ---------------------------------------------- */

struct speedup_layout {
	const char **panels, **series;
	size_t n_panels, n_series;
	int cols, rows, w, h, foot_lines, foot_h, wmax;
};

static int point_cmp(const void *a, const void *b)
{
	const struct plot_point *x = a, *y = b;

	/* ties keep their order, so panels and colours follow the input */
	if (x->workers != y->workers)
		return (x->workers > y->workers) - (x->workers < y->workers);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* the next piece of s that fits in max characters, broken at a space */
static size_t wrap_piece(const char *s, size_t max)
{
	size_t n = strlen(s), cut;

	if (n <= max)
		return n;
	for (cut = max; cut > 0 && s[cut] != ' '; cut--)
		;
	return cut ? cut : max;
}

/* the footer, wrapped to the canvas: one label per line; the lines */
static int footer_write(FILE *f, const struct plot_caption *cap, int w,
			int h, int y0)
{
	size_t max = (size_t)(w - 16) / FOOT_CHAR_W;
	char piece[PLOT_LINE_LEN];
	int lines = 0;

	for (int k = 0; k < PLOT_FOOTER_LINES && cap->footer[k][0]; k++)
		for (const char *s = cap->footer[k]; *s; lines++) {
			size_t n = wrap_piece(s, max);

			snprintf(piece, sizeof(piece), "%.*s", (int)n, s);
			if (f)
				gp_canvas_label(f, FOOT_TAG + lines, piece, 8,
						y0 + LINE_H * lines + LINE_H / 2 + 4,
						w, h, "left font ',9' tc rgb 'gray20'");
			s += n;
			s += *s == ' ';
		}
	return lines;
}

static void speedup_layout(const struct plot_points *pts,
			   const struct plot_caption *cap,
			   struct speedup_layout *l)
{
	l->n_panels = distinct(pts, 0, l->panels);
	l->n_series = distinct(pts, 1, l->series);
	l->cols = l->n_panels < MAX_PANEL_COLS ? (l->n_panels ? (int)l->n_panels : 1) :
		  MAX_PANEL_COLS;
	l->rows = l->n_panels ? (int)((l->n_panels + (size_t)l->cols - 1) / (size_t)l->cols) : 1;
	l->w = l->cols * PANEL_W;
	l->foot_lines = footer_write(NULL, cap, l->w, 0, 0);
	l->foot_h = LINE_H * l->foot_lines + 8;
	l->h = l->rows * PANEL_H + HEAD_H + l->foot_h;
	l->wmax = 1;
	for (size_t i = 0; i < pts->n; i++)
		if (pts->v[i].workers > l->wmax)
			l->wmax = pts->v[i].workers;
}

/* the grid, in screen fractions, leaving the title and footer their room */
static void speedup_multiplot(FILE *f, const struct speedup_layout *l,
			      const struct plot_caption *cap)
{
	int top = HEAD_H + 26, bottom = l->foot_h + 46;

	fprintf(f, "set multiplot layout %d,%d margins %.4f,%.4f,%.4f,%.4f spacing %.4f,%.4f\n",
		l->rows, l->cols, (double)MARGIN_L / l->w, 1 - (double)MARGIN_R / l->w,
		(double)bottom / l->h, 1 - (double)top / l->h,
		(double)GAP_X / l->w, (double)GAP_Y / l->h);
	gp_canvas_label(f, 100, cap->title, l->w / 2, HEAD_H / 2 + 4, l->w, l->h,
			"center font ',12'");
	footer_write(f, cap, l->w, l->h, l->h - l->foot_h);
}

static void speedup_axes(FILE *f, const struct speedup_layout *l, long cpus)
{
	long ideal_to = cpus > 0 && cpus < l->wmax ? cpus : l->wmax;

	/* headroom above the data for the key, so it hides no point */
	fputs("set grid\nset key top left box opaque font ',9' samplen 2\n"
	      "set offsets 0, 0, graph 0.45, 0\n"
	      "set xlabel 'workers (W)'\nset ylabel 'speedup over sequential'\n", f);
	fprintf(f, "set xrange [0.5:%g]\nset yrange [0:*]\n", l->wmax + 0.5);
	if (l->wmax <= MAX_INT_XTICS)
		fputs("set xtics 1\n", f);
	if (cpus > 0 && cpus < l->wmax)	/* past this, workers share CPUs */
		fprintf(f, "set arrow 1 from %ld, graph 0 to %ld, graph 1 nohead dt 3 lc rgb 'gray50'\n"
			"set label 1 '%ld CPUs' at %ld, graph 0.05 offset 0.5,0 tc rgb 'gray40'\n",
			cpus, cpus, cpus, cpus);
	/* speedup = W is the ceiling only while every worker has a CPU */
	fprintf(f, "$ideal << EOD\n1 1\n%ld %ld\nEOD\n", ideal_to, ideal_to);
}

/* Karp-Flatt means something on fixed work only: every W, the same work */
static int panel_fixed_work(const struct plot_points *pts, const char *panel)
{
	double work = NAN;

	for (size_t i = 0; i < pts->n; i++) {
		const struct plot_point *p = &pts->v[i];

		if (strcmp(p->panel, panel) != 0)
			continue;
		if (!isfinite(p->work) || p->work <= 0)
			return 0;
		if (isnan(work))
			work = p->work;
		else if (fabs(p->work - work) > SAME_WORK * work)
			return 0;
	}
	return 1;
}

enum { SERIES_DRAWN = 1, SERIES_KF = 2 };

/*
 * One series of one panel: W, speedup and its min-max bar; then Karp-Flatt's
 * e where it means something (fixed work, W > 1, a speedup above 1).
 */
static int series_block(FILE *f, const struct plot_points *pts, size_t p,
			size_t s, const char *panel, const char *series)
{
	int fixed = panel_fixed_work(pts, panel), flags = 0;

	for (int kf = 0; kf < 2; kf++) {
		fprintf(f, "$p%zus%zu%s << EOD\n", p, s, kf ? "kf" : "");
		for (size_t i = 0; i < pts->n; i++) {
			const struct plot_point *q = &pts->v[i];
			double e = stats_karp_flatt(q->speedup, q->workers);

			if (strcmp(q->panel, panel) != 0 || strcmp(q->series, series) != 0)
				continue;
			if (!kf) {
				fprintf(f, "%d %.6g %.6g %.6g\n", q->workers, q->speedup,
					q->lo, q->hi);
				flags |= SERIES_DRAWN;
			} else if (fixed && q->workers > 1 && q->speedup > 1 && isfinite(e)) {
				fprintf(f, "%d %.6g %.6g\n", q->workers, q->speedup, e);
				flags |= SERIES_KF;
			}
		}
		fputs("EOD\n", f);
	}
	return flags;
}

/* the points whose cell had a repetition on a busy host; whether any */
static int busy_block(FILE *f, const struct plot_points *pts, size_t p,
		      const char *panel)
{
	int any = 0;

	fprintf(f, "$p%zubusy << EOD\n", p);
	for (size_t i = 0; i < pts->n; i++)
		if (strcmp(pts->v[i].panel, panel) == 0 && pts->v[i].busy_reps > 0) {
			fprintf(f, "%d %.6g\n", pts->v[i].workers, pts->v[i].speedup);
			any = 1;
		}
	fputs("EOD\n", f);
	return any;
}

/* "squares (n = 1000000, 5 reps)": what each point of the panel measured */
static void panel_title(FILE *f, const struct plot_points *pts,
			const char *panel)
{
	char t[PLOT_LINE_LEN];
	uint64_t size = 0;
	int reps = 0;

	for (size_t i = 0; i < pts->n; i++)
		if (strcmp(pts->v[i].panel, panel) == 0) {
			size = size ? size : pts->v[i].size;
			reps = pts->v[i].reps > reps ? pts->v[i].reps : reps;
		}
	if (size && reps)
		snprintf(t, sizeof(t), "%s (n = %llu, %d reps)", panel,
			 (unsigned long long)size, reps);
	else
		snprintf(t, sizeof(t), "%s", panel);
	fputs("set title ", f);
	gp_string(f, t);
	fputc('\n', f);
}

/* e in the series' colour, each series a line higher so none hides another */
static void kf_labels(FILE *f, size_t p, const int *has, size_t n_series)
{
	for (size_t s = 0, k = 0; s < n_series; s++)
		if (has[s] & SERIES_KF)
			fprintf(f, ", \\\n     $p%zus%zukf using 1:2:(sprintf('e=%%.2f', $3)) with labels left offset 0.7,%.1f font ',8' tc rgb '%s' notitle",
				p, s, 0.7 + 0.9 * (double)k++, series_colour[s % N_COLOURS]);
}

static void speedup_panel(FILE *f, const struct plot_points *pts, size_t p,
			  const struct speedup_layout *l, long cpus)
{
	const char *panel = l->panels[p];
	size_t n_series = l->n_series < MAX_PLOT_SERIES ? l->n_series : MAX_PLOT_SERIES;
	int has[MAX_PLOT_SERIES] = { 0 }, busy;

	for (size_t s = 0; s < n_series; s++)
		has[s] = series_block(f, pts, p, s, panel, l->series[s]);
	busy = busy_block(f, pts, p, panel);
	panel_title(f, pts, panel);
	fputs("plot $ideal using 1:2 with lines dt 2 lw 1.5 lc rgb 'gray40' title ", f);
	if (cpus > 0 && cpus < l->wmax)
		fprintf(f, "'ideal: speedup = W, to %ld CPUs'", cpus);
	else
		fputs("'ideal: speedup = W'", f);
	for (size_t s = 0; s < n_series; s++) {
		if (!(has[s] & SERIES_DRAWN))
			continue;
		fprintf(f, ", \\\n     $p%zus%zu using 1:2:3:4 with yerrorlines lw 2 pt %zu ps 0.8 lc rgb '%s' title ",
			p, s, 7 + 2 * (s / N_COLOURS), series_colour[s % N_COLOURS]);
		gp_string(f, l->series[s]);
	}
	kf_labels(f, p, has, n_series);
	if (busy)
		fprintf(f, ", \\\n     $p%zubusy using 1:2 with points pt 6 ps 2.4 lw 1.5 lc rgb 'black' title 'busy host'",
			p);
	fputc('\n', f);
}

int plot_speedup_script(FILE *f, const struct plot_points *pts,
			const char *out, const struct plot_caption *cap)
{
	struct speedup_layout l = { 0 };

	l.panels = calloc(pts->n ? pts->n : 1, sizeof(*l.panels));
	l.series = calloc(pts->n ? pts->n : 1, sizeof(*l.series));
	if (!l.panels || !l.series) {
		free(l.panels);
		free(l.series);
		return -ENOMEM;
	}
	qsort(pts->v, pts->n, sizeof(*pts->v), point_cmp);	/* lines run left to right */
	speedup_layout(pts, cap, &l);
	gp_header(f, out, l.w, l.h);
	speedup_axes(f, &l, cap->cpus);
	speedup_multiplot(f, &l, cap);
	for (size_t p = 0; p < l.n_panels; p++) {
		speedup_panel(f, pts, p, &l, cap->cpus);
		for (int k = 0; p == 0 && k <= l.foot_lines; k++)
			fprintf(f, "unset label %d\n", 100 + k);	/* drawn once */
	}
	fputs("unset multiplot\n", f);
	free(l.panels);
	free(l.series);
	return 0;
}

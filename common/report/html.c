/*
 * report_html.c - one self-contained page a student can open and hand in:
 * the verdicts, the table, a chart per workload, what each workload does,
 * and the machine and configuration. No script, no network: the styles
 * are inline and the charts are SVG drawn here, so the page shows the same
 * offline, on a phone (media queries) and on paper (print styles).
 *
 * Everything that comes from a name, an option or a detail goes through
 * html_text(), so a '<' in a workload option cannot open a tag.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "sys/pin.h"

/* the chart's canvas, in SVG user units; CSS scales it to the page.
 * INSET keeps the points at W = 1 and the largest W off the axes. */
#define SVG_W 640
#define SVG_H 340
#define PAD_L 56
#define PAD_R 16
#define PAD_T 14
#define PAD_B 44
#define INSET 14

static const char *const palette[] = {
	"#1b6ca8", "#d1495b", "#2e8540", "#edae49", "#6a4c93", "#00798c",
	"#8d6a9f", "#5c4d3c",
};
#define N_COLOURS (sizeof(palette) / sizeof(palette[0]))

static const char html_style[] =
	"body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:70em;"
	"padding:0 1em;color:#222;background:#fff}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}"
	".wrap{overflow-x:auto}"
	"table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.92em}"
	"th,td{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:left;"
	"vertical-align:top}"
	"td.num{text-align:right;white-space:nowrap}"
	"tr.failed td{background:#fde8e8}"
	"tr.row:has(+tr.detail) td{border-bottom:none}"
	"tr.detail td{font-size:.85em;color:#555;padding-top:0;padding-left:1.5em}"
	".busy{display:inline-block;font-size:.75em;padding:0 .4em;border-radius:.6em;"
	"background:#fff1c2;border:1px solid #d9a400;margin-left:.3em}"
	".verdicts li{margin:.2em 0}"
	"figure.chart{margin:1.5em 0}"
	".panels{max-width:44em}"
	".panels.many{max-width:none;display:grid;gap:.5em 1.5em;"
	"grid-template-columns:repeat(auto-fill,minmax(22em,1fr))}"
	".panels.many>svg text{font-size:21px}"
	".panels>svg{width:100%;height:auto;display:block}"
	"figcaption{font-size:.9em;color:#444}"
	".legend{list-style:none;padding:0;margin:.3em 0;display:flex;flex-wrap:wrap;"
	"gap:.2em 1.2em;font-size:.9em}"
	"dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em}"
	"dl.kv dt{font-weight:600}dl.kv dd{margin:0}"
	"footer{margin-top:2em;font-size:.85em;color:#555;border-top:1px solid #ddd}"
	"@media (max-width:600px){body{font-size:14px;margin:.5em auto;padding:0 .5em}"
	"th,td{padding:.2em .35em}dl.kv{grid-template-columns:1fr}"
	".panels>svg text{font-size:19px}"
	"dl.kv dd{margin-bottom:.4em}}"
	"@media print{body{max-width:none;margin:0;font-size:10pt}"
	".wrap{overflow:visible}figure.chart,table,tr{break-inside:avoid}"
	"h2{break-after:avoid}tr.failed td{background:none}}";

/* text for an element or an attribute value */
static void html_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

static void html_head(FILE *f, const struct report *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>tvp results: ", f);
	for (size_t i = 0; i < r->cfg->n_wl; i++) {
		html_text(f, r->cfg->wl[i]->name);
		fputs(i + 1 < r->cfg->n_wl ? ", " : "", f);
	}
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", html_style);
}

/* ---- verdicts ----------------------------------------------------------- */

/* the report's own verdict sentences (report_verdict.c), one item each */
static void report_html_verdicts(FILE *f, const struct report *r)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int any = 0;

	if (!m)
		return;
	report_verdicts(m, r, 0);
	if (fclose(m) != 0) {
		free(text);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!any++)
			fputs("<section id=\"verdicts\">\n<h2>In short</h2>\n<ul class=\"verdicts\">\n", f);
		fputs("<li>", f);
		html_text(f, line);
		fputs("</li>\n", f);
	}
	if (any)
		fputs("</ul>\n</section>\n", f);
	free(text);
}

/* ---- the table ---------------------------------------------------------- */

static void html_busy_mark(FILE *f, const struct cell_result *x)
{
	if (x->busy_reps <= 0)
		return;
	fprintf(f, "<span class=\"busy\" title=\"%d of %d counted repetitions ran while other processes took CPU",
		x->busy_reps, x->reps);
	if (isfinite(x->foreign_cpus))
		fprintf(f, " (median %.2f CPUs' worth)", x->foreign_cpus);
	fputs("\">busy</span>", f);
}

/* the row's numbers, then its detail on a line of its own, as in the
 * terminal, so a long note does not squeeze the columns */
static void html_row(FILE *f, const struct report *r, const struct cell_result *x)
{
	char cell[N_COLS][CELL_LEN];
	int cols = 0;

	report_row_cells(x, cell);
	fprintf(f, "<tr class=\"row%s%s\">", x->failed || x->verdict == VERDICT_NO ?
		" failed" : "", x->busy_reps > 0 ? " busy-row" : "");
	for (int c = 0; c < N_COLS; c++) {
		if (!report_col_shown(r, c) || c == C_DETAIL)
			continue;
		cols++;
		fputs(report_col_numeric(c) ? "<td class=\"num\">" : "<td>", f);
		html_text(f, cell[c]);
		if (c == C_BACKEND)
			html_busy_mark(f, x);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
	if (!report_col_shown(r, C_DETAIL) || !cell[C_DETAIL][0])
		return;
	fprintf(f, "<tr class=\"detail\"><td colspan=\"%d\">", cols ? cols : 1);
	html_text(f, cell[C_DETAIL]);
	fputs("</td></tr>\n", f);
}

static void html_table(FILE *f, const struct report *r)
{
	fputs("<section id=\"table\">\n<h2>Results</h2>\n<div class=\"wrap\">\n"
	      "<table id=\"results\">\n<thead><tr>", f);
	for (int c = 0; c < N_COLS; c++)
		if (report_col_shown(r, c) && c != C_DETAIL) {
			fputs(report_col_numeric(c) ? "<th class=\"num\">" : "<th>", f);
			html_text(f, report_col_names[c]);
			fputs("</th>", f);
		}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < r->n; i++)
		html_row(f, r, &r->rows[i]);
	fputs("</tbody>\n</table>\n</div>\n</section>\n", f);
}

/* ---- charts ------------------------------------------------------------- */

struct chart {
	const struct report *r;
	const struct workload *wl;
	int variant;		/* this panel's; -1: the legend, every variant */
	int speedup;		/* 1: speedup; 0: throughput */
	int max_w, cpus;
	double max_y;
};

/* the plotted value of row x and its min-max range; 0 when it has none */
static int chart_value(const struct chart *ch, const struct cell_result *x,
		       double *v, double *lo, double *hi)
{
	*v = ch->speedup ? x->speedup : x->throughput;
	if (x->wl != ch->wl || (ch->variant >= 0 && x->variant != ch->variant) ||
	    x->reps == 0 || !isfinite(*v) || x->st.min <= 0)
		return 0;
	/* both figures go as 1/time: the slowest run gives the lowest */
	*lo = *v * x->st.median / x->st.max;
	*hi = *v * x->st.median / x->st.min;
	return 1;
}

static void chart_scan(struct chart *ch)
{
	double v, lo, hi;

	ch->max_w = 2;
	ch->max_y = ch->speedup ? 1 : 0;
	for (size_t i = 0; i < ch->r->n; i++) {
		const struct cell_result *x = &ch->r->rows[i];

		if (!chart_value(ch, x, &v, &lo, &hi))
			continue;
		if (x->workers > ch->max_w)
			ch->max_w = x->workers;
		if (hi > ch->max_y)
			ch->max_y = hi;
	}
	if (ch->speedup) {
		int ideal = ch->cpus < ch->max_w ? ch->cpus : ch->max_w;

		if (ideal > ch->max_y)
			ch->max_y = ideal;
	}
	if (ch->max_y <= 0)
		ch->max_y = 1;
}

static double chart_x(const struct chart *ch, double w)
{
	return PAD_L + INSET + (w - 1) / (ch->max_w - 1) *
	       (SVG_W - PAD_L - PAD_R - 2 * INSET);
}

static double chart_y(const struct chart *ch, double v)
{
	return SVG_H - PAD_B - v / ch->max_y * (SVG_H - PAD_T - PAD_B);
}

/* 1, 2 or 5 times a power of ten, so that about `n` steps cover `span` */
static double nice_step(double span, int n)
{
	double raw = span / n, p = pow(10, floor(log10(raw)));

	return raw / p < 1.5 ? p : raw / p < 3.5 ? 2 * p : raw / p < 7.5 ? 5 * p : 10 * p;
}

static void chart_axes(FILE *f, const struct chart *ch)
{
	double step = nice_step(ch->max_y, 5);
	int wstep = ch->max_w > 16 ? (int)nice_step(ch->max_w, 8) : 1;
	char label[32];

	fprintf(f, "<g class=\"axes\" font-size=\"12\" fill=\"#444\">\n");
	for (double y = 0; y <= ch->max_y * 1.0001; y += step) {
		if (ch->speedup)
			snprintf(label, sizeof(label), "%g", y);
		else
			report_rate(y, "", label, sizeof(label));
		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
			PAD_L, SVG_W - PAD_R, chart_y(ch, y), chart_y(ch, y),
			PAD_L - 6, chart_y(ch, y) + 4, label);
	}
	for (int w = 1; w <= ch->max_w; w += w == 1 && wstep > 1 ? wstep - 1 : wstep)
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
			chart_x(ch, w), SVG_H - PAD_B + 16, w);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">workers W</text>\n"
		"<text transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\">",
		(PAD_L + SVG_W - PAD_R) / 2, SVG_H - 6, (PAD_T + SVG_H - PAD_B) / 2);
	html_text(f, ch->speedup ? "speedup" : ch->wl->unit);
	fprintf(f, "</text>\n<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#888\"/></g>\n",
		PAD_L, SVG_W - PAD_R, SVG_H - PAD_B, SVG_H - PAD_B);
}

/* speedup = W, from one worker up to the CPUs there are: beyond, no more */
static void chart_ideal(FILE *f, const struct chart *ch)
{
	int top = ch->cpus < ch->max_w ? ch->cpus : ch->max_w;

	if (!ch->speedup || top < 1)
		return;
	fprintf(f, "<line class=\"ideal\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"#999\" stroke-dasharray=\"5 4\" stroke-width=\"1.5\"/>\n",
		chart_x(ch, 1), chart_y(ch, 1), chart_x(ch, top), chart_y(ch, top));
}

static int backend_index(const struct backend *be)
{
	for (size_t i = 0; i < n_backends; i++)
		if (backends[i] == be)
			return (int)i;
	return 0;
}

/* the points of one back end in this panel, joined in order of W */
static void chart_series(FILE *f, const struct chart *ch, const struct backend *be)
{
	const char *colour = palette[(size_t)backend_index(be) % N_COLOURS];
	double v, lo, hi;
	int n = 0;

	fprintf(f, "<g class=\"series\" stroke=\"%s\" fill=\"%s\"><polyline fill=\"none\" "
		"stroke-width=\"2\" points=\"", colour, colour);
	for (int w = 1; w <= ch->max_w; w++)
		for (size_t i = 0; i < ch->r->n; i++) {
			const struct cell_result *x = &ch->r->rows[i];

			if (x->be == be && x->workers == w && chart_value(ch, x, &v, &lo, &hi))
				fprintf(f, "%s%.1f,%.1f", n++ ? " " : "",
					chart_x(ch, w), chart_y(ch, v));
		}
	fputs("\"/>\n", f);
	for (size_t i = 0; i < ch->r->n; i++) {
		const struct cell_result *x = &ch->r->rows[i];

		if (x->be != be || !chart_value(ch, x, &v, &lo, &hi))
			continue;
		fprintf(f, "<line class=\"errbar\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke-width=\"1.5\"/>"
			"<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"><title>",
			chart_x(ch, x->workers), chart_x(ch, x->workers), chart_y(ch, lo),
			chart_y(ch, hi), chart_x(ch, x->workers), chart_y(ch, v));
		html_text(f, be->name);
		fprintf(f, ", W = %d: %.4g (min-max %.4g-%.4g)</title></circle>\n",
			x->workers, v, lo, hi);
	}
	fputs("</g>\n", f);
}

/* each back end with a point in the panel (or, for the legend, in any) */
static int chart_each_backend(FILE *f, const struct chart *ch, int legend)
{
	int n = 0;
	double v, lo, hi;

	for (size_t i = 0; i < ch->r->n; i++) {
		const struct cell_result *x = &ch->r->rows[i];
		int seen = 0;

		for (size_t j = 0; j < i && !seen; j++)
			seen = ch->r->rows[j].be == x->be &&
			       chart_value(ch, &ch->r->rows[j], &v, &lo, &hi);
		if (seen || !chart_value(ch, x, &v, &lo, &hi))
			continue;
		n++;
		if (!legend) {
			chart_series(f, ch, x->be);
			continue;
		}
		fprintf(f, "<li><svg width=\"28\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" x2=\"28\" y2=\"5\" "
			"stroke=\"%s\" stroke-width=\"3\"/></svg> ",
			palette[(size_t)backend_index(x->be) % N_COLOURS]);
		html_text(f, x->be->name);
		fputs("</li>\n", f);
	}
	return n;
}

/* -n, every option of the workload (as given, or its default), the reps */
static void chart_caption(FILE *f, const struct chart *ch, uint64_t size)
{
	const struct config *cfg = ch->r->cfg;

	fputs("<figcaption><b>", f);
	html_text(f, ch->wl->name);
	fprintf(f, "</b>: %s against workers W%s; -n %llu (", ch->speedup ?
		"speedup over the sequential reference" : "throughput",
		ch->wl->variants[1] ? ", one panel per variant" : "",
		(unsigned long long)size);
	html_text(f, ch->wl->size_help);
	fputc(')', f);
	for (const struct param_def *p = ch->wl->params; p && p->name; p++) {
		const char *value = p->def, *how = " (default)";

		for (size_t i = 0; i < cfg->n_opt; i++)
			if (strcmp(cfg->opt[i].name, p->name) == 0) {
				value = cfg->opt[i].value;
				how = "";
			}
		fputs(", --", f);
		html_text(f, p->name);
		fputc(' ', f);
		html_text(f, value);
		fputs(how, f);
	}
	fprintf(f, "; median of %d repetitions after %d warm-up; bars: min to max",
		cfg->reps, cfg->warmup);
	if (ch->speedup)
		fprintf(f, "; dashed grey: ideal speedup W, up to the %d CPUs", ch->cpus);
	fputs(".</figcaption>\n", f);
}

/* one panel: a variant's back ends, on its own scale */
static void chart_panel(FILE *f, struct chart ch, int variant, int titled)
{
	ch.variant = variant;
	chart_scan(&ch);
	fprintf(f, "<svg viewBox=\"0 0 %d %d\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\"><title>",
		SVG_W, SVG_H);
	html_text(f, ch.wl->name);
	fputc(' ', f);
	html_text(f, workload_variant_name(ch.wl, variant));
	fprintf(f, ": %s against workers</title>\n", ch.speedup ? "speedup" : "throughput");
	if (titled) {
		fprintf(f, "<text class=\"panel-title\" x=\"%d\" y=\"%d\" font-size=\"15\" font-weight=\"600\">",
			PAD_L + 8, PAD_T + 14);
		html_text(f, workload_variant_name(ch.wl, variant));
		fputs("</text>\n", f);
	}
	chart_axes(f, &ch);
	chart_ideal(f, &ch);
	if (!chart_each_backend(f, &ch, 0))
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no measured cell</text>\n",
			SVG_W / 2, SVG_H / 2);
	fputs("</svg>\n", f);
}

/* does the run have rows of this variant? */
static int chart_has_variant(const struct report *r, const struct workload *wl, int v)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->rows[i].wl == wl && r->rows[i].variant == v)
			return 1;
	return 0;
}

/*
 * A workload's figure: one panel per variant that ran (small multiples,
 * so counter's six variants do not pile onto one plot), one legend of
 * back ends, the caption.
 */
static void html_chart(FILE *f, const struct report *r, const struct workload *wl)
{
	struct chart ch = { .r = r, .wl = wl, .variant = -1,
			    .cpus = (int)r->machine->cpus_online };
	uint64_t size = 0;
	int panels = 0;

	for (size_t i = 0; i < r->n; i++)
		if (r->rows[i].wl == wl) {
			ch.speedup |= isfinite(r->rows[i].speedup);
			size = size ? size : r->rows[i].size;
		}
	for (int v = 0; wl->variants[v]; v++)
		panels += chart_has_variant(r, wl, v);
	if (ch.cpus < 1)
		ch.cpus = 1;
	fputs("<figure class=\"chart\" data-workload=\"", f);
	html_text(f, wl->name);
	fprintf(f, "\">\n<div class=\"panels%s\">\n", panels > 1 ? " many" : "");
	for (int v = 0; wl->variants[v]; v++)
		if (chart_has_variant(r, wl, v))
			chart_panel(f, ch, v, panels > 1);
	if (!panels)
		chart_panel(f, ch, 0, 0);
	fputs("</div>\n<ul class=\"legend\">\n", f);
	chart_each_backend(f, &ch, 1);
	fputs("</ul>\n", f);
	chart_caption(f, &ch, size);
	fputs("</figure>\n", f);
}

static void html_charts(FILE *f, const struct report *r)
{
	fputs("<section id=\"charts\">\n<h2>Charts</h2>\n", f);
	for (size_t i = 0; i < r->cfg->n_wl; i++)
		html_chart(f, r, r->cfg->wl[i]);
	fputs("</section>\n", f);
}

/* ---- what the workloads are, and where they ran ------------------------- */

static void html_workloads(FILE *f, const struct report *r)
{
	fputs("<section id=\"workloads\">\n<h2>The workloads</h2>\n<dl>\n", f);
	for (size_t i = 0; i < r->cfg->n_wl; i++) {
		const struct workload *wl = r->cfg->wl[i];

		fputs("<dt><b>", f);
		html_text(f, wl->name);
		fputs("</b>: ", f);
		html_text(f, wl->summary);
		fputs("</dt>\n<dd>", f);
		if (wl->description)
			html_text(f, wl->description);
		fputs(" -n counts ", f);
		html_text(f, wl->size_help);
		fputs("; throughput is in ", f);
		html_text(f, wl->unit);
		fputs(".</dd>\n", f);
	}
	fputs("</dl>\n</section>\n", f);
}

static void kv(FILE *f, const char *key, const char *value)
{
	fputs("<dt>", f);
	html_text(f, key);
	fputs("</dt><dd>", f);
	html_text(f, value);
	fputs("</dd>\n", f);
}

/* buf += ", name" (no comma first); used is how much buf holds */
static void join(char *buf, size_t len, size_t *used, const char *name)
{
	if (*used < len)
		*used += (size_t)snprintf(buf + *used, len - *used, "%s%s",
					  *used ? ", " : "", name);
}

static void html_config(FILE *f, const struct config *c)
{
	char buf[1024], num[24];
	size_t used = 0;

	buf[0] = 0;
	for (size_t i = 0; i < c->n_wl; i++)
		join(buf, sizeof(buf), &used, c->wl[i]->name);
	kv(f, "workloads", buf);
	for (size_t i = used = 0; i < c->n_be; i++)
		join(buf, sizeof(buf), &used, c->be[i]->name);
	kv(f, "back ends", buf);
	for (size_t i = used = 0; i < c->n_workers; i++) {
		snprintf(num, sizeof(num), "%d", c->workers[i]);
		join(buf, sizeof(buf), &used, num);
	}
	kv(f, "workers", buf);
	snprintf(buf, sizeof(buf), "%d counted after %d warm-up; timeout %g s; seed %llu; pin %s",
		 c->reps, c->warmup, c->timeout_s, (unsigned long long)c->seed,
		 pin_name(c->pin));
	kv(f, "repetitions", buf);
	for (size_t i = 0; i < c->n_opt; i++) {
		snprintf(buf, sizeof(buf), "--%s", c->opt[i].name);
		kv(f, buf, c->opt[i].value);
	}
}

static void html_machine(FILE *f, const struct report *r)
{
	const struct machine_info *m = r->machine;
	char buf[512];

	fputs("<section id=\"machine\">\n<h2>Machine and configuration</h2>\n<dl class=\"kv\">\n", f);
	kv(f, "CPU", m->cpu_model);
	snprintf(buf, sizeof(buf), "%ld online, %d allowed (%s); %d cores, %d socket(s), %d thread(s) per core",
		 m->cpus_online, m->cpus_allowed, m->cpus_allowed_list, m->cores,
		 m->sockets, m->threads_per_core);
	kv(f, "CPUs", buf);
	kv(f, "caches", m->caches);
	kv(f, "kernel", m->kernel);
	kv(f, "compiler", m->compiler);
	kv(f, "OpenMP", m->openmp);
	snprintf(buf, sizeof(buf), "%.2f", m->loadavg_1m);
	kv(f, "load (1 min)", m->loadavg_1m >= 0 ? buf : "unknown");
	html_config(f, r->cfg);
	fputs("</dl>\n</section>\n", f);
}

/* the machine line, and how busy the host was while the cells ran */
static void html_footer(FILE *f, const struct report *r)
{
	char footer[1024];
	double most = NAN;
	int busy = 0;

	report_footer(r, footer, sizeof(footer));
	fputs("<footer>\n<p>", f);
	html_text(f, footer);
	fputs("</p>\n", f);
	for (size_t i = 0; i < r->n; i++) {
		busy += r->rows[i].busy_reps > 0;
		if (isfinite(r->rows[i].foreign_cpus) &&
		    !(r->rows[i].foreign_cpus <= most))
			most = r->rows[i].foreign_cpus;
	}
	if (r->host) {
		report_host_line(r, footer, sizeof(footer));
		fputs("<p id=\"host\">", f);
		html_text(f, footer);
		fputs("</p>\n", f);
	} else if (isfinite(most)) {
		fprintf(f, "<p id=\"host\">Other processes took up to %.2f CPUs' worth during a cell (median over its repetitions); %d of %zu cells had repetitions on a busy host (marked busy).</p>\n",
			most, busy, r->n);
	}
	fputs("</footer>\n", f);
}

void report_html(FILE *f, const struct report *r)
{
	html_head(f, r);
	fputs("<h1>tvp: threads versus processes</h1>\n<p>", f);
	html_text(f, r->machine->cpu_model);
	fprintf(f, ", %ld CPUs; tvp %s</p>\n", r->machine->cpus_online, TVP_VERSION);
	report_html_verdicts(f, r);
	html_table(f, r);
	html_charts(f, r);
	html_workloads(f, r);
	html_machine(f, r);
	html_footer(f, r);
	fputs("</body>\n</html>\n", f);
}

/*
 * plot_cmd.c - `tvp plot` and `tvp run --plot`: from results to a picture.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <string.h>

#include "plot.h"

#define EXIT_USAGE 2
#define PLOT_ERR_LEN 512

struct speedup_job {
	const struct plot_points *pts;
	const char *out, *title;
	long cpus;
};

struct trace_job {
	const struct plot_trace *t;
	const char *out, *title;
};

static void speedup_job(FILE *f, const void *arg)
{
	const struct speedup_job *j = arg;

	plot_speedup_script(f, j->pts, j->out, j->title, j->cpus);
}

static void trace_job(FILE *f, const void *arg)
{
	const struct trace_job *j = arg;

	plot_trace_script(f, j->t, j->out, j->title);
}

int plot_results(const char *out, const struct cell_result *rows, size_t n,
		 const struct machine_info *m)
{
	struct plot_points pts = { 0 };
	char panel[PLOT_NAME_LEN], title[256];
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		const struct cell_result *r = &rows[i];

		if (r->failed || r->verdict == VERDICT_NO || !isfinite(r->speedup))
			continue;
		plot_panel_name(r->wl->name, workload_variant_name(r->wl, r->variant),
				panel, sizeof(panel));
		rc = plot_points_add(&pts, panel, r->be->name, r->workers, r->speedup);
	}
	if (rc || pts.n == 0) {
		fprintf(stderr, "tvp: --plot: %s\n", rc ? strerror(-rc) :
			"no verified cell has a speedup to draw (the sequential reference must run too)");
		plot_points_free(&pts);
		return -1;
	}
	snprintf(title, sizeof(title), "speedup vs workers: %s, %ld CPUs",
		 m->cpu_model, m->cpus_online);
	/* the load says how much other work shared the CPUs during the run */
	if (m->loadavg_1m >= 0)
		snprintf(title + strlen(title), sizeof(title) - strlen(title),
			 ", load %.1f", m->loadavg_1m);
	rc = plot_gnuplot(speedup_job, &(struct speedup_job){
		.pts = &pts, .out = out, .title = title, .cpus = m->cpus_online });
	plot_points_free(&pts);
	return rc;
}

static void plot_usage(FILE *f)
{
	fprintf(f,
"usage: tvp plot RESULTS.csv [-o OUT.png|OUT.svg]\n"
"       tvp plot --trace TRACE.csv [-o OUT.png|OUT.svg]\n"
"\n"
"Draw with gnuplot, PNG or SVG by the output's extension (default: the\n"
"input's name with .png).\n"
"  RESULTS.csv        the CSV of 'tvp run -f csv': speedup versus workers,\n"
"                     one line per back end, the ideal line, one panel per\n"
"                     workload/variant\n"
"  --trace TRACE.csv  a timeline, one bar per task and one row per worker,\n"
"                     from CSV columns worker,start,end,status (fetch --trace)\n"
"  -o, --output FILE  the picture to write\n"
"\n"
"example: tvp run squares -w 1-4 -o sweep.csv && tvp plot sweep.csv\n");
}

struct plot_args {
	const char *in, *out;
	int trace;
	char out_buf[4096];
};

/* "dir/sweep.csv" -> "dir/sweep.png" */
static void default_output(struct plot_args *a)
{
	const char *slash = strrchr(a->in, '/'), *dot = strrchr(a->in, '.');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - a->in) :
		      strlen(a->in);

	snprintf(a->out_buf, sizeof(a->out_buf), "%.*s.png", (int)stem, a->in);
	a->out = a->out_buf;
}

/* 0 parsed, 1 help, -1 usage error (said on stderr) */
static int plot_parse(int argc, char **argv, struct plot_args *a)
{
	static const struct option opts[] = {
		{ "trace", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == 't' && !a->in) {
			a->in = optarg;
			a->trace = 1;
		} else if (c == 'o') {
			a->out = optarg;
		} else {
			fprintf(stderr, "tvp plot: %s: %s (see 'tvp plot --help')\n",
				argv[optind - 1], c == ':' ? "this option needs a value" :
				c == 't' ? "give one input" : "unknown option");
			return -1;
		}
	}
	if (optind < argc && !a->in)
		a->in = argv[optind++];
	if (!a->in || optind < argc) {
		fprintf(stderr, "tvp plot: expected one input: RESULTS.csv or --trace TRACE.csv (see 'tvp plot --help')\n");
		return -1;
	}
	if (!a->out)
		default_output(a);
	if (!plot_terminal(a->out)) {
		fprintf(stderr, "tvp plot: --output: expected a file name ending in .png or .svg, got '%s'\n",
			a->out);
		return -1;
	}
	return 0;
}

static int plot_file(const struct plot_args *a, FILE *in)
{
	struct plot_points pts = { 0 };
	struct plot_trace t = { 0 };
	char err[PLOT_ERR_LEN], title[PLOT_ERR_LEN];
	int rc;

	rc = a->trace ? plot_read_trace(in, a->in, &t, err, sizeof(err)) :
			plot_read_results(in, a->in, &pts, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "tvp plot: %s\n", err);
		rc = EXIT_USAGE;
	} else if (a->trace) {
		snprintf(title, sizeof(title), "tasks per worker over time: %s", a->in);
		rc = plot_gnuplot(trace_job, &(struct trace_job){
			.t = &t, .out = a->out, .title = title }) ? 1 : 0;
	} else {
		rc = plot_gnuplot(speedup_job, &(struct speedup_job){
			.pts = &pts, .out = a->out, .title = "speedup vs workers" }) ? 1 : 0;
	}
	plot_points_free(&pts);
	plot_trace_free(&t);
	return rc;
}

int plot_main(int argc, char **argv)
{
	struct plot_args a = { 0 };
	int rc = plot_parse(argc, argv, &a);
	FILE *in;

	if (rc) {
		if (rc > 0)
			plot_usage(stdout);
		return rc > 0 ? 0 : EXIT_USAGE;
	}
	in = fopen(a.in, "r");
	if (!in) {
		fprintf(stderr, "tvp plot: cannot read '%s': %s\n", a.in, strerror(errno));
		return EXIT_USAGE;
	}
	rc = plot_file(&a, in);
	fclose(in);
	return rc;
}

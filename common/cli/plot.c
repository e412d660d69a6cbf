/*
 * plot_cmd.c - `tvp plot` and `tvp run --plot`: from results to a picture,
 * with the run's parameters and the host's figures in the caption.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <string.h>

#include "cli/cli.h"
#include "plot/plot.h"

#define EXIT_USAGE 2
#define PLOT_ERR_LEN 512
#define MAX_PLOT_CPUS 65536

static const char *const plot_marks_note =
	"bars: fastest to slowest repetition; e: Karp-Flatt serial fraction, shown on fixed work at W > 1 with a speedup > 1";

struct speedup_job {
	const struct plot_points *pts;
	const char *out;
	const struct plot_caption *cap;
};

struct trace_job {
	const struct plot_trace *t;
	const char *out, *title;
};

static int speedup_job(FILE *f, const void *arg)
{
	const struct speedup_job *j = arg;

	return plot_speedup_script(f, j->pts, j->out, j->cap);
}

static int trace_job(FILE *f, const void *arg)
{
	const struct trace_job *j = arg;

	return plot_trace_script(f, j->t, j->out, j->title);
}

static int cell_point(const struct cell_result *r, struct plot_point *p)
{
	if (r->failed || r->verdict == VERDICT_NO || !isfinite(r->speedup))
		return -1;
	plot_panel_name(r->wl->name, workload_variant_name(r->wl, r->variant),
			p->panel, sizeof(p->panel));
	snprintf(p->series, sizeof(p->series), "%s", r->be->name);
	p->workers = r->workers;
	p->speedup = r->speedup;
	p->lo = r->st.max > 0 ? r->speedup * r->st.median / r->st.max : r->speedup;
	p->hi = r->st.min > 0 ? r->speedup * r->st.median / r->st.min : r->speedup;
	p->work = r->work;
	p->size = r->size;
	p->reps = r->reps;
	p->foreign_cpus = r->foreign_cpus;
	p->busy_reps = r->busy_reps;
	return 0;
}

/* "-n 1000 | 5 reps + 1 warm-up | seed 42 | --cost 200": what was run */
static void run_caption(const struct config *cfg, char *line, size_t len)
{
	size_t used;

	if (cfg->size_set)
		snprintf(line, len, "run: -n %llu", (unsigned long long)cfg->size);
	else
		snprintf(line, len, "run: -n each workload's default");
	used = strlen(line);
	used += (size_t)snprintf(line + used, len - used, " | %d reps + %d warm-up | seed %llu",
				 cfg->reps, cfg->warmup, (unsigned long long)cfg->seed);
	for (size_t i = 0; i < cfg->n_opt && used < len; i++)
		used += (size_t)snprintf(line + used, len - used, "%s--%s %s",
					 i ? " " : " | ", cfg->opt[i].name,
					 cfg->opt[i].value);
}

static void machine_title(const struct machine_info *m, char *t, size_t len)
{
	snprintf(t, len, "speedup vs workers: %s, %ld CPUs", m->cpu_model,
		 m->cpus_online);
	/* the load says how much other work shared the CPUs during the run */
	if (m->loadavg_1m >= 0)
		snprintf(t + strlen(t), len - strlen(t), ", load %.1f", m->loadavg_1m);
}

int plot_results(const char *out, const struct cell_result *rows, size_t n,
		 const struct machine_info *m, const struct config *cfg)
{
	struct plot_points pts = { 0 };
	struct plot_caption cap = { .cpus = m->cpus_online };
	char err[PLOT_ERR_LEN] = "";
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		struct plot_point p = { 0 };

		if (cell_point(&rows[i], &p) == 0)
			rc = plot_points_add(&pts, &p);
	}
	if (rc || pts.n == 0 || plot_points_check(&pts, err, sizeof(err))) {
		fprintf(stderr, "tvp: --plot: %s\n", rc ? strerror(-rc) : err[0] ? err :
			"no verified cell has a speedup to draw (the sequential reference must run too)");
		plot_points_free(&pts);
		return -1;
	}
	machine_title(m, cap.title, sizeof(cap.title));
	run_caption(cfg, cap.footer[0], sizeof(cap.footer[0]));
	snprintf(cap.footer[1], sizeof(cap.footer[1]), "%s", plot_marks_note);
	plot_caption_host(&pts, &cap);
	rc = plot_gnuplot(out, speedup_job, &(struct speedup_job){
		.pts = &pts, .out = out, .cap = &cap });
	plot_points_free(&pts);
	return rc;
}

/* ---- tvp plot ------------------------------------------------------------ */

static void plot_usage(FILE *f)
{
	fprintf(f,
"usage: tvp plot RESULTS.csv [--cpus N] [-o OUT.png|OUT.svg]\n"
"       tvp plot --trace TRACE.csv [-o OUT.png|OUT.svg]\n"
"\n"
"Draw with gnuplot, PNG or SVG by the output's extension (default: the\n"
"input's name with .png).\n"
"  RESULTS.csv        the CSV of 'tvp run -f csv': speedup versus workers,\n"
"                     one line per back end with min-max bars, the ideal\n"
"                     line, one panel per workload/variant; busy-host\n"
"                     points ringed\n"
"  --cpus N           the CPU count of the machine that ran it: the ideal\n"
"                     line stops there (the CSV does not say it)\n"
"  --trace TRACE.csv  a timeline, one bar per task and one row per worker,\n"
"                     one panel per back end and worker count (its last\n"
"                     run), from CSV columns worker,start,end,status and\n"
"                     optionally backend,workers,run (what --trace writes)\n"
"  -o, --output FILE  the picture to write\n"
"\n"
"example: tvp run squares -w 1-4 -o sweep.csv && tvp plot sweep.csv\n");
}

struct plot_args {
	const char *in, *out;
	int trace;
	long cpus;
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

static int plot_option(int c, const char *arg, struct plot_args *a,
		       char *err)
{
	uint64_t v;

	switch (c) {
	case 't':
		if (a->in) {
			snprintf(err, ERR_LEN, "--trace '%s': give one input, got '%s' already",
				 arg, a->in);
			return -1;
		}
		a->in = arg;
		a->trace = 1;
		return 0;
	case 'o':
		a->out = arg;
		return 0;
	case 'c':
		if (parse_uint(arg, "--cpus", 1, MAX_PLOT_CPUS, &v, err))
			return -1;
		a->cpus = (long)v;
		return 0;
	}
	return -1;
}

/* the input, the output's name and that it can be written */
static int plot_inputs(int argc, char **argv, struct plot_args *a, char *err)
{
	if (optind < argc && !a->in)
		a->in = argv[optind++];
	if (optind < argc) {
		snprintf(err, ERR_LEN, "'%.64s': unexpected argument; expected one input, RESULTS.csv or --trace TRACE.csv",
			 argv[optind]);
		return -1;
	}
	if (!a->in) {
		snprintf(err, ERR_LEN, "expected one input: RESULTS.csv or --trace TRACE.csv");
		return -1;
	}
	if (!a->out)
		default_output(a);
	if (!plot_terminal(a->out)) {
		snprintf(err, ERR_LEN, "--output: expected a file name ending in .png or .svg, got '%.64s'",
			 a->out);
		return -1;
	}
	return 0;
}

/* 0 parsed, 1 help, -1 usage error (said on stderr) */
static int plot_parse(int argc, char **argv, struct plot_args *a)
{
	static const struct option opts[] = {
		{ "trace", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char err[ERR_LEN] = "";
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == '?' || c == ':')
			snprintf(err, ERR_LEN, "%.64s: %s", argv[optind - 1],
				 c == ':' ? "this option needs a value" : "unknown option");
		if (c == '?' || c == ':' || plot_option(c, optarg, a, err))
			break;
	}
	if (!err[0])
		plot_inputs(argc, argv, a, err);
	if (!err[0])
		return 0;
	fprintf(stderr, "tvp plot: %s (see 'tvp plot --help')\n", err);
	return -1;
}

static int plot_speedup_file(const struct plot_args *a, struct plot_points *pts)
{
	struct plot_caption cap = { .cpus = a->cpus };
	char err[PLOT_ERR_LEN];

	if (plot_points_check(pts, err, sizeof(err))) {
		fprintf(stderr, "tvp plot: %s: %s\n", a->in, err);
		return EXIT_USAGE;
	}
	snprintf(cap.title, sizeof(cap.title), "speedup vs workers: %s", a->in);
	snprintf(cap.footer[0], sizeof(cap.footer[0]), "%s", plot_marks_note);
	if (a->cpus <= 0)
		snprintf(cap.footer[1], sizeof(cap.footer[1]),
			 "ideal line drawn to the largest W: the CSV does not say the CPU count (give --cpus N)");
	plot_caption_host(pts, &cap);
	return plot_gnuplot(a->out, speedup_job, &(struct speedup_job){
		.pts = pts, .out = a->out, .cap = &cap }) ? 1 : 0;
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
		rc = plot_gnuplot(a->out, trace_job, &(struct trace_job){
			.t = &t, .out = a->out, .title = title }) ? 1 : 0;
	} else {
		rc = plot_speedup_file(a, &pts);
	}
	plot_points_free(&pts);
	plot_trace_free(&t);
	return rc;
}

int plot_main(int argc, char **argv)
{
	struct plot_args a = { 0 };
	int rc = plot_parse(argc, argv, &a);
	char err[ERR_LEN];
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
	if (check_output_path(a.out, "--output", err)) {
		fprintf(stderr, "tvp plot: %s (see 'tvp plot --help')\n", err);
		(void)fclose(in);	/* failing already, and only read */
		return EXIT_USAGE;
	}
	rc = plot_file(&a, in);
	if (fclose(in) != 0 && !rc)
		rc = 1;
	return rc;
}

/*
 * main.c - tvp: threads versus processes (versus OpenMP), measured.
 *
 * Subcommands: list, info, run. main() alone picks the exit status:
 * 0 every run verified, 1 a run failed or was wrong, 2 bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "driver.h"
#include "fault.h"
#include "interrupt.h"
#include "info.h"
#include "report.h"

#define EXIT_USAGE 2

static int usage_error(const char *msg)
{
	fprintf(stderr, "tvp: %s\n", msg);
	return EXIT_USAGE;
}

static const char *kind_name(enum param_kind k)
{
	static const char *const names[] = {
		[PARAM_UINT] = "N", [PARAM_DOUBLE] = "X", [PARAM_MS] = "TIME",
		[PARAM_CHOICE] = "WORD", [PARAM_STRING] = "TEXT",
	};
	return names[k];
}

static void list_workload(const struct workload *wl)
{
	printf("  %-10s %s\n", wl->name, wl->summary);
	printf("             -n: %s (default %llu)\n", wl->size_help,
	       (unsigned long long)wl->default_size);
	printf("             variants:");
	for (int v = 0; wl->variants[v]; v++)
		printf(" %s", wl->variants[v]);
	printf("\n");
	for (const struct param_def *p = wl->params; p && p->name; p++) {
		char opt[48];

		snprintf(opt, sizeof(opt), "--%s %s", p->name, kind_name(p->kind));
		printf("             %-22s %s (default %s%s%s)\n", opt, p->help,
		       p->def, p->choices ? "; one of " : "",
		       p->choices ? p->choices : "");
	}
}

/* " squares", or " prodcons(locked,spsc)" when only some variants run */
static void list_runs(const struct backend *be, const struct workload *wl)
{
	int n = 0, runs = 0;

	for (int v = 0; wl->variants[v]; v++, n++)
		runs += backend_runner(be, wl, v) != NULL;
	if (!runs)
		return;
	printf(" %s", wl->name);
	if (runs == n)
		return;
	for (int v = 0, first = 1; wl->variants[v]; v++)
		if (backend_runner(be, wl, v)) {
			printf("%s%s", first ? "(" : ",", wl->variants[v]);
			first = 0;
		}
	printf(")");
}

static void list_backend(const struct backend *be)
{
	const char *why = be->unavailable ? be->unavailable() : NULL;

	printf("  %-10s %s\n", be->name, be->summary);
	if (why)
		printf("             unavailable: %s\n", why);
	if (be->opt_in)
		printf("             opt-in: runs only when -b names it\n");
	printf("             runs:");
	for (size_t w = 0; w < n_workloads; w++)
		list_runs(be, workloads[w]);
	printf("\n");
}

static int cmd_list(void)
{
	printf("Workloads (tvp run NAME[,NAME...]|all):\n");
	for (size_t i = 0; i < n_workloads; i++)
		list_workload(workloads[i]);
	printf("\nBack ends (-b NAME[,NAME...]):\n");
	for (size_t i = 0; i < n_backends; i++)
		list_backend(backends[i]);
	return 0;
}

static int cmd_info(void)
{
	struct machine_info m;

	info_collect(&m);
	info_print(stdout, &m);
	return 0;
}

static FILE *open_output(const struct config *cfg)
{
	FILE *f;

	if (!cfg->output)
		return stdout;
	f = fopen(cfg->output, "w");
	if (!f)
		fprintf(stderr, "tvp: --output: cannot write '%s': %s\n",
			cfg->output, strerror(errno));
	return f;
}

struct progress {
	const struct plan *plan;
	const struct config *cfg;
	size_t cell;
};

/* one line on stderr, redrawn as each repetition of each cell finishes */
static void progress_rep(void *arg, int rep)
{
	struct progress *pr = arg;
	const struct cell *c = &pr->plan->cells[pr->cell];

	fprintf(stderr, "\r\033[K[%zu/%zu] %s/%s %s W=%d %s %d/%d", pr->cell + 1,
		pr->plan->n, c->wl->name, workload_variant_name(c->wl, c->variant),
		c->be->name, c->workers, rep < 0 ? "warm-up" : "rep",
		rep < 0 ? rep + pr->cfg->warmup + 1 : rep + 1,
		rep < 0 ? pr->cfg->warmup : pr->cfg->reps);
}

static int run_plan(const struct config *cfg, struct plan *p)
{
	struct progress pr = { .plan = p, .cfg = cfg };
	struct measure_opts o = { .reps = cfg->reps, .warmup = cfg->warmup,
				  .timeout_s = cfg->timeout_s };
	int progress = cfg->progress < 0 ? isatty(STDERR_FILENO) : cfg->progress;
	int bad = 0;

	if (progress) {
		o.on_rep = progress_rep;
		o.arg = &pr;
	}
	/* one cell at a time, so the progress line knows which one runs */
	for (pr.cell = 0; pr.cell < p->n; pr.cell++) {
		struct plan one = { .cells = &p->cells[pr.cell],
				    .res = &p->res[pr.cell], .n = 1 };

		bad += driver_run(cfg, &one, &o);
		if (one.n == 0)
			break;	/* interrupted: report the cells before this one */
	}
	p->n = pr.cell;
	if (progress)
		fprintf(stderr, "\r\033[K");
	driver_derive(p);
	return bad;
}

/* after the rows that completed: say so, and exit as the signal would */
static int interrupted(int sig, size_t done, size_t planned)
{
	char name[96];

	fprintf(stderr, "tvp: run interrupted by %s: %zu of %zu cells completed and reported\n",
		runner_signame(sig, name, sizeof(name)), done, planned);
	return 128 + sig;
}

static int cmd_run(int argc, char **argv)
{
	struct config cfg;
	struct plan plan;
	struct machine_info m;
	char err[ERR_LEN];
	FILE *out;
	size_t n_planned;
	int rc = cli_parse_run(argc, argv, &cfg, err);

	if (rc > 0) {
		cli_run_help(stdout);
		return 0;
	}
	if (rc < 0 || fault_set(getenv("TVP_FAULT"), err, sizeof(err)))
		return usage_error(err);
	rc = driver_plan(&cfg, &plan, err);
	if (rc) {
		plan_free(&plan);
		if (rc == -1)
			return usage_error(err);
		fprintf(stderr, "tvp: planning the run: %s\n", strerror(-rc));
		return 1;
	}
	out = open_output(&cfg);
	if (!out) {
		plan_free(&plan);
		return EXIT_USAGE;
	}
	if (!cfg.format_set)
		cfg.format = isatty(fileno(out)) ? FORMAT_TABLE : FORMAT_CSV;
	n_planned = plan.n;
	rc = interrupt_install();
	if (rc)
		fprintf(stderr, "tvp: sigaction: %s; Ctrl-C will not stop cleanly\n",
			strerror(-rc));
	rc = run_plan(&cfg, &plan) ? 1 : 0;
	info_collect(&m);
	report_write(out, cfg.format, &(struct report){
		.rows = plan.res, .n = plan.n, .cfg = &cfg, .machine = &m,
		.color = cfg.format == FORMAT_TABLE && isatty(fileno(out)) &&
			 !getenv("NO_COLOR") });
	if ((out != stdout && fclose(out) != 0) || fflush(stdout) != 0) {
		fprintf(stderr, "tvp: writing the report: %s\n", strerror(errno));
		rc = 1;
	}
	if (interrupt_signal())
		rc = interrupted(interrupt_signal(), plan.n, n_planned);
	plan_free(&plan);
	return rc;
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_usage(stdout);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("tvp %s\n", TVP_VERSION);
	return 0;
}

static int cmd_list_args(int argc, char **argv)
{
	(void)argv;
	return argc > 1 ? usage_error("list: takes no arguments") : cmd_list();
}

static int cmd_info_args(int argc, char **argv)
{
	(void)argv;
	return argc > 1 ? usage_error("info: takes no arguments") : cmd_info();
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run }, { "list", cmd_list_args }, { "info", cmd_info_args },
	{ "help", cmd_help }, { "--help", cmd_help }, { "-h", cmd_help },
	{ "--version", cmd_version }, { "-v", cmd_version },
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "tvp: '%s': unknown command; expected run, list, info, --help or --version\n",
		argv[1]);
	return EXIT_USAGE;
}

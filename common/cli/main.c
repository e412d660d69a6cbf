/*
 * main.c - tvp: threads versus processes (versus OpenMP), measured.
 *
 * Subcommands: list, info, run, plot, compare. main() alone picks the exit
 * status: 0 every run verified, 1 a run failed or was wrong, 2 bad usage.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "plot/plot.h"
#include "report/compare.h"
#include "report/report.h"
#include "run/driver.h"
#include "run/interrupt.h"
#include "sys/detail.h"
#include "sys/fault.h"
#include "sys/info.h"
#include "sys/pin.h"

#define EXIT_USAGE 2

static char **tvp_argv;	/* as main() got it, for pin_restart() */

static int usage_error(const char *msg)
{
	fprintf(stderr, "tvp: %s\n", msg);
	return EXIT_USAGE;
}

/* a command that takes no argument was given one: name it */
static int no_arguments(const char *cmd, const char *arg)
{
	char word[CLI_ECHO_MAX + 8], msg[ERR_LEN];

	cli_echo(arg, word, sizeof(word));
	snprintf(msg, sizeof(msg), "%s: unexpected argument; '%s' takes none",
		 word, cmd);
	return usage_error(msg);
}

/*
 * What went to stdout really got there (a full disk, /dev/full, a closed
 * pipe): 0, or exit status 1 with a message.
 */
static int stdout_written(int rc, const char *what)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	fprintf(stderr, "tvp: writing %s to standard output: %s\n", what,
		strerror(errno ? errno : EIO));
	return 1;
}

static const char *kind_name(enum param_kind k)
{
	static const char *const names[] = {
		[PARAM_UINT] = "N", [PARAM_DOUBLE] = "X", [PARAM_MS] = "TIME",
		[PARAM_CHOICE] = "WORD", [PARAM_STRING] = "TEXT",
		[PARAM_OUTPUT] = "FILE",
	};
	return names[k];
}

/* a workload's or a back end's options, one a line, with their defaults */
static void list_params(const struct param_def *params)
{
	for (const struct param_def *p = params; p && p->name; p++) {
		char opt[48];

		snprintf(opt, sizeof(opt), "--%s %s", p->name, kind_name(p->kind));
		printf("             %-22s %s (default %s%s%s)\n", opt, p->help,
		       p->def, p->choices ? "; one of " : "",
		       p->choices ? p->choices : "");
	}
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
	list_params(wl->params);
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

	/* long names (python-sequential) get a line of their own */
	if (strlen(be->name) > 10)
		printf("  %s\n             %s\n", be->name, be->summary);
	else
		printf("  %-10s %s\n", be->name, be->summary);
	if (why)
		printf("             unavailable: %s\n", why);
	if (be->opt_in)
		printf("             opt-in: runs only when -b names it\n");
	printf("             runs:");
	for (size_t w = 0; w < n_workloads; w++)
		list_runs(be, workloads[w]);
	printf("\n");
	list_params(be->params);
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

/* where the report goes: stdout, or each -o FILE in its own format */
struct outputs {
	FILE *f[MAX_OUTPUTS];
	enum format fmt[MAX_OUTPUTS];
	size_t n;
};

static void close_outputs(struct outputs *o)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->f[i] != stdout)
			(void)fclose(o->f[i]);	/* failing already; nothing written */
	o->n = 0;
}

/* open every output before anything runs: a typo costs no measurements */
static int open_outputs(const struct config *cfg, struct outputs *o)
{
	char err[ERR_LEN];
	size_t want = cfg->n_outputs ? cfg->n_outputs : 1;

	o->n = 0;
	for (size_t i = 0; i < want; i++) {
		const char *name = cfg->n_outputs ? cfg->outputs[i] : NULL;
		FILE *f;

		if (name && strcmp(name, "-") == 0)
			name = NULL;	/* "-o -": stdout, beside other files */
		f = name ? fopen(name, "w") : stdout;

		if (!f) {
			fprintf(stderr, "tvp: --output: cannot write '%s': %s\n", name,
				strerror(errno));
			close_outputs(o);
			return -1;
		}
		o->f[o->n] = f;
		/* the extension was checked against -f when the options were parsed */
		cli_output_format(cfg, name, isatty(fileno(f)), &o->fmt[o->n], err);
		o->n++;
	}
	return 0;
}

/* the report is in `name` (NULL: stdout) for sure; 0, or -1 said why */
static int output_done(FILE *f, const char *name)
{
	int bad = ferror(f), rc = f == stdout ? fflush(f) : fclose(f);

	if (!bad && rc == 0)
		return 0;
	if (name)
		fprintf(stderr, "tvp: writing the report to '%s': %s\n", name,
			strerror(errno ? errno : EIO));
	else
		fprintf(stderr, "tvp: writing the report to standard output: %s\n",
			strerror(errno ? errno : EIO));
	return -1;
}

static int write_outputs(struct outputs *o, const struct config *cfg,
			 const struct plan *p, const struct machine_info *m,
			 const char *partial)
{
	int rc = 0;

	for (size_t i = 0; i < o->n; i++) {
		const char *name = cfg->n_outputs ? cfg->outputs[i] : NULL;

		errno = 0;
		report_write(o->f[i], o->fmt[i], &(struct report){
			.rows = p->res, .n = p->n, .cfg = cfg, .machine = m,
			.host = &p->host,
			.color = o->fmt[i] == FORMAT_TABLE && isatty(fileno(o->f[i])) &&
				 !getenv("NO_COLOR"),
			.partial = partial,
			.width = report_width(fileno(o->f[i])) });
		if (output_done(o->f[i], name && strcmp(name, "-") ? name : NULL))
			rc = -1;
		o->f[i] = stdout;	/* closed: close_outputs() must not again */
	}
	return rc;
}

/* one warning for the whole run, after the table, on stderr */
static void warn_busy(const struct plan *p)
{
	const struct host_run *h = &p->host;
	size_t suspect = 0;

	for (size_t i = 0; i < p->n; i++)
		suspect += p->res[i].suspect;
	if (h->busy_cells == 0 && suspect == 0)
		return;
	fprintf(stderr, "tvp: warning: the machine was not tvp's alone: %zu of %zu cells ran while other processes took more than %.2g of %d CPUs (up to %.1f), %zu figures are marked implausible; their rows say 'busy' or 'implausible' in detail. Close other programs, or run again with more --retries or a longer --quiet-wait (see docs/busy-host.md)\n",
		h->busy_cells, h->cells, h->threshold, h->cpus,
		isfinite(h->foreign_max) ? h->foreign_max : 0.0, suspect);
}

static int run_plan(const struct config *cfg, struct plan *p)
{
	struct measure_opts o = { .reps = cfg->reps, .warmup = cfg->warmup,
				  .timeout_s = cfg->timeout_s,
				  .interleave = cfg->interleave,
				  .busy_threshold = cfg->busy_threshold,
				  .retries = cfg->retries,
				  .quiet_wait_s = cfg->quiet_wait_s };
	int bad = driver_run(cfg, p, &o);

	driver_derive(p);
	return bad;
}

/* what a report cut short by sig says about itself */
static void partial_reason(int sig, size_t done, size_t planned, char *out,
			   size_t len)
{
	char name[96];

	snprintf(out, len, "interrupted by %s: %zu of %zu cells completed",
		 signame(sig, name, sizeof(name)), done, planned);
}

/* after the rows that completed: say so, and exit as the signal would */
static int interrupted(int sig, size_t done, size_t planned)
{
	char name[96];

	fprintf(stderr, "tvp: run interrupted by %s: %zu of %zu cells completed and reported\n",
		signame(sig, name, sizeof(name)), done, planned);
	return 128 + sig;
}

/*
 * The OpenMP runtime reads OMP_PLACES and OMP_PROC_BIND when it is loaded,
 * before main(); to place OpenMP threads, tvp sets them and starts again.
 */
static void pin_restart(const struct config *cfg)
{
	int rc = pin_openmp_env(cfg->pin);

	if (rc > 0)
		execv("/proc/self/exe", tvp_argv);
	if (rc)
		fprintf(stderr, "tvp: note: --pin: OpenMP threads stay unplaced: %s\n",
			strerror(rc > 0 ? errno : -rc));
}

/* what must hold before a long run starts: gnuplot for --plot */
static int run_prerequisites(const struct config *cfg)
{
	char path[4096];

	if (cfg->plot && plot_find_gnuplot(path, sizeof(path))) {
		plot_explain_missing();
		return -1;
	}
	pin_restart(cfg);
	return 0;
}

/*
 * A TVP_FAULT that fired nowhere would let a fault test pass without its
 * fault: say so, and with TVP_FAULT_STRICT set (the tests' mode) fail.
 */
static int fault_unfired(int rc)
{
	const char *strict = getenv("TVP_FAULT_STRICT");

	if (!fault_armed() || fault_fired() || interrupt_signal())
		return rc;
	fprintf(stderr, "tvp: TVP_FAULT=%.200s matched no fault site in this run (see tests/README.md for where each fires)\n",
		getenv("TVP_FAULT"));
	return strict && *strict && rc == 0 ? 1 : rc;
}

static int cmd_run(int argc, char **argv)
{
	struct config cfg;
	struct plan plan;
	struct machine_info m;
	struct outputs out;
	char err[ERR_LEN], partial[ERR_LEN] = "";
	size_t n_planned;
	int rc = cli_parse_run(argc, argv, &cfg, err);

	if (rc > 0) {
		cli_run_help(stdout);
		return stdout_written(0, "the help");
	}
	if (rc < 0 || fault_set(getenv("TVP_FAULT"), err, sizeof(err)))
		return usage_error(err);
	if (run_prerequisites(&cfg))
		return 1;
	rc = driver_plan(&cfg, &plan, err);
	if (rc) {
		plan_free(&plan);
		if (rc == -1)
			return usage_error(err);
		fprintf(stderr, "tvp: planning the run: %s\n", strerror(-rc));
		return 1;
	}
	if (open_outputs(&cfg, &out)) {
		plan_free(&plan);
		return EXIT_USAGE;
	}
	n_planned = plan.n;
	rc = interrupt_install();
	if (rc)
		fprintf(stderr, "tvp: sigaction: %s; Ctrl-C will not stop cleanly\n",
			strerror(-rc));
	rc = fault_unfired(run_plan(&cfg, &plan) ? 1 : 0);
	info_collect(&m);
	if (interrupt_signal())
		partial_reason(interrupt_signal(), plan.n, n_planned, partial,
			       sizeof(partial));
	if (write_outputs(&out, &cfg, &plan, &m, partial[0] ? partial : NULL))
		rc = 1;
	if (cfg.plot && plot_results(cfg.plot, plan.res, plan.n, &m, &cfg))
		rc = 1;
	warn_busy(&plan);
	if (interrupt_signal())
		rc = interrupted(interrupt_signal(), plan.n, n_planned);
	plan_free(&plan);
	return rc;
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 1)
		return no_arguments(argv[0], argv[1]);
	cli_usage(stdout);
	return stdout_written(0, "the usage");
}

static int cmd_version(int argc, char **argv)
{
	if (argc > 1)
		return no_arguments(argv[0], argv[1]);
	printf("tvp %s\n", TVP_VERSION);
	return stdout_written(0, "the version");
}

static int cmd_list_args(int argc, char **argv)
{
	if (argc > 1)
		return no_arguments("list", argv[1]);
	return stdout_written(cmd_list(), "the list");
}

static int cmd_info_args(int argc, char **argv)
{
	if (argc > 1)
		return no_arguments("info", argv[1]);
	return stdout_written(cmd_info(), "the machine's description");
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run }, { "list", cmd_list_args }, { "info", cmd_info_args },
	{ "plot", plot_main }, { "compare", compare_main },
	{ "help", cmd_help }, { "--help", cmd_help }, { "-h", cmd_help },
	{ "--version", cmd_version }, { "-v", cmd_version },
};

int main(int argc, char **argv)
{
	int rc = pin_restore();

	if (rc)
		fprintf(stderr, "tvp: note: could not undo the OpenMP runtime's binding of the driver to one CPU: sched_setaffinity: %s\n",
			strerror(-rc));
	tvp_argv = argv;
	if (argc < 2) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "tvp: '%s': unknown command; expected run, list, info, plot, compare, --help or --version\n",
		argv[1]);
	return EXIT_USAGE;
}

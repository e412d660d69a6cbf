/*
 * cli_run.c - `tvp run`: options into a struct config.
 *
 * The long options are the fixed ones of DESIGN.md plus every workload's
 * own parameters, taken from the registry, so a new workload option needs
 * no change here.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pin.h"
#include "plot.h"

enum {
	OPT_WARMUP = 256, OPT_TIMEOUT, OPT_SEED, OPT_PROGRESS, OPT_NO_PROGRESS,
	OPT_PLOT, OPT_PIN,
	OPT_WORKLOAD_BASE = 512,	/* + index into the unique workload options */
};

static const struct option fixed_opts[] = {
	{ "backends", required_argument, NULL, 'b' },
	{ "workers", required_argument, NULL, 'w' },
	{ "size", required_argument, NULL, 'n' },
	{ "variants", required_argument, NULL, 'V' },
	{ "reps", required_argument, NULL, 'r' },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "pin", required_argument, NULL, OPT_PIN },
	{ "help", no_argument, NULL, 'h' },
};
#define N_FIXED (sizeof(fixed_opts) / sizeof(fixed_opts[0]))
#define MAX_OPTS (N_FIXED + MAX_PARAMS * 8 + 1)

struct optset {
	struct option opt[MAX_OPTS];
	size_t n;
};

/* fixed options, then each workload parameter name once */
static void optset_build(struct optset *os)
{
	memcpy(os->opt, fixed_opts, sizeof(fixed_opts));
	os->n = N_FIXED;
	for (size_t w = 0; w < n_workloads; w++)
		for (const struct param_def *p = workloads[w]->params;
		     p && p->name; p++) {
			size_t i;

			for (i = N_FIXED; i < os->n; i++)
				if (strcmp(os->opt[i].name, p->name) == 0)
					break;
			if (i < os->n || os->n == MAX_OPTS - 1)
				continue;
			os->opt[os->n] = (struct option){
				p->name, required_argument, NULL,
				OPT_WORKLOAD_BASE + (int)(os->n - N_FIXED) };
			os->n++;
		}
	memset(&os->opt[os->n], 0, sizeof(os->opt[0]));
}

/* split "a,b,c" into buf; tokens point into buf */
static int split(const char *arg, char *buf, size_t len, const char **tok,
		 size_t max, size_t *n)
{
	char *save = NULL, *t;

	*n = 0;
	if (!*arg || strlen(arg) >= len || arg[0] == ',' ||
	    arg[strlen(arg) - 1] == ',' || strstr(arg, ",,"))
		return -1;
	strcpy(buf, arg);
	for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (*n == max)
			return -1;
		tok[(*n)++] = t;
	}
	return 0;
}

static void names_of_workloads(char *out, size_t len)
{
	size_t used = 0;

	out[0] = 0;
	for (size_t i = 0; i < n_workloads && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s",
					 i ? ", " : "", workloads[i]->name);
}

static void names_of_backends(char *out, size_t len)
{
	size_t used = 0;

	out[0] = 0;
	for (size_t i = 0; i < n_backends && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s",
					 i ? ", " : "", backends[i]->name);
}

static int parse_workloads(const char *arg, struct config *cfg, char *err)
{
	const char *tok[MAX_SEL];
	char names[512];
	size_t n;

	if (strcmp(arg, "all") == 0) {
		for (cfg->n_wl = 0; cfg->n_wl < n_workloads && cfg->n_wl < MAX_SEL;
		     cfg->n_wl++)
			cfg->wl[cfg->n_wl] = workloads[cfg->n_wl];
		return 0;
	}
	names_of_workloads(names, sizeof(names));
	if (split(arg, cfg->lists[0], sizeof(cfg->lists[0]), tok, MAX_SEL, &n))
		goto bad;
	for (cfg->n_wl = 0; cfg->n_wl < n; cfg->n_wl++) {
		cfg->wl[cfg->n_wl] = workload_find(tok[cfg->n_wl]);
		if (!cfg->wl[cfg->n_wl])
			goto bad;
	}
	return 0;
bad:
	snprintf(err, ERR_LEN, "WORKLOAD: expected 'all' or a comma-separated list of %s, got '%s'",
		 names, arg);
	return -1;
}

static int parse_backends(const char *arg, struct config *cfg, char *err)
{
	const char *tok[MAX_SEL];
	char names[512];
	size_t n;

	names_of_backends(names, sizeof(names));
	if (split(arg, cfg->lists[1], sizeof(cfg->lists[1]), tok, MAX_SEL, &n))
		goto bad;
	for (cfg->n_be = 0; cfg->n_be < n; cfg->n_be++) {
		cfg->be[cfg->n_be] = backend_find(tok[cfg->n_be]);
		if (!cfg->be[cfg->n_be])
			goto bad;
	}
	return 0;
bad:
	snprintf(err, ERR_LEN, "--backends: expected a comma-separated list of %s, got '%s'",
		 names, arg);
	return -1;
}

static int parse_variants(const char *arg, struct config *cfg, char *err)
{
	if (split(arg, cfg->lists[2], sizeof(cfg->lists[2]), cfg->variants,
		  MAX_SEL - 1, &cfg->n_variants)) {
		snprintf(err, ERR_LEN, "--variants: expected a comma-separated list of variant names (see 'tvp list'), got '%s'",
			 arg);
		return -1;
	}
	return 0;
}

static int parse_output(const char *arg, struct config *cfg, char *err)
{
	if (!*arg) {
		snprintf(err, ERR_LEN, "--output: expected a file name");
		return -1;
	}
	if (cfg->n_outputs == MAX_OUTPUTS) {
		snprintf(err, ERR_LEN, "--output: at most %d files, got '%s' too",
			 MAX_OUTPUTS, arg);
		return -1;
	}
	cfg->outputs[cfg->n_outputs++] = arg;
	return 0;
}

/* --plot and --pin: how results are drawn and where workers run */
static int parse_reporting(int c, const char *arg, struct config *cfg,
			   char *err)
{
	switch (c) {
	case OPT_PLOT:
		cfg->plot = arg;
		if (plot_terminal(arg))
			return 0;
		snprintf(err, ERR_LEN, "--plot: expected a file name ending in .png or .svg, got '%s'",
			 arg);
		return -1;
	case OPT_PIN:
		if (pin_parse(arg, &cfg->pin) == 0)
			return 0;
		snprintf(err, ERR_LEN, "--pin: expected one of %s, got '%s'",
			 pin_choices(), arg);
		return -1;
	}
	return -1;
}

static void config_defaults(struct config *cfg)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < n_backends && cfg->n_be < MAX_SEL; i++)
		if (!backends[i]->opt_in)
			cfg->be[cfg->n_be++] = backends[i];
	cfg->workers[0] = cpus < 1 ? 1 : cpus > MAX_WORKERS ? MAX_WORKERS : (int)cpus;
	cfg->n_workers = 1;
	cfg->reps = DEFAULT_REPS;
	cfg->warmup = DEFAULT_WARMUP;
	cfg->timeout_s = DEFAULT_TIMEOUT_S;
	cfg->seed = DEFAULT_SEED;
	cfg->progress = -1;
}

static int parse_fixed(int c, const char *arg, struct config *cfg, char *err)
{
	uint64_t v;

	switch (c) {
	case 'b':
		return parse_backends(arg, cfg, err);
	case 'w':
		return cli_parse_workers(arg, cfg->workers, &cfg->n_workers, err);
	case 'n':
		cfg->size_set = 1;
		return cli_parse_size(arg, "--size", 0, UINT64_MAX / 2,
				      &cfg->size, err);
	case 'V':
		return parse_variants(arg, cfg, err);
	case 'r':
		if (cli_parse_uint(arg, "--reps", 1, MAX_REPS, &v, err))
			return -1;
		cfg->reps = (int)v;
		return 0;
	case OPT_WARMUP:
		if (cli_parse_uint(arg, "--warmup", 0, MAX_WARMUP, &v, err))
			return -1;
		cfg->warmup = (int)v;
		return 0;
	case 'f':
		cfg->format_set = 1;
		return cli_parse_format(arg, &cfg->format, err);
	case 'o':
		return parse_output(arg, cfg, err);
	case OPT_TIMEOUT:
		return cli_parse_double(arg, "--timeout (seconds)", 0.001,
					MAX_TIMEOUT_S, &cfg->timeout_s, err);
	case OPT_SEED:
		return cli_parse_uint(arg, "--seed", 0, UINT64_MAX, &cfg->seed, err);
	case OPT_PROGRESS:
	case OPT_NO_PROGRESS:
		cfg->progress = c == OPT_PROGRESS;
		return 0;
	}
	return parse_reporting(c, arg, cfg, err);
}

static int bad_option(char **argv, int c, char *err)
{
	const char *what = argv[optind - 1];

	if (c == ':')
		snprintf(err, ERR_LEN, "%s: this option needs a value (see 'tvp run --help')",
			 what);
	else
		snprintf(err, ERR_LEN, "%s: unknown option (see 'tvp run --help' and 'tvp list')",
			 what);
	return -1;
}

/* each workload option must belong to a selected workload and parse for it */
static int check_workload_opts(const struct config *cfg, char *err)
{
	for (size_t i = 0; i < cfg->n_opt; i++) {
		int used = 0;

		for (size_t w = 0; w < cfg->n_wl; w++) {
			int p = workload_param(cfg->wl[w], cfg->opt[i].name);
			union param_value v;

			if (p < 0)
				continue;
			used = 1;
			if (cli_parse_param(&cfg->wl[w]->params[p],
					    cfg->opt[i].value, &v, err))
				return -1;
		}
		if (!used) {
			snprintf(err, ERR_LEN, "--%s: no workload in this run takes this option (see 'tvp list')",
				 cfg->opt[i].name);
			return -1;
		}
	}
	return 0;
}

static int check_variants(const struct config *cfg, char *err)
{
	for (size_t i = 0; i < cfg->n_variants; i++) {
		int found = 0;

		for (size_t w = 0; w < cfg->n_wl; w++)
			found |= workload_variant(cfg->wl[w], cfg->variants[i]) >= 0;
		if (!found) {
			snprintf(err, ERR_LEN, "--variants: no workload in this run has a variant '%s' (see 'tvp list')",
				 cfg->variants[i]);
			return -1;
		}
	}
	return 0;
}

/* an -o FILE whose extension contradicts -f is refused before anything runs */
static int check_outputs(const struct config *cfg, char *err)
{
	enum format fmt;

	for (size_t i = 0; i < cfg->n_outputs; i++)
		if (cli_output_format(cfg, cfg->outputs[i], 0, &fmt, err))
			return -1;
	return 0;
}

static int set_workload_opt(struct config *cfg, const char *name,
			    const char *value, char *err)
{
	for (size_t i = 0; i < cfg->n_opt; i++)
		if (strcmp(cfg->opt[i].name, name) == 0) {
			cfg->opt[i].value = value;	/* the last one wins */
			return 0;
		}
	if (cfg->n_opt == sizeof(cfg->opt) / sizeof(cfg->opt[0])) {
		snprintf(err, ERR_LEN, "--%s: too many workload options", name);
		return -1;
	}
	cfg->opt[cfg->n_opt++] = (struct option_value){ name, value };
	return 0;
}

static int parse_args(int argc, char **argv, struct config *cfg,
		      const struct optset *os, const char **sel, char *err)
{
	int c;

	optind = 0;	/* glibc: start afresh, so tests can parse again */
	opterr = 0;	/* our messages, not getopt's */
	while ((c = getopt_long(argc, argv, ":b:w:n:V:r:f:o:h", os->opt, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == '?' || c == ':')
			return bad_option(argv, c, err);
		if (c >= OPT_WORKLOAD_BASE) {
			if (set_workload_opt(cfg, os->opt[N_FIXED + (size_t)(c - OPT_WORKLOAD_BASE)].name,
					     optarg, err))
				return -1;
		} else if (parse_fixed(c, optarg, cfg, err)) {
			return -1;
		}
	}
	if (optind >= argc) {
		snprintf(err, ERR_LEN, "WORKLOAD: missing; name one or more workloads or 'all' (see 'tvp list')");
		return -1;
	}
	if (optind + 1 < argc) {
		snprintf(err, ERR_LEN, "%s: unexpected argument; list workloads with commas, e.g. 'squares,counter'",
			 argv[optind + 1]);
		return -1;
	}
	*sel = argv[optind];
	return 0;
}

/* 0 parsed, 1 help asked for, -1 error */
int cli_parse_run(int argc, char **argv, struct config *cfg, char *err)
{
	struct optset os;
	const char *sel = NULL;
	int rc;

	config_defaults(cfg);
	optset_build(&os);
	rc = parse_args(argc, argv, cfg, &os, &sel, err);
	if (rc)
		return rc;
	if (parse_workloads(sel, cfg, err) || check_workload_opts(cfg, err) ||
	    check_variants(cfg, err) || check_outputs(cfg, err))
		return -1;
	return 0;
}

int cli_cell_params(const struct config *cfg, struct cell *c, char *err)
{
	for (int p = 0; c->wl->params && c->wl->params[p].name; p++) {
		const struct param_def *d = &c->wl->params[p];
		const char *value = d->def;

		for (size_t i = 0; i < cfg->n_opt; i++)
			if (strcmp(cfg->opt[i].name, d->name) == 0)
				value = cfg->opt[i].value;
		if (cli_parse_param(d, value, &c->param[p], err))
			return -1;
	}
	return 0;
}

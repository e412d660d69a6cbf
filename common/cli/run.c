/*
 * cli_run.c - `tvp run`: options into a struct config.
 *
 * The long options are the fixed ones of DESIGN.md plus every workload's
 * and every back end's own parameters, taken from the registry, so a new
 * workload or back-end option needs no change here.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "plot/plot.h"
#include "report/report.h"
#include "sys/host.h"
#include "sys/pin.h"

enum {
	OPT_WARMUP = 256, OPT_TIMEOUT, OPT_SEED, OPT_PROGRESS, OPT_NO_PROGRESS,
	OPT_PLOT, OPT_PIN, OPT_COLUMNS, OPT_NO_INTERLEAVE, OPT_BUSY_THRESHOLD,
	OPT_RETRIES, OPT_QUIET_WAIT,
	OPT_WORKLOAD_BASE = 512,	/* + index into the unique workload and
					   back-end options */
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
	{ "no-interleave", no_argument, NULL, OPT_NO_INTERLEAVE },
	{ "busy-threshold", required_argument, NULL, OPT_BUSY_THRESHOLD },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "quiet-wait", required_argument, NULL, OPT_QUIET_WAIT },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "help", no_argument, NULL, 'h' },
};
#define N_FIXED (sizeof(fixed_opts) / sizeof(fixed_opts[0]))
#define MAX_OPTS (N_FIXED + MAX_PARAMS * 16 + 1)

struct optset {
	struct option opt[MAX_OPTS];
	size_t n;
};

/* each parameter name of `params` once, after those already there */
static void optset_add(struct optset *os, const struct param_def *params)
{
	for (const struct param_def *p = params; p && p->name; p++) {
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
}

/* fixed options, then each workload's and back end's parameter names */
static void optset_build(struct optset *os)
{
	memcpy(os->opt, fixed_opts, sizeof(fixed_opts));
	os->n = N_FIXED;
	for (size_t w = 0; w < n_workloads; w++)
		optset_add(os, workloads[w]->params);
	for (size_t b = 0; b < n_backends; b++)
		optset_add(os, backends[b]->params);
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

/* --no-interleave, --busy-threshold, --retries, --quiet-wait */
static int parse_host(int c, const char *arg, struct config *cfg, char *err)
{
	uint64_t v;

	switch (c) {
	case OPT_NO_INTERLEAVE:
		cfg->interleave = 0;
		return 0;
	case OPT_BUSY_THRESHOLD:
		return parse_double(arg, "--busy-threshold (CPUs)", 0,
					MAX_WORKERS, &cfg->busy_threshold, err);
	case OPT_RETRIES:
		if (parse_uint(arg, "--retries", 0, MAX_RETRIES, &v, err))
			return -1;
		cfg->retries = (int)v;
		return 0;
	case OPT_QUIET_WAIT:
		return parse_double(arg, "--quiet-wait (seconds)", 0,
					MAX_QUIET_WAIT_S, &cfg->quiet_wait_s, err);
	}
	return -1;
}

/* --columns LIST: names the report knows (report_columns.c) */
static int parse_columns(const char *arg, struct config *cfg, char *err)
{
	const char *tok[MAX_SEL * 2];
	char buf[1024], accepted[ERR_LEN];
	size_t n;

	cfg->columns = (struct column_sel){ 0 };
	if (split(arg, buf, sizeof(buf), tok, sizeof(tok) / sizeof(tok[0]), &n)) {
		report_columns_accepted(accepted, sizeof(accepted));
		snprintf(err, ERR_LEN, "--columns: expected a comma-separated list of %.*s; got '%.40s'",
			 ERR_LEN - 110, accepted, arg);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (report_columns_add(tok[i], &cfg->columns, err))
			return -1;
	return 0;
}

/* --plot, --pin, --columns: how results are drawn and where workers run */
static int parse_reporting(int c, const char *arg, struct config *cfg,
			   char *err)
{
	switch (c) {
	case OPT_PLOT:
		cfg->plot = arg;
		if (plot_terminal(arg))
			return check_output_path(arg, "--plot", err);
		snprintf(err, ERR_LEN, "--plot: expected a file name ending in .png or .svg, got '%s'",
			 arg);
		return -1;
	case OPT_PIN:
		if (pin_parse(arg, &cfg->pin) == 0)
			return 0;
		snprintf(err, ERR_LEN, "--pin: expected one of %s, got '%s'",
			 pin_choices(), arg);
		return -1;
	case OPT_COLUMNS:
		return parse_columns(arg, cfg, err);
	}
	return parse_host(c, arg, cfg, err);
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
	cfg->interleave = 1;
	cfg->busy_threshold = DEFAULT_BUSY_THRESHOLD;
	cfg->retries = DEFAULT_RETRIES;
	cfg->quiet_wait_s = DEFAULT_QUIET_WAIT_S;
}

static int parse_fixed(int c, const char *arg, struct config *cfg, char *err)
{
	uint64_t v;

	switch (c) {
	case 'b':
		return parse_backends(arg, cfg, err);
	case 'w':
		cfg->workers_set = 1;
		return cli_parse_workers(arg, cfg->workers, &cfg->n_workers, err);
	case 'n':
		cfg->size_set = 1;
		return parse_size(arg, "--size", 0, UINT64_MAX / 2,
				      &cfg->size, err);
	case 'V':
		return parse_variants(arg, cfg, err);
	case 'r':
		if (parse_uint(arg, "--reps", 1, MAX_REPS, &v, err))
			return -1;
		cfg->reps = (int)v;
		return 0;
	case OPT_WARMUP:
		if (parse_uint(arg, "--warmup", 0, MAX_WARMUP, &v, err))
			return -1;
		cfg->warmup = (int)v;
		return 0;
	case 'f':
		cfg->format_set = 1;
		return cli_parse_format(arg, &cfg->format, err);
	case 'o':
		return parse_output(arg, cfg, err);
	case OPT_TIMEOUT:
		return parse_double(arg, "--timeout (seconds)", 0.001,
					MAX_TIMEOUT_S, &cfg->timeout_s, err);
	case OPT_SEED:
		return parse_uint(arg, "--seed", 0, UINT64_MAX, &cfg->seed, err);
	case OPT_PROGRESS:
	case OPT_NO_PROGRESS:
		cfg->progress = c == OPT_PROGRESS;
		return 0;
	}
	return parse_reporting(c, arg, cfg, err);
}

/* short option o as "-o", or as "-o (in '-xo')" when it came in a cluster */
static void short_option_word(char **argv, int o, char *out, size_t len)
{
	char word[CLI_ECHO_MAX + 8];

	/* the cluster is the current word, or the one before if it ended */
	for (int i = optind; i >= optind - 1 && i > 0; i--) {
		const char *w = argv[i];

		if (!w || w[0] != '-' || w[1] == '-' || !strchr(w + 1, o))
			continue;
		if (strlen(w) == 2)
			break;
		cli_echo(w, word, sizeof(word));
		snprintf(out, len, "-%c (in '%s')", o, word);
		return;
	}
	snprintf(out, len, "-%c", o);
}

/*
 * getopt's optopt names a bad short option ("-z" of "-zz", whose word
 * argv[optind - 1] may be the previous argument); a long one is its word.
 * The word is cut short, so that the explanation always fits.
 */
static int bad_option(char **argv, int c, char *err)
{
	char what[CLI_ECHO_MAX + 32];

	if (optopt > 0 && optopt < 256)
		short_option_word(argv, optopt, what, sizeof(what));
	else
		cli_echo(argv[optind - 1], what, sizeof(what));
	if (c == ':')
		snprintf(err, ERR_LEN, "%s: this option needs a value (see 'tvp run --help')",
			 what);
	else
		snprintf(err, ERR_LEN, "%s: unknown option (see 'tvp run --help' and 'tvp list')",
			 what);
	return -1;
}

/* the name of option c as a user typed it, for messages */
static void option_name(int c, const struct optset *os, char *out, size_t len)
{
	for (size_t i = 0; i < os->n; i++)
		if (os->opt[i].val == c) {
			if (c < 128)
				snprintf(out, len, "-%c/--%s", c, os->opt[i].name);
			else
				snprintf(out, len, "--%s", os->opt[i].name);
			return;
		}
	snprintf(out, len, "-%c", c);
}

/*
 * Every option once (-o excepted: one file per format): a second -r, or
 * --cost after --cost, is more likely a mistake than a wish for the last.
 */
static int check_repeat(int c, const struct optset *os, unsigned char *seen,
			char *err)
{
	char name[64], val[CLI_ECHO_MAX + 8];

	if (c == 'o' || c < 0 || c >= OPT_WORKLOAD_BASE + (int)MAX_OPTS)
		return 0;
	if (!seen[c]++)
		return 0;
	option_name(c, os, name, sizeof(name));
	cli_echo(optarg ? optarg : "", val, sizeof(val));
	snprintf(err, ERR_LEN, "%s: given more than once (again with '%s'); give each option once",
		 name, val);
	return -1;
}

/* 1 if a selected back end takes option o and it parses, 0 if none, -1 */
static int check_backend_opt(const struct config *cfg,
			     const struct option_value *o, char *err)
{
	int used = 0;

	for (size_t b = 0; b < cfg->n_be; b++) {
		int p = backend_param(cfg->be[b], o->name);
		union param_value v;

		if (p < 0)
			continue;
		used = 1;
		if (parse_param(&cfg->be[b]->params[p], o->value, &v, err)) {
			size_t len = strlen(err);	/* two may take it: say whose */

			snprintf(err + len, ERR_LEN - len, " (back end %s)",
				 cfg->be[b]->name);
			return -1;
		}
	}
	return used;
}

/* the back ends (none selected) that take option `name`, for the message */
static void backends_taking(const char *name, char *out, size_t len)
{
	size_t used = 0;

	out[0] = 0;
	for (size_t b = 0; b < n_backends && used < len; b++)
		if (backend_param(backends[b], name) >= 0)
			used += (size_t)snprintf(out + used, len - used, "%s%s",
						 used ? ", " : "", backends[b]->name);
}

/*
 * Each workload or back-end option must belong to a selected workload or
 * back end and parse for it: --schedule without openmp in -b is a mistake.
 */
static int check_workload_opts(const struct config *cfg, char *err)
{
	for (size_t i = 0; i < cfg->n_opt; i++) {
		char who[256];
		int used = 0, rc;

		for (size_t w = 0; w < cfg->n_wl; w++) {
			int p = workload_param(cfg->wl[w], cfg->opt[i].name);
			union param_value v;

			if (p < 0)
				continue;
			used = 1;
			if (parse_param(&cfg->wl[w]->params[p],
					    cfg->opt[i].value, &v, err))
				return -1;
		}
		rc = check_backend_opt(cfg, &cfg->opt[i], err);
		if (rc < 0)
			return -1;
		if (used || rc)
			continue;
		backends_taking(cfg->opt[i].name, who, sizeof(who));
		if (who[0])
			snprintf(err, ERR_LEN, "--%s: an option of back end%s %s, which this run does not select (add it to -b)",
				 cfg->opt[i].name, strchr(who, ',') ? "s" : "", who);
		else
			snprintf(err, ERR_LEN, "--%s: no workload in this run takes this option (see 'tvp list')",
				 cfg->opt[i].name);
		return -1;
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
		snprintf(err, ERR_LEN, "--%s: too many workload and back-end options", name);
		return -1;
	}
	cfg->opt[cfg->n_opt++] = (struct option_value){ name, value };
	return 0;
}

/* --help alone, or with options, but with no other word: 1, or -1 */
static int help_alone(int argc, char **argv, char *err)
{
	char word[CLI_ECHO_MAX + 8];

	if (optind >= argc)
		return 1;
	cli_echo(argv[optind], word, sizeof(word));
	snprintf(err, ERR_LEN, "%s: unexpected argument; 'tvp run --help' takes none",
		 word);
	return -1;
}

static int parse_args(int argc, char **argv, struct config *cfg,
		      const struct optset *os, const char **sel, char *err)
{
	unsigned char seen[OPT_WORKLOAD_BASE + MAX_OPTS] = { 0 };
	char word[CLI_ECHO_MAX + 8];
	int c, help = 0;

	optind = 0;	/* glibc: start afresh, so tests can parse again */
	opterr = 0;	/* our messages, not getopt's */
	while ((c = getopt_long(argc, argv, ":b:w:n:V:r:f:o:h", os->opt, NULL)) != -1) {
		if (c == '?' || c == ':')
			return bad_option(argv, c, err);
		if (check_repeat(c, os, seen, err))
			return -1;
		if (c == 'h') {
			help = 1;
			continue;
		}
		if (c >= OPT_WORKLOAD_BASE) {
			if (set_workload_opt(cfg, os->opt[N_FIXED + (size_t)(c - OPT_WORKLOAD_BASE)].name,
					     optarg, err))
				return -1;
		} else if (parse_fixed(c, optarg, cfg, err)) {
			return -1;
		}
	}
	if (help)
		return help_alone(argc, argv, err);
	if (optind >= argc) {
		snprintf(err, ERR_LEN, "WORKLOAD: missing; name one or more workloads or 'all' (see 'tvp list')");
		return -1;
	}
	if (optind + 1 < argc) {
		cli_echo(argv[optind + 1], word, sizeof(word));
		snprintf(err, ERR_LEN, "%s: unexpected argument; list workloads with commas, e.g. 'squares,counter'",
			 word);
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

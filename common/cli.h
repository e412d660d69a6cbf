/*
 * cli.h - the command line: value parsers (each testable alone) and the
 * `tvp run` configuration they fill.
 *
 * Every parser returns 0, or -1 after writing one line to `err` that names
 * the argument and the form it accepts. Only main() turns that into exit 2.
 */
#ifndef TVP_CLI_H
#define TVP_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tvp.h"

#define MAX_WORKER_POINTS 64
#define MAX_REPS 1000
#define MAX_WARMUP 100
#define DEFAULT_REPS 5
#define DEFAULT_WARMUP 1
#define DEFAULT_TIMEOUT_S 60.0
#define MAX_TIMEOUT_S 86400.0
#define DEFAULT_SEED 42
#define MAX_SEL 32
#define ERR_LEN 256
#define MAX_OUTPUTS 4

enum format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON, FORMAT_MARKDOWN };

struct option_value {		/* a workload option as the user typed it */
	const char *name;
	const char *value;
};

struct config {
	const struct workload *wl[MAX_SEL];
	size_t n_wl;
	const struct backend *be[MAX_SEL];
	size_t n_be;
	int workers[MAX_WORKER_POINTS];
	size_t n_workers;
	const char *variants[MAX_SEL];	/* NULL-terminated filter, or none */
	size_t n_variants;
	uint64_t size;			/* 0 with size_set == 0: per-workload default */
	int size_set;
	int reps, warmup;
	enum format format;
	int format_set;
	/* -o FILE, repeatable: each in the format its extension names, else -f */
	const char *outputs[MAX_OUTPUTS];
	size_t n_outputs;
	const char *plot;		/* --plot FILE.png|.svg, or NULL */
	int pin;			/* enum pin_policy (pin.h) */
	double timeout_s;
	uint64_t seed;
	int progress;			/* -1 auto (TTY), 0 off, 1 on */
	struct option_value opt[MAX_PARAMS * 4];
	size_t n_opt;
	/* storage the string lists above point into */
	char lists[4][1024];
};

int cli_parse_uint(const char *arg, const char *what, uint64_t min,
		   uint64_t max, uint64_t *out, char *err);
int cli_parse_size(const char *arg, const char *what, uint64_t min,
		   uint64_t max, uint64_t *out, char *err);
int cli_parse_double(const char *arg, const char *what, double min,
		     double max, double *out, char *err);
int cli_parse_ms(const char *arg, const char *what, double min, double max,
		 double *out, char *err);
int cli_parse_workers(const char *arg, int *out, size_t *n, char *err);
int cli_parse_format(const char *arg, enum format *out, char *err);
/*
 * The format of output file `name` (NULL: stdout): the one its extension
 * names (.csv .json .md .txt), else -f, else a table on a terminal and CSV
 * elsewhere. -1 when none: the extension contradicts -f (err says so).
 */
int cli_output_format(const struct config *cfg, const char *name, int tty,
		      enum format *out, char *err);
/* a parameter value, checked against its definition */
int cli_parse_param(const struct param_def *p, const char *arg,
		    union param_value *out, char *err);

/* `tvp run ...`: argv[0] is "run". Fills cfg; 0, or -1 with err written. */
int cli_parse_run(int argc, char **argv, struct config *cfg, char *err);
/* the value of workload option `name` for this cell's workload */
int cli_cell_params(const struct config *cfg, struct cell *c, char *err);

void cli_usage(FILE *f);
void cli_run_help(FILE *f);

#endif

/*
 * config.h - what one `tvp run` was asked to do: the selections, the
 * repetitions, the outputs and the host policy. The command line fills it
 * (cli/), the driver, the reports and the plots read it.
 */
#ifndef TVP_CONFIG_H
#define TVP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

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
#define CLI_ECHO_MAX 64		/* bytes of an argument a message repeats */
#define MAX_OUTPUTS 4

enum format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON, FORMAT_MARKDOWN, FORMAT_HTML };
/* what -o accepts, for messages */
#define OUTPUT_EXTENSIONS ".csv .json .md .txt .html"

/* --columns: bit c of `people` is enum col c (report.h), bit i of `data`
 * is report_data_cols[i]; all zero: every column */
struct column_sel {
	uint32_t people;
	uint64_t data;
};

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
	int workers_set;		/* -w given */
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
	/* the busy host (host.h): take turns, judge, run busy repetitions again */
	int interleave;
	double busy_threshold;		/* CPUs */
	int retries;
	double quiet_wait_s;
	struct column_sel columns;	/* --columns */
	struct option_value opt[MAX_PARAMS * 4];
	size_t n_opt;
	/* storage the string lists above point into */
	char lists[4][1024];
};

#endif

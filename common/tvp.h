/*
 * tvp.h - the two descriptors everything else hangs on.
 *
 * DESIGN
 * A *workload* (common/<name>.c) owns the problem: its parameters, its input,
 * its sequential reference and verify(). A *back end* (threads/, processes/,
 * openmp/, ...) owns one way of running it with W workers. A *cell* is one
 * (workload, variant, back end, workers) combination: the runner sets it up,
 * times back-end runs on it and asks the workload whether each was correct.
 * Back ends never decide correctness; the driver never looks inside either.
 */
#ifndef TVP_H
#define TVP_H

#include <stddef.h>
#include <stdint.h>

#define TVP_VERSION "0.1.0"

#define CACHELINE_SIZE 64
#define MAX_WORKERS 1024
#define MAX_PARAMS 12
#define DETAIL_LEN 240

/* ---- workload parameters ------------------------------------------------ */

enum param_kind {
	PARAM_UINT,	/* whole number, K/M/G suffixes */
	PARAM_DOUBLE,	/* real number, e.g. a probability */
	PARAM_MS,	/* duration in milliseconds, "50ms", "1s", "250us" */
	PARAM_CHOICE,	/* one word out of .choices ("static|dynamic|guided") */
	PARAM_STRING,	/* free text */
	/*
	 * a file the workload writes, or PARAM_NO_OUTPUT: refused at parse
	 * time unless its directory (or the file) is writable, so a bad name
	 * fails before anything runs
	 */
	PARAM_OUTPUT,
};

#define PARAM_NO_OUTPUT "none"

struct param_def {
	const char *name;	/* long option, without the dashes */
	enum param_kind kind;
	const char *def;	/* default, in the same form a user types */
	const char *help;
	double min, max;	/* accepted range for numbers */
	const char *choices;	/* PARAM_CHOICE: words separated by '|' */
};

union param_value {
	uint64_t u;
	double d;		/* PARAM_DOUBLE; PARAM_MS in milliseconds */
	int choice;		/* index into choices */
	const char *s;
};

/* ---- the cell: what one runner measures -------------------------------- */

enum verdict { VERDICT_NO = 0, VERDICT_YES, VERDICT_RACE };

struct workload;
struct backend;
struct cell_result;

struct cell {
	const struct workload *wl;
	const struct backend *be;
	int variant;		/* index into wl->variants */
	int workers;
	int workers_given;	/* -w was on the command line: plan() keeps it */
	uint64_t size;		/* -n, the workload's unit */
	uint64_t seed;
	union param_value param[MAX_PARAMS];	/* parallel to wl->params */
	union param_value be_param[MAX_PARAMS];	/* parallel to be->params */
	int pin;		/* enum pin_policy (pin.h): where workers run */
	void *state;		/* the workload's, from setup() */
	/*
	 * A back end that measures itself (spawn's empty-reference subtraction,
	 * an MPI program timing without mpirun start-up) stores its seconds
	 * here; otherwise the runner's clock around run() counts.
	 */
	double self_timed_s;
	/*
	 * And, if it can, the CPU seconds of that same section (all its threads
	 * and reaped children), so what it leaves out of the time (interpreter
	 * start-up) stays out of cpu/wall too. < 0: the runner's getrusage.
	 */
	double self_user_s, self_sys_s;
	char error[DETAIL_LEN];	/* why run() failed, for the report */
	/*
	 * What a back-end knob changed in this run ("robust mutex"), for the
	 * detail column, since the variant column cannot say it; NULL: the
	 * back end ran as it does by default. Cleared before every run.
	 */
	const char *note;
};

/* ---- the workload descriptor ------------------------------------------- */

struct workload {
	const char *name;
	const char *summary;
	/* a few sentences for a reader of the HTML report: what it models,
	 * what a correct run shows, how to read its numbers; may be NULL */
	const char *description;
	const char *size_help;		/* what -n counts */
	uint64_t default_size;
	const char *const *variants;	/* NULL-terminated; {"default"} if none */
	const struct param_def *params;	/* terminated by a zero entry */
	const char *unit;		/* throughput unit, e.g. "items/s" */
	/*
	 * Optional, as the driver plans a cell (parameters parsed): set
	 * c->workers to what the cell really runs (prodcons: producers +
	 * consumers), or return 1 with `why` to leave the cell out (spsc
	 * with more than one producer), or -1 with `why` to refuse the
	 * command line (bad usage: -w 2 with 5 producers and 5 consumers).
	 * 0: plan it.
	 */
	int (*plan)(struct cell *c, char *why, size_t len);
	/* bytes setup() will allocate, so the CLI can refuse what won't fit */
	uint64_t (*footprint)(const struct cell *c);
	int (*setup)(struct cell *c);	/* 0 or -errno; allocates c->state */
	void (*reset)(struct cell *c);	/* before every repetition, untimed */
	int (*reference)(struct cell *c);	/* the sequential run */
	enum verdict (*verify)(struct cell *c, char *detail, size_t len);
	/* units of work one run does, for throughput and weak-scaled speedup */
	double (*work)(const struct cell *c);
	void (*teardown)(struct cell *c);
	/*
	 * Optional, in the driver after every cell ran: add to row r's detail
	 * what only a comparison of rows shows (e.g. false sharing's slowdown
	 * against the padded variant). `all` holds every row of the run.
	 */
	void (*annotate)(struct cell_result *r, const struct cell_result *all,
			 size_t n);
};

/* ---- the back-end descriptor ------------------------------------------- */

typedef int (*run_fn)(struct cell *c);	/* 0, or -1 with c->error set */

struct backend_entry {
	const struct workload *workload;	/* NULL: every workload */
	run_fn run;
	/* NULL: every variant of the workload; else the ones this model has */
	const char *const *variants;
};

/* a backend_entry's variant list: VARIANTS("locked", "spsc") */
#define VARIANTS(...) ((const char *const[]){ __VA_ARGS__, NULL })

struct backend {
	const char *name;
	const char *summary;
	int max_workers;		/* 1 for sequential, else MAX_WORKERS */
	/* the back end its speedup is measured against; NULL: "sequential" */
	const char *reference;
	/* 1: not in the default -b, runs only when named (python-*, mpi: slow) */
	int opt_in;
	/* NULL when usable; otherwise why not (no python3, no mpirun) */
	const char *(*unavailable)(void);
	const struct backend_entry *entries;	/* ends with { 0 }: run NULL */
	/*
	 * The model's own knobs (OpenMP's loop schedule, the kind of process
	 * mutex): long options like a workload's, parsed into c->be_param;
	 * terminated by a zero entry; NULL: none. Workloads never see them.
	 */
	const struct param_def *params;
};

/* ---- registries (common/registry.c) ------------------------------------ */

/* every workload's descriptor, so back-end tables name them by symbol */
#define WORKLOAD(x) extern const struct workload workload_##x;
#include "workloads.def"
#undef WORKLOAD

extern const struct workload *const workloads[];
extern const size_t n_workloads;
extern const struct backend *const backends[];
extern const size_t n_backends;

const struct workload *workload_find(const char *name);
const struct backend *backend_find(const char *name);
int workload_variant(const struct workload *wl, const char *name);
const char *workload_variant_name(const struct workload *wl, int v);
int workload_param(const struct workload *wl, const char *name);
int backend_param(const struct backend *be, const char *name);
run_fn backend_runner(const struct backend *be, const struct workload *wl,
		      int variant);

/* ---- helpers every workload and back end may use ----------------------- */

void cell_fail(struct cell *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Half-open block [lo, hi) of n items for worker k of w; sizes differ by <= 1 */
void block_range(uint64_t n, int w, int k, uint64_t *lo, uint64_t *hi);

#endif

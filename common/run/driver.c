/*
 * driver.c - workloads x variants x back ends x workers, one runner each.
 *
 * Every back end's speedup is measured against its reference back end
 * (sequential, unless the descriptor names another), so the reference is
 * planned whenever a back end that needs it is, even if -b left it out.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "run/driver.h"
#include "run/interrupt.h"
#include "run/memlimit.h"
#include "run/monitor.h"
#include "run/runner.h"
#include "run/schedule.h"
#include "sys/detail.h"
#include "sys/parse.h"

static const char *reference_of(const struct backend *be)
{
	return be->reference ? be->reference : "sequential";
}

static int requested(const struct config *cfg, const struct backend *be)
{
	for (size_t i = 0; i < cfg->n_be; i++)
		if (cfg->be[i] == be)
			return 1;
	return 0;
}

/* requested, or the reference of a requested back end that runs this */
static int wanted(const struct config *cfg, const struct backend *be,
		  const struct workload *wl, int v)
{
	if (requested(cfg, be))
		return 1;
	for (size_t i = 0; i < cfg->n_be; i++)
		if (strcmp(reference_of(cfg->be[i]), be->name) == 0 &&
		    backend_runner(cfg->be[i], wl, v) && !(cfg->be[i]->unavailable &&
							   cfg->be[i]->unavailable()))
			return 1;
	return 0;
}

static int variant_selected(const struct config *cfg, const struct workload *wl,
			    int v)
{
	if (cfg->n_variants == 0)
		return 1;
	for (size_t i = 0; i < cfg->n_variants; i++)
		if (strcmp(cfg->variants[i], wl->variants[v]) == 0)
			return 1;
	return 0;
}

static int plan_add(struct plan *p, const struct cell *c)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct cell *cells = realloc(p->cells, cap * sizeof(*cells));

		if (!cells)
			return -ENOMEM;
		p->cells = cells;
		p->cap = cap;
	}
	p->cells[p->n++] = *c;
	return 0;
}

/* refuse, before anything runs, a cell whose buffers cannot fit */
static int check_fits(const struct cell *c, char *err)
{
	uint64_t need = c->wl->footprint ? c->wl->footprint(c) : 0;
	char why[160];

	if (mem_fits(need, why, sizeof(why)))
		return 0;
	snprintf(err, ERR_LEN, "--size: %s with -n %llu needs %.1f GiB, more than %s; choose a smaller -n",
		 c->wl->name, (unsigned long long)c->size, (double)need / (1 << 30),
		 why);
	return -1;
}

/* the driver and the runner, besides the workers */
#define TASKS_BESIDES_WORKERS 2

static long nproc_soft(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NPROC, &r) != 0 || r.rlim_cur == RLIM_INFINITY ||
	    r.rlim_cur > LONG_MAX)
		return LONG_MAX;
	return (long)r.rlim_cur;
}

static long proc_limit(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = LONG_MAX;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1 || v <= 0)
			v = LONG_MAX;
		(void)fclose(f);	/* read-only: nothing buffered to lose */
	}
	return v;
}

static long threads_max(void)
{
	return proc_limit("/proc/sys/kernel/threads-max");
}

static long pid_max(void)
{
	return proc_limit("/proc/sys/kernel/pid_max");
}

/* every worker is a thread or a process: the kernel counts both as tasks */
static const struct {
	const char *name;
	long (*value)(void);
} task_limits[] = {
	{ "the process limit RLIMIT_NPROC (ulimit -u)", nproc_soft },
	{ "/proc/sys/kernel/threads-max", threads_max },
	{ "/proc/sys/kernel/pid_max", pid_max },
};

/* refuse, before anything runs, more workers than the kernel will start */
static int check_workers(const struct cell *c, char *err)
{
	long need = (long)c->workers + TASKS_BESIDES_WORKERS;

	for (size_t i = 0; i < sizeof(task_limits) / sizeof(task_limits[0]); i++) {
		long have = task_limits[i].value();

		if (need > have) {
			snprintf(err, ERR_LEN, "--workers: %d workers need %ld threads or processes, more than %s allows (%ld); choose fewer workers",
				 c->workers, need, task_limits[i].name, have);
			return -1;
		}
	}
	return 0;
}

static int planned(const struct plan *p, const struct cell *c)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->cells[i].wl == c->wl && p->cells[i].be == c->be &&
		    p->cells[i].variant == c->variant &&
		    p->cells[i].workers == c->workers)
			return 1;
	return 0;
}

/* parameters `defs` into `out`: each option as given, else its default */
static int parse_params(const struct config *cfg, const struct param_def *defs,
			union param_value *out, char *err)
{
	for (int p = 0; defs && defs[p].name; p++) {
		const char *value = defs[p].def;

		for (size_t i = 0; i < cfg->n_opt; i++)
			if (strcmp(cfg->opt[i].name, defs[p].name) == 0)
				value = cfg->opt[i].value;
		if (parse_param(&defs[p], value, &out[p], err))
			return -1;
	}
	return 0;
}

/* the cell's parameters: the workload's, and its back end's knobs */
static int cell_params(const struct config *cfg, struct cell *c, char *err)
{
	if (parse_params(cfg, c->wl->params, c->param, err))
		return -1;
	return parse_params(cfg, c->be->params, c->be_param, err);
}

/* the workload's plan hook may change the workers or leave the cell out */
static int plan_cell(const struct config *cfg, struct plan *p, struct cell *c,
		     char *err)
{
	char why[DETAIL_LEN];
	int rc;

	if (cell_params(cfg, c, err))
		return -1;
	rc = c->wl->plan ? c->wl->plan(c, why, sizeof(why)) : 0;
	if (rc < 0) {
		snprintf(err, ERR_LEN, "%s", why);
		return -1;
	}
	if (rc) {
		fprintf(stderr, "tvp: note: skipping %s %s on %s (W=%d): %s\n",
			c->wl->name, workload_variant_name(c->wl, c->variant),
			c->be->name, c->workers, why);
		return 0;
	}
	if (planned(p, c))
		return 0;
	if (check_fits(c, err) || check_workers(c, err))
		return -1;
	return plan_add(p, c);
}

static int plan_backend(const struct config *cfg, struct plan *p,
			struct cell *c, char *err)
{
	int rc = 0;

	if (c->be->max_workers == 1) {	/* the sequential kind: one worker */
		c->workers = 1;
		return plan_cell(cfg, p, c, err);
	}
	for (size_t w = 0; w < cfg->n_workers && !rc; w++) {
		c->workers = cfg->workers[w] < c->be->max_workers ?
			     cfg->workers[w] : c->be->max_workers;
		rc = plan_cell(cfg, p, c, err);
	}
	return rc;
}

static int plan_workload(const struct config *cfg, struct plan *p,
			 const struct workload *wl, char *err)
{
	for (int v = 0; wl->variants[v]; v++) {
		if (!variant_selected(cfg, wl, v))
			continue;
		for (size_t b = 0; b < n_backends; b++) {
			const struct backend *be = backends[b];
			struct cell c = {
				.wl = wl, .be = be, .variant = v, .seed = cfg->seed,
				.size = cfg->size_set ? cfg->size : wl->default_size,
				.pin = cfg->pin, .workers_given = cfg->workers_set,
			};
			int rc;

			if (!wanted(cfg, be, wl, v) || !backend_runner(be, wl, v) ||
			    (be->unavailable && be->unavailable()))
				continue;
			rc = plan_backend(cfg, p, &c, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static void note_unavailable(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_be; i++) {
		const char *why = cfg->be[i]->unavailable ?
				  cfg->be[i]->unavailable() : NULL;

		if (why)
			fprintf(stderr, "tvp: note: skipping back end %s: %s\n",
				cfg->be[i]->name, why);
	}
}

/* cells i.. that form one comparison: same workload, variant and size */
static size_t comparison_end(const struct plan *p, size_t i, int interleave)
{
	size_t j = i + 1;

	while (interleave && j < p->n && p->cells[j].wl == p->cells[i].wl &&
	       p->cells[j].variant == p->cells[i].variant &&
	       p->cells[j].size == p->cells[i].size)
		j++;
	return j;
}

/* interleaved, a comparison's cells are all set up at once */
static int check_comparisons_fit(const struct config *cfg,
				 const struct plan *p, char *err)
{
	char why[160];

	for (size_t i = 0, j; cfg->interleave && i < p->n; i = j) {
		uint64_t need = 0;

		j = comparison_end(p, i, 1);
		for (size_t k = i; k < j; k++)
			need += p->cells[k].wl->footprint ?
				p->cells[k].wl->footprint(&p->cells[k]) : 0;
		if (mem_fits(need, why, sizeof(why)))
			continue;
		snprintf(err, ERR_LEN, "--size: %s -n %llu: its %zu cells take turns and need %.1f GiB together, more than %.80s; choose a smaller -n or --no-interleave",
			 p->cells[i].wl->name,
			 (unsigned long long)p->cells[i].size, j - i,
			 (double)need / (1 << 30), why);
		return -1;
	}
	return 0;
}

int driver_plan(const struct config *cfg, struct plan *p, char *err)
{
	memset(p, 0, sizeof(*p));
	for (size_t w = 0; w < cfg->n_wl; w++) {
		int rc = plan_workload(cfg, p, cfg->wl[w], err);

		if (rc)
			return rc;
	}
	/* first, so that an empty plan's cause (no python3) is on screen */
	note_unavailable(cfg);
	if (p->n == 0) {
		snprintf(err, ERR_LEN, "--backends: none of the chosen back ends runs the chosen workloads and variants (see 'tvp list')");
		return -1;
	}
	if (check_comparisons_fit(cfg, p, err))
		return -1;
	p->res = calloc(p->n, sizeof(*p->res));
	return p->res ? 0 : -ENOMEM;
}

struct progress {
	struct monitor *m;
	const struct plan *p;
};

static void cell_label(const struct cell *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s %s W=%d", c->wl->name,
		 workload_variant_name(c->wl, c->variant), c->be->name, c->workers);
}

static void progress_rep(void *arg, size_t cell, int rep)
{
	struct progress *pr = arg;
	char label[MONITOR_LABEL_LEN];

	cell_label(&pr->p->cells[cell], label, sizeof(label));
	monitor_relabel(pr->m, cell, label);
	monitor_rep(pr->m, rep);
}

/* a log gets a line per comparison; a terminal's line follows each cell */
static void progress_comparison(struct monitor *m, const struct plan *p,
				size_t i, size_t j)
{
	const struct cell *c = &p->cells[i];
	char label[MONITOR_LABEL_LEN];

	if (j - i > 1)
		snprintf(label, sizeof(label), "%s/%s (%zu cells in turns)",
			 c->wl->name, workload_variant_name(c->wl, c->variant),
			 j - i);
	else
		cell_label(c, label, sizeof(label));
	monitor_cell(m, i, label);
}

/* the progress line's monitor, if there is to be one: on a TTY by default */
static int progress_start(const struct config *cfg, const struct plan *p,
			  const struct measure_opts *o, struct monitor *m)
{
	int tty = isatty(STDERR_FILENO), rc;

	if (!(cfg->progress < 0 ? tty : cfg->progress))
		return 0;
	rc = monitor_start(m, stderr, tty, p->n, o->warmup, o->reps);
	if (rc)
		fprintf(stderr, "tvp: note: no progress line: pthread_create: %s\n",
			strerror(-rc));
	return rc == 0;
}

/*
 * Runners are forked here, by the calling (main) thread, never by the
 * monitor: PR_SET_PDEATHSIG fires when the thread that forked exits.
 */
int driver_run(const struct config *cfg, struct plan *p,
	       const struct measure_opts *o)
{
	struct measure_opts mo = *o;
	struct monitor mon;
	struct progress pr = { .m = &mon, .p = p };
	int show = progress_start(cfg, p, o, &mon), bad = 0;

	if (show) {
		mo.on_rep = progress_rep;
		mo.arg = &pr;
	}
	for (size_t i = 0, j; i < p->n; i = j) {
		int rc = -EINTR;

		j = comparison_end(p, i, o->interleave);
		if (show)
			progress_comparison(&mon, p, i, j);
		for (size_t k = i; k < j; k++)
			result_init(&p->res[k], &p->cells[k], o->reps);
		if (!interrupt_signal())
			rc = schedule_run(p->cells + i, p->res + i, j - i, i, &mo,
					  &p->log);
		if (rc == -EINTR) {	/* stopped: the plan ends before these */
			for (size_t k = i; k < j; k++)
				result_free(&p->res[k]);
			p->n = i;
			break;
		}
		for (size_t k = i; k < j; k++) {
			if (rc)
				result_driver_error(&p->res[k], rc);
			bad += p->res[k].failed || p->res[k].verdict == VERDICT_NO;
		}
	}
	if (show)
		monitor_stop(&mon);
	host_log_summary(&p->log, p->res, p->n, o->busy_threshold, &p->host);
	return bad;
}

static const struct cell_result *find_reference(const struct plan *p,
						const struct cell_result *r)
{
	const char *ref = reference_of(r->be);

	for (size_t i = 0; i < p->n; i++) {
		const struct cell_result *s = &p->res[i];

		if (s->wl == r->wl && s->variant == r->variant &&
		    s->size == r->size && strcmp(s->be->name, ref) == 0 &&
		    s->reps > 0 && s->work > 0)
			return s;
	}
	return NULL;
}

/*
 * A figure that cannot be true is flagged, not printed plainly: more than
 * W times faster with W workers on the same work, or a speedup whose
 * reference was slowed by a busy host while this cell was not.
 */
static void derive_suspect(struct cell_result *r, const struct cell_result *s)
{
	char note[DETAIL_LEN];

	if (r->efficiency > IMPLAUSIBLE_EFFICIENCY && r->work == s->work &&
	    r->be != s->be) {
		r->suspect = 1;
		snprintf(note, sizeof(note), "implausible: efficiency %.2f > 1 on the same work; the reference was probably slowed",
			 r->efficiency);
		detail_add(r->detail, sizeof(r->detail), "%s", note);
	}
	if (s->busy_reps > 0 && r->busy_reps == 0 && r->be != s->be) {
		r->suspect = 1;
		snprintf(note, sizeof(note), "reference %s ran on a busy host: this speedup is overstated",
			 s->be->name);
		detail_add(r->detail, sizeof(r->detail), "%s", note);
	}
}

/* how far to trust the median, and what the speedup says about overhead */
static void derive_notes(struct cell_result *r)
{
	char note[DETAIL_LEN];

	if (r->reps == 0)
		return;
	host_busy_note(r->foreign_cpus, host_cpus(), r->busy_reps, r->reps,
		       r->retried, note, sizeof(note));
	detail_add(r->detail, sizeof(r->detail), "%s", note);
	stats_note(&r->st, note, sizeof(note));
	detail_add(r->detail, sizeof(r->detail), "%s", note);
	if (isfinite(r->karp_flatt)) {
		snprintf(note, sizeof(note), "Karp-Flatt e = %.3f", r->karp_flatt);
		detail_add(r->detail, sizeof(r->detail), "%s", note);
	}
}

/*
 * Speedup compares time per unit of work, so a workload whose work grows
 * with W (counter: -n increments per worker) is compared fairly. When the
 * work is the same it is exactly reference median / this median.
 */
void driver_derive(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct cell_result *r = &p->res[i];
		const struct cell_result *s = find_reference(p, r);
		int ok = r->reps > 0 && r->st.median > 0 && r->work > 0;

		r->throughput = ok ? r->work / r->st.median : NAN;
		r->speedup = NAN;
		r->efficiency = NAN;
		r->karp_flatt = NAN;
		if (!ok || !s || s->st.median <= 0)
			continue;
		r->speedup = (s->st.median / s->work) / (r->st.median / r->work);
		r->efficiency = r->speedup / r->workers;
		/* the serial fraction means something only for the same work
		 * done faster: not for counter's work that grows with W */
		if (r->work == s->work && r->speedup > 1)
			r->karp_flatt = stats_karp_flatt(r->speedup, r->workers);
		derive_suspect(r, s);
	}
	for (size_t i = 0; i < p->n; i++)
		if (p->res[i].wl->annotate)
			p->res[i].wl->annotate(&p->res[i], p->res, p->n);
	for (size_t i = 0; i < p->n; i++)
		derive_notes(&p->res[i]);
}

void plan_free(struct plan *p)
{
	for (size_t i = 0; p->res && i < p->n; i++)
		result_free(&p->res[i]);
	free(p->res);
	free(p->cells);
	memset(p, 0, sizeof(*p));
}

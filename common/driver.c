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

#include "driver.h"
#include "interrupt.h"
#include "monitor.h"
#include "runner.h"

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

static uint64_t physical_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);

	return pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : UINT64_MAX;
}

/* refuse, before anything runs, a cell whose buffers cannot fit */
static int check_fits(const struct cell *c, char *err)
{
	uint64_t need = c->wl->footprint ? c->wl->footprint(c) : 0;
	uint64_t have = physical_memory();

	if (need <= have - have / 5)	/* leave the machine a fifth */
		return 0;
	snprintf(err, ERR_LEN, "--size: %s with -n %llu needs %.1f GiB, more than this machine's %.1f GiB of memory can hold; choose a smaller -n",
		 c->wl->name, (unsigned long long)c->size, (double)need / (1 << 30),
		 (double)have / (1 << 30));
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
		fclose(f);
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

/* the workload's plan hook may change the workers or leave the cell out */
static int plan_cell(const struct config *cfg, struct plan *p, struct cell *c,
		     char *err)
{
	char why[DETAIL_LEN];

	if (cli_cell_params(cfg, c, err))
		return -1;
	if (c->wl->plan && c->wl->plan(c, why, sizeof(why))) {
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
				.pin = cfg->pin,
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
	p->res = calloc(p->n, sizeof(*p->res));
	return p->res ? 0 : -ENOMEM;
}

static void record_driver_error(struct cell_result *r, int rc)
{
	r->failed = 1;
	r->verdict = VERDICT_NO;
	snprintf(r->detail, sizeof(r->detail), "driver could not run the cell: %s",
		 strerror(-rc));
}

static void progress_rep(void *arg, int rep)
{
	monitor_rep(arg, rep);
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

static void progress_cell(struct monitor *m, size_t i, const struct cell *c)
{
	char label[MONITOR_LABEL_LEN];

	snprintf(label, sizeof(label), "%s/%s %s W=%d", c->wl->name,
		 workload_variant_name(c->wl, c->variant), c->be->name, c->workers);
	monitor_cell(m, i, label);
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
	int show = progress_start(cfg, p, o, &mon), bad = 0;

	if (show) {
		mo.on_rep = progress_rep;
		mo.arg = &mon;
	}
	for (size_t i = 0; i < p->n; i++) {
		struct cell *c = &p->cells[i];
		struct cell_result *r = &p->res[i];
		int rc = -EINTR;

		if (show)
			progress_cell(&mon, i, c);
		*r = (struct cell_result){ .wl = c->wl, .be = c->be,
					   .variant = c->variant,
					   .workers = c->workers, .size = c->size };
		if (!interrupt_signal())
			rc = runner_measure(c, &mo, r);
		if (rc == -EINTR) {	/* stopped: the plan ends before this cell */
			result_free(r);
			p->n = i;
			break;
		}
		if (rc)
			record_driver_error(r, rc);
		bad += r->failed || r->verdict == VERDICT_NO;
	}
	if (show)
		monitor_stop(&mon);
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

static void append_detail(struct cell_result *r, const char *note)
{
	size_t used = strlen(r->detail);

	if (note[0] && used < sizeof(r->detail) - 1)
		snprintf(r->detail + used, sizeof(r->detail) - used, "%s%s",
			 used ? "; " : "", note);
}

/* how far to trust the median, and what the speedup says about overhead */
static void derive_notes(struct cell_result *r)
{
	char note[DETAIL_LEN];

	r->karp_flatt = stats_karp_flatt(r->speedup, r->workers);
	if (r->reps == 0)
		return;
	stats_note(&r->st, note, sizeof(note));
	append_detail(r, note);
	if (isfinite(r->karp_flatt)) {
		snprintf(note, sizeof(note), "Karp-Flatt e = %.3f", r->karp_flatt);
		append_detail(r, note);
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
		if (!ok || !s || s->st.median <= 0)
			continue;
		r->speedup = (s->st.median / s->work) / (r->st.median / r->work);
		r->efficiency = r->speedup / r->workers;
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

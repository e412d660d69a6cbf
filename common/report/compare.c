/*
 * compare.c - two saved runs, cell by cell: is NEW faster than OLD, or is
 * the difference noise?
 *
 * DESIGN
 * Timings on a shared machine are skewed (a repetition is only ever made
 * slower by other work) and few (5 by default), so the interval comes from
 * a rank test, which assumes no distribution: the Mann-Whitney test on log
 * times, inverted (Hodges-Lehmann) into an interval for the ratio NEW/OLD.
 * It is exact for small samples and never narrower than the data allow; with
 * 3 repetitions a side no 95% interval exists, and compare says so rather
 * than inventing one. The printed ratio is the ratio of medians.
 *
 * That interval only knows the spread within each run. Two runs minutes
 * apart also differ by what moves a whole run (CPU frequency, other work,
 * where memory and threads landed), by 25% and more for ms-long cells on a
 * shared machine. So a cell is "slower" or "faster" only when its whole
 * interval lies beyond a floor: --threshold (default 5%), or what the run
 * pair shows re-running moves a cell (the spread of log ratios across the
 * workload's matched cells, around their median, at 3 sigmas), or twice the cell's
 * own relative spread, whichever is largest. The spread is taken around the
 * median so that a uniform shift does not raise it: a change to every cell
 * is still called, and the summary says the cells moved together.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/compare.h"
#include "report/report.h"
#include "stats/stats.h"
#include "sys/parse.h"

#define EXIT_USAGE 2

/* ---- reading a report --------------------------------------------------- */

static int load_fail(char *err, size_t len, const char *path, const char *what)
{
	snprintf(err, len, "%s: %s", path, what);
	return -1;
}

/* "tvp-results/1" and nothing else: a newer schema may mean other things */
static int check_schema(json_t *root, const char *path, char *err, size_t len)
{
	const char *schema = json_string_value(json_object_get(root, "schema"));
	char msg[256];

	if (!json_is_object(root) || !schema || strncmp(schema, "tvp-results/", 12))
		return load_fail(err, len, path,
			"not a tvp results file (expected a JSON object with \"schema\": \"" REPORT_SCHEMA "\", as 'tvp run -o FILE.json' writes)");
	if (strcmp(schema, REPORT_SCHEMA) == 0)
		return 0;
	snprintf(msg, sizeof(msg), "schema '%.60s' cannot be read by this tvp, which reads '%s'",
		 schema, REPORT_SCHEMA);
	return load_fail(err, len, path, msg);
}

static int copy_name(char *dst, json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	if (!s || strlen(s) >= COMPARE_NAME_LEN)
		return -1;
	strcpy(dst, s);
	return 0;
}

static int read_samples(struct compare_cell *c, json_t *arr)
{
	size_t i;
	json_t *v;

	c->n = json_array_size(arr);
	c->samples = c->n ? calloc(c->n, sizeof(*c->samples)) : NULL;
	if (c->n && !c->samples)
		return -ENOMEM;
	json_array_foreach(arr, i, v) {
		if (!json_is_number(v) || !(json_number_value(v) > 0))
			return -1;
		c->samples[i] = json_number_value(v);
	}
	return 0;
}

/* one result object; -1 when a key is missing or of the wrong type */
static int read_cell(struct compare_cell *c, json_t *r)
{
	json_t *workers = json_object_get(r, "workers");
	json_t *size = json_object_get(r, "size");
	json_t *samples = json_object_get(r, "samples_s");

	if (!json_is_object(r) || copy_name(c->workload, r, "workload") ||
	    copy_name(c->variant, r, "variant") ||
	    copy_name(c->backend, r, "backend") || !json_is_integer(workers) ||
	    !json_is_integer(size) || !json_is_array(samples))
		return -1;
	c->workers = json_integer_value(workers);
	c->size = json_integer_value(size);
	/* optional: reports before the busy-host columns lack it */
	c->busy = json_integer_value(json_object_get(r, "busy_reps")) > 0;
	return read_samples(c, samples);
}

static void read_context(struct compare_run *run, json_t *root)
{
	json_t *m = json_object_get(root, "machine");
	json_t *opts = json_object_get(json_object_get(root, "config"), "options");
	json_t *load = json_object_get(m, "loadavg_1m");
	const char *cpu = json_string_value(json_object_get(m, "cpu_model"));
	const char *key;
	json_t *v;
	size_t used = 0;

	snprintf(run->machine, sizeof(run->machine), "%s, load %s", cpu ? cpu : "?",
		 json_is_number(load) ? "" : "unknown");
	if (json_is_number(load))
		snprintf(run->machine + strlen(run->machine),
			 sizeof(run->machine) - strlen(run->machine), "%.2f",
			 json_number_value(load));
	run->options[0] = 0;
	json_object_foreach(opts, key, v)
		if (json_is_string(v) && used < sizeof(run->options))
			used += (size_t)snprintf(run->options + used,
				sizeof(run->options) - used, "%s--%s %s",
				used ? " " : "", key, json_string_value(v));
}

static int read_results(struct compare_run *run, json_t *results, char *err,
			size_t len)
{
	char msg[160];
	size_t i;
	json_t *r;

	run->n = json_array_size(results);
	run->cells = calloc(run->n ? run->n : 1, sizeof(*run->cells));
	if (!run->cells)
		return -ENOMEM;
	json_array_foreach(results, i, r) {
		int rc = read_cell(&run->cells[i], r);

		if (rc == -ENOMEM)
			return rc;
		if (rc) {
			snprintf(msg, sizeof(msg), "result %zu lacks workload, variant, backend, workers, size or samples_s (positive seconds): written by an older tvp or by hand?",
				 i + 1);
			return load_fail(err, len, run->path, msg);
		}
	}
	return 0;
}

int compare_load(const char *path, struct compare_run *run, char *err,
		 size_t len)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	json_t *results;
	char msg[300];
	int rc;

	memset(run, 0, sizeof(*run));
	run->path = path;
	if (!root) {
		if (jerr.line < 0)
			snprintf(msg, sizeof(msg), "cannot read it: %s", jerr.text);
		else
			snprintf(msg, sizeof(msg), "not JSON: %s at line %d", jerr.text,
				 jerr.line);
		return load_fail(err, len, path, msg);
	}
	rc = check_schema(root, path, err, len);
	results = json_object_get(root, "results");
	if (!rc && !json_is_array(results))
		rc = load_fail(err, len, path, "has no \"results\" array");
	if (!rc)
		rc = read_results(run, results, err, len);
	if (!rc)
		read_context(run, root);
	json_decref(root);
	if (rc)
		compare_run_free(run);
	return rc;
}

void compare_run_free(struct compare_run *run)
{
	for (size_t i = 0; run->cells && i < run->n; i++)
		free(run->cells[i].samples);
	free(run->cells);
	run->cells = NULL;
	run->n = 0;
}

/* ---- the interval -------------------------------------------------------- */

/*
 * Under "no difference", every arrangement of the n + m ranks is equally
 * likely; the number with Mann-Whitney U = u is the coefficient of q^u in
 * the Gaussian binomial [n+m, k] = prod_{i=1..k} (1 - q^(j+i)) / (1 - q^i)
 * (k = min, j = max of n, m). Returns the largest c with P(U < c) <= tail.
 */
static long exact_critical(size_t n, size_t m, double tail)
{
	size_t k = n < m ? n : m, j = n < m ? m : n, deg = n * m;
	double *p = calloc(deg + 1, sizeof(*p)), total = 0, below = 0;
	long c = 0;

	if (!p)
		return -ENOMEM;
	p[0] = 1;
	for (size_t i = 1; i <= k; i++) {
		for (size_t u = deg; u >= j + i; u--)
			p[u] -= p[u - (j + i)];
		for (size_t u = i; u <= deg; u++)
			p[u] += p[u - i];
	}
	for (size_t u = 0; u <= deg; u++)
		total += p[u];
	for (size_t u = 0; u <= deg && (below + p[u]) / total <= tail; u++) {
		below += p[u];
		c = (long)u + 1;
	}
	free(p);
	return c;
}

/* the same from the normal approximation of U, for large samples */
static long normal_critical(size_t n, size_t m, double conf)
{
	/* the two-sided normal quantile, by bisection on erfc */
	double lo = 0, hi = 10, z, nm = (double)n * (double)m;

	for (int i = 0; i < 60; i++) {
		z = (lo + hi) / 2;
		if (erfc(z / sqrt(2)) > 1 - conf)
			lo = z;
		else
			hi = z;
	}
	z = floor(nm / 2 - lo * sqrt(nm * (double)(n + m + 1) / 12));
	return z < 0 ? 0 : (long)z;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int compare_interval(const double *old, size_t n, const double *new_,
		     size_t m, double conf, double *lo, double *hi)
{
	size_t nm = n * m;
	long c = nm <= COMPARE_EXACT_MAX ? exact_critical(n, m, (1 - conf) / 2)
					 : normal_critical(n, m, conf);
	double *d;

	if (c < 0)
		return (int)c;
	if (c == 0 || n == 0 || m == 0)
		return 1;
	d = malloc(nm * sizeof(*d));
	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m; j++)
			d[i * m + j] = log(new_[j]) - log(old[i]);
	qsort(d, nm, sizeof(*d), cmp_double);
	*lo = exp(d[c - 1]);
	*hi = exp(d[nm - (size_t)c]);
	free(d);
	return 0;
}

enum compare_verdict compare_verdict(double ratio, double lo, double hi,
				     double threshold_pct)
{
	double t = 1 + threshold_pct / 100;

	/* the whole interval beyond the floor, not just the ratio: a ratio of
	 * 1.3 whose interval reaches down to 1.1 has not shown a 20% change */
	(void)ratio;
	if (lo > t)
		return CMP_SLOWER;
	if (hi < 1 / t)
		return CMP_FASTER;
	return CMP_SAME;
}

/* ---- the between-run floor ---------------------------------------------- */

/* the median absolute deviation over the median; sorts v */
static double rel_spread(double *v, size_t n)
{
	double m = stats_median(v, n);

	for (size_t i = 0; i < n; i++)
		v[i] = fabs(v[i] - m);
	return stats_median(v, n) / m;
}

/* NAN only out of memory: a cell with samples always has a spread */
double compare_cell_spread(const double *s, size_t n)
{
	double *v = malloc((n ? n : 1) * sizeof(*v)), r;

	if (!v || n == 0) {
		free(v);
		return NAN;
	}
	memcpy(v, s, n * sizeof(*v));
	r = rel_spread(v, n);
	free(v);
	return r;
}

/*
 * What re-running moves a cell: the robust spread (1.4826 MAD, a standard
 * deviation for normal data) of log(ratio) across the matched cells, taken
 * around their median so that a drift of every cell together does not
 * count as spread. COMPARE_FLOOR_SIGMAS of it, as a fraction; 0 with too
 * few cells to tell. Sorts nothing of the caller's.
 */
double compare_between_run_noise(const double *ratios, size_t n)
{
	double *v, m, s;

	if (n < COMPARE_FLOOR_MIN_CELLS)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return NAN;
	for (size_t i = 0; i < n; i++)
		v[i] = log(ratios[i]);
	m = stats_median(v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = fabs(v[i] - m);
	s = 1.4826 * stats_median(v, n);
	free(v);
	return exp(COMPARE_FLOOR_SIGMAS * s) - 1;
}

double compare_cell_floor(double run_floor, double spread_old,
			  double spread_new)
{
	double sp = spread_old > spread_new ? spread_old : spread_new;
	double f = COMPARE_SPREAD_FACTOR * (isfinite(sp) ? sp : 0);

	return f > run_floor ? f : run_floor;
}

/* ---- the command ---------------------------------------------------------- */

struct compare_opts {
	const char *old_path, *new_path;
	double threshold_pct;
	double fail_pct;	/* --fail-if-slower; < 0 not set */
	double floor_pct;	/* --floor: instead of the estimate; < 0 not set */
};

/* one matched pair, measured before it is judged */
struct compare_row {
	const struct compare_cell *o, *n;
	double mo, mn, ratio, lo, hi, floor;
	double spread;		/* the larger side's, compare_cell_spread */
	double group_floor;	/* its workload's between-run floor */
	size_t group_n;		/* the cells it was estimated from; 0 run-wide */
	int grouped;		/* 2: the first of its workload, for the summary */
	int rc;			/* compare_interval's: 1 too few */
};

struct compare_tally {
	size_t n[CMP_NONE + 1];
	size_t busy;		/* changes where either side ran on a busy host */
	double *ratios;		/* every matched cell's ratio, for the drift */
	size_t n_ratios;
	double run_floor;	/* fraction: max(threshold, between-run noise) */
	double noise;		/* the between-run noise alone */
	const struct compare_row *rows;	/* for the workloads' floors */
	size_t n_rows;
	int failing;		/* a cell slower than --fail-if-slower allows */
};

static const char *const verdict_names[] = {
	[CMP_SAME] = "no change", [CMP_FASTER] = "faster", [CMP_SLOWER] = "slower",
	[CMP_TOO_FEW] = "too few runs", [CMP_NONE] = "no samples",
};

static double median_of(const struct compare_cell *c)
{
	double *v = malloc(c->n * sizeof(*v)), m;

	if (!v)
		return NAN;
	memcpy(v, c->samples, c->n * sizeof(*v));
	m = stats_median(v, c->n);
	free(v);
	return m;
}

static const struct compare_cell *find_cell(struct compare_run *run,
					    const struct compare_cell *c)
{
	for (size_t i = 0; i < run->n; i++) {
		struct compare_cell *x = &run->cells[i];

		if (!x->matched && x->workers == c->workers && x->size == c->size &&
		    strcmp(x->workload, c->workload) == 0 &&
		    strcmp(x->variant, c->variant) == 0 &&
		    strcmp(x->backend, c->backend) == 0) {
			x->matched = 1;
			return x;
		}
	}
	return NULL;
}

static void print_header(void)
{
	printf("%-9s %-16s %-17s %4s %10s  %10s %10s  %5s  %6s  %-15s  %s\n",
	       "workload", "variant", "backend", "W", "size", "old", "new",
	       "floor", "ratio", "95% interval", "verdict");
}

/* the medians, the ratio and its interval; -ENOMEM */
static int measure_pair(struct compare_row *w)
{
	const struct compare_cell *o = w->o, *n = w->n;
	double so, sn;

	w->mo = o->n ? median_of(o) : NAN;
	w->mn = n->n ? median_of(n) : NAN;
	w->ratio = w->lo = w->hi = NAN;
	w->rc = -1;	/* no samples on a side: no interval, no error */
	if (!o->n || !n->n)
		return 0;
	w->ratio = w->mn / w->mo;
	so = compare_cell_spread(o->samples, o->n);
	sn = compare_cell_spread(n->samples, n->n);
	if (isnan(so) || isnan(sn))
		return -ENOMEM;
	w->spread = so > sn ? so : sn;
	w->rc = compare_interval(o->samples, o->n, n->samples, n->n,
				 COMPARE_CONFIDENCE, &w->lo, &w->hi);
	return w->rc < 0 ? w->rc : 0;
}

/* one matched pair: its line, and what it adds to the tally */
static void judge_pair(struct compare_row *w, const struct compare_opts *opt,
		       struct compare_tally *t)
{
	const struct compare_cell *o = w->o, *n = w->n;
	char a[32] = "-", b[32] = "-", r[16] = "-", iv[40] = "-", fl[16] = "-";
	enum compare_verdict v = CMP_NONE;

	if (o->n)
		report_time(w->mo, a, sizeof(a));
	if (n->n)
		report_time(w->mn, b, sizeof(b));
	if (w->rc >= 0) {
		w->floor = compare_cell_floor(w->group_floor, w->spread, w->spread);
		v = w->rc ? CMP_TOO_FEW : compare_verdict(w->ratio, w->lo, w->hi,
							  100 * w->floor);
		if (!w->rc)
			snprintf(iv, sizeof(iv), "%.3f - %.3f", w->lo, w->hi);
		snprintf(r, sizeof(r), "%.3f", w->ratio);
		snprintf(fl, sizeof(fl), "%.0f%%", 100 * w->floor);
	}
	t->n[v]++;
	t->busy += (v == CMP_SLOWER || v == CMP_FASTER) && (o->busy || n->busy);
	if (v == CMP_SLOWER && opt->fail_pct >= 0 && w->ratio > 1 + opt->fail_pct / 100)
		t->failing = 1;
	printf("%-9s %-16s %-17s %4lld %10lld  %10s %10s  %5s  %6s  %-15s  %s%s\n",
	       o->workload, o->variant, o->backend, o->workers, o->size, a, b,
	       fl, r, iv, verdict_names[v], o->busy || n->busy ? " (busy host)" : "");
}

static size_t list_unmatched(const struct compare_run *run)
{
	size_t n = 0;

	for (size_t i = 0; i < run->n; i++) {
		const struct compare_cell *c = &run->cells[i];

		if (c->matched)
			continue;
		printf("only in %s: %s %s %s W=%lld size %lld\n", run->path,
		       c->workload, c->variant, c->backend, c->workers, c->size);
		n++;
	}
	return n;
}

/*
 * The drift is reported, never divided out: a host that ran every cell
 * 1.2x slower and a change that made every cell 1.2x slower give the same
 * two files, and only re-running OLD tells them apart.
 */
static void print_drift(struct compare_tally *t, int same_options)
{
	double m = stats_median(t->ratios, t->n_ratios);
	double th = 1 + t->run_floor;
	size_t with = 0;

	for (size_t i = 0; i < t->n_ratios; i++)
		with += fabs(log(t->ratios[i] / m)) <= log(th);
	printf("The median cell's ratio is %.3f", m);
	if (!same_options)
		printf("; the workload options differ between the runs (see above)");
	else if ((m > th || m < 1 / th) && 2 * with > t->n_ratios)
		printf(": most cells moved together (%zu of %zu, %.2fx), as they do when the host changed (CPU frequency, other work) and when a change touches every cell; the verdicts do not discount it: re-run OLD now to tell which",
		       with, t->n_ratios, m);
	printf(".\n");
}

/* a floor beyond this makes "no change" a weak statement: say how weak */
#define COMPARE_BLIND_FLOOR 0.5

static void print_floor(const struct compare_tally *t, double threshold_pct,
			double floor_pct)
{
	printf("Floor: a cell is slower or faster only when its whole interval lies beyond +-%.0f%%",
	       100 * t->run_floor);
	if (floor_pct < 0 && t->n_ratios >= COMPARE_FLOOR_MIN_CELLS)
		printf(" run-wide (a workload of %d cells or more: its own, below)",
		       COMPARE_FLOOR_MIN_CELLS);
	if (floor_pct >= 0)
		printf(" (the larger of --floor %g%% and --threshold %g%%, not estimated)",
		       floor_pct, threshold_pct);
	else if (t->n_ratios < COMPARE_FLOOR_MIN_CELLS)
		printf(" (--threshold; %d cells at least to estimate the between-run noise)",
		       COMPARE_FLOOR_MIN_CELLS);
	else if (t->noise > threshold_pct / 100)
		printf(", what re-running moved these cells (%.0f sigmas of their ratios' spread; --threshold is %g%%)",
		       COMPARE_FLOOR_SIGMAS, threshold_pct);
	else
		printf(" (--threshold; the cells' ratios spread less: %.0f%% at %.0f sigmas)",
		       100 * t->noise, COMPARE_FLOOR_SIGMAS);
	printf(", or %.0fx the cell's own spread (median absolute deviation) when that is more.\n",
	       COMPARE_SPREAD_FACTOR);
	for (size_t i = 0; i < t->n_rows; i++) {
		const struct compare_row *w = &t->rows[i];

		if (w->grouped != 2 || !w->group_n)
			continue;
		printf("  %s: +-%.0f%%, from the spread of its %zu cells' ratios\n",
		       w->o->workload, 100 * w->group_floor, w->group_n);
		if (w->group_floor > COMPARE_BLIND_FLOOR)
			printf("    so 'no change' here says only: not %.1fx or more. Re-running\n"
			       "    moved these cells that much; more work (-n) or repetitions\n"
			       "    (-r) per cell make the floor lower\n", 1 + w->group_floor);
	}
}

static void print_summary(const struct compare_run *old, const struct compare_run *new_,
			  struct compare_tally *t, size_t only_old,
			  size_t only_new, const struct compare_opts *o)
{
	size_t matched = 0;

	for (int v = 0; v <= CMP_NONE; v++)
		matched += t->n[v];
	printf("\n%zu cells matched: %zu slower, %zu faster, %zu no change",
	       matched, t->n[CMP_SLOWER], t->n[CMP_FASTER], t->n[CMP_SAME]);
	if (t->n[CMP_TOO_FEW])
		printf(", %zu with too few runs for an interval (4 a side at least)",
		       t->n[CMP_TOO_FEW]);
	if (t->n[CMP_NONE])
		printf(", %zu without samples (failed)", t->n[CMP_NONE]);
	printf("; %zu only in %s, %zu only in %s.\n", only_old, old->path,
	       only_new, new_->path);
	if (matched)
		print_floor(t, o->threshold_pct, o->floor_pct);
	if (t->n_ratios > 2)
		print_drift(t, strcmp(old->options, new_->options) == 0);
	if (t->busy)
		printf("%zu of the changes were measured while other work took CPU (busy host): measure them again on a quiet machine before trusting them.\n",
		       t->busy);
}

static void compare_help(FILE *f)
{
	fprintf(f,
"usage: tvp compare OLD.json NEW.json [--threshold PCT] [--floor PCT]\n"
"                   [--fail-if-slower PCT]\n"
"\n"
"Matches the cells of two saved runs ('tvp run ... -o FILE.json') by workload,\n"
"variant, back end, workers and size, and prints for each the ratio of median\n"
"times NEW/OLD (above 1: NEW is slower), a %.0f%% confidence interval for that\n"
"ratio from a rank test on the repetitions (Mann-Whitney, so no distribution\n"
"is assumed; 4 repetitions a side at least), and a verdict: slower or faster\n"
"when the whole interval lies beyond the cell's floor, else no change. The\n"
"floor is what re-running moves a cell, which repetitions within one run do\n"
"not see: the largest of --threshold, %.0f sigmas of the spread of the ratios\n"
"of its workload's cells (of all cells when the workload has fewer than %d),\n"
"and %.0fx the cell's own spread. The summary gives the floors and the median\n"
"ratio, and says when most cells moved together. Cells found on one side only\n"
"are listed as such.\n"
"\n"
"      --threshold PCT       smallest change called slower or faster, 0-1000\n"
"                            (default %g)\n"
"      --floor PCT           the between-run floor, instead of estimating it\n"
"                            from the cells (when many cells truly changed,\n"
"                            by different amounts, the estimate grows)\n"
"      --fail-if-slower PCT  exit 1 when any cell is slower by more than PCT\n"
"                            percent (for CI)\n"
"\n"
"exit status: 0 compared, 1 --fail-if-slower was exceeded, 2 bad usage or a\n"
"file that is not a tvp JSON report of schema " REPORT_SCHEMA ".\n",
		COMPARE_CONFIDENCE * 100, COMPARE_FLOOR_SIGMAS,
		COMPARE_FLOOR_MIN_CELLS, COMPARE_SPREAD_FACTOR, DEFAULT_THRESHOLD_PCT);
}

/* 0 parsed, 1 help, -1 error (err written) */
static int compare_args(int argc, char **argv, struct compare_opts *o, char *err)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "fail-if-slower", required_argument, NULL, 'F' },
		{ "floor", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*o = (struct compare_opts){ .threshold_pct = DEFAULT_THRESHOLD_PCT,
				    .fail_pct = -1, .floor_pct = -1 };
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == 't' && parse_double(optarg, "--threshold (percent)", 0,
						 1000, &o->threshold_pct, err))
			return -1;
		if (c == 'f' && parse_double(optarg, "--floor (percent)", 0,
						 1000, &o->floor_pct, err))
			return -1;
		if (c == 'F' && parse_double(optarg, "--fail-if-slower (percent)",
						 0, 1000, &o->fail_pct, err))
			return -1;
		if (c == '?' || c == ':') {
			snprintf(err, ERR_LEN, "compare: %s: %s (see 'tvp compare --help')",
				 argv[optind - 1], c == ':' ? "this option needs a value" :
				 "unknown option");
			return -1;
		}
	}
	if (argc - optind != 2) {
		snprintf(err, ERR_LEN, "compare: expected two files, OLD.json NEW.json, got %d",
			 argc - optind);
		return -1;
	}
	o->old_path = argv[optind];
	o->new_path = argv[optind + 1];
	return 0;
}

/*
 * Workloads move differently between runs (squares by a few percent,
 * counter's contended cells by 2x on a busy host), so each workload's
 * cells get the floor estimated from their own ratios when there are
 * enough of them, and the run-wide one otherwise.
 */
static int workload_floors(struct compare_row *rows, size_t n,
			   const struct compare_opts *o, struct compare_tally *t)
{
	double *v = malloc((n ? n : 1) * sizeof(*v)), f;
	size_t k;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].grouped)
			continue;
		k = 0;
		for (size_t j = i; j < n; j++)
			if (strcmp(rows[j].o->workload, rows[i].o->workload) == 0 &&
			    isfinite(rows[j].ratio))
				v[k++] = rows[j].ratio;
		f = o->floor_pct >= 0 || k < COMPARE_FLOOR_MIN_CELLS ? t->noise :
			compare_between_run_noise(v, k);
		if (isnan(f)) {
			free(v);
			return -ENOMEM;
		}
		if (f < o->threshold_pct / 100)
			f = o->threshold_pct / 100;
		for (size_t j = i; j < n; j++)
			if (strcmp(rows[j].o->workload, rows[i].o->workload) == 0) {
				rows[j].group_floor = f;
				rows[j].group_n = k >= COMPARE_FLOOR_MIN_CELLS &&
						  o->floor_pct < 0 ? k : 0;
				rows[j].grouped = 1 + (j == i);
			}
	}
	free(v);
	return 0;
}

/* match, measure every pair, then judge them against the run's floor */
static int judge_runs(struct compare_run *old, struct compare_run *new_,
		      const struct compare_opts *o, struct compare_tally *t,
		      struct compare_row *rows)
{
	size_t n = 0;

	for (size_t i = 0; i < old->n; i++) {
		struct compare_cell *c = &old->cells[i];
		const struct compare_cell *m = find_cell(new_, c);

		if (!m)
			continue;
		c->matched = 1;
		rows[n] = (struct compare_row){ .o = c, .n = m };
		if (measure_pair(&rows[n]))
			return -ENOMEM;
		if (isfinite(rows[n].ratio))
			t->ratios[t->n_ratios++] = rows[n].ratio;
		n++;
	}
	t->noise = o->floor_pct >= 0 ? o->floor_pct / 100 :
		compare_between_run_noise(t->ratios, t->n_ratios);
	if (isnan(t->noise))
		return -ENOMEM;
	t->run_floor = o->threshold_pct / 100;
	if (t->noise > t->run_floor)
		t->run_floor = t->noise;
	if (workload_floors(rows, n, o, t))
		return -ENOMEM;
	print_header();
	for (size_t i = 0; i < n; i++)
		judge_pair(&rows[i], o, t);
	t->rows = rows;
	t->n_rows = n;
	return 0;
}

static int compare_runs(struct compare_run *old, struct compare_run *new_,
			const struct compare_opts *o)
{
	size_t cap = old->n ? old->n : 1;
	struct compare_tally t = { .ratios = calloc(cap, sizeof(double)) };
	struct compare_row *rows = calloc(cap, sizeof(*rows));
	size_t only_old, only_new;
	int rc = t.ratios && rows ? 0 : -ENOMEM;

	printf("OLD %s: %s%s%s\nNEW %s: %s%s%s\n\n", old->path, old->machine,
	       old->options[0] ? "; " : "", old->options, new_->path, new_->machine,
	       new_->options[0] ? "; " : "", new_->options);
	if (!rc)
		rc = judge_runs(old, new_, o, &t, rows);
	if (rc) {
		fprintf(stderr, "tvp: compare: %s\n", strerror(ENOMEM));
		free(rows);
		free(t.ratios);
		return 1;
	}
	only_old = list_unmatched(old);
	only_new = list_unmatched(new_);
	print_summary(old, new_, &t, only_old, only_new, o);
	free(rows);
	free(t.ratios);
	if (!t.failing)
		return 0;
	fprintf(stderr, "tvp: compare: a cell is slower by more than --fail-if-slower %g%%\n",
		o->fail_pct);
	return 1;
}

int compare_main(int argc, char **argv)
{
	struct compare_opts o;
	struct compare_run old, new_;
	char err[ERR_LEN];
	int rc = compare_args(argc, argv, &o, err);

	if (rc > 0) {
		compare_help(stdout);
		return 0;
	}
	if (rc < 0) {
		fprintf(stderr, "tvp: %s\n", err);
		return EXIT_USAGE;
	}
	rc = compare_load(o.old_path, &old, err, sizeof(err));
	if (!rc) {
		rc = compare_load(o.new_path, &new_, err, sizeof(err));
		if (rc)
			compare_run_free(&old);
	}
	if (rc) {
		fprintf(stderr, "tvp: compare: %s\n", rc == -ENOMEM ? strerror(ENOMEM) : err);
		return rc == -ENOMEM ? 1 : EXIT_USAGE;
	}
	rc = compare_runs(&old, &new_, &o);
	compare_run_free(&old);
	compare_run_free(&new_);
	return rc;
}

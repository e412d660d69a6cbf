/*
 * test_compare.c - `tvp compare` on canned JSON pairs: the same run twice
 * (no change), every time doubled (slower, by 2.000, and --fail-if-slower),
 * a cell on one side only, a schema it cannot read, garbage and a result
 * without samples (exit 2 naming the file); and the rank-test interval
 * against values worked out by hand. Then the between-run floor on runs of
 * many cells: a uniform 1.2x drift is reported as moving together, a
 * scatter of +-10% between runs raises the floor above it, and one cell
 * truly twice as slow still stands out of that scatter.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/compare.h"
#include "report/report.h"
#include "tests/harness.h"

#define PATH_LEN 256

static const double base[] = { 0.100, 0.104, 0.098, 0.101, 0.120 };

/* ---- the interval ------------------------------------------------------- */

static void test_compare_interval_matches_the_rank_test_by_hand(void)
{
	/* ratios 2j/i for i, j in 1..5; 5 + 5 samples: the 3rd and 23rd of 25 */
	const double old[] = { 1, 2, 3, 4, 5 }, new_[] = { 2, 4, 6, 8, 10 };
	double lo, hi;

	CU_ASSERT_EQUAL_FATAL(compare_interval(old, 5, new_, 5, 0.95, &lo, &hi), 0);
	CU_ASSERT_DOUBLE_EQUAL(lo, 2.0 / 3.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(hi, 6.0, 1e-12);
	/* 4 + 4: P(U = 0) = 1/70 a tail, so the extremes: 2/4 and 8/1 */
	CU_ASSERT_EQUAL_FATAL(compare_interval(old, 4, new_, 4, 0.95, &lo, &hi), 0);
	CU_ASSERT_DOUBLE_EQUAL(lo, 0.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(hi, 8.0, 1e-12);
}

static void test_compare_interval_refuses_three_a_side(void)
{
	const double v[] = { 1, 2, 3 };
	double lo = -1, hi = -1;

	/* P(U = 0) = 1/20 > 0.025: no 95% interval exists */
	CU_ASSERT_EQUAL(compare_interval(v, 3, v, 3, 0.95, &lo, &hi), 1);
	CU_ASSERT_EQUAL(lo, -1);
}

static void test_compare_interval_of_large_samples_holds_the_ratio(void)
{
	enum { N = 200 };	/* 40000 pairs: the normal approximation */
	static double old[N], new_[N];
	double lo, hi;

	for (int i = 0; i < N; i++)
		old[i] = 1 + i / (double)N;
	for (int i = 0; i < N; i++)
		new_[i] = 2 * old[(i * 7) % N];	/* the same, shuffled, doubled */
	CU_ASSERT_EQUAL_FATAL(compare_interval(old, N, new_, N, 0.95, &lo, &hi), 0);
	CU_ASSERT(lo < 2 && hi > 2);
	CU_ASSERT(lo > 1.8 && hi < 2.2);
	CU_ASSERT_EQUAL(compare_verdict(2.0, lo, hi, DEFAULT_THRESHOLD_PCT), CMP_SLOWER);
}

static void test_compare_verdict_needs_interval_and_threshold(void)
{
	CU_ASSERT_EQUAL(compare_verdict(1.5, 0.9, 2.0, 5), CMP_SAME);	/* holds 1 */
	CU_ASSERT_EQUAL(compare_verdict(1.02, 1.01, 1.03, 5), CMP_SAME);	/* tiny */
	CU_ASSERT_EQUAL(compare_verdict(1.5, 1.2, 1.8, 5), CMP_SLOWER);
	CU_ASSERT_EQUAL(compare_verdict(0.5, 0.4, 0.6, 5), CMP_FASTER);
}

/* ---- canned reports ----------------------------------------------------- */

struct canned {
	char dir[64];
	char path[4][PATH_LEN];
};

/* a report of squares on three back ends, times base[] * scale; `drop`
 * leaves out the openmp cell; `busy` busy repetitions in each cell */
static void write_report(const char *path, const char *schema, double scale,
			 int drop, int busy)
{
	static const char *const be[] = { "sequential", "threads", "openmp" };
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (!f)
		return;	/* for the analyzer: FATAL has returned already */
	fprintf(f, "{\"schema\": \"%s\", \"machine\": {\"cpu_model\": \"Test CPU\", \"loadavg_1m\": 0.5},\n"
		" \"config\": {\"options\": {\"cost\": \"200\"}}, \"results\": [\n", schema);
	for (int b = 0; b < 3 - drop; b++) {
		fprintf(f, "%s{\"workload\": \"squares\", \"variant\": \"default\", \"backend\": \"%s\", \"workers\": %d, \"size\": 1000, \"busy_reps\": %d, \"samples_s\": [",
			b ? ",\n" : "", be[b], b ? 2 : 1, busy);
		for (int i = 0; i < 5; i++)
			fprintf(f, "%s%.9g", i ? ", " : "", base[(i + b) % 5] * scale);
		fputs("]}", f);
	}
	fputs("]}\n", f);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

static void canned_make(struct canned *c)
{
	snprintf(c->dir, sizeof(c->dir), "/tmp/tvp-compare-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(c->dir));
	for (int i = 0; i < 4; i++)
		snprintf(c->path[i], PATH_LEN, "%s/%d.json", c->dir, i);
	write_report(c->path[0], REPORT_SCHEMA, 1, 0, 0);
	write_report(c->path[1], REPORT_SCHEMA, 2, 0, 0);
	write_report(c->path[2], REPORT_SCHEMA, 1, 1, 0);
	write_report(c->path[3], "tvp-results/2", 1, 0, 0);
}

static void canned_remove(struct canned *c)
{
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(unlink(c->path[i]), 0);
	CU_ASSERT_EQUAL(rmdir(c->dir), 0);
}

static void compare(struct tvp_output *o, const char *a, const char *b,
		    const char *opt, const char *value)
{
	const char *const args[] = { "compare", a, b, opt, value, NULL };

	CU_ASSERT_EQUAL_FATAL(harness_tvp(o, args), 0);
}

static void test_compare_calls_the_same_run_no_change(void)
{
	static struct tvp_output o;
	struct canned c = { .dir = "" };

	canned_make(&c);
	compare(&o, c.path[0], c.path[0], NULL, NULL);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "3 cells matched: 0 slower, 0 faster, 3 no change"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "1.000  0.842 - 1.188    no change"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "The median cell's ratio is 1.000.\n"));
	canned_remove(&c);
}

static void test_compare_calls_doubled_times_slower_by_two(void)
{
	static struct tvp_output o;
	struct canned c = { .dir = "" };

	canned_make(&c);
	compare(&o, c.path[0], c.path[1], NULL, NULL);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "3 cells matched: 3 slower, 0 faster, 0 no change"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "2.000  1.683 - 2.376    slower"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "median cell's ratio is 2.000: most cells moved together"));
	compare(&o, c.path[1], c.path[0], NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "0 slower, 3 faster"));
	compare(&o, c.path[0], c.path[1], "--fail-if-slower", "50");
	CU_ASSERT_EQUAL(o.status, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "--fail-if-slower 50%"));
	compare(&o, c.path[0], c.path[1], "--fail-if-slower", "150");
	CU_ASSERT_EQUAL(o.status, 0);
	canned_remove(&c);
}

static void test_compare_marks_changes_measured_on_a_busy_host(void)
{
	static struct tvp_output o;
	struct canned c = { .dir = "" };

	canned_make(&c);
	write_report(c.path[1], REPORT_SCHEMA, 2, 0, 1);
	compare(&o, c.path[0], c.path[1], NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "slower (busy host)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "3 of the changes were measured while other work took CPU"));
	compare(&o, c.path[0], c.path[0], NULL, NULL);
	CU_ASSERT_PTR_NULL(strstr(o.out, "busy host"));
	canned_remove(&c);
}

static void test_compare_lists_a_cell_found_on_one_side(void)
{
	static struct tvp_output o;
	struct canned c = { .dir = "" };
	char line[PATH_LEN + 64];

	canned_make(&c);
	compare(&o, c.path[0], c.path[2], NULL, NULL);
	CU_ASSERT_EQUAL(o.status, 0);
	snprintf(line, sizeof(line), "only in %s: squares default openmp W=2 size 1000",
		 c.path[0]);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, line));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "2 cells matched"));
	canned_remove(&c);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (!f)
		return;	/* for the analyzer: FATAL has returned already */
	fputs(text, f);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

static void test_compare_counts_a_failed_cell_as_without_samples(void)
{
	static struct tvp_output o;
	const char *failed = "/tmp/tvp-compare-failed.json";
	struct canned c = { .dir = "" };

	canned_make(&c);
	write_text(failed, "{\"schema\": \"tvp-results/1\", \"results\": [{\"workload\": \"squares\", \"variant\": \"default\", \"backend\": \"threads\", \"workers\": 2, \"size\": 1000, \"samples_s\": []}]}");
	compare(&o, c.path[0], failed, NULL, NULL);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "-       -  -                no samples"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "1 cells matched: 0 slower, 0 faster, 0 no change, 1 without samples (failed)"));
	CU_ASSERT_EQUAL(unlink(failed), 0);
	canned_remove(&c);
}

/* exit 2, nothing on stdout, and the message names the file */
static void expect_refused(const char *bad, const char *why)
{
	static struct tvp_output o;
	struct canned c = { .dir = "" };

	canned_make(&c);
	compare(&o, c.path[0], bad ? bad : c.path[3], NULL, NULL);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_STRING_EQUAL(o.out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, bad ? bad : c.path[3]));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, why));
	canned_remove(&c);
}

static void test_compare_refuses_a_schema_it_cannot_read(void)
{
	expect_refused(NULL, "schema 'tvp-results/2' cannot be read");
}

static void test_compare_refuses_garbage_and_other_json(void)
{
	const char *path = "/tmp/tvp-compare-garbage.json";

	write_text(path, "workload,variant\nsquares,default\n");
	expect_refused(path, "not JSON");
	write_text(path, "[1, 2, 3]\n");
	expect_refused(path, "not a tvp results file");
	write_text(path, "{\"schema\": \"tvp-results/1\", \"results\": [{\"workload\": \"squares\", \"variant\": \"default\", \"backend\": \"threads\", \"workers\": 2, \"size\": 1000}]}");
	expect_refused(path, "result 1 lacks");
	CU_ASSERT_EQUAL(unlink(path), 0);
	expect_refused("/tmp/tvp-compare-no-such-file.json", "cannot read it");
}

static void test_compare_refuses_bad_usage(void)
{
	static struct tvp_output o;
	const char *const one[] = { "compare", "a.json", NULL };
	const char *const help[] = { "compare", "--help", NULL };

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, one), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "expected two files"));
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, help), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "--fail-if-slower PCT"));
}

/* ---- the between-run floor ---------------------------------------------- */

static void test_compare_floor_is_the_spread_of_ratios_not_their_drift(void)
{
	const double drift[] = { 1.2, 1.2, 1.2, 1.2, 1.2, 1.2 };
	const double scatter[] = { 0.9, 1.1, 0.95, 1.05, 1.0, 0.9, 1.1, 1.0 };
	double f;

	/* every cell 1.2x: no spread around the median */
	CU_ASSERT_DOUBLE_EQUAL(compare_between_run_noise(drift, 6), 0, 1e-12);
	/* too few cells to estimate anything */
	CU_ASSERT_EQUAL(compare_between_run_noise(scatter, 5), 0);
	f = compare_between_run_noise(scatter, 8);
	CU_ASSERT(f > 0.15 && f < 0.5);
	CU_ASSERT_DOUBLE_EQUAL(compare_cell_floor(0.05, 0.01, 0.10), 0.20, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(compare_cell_floor(0.30, 0.01, 0.10), 0.30, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(compare_cell_spread(base, 5), 0.003 / 0.101, 1e-9);
}

/* 16 cells of tight samples (1% spread), cell i scaled by scale[i] */
#define MANY 16
static void write_many(const char *path, const double *scale)
{
	static const double tight[] = { 0.100, 0.101, 0.099, 0.1005, 0.102 };
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (!f)
		return;	/* for the analyzer: FATAL has returned already */
	fputs("{\"schema\": \"" REPORT_SCHEMA "\", \"config\": {\"options\": {\"n\": \"10\"}}, \"results\": [\n", f);
	for (int c = 0; c < MANY; c++) {
		fprintf(f, "%s{\"workload\": \"counter\", \"variant\": \"v%d\", \"backend\": \"threads\", \"workers\": 1, \"size\": 10, \"samples_s\": [",
			c ? ",\n" : "", c);
		for (int i = 0; i < 5; i++)
			fprintf(f, "%s%.9g", i ? ", " : "", tight[(i + c) % 5] * scale[c]);
		fputs("]}", f);
	}
	fputs("]}\n", f);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

static void compare_many(struct tvp_output *o, const double *old,
			 const double *new_, const char *floor)
{
	char a[] = "/tmp/tvp-compare-many-a.json", b[] = "/tmp/tvp-compare-many-b.json";

	write_many(a, old);
	write_many(b, new_);
	compare(o, a, b, floor ? "--floor" : NULL, floor);
	CU_ASSERT_EQUAL(o->status, 0);
	CU_ASSERT_EQUAL(unlink(a), 0);
	CU_ASSERT_EQUAL(unlink(b), 0);
}

static void fill(double *v, double x)
{
	for (int i = 0; i < MANY; i++)
		v[i] = x;
}

static void test_compare_reports_a_uniform_drift_as_moving_together(void)
{
	static struct tvp_output o;
	double one[MANY], drift[MANY];

	fill(one, 1);
	fill(drift, 1.2);
	compare_many(&o, one, drift, NULL);
	/* called, not discounted: a change to every cell looks the same */
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "16 cells matched: 16 slower"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "most cells moved together (16 of 16, 1.20x)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "re-run OLD now"));
	compare_many(&o, one, one, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "16 cells matched: 0 slower, 0 faster, 16 no change"));
	CU_ASSERT_PTR_NULL(strstr(o.out, "moved together"));
}

/* +-5 to 10% between runs: each cell's interval clears 5%, not the floor */
static const double scatter[MANY] = { 0.9, 1.1, 0.95, 1.05, 1.0, 0.92, 1.08, 1.0,
				      1.1, 0.9, 1.05, 0.95, 1.0, 1.03, 0.97, 1.0 };

static void test_compare_raises_the_floor_above_between_run_scatter(void)
{
	static struct tvp_output o;
	double one[MANY];

	fill(one, 1);
	compare_many(&o, one, scatter, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "16 cells matched: 0 slower, 0 faster, 16 no change"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "what re-running moved these cells"));
	/* told the floor, the +-8 and 10% cells clear it (1% spread each) */
	compare_many(&o, one, scatter, "0");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "16 cells matched: 3 slower, 3 faster, 10 no change"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "--floor 0% and --threshold 5%, not estimated"));
}

/* cells that move 0.5x-2x between runs: "no change" is said to be weak */
static void test_compare_says_how_weak_no_change_is_under_wild_scatter(void)
{
	static const double wild[MANY] = { 0.5, 2.0, 0.6, 1.7, 1.0, 0.5, 2.0, 1.0,
					   1.9, 0.55, 1.6, 0.7, 1.0, 1.4, 0.6, 1.0 };
	static struct tvp_output o;
	double one[MANY];

	fill(one, 1);
	compare_many(&o, one, wild, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "16 no change"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "so 'no change' here says only: not "));
	compare_many(&o, one, scatter, NULL);	/* +-10%: no such warning */
	CU_ASSERT_PTR_NULL(strstr(o.out, "says only"));
}

static void test_compare_finds_one_cell_truly_slower_amid_scatter(void)
{
	static struct tvp_output o;
	double one[MANY], slow[MANY];
	const char *line, *end;

	fill(one, 1);
	memcpy(slow, scatter, sizeof(slow));
	slow[5] = 2.0;
	compare_many(&o, one, slow, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "16 cells matched: 1 slower, 0 faster, 15 no change"));
	line = strstr(o.out, "counter   v5 ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	end = strchr(line, '\n');
	CU_ASSERT(end && strstr(line, "slower") && strstr(line, "slower") < end);
	CU_ASSERT_PTR_NULL(strstr(o.out, "moved together"));
}

SUITE(compare,
      TEST(test_compare_interval_matches_the_rank_test_by_hand),
      TEST(test_compare_interval_refuses_three_a_side),
      TEST(test_compare_interval_of_large_samples_holds_the_ratio),
      TEST(test_compare_verdict_needs_interval_and_threshold),
      TEST(test_compare_calls_the_same_run_no_change),
      TEST(test_compare_calls_doubled_times_slower_by_two),
      TEST(test_compare_marks_changes_measured_on_a_busy_host),
      TEST(test_compare_lists_a_cell_found_on_one_side),
      TEST(test_compare_counts_a_failed_cell_as_without_samples),
      TEST(test_compare_refuses_a_schema_it_cannot_read),
      TEST(test_compare_refuses_garbage_and_other_json),
      TEST(test_compare_refuses_bad_usage),
      TEST(test_compare_floor_is_the_spread_of_ratios_not_their_drift),
      TEST(test_compare_reports_a_uniform_drift_as_moving_together),
      TEST(test_compare_raises_the_floor_above_between_run_scatter),
      TEST(test_compare_finds_one_cell_truly_slower_amid_scatter),
      TEST(test_compare_says_how_weak_no_change_is_under_wild_scatter))

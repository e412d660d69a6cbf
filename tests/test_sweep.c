/*
 * test_sweep.c - what a sweep is made of: the worker list parser (a
 * number, a list, a range, mixed, refusals that name the argument), the
 * output format chosen per file, and the derived numbers: speedup,
 * efficiency and the Karp-Flatt serial fraction appended to `detail`.
 */
#include <math.h>
#include <string.h>

#include "cli/cli.h"
#include "run/driver.h"
#include "sys/pin.h"
#include "tests/harness.h"

#define EPS 1e-9

static size_t workers(const char *arg, int *w)
{
	char err[ERR_LEN] = "";
	size_t n = 0;

	CU_ASSERT_EQUAL(cli_parse_workers(arg, w, &n, err), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	return n;
}

static void test_cli_workers_accepts_number_list_and_range(void)
{
	int w[MAX_WORKER_POINTS];

	CU_ASSERT_EQUAL(workers("2", w), 1);
	CU_ASSERT_EQUAL(w[0], 2);
	CU_ASSERT_EQUAL(workers("1,2,4", w), 3);
	CU_ASSERT(w[0] == 1 && w[1] == 2 && w[2] == 4);
	CU_ASSERT_EQUAL(workers("1-4", w), 4);
	CU_ASSERT(w[0] == 1 && w[1] == 2 && w[2] == 3 && w[3] == 4);
	CU_ASSERT_EQUAL(workers("8,1-3", w), 4);	/* the order given */
	CU_ASSERT(w[0] == 8 && w[1] == 1 && w[2] == 2 && w[3] == 3);
	CU_ASSERT_EQUAL(workers("1,1-2,2", w), 2);	/* repeats count once */
	CU_ASSERT_EQUAL(workers("1024", w), 1);
}

static void test_cli_rejects_bad_worker_lists(void)
{
	static const char *const bad[] = {
		"", "0", "3-1", "1,,2", ",1", "1,", "1-", "-2", "a", "2x", " 2",
		"1025", "1-1025", "1-65",	/* 65 points: more than a sweep holds */
	};
	int w[MAX_WORKER_POINTS];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[ERR_LEN] = "";
		size_t n;

		CU_ASSERT_EQUAL(cli_parse_workers(bad[i], w, &n, err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "--workers"));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "1-8"));	/* shows the form */
	}
}

static void parse(struct config *cfg, char **argv, int argc, int ok)
{
	char err[ERR_LEN];

	CU_ASSERT_EQUAL(cli_parse_run(argc, argv, cfg, err), ok ? 0 : -1);
}

static void test_cli_output_format_follows_extension_then_format(void)
{
	char *two[] = { "run", "squares", "-o", "a.csv", "-o", "b.md", NULL };
	char *plain[] = { "run", "squares", "-f", "json", "-o", "out", NULL };
	char *clash[] = { "run", "squares", "-f", "json", "-o", "out.csv", NULL };
	struct config cfg;
	enum format f;
	char err[ERR_LEN];

	parse(&cfg, two, 6, 1);
	CU_ASSERT_EQUAL(cfg.n_outputs, 2);
	CU_ASSERT_EQUAL(cli_output_format(&cfg, "a.csv", 0, &f, err), 0);
	CU_ASSERT_EQUAL(f, FORMAT_CSV);
	CU_ASSERT_EQUAL(cli_output_format(&cfg, "b.md", 0, &f, err), 0);
	CU_ASSERT_EQUAL(f, FORMAT_MARKDOWN);
	CU_ASSERT_EQUAL(cli_output_format(&cfg, NULL, 1, &f, err), 0);
	CU_ASSERT_EQUAL(f, FORMAT_TABLE);	/* stdout on a terminal */
	CU_ASSERT_EQUAL(cli_output_format(&cfg, "out", 0, &f, err), 0);
	CU_ASSERT_EQUAL(f, FORMAT_CSV);		/* neither: CSV for files */
	parse(&cfg, plain, 6, 1);
	CU_ASSERT_EQUAL(cli_output_format(&cfg, "out", 0, &f, err), 0);
	CU_ASSERT_EQUAL(f, FORMAT_JSON);
	parse(&cfg, clash, 6, 0);	/* the extension contradicts -f */
}

static void test_cli_plot_and_pin_refuse_unknown_values(void)
{
	char *png[] = { "run", "squares", "--plot", "s.png", "--pin", "spread", NULL };
	char *jpg[] = { "run", "squares", "--plot", "s.jpg", NULL };
	char *pin[] = { "run", "squares", "--pin", "tight", NULL };
	struct config cfg;

	parse(&cfg, png, 6, 1);
	CU_ASSERT_STRING_EQUAL(cfg.plot, "s.png");
	CU_ASSERT_EQUAL(cfg.pin, PIN_SPREAD);
	parse(&cfg, jpg, 4, 0);
	parse(&cfg, pin, 4, 0);
}

/* a plan of two measured cells, as the runner would leave them */
static void derive_pair(struct plan *p, struct cell_result *r, double *seq,
			double *thr, size_t n)
{
	const struct workload *wl = workload_find("squares");

	r[0] = (struct cell_result){ .wl = wl, .be = backend_find("sequential"),
		.workers = 1, .size = 100, .reps = (int)n, .wall = seq,
		.work = 100, .verdict = VERDICT_YES, .detail = "all 100 checked" };
	r[1] = (struct cell_result){ .wl = wl, .be = backend_find("threads"),
		.workers = 2, .size = 100, .reps = (int)n, .wall = thr,
		.work = 100, .verdict = VERDICT_YES, .detail = "all 100 checked" };
	CU_ASSERT_EQUAL(stats_compute(seq, n, &r[0].st), 0);
	CU_ASSERT_EQUAL(stats_compute(thr, n, &r[1].st), 0);
	*p = (struct plan){ .res = r, .n = 2 };
	driver_derive(p);
}

static void test_driver_derives_speedup_and_karp_flatt_into_detail(void)
{
	double seq[] = { 1.0, 1.0, 1.0 }, thr[] = { 0.625, 0.625, 0.625 };
	struct cell_result r[2];
	struct plan p;

	derive_pair(&p, r, seq, thr, 3);
	CU_ASSERT_DOUBLE_EQUAL(r[1].speedup, 1.6, EPS);
	CU_ASSERT_DOUBLE_EQUAL(r[1].efficiency, 0.8, EPS);
	CU_ASSERT_DOUBLE_EQUAL(r[1].throughput, 160, EPS);
	CU_ASSERT_DOUBLE_EQUAL(r[1].karp_flatt, 0.25, EPS);
	CU_ASSERT_STRING_EQUAL(r[1].detail, "all 100 checked; Karp-Flatt e = 0.250");
	/* W = 1: no serial fraction to speak of */
	CU_ASSERT_TRUE(isnan(r[0].karp_flatt));
	CU_ASSERT_STRING_EQUAL(r[0].detail, "all 100 checked");
}

static void test_driver_flags_a_noisy_cell_in_detail(void)
{
	/* threads: median 0.5, MAD 0.1 (20%), 1.5 is 10 MADs out */
	double seq[] = { 1, 1, 1, 1, 1 }, thr[] = { 0.5, 0.4, 0.6, 0.5, 1.5 };
	struct cell_result r[2];
	struct plan p;

	derive_pair(&p, r, seq, thr, 5);
	CU_ASSERT_STRING_EQUAL(r[1].detail,
		"all 100 checked; noisy: MAD 20%, 1 outlier > 3 MAD; Karp-Flatt e = 0.000");
}

/* e is a serial fraction of fixed work sped up: not of a slowdown, nor of
 * counter's work that grows with W */
static void test_driver_gives_karp_flatt_only_for_fixed_work_sped_up(void)
{
	double seq[] = { 1.0, 1.0, 1.0 }, slow[] = { 2.0, 2.0, 2.0 };
	double quick[] = { 0.625, 0.625, 0.625 };
	struct cell_result r[2];
	struct plan p;

	derive_pair(&p, r, seq, slow, 3);
	CU_ASSERT_DOUBLE_EQUAL(r[1].speedup, 0.5, EPS);
	CU_ASSERT_TRUE(isnan(r[1].karp_flatt));
	CU_ASSERT_PTR_NULL(strstr(r[1].detail, "Karp-Flatt"));
	r[1] = (struct cell_result){ .wl = r[0].wl, .be = backend_find("threads"),
		.workers = 2, .size = 100, .reps = 3, .wall = quick,
		.work = 200, .verdict = VERDICT_YES, .detail = "" };
	CU_ASSERT_EQUAL(stats_compute(quick, 3, &r[1].st), 0);
	driver_derive(&p);
	CU_ASSERT_DOUBLE_EQUAL(r[1].speedup, 3.2, EPS);	/* twice the work */
	CU_ASSERT_TRUE(isnan(r[1].karp_flatt));
	CU_ASSERT_PTR_NULL(strstr(r[1].detail, "Karp-Flatt"));
}

SUITE(sweep,
      TEST(test_cli_workers_accepts_number_list_and_range),
      TEST(test_cli_rejects_bad_worker_lists),
      TEST(test_cli_output_format_follows_extension_then_format),
      TEST(test_cli_plot_and_pin_refuse_unknown_values),
      TEST(test_driver_derives_speedup_and_karp_flatt_into_detail),
      TEST(test_driver_flags_a_noisy_cell_in_detail),
      TEST(test_driver_gives_karp_flatt_only_for_fixed_work_sped_up))

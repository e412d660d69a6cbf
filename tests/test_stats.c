/*
 * test_stats.c - the summary statistics against values worked out by hand:
 * odd and even counts, ties, a single sample, outliers beyond 3 MAD, the
 * "noisy" flag and the Karp-Flatt serial fraction.
 */
#include <math.h>

#include "stats/stats.h"
#include "tests/harness.h"

#define EPS 1e-12

static struct stats of(const double *v, size_t n)
{
	struct stats s;

	CU_ASSERT_EQUAL_FATAL(stats_compute(v, n, &s), 0);
	return s;
}

static void test_stats_odd_count_takes_the_middle_value(void)
{
	/* sorted 1 3 5; deviations from 3: 2 0 2, so MAD 2 */
	const double v[] = { 5, 1, 3 };
	struct stats s = of(v, 3);

	CU_ASSERT_EQUAL(s.n, 3);
	CU_ASSERT_DOUBLE_EQUAL(s.median, 3, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.min, 1, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.max, 5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.mean, 3, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.stddev, 2, EPS);	/* sqrt((4+4+0)/2) */
	CU_ASSERT_DOUBLE_EQUAL(s.mad, 2, EPS);
	CU_ASSERT_EQUAL(s.outliers, 0);
}

static void test_stats_even_count_averages_the_middle_two(void)
{
	/* sorted 1 2 3 4: median 2.5; deviations 1.5 .5 .5 1.5: MAD 1 */
	const double v[] = { 4, 1, 3, 2 };
	struct stats s = of(v, 4);

	CU_ASSERT_DOUBLE_EQUAL(s.median, 2.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.mean, 2.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.stddev, sqrt(5.0 / 3.0), EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.mad, 1, EPS);
}

static void test_stats_ties_give_zero_mad_and_no_outliers(void)
{
	/* three equal times and one slow one: MAD 0, and 0 * 3 flags nothing */
	const double v[] = { 2, 2, 7, 2 };
	struct stats s = of(v, 4);

	CU_ASSERT_DOUBLE_EQUAL(s.median, 2, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.mad, 0, EPS);
	CU_ASSERT_EQUAL(s.outliers, 0);
	CU_ASSERT_FALSE(stats_noisy(&s));
}

static void test_stats_counts_outliers_beyond_three_mad(void)
{
	/* median 2; deviations 1 0 0 0 1 98, sorted 0 0 0 1 1 98: MAD 0.5 */
	const double v[] = { 1, 2, 2, 2, 3, 100 };
	struct stats s = of(v, 6);

	CU_ASSERT_DOUBLE_EQUAL(s.median, 2, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.mad, 0.5, EPS);
	CU_ASSERT_EQUAL(s.outliers, 1);	/* 100 only: 1 and 3 are 2 MAD away */
}

static void test_stats_one_sample_has_no_spread(void)
{
	const double v[] = { 0.25 };
	struct stats s = of(v, 1);

	CU_ASSERT_DOUBLE_EQUAL(s.median, 0.25, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.min, 0.25, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.max, 0.25, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.mean, 0.25, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.stddev, 0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(s.mad, 0, EPS);
	CU_ASSERT_EQUAL(s.outliers, 0);
}

static void test_stats_no_samples_is_all_zero(void)
{
	struct stats s = of(NULL, 0);

	CU_ASSERT_EQUAL(s.n, 0);
	CU_ASSERT_DOUBLE_EQUAL(s.median, 0, EPS);
	CU_ASSERT_FALSE(stats_noisy(&s));
}

static void test_stats_leaves_the_samples_in_their_order(void)
{
	double v[] = { 3, 1, 2 };

	of(v, 3);
	CU_ASSERT_DOUBLE_EQUAL(v[0], 3, EPS);
	CU_ASSERT_DOUBLE_EQUAL(v[1], 1, EPS);
	CU_ASSERT_DOUBLE_EQUAL(v[2], 2, EPS);
}

static void test_stats_flags_noisy_above_ten_percent_mad(void)
{
	/* median 1; deviations 0 .15 .15 .3 .3: MAD 0.15, i.e. 15% */
	const double noisy[] = { 1.0, 1.15, 0.85, 1.3, 0.7 };
	/* median 1; deviations 0 .05 .05 .1 .1: MAD 0.05, i.e. 5% */
	const double quiet[] = { 1.0, 1.05, 0.95, 1.1, 0.9 };
	struct stats a = of(noisy, 5), b = of(quiet, 5);
	char note[128];

	CU_ASSERT_TRUE(stats_noisy(&a));
	CU_ASSERT_FALSE(stats_noisy(&b));
	stats_note(&a, note, sizeof(note));
	CU_ASSERT_STRING_EQUAL(note, "noisy: MAD 15%");
	stats_note(&b, note, sizeof(note));
	CU_ASSERT_STRING_EQUAL(note, "");
}

static void test_stats_note_names_outliers_in_singular_and_plural(void)
{
	struct stats one = { .n = 5, .median = 1, .mad = 0.01, .outliers = 1 };
	struct stats two = { .n = 9, .median = 1, .mad = 0.2, .outliers = 2 };
	char note[128];

	stats_note(&one, note, sizeof(note));
	CU_ASSERT_STRING_EQUAL(note, "1 outlier > 3 MAD");
	stats_note(&two, note, sizeof(note));
	CU_ASSERT_STRING_EQUAL(note, "noisy: MAD 20%, 2 outliers > 3 MAD");
}

static void test_stats_karp_flatt_matches_hand_values(void)
{
	/* e = (1/S - 1/W) / (1 - 1/W) */
	CU_ASSERT_DOUBLE_EQUAL(stats_karp_flatt(1.6, 2), 0.25, EPS);	/* (.625-.5)/.5 */
	CU_ASSERT_DOUBLE_EQUAL(stats_karp_flatt(4, 4), 0, EPS);	/* perfect */
	CU_ASSERT_DOUBLE_EQUAL(stats_karp_flatt(1, 4), 1, EPS);	/* no gain */
	CU_ASSERT_DOUBLE_EQUAL(stats_karp_flatt(2.5, 5), 0.25, EPS);	/* (.4-.2)/.8 */
	CU_ASSERT_TRUE(isnan(stats_karp_flatt(1, 1)));	/* undefined for W = 1 */
	CU_ASSERT_TRUE(isnan(stats_karp_flatt(NAN, 4)));
	CU_ASSERT_TRUE(isnan(stats_karp_flatt(0, 4)));
}

SUITE(stats,
      TEST(test_stats_odd_count_takes_the_middle_value),
      TEST(test_stats_even_count_averages_the_middle_two),
      TEST(test_stats_ties_give_zero_mad_and_no_outliers),
      TEST(test_stats_counts_outliers_beyond_three_mad),
      TEST(test_stats_one_sample_has_no_spread),
      TEST(test_stats_no_samples_is_all_zero),
      TEST(test_stats_leaves_the_samples_in_their_order),
      TEST(test_stats_flags_noisy_above_ten_percent_mad),
      TEST(test_stats_note_names_outliers_in_singular_and_plural),
      TEST(test_stats_karp_flatt_matches_hand_values))

/*
 * stats.h - summary statistics of one cell's counted repetitions.
 */
#ifndef TVP_STATS_H
#define TVP_STATS_H

#include <stddef.h>

/* a repetition further than this many MADs from the median is an outlier */
#define OUTLIER_MADS 3.0
/* MAD / median above this marks a cell "noisy" */
#define NOISY_MAD_RATIO 0.10

struct stats {
	size_t n;
	double median, min, max, mean, stddev, mad;
	size_t outliers;
};

double stats_median(double *v, size_t n);	/* sorts v */
int stats_compute(const double *v, size_t n, struct stats *s); /* 0, -ENOMEM */
int stats_noisy(const struct stats *s);
/*
 * Karp-Flatt experimentally determined serial fraction of a run with
 * `workers` > 1 and measured `speedup`: e = (1/S - 1/W) / (1 - 1/W).
 * Near 0: the code scales; growing with W: overhead (start-up, sync)
 * grows with the team, not a fixed serial part. NAN where undefined.
 */
double stats_karp_flatt(double speedup, int workers);
/*
 * "noisy: MAD 14%, 2 outliers > 3 MAD" or "1 outlier > 3 MAD" or "", for
 * a cell's detail: how far to trust its median.
 */
void stats_note(const struct stats *s, char *buf, size_t len);

#endif

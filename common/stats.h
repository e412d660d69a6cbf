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

#endif

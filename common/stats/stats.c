/*
 * stats.c - median, spread and outliers, as EPCC reports them: the median
 * is the headline (robust to the odd slow run on a shared machine), the MAD
 * tells how much to trust it.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void stats_moments(const double *v, size_t n, struct stats *s)
{
	double sum = 0, sq = 0;

	s->min = s->max = v[0];
	for (size_t i = 0; i < n; i++) {
		sum += v[i];
		if (v[i] < s->min)
			s->min = v[i];
		if (v[i] > s->max)
			s->max = v[i];
	}
	s->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		sq += (v[i] - s->mean) * (v[i] - s->mean);
	/* sample standard deviation; one sample has none */
	s->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
}

int stats_compute(const double *v, size_t n, struct stats *s)
{
	double *dev;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (n == 0 || !v)
		return 0;
	dev = malloc(n * sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	stats_moments(v, n, s);
	memcpy(dev, v, n * sizeof(*dev));
	s->median = stats_median(dev, n);
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(v[i] - s->median);
	s->mad = stats_median(dev, n);
	for (size_t i = 0; i < n; i++)
		if (s->mad > 0 && fabs(v[i] - s->median) > OUTLIER_MADS * s->mad)
			s->outliers++;
	free(dev);
	return 0;
}

int stats_noisy(const struct stats *s)
{
	return s->median > 0 && s->mad / s->median > NOISY_MAD_RATIO;
}

double stats_karp_flatt(double speedup, int workers)
{
	double w = workers;

	if (workers < 2 || !isfinite(speedup) || speedup <= 0)
		return NAN;
	return (1 / speedup - 1 / w) / (1 - 1 / w);
}

void stats_note(const struct stats *s, char *buf, size_t len)
{
	int used = 0;

	buf[0] = 0;
	if (stats_noisy(s))
		used = snprintf(buf, len, "noisy: MAD %.0f%%", 100 * s->mad / s->median);
	if (s->outliers && used >= 0 && (size_t)used < len)
		snprintf(buf + used, len - (size_t)used, "%s%zu outlier%s > %g MAD",
			 used ? ", " : "", s->outliers, s->outliers > 1 ? "s" : "",
			 OUTLIER_MADS);
}

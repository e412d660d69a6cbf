/*
 * host.c - the kernel's view of the machine, minus tvp's own CPU time.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sys/clock.h"
#include "sys/host.h"

#define STAT_FIELDS 8	/* user nice system idle iowait irq softirq steal */

int host_parse_stat(const char *text, long ticks_per_s, double *busy_s,
		    double *steal_s)
{
	unsigned long long v[STAT_FIELDS] = { 0 };
	int n;

	if (strncmp(text, "cpu ", 4) != 0 || ticks_per_s <= 0)
		return -EINVAL;
	n = sscanf(text + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	if (n < 4)
		return -EINVAL;
	/* steal is field 8; kernels before 2.6.11 have none: it reads as 0 */
	*busy_s = (double)(v[0] + v[1] + v[2] + v[7]) / (double)ticks_per_s;
	*steal_s = (double)v[7] / (double)ticks_per_s;
	return 0;
}

int host_parse_psi(const char *text, double *some_s)
{
	const char *total, *eol = strchr(text, '\n');
	unsigned long long us;

	if (strncmp(text, "some ", 5) != 0)
		return -EINVAL;
	total = strstr(text, "total=");
	if (!total || (eol && total > eol) ||
	    sscanf(total + 6, "%llu", &us) != 1)
		return -EINVAL;
	*some_s = (double)us * 1e-6;
	return 0;
}

/* read a small /proc file whole; 0 or -errno */
static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	(void)close(fd);	/* read-only: nothing to lose */
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static double own_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

void host_read_kernel(struct host_sample *s)
{
	static long ticks;
	char buf[4096];

	if (!ticks)
		ticks = sysconf(_SC_CLK_TCK);
	memset(s, 0, sizeof(*s));
	s->t = clock_now();
	s->own_s = own_cpu_s();
	s->step_s = 1.0 / (double)ticks;
	s->ok = read_small("/proc/stat", buf, sizeof(buf)) == 0 &&
		host_parse_stat(buf, ticks, &s->busy_s, &s->steal_s) == 0;
	if (read_small("/proc/pressure/cpu", buf, sizeof(buf)) != 0 ||
	    host_parse_psi(buf, &s->psi_some_s) != 0)
		s->psi_some_s = -1;
}

static host_reader_fn reader = host_read_kernel;

void host_set_reader(host_reader_fn fn)
{
	reader = fn ? fn : host_read_kernel;
}

void host_read(struct host_sample *s)
{
	reader(s);
}

void host_window_between(const struct host_sample *a,
			 const struct host_sample *b, struct host_window *w)
{
	w->t0 = a->t;
	w->t1 = b->t;
	w->wall_s = b->t - a->t;
	w->busy_s = b->busy_s - a->busy_s;
	w->steal_s = b->steal_s - a->steal_s;
	w->own_s = b->own_s - a->own_s;
	w->psi_s = a->psi_some_s >= 0 && b->psi_some_s >= 0 ?
		   b->psi_some_s - a->psi_some_s : -1;
	/* a counter that went backwards was reset or wrapped: no figure */
	w->ok = a->ok && b->ok && w->busy_s >= 0 && w->steal_s >= 0;
	/* each reading is truncated to a step: the difference is off by < 1 */
	w->step_s = a->step_s > b->step_s ? a->step_s : b->step_s;
	w->error_s = w->step_s;
	w->parts = 1;
}

void host_window_add(struct host_window *sum, const struct host_window *w)
{
	if (sum->parts++ == 0) {
		*sum = *w;
		sum->parts = 1;
		return;
	}
	sum->ok = sum->ok && w->ok;
	if (w->t0 != sum->t1)
		sum->error_s += w->error_s;
	else if (w->error_s > sum->error_s)
		sum->error_s = w->error_s;
	if (w->step_s > sum->step_s)
		sum->step_s = w->step_s;
	sum->t1 = w->t1;
	sum->wall_s += w->wall_s;
	sum->busy_s += w->busy_s;
	sum->own_s += w->own_s;
	sum->steal_s += w->steal_s;
	sum->psi_s = sum->psi_s >= 0 && w->psi_s >= 0 ? sum->psi_s + w->psi_s : -1;
}

double host_foreign(const struct host_window *w)
{
	double f;

	if (!w->ok || w->wall_s <= 0)
		return NAN;
	f = (w->busy_s - w->own_s) / w->wall_s;
	return f > 0 ? f : 0;
}

int host_window_busy(const struct host_window *w, double threshold, int cpus)
{
	double f = host_foreign(w), p, ticks_s;

	if (!isfinite(f))
		return 0;
	p = fmin(fmax(w->busy_s / (w->wall_s * cpus), 0), 1);
	/* sd of a binomial count of ticks, in seconds: sqrt(n p (1-p)) step */
	ticks_s = sqrt(w->wall_s * cpus * w->step_s * p * (1 - p));
	return f - (w->error_s + ticks_s) / w->wall_s > threshold;
}

int host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

void host_busy_note(double foreign, int cpus, int busy_reps, int reps,
		    int retried, char *buf, size_t len)
{
	char again[64] = "";

	if (retried)
		snprintf(again, sizeof(again), "; %d retried", retried);
	if (busy_reps)
		snprintf(buf, len, "busy: other processes took %.1f of %d CPUs in %d of %d repetitions%s",
			 foreign, cpus, busy_reps, reps, again);
	else if (retried)
		snprintf(buf, len, "%d repetition%s run again for a busy host",
			 retried, retried == 1 ? "" : "s");
	else
		buf[0] = 0;
}

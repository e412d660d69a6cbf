/*
 * monitor.c - the progress thread.
 *
 * DESIGN
 * The thread only reads state that the main thread writes under `lock`,
 * formats a line under the lock and writes it after letting go, so a slow
 * stderr can never hold up the driver. It sleeps on a condition variable
 * with a deadline rather than in sleep(), so monitor_stop() wakes it at
 * once and the join is immediate. It starts with every signal blocked:
 * signals go to the main thread, which owns the runners. And it never
 * forks: a runner's PR_SET_PDEATHSIG fires when the *thread* that forked
 * it exits, so runners are forked by the main thread alone.
 * Forking while this thread lives is safe with glibc: the child holds only
 * the forking thread, glibc resets its malloc and stdio locks in the child,
 * and the child never touches the monitor. (ThreadSanitizer refuses new
 * threads after such a fork unless TSAN_OPTIONS=die_after_fork=0.)
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "run/monitor.h"
#include "sys/clock.h"

#define LINE_LEN 256

/* a default mutex fails only when misused; say so rather than carry on silently */
static void monitor_check(int rc, const char *call)
{
	if (rc)
		fprintf(stderr, "tvp: progress: %s: %s\n", call, strerror(rc));
}

static void lock(struct monitor *m)
{
	monitor_check(pthread_mutex_lock(&m->lock), "pthread_mutex_lock");
}

static void unlock(struct monitor *m)
{
	monitor_check(pthread_mutex_unlock(&m->lock), "pthread_mutex_unlock");
}

static void wake(struct monitor *m)
{
	monitor_check(pthread_cond_signal(&m->wake), "pthread_cond_signal");
}

void monitor_duration(double s, char *buf, size_t len)
{
	if (s < 10)
		snprintf(buf, len, "%.1fs", s);
	else if (s < 60)
		snprintf(buf, len, "%.0fs", s);
	else
		snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)s % 60);
}

void monitor_line(const struct monitor *m, double now, char *buf, size_t len)
{
	size_t per_cell = (size_t)(m->warmup + m->reps);
	size_t total = m->cells * per_cell;
	double elapsed = now - m->t0;
	char el[32], left[32] = "estimating";
	int warm = m->rep < 0;

	monitor_duration(elapsed, el, sizeof(el));
	if (m->units_done > 0 && m->units_done <= total) {
		monitor_duration(elapsed / (double)m->units_done *
				 (double)(total - m->units_done), left + 1,
				 sizeof(left) - 1);
		left[0] = '~';
		strcat(left, " left");
	}
	snprintf(buf, len, "[%zu/%zu] %s: %s %d/%d, %s elapsed, %s", m->cell + 1,
		 m->cells, m->label, warm ? "warm-up" : "rep",
		 warm ? m->rep + m->warmup + 1 : m->rep + 1,
		 warm ? m->warmup : m->reps, el, left);
}

static int terminal_width(FILE *f)
{
	struct winsize ws;

	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		return ws.ws_col;
	return 80;
}

/* under the lock: the next line to show, or 0 when there is none */
static int monitor_due(struct monitor *m, char *line, size_t len)
{
	double now = clock_now();

	if (!m->label[0])
		return 0;	/* no cell has started yet */
	if (!m->tty && m->printed_cell == m->cell &&
	    now - m->printed_at < MONITOR_LOG_INTERVAL_S)
		return 0;
	m->printed_cell = m->cell;
	m->printed_at = now;
	monitor_line(m, now, line, len);
	return 1;
}

static void *monitor_main(void *arg)
{
	struct monitor *m = arg;
	char line[LINE_LEN];

	lock(m);
	while (!m->stop) {
		struct timespec until = clock_deadline(m->tty ? MONITOR_TTY_INTERVAL_S :
						       MONITOR_LOG_INTERVAL_S);

		if (monitor_due(m, line, sizeof(line))) {
			unlock(m);
			if (m->tty)	/* one line, redrawn; never wider than the terminal */
				fprintf(m->f, "\r\033[K%.*s", terminal_width(m->f) - 1, line);
			else
				fprintf(m->f, "tvp: %s\n", line);
			/* progress only; where it cannot go, nor could a warning */
			(void)fflush(m->f);
			lock(m);
		}
		if (!m->stop) {
			int rc = pthread_cond_timedwait(&m->wake, &m->lock, &until);

			if (rc != ETIMEDOUT)
				monitor_check(rc, "pthread_cond_timedwait");
		}
	}
	unlock(m);
	return NULL;
}

static int monitor_sync_init(struct monitor *m)
{
	pthread_condattr_t ca;
	int rc = pthread_condattr_init(&ca), drc;

	if (rc)
		return -rc;
	rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!rc)
		rc = pthread_cond_init(&m->wake, &ca);
	drc = pthread_condattr_destroy(&ca);
	if (drc && !rc) {
		monitor_check(pthread_cond_destroy(&m->wake), "pthread_cond_destroy");
		rc = drc;
	}
	if (rc)
		return -rc;
	rc = pthread_mutex_init(&m->lock, NULL);
	if (rc)
		monitor_check(pthread_cond_destroy(&m->wake), "pthread_cond_destroy");
	return -rc;
}

int monitor_start(struct monitor *m, FILE *f, int tty, size_t cells,
		  int warmup, int reps)
{
	sigset_t all, old;
	int rc;

	*m = (struct monitor){ .f = f, .tty = tty, .cells = cells,
			       .warmup = warmup, .reps = reps, .rep = -warmup,
			       .t0 = clock_now(), .printed_cell = (size_t)-1 };
	rc = monitor_sync_init(m);
	if (rc)
		return rc;
	/* the thread inherits this mask: every signal stays with the driver */
	sigfillset(&all);
	rc = pthread_sigmask(SIG_SETMASK, &all, &old);
	if (!rc) {
		rc = pthread_create(&m->tid, NULL, monitor_main, m);
		monitor_check(pthread_sigmask(SIG_SETMASK, &old, NULL),
			      "pthread_sigmask");
	}
	if (rc) {
		monitor_check(pthread_mutex_destroy(&m->lock), "pthread_mutex_destroy");
		monitor_check(pthread_cond_destroy(&m->wake), "pthread_cond_destroy");
	}
	return -rc;
}

void monitor_cell(struct monitor *m, size_t cell, const char *label)
{
	lock(m);
	m->cell = cell;
	m->rep = -m->warmup;
	/* a cell that failed early ran fewer repetitions than planned */
	m->units_done = cell * (size_t)(m->warmup + m->reps);
	snprintf(m->label, sizeof(m->label), "%s", label);
	wake(m);
	unlock(m);
}

void monitor_relabel(struct monitor *m, size_t cell, const char *label)
{
	lock(m);
	m->cell = cell;
	snprintf(m->label, sizeof(m->label), "%s", label);
	unlock(m);
}

void monitor_rep(struct monitor *m, int rep)
{
	lock(m);
	m->units_done++;
	if (rep + 1 < m->reps)
		m->rep = rep + 1;
	unlock(m);
}

void monitor_stop(struct monitor *m)
{
	char took[32];
	int rc;

	lock(m);
	m->stop = 1;
	wake(m);
	unlock(m);
	rc = pthread_join(m->tid, NULL);
	if (rc)
		fprintf(stderr, "tvp: pthread_join (progress): %s\n", strerror(rc));
	monitor_check(pthread_mutex_destroy(&m->lock), "pthread_mutex_destroy");
	monitor_check(pthread_cond_destroy(&m->wake), "pthread_cond_destroy");
	monitor_duration(clock_now() - m->t0, took, sizeof(took));
	if (m->tty)
		fputs("\r\033[K", m->f);
	else
		fprintf(m->f, "tvp: done: %zu cell%s in %s\n", m->cells,
			m->cells == 1 ? "" : "s", took);
	(void)fflush(m->f);	/* progress only, as above */
}

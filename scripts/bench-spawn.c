/*
 * bench-spawn - bare microbenchmarks of starting and joining workers, to
 * check what `tvp run spawn` reports against (make bench-spawn).
 *
 *   bench-spawn thread|fork|exec|omp WORKERS REPS [HELPER]
 *
 * Each mode times REPS rounds of "start WORKERS workers, wait for all",
 * subtracts the same loop with a direct call in place of the start (the
 * EPCC reference), and prints one CSV line: mode,workers,reps,us_per_worker.
 * Nothing from tvp is used: only the raw calls, so any gap between these
 * figures and tvp's is tvp's own overhead.
 */
#include <errno.h>
#include <omp.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_W 256

extern char **environ;
static volatile unsigned char marks[MAX_W];
static const char *helper = "bin/tvp-nop";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *body(void *arg)
{
	marks[(long)arg]++;
	return NULL;
}

static void die(const char *call, int err)
{
	fprintf(stderr, "bench-spawn: %s: %s\n", call, strerror(err));
	exit(1);
}

static void round_thread(int w)
{
	pthread_t t[MAX_W];
	int rc;

	for (long k = 0; k < w; k++)
		if ((rc = pthread_create(&t[k], NULL, body, (void *)k)))
			die("pthread_create", rc);
	for (int k = 0; k < w; k++)
		if ((rc = pthread_join(t[k], NULL)))
			die("pthread_join", rc);
}

static void reap(const pid_t *pid, int w)
{
	int status;

	for (int k = 0; k < w; k++)
		if (waitpid(pid[k], &status, 0) != pid[k] || status != 0)
			die("waitpid", ECHILD);
}

static void round_fork(int w)
{
	pid_t pid[MAX_W];

	for (long k = 0; k < w; k++) {
		pid[k] = fork();
		if (pid[k] < 0)
			die("fork", errno);
		if (pid[k] == 0) {
			body((void *)k);
			_exit(0);
		}
	}
	reap(pid, w);
}

static void round_exec(int w)
{
	char *argv[] = { (char *)helper, NULL };
	pid_t pid[MAX_W];
	int rc;

	for (int k = 0; k < w; k++)
		if ((rc = posix_spawn(&pid[k], helper, NULL, NULL, argv, environ)))
			die("posix_spawn", rc);
	reap(pid, w);
}

static void round_omp(int w)
{
#pragma omp parallel num_threads(w)
	body((void *)(long)omp_get_thread_num());
}

static void round_empty(int w)
{
	for (long k = 0; k < w; k++)
		body((void *)k);
}

static const struct mode {
	const char *name;
	void (*round)(int w);
} modes[] = {
	{ "thread", round_thread }, { "fork", round_fork },
	{ "exec", round_exec }, { "omp", round_omp },
};

static double time_rounds(void (*round)(int), int w, long reps)
{
	double t0 = now();

	for (long r = 0; r < reps; r++)
		round(w);
	return now() - t0;
}

int main(int argc, char **argv)
{
	const struct mode *m = NULL;
	int w = argc > 2 ? atoi(argv[2]) : 0;
	long reps = argc > 3 ? atol(argv[3]) : 0;
	double net;

	for (size_t i = 0; argc > 1 && i < sizeof(modes) / sizeof(*modes); i++)
		if (strcmp(argv[1], modes[i].name) == 0)
			m = &modes[i];
	if (!m || w < 1 || w > MAX_W || reps < 1) {
		fprintf(stderr, "usage: bench-spawn thread|fork|exec|omp WORKERS REPS [HELPER]\n");
		return 2;
	}
	if (argc > 4)
		helper = argv[4];
	time_rounds(m->round, w, reps / 10 + 1);	/* warm-up, not counted */
	net = time_rounds(m->round, w, reps) - time_rounds(round_empty, w, reps);
	printf("%s,%d,%ld,%.3f\n", m->name, w, reps, net / (double)(reps * w) * 1e6);
	return 0;
}

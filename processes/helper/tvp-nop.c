/*
 * tvp-nop - the smallest program the processes back end can start with
 * posix_spawn(): it marks shared memory and exits.
 *
 *   tvp-nop FD INDEX               add 1 to byte INDEX of the memory file FD
 *   tvp-nop fork FD ROUNDS W       ROUNDS times: fork W children, each adds 1
 *                                  to byte id * ROUNDS + round, and reap
 *                                  them; print the seconds that took
 *                                  and how many mappings tvp-nop has
 *   tvp-nop                        do nothing (a bare microbenchmark's helper)
 *
 * An exec()ed program keeps none of its parent's mappings, so the spawn
 * workload's marks live in a memfd (anonymous: it has no name in /dev/shm)
 * whose descriptor survives the exec. It is a separate, tiny program, not
 * tvp with a hidden argument, so that the spawn-exec row measures starting
 * *a* program, not loading tvp's own libraries and relocations; and so
 * that `fork` measures fork() from a minimal parent (spawn variant
 * fork-minimal), next to tvp's own fork from its runner.
 */
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sys/maps.h"

#define EXIT_USAGE 2
#define EXIT_MAP 3
#define EXIT_FORK 4
#define MAX_W 1024

static int parse(const char *arg, uint64_t *v)
{
	char *end;

	*v = strtoull(arg, &end, 10);
	return *arg && !*end;
}

static int mark_one(int fd, uint64_t index)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), base = index / page * page;
	unsigned char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED,
				fd, (off_t)base);

	if (p == MAP_FAILED)
		return EXIT_MAP;
	p[index - base]++;
	/* exit() would flush stdio and run atexit handlers: nothing to do */
	return munmap(p, page) == 0 ? 0 : EXIT_MAP;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* one round: W children mark their byte (tvp's spawn_mark_index order) */
static int fork_round(unsigned char *marks, uint64_t rounds, uint64_t round,
		      int w)
{
	pid_t pid[MAX_W];
	int status, rc = 0;

	for (int k = 0; k < w; k++) {
		pid[k] = fork();
		if (pid[k] < 0)
			return EXIT_FORK;
		if (pid[k] == 0) {
			marks[(uint64_t)k * rounds + round]++;
			_exit(0);
		}
	}
	for (int k = 0; k < w; k++)
		if (waitpid(pid[k], &status, 0) != pid[k] || status != 0)
			rc = EXIT_FORK;
	return rc;
}

static int fork_rounds(int fd, uint64_t rounds, uint64_t w)
{
	size_t len = (size_t)(rounds * w);
	unsigned char *marks;
	double t0;
	int rc = 0;

	/* die with the runner that started us, as its own workers do */
	if (w < 1 || w > MAX_W || prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		return EXIT_USAGE;
	if (len == 0)	/* no rounds: nothing to map, no time taken */
		return printf("0 %ld\n", maps_count()) < 0 ? EXIT_FORK : 0;
	marks = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (marks == MAP_FAILED)
		return EXIT_MAP;
	t0 = now();
	for (uint64_t r = 0; r < rounds && !rc; r++)
		rc = fork_round(marks, rounds, r, (int)w);
	t0 = now() - t0;
	/* counted after the rounds, untimed: the same mappings they forked */
	if (!rc && printf("%.9f %ld\n", t0, maps_count()) < 0)
		rc = EXIT_FORK;
	return munmap(marks, len) == 0 ? rc : EXIT_MAP;
}

int main(int argc, char **argv)
{
	uint64_t fd, a, b;

	if (argc == 1)
		return 0;
	if (argc == 3 && parse(argv[1], &fd) && parse(argv[2], &a))
		return mark_one((int)fd, a);
	if (argc == 5 && strcmp(argv[1], "fork") == 0 && parse(argv[2], &fd) &&
	    parse(argv[3], &a) && parse(argv[4], &b))
		return fork_rounds((int)fd, a, b);
	return EXIT_USAGE;
}

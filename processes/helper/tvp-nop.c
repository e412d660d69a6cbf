/*
 * tvp-nop - the smallest program the processes back end can start with
 * posix_spawn(): it marks one byte of shared memory and exits.
 *
 *   tvp-nop FD INDEX    add 1 to byte INDEX of the memory file FD
 *   tvp-nop             do nothing (the bare microbenchmark's helper)
 *
 * An exec()ed program keeps none of its parent's mappings, so the spawn
 * workload's marks live in a memfd (anonymous: it has no name in /dev/shm)
 * whose descriptor survives the exec. The helper maps only the page that
 * holds its byte. It is a separate, tiny program, not tvp with a hidden
 * argument, so that the spawn-exec row measures starting *a* program, not
 * loading tvp's own libraries (libgomp, libm) and relocations.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define EXIT_MAP 3

int main(int argc, char **argv)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), index, base;
	unsigned char *p;
	char *end;
	long fd;

	if (argc == 1)
		return 0;
	if (argc != 3)
		return EXIT_USAGE;
	fd = strtol(argv[1], &end, 10);
	if (*end || fd < 0)
		return EXIT_USAGE;
	index = strtoull(argv[2], &end, 10);
	if (*end)
		return EXIT_USAGE;
	base = index / page * page;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd,
		 (off_t)base);
	if (p == MAP_FAILED)
		return EXIT_MAP;
	p[index - base]++;
	/* exit() would flush stdio and run atexit handlers: nothing to do */
	return munmap(p, page) == 0 ? 0 : EXIT_MAP;
}

/*
 * rank.h - what every tvp MPI program shares.
 *
 * An MPI program per workload (mpi/programs/<workload>.c) holds the part
 * a student compares with threads/, processes/ and openmp/: the function
 * every rank runs. It names that function once with RANK_PROGRAM. rank.c
 * holds main(): MPI_Init, the cell rebuilt from the command line, the
 * clock around the function, rank 0's results to tvp, MPI_Finalize.
 */
#ifndef TVP_MPI_RANK_H
#define TVP_MPI_RANK_H

#include <mpi.h>
#include <stddef.h>

#include "mpi/wire.h"
#include "tvp.h"

/* what rank 0 hands back to tvp, in the order mpi/backend.c expects */
struct rank_out {
	const void *buf[MAX_WIRE_BUFS];
	uint64_t len[MAX_WIRE_BUFS];
	int n;
};

/*
 * A workload's MPI program, in three parts, all run by every rank:
 * setup   before the clock: allocate this rank's buffers (rank_alloc, so
 *         they are touched: no page fault inside the clock, as threads
 *         and processes write into memory the workload set up), keep them
 *         in c->state, and on rank 0 name the results in out;
 * run     timed: when it returns on rank 0, rank 0 holds every rank's part;
 * collect (optional) after the clock: bring to rank 0 what only verify()
 *         needs (prodcons' consumer logs), so it is not timed;
 * teardown after rank 0 has sent the results.
 * A rank that cannot go on calls rank_fail().
 */
struct rank_program {
	const struct workload *wl;
	void (*setup)(struct cell *c, int rank, struct rank_out *out);
	void (*run)(struct cell *c, int rank);
	void (*collect)(struct cell *c, int rank);
	void (*teardown)(struct cell *c);
};

extern const struct rank_program rank_program;

#define RANK_PROGRAM(name, ...)                                             \
	extern const struct workload workload_##name;                      \
	const struct rank_program rank_program = { .wl = &workload_##name, \
						   __VA_ARGS__ }

/* rank 0, in setup: len bytes at buf are the next result for tvp */
void rank_out_add(struct rank_out *out, const void *buf, uint64_t len);
/*
 * n items of size bytes, every page touched: filled with 0xff, as the
 * workload's reset() poisons its output, so nothing stale can pass.
 * It never returns NULL: it rank_fail()s instead. free() it.
 */
void *rank_alloc(uint64_t n, size_t size);
/* print "tvp-mpi-WORKLOAD: rank R: why" on stderr and abort every rank */
_Noreturn void rank_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif

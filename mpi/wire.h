/*
 * wire.h - what rank 0 of a tvp MPI program writes on its stdout, and what
 * the mpi back end (mpi/launch.c) reads back: one header, then the result
 * buffers, raw, in the order the header lists them.
 *
 * stdout is the channel because mpirun forwards it byte for byte from
 * whichever host rank 0 runs on; a pipe or a file would only work when
 * rank 0 happens to run next to tvp. Plain C, no mpi.h: both sides use it.
 */
#ifndef TVP_MPI_WIRE_H
#define TVP_MPI_WIRE_H

#include <stdint.h>

#define WIRE_MAGIC "tvp-mpi"	/* with its NUL: 8 bytes */
#define MAX_WIRE_BUFS 8

struct wire_header {
	char magic[8];
	double seconds;			/* rank 0's MPI_Wtime around the run */
	uint64_t n_bufs;
	uint64_t len[MAX_WIRE_BUFS];	/* bytes of each buffer that follows */
};

#endif

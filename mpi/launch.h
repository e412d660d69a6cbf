/*
 * launch.h - run a workload's MPI program under mpirun and read its results
 * back into the cell. Plain C: bin/tvp never links MPI.
 */
#ifndef TVP_MPI_LAUNCH_H
#define TVP_MPI_LAUNCH_H

#include <stddef.h>

#include "tvp.h"

/* environment variables a user may set (shown by `tvp list`) */
#define MPI_ENV_MPIRUN "TVP_MPIRUN"		/* mpirun to use; default: PATH's */
#define MPI_ENV_HOSTFILE "TVP_MPI_HOSTFILE"	/* mpirun --hostfile FILE */
#define MPI_ENV_ARGS "TVP_MPI_ARGS"		/* more mpirun options */

/* where rank 0's result buffer i goes: exactly len bytes at p */
struct mpi_buf {
	void *p;
	size_t len;
};

/* the mpirun to use, in path; 0 or -ENOENT */
int mpi_mpirun(char *path, size_t len);
/* bin/tvp-mpi-WORKLOAD, next to this executable; 0, or -errno if missing */
int mpi_program(const char *workload, char *path, size_t len);

/*
 * One timed run: mpirun -np ranks (c->workers, or one more where a manager
 * rank hands out the work) on the workload's program; rank 0's n buffers
 * land in out[], its own timing in c->self_timed_s. 0, or -1 with c->error
 * saying why (mpirun's status and its explanation).
 */
int mpi_run(struct cell *c, int ranks, const struct mpi_buf *out, size_t n);

#endif

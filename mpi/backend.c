/*
 * mpi/backend.c - the MPI back end: one table, one line per workload this
 * model runs, and for each the buffers rank 0 hands back.
 *
 * The ranks themselves are separate programs, mpi/programs/<workload>.c,
 * built with mpicc into bin/tvp-mpi-<workload>: bin/tvp never links MPI,
 * so it builds and runs everywhere and this back end is simply unavailable
 * where Open MPI is missing. Each run function names where rank 0's
 * results go in the workload's state; mpi_run() (launch.c) starts mpirun,
 * reads them back and leaves the verdict to the workload's verify().
 */
#include <limits.h>

#include "counter.h"
#include "fetch.h"
#include "mpi/launch.h"
#include "prodcons.h"
#include "squares.h"

/* squares: the whole output array, gathered at rank 0 */
static int mpi_squares_run(struct cell *c)
{
	struct squares *s = c->state;
	const struct mpi_buf out[] = { { s->out, s->n * sizeof(*s->out) } };

	return mpi_run(c, c->workers, out, sizeof(out) / sizeof(out[0]));
}

/* counter: the final count, read by rank 0 once every rank is done */
static int mpi_counter_run(struct cell *c)
{
	struct counter *s = c->state;
	const struct mpi_buf out[] = {
		{ &s->count.plain, sizeof(s->count.plain) },
	};

	return mpi_run(c, c->workers, out, sizeof(out) / sizeof(out[0]));
}

/* ranks share no cache line (no sharded-unpadded) */
static const char *const mpi_counter_variants[] = {
	"unsynchronised", "mutex", "atomic", "sharded", NULL,
};

/*
 * prodcons: every consumer's log, its tallies and then its entries. The
 * tallies arrive with rank 0's pointers to its entries: point them back.
 */
static int mpi_prodcons_run(struct cell *c)
{
	struct prodcons *s = c->state;
	const struct mpi_buf out[] = {
		{ s->log, (size_t)s->consumers * sizeof(*s->log) },
		{ s->entries, (size_t)s->consumers * s->n * sizeof(*s->entries) },
	};
	int rc = mpi_run(c, c->workers, out, sizeof(out) / sizeof(out[0]));

	for (int k = 0; k < s->consumers; k++)
		s->log[k].entry = s->entries + (uint64_t)k * s->n;
	return rc;
}

/* MPI's queue is its own (messages and credits), under the default name */
static const char *const mpi_prodcons_variants[] = { "locked", NULL };

/*
 * fetch: W worker ranks and a manager; back come every task's record and
 * the manager's start, which the detail's timings count from.
 */
static int mpi_fetch_run(struct cell *c)
{
	struct fetch *f = c->state;
	const struct mpi_buf out[] = {
		{ f->task, f->n * sizeof(*f->task) },
		{ &f->t0, sizeof(f->t0) },
	};

	return mpi_run(c, c->workers + 1, out, sizeof(out) / sizeof(out[0]));
}

static const struct backend_entry mpi_entries[] = {
	{ &workload_squares, mpi_squares_run, NULL },
	{ &workload_counter, mpi_counter_run, mpi_counter_variants },
	{ &workload_prodcons, mpi_prodcons_run, mpi_prodcons_variants },
	{ &workload_fetch, mpi_fetch_run, NULL },
	{ 0 },
};

static const char *mpi_unavailable(void)
{
	char path[PATH_MAX];

	if (mpi_mpirun(path, sizeof(path)))
		return "no mpirun (install Open MPI: run 'make' as root, or apt-get install openmpi-bin libopenmpi-dev; or set " MPI_ENV_MPIRUN ")";
	for (const struct backend_entry *e = mpi_entries; e->run; e++)
		if (mpi_program(e->workload->name, path, sizeof(path)) == 0)
			return NULL;
	return "its programs (bin/tvp-mpi-*) are not built: 'make' builds them where mpicc is (not in sanitizer builds); run 'make'";
}

const struct backend backend_mpi = {
	.name = "mpi",
	.summary = "MPI ranks under Open MPI's mpirun, message passing only; "
		   "environment: " MPI_ENV_HOSTFILE "=FILE (hosts), "
		   MPI_ENV_ARGS "=OPTIONS (for mpirun), "
		   MPI_ENV_MPIRUN "=PATH (which mpirun)",
	.max_workers = MAX_WORKERS,
	.opt_in = 1,
	.unavailable = mpi_unavailable,
	.entries = mpi_entries,
};

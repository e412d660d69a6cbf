/*
 * rank.c - main() of every tvp MPI program (bin/tvp-mpi-<workload>).
 *
 * DESIGN
 * tvp's mpi back end runs `mpirun -np W tvp-mpi-WORKLOAD OPTIONS`. Every
 * rank rebuilds the cell from OPTIONS with the parsers `tvp run` uses, so
 * `--cost 200` means the same here as there, and sets up its buffers.
 * All ranks meet at a barrier; rank 0 reads MPI_Wtime, every rank runs the
 * workload's run(), rank 0 reads MPI_Wtime again once it holds every
 * rank's result. So mpirun's start-up (its daemons, fork and exec,
 * MPI_Init's wire-up) is not in the number, nor is allocating memory, as
 * for the other back ends: the spawn workload measures start-up apart.
 * Rank 0 then writes the results on its stdout (mpi/wire.h), which mpirun
 * forwards to tvp; tvp's verify() decides whether they are right.
 * MPI calls are not checked one by one: MPI_COMM_WORLD's default error
 * handler, MPI_ERRORS_ARE_FATAL, aborts the whole job on any error, and
 * mpirun's exit status then fails the cell.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "config.h"
#include "mpi/programs/rank.h"
#include "sys/fault.h"
#include "sys/parse.h"

#define EXIT_USAGE 2

enum { OPT_SEED = 256, OPT_WIRE, OPT_PARAM_BASE = 512 };

void rank_out_add(struct rank_out *out, const void *buf, uint64_t len)
{
	if (out->n == MAX_WIRE_BUFS)
		rank_fail("more than %d result buffers", MAX_WIRE_BUFS);
	out->buf[out->n] = buf;
	out->len[out->n++] = len;
}

void rank_fail(const char *fmt, ...)
{
	va_list ap;
	int rank = -1;

	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	fprintf(stderr, "tvp-mpi-%s: rank %d: ", rank_program.wl->name, rank);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	MPI_Abort(MPI_COMM_WORLD, EXIT_FAILURE);
	exit(EXIT_FAILURE);	/* MPI_Abort does not return; the compiler can't know */
}

void *rank_alloc(uint64_t n, size_t size)
{
	/* malloc(0) may be NULL; one element costs nothing */
	size_t bytes = (n ? (size_t)n : 1) * size;
	void *p = n <= SIZE_MAX / size ? malloc(bytes) : NULL;

	if (!p)
		rank_fail("out of memory for %llu items of %zu bytes",
			  (unsigned long long)n, size);
	return memset(p, 0xff, bytes);
}

/* -n, -V, --seed, then each of the workload's own options */
static void rank_options(const struct workload *wl, struct option *opt)
{
	static const struct option fixed[] = {
		{ "size", required_argument, NULL, 'n' },
		{ "variants", required_argument, NULL, 'V' },
		{ "seed", required_argument, NULL, OPT_SEED },
		/* tvp asks for bytes; a person gets a line (stdout is a tty
		 * under mpirun either way, so isatty() cannot tell) */
		{ "wire", no_argument, NULL, OPT_WIRE },
	};
	size_t n = sizeof(fixed) / sizeof(fixed[0]);

	memcpy(opt, fixed, sizeof(fixed));
	for (int p = 0; wl->params && wl->params[p].name; p++)
		opt[n++] = (struct option){ wl->params[p].name, required_argument,
					    NULL, OPT_PARAM_BASE + p };
	memset(&opt[n], 0, sizeof(opt[n]));
}

static int rank_defaults(struct cell *c, char *err)
{
	c->size = c->wl->default_size;
	c->seed = DEFAULT_SEED;
	for (int p = 0; c->wl->params && c->wl->params[p].name; p++)
		if (parse_param(&c->wl->params[p], c->wl->params[p].def,
				    &c->param[p], err))
			return -1;
	return 0;
}

static int rank_option(struct cell *c, int opt, const char *arg, int *wire,
		       char *err)
{
	switch (opt) {
	case OPT_WIRE:
		*wire = 1;
		return 0;
	case 'n':
		return parse_size(arg, "-n", 0, UINT64_MAX / 2, &c->size, err);
	case 'V':
		c->variant = workload_variant(c->wl, arg);
		if (c->variant >= 0)
			return 0;
		snprintf(err, ERR_LEN, "-V: %s has no variant '%s'", c->wl->name, arg);
		return -1;
	case OPT_SEED:
		return parse_uint(arg, "--seed", 0, UINT64_MAX, &c->seed, err);
	}
	if (opt >= OPT_PARAM_BASE)
		return parse_param(&c->wl->params[opt - OPT_PARAM_BASE], arg,
				       &c->param[opt - OPT_PARAM_BASE], err);
	snprintf(err, ERR_LEN, "usage: tvp-mpi-%s [-n N] [-V VARIANT] [--seed N] [--OPTION VALUE]... [--wire] (options: 'tvp list')",
		 c->wl->name);
	return -1;
}

static int rank_parse(int argc, char **argv, struct cell *c, int *wire,
		      char *err)
{
	struct option opt[MAX_PARAMS + 4];
	int o;

	rank_options(c->wl, opt);
	if (rank_defaults(c, err))
		return -1;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "n:V:", opt, NULL)) != -1)
		if (rank_option(c, o, optarg, wire, err))
			return -1;
	if (optind < argc)
		return rank_option(c, '?', NULL, wire, err);
	return 0;
}

/* the results to tvp: the header, then every buffer, on stdout */
static void rank_send(const struct rank_out *out, double seconds)
{
	struct wire_header h = { .seconds = seconds, .n_bufs = (uint64_t)out->n };

	memcpy(h.magic, WIRE_MAGIC, sizeof(h.magic));
	for (int i = 0; i < out->n; i++)
		h.len[i] = out->len[i];
	if (fwrite(&h, sizeof(h), 1, stdout) != 1)
		rank_fail("writing results: %s", strerror(errno));
	for (int i = 0; i < out->n; i++)
		if (out->len[i] && fwrite(out->buf[i], out->len[i], 1, stdout) != 1)
			rank_fail("writing results: %s", strerror(errno));
	if (fflush(stdout) != 0)
		rank_fail("writing results: %s", strerror(errno));
}

/* run by hand: a line for a person, not bytes for tvp */
static void rank_show(const struct cell *c, double seconds)
{
	printf("tvp-mpi-%s: %d ranks, -n %llu, %.6f s on rank 0 (results are checked when tvp runs this)\n",
	       c->wl->name, c->workers, (unsigned long long)c->size, seconds);
}

static void rank_run(struct cell *c, int rank, int wire)
{
	struct rank_out out = { .n = 0 };
	double t0, t1;

	rank_program.setup(c, rank, &out);
	MPI_Barrier(MPI_COMM_WORLD);	/* every rank is ready: start the clock */
	t0 = MPI_Wtime();
	fault_point(c, FAULT_WORKER, rank);	/* tests: TVP_FAULT, rank = worker */
	rank_program.run(c, rank);
	t1 = MPI_Wtime();
	if (rank_program.collect)
		rank_program.collect(c, rank);
	if (rank == 0 && wire)
		rank_send(&out, t1 - t0);
	else if (rank == 0)
		rank_show(c, t1 - t0);
	rank_program.teardown(c);
}

int main(int argc, char **argv)
{
	/* with its back end, so TVP_FAULT's backend=mpi finds the ranks */
	struct cell c = { .wl = rank_program.wl, .be = backend_find("mpi") };
	char err[ERR_LEN];
	int rank, wire = 0;

	/*
	 * Die with our parent (mpirun here, orted on another host), like tvp's
	 * own workers: mpirun puts each rank in a process group of its own, so
	 * tvp's watchdog, which kills the runner's group, could not reach us.
	 * Should the parent already be gone, MPI_Init fails: no rank is left.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		perror("tvp-mpi: prctl(PR_SET_PDEATHSIG)");
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &c.workers);
	if (rank_parse(argc, argv, &c, &wire, err) ||
	    fault_set(getenv("TVP_FAULT"), err, sizeof(err))) {
		if (rank == 0)	/* every rank parsed the same words: one message */
			fprintf(stderr, "tvp-mpi-%s: %s\n", c.wl->name, err);
		MPI_Finalize();
		return EXIT_USAGE;
	}
	rank_run(&c, rank, wire);
	MPI_Finalize();
	return 0;
}

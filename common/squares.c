/*
 * squares.c - a CPU-bound map: out[i] = i*i, computed by workers, stored by
 * index.
 *
 * MODELS  the tutorial's "threads with return values": each worker computes
 *         squares and stores them at its own indexes of a shared results
 *         list, so nothing is locked and nothing is returned by a thread.
 * COST    --cost K runs each square through K steps of a 64-bit linear
 *         congruential generator, x = a*x + c. Every step depends on the
 *         previous one, so the compiler can neither skip nor overlap them,
 *         and the work per item grows with K: with K = 0 the map is bound by
 *         memory bandwidth, with K in the hundreds it is bound by the CPU and
 *         should scale with the cores.
 * CORRECT K affine steps compose into one affine map, x -> A*x + C (mod
 *         2^64), so verify() checks every element against A*i*i + C
 *         without repeating the chain.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "squares.h"
#include "sys/shm.h"

/* Knuth's MMIX multiplier and increment: full period modulo 2^64 */
#define LCG_A 6364136223846793005ULL
#define LCG_C 1442695040888963407ULL
#define MAX_COST 1000000

static const char *const squares_variants[] = { "default", NULL };

static const struct param_def squares_params[] = {
	[SQ_COST] = { "cost", PARAM_UINT, "100",
		      "steps of dependent arithmetic per item (0: memory-bound)",
		      0, MAX_COST, NULL },
	{ 0 },
};

/* noinline: the reference must not get a faster, inlined copy of its own */
__attribute__((noinline)) uint64_t squares_item(uint64_t i, uint64_t cost)
{
	uint64_t x = i * i;

	for (uint64_t k = 0; k < cost; k++)
		x = x * LCG_A + LCG_C;
	return x;
}

static uint64_t squares_footprint(const struct cell *c)
{
	if (c->size > UINT64_MAX / sizeof(uint64_t))
		return UINT64_MAX;	/* more than any machine: refused */
	return c->size * sizeof(uint64_t);
}

static int squares_setup(struct cell *c)
{
	struct squares *s = shm_alloc(sizeof(*s));

	if (!s)
		return -errno;
	s->n = c->size;
	s->cost = c->param[SQ_COST].u;
	s->out = shm_alloc(s->n * sizeof(*s->out));
	if (!s->out) {
		int rc = -errno;

		shm_free(s, sizeof(*s));
		return rc;
	}
	c->state = s;
	return 0;
}

/* poison, so a result left over from the previous run cannot pass */
static void squares_reset(struct cell *c)
{
	struct squares *s = c->state;

	memset(s->out, 0xff, s->n * sizeof(*s->out));
}

static int squares_reference(struct cell *c)
{
	struct squares *s = c->state;

	for (uint64_t i = 0; i < s->n; i++)
		s->out[i] = squares_item(i, s->cost);
	return 0;
}

/* the K-step chain as one affine map x -> a*x + b */
void squares_closed_form(uint64_t cost, uint64_t *a, uint64_t *b)
{
	*a = 1;
	*b = 0;
	for (uint64_t k = 0; k < cost; k++) {
		*a *= LCG_A;
		*b = *b * LCG_A + LCG_C;
	}
}

static enum verdict squares_verify(struct cell *c, char *detail, size_t len)
{
	struct squares *s = c->state;
	uint64_t a, b, bad = 0, first = 0;

	squares_closed_form(s->cost, &a, &b);
	for (uint64_t i = 0; i < s->n; i++)
		if (s->out[i] != a * (i * i) + b && bad++ == 0)
			first = i;
	if (bad) {
		snprintf(detail, len, "%" PRIu64 " of %" PRIu64
			 " wrong, first at [%" PRIu64 "]", bad, s->n, first);
		return VERDICT_NO;
	}
	snprintf(detail, len, "all %" PRIu64 " checked", s->n);
	return VERDICT_YES;
}

static double squares_work(const struct cell *c)
{
	return (double)c->size;
}

static void squares_teardown(struct cell *c)
{
	struct squares *s = c->state;

	shm_free(s->out, s->n * sizeof(*s->out));
	shm_free(s, sizeof(*s));
	c->state = NULL;
}

const struct workload workload_squares = {
	.name = "squares",
	.summary = "CPU-bound map: out[i] = i*i by index, --cost adds work per item",
	.description = "A CPU-bound map, the tutorial's threads with return values: each "
		"worker computes i*i for its block of indexes and stores it in a "
		"shared results array, so nothing is locked. --cost K passes every "
		"item through K dependent arithmetic steps: near 0 the map is bound "
		"by memory bandwidth, in the hundreds by the CPU, and it should "
		"scale with the cores. Every element is checked against a closed "
		"form.",
	.size_help = "items",
	.default_size = 2000000,
	.variants = squares_variants,
	.params = squares_params,
	.unit = "items/s",
	.footprint = squares_footprint,
	.setup = squares_setup,
	.reset = squares_reset,
	.reference = squares_reference,
	.verify = squares_verify,
	.work = squares_work,
	.teardown = squares_teardown,
};

/*
 * hello.h - the hello workload's timeline and the one call every back
 * end's hello.c makes: hello_greet(h, k), worker k's whole life.
 */
#ifndef TVP_HELLO_H
#define TVP_HELLO_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "tvp.h"

enum hello_param { HE_SLEEP, HE_TRACE };

/* worker k's line of the timeline, written only by worker k */
struct hello_line {
	_Alignas(CACHELINE_SIZE) atomic_uint starts;	/* 1 when correct */
	double start_s, end_s;	/* seconds since the run's start */
	uint64_t finished;	/* its place in finishing order, from 1 */
};

struct hello {
	int workers;
	uint64_t sleeps;		/* -n: sleeps per worker, in a row */
	double sleep_s;			/* --sleep */
	double t0;			/* CLOCK_MONOTONIC at the run's start */
	atomic_uint_fast64_t finished;	/* workers finished so far */
	struct hello_line *line;	/* shared, [workers] */
	FILE *trace;			/* --trace FILE, or NULL */
	uint64_t runs;			/* runs of this cell, for the trace */
};

/* worker k: note the start, sleep, note the finish (the tutorial's body) */
void hello_greet(struct hello *h, int k);

#endif

/*
 * squares.h - the squares workload's state and kernel, shared by every
 * back end's squares.c.
 */
#ifndef TVP_SQUARES_H
#define TVP_SQUARES_H

#include <stdint.h>

#include "tvp.h"

enum squares_param { SQ_COST };

struct squares {
	uint64_t *out;		/* shared: out[i] is item i's result */
	uint64_t n;
	uint64_t cost;		/* steps of the per-item dependent chain */
};

/*
 * Item i's result. Not inline, on purpose: every back end calls the very
 * same machine code, so only the way work is shared differs between them.
 */
uint64_t squares_item(uint64_t i, uint64_t cost);
/* its K steps as one map: squares_item(i, K) == a * i * i + b (mod 2^64) */
void squares_closed_form(uint64_t cost, uint64_t *a, uint64_t *b);

#endif

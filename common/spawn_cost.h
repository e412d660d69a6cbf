/*
 * spawn_cost.h - the spawn workload's state and the one job every started
 * worker does, shared by every back end's spawn.c.
 * (Not spawn.h: that name belongs to <spawn.h>, posix_spawn.)
 */
#ifndef TVP_SPAWN_COST_H
#define TVP_SPAWN_COST_H

#include <stdint.h>

#include "tvp.h"

enum spawn_variant { SPAWN_START, SPAWN_EXEC, SPAWN_FORK_MINIMAL };

struct spawn {
	/* shared: marks[id * rounds + round], one byte per worker started */
	unsigned char *marks;
	unsigned char *empty;	/* the empty reference's marks, never verified */
	uint64_t rounds;	/* -n: times the team is started and joined */
	uint64_t round;		/* the round being started; workers read it */
	int workers;
	int marks_fd;		/* exec, fork-minimal: the memfd behind marks, else -1 */
	/* processes start: what fork copied, the runner's mappings (0: unknown) */
	long parent_maps;
};

/* the whole job of worker `id` in round s->round: leave its mark */
void spawn_mark(struct spawn *s, int id);
/* where that mark lives, for a helper program that maps marks_fd */
uint64_t spawn_mark_index(const struct spawn *s, int id);
/* one round: start s->workers workers and wait for them; 0 or -1 (c->error) */
typedef int (*spawn_round_fn)(struct cell *c, void *arg);
/*
 * The measurement every back end shares: time -n rounds of `round`, then
 * set c->self_timed_s to that time minus the empty reference. 0 or -1.
 */
int spawn_rounds(struct cell *c, spawn_round_fn round, void *arg);
/*
 * EPCC: the seconds of `construct_s` that the construct itself cost, i.e.
 * minus the same rounds with every worker's job called directly (timed
 * now, the same way). Never negative: noise can make the difference so.
 */
double spawn_net_s(const struct spawn *s, double construct_s);

#endif

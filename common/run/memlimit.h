/*
 * memlimit.h - whether a run's buffers fit in the memory it may have.
 */
#ifndef TVP_MEMLIMIT_H
#define TVP_MEMLIMIT_H

#include <stddef.h>
#include <stdint.h>

/*
 * 1 if `need` bytes fit within RAM (less a fifth), the memory cgroup's
 * limit (likewise) and RLIMIT_AS (less what is mapped already); else 0,
 * with the limit it exceeds in why.
 */
int mem_fits(uint64_t need, char *why, size_t len);

#endif

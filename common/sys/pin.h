/*
 * pin.h - where workers run: `--pin none|compact|spread`.
 *
 * compact  worker k on the k-th allowed CPU in topology order (socket, core,
 *          hardware thread): a team fills a core's hardware threads and a
 *          socket's cores before it uses the next, sharing caches.
 * spread   workers spaced evenly over that order: a team of W gets W
 *          different cores whenever there are W cores to give.
 * none     the kernel places and migrates workers (the default).
 *
 * Threads and forked workers bind themselves with sched_setaffinity(). The
 * OpenMP runtime reads OMP_PLACES and OMP_PROC_BIND once, when it is loaded,
 * before main(); so `tvp run --pin` sets them and restarts itself
 * (pin_openmp_env()), and the pragmas stay untouched.
 */
#ifndef TVP_PIN_H
#define TVP_PIN_H

#include "tvp.h"

enum pin_policy { PIN_NONE = 0, PIN_COMPACT, PIN_SPREAD };

/* the driver's CPUs, carried across pin_openmp_env()'s restart */
#define PIN_AFFINITY_ENV "TVP_PIN_AFFINITY"

const char *pin_name(int policy);
/* "compact" -> PIN_COMPACT; 0, or -1 if arg is not one of pin_choices() */
int pin_parse(const char *arg, int *policy);
const char *pin_choices(void);	/* "none|compact|spread" */

/* which of n_cpus topology-ordered CPUs worker id of `workers` gets */
int pin_slot(int policy, int id, int workers, int n_cpus);
/*
 * Learn the allowed CPUs in topology order, once per process. A back end
 * calls it before it starts workers, so that forked children inherit the
 * answer instead of each reading sysfs inside the timed region. 0 or -errno.
 */
int pin_prepare(void);
/* bind the calling thread or process as c->pin says; 0 or -errno */
int pin_worker(const struct cell *c, int id);
/*
 * Put OMP_PLACES and OMP_PROC_BIND in the environment for policy: 1 when
 * that changed the environment (the caller must re-exec for the OpenMP
 * runtime to see it), 0 when it already held, -errno on failure.
 */
int pin_openmp_env(int policy);
/*
 * Call first thing in main(). When OMP_PROC_BIND is set, the OpenMP runtime
 * binds the initial thread to the first place as it loads, and every
 * runner and worker would inherit that one CPU. This gives the driver back
 * the CPUs it had before pin_openmp_env()'s restart (all CPUs the kernel
 * allows, if OMP_PROC_BIND came from the user). 0 or -errno.
 */
int pin_restore(void);

#endif

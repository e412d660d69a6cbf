/*
 * shm.h - memory that threads, forked children and OpenMP teams all share.
 *
 * Every buffer a worker writes comes from shm_alloc(): an anonymous
 * MAP_SHARED mapping. A fork()ed child sees the same pages (no copy on
 * write), and since the mapping has no name nothing can be left behind in
 * /dev/shm, whatever happens to the processes that use it.
 */
#ifndef TVP_SHM_H
#define TVP_SHM_H

#include <errno.h>
#include <pthread.h>
#include <stddef.h>

void *shm_alloc(size_t bytes);		/* zeroed; NULL with errno set */
int shm_free(void *p, size_t bytes);	/* 0 or -errno */
/*
 * Like shm_alloc(), backed by a memfd whose descriptor is stored in *fd
 * (the caller closes it after shm_free). A program started with exec keeps
 * no mappings, only descriptors: it can map the same memory from *fd. The
 * memfd has no name in /dev/shm and is not close-on-exec, on purpose.
 */
void *shm_alloc_fd(size_t bytes, int *fd);
/*
 * Map [p, p+bytes) into this process's page tables in one call. A freshly
 * forked child has no page-table entries for a shared mapping and would
 * otherwise take one page fault per 4 KiB it touches. For shared mappings
 * only (shm_alloc's): on private memory a read populate maps the zero
 * page, and every write would fault again. 0, or -errno; a kernel without
 * MADV_POPULATE_READ (before 5.14) counts as success.
 */
int shm_prefault(void *p, size_t bytes);

/*
 * Process-shared, robust locks for structures inside a shm_alloc() block.
 * Robust: if the owner dies holding the mutex, the next locker gets
 * EOWNERDEAD instead of waiting forever; shm_mutex_lock() marks the mutex
 * consistent and returns 1 so the caller can repair what it guards.
 */
int shm_mutex_init(pthread_mutex_t *m);	/* 0 or -errno */
/*
 * Process-shared but not robust: what a thread's default mutex is, shared.
 * Cheaper (glibc keeps no robust list entry per lock), but a holder that
 * dies leaves it locked for ever: whoever locks it next waits until killed.
 */
int shm_mutex_init_shared(pthread_mutex_t *m);
int shm_cond_init(pthread_cond_t *cv);	/* process-shared, CLOCK_MONOTONIC */

/*
 * Lock and unlock are inline: in a contended loop (the mutex counter) a
 * call into another file between unlock and the next lock cost the
 * processes back end a quarter of its rate against the same loop calling
 * pthread_mutex_lock directly (make bench-limits).
 * Lock: 0, 1 (the owner died; the lock is ours and consistent again), or
 * -errno. Unlock: 0 or -errno.
 */
static inline int shm_mutex_lock(pthread_mutex_t *m)
{
	int rc = pthread_mutex_lock(m);

	if (rc == EOWNERDEAD) {
		/* the holder died: the data may be half-updated, the lock is ours */
		rc = pthread_mutex_consistent(m);
		return rc ? -rc : 1;
	}
	return -rc;
}

static inline int shm_mutex_unlock(pthread_mutex_t *m)
{
	return -pthread_mutex_unlock(m);
}

#endif

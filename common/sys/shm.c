/*
 * shm.c - anonymous shared mappings and process-shared locks.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sys/checked.h"
#include "sys/fault.h"
#include "sys/shm.h"

void *shm_alloc(size_t bytes)
{
	int injected = fault_point(NULL, FAULT_ALLOC, -1);	/* tests: ENOMEM */
	void *p;

	if (injected) {
		errno = injected;
		return NULL;
	}
	if (bytes == 0)
		bytes = 1;	/* mmap refuses 0; one page costs nothing */
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void *shm_alloc_fd(size_t bytes, int *fd)
{
	void *p = MAP_FAILED;
	int err;

	*fd = memfd_create("tvp-shared", 0);
	if (*fd < 0)
		return NULL;
	if (bytes == 0)
		bytes = 1;
	if (ftruncate(*fd, (off_t)bytes) == 0)
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	if (p != MAP_FAILED)
		return p;
	err = errno;
	(void)close(*fd);	/* failing already: err says why */
	*fd = -1;
	errno = err;
	return NULL;
}

int shm_free(void *p, size_t bytes)
{
	if (!p)
		return 0;
	if (bytes == 0)
		bytes = 1;
	return munmap(p, bytes) == 0 ? 0 : -errno;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22	/* Linux 5.14; older headers lack it */
#endif

/*
 * Read, not write: the pages already exist (setup or an earlier run
 * touched them), and a read fault maps them with fault-around, 16 pages
 * a fault, where a write fault maps one. On a shared mapping they come in
 * writable, so no write fault follows (the same count of page faults).
 * Measured on spsc between processes, 4 MiB of log: the ring's rate rose
 * from 0.73 to 0.85 of the bare ring's.
 */
int shm_prefault(void *p, size_t bytes)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)p & ~(page - 1), hi = (uintptr_t)p + bytes;

	if (bytes == 0 || madvise((void *)lo, hi - lo, MADV_POPULATE_READ) == 0)
		return 0;
	return errno == EINVAL ? 0 : -errno;
}

static int shm_mutex_init_as(pthread_mutex_t *m, int robust)
{
	pthread_mutexattr_t a;
	int rc, drc;

	rc = pthread_mutexattr_init(&a);
	if (rc)
		return -rc;
	rc = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	if (!rc && robust)
		rc = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	if (!rc)
		rc = pthread_mutex_init(m, &a);
	drc = pthread_mutexattr_destroy(&a);
	if (drc && !rc) {	/* m is made and fine; the caller must not get it */
		rc = drc;
		WARN_PT(pthread_mutex_destroy(m));
	}
	return -rc;
}

int shm_mutex_init(pthread_mutex_t *m)
{
	return shm_mutex_init_as(m, 1);
}

int shm_mutex_init_shared(pthread_mutex_t *m)
{
	return shm_mutex_init_as(m, 0);
}

int shm_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t a;
	int rc, drc;

	rc = pthread_condattr_init(&a);
	if (rc)
		return -rc;
	rc = pthread_condattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	/* timed waits use the clock that a changed wall clock cannot move */
	if (!rc)
		rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	if (!rc)
		rc = pthread_cond_init(cv, &a);
	drc = pthread_condattr_destroy(&a);
	if (drc && !rc) {	/* cv is made and fine; the caller must not get it */
		rc = drc;
		WARN_PT(pthread_cond_destroy(cv));
	}
	return -rc;
}

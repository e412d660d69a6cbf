/*
 * fault.c - test-only fault injection (see fault.h; grammar in
 * tests/README.md).
 *
 * DESIGN
 * The spec is parsed once, in the driver, before any runner is forked, and
 * only read afterwards, so every runner, thread and worker process sees the
 * same one without locking. With no spec, a fault point is one load and one
 * branch. The faults are real ones, not simulations of their reports: a
 * killed worker is killed with SIGKILL, a failed pthread_create() returns
 * EAGAIN to the very code that handles a real EAGAIN, a failed allocation
 * makes shm_alloc() return NULL with errno ENOMEM. So the tests prove the
 * reporting and cleanup paths, not a copy of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/fault.h"
#include "sys/parse.h"

#define DEFAULT_FAULT_STATUS 3
#define MAX_FAULT_STATUS 255
#define MAX_FAULT_NTH 1000000
#define FAULT_NAME_LEN 32

enum fault_action {
	FAULT_NONE, FAULT_KILL, FAULT_ABORT, FAULT_STALL, FAULT_EXIT,
	FAULT_EAGAIN, FAULT_ENOMEM,
};

#define SITES_DIE ((1u << FAULT_WORKER) | (1u << FAULT_LOCKED))
#define SITES_ERR ((1u << FAULT_CREATE) | (1u << FAULT_ALLOC))

static const struct {
	const char *name;
	int err;		/* what an error action makes the call return */
	unsigned sites;		/* where it can happen */
	enum fault_site site;	/* where it happens unless a site is named */
} actions[] = {
	[FAULT_KILL] = { "kill", 0, SITES_DIE, FAULT_WORKER },
	[FAULT_ABORT] = { "abort", 0, SITES_DIE, FAULT_WORKER },
	[FAULT_STALL] = { "stall", 0, SITES_DIE, FAULT_WORKER },
	[FAULT_EXIT] = { "exit", 0, SITES_DIE, FAULT_WORKER },
	[FAULT_EAGAIN] = { "eagain", EAGAIN, SITES_ERR, FAULT_CREATE },
	[FAULT_ENOMEM] = { "enomem", ENOMEM, SITES_ERR, FAULT_ALLOC },
};

static const char *const site_names[] = {
	[FAULT_WORKER] = "worker", [FAULT_CREATE] = "create",
	[FAULT_ALLOC] = "alloc", [FAULT_LOCKED] = "locked",
};

#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))
#define N_SITES (sizeof(site_names) / sizeof(site_names[0]))

struct fault {
	enum fault_action action;
	enum fault_site site;
	uint64_t worker;	/* which worker */
	uint64_t status;	/* exit: the status */
	uint64_t nth;		/* alloc: which allocation of the cell fails */
	char backend[FAULT_NAME_LEN], workload[FAULT_NAME_LEN],
	     variant[FAULT_NAME_LEN];
};

static int backend_known(const char *v)
{
	return backend_find(v) != NULL;
}

static int workload_known(const char *v)
{
	return workload_find(v) != NULL;
}

static int variant_known(const char *v)
{
	for (size_t w = 0; w < n_workloads; w++)
		if (workload_variant(workloads[w], v) >= 0)
			return 1;
	return 0;
}

static const struct {
	const char *key;
	size_t off;
	uint64_t min, max;
} number_keys[] = {
	{ "worker", offsetof(struct fault, worker), 0, MAX_WORKERS - 1 },
	{ "status", offsetof(struct fault, status), 0, MAX_FAULT_STATUS },
	{ "nth", offsetof(struct fault, nth), 1, MAX_FAULT_NTH },
};

static const struct {
	const char *key;
	size_t off;
	int (*known)(const char *name);
} name_keys[] = {
	{ "backend", offsetof(struct fault, backend), backend_known },
	{ "workload", offsetof(struct fault, workload), workload_known },
	{ "variant", offsetof(struct fault, variant), variant_known },
};

static struct fault fault;
static const struct cell *fault_cell;
static atomic_ulong fault_allocs;
/*
 * Set where a fault fires, in whichever runner, worker or rank: one page
 * mapped MAP_SHARED before any fork, so the driver sees it when the run
 * is over and can say that a spec fired nowhere (fault_fired()).
 */
static atomic_int *fault_fired_flag;

static int lookup(const char *const *names, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && strlen(names[i]) == len &&
		    strncmp(names[i], s, len) == 0)
			return (int)i;
	return -1;
}

static int parse_action(const char *s, size_t len, struct fault *f)
{
	for (size_t i = 1; i < N_ACTIONS; i++)
		if (strlen(actions[i].name) == len &&
		    strncmp(actions[i].name, s, len) == 0) {
			f->action = (enum fault_action)i;
			f->site = actions[i].site;
			return 0;
		}
	return -1;
}

/* one KEY=VALUE item */
static int parse_key(const char *key, const char *v, struct fault *f)
{
	char err[ERR_LEN];

	for (size_t i = 0; i < sizeof(number_keys) / sizeof(number_keys[0]); i++)
		if (strcmp(key, number_keys[i].key) == 0)
			return parse_uint(v, key, number_keys[i].min,
					      number_keys[i].max,
					      (uint64_t *)((char *)f + number_keys[i].off),
					      err);
	for (size_t i = 0; i < sizeof(name_keys) / sizeof(name_keys[0]); i++)
		if (strcmp(key, name_keys[i].key) == 0) {
			if (!name_keys[i].known(v) || strlen(v) >= FAULT_NAME_LEN)
				return -1;
			strcpy((char *)f + name_keys[i].off, v);
			return 0;
		}
	return -1;
}

/* one item after the colon: a site name, or KEY=VALUE */
static int parse_item(char *item, struct fault *f)
{
	char *eq = strchr(item, '=');
	int site;

	if (eq) {
		*eq = 0;
		return parse_key(item, eq + 1, f);
	}
	site = lookup(site_names, N_SITES, item, strlen(item));
	if (site < 0 || !(actions[f->action].sites & (1u << site)))
		return -1;
	f->site = (enum fault_site)site;
	return 0;
}

static int parse_spec(const char *spec, struct fault *f)
{
	char buf[256], *save = NULL, *item;
	const char *colon = strchr(spec, ':');
	size_t alen = colon ? (size_t)(colon - spec) : strlen(spec);

	*f = (struct fault){ .status = DEFAULT_FAULT_STATUS, .nth = 1 };
	if (parse_action(spec, alen, f))
		return -1;
	if (!colon)
		return 0;
	if (strlen(colon + 1) >= sizeof(buf) || !colon[1] || strstr(colon, ",,") ||
	    colon[strlen(colon) - 1] == ',')
		return -1;
	strcpy(buf, colon + 1);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save))
		if (parse_item(item, f))
			return -1;
	return 0;
}

int fault_set(const char *spec, char *err, size_t len)
{
	struct fault f = { 0 };

	if (spec && *spec && parse_spec(spec, &f)) {
		snprintf(err, len, "TVP_FAULT: expected kill|abort|stall|exit|eagain|enomem[:ITEM,...], ITEM a site or worker=K, status=N, nth=N, backend=, workload=, variant= (tests/README.md), got '%.48s'",
			 spec);
		return -1;
	}
	fault = f;
	fault_cell = NULL;
	atomic_store(&fault_allocs, 0);
	if (f.action != FAULT_NONE && !fault_fired_flag) {
		void *p = mmap(NULL, sizeof(*fault_fired_flag),
			       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED) {
			snprintf(err, len, "TVP_FAULT: mmap: %s", strerror(errno));
			return -1;
		}
		fault_fired_flag = p;
	}
	if (fault_fired_flag)
		atomic_store(fault_fired_flag, 0);
	return 0;
}

void fault_enter(const struct cell *c)
{
	fault_cell = c;
	atomic_store(&fault_allocs, 0);
}

/* the spec's backend=, workload= and variant= admit this cell */
static int fault_matches_cell(const struct cell *c)
{
	return c &&
	       !(fault.backend[0] && (!c->be || strcmp(c->be->name, fault.backend))) &&
	       !(fault.workload[0] && strcmp(c->wl->name, fault.workload)) &&
	       !(fault.variant[0] &&
		 strcmp(workload_variant_name(c->wl, c->variant), fault.variant));
}

static int fault_matches(const struct cell *c, enum fault_site site, int worker)
{
	if (fault.action == FAULT_NONE || site != fault.site ||
	    !fault_matches_cell(c))
		return 0;
	if (site == FAULT_ALLOC)	/* count this cell's allocations */
		return atomic_fetch_add(&fault_allocs, 1) + 1 == fault.nth;
	return worker >= 0 && (uint64_t)worker == fault.worker;
}

int fault_point(const struct cell *c, enum fault_site site, int worker)
{
	static const struct rlimit no_core = { 0, 0 };

	if (fault.action == FAULT_NONE)
		return 0;
	if (!fault_matches(c ? c : fault_cell, site, worker))
		return 0;
	fault_mark_fired();
	switch (fault.action) {
	case FAULT_KILL:
		/* to ourselves, SIGKILL cannot fail (EPERM, ESRCH, EINVAL) */
		(void)kill(getpid(), SIGKILL);
		break;
	case FAULT_ABORT:
		/* a test leaves no core file; lowering cannot fail, abort() follows */
		(void)setrlimit(RLIMIT_CORE, &no_core);
		abort();
	case FAULT_STALL:
		for (;;)
			pause();
	case FAULT_EXIT:
		/*
		 * _exit() itself, as the system call: ThreadSanitizer's _exit
		 * hook waits for the other threads, which a worker thread's
		 * exit must not do.
		 */
		syscall(SYS_exit_group, (int)fault.status);
		break;
	default:
		break;
	}
	return actions[fault.action].err;
}

int fault_armed(void)
{
	return fault.action != FAULT_NONE;
}

void fault_mark_fired(void)
{
	/* another program (an MPI rank) leaves a file for its launcher */
	const char *mark = getenv(FAULT_MARK_ENV);
	int fd;

	if (fault_fired_flag)
		atomic_store(fault_fired_flag, 1);
	if (!mark || !*mark)
		return;
	fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)	/* the mark is the file's being there: nothing written */
		(void)close(fd);
}

int fault_fired(void)
{
	return fault_fired_flag && atomic_load(fault_fired_flag);
}

int fault_describe(const struct cell *c, enum fault_site site, char *buf,
		   size_t len)
{
	if (fault.action == FAULT_NONE || site != fault.site ||
	    !fault_matches_cell(c))
		return 0;
	snprintf(buf, len, "%s:%llu:%llu", actions[fault.action].name,
		 (unsigned long long)fault.worker,
		 (unsigned long long)fault.status);
	return 1;
}

int fault_worker(void)
{
	return (int)fault.worker;
}

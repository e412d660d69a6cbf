/*
 * pin.c - worker placement. The CPU order is read once per process from
 * sysfs (package, then core, then CPU number), restricted to the CPUs this
 * process may use (taskset, cgroups), so a pinned worker never lands on a
 * CPU it is not allowed on.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/info.h"
#include "sys/pin.h"

static const struct {
	const char *name;
	const char *omp_places, *omp_proc_bind;	/* the OpenMP equivalent */
} pin_policies[] = {
	[PIN_NONE] = { "none", NULL, NULL },
	[PIN_COMPACT] = { "compact", "threads", "close" },
	[PIN_SPREAD] = { "spread", "cores", "spread" },
};
#define N_POLICIES (sizeof(pin_policies) / sizeof(pin_policies[0]))

struct cpu_place {
	int cpu, package, core;
};

static struct {
	pthread_once_t once;
	int err;			/* 0 or -errno from reading the order */
	int n;
	int cpu[CPU_SETSIZE];		/* allowed CPUs in topology order */
} order = { .once = PTHREAD_ONCE_INIT };

const char *pin_name(int policy)
{
	return policy >= 0 && (size_t)policy < N_POLICIES ?
	       pin_policies[policy].name : "?";
}

const char *pin_choices(void)
{
	return "none|compact|spread";
}

int pin_parse(const char *arg, int *policy)
{
	for (size_t i = 0; arg && i < N_POLICIES; i++)
		if (strcmp(arg, pin_policies[i].name) == 0) {
			*policy = (int)i;
			return 0;
		}
	return -1;
}

int pin_slot(int policy, int id, int workers, int n_cpus)
{
	if (n_cpus < 1)
		return 0;
	/* more workers than CPUs: both policies wrap round, compact-style */
	if (policy == PIN_SPREAD && workers <= n_cpus)
		return (int)((long)id * n_cpus / workers);
	return id % n_cpus;
}

static int place_cmp(const void *a, const void *b)
{
	const struct cpu_place *x = a, *y = b;

	if (x->package != y->package)
		return x->package < y->package ? -1 : 1;
	if (x->core != y->core)
		return x->core < y->core ? -1 : 1;
	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

static void order_read(void)
{
	struct cpu_place *p = malloc(CPU_SETSIZE * sizeof(*p));
	cpu_set_t allowed;
	int n = 0;

	if (!p) {
		order.err = -ENOMEM;
		return;
	}
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
		order.err = -errno;
		free(p);
		return;
	}
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed))
			continue;
		p[n] = (struct cpu_place){ .cpu = cpu };
		/* no sysfs topology: package 0, core = CPU, i.e. CPU order */
		if (info_cpu_topology(cpu, &p[n].package, &p[n].core))
			p[n].core = cpu;
		n++;
	}
	qsort(p, (size_t)n, sizeof(*p), place_cmp);
	for (int i = 0; i < n; i++)
		order.cpu[i] = p[i].cpu;
	order.n = n;
	free(p);
}

int pin_prepare(void)
{
	int rc = pthread_once(&order.once, order_read);

	if (rc)
		return -rc;
	return order.err ? order.err : order.n > 0 ? 0 : -ESRCH;
}

int pin_worker(const struct cell *c, int id)
{
	cpu_set_t one;
	int rc;

	if (c->pin == PIN_NONE)
		return 0;
	rc = pin_prepare();
	if (rc)
		return rc;
	CPU_ZERO(&one);
	CPU_SET(order.cpu[pin_slot(c->pin, id, c->workers, order.n)], &one);
	/* pid 0: the calling thread alone, so each thread of a team binds itself */
	return sched_setaffinity(0, sizeof(one), &one) == 0 ? 0 : -errno;
}

/* this thread's CPUs as "0,1,5", to survive the exec in an environment variable */
static int remember_affinity(void)
{
	char list[CPU_SETSIZE * 5];
	size_t used = 0;
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return -errno;
	list[0] = 0;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%d",
						 used ? "," : "", cpu);
	return setenv(PIN_AFFINITY_ENV, list, 1) == 0 ? 0 : -errno;
}

static int env_differs(const char *name, const char *value)
{
	const char *now = getenv(name);

	return !now || strcmp(now, value) != 0;
}

int pin_openmp_env(int policy)
{
	const char *places, *bind;
	int rc;

	if (policy <= PIN_NONE || (size_t)policy >= N_POLICIES)
		return 0;
	places = pin_policies[policy].omp_places;
	bind = pin_policies[policy].omp_proc_bind;
	if (!env_differs("OMP_PLACES", places) && !env_differs("OMP_PROC_BIND", bind))
		return 0;
	rc = remember_affinity();
	if (rc)
		return rc;
	if (setenv("OMP_PLACES", places, 1) || setenv("OMP_PROC_BIND", bind, 1))
		return -errno;
	return 1;
}

static void parse_cpu_list(const char *s, cpu_set_t *set)
{
	char *end;

	CPU_ZERO(set);
	while (*s) {
		long cpu = strtol(s, &end, 10);

		if (end == s)
			break;
		if (cpu >= 0 && cpu < CPU_SETSIZE)
			CPU_SET((int)cpu, set);
		s = *end == ',' ? end + 1 : end;
	}
}

int pin_restore(void)
{
	const char *saved = getenv(PIN_AFFINITY_ENV);
	const char *bind = getenv("OMP_PROC_BIND");
	cpu_set_t set;

	if (saved) {
		parse_cpu_list(saved, &set);
		if (unsetenv(PIN_AFFINITY_ENV) != 0)
			return -errno;
	} else if (bind && strcmp(bind, "false") != 0) {
		/* bound by a user's OMP_PROC_BIND: widen to every CPU the kernel allows */
		CPU_ZERO(&set);
		for (long cpu = 0; cpu < CPU_SETSIZE; cpu++)
			CPU_SET((int)cpu, &set);
	} else {
		return 0;
	}
	if (CPU_COUNT(&set) == 0 || sched_setaffinity(0, sizeof(set), &set) != 0)
		return CPU_COUNT(&set) ? -errno : -EINVAL;
	return 0;
}

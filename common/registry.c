/*
 * registry.c - the workload and back-end tables, generated from the .def
 * lists, and the look-ups everybody uses. Adding an entry edits a .def file,
 * never this one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tvp.h"

#define BACKEND(x) extern const struct backend backend_##x;
#include "backends.def"
#undef BACKEND

const struct workload *const workloads[] = {
#define WORKLOAD(x) &workload_##x,
#include "workloads.def"
#undef WORKLOAD
};
const size_t n_workloads = sizeof(workloads) / sizeof(workloads[0]);

const struct backend *const backends[] = {
#define BACKEND(x) &backend_##x,
#include "backends.def"
#undef BACKEND
};
const size_t n_backends = sizeof(backends) / sizeof(backends[0]);

const struct workload *workload_find(const char *name)
{
	for (size_t i = 0; i < n_workloads; i++)
		if (strcmp(workloads[i]->name, name) == 0)
			return workloads[i];
	return NULL;
}

const struct backend *backend_find(const char *name)
{
	for (size_t i = 0; i < n_backends; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

int workload_variant(const struct workload *wl, const char *name)
{
	for (int v = 0; wl->variants[v]; v++)
		if (strcmp(wl->variants[v], name) == 0)
			return v;
	return -1;
}

const char *workload_variant_name(const struct workload *wl, int v)
{
	return wl->variants[v];
}

int workload_param(const struct workload *wl, const char *name)
{
	for (int p = 0; wl->params && wl->params[p].name; p++)
		if (strcmp(wl->params[p].name, name) == 0)
			return p;
	return -1;
}

int backend_param(const struct backend *be, const char *name)
{
	for (int p = 0; be->params && be->params[p].name; p++)
		if (strcmp(be->params[p].name, name) == 0)
			return p;
	return -1;
}

static int listed(const char *const *names, const char *name)
{
	if (!names)
		return 1;
	for (; *names; names++)
		if (strcmp(*names, name) == 0)
			return 1;
	return 0;
}

/* The run function for this workload and variant, or NULL if the model has none. */
run_fn backend_runner(const struct backend *be, const struct workload *wl,
		      int variant)
{
	for (const struct backend_entry *e = be->entries; e->run; e++) {
		if (e->workload && e->workload != wl)
			continue;
		if (listed(e->variants, wl->variants[variant]))
			return e->run;
	}
	return NULL;
}

void cell_fail(struct cell *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
}

void block_range(uint64_t n, int w, int k, uint64_t *lo, uint64_t *hi)
{
	uint64_t base = n / (uint64_t)w, extra = n % (uint64_t)w;
	uint64_t uk = (uint64_t)k;

	/* the first `extra` workers take one item more */
	*lo = uk * base + (uk < extra ? uk : extra);
	*hi = *lo + base + (uk < extra ? 1 : 0);
}

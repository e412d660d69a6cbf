/*
 * report_json.c - one JSON object: schema, machine, config, results, built
 * with jansson. The result objects carry the CSV columns, as DESIGN.md
 * fixes them, then the rest of the statistics (mean, MAD, outliers, noisy,
 * CPU/wall, Karp-Flatt) and each counted repetition's seconds, `samples_s`,
 * which `tvp compare` reads.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "report/report.h"
#include "sys/pin.h"

/* nine significant digits, as the CSV: enough to tell 1 ns in 1 s */
#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(9))

/*
 * jansson's setters take a NULL value (a failed allocation below) and
 * return -1: every set and append goes through these, so one failure
 * anywhere clears *ok and the report is not written half.
 */
static void put(json_t *o, const char *key, json_t *v, int *ok)
{
	if (json_object_set_new(o, key, v) != 0)
		*ok = 0;
}

static void append(json_t *a, json_t *v, int *ok)
{
	if (json_array_append_new(a, v) != 0)
		*ok = 0;
}

/* a number, or null where there is none (speedup without a reference) */
static json_t *json_num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *json_machine(const struct machine_info *m)
{
	return json_pack("{s:s, s:I, s:i, s:s, s:i, s:i, s:i, s:i, s:s, s:s, s:o,"
			 " s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
		"cpu_model", m->cpu_model, "cpus_online", (json_int_t)m->cpus_online,
		"cpus_allowed", m->cpus_allowed,
		"cpus_allowed_list", m->cpus_allowed_list, "cores", m->cores,
		"sockets", m->sockets, "threads_per_core", m->threads_per_core,
		"numa_nodes", m->numa_nodes, "caches", m->caches,
		"caches_source", m->caches_source,
		"memory_gib", json_num(m->memory_gib),
		"cpufreq_governor", m->governor, "kernel", m->kernel,
		"libc", m->libc, "compiler", m->compiler, "openmp", m->openmp,
		"openmp_env", m->omp_env, "clocksource", m->clocksource,
		"clock_resolution_s", json_num(m->clock_res_s),
		"loadavg_1m", json_num(m->loadavg_1m >= 0 ? m->loadavg_1m : NAN));
}

static json_t *json_names(const char *(*name)(const void *), const void *const *v,
			  size_t n, int *ok)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		append(a, json_string(name(v[i])), ok);
	return a;
}

static const char *wl_name(const void *p) { return ((const struct workload *)p)->name; }
static const char *be_name(const void *p) { return ((const struct backend *)p)->name; }

static json_t *json_config(const struct config *c, int *ok)
{
	json_t *o = json_object(), *workers = json_array(), *opts = json_object();

	for (size_t i = 0; workers && i < c->n_workers; i++)
		append(workers, json_integer(c->workers[i]), ok);
	for (size_t i = 0; opts && i < c->n_opt; i++)
		put(opts, c->opt[i].name, json_string(c->opt[i].value), ok);
	if (!o) {
		*ok = 0;
		json_decref(workers);
		json_decref(opts);
		return NULL;
	}
	put(o, "workloads", json_names(wl_name, (const void *const *)c->wl, c->n_wl, ok), ok);
	put(o, "backends", json_names(be_name, (const void *const *)c->be, c->n_be, ok), ok);
	put(o, "workers", workers, ok);
	if (c->size_set)
		put(o, "size", json_integer((json_int_t)c->size), ok);
	put(o, "reps", json_integer(c->reps), ok);
	put(o, "warmup", json_integer(c->warmup), ok);
	put(o, "timeout_s", json_real(c->timeout_s), ok);
	put(o, "seed", json_integer((json_int_t)c->seed), ok);
	put(o, "pin", json_string(pin_name(c->pin)), ok);
	put(o, "interleave", json_boolean(c->interleave), ok);
	put(o, "busy_threshold", json_real(c->busy_threshold), ok);
	put(o, "retries", json_integer(c->retries), ok);
	put(o, "quiet_wait_s", json_real(c->quiet_wait_s), ok);
	put(o, "options", opts, ok);
	return o;
}

/* the run's host figures (host.h), as the footers say them */
static json_t *json_host(const struct host_run *h, int *ok)
{
	json_t *o;

	if (!h)
		return json_null();
	o = json_object();
	if (!o) {
		*ok = 0;
		return NULL;
	}
	put(o, "cpus", json_integer(h->cpus), ok);
	put(o, "windows", json_integer((json_int_t)h->windows), ok);
	put(o, "foreign_cpus_median", json_num(h->foreign_median), ok);
	put(o, "foreign_cpus_max", json_num(h->foreign_max), ok);
	put(o, "steal_cpus", json_num(h->steal), ok);
	put(o, "cpu_pressure", json_num(h->pressure), ok);
	put(o, "busy_cells", json_integer((json_int_t)h->busy_cells), ok);
	put(o, "retried", json_integer((json_int_t)h->retried), ok);
	return o;
}

static json_t *json_value(const struct data_col *d, const struct cell_result *r,
			  int *ok)
{
	json_t *a;
	long long v;

	switch (d->kind) {
	case DATA_STR:
		return json_string(d->str(r));
	case DATA_INT:
		v = d->integer(r);
		return v == LLONG_MIN ? json_null() : json_integer(v);
	case DATA_BOOL:
		return json_boolean(d->integer(r));
	case DATA_REAL:
		return json_num(d->real(r));
	case DATA_SAMPLES:
		a = json_array();
		for (int i = 0; a && r->wall && i < r->reps; i++)
			append(a, json_real(r->wall[i]), ok);
		return a;
	}
	return json_null();
}

static json_t *json_result(const struct report *rep, const struct cell_result *r,
			   int *ok)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < report_n_data_cols; i++)
		if (report_data_shown(rep, i))
			put(o, report_data_cols[i].name,
			    json_value(&report_data_cols[i], r, ok), ok);
	return o;
}

static json_t *json_report(const struct report *r, int *ok)
{
	json_t *root = json_object(), *results = json_array();

	for (size_t i = 0; results && i < r->n; i++)
		append(results, json_result(r, &r->rows[i], ok), ok);
	if (!root) {
		json_decref(results);
		return NULL;
	}
	put(root, "schema", json_string(REPORT_SCHEMA), ok);
	put(root, "tvp_version", json_string(TVP_VERSION), ok);
	/* an interrupted run: its results are the cells that completed */
	put(root, "partial", json_boolean(r->partial != NULL), ok);
	put(root, "partial_reason", json_string(r->partial ? r->partial : ""), ok);
	put(root, "machine", json_machine(r->machine), ok);
	put(root, "host", json_host(r->host, ok), ok);
	put(root, "config", json_config(r->cfg, ok), ok);
	put(root, "results", results, ok);
	return root;
}

void report_json(FILE *f, const struct report *r)
{
	int ok = 1;
	json_t *root = json_report(r, &ok);

	if (!root || !ok)
		fprintf(stderr, "tvp: building the JSON report: %s\n", strerror(ENOMEM));
	else if (json_dumpf(root, f, JSON_FLAGS) != 0)
		fprintf(stderr, "tvp: writing the JSON report: %s\n", strerror(errno));
	else
		fputc('\n', f);
	json_decref(root);
}

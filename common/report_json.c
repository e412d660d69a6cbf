/*
 * report_json.c - one JSON object: schema, machine, config, results. The
 * result objects carry the CSV columns, as DESIGN.md fixes them, then the
 * rest of the statistics (mean, MAD, outliers, noisy, CPU/wall, Karp-Flatt).
 */
#include <math.h>

#include "pin.h"
#include "report.h"

static void json_num(FILE *f, const char *key, double v, int more)
{
	fprintf(f, "\"%s\": ", key);
	if (isfinite(v))
		fprintf(f, "%.9g", v);
	else
		fputs("null", f);
	fputs(more ? ", " : "", f);
}

static void json_str(FILE *f, const char *key, const char *v, int more)
{
	fprintf(f, "\"%s\": ", key);
	report_json_string(f, v);
	fputs(more ? ", " : "", f);
}

static void json_machine(FILE *f, const struct machine_info *m)
{
	fputs("  \"machine\": {", f);
	json_str(f, "cpu_model", m->cpu_model, 1);
	json_num(f, "cpus_online", (double)m->cpus_online, 1);
	json_num(f, "cpus_allowed", m->cpus_allowed, 1);
	json_str(f, "cpus_allowed_list", m->cpus_allowed_list, 1);
	json_num(f, "cores", m->cores, 1);
	json_num(f, "sockets", m->sockets, 1);
	json_num(f, "threads_per_core", m->threads_per_core, 1);
	json_num(f, "numa_nodes", m->numa_nodes, 1);
	json_str(f, "caches", m->caches, 1);
	json_str(f, "caches_source", m->caches_source, 1);
	json_num(f, "memory_gib", m->memory_gib, 1);
	json_str(f, "cpufreq_governor", m->governor, 1);
	json_str(f, "kernel", m->kernel, 1);
	json_str(f, "libc", m->libc, 1);
	json_str(f, "compiler", m->compiler, 1);
	json_str(f, "openmp", m->openmp, 1);
	json_str(f, "openmp_env", m->omp_env, 1);
	json_str(f, "clocksource", m->clocksource, 1);
	json_num(f, "clock_resolution_s", m->clock_res_s, 1);
	json_num(f, "loadavg_1m", m->loadavg_1m >= 0 ? m->loadavg_1m : NAN, 0);
	fputs("},\n", f);
}

static void json_config(FILE *f, const struct config *c)
{
	fputs("  \"config\": {\"workloads\": [", f);
	for (size_t i = 0; i < c->n_wl; i++) {
		report_json_string(f, c->wl[i]->name);
		fputs(i + 1 < c->n_wl ? ", " : "", f);
	}
	fputs("], \"backends\": [", f);
	for (size_t i = 0; i < c->n_be; i++) {
		report_json_string(f, c->be[i]->name);
		fputs(i + 1 < c->n_be ? ", " : "", f);
	}
	fputs("], \"workers\": [", f);
	for (size_t i = 0; i < c->n_workers; i++)
		fprintf(f, "%d%s", c->workers[i], i + 1 < c->n_workers ? ", " : "");
	fputs("], ", f);
	if (c->size_set)
		json_num(f, "size", (double)c->size, 1);
	json_num(f, "reps", c->reps, 1);
	json_num(f, "warmup", c->warmup, 1);
	json_num(f, "timeout_s", c->timeout_s, 1);
	json_num(f, "seed", (double)c->seed, 1);
	json_str(f, "pin", pin_name(c->pin), 1);
	fputs("\"options\": {", f);
	for (size_t i = 0; i < c->n_opt; i++)
		json_str(f, c->opt[i].name, c->opt[i].value, i + 1 < c->n_opt);
	fputs("}},\n", f);
}

/* beyond the contract's columns: the rest of the statistics */
static void json_extra(FILE *f, const struct cell_result *r)
{
	int ok = r->reps > 0;

	json_num(f, "mean_s", ok ? r->st.mean : NAN, 1);
	json_num(f, "mad_s", ok ? r->st.mad : NAN, 1);
	json_num(f, "outliers", ok ? (double)r->st.outliers : NAN, 1);
	fprintf(f, "\"noisy\": %s, ", ok && stats_noisy(&r->st) ? "true" : "false");
	json_num(f, "cpu_wall", report_cpu_wall(r), 1);
	json_num(f, "karp_flatt", r->karp_flatt, 0);
}

static void json_result(FILE *f, const struct cell_result *r, int more)
{
	int ok = r->reps > 0;

	fputs("    {", f);
	json_str(f, "workload", r->wl->name, 1);
	json_str(f, "variant", workload_variant_name(r->wl, r->variant), 1);
	json_str(f, "backend", r->be->name, 1);
	json_num(f, "workers", r->workers, 1);
	json_num(f, "size", (double)r->size, 1);
	json_num(f, "reps", r->reps, 1);
	json_num(f, "median_s", ok ? r->st.median : NAN, 1);
	json_num(f, "min_s", ok ? r->st.min : NAN, 1);
	json_num(f, "max_s", ok ? r->st.max : NAN, 1);
	json_num(f, "stddev_s", ok ? r->st.stddev : NAN, 1);
	json_num(f, "speedup", r->speedup, 1);
	json_num(f, "efficiency", r->efficiency, 1);
	json_num(f, "throughput", r->throughput, 1);
	json_str(f, "throughput_unit", r->wl->unit, 1);
	json_num(f, "user_s", r->user_s, 1);
	json_num(f, "sys_s", r->sys_s, 1);
	json_num(f, "ctxsw_vol", r->ctxsw_vol, 1);
	json_num(f, "ctxsw_invol", r->ctxsw_invol, 1);
	json_num(f, "maxrss_kb", (double)r->maxrss_kb, 1);
	json_str(f, "verified", report_verified(r), 1);
	json_str(f, "detail", r->detail, 1);
	json_extra(f, r);
	fputs(more ? "},\n" : "}\n", f);
}

void report_json(FILE *f, const struct report *r)
{
	fputs("{\n  \"schema\": ", f);
	report_json_string(f, REPORT_SCHEMA);
	fprintf(f, ",\n  \"tvp_version\": \"%s\",\n", TVP_VERSION);
	json_machine(f, r->machine);
	json_config(f, r->cfg);
	fputs("  \"results\": [\n", f);
	for (size_t i = 0; i < r->n; i++)
		json_result(f, &r->rows[i], i + 1 < r->n);
	fputs("  ]\n}\n", f);
}

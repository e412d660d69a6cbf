/*
 * report_columns.c - the columns every format is built from, once: the
 * people's (table, Markdown, HTML), formatted for reading, and the data's
 * (CSV and JSON), in the contract's order of DESIGN.md. --columns picks
 * from both by name; each people's column knows which data columns carry
 * its numbers, so one list serves every format.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "sys/parse.h"

const char *const report_col_names[N_COLS] = {
	"workload", "variant", "backend", "W", "median", "min", "max",
	"speedup", "eff", "cpu", "cpu/wall", "throughput", "verified", "detail",
};

int report_col_numeric(int c)
{
	return c == C_WORKERS || (c >= C_MEDIAN && c <= C_THROUGHPUT);
}

static void fmt_ratio(double v, const char *fmt, char *buf)
{
	if (isfinite(v))
		snprintf(buf, CELL_LEN, fmt, v);
	else
		snprintf(buf, CELL_LEN, "-");
}

static void fmt_time(const struct cell_result *r, double s, char *buf)
{
	if (r->reps)
		report_time(s, buf, CELL_LEN);
	else
		snprintf(buf, CELL_LEN, "-");
}

void report_row_cells(const struct cell_result *r, char cell[N_COLS][CELL_LEN])
{
	snprintf(cell[C_WORKLOAD], CELL_LEN, "%s", r->wl->name);
	snprintf(cell[C_VARIANT], CELL_LEN, "%s",
		 workload_variant_name(r->wl, r->variant));
	snprintf(cell[C_BACKEND], CELL_LEN, "%s", r->be->name);
	snprintf(cell[C_WORKERS], CELL_LEN, "%d", r->workers);
	fmt_time(r, r->st.median, cell[C_MEDIAN]);
	fmt_time(r, r->st.min, cell[C_MIN]);
	fmt_time(r, r->st.max, cell[C_MAX]);
	fmt_ratio(r->speedup, "%.2f", cell[C_SPEEDUP]);
	fmt_ratio(r->efficiency, "%.2f", cell[C_EFF]);
	fmt_time(r, r->user_s + r->sys_s, cell[C_CPU_S]);
	fmt_ratio(report_cpu_wall(r), "%.2f", cell[C_CPU]);
	report_rate(r->throughput, r->wl->unit, cell[C_THROUGHPUT], CELL_LEN);
	snprintf(cell[C_VERIFIED], CELL_LEN, "%s", report_verified(r));
	snprintf(cell[C_DETAIL], CELL_LEN, "%s", r->detail);
}

/* ---- the data columns: one getter each ---------------------------------- */

#define OK(r) ((r)->reps > 0)

static const char *d_workload(const struct cell_result *r) { return r->wl->name; }
static const char *d_variant(const struct cell_result *r)
{
	return workload_variant_name(r->wl, r->variant);
}
static const char *d_backend(const struct cell_result *r) { return r->be->name; }
static const char *d_unit(const struct cell_result *r) { return r->wl->unit; }
static const char *d_detail(const struct cell_result *r) { return r->detail; }
static long long d_workers(const struct cell_result *r) { return r->workers; }
static long long d_size(const struct cell_result *r) { return (long long)r->size; }
static long long d_reps(const struct cell_result *r) { return r->reps; }
static long long d_maxrss(const struct cell_result *r) { return r->maxrss_kb; }
static long long d_busy(const struct cell_result *r) { return r->busy_reps; }
static long long d_retried(const struct cell_result *r) { return r->retried; }
static long long d_outliers(const struct cell_result *r)
{
	return OK(r) ? (long long)r->st.outliers : LLONG_MIN;
}
static long long d_noisy(const struct cell_result *r)
{
	return OK(r) && stats_noisy(&r->st);
}
static double d_median(const struct cell_result *r) { return OK(r) ? r->st.median : NAN; }
static double d_min(const struct cell_result *r) { return OK(r) ? r->st.min : NAN; }
static double d_max(const struct cell_result *r) { return OK(r) ? r->st.max : NAN; }
static double d_stddev(const struct cell_result *r) { return OK(r) ? r->st.stddev : NAN; }
static double d_mean(const struct cell_result *r) { return OK(r) ? r->st.mean : NAN; }
static double d_mad(const struct cell_result *r) { return OK(r) ? r->st.mad : NAN; }
static double d_speedup(const struct cell_result *r) { return r->speedup; }
static double d_eff(const struct cell_result *r) { return r->efficiency; }
static double d_thr(const struct cell_result *r) { return r->throughput; }
static double d_user(const struct cell_result *r) { return r->user_s; }
static double d_sys(const struct cell_result *r) { return r->sys_s; }
static double d_vol(const struct cell_result *r) { return r->ctxsw_vol; }
static double d_invol(const struct cell_result *r) { return r->ctxsw_invol; }
static double d_foreign(const struct cell_result *r) { return r->foreign_cpus; }
static double d_kf(const struct cell_result *r) { return r->karp_flatt; }

#define S(n, g, c) { n, DATA_STR, NULL, 0, g, NULL, NULL, c }
#define I(n, g, c, j) { n, DATA_INT, NULL, j, NULL, g, NULL, c }
#define R(n, g, f, c, j) { n, DATA_REAL, f, j, NULL, NULL, g, c }

const struct data_col report_data_cols[] = {
	S("workload", d_workload, C_WORKLOAD),
	S("variant", d_variant, C_VARIANT),
	S("backend", d_backend, C_BACKEND),
	I("workers", d_workers, C_WORKERS, 0),
	I("size", d_size, -1, 0),
	I("reps", d_reps, -1, 0),
	R("median_s", d_median, "%.9g", C_MEDIAN, 0),
	R("min_s", d_min, "%.9g", C_MIN, 0),
	R("max_s", d_max, "%.9g", C_MAX, 0),
	R("stddev_s", d_stddev, "%.9g", -1, 0),
	R("speedup", d_speedup, "%.9g", C_SPEEDUP, 0),
	R("efficiency", d_eff, "%.9g", C_EFF, 0),
	R("throughput", d_thr, "%.9g", C_THROUGHPUT, 0),
	S("throughput_unit", d_unit, C_THROUGHPUT),
	R("user_s", d_user, "%.6f", C_CPU_S, 0),
	R("sys_s", d_sys, "%.6f", C_CPU_S, 0),
	R("ctxsw_vol", d_vol, "%.1f", -1, 0),
	R("ctxsw_invol", d_invol, "%.1f", -1, 0),
	I("maxrss_kb", d_maxrss, -1, 0),
	S("verified", report_verified, C_VERIFIED),
	S("detail", d_detail, C_DETAIL),
	R("foreign_cpus", d_foreign, "%.9g", -1, 0),
	I("busy_reps", d_busy, -1, 0),
	/* JSON only: the rest of the statistics, and the samples compare reads */
	R("mean_s", d_mean, NULL, -1, 1),
	R("mad_s", d_mad, NULL, -1, 1),
	I("outliers", d_outliers, -1, 1),
	{ "noisy", DATA_BOOL, NULL, 1, NULL, d_noisy, NULL, -1 },
	R("cpu_wall", report_cpu_wall, NULL, C_CPU, 1),
	I("retried", d_retried, -1, 1),
	R("karp_flatt", d_kf, NULL, -1, 1),
	{ "samples_s", DATA_SAMPLES, NULL, 1, NULL, NULL, NULL, C_MEDIAN },
};

const size_t report_n_data_cols = sizeof(report_data_cols) / sizeof(report_data_cols[0]);

_Static_assert(sizeof(report_data_cols) / sizeof(report_data_cols[0]) <= 64,
	       "struct column_sel keeps the data columns in 64 bits");

/* ---- --columns ---------------------------------------------------------- */

static int people_name(const char *name)
{
	for (int c = 0; c < N_COLS; c++)
		if (strcmp(name, report_col_names[c]) == 0)
			return 1;
	return 0;
}

void report_columns_accepted(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (int c = 0; c < N_COLS && used < len; c++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 c ? "," : "", report_col_names[c]);
	for (size_t i = 0; i < report_n_data_cols && used < len; i++)
		if (!people_name(report_data_cols[i].name))
			used += (size_t)snprintf(buf + used, len - used, ",%s",
						 report_data_cols[i].name);
}

/* name as a people's column (with its data) or a data column (with its
 * people's column); 0 known, -1 not */
static int columns_add(const char *name, struct column_sel *sel)
{
	int found = -1;

	for (int c = 0; c < N_COLS; c++)
		if (strcmp(name, report_col_names[c]) == 0) {
			sel->people |= 1u << c;
			for (size_t i = 0; i < report_n_data_cols; i++)
				if (report_data_cols[i].col == c)
					sel->data |= 1ull << i;
			found = 0;
		}
	for (size_t i = 0; i < report_n_data_cols; i++)
		if (strcmp(name, report_data_cols[i].name) == 0) {
			sel->data |= 1ull << i;
			if (report_data_cols[i].col >= 0)
				sel->people |= 1u << report_data_cols[i].col;
			found = 0;
		}
	return found;
}

int report_columns_add(const char *name, struct column_sel *sel, char *err)
{
	char accepted[ERR_LEN];

	if (columns_add(name, sel) == 0)
		return 0;
	report_columns_accepted(accepted, sizeof(accepted));
	snprintf(err, ERR_LEN, "--columns: unknown column '%.30s'; expected a comma-separated list of %.*s",
		 name, ERR_LEN - 110, accepted);
	return -1;
}

int report_col_shown(const struct report *r, int col)
{
	const struct column_sel *s = &r->cfg->columns;

	if (!s->people && !s->data)
		return 1;
	/* only data columns picked (size,reps): the table still says which cell */
	if (!s->people)
		return col <= C_WORKERS;
	return s->people >> col & 1u;
}

int report_data_shown(const struct report *r, size_t i)
{
	const struct column_sel *s = &r->cfg->columns;

	return (!s->people && !s->data) || (s->data >> i & 1ull);
}

/*
 * report_human.c - the aligned table for a terminal and the Markdown table
 * for a lab report. Both are built from the same cells, so they cannot
 * disagree.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pin.h"
#include "report.h"

enum col {
	C_WORKLOAD, C_VARIANT, C_BACKEND, C_WORKERS, C_MEDIAN, C_MIN, C_MAX,
	C_SPEEDUP, C_EFF, C_CPU_S, C_CPU, C_THROUGHPUT, C_VERIFIED, C_DETAIL, N_COLS
};

static const char *const col_names[N_COLS] = {
	"workload", "variant", "backend", "W", "median", "min", "max",
	"speedup", "eff", "cpu", "cpu/wall", "throughput", "verified", "detail",
};

#define CELL_LEN DETAIL_LEN

/* numbers are right-aligned in the table */
static int col_numeric(int c)
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

/* 1234567 -> "1.23 M" */
static void fmt_rate(double v, const char *unit, char *buf)
{
	static const char *const prefix[] = { "", " k", " M", " G", " T" };
	size_t p = 0;

	if (!isfinite(v)) {
		snprintf(buf, CELL_LEN, "-");
		return;
	}
	while (v >= 1000 && p + 1 < sizeof(prefix) / sizeof(prefix[0])) {
		v /= 1000;
		p++;
	}
	snprintf(buf, CELL_LEN, "%.3g%s %s", v, prefix[p], unit);
}

static void row_cells(const struct cell_result *r, char cell[N_COLS][CELL_LEN])
{
	snprintf(cell[C_WORKLOAD], CELL_LEN, "%s", r->wl->name);
	snprintf(cell[C_VARIANT], CELL_LEN, "%s",
		 workload_variant_name(r->wl, r->variant));
	snprintf(cell[C_BACKEND], CELL_LEN, "%s", r->be->name);
	snprintf(cell[C_WORKERS], CELL_LEN, "%d", r->workers);
	if (r->reps) {
		report_time(r->st.median, cell[C_MEDIAN], CELL_LEN);
		report_time(r->st.min, cell[C_MIN], CELL_LEN);
		report_time(r->st.max, cell[C_MAX], CELL_LEN);
	} else {
		strcpy(cell[C_MEDIAN], "-");
		strcpy(cell[C_MIN], "-");
		strcpy(cell[C_MAX], "-");
	}
	fmt_ratio(r->speedup, "%.2f", cell[C_SPEEDUP]);
	fmt_ratio(r->efficiency, "%.2f", cell[C_EFF]);
	if (r->reps)
		report_time(r->user_s + r->sys_s, cell[C_CPU_S], CELL_LEN);
	else
		strcpy(cell[C_CPU_S], "-");
	fmt_ratio(report_cpu_wall(r), "%.2f", cell[C_CPU]);
	fmt_rate(r->throughput, r->wl->unit, cell[C_THROUGHPUT]);
	snprintf(cell[C_VERIFIED], CELL_LEN, "%s", report_verified(r));
	snprintf(cell[C_DETAIL], CELL_LEN, "%s", r->detail);
}

static const char *verdict_colour(const char *v, int color)
{
	if (!color)
		return "";
	if (strcmp(v, "yes") == 0)
		return "\033[32m";
	return strcmp(v, "no") == 0 ? "\033[1;31m" : "\033[33m";
}

static void table_line(FILE *f, char cell[N_COLS][CELL_LEN], const int *width,
		       int color)
{
	for (int c = 0; c < N_COLS; c++) {
		const char *sep = c + 1 < N_COLS ? "  " : "\n";

		if (c == C_DETAIL)
			fprintf(f, "%s%s", cell[c], sep);
		else if (c == C_VERIFIED && color)
			fprintf(f, "%s%-*s\033[0m%s", verdict_colour(cell[c], 1),
				width[c], cell[c], sep);
		else
			fprintf(f, col_numeric(c) ? "%*s%s" : "%-*s%s", width[c],
				cell[c], sep);
	}
}

void report_table(FILE *f, const struct report *r)
{
	char (*cells)[N_COLS][CELL_LEN] = calloc(r->n + 1, sizeof(*cells));
	int width[N_COLS] = { 0 };

	if (!cells) {
		report_csv(f, r);	/* no memory for the layout: still say it all */
		return;
	}
	for (int c = 0; c < N_COLS; c++)
		snprintf(cells[0][c], CELL_LEN, "%s", col_names[c]);
	for (size_t i = 0; i < r->n; i++)
		row_cells(&r->rows[i], cells[i + 1]);
	for (size_t i = 0; i <= r->n; i++)
		for (int c = 0; c < N_COLS; c++)
			if ((int)strlen(cells[i][c]) > width[c])
				width[c] = (int)strlen(cells[i][c]);
	for (size_t i = 0; i <= r->n; i++)
		table_line(f, cells[i], width, i > 0 && r->color);
	free(cells);
}

void report_markdown(FILE *f, const struct report *r)
{
	char cell[N_COLS][CELL_LEN], machine[512];

	for (int c = 0; c < N_COLS; c++)
		fprintf(f, "| %s ", col_names[c]);
	fputs("|\n", f);
	for (int c = 0; c < N_COLS; c++)
		fputs(col_numeric(c) ? "|---:" : "|---", f);
	fputs("|\n", f);
	for (size_t i = 0; i < r->n; i++) {
		row_cells(&r->rows[i], cell);
		for (int c = 0; c < N_COLS; c++) {
			fputs("| ", f);
			for (const char *s = cell[c]; *s; s++)
				fputs(*s == '|' ? "\\|" : (char[2]){ *s, 0 }, f);
			fputc(' ', f);
		}
		fputs("|\n", f);
	}
	info_summary(r->machine, machine, sizeof(machine));
	fprintf(f, "\n*%s; median of %d runs after %d warm-up%s%s; tvp %s.*\n",
		machine, r->cfg->reps, r->cfg->warmup,
		r->cfg->pin ? "; workers pinned " : "",
		r->cfg->pin ? pin_name(r->cfg->pin) : "", TVP_VERSION);
}

/*
 * report.h - the same numbers as a table, CSV, JSON, Markdown or HTML.
 */
#ifndef TVP_REPORT_H
#define TVP_REPORT_H

#include <stdio.h>

#include "config.h"
#include "result.h"
#include "sys/host.h"
#include "sys/info.h"

/*
 * 1: the first schema. It gained `samples_s` (each counted repetition's
 * seconds) without a version change: a new key that old readers skip.
 */
#define REPORT_SCHEMA "tvp-results/1"

struct report {
	const struct cell_result *rows;
	size_t n;
	const struct config *cfg;
	const struct machine_info *machine;
	int color;		/* table only: ANSI colours for the verdict */
	const struct host_run *host;	/* the run's host figures; NULL: none */
	const char *partial;	/* why the run stopped early, or NULL */
	int width;		/* table only: columns to fit in; 0 no limit */
};

void report_write(FILE *f, enum format fmt, const struct report *r);
void report_table(FILE *f, const struct report *r);
void report_csv(FILE *f, const struct report *r);
void report_json(FILE *f, const struct report *r);
void report_markdown(FILE *f, const struct report *r);
void report_html(FILE *f, const struct report *r);

/* one sentence per comparison, after the table (report_verdict.c) */
void report_verdicts(FILE *f, const struct report *r, int markdown);
/* the run's host figures in one line, for footers */
void report_host_line(const struct report *r, char *buf, size_t len);

const char *report_verified(const struct cell_result *row);
/* CPU seconds per wall second: the parallelism achieved; NAN if unmeasured */
double report_cpu_wall(const struct cell_result *row);
void report_csv_field(FILE *f, const char *s);	/* quoted when it must be */
/* "512.3 ms", "41.0 us": four significant digits, a readable unit */
const char *report_time(double s, char *buf, size_t len);
/* 1234567 -> "1.23 M items/s"; "-" when v is not a number */
void report_rate(double v, const char *unit, char *buf, size_t len);
/*
 * The table's width on fd: a terminal's (TIOCGWINSZ), else $COLUMNS, else
 * 80 on a terminal and 0 (no limit: every column) on a file or pipe.
 */
int report_width(int fd);
/* the footer under a table: machine, repetitions, warm-up, pinning */
void report_footer(const struct report *r, char *buf, size_t len);

/* ---- columns: the people's (table, Markdown, HTML) and the data's ------- */

enum col {
	C_WORKLOAD, C_VARIANT, C_BACKEND, C_WORKERS, C_MEDIAN, C_MIN, C_MAX,
	C_SPEEDUP, C_EFF, C_CPU_S, C_CPU, C_THROUGHPUT, C_VERIFIED, C_DETAIL, N_COLS
};

#define CELL_LEN DETAIL_LEN

extern const char *const report_col_names[N_COLS];
/* numbers are right-aligned in the table */
int report_col_numeric(int c);
/* row r as the table shows it, one string per column */
void report_row_cells(const struct cell_result *r, char cell[N_COLS][CELL_LEN]);

/* a data (CSV and JSON) column: name, and how one row's value is had */
enum data_kind { DATA_STR, DATA_INT, DATA_REAL, DATA_BOOL, DATA_SAMPLES };

struct data_col {
	const char *name;
	enum data_kind kind;
	const char *csv_fmt;	/* DATA_REAL: printf format in CSV */
	int json_only;		/* not a CSV column */
	const char *(*str)(const struct cell_result *r);
	long long (*integer)(const struct cell_result *r);	/* LLONG_MIN: none */
	double (*real)(const struct cell_result *r);	/* NAN: none */
	int col;		/* the people's column it belongs to, or -1 */
};

extern const struct data_col report_data_cols[];
extern const size_t report_n_data_cols;

/*
 * One name of --columns LIST, of either kind, into sel: a people's column
 * brings its data columns and the other way round. 0, or -1 with err
 * naming the unknown column and the accepted ones.
 */
int report_columns_add(const char *name, struct column_sel *sel, char *err);
/* every accepted name, comma-separated */
void report_columns_accepted(char *buf, size_t len);
int report_col_shown(const struct report *r, int col);
int report_data_shown(const struct report *r, size_t i);

#endif

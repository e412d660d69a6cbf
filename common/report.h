/*
 * report.h - the same numbers as a table, CSV, JSON or Markdown.
 */
#ifndef TVP_REPORT_H
#define TVP_REPORT_H

#include <stdio.h>

#include "cli.h"
#include "info.h"
#include "result.h"

#define REPORT_SCHEMA "tvp-results/1"

struct report {
	const struct cell_result *rows;
	size_t n;
	const struct config *cfg;
	const struct machine_info *machine;
	int color;		/* table only: ANSI colours for the verdict */
};

void report_write(FILE *f, enum format fmt, const struct report *r);
void report_table(FILE *f, const struct report *r);
void report_csv(FILE *f, const struct report *r);
void report_json(FILE *f, const struct report *r);
void report_markdown(FILE *f, const struct report *r);

const char *report_verified(const struct cell_result *row);
/* CPU seconds per wall second: the parallelism achieved; NAN if unmeasured */
double report_cpu_wall(const struct cell_result *row);
void report_csv_field(FILE *f, const char *s);	/* quoted when it must be */
void report_json_string(FILE *f, const char *s);
/* "512.3 ms", "41.0 us": four significant digits, a readable unit */
const char *report_time(double s, char *buf, size_t len);

#endif

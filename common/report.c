/*
 * report.c - writing results. Every format carries the same numbers; CSV
 * and JSON follow the column contract of DESIGN.md, the table and Markdown
 * are for people.
 */
#include <math.h>
#include <string.h>

#include "report.h"

static const char *const csv_columns =
	"workload,variant,backend,workers,size,reps,median_s,min_s,max_s,"
	"stddev_s,speedup,efficiency,throughput,throughput_unit,user_s,sys_s,"
	"ctxsw_vol,ctxsw_invol,maxrss_kb,verified,detail";

const char *report_verified(const struct cell_result *row)
{
	if (row->failed || row->verdict == VERDICT_NO)
		return "no";
	return row->verdict == VERDICT_RACE ? "expected-race" : "yes";
}

double report_cpu_wall(const struct cell_result *row)
{
	/* both per repetition: mean CPU over mean wall */
	if (row->reps == 0 || row->st.mean <= 0)
		return NAN;
	return (row->user_s + row->sys_s) / row->st.mean;
}

const char *report_time(double s, char *buf, size_t len)
{
	static const struct { double scale; const char *unit; } units[] = {
		{ 1, "s" }, { 1e-3, "ms" }, { 1e-6, "us" }, { 1e-9, "ns" },
	};
	size_t i = 0;

	while (i + 1 < sizeof(units) / sizeof(units[0]) && fabs(s) < units[i].scale)
		i++;
	snprintf(buf, len, "%.4g %s", s / units[i].scale, units[i].unit);
	return buf;
}

void report_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);	/* RFC 4180: a quote is doubled */
		fputc(*s, f);
	}
	fputc('"', f);
}

void report_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* a number, or nothing where there is none (speedup without a reference) */
static void csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.9g", v);
}

static void csv_row(FILE *f, const struct cell_result *r)
{
	fprintf(f, "%s,%s,%s,%d,%llu,%d,", r->wl->name,
		workload_variant_name(r->wl, r->variant), r->be->name,
		r->workers, (unsigned long long)r->size, r->reps);
	if (r->reps) {
		fprintf(f, "%.9g,%.9g,%.9g,%.9g,", r->st.median, r->st.min,
			r->st.max, r->st.stddev);
	} else {
		fputs(",,,,", f);
	}
	csv_num(f, r->speedup);
	fputc(',', f);
	csv_num(f, r->efficiency);
	fputc(',', f);
	csv_num(f, r->throughput);
	fprintf(f, ",%s,%.6f,%.6f,%.1f,%.1f,%ld,%s,", r->wl->unit, r->user_s,
		r->sys_s, r->ctxsw_vol, r->ctxsw_invol, r->maxrss_kb,
		report_verified(r));
	report_csv_field(f, r->detail);
	fputc('\n', f);
}

void report_csv(FILE *f, const struct report *r)
{
	fprintf(f, "%s\n", csv_columns);
	for (size_t i = 0; i < r->n; i++)
		csv_row(f, &r->rows[i]);
}

void report_write(FILE *f, enum format fmt, const struct report *r)
{
	switch (fmt) {
	case FORMAT_TABLE:
		report_table(f, r);
		break;
	case FORMAT_CSV:
		report_csv(f, r);
		break;
	case FORMAT_JSON:
		report_json(f, r);
		break;
	case FORMAT_MARKDOWN:
		report_markdown(f, r);
		break;
	}
}

/*
 * report.c - writing results. Every format carries the same numbers; CSV
 * and JSON follow the column contract of DESIGN.md, the table, Markdown
 * and HTML are for people.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "report/report.h"
#include "sys/pin.h"

#define DEFAULT_WIDTH 80

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

void report_rate(double v, const char *unit, char *buf, size_t len)
{
	static const char *const prefix[] = { "", " k", " M", " G", " T" };
	size_t p = 0;

	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return;
	}
	while (v >= 1000 && p + 1 < sizeof(prefix) / sizeof(prefix[0])) {
		v /= 1000;
		p++;
	}
	snprintf(buf, len, "%.3g%s %s", v, prefix[p], unit);
}

int report_width(int fd)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	int tty = isatty(fd);
	char *end;
	long n;

	if (tty && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env && *env) {
		n = strtol(env, &end, 10);
		if (!*end && n > 0 && n < 100000)
			return (int)n;
	}
	/* a file or a pipe keeps every column unless $COLUMNS asks */
	return tty ? DEFAULT_WIDTH : 0;
}

void report_footer(const struct report *r, char *buf, size_t len)
{
	char machine[512];

	info_summary(r->machine, machine, sizeof(machine));
	snprintf(buf, len, "%s; median of %d runs after %d warm-up%s%s; tvp %s.",
		 machine, r->cfg->reps, r->cfg->warmup,
		 r->cfg->pin ? "; workers pinned " : "",
		 r->cfg->pin ? pin_name(r->cfg->pin) : "", TVP_VERSION);
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

/* a value, or nothing where there is none (speedup without a reference) */
static void csv_value(FILE *f, const struct data_col *d,
		      const struct cell_result *r)
{
	long long v;
	double x;

	switch (d->kind) {
	case DATA_STR:
		report_csv_field(f, d->str(r));
		break;
	case DATA_INT:
	case DATA_BOOL:
		v = d->integer(r);
		if (v != LLONG_MIN)
			fprintf(f, "%lld", v);
		break;
	case DATA_REAL:
		x = d->real(r);
		if (isfinite(x))
			fprintf(f, d->csv_fmt, x);
		break;
	case DATA_SAMPLES:
		break;
	}
}

/* the header (row NULL) or one row: every CSV column --columns keeps */
static void csv_line(FILE *f, const struct report *r,
		     const struct cell_result *row)
{
	int first = 1;

	for (size_t i = 0; i < report_n_data_cols; i++) {
		const struct data_col *d = &report_data_cols[i];

		if (d->json_only || !report_data_shown(r, i))
			continue;
		if (!first)
			fputc(',', f);
		first = 0;
		if (row)
			csv_value(f, d, row);
		else
			fputs(d->name, f);
	}
	fputc('\n', f);
}

void report_csv(FILE *f, const struct report *r)
{
	csv_line(f, r, NULL);
	for (size_t i = 0; i < r->n; i++)
		csv_line(f, r, &r->rows[i]);
	/* a trailer a CSV reader skips as a comment (pandas: comment='#') */
	if (r->partial)
		fprintf(f, "# partial: %s\n", r->partial);
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
	case FORMAT_HTML:
		report_html(f, r);
		break;
	}
}

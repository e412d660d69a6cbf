/*
 * plot_read.c - reading what gets plotted: the CSV of `tvp run -f csv`
 * (columns found by name, as DESIGN.md fixes them) and a task trace
 * (worker,start,end,status). Every complaint names the file and line.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

#define MAX_LINE 4096
#define MAX_FIELDS 64

enum { R_WORKLOAD, R_VARIANT, R_BACKEND, R_WORKERS, R_SPEEDUP, N_RESULT_COLS };
enum { T_WORKER, T_START, T_END, T_STATUS, N_TRACE_COLS };

static const char *const result_cols[N_RESULT_COLS] = {
	"workload", "variant", "backend", "workers", "speedup",
};
static const char *const trace_cols[N_TRACE_COLS] = {
	"worker", "start", "end", "status",
};

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	void *p = realloc(*v, c * size);

	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

int plot_points_add(struct plot_points *pts, const char *panel,
		    const char *series, int workers, double speedup)
{
	struct plot_point *p;

	if (grow((void **)&pts->v, &pts->cap, pts->n, sizeof(*pts->v)))
		return -ENOMEM;
	p = &pts->v[pts->n++];
	snprintf(p->panel, sizeof(p->panel), "%s", panel);
	snprintf(p->series, sizeof(p->series), "%s", series);
	p->workers = workers;
	p->speedup = speedup;
	return 0;
}

void plot_points_free(struct plot_points *pts)
{
	free(pts->v);
	memset(pts, 0, sizeof(*pts));
}

void plot_trace_free(struct plot_trace *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

int plot_csv_split(char *line, char **field, int max)
{
	char *r = line, *w, end;
	int n = 0;

	line[strcspn(line, "\r\n")] = 0;
	do {
		if (n == max)
			return -1;
		field[n++] = w = r;
		if (*r == '"') {
			/* quoted: "" is a quote, the field ends at a lone quote */
			for (r++; *r != '"' || r[1] == '"'; r++) {
				if (!*r)
					return -1;
				*w++ = *r;
				r += *r == '"';
			}
			if (*++r && *r != ',')
				return -1;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		end = *r++;
		*w = 0;
	} while (end);
	return n;
}

/* the next line that is not blank or a # comment: its fields, 0 at EOF */
static int next_row(FILE *in, char *line, char **field, int *lineno)
{
	while (fgets(line, MAX_LINE, in)) {
		(*lineno)++;
		if (!strchr(line, '\n') && !feof(in))
			return -2;	/* longer than MAX_LINE */
		if (line[strspn(line, " \t\r\n")] == 0 || line[0] == '#')
			continue;
		return plot_csv_split(line, field, MAX_FIELDS);
	}
	return 0;
}

/* index of each wanted column: exact names, or prefixes ("start_ms") */
static int find_columns(char **field, int n, const char *const *want,
			int n_want, int prefix, int *col)
{
	for (int k = 0; k < n_want; k++) {
		col[k] = -1;
		for (int i = 0; i < n && col[k] < 0; i++)
			if (prefix ? strncmp(field[i], want[k], strlen(want[k])) == 0 :
				     strcmp(field[i], want[k]) == 0)
				col[k] = i;
		if (col[k] < 0)
			return -1;
	}
	return 0;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 0 || v > MAX_WORKERS)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_num(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return !*s || *end || errno || !isfinite(*out) ? -1 : 0;
}

static int row_error(char *err, size_t len, const char *name, int lineno,
		     int n)
{
	if (n == -2)
		return fail(err, len, "%s:%d: line longer than %d characters", name,
			    lineno, MAX_LINE - 1);
	return fail(err, len, "%s:%d: not a CSV row (an unbalanced quote, or more than %d fields)",
		    name, lineno, MAX_FIELDS);
}

static int result_row(char **f, const int *col, struct plot_points *pts)
{
	char panel[PLOT_NAME_LEN];
	double speedup;
	int workers;

	if (!*f[col[R_SPEEDUP]])
		return 0;	/* no sequential row to compare with */
	if (parse_int(f[col[R_WORKERS]], &workers) || workers < 1 ||
	    parse_num(f[col[R_SPEEDUP]], &speedup) || speedup < 0)
		return -EINVAL;
	plot_panel_name(f[col[R_WORKLOAD]], f[col[R_VARIANT]], panel, sizeof(panel));
	return plot_points_add(pts, panel, f[col[R_BACKEND]], workers, speedup);
}

int plot_read_results(FILE *in, const char *name, struct plot_points *pts,
		      char *err, size_t len)
{
	char line[MAX_LINE], *f[MAX_FIELDS];
	int col[N_RESULT_COLS], verified, lineno = 0, n, rc;

	n = next_row(in, line, f, &lineno);
	if (n <= 0 || find_columns(f, n, result_cols, N_RESULT_COLS, 0, col))
		return fail(err, len, "%s: not the CSV of 'tvp run -f csv': its header needs the columns workload, variant, backend, workers and speedup",
			    name);
	if (find_columns(f, n, (const char *const[]){ "verified" }, 1, 0, &verified))
		verified = -1;
	while ((n = next_row(in, line, f, &lineno)) != 0) {
		if (n < 0)
			return row_error(err, len, name, lineno, n);
		if (n <= col[R_SPEEDUP] || n <= col[R_WORKERS] || n <= col[R_BACKEND] ||
		    n <= col[R_WORKLOAD] || n <= col[R_VARIANT] || n <= verified)
			return fail(err, len, "%s:%d: %d fields, fewer than the header's",
				    name, lineno, n);
		if (verified >= 0 && strcmp(f[verified], "no") == 0)
			continue;	/* a wrong run has no speedup worth drawing */
		rc = result_row(f, col, pts);
		if (rc == -ENOMEM)
			return fail(err, len, "%s:%d: out of memory", name, lineno);
		if (rc)
			return fail(err, len, "%s:%d: workers must be a whole number >= 1 and speedup a number >= 0",
				    name, lineno);
	}
	if (pts->n == 0)
		return fail(err, len, "%s: no row has a speedup; a run needs its sequential reference (the default back ends include it)",
			    name);
	return 0;
}

/* "start_ms" -> "ms"; "start" or "start_s" -> "s" */
static void trace_unit(const char *start_col, char *unit, size_t len)
{
	static const char *const units[] = { "ms", "us", "ns" };
	const char *sfx = strrchr(start_col, '_');

	snprintf(unit, len, "s");
	for (size_t i = 0; sfx && i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(sfx + 1, units[i]) == 0)
			snprintf(unit, len, "%s", units[i]);
}

static int trace_row(char **f, int n, const int *col, struct plot_trace *t)
{
	struct plot_task *k;

	for (int c = 0; c < N_TRACE_COLS; c++)
		if (col[c] >= n)
			return -EINVAL;
	if (grow((void **)&t->v, &t->cap, t->n, sizeof(*t->v)))
		return -ENOMEM;
	k = &t->v[t->n];
	if (parse_int(f[col[T_WORKER]], &k->worker) ||
	    parse_num(f[col[T_START]], &k->start) ||
	    parse_num(f[col[T_END]], &k->end) || k->start < 0 || k->end < k->start)
		return -EINVAL;
	snprintf(k->status, sizeof(k->status), "%s",
		 *f[col[T_STATUS]] ? f[col[T_STATUS]] : "?");
	t->n++;
	return 0;
}

int plot_read_trace(FILE *in, const char *name, struct plot_trace *t,
		    char *err, size_t len)
{
	char line[MAX_LINE], *f[MAX_FIELDS];
	int col[N_TRACE_COLS] = { T_WORKER, T_START, T_END, T_STATUS };
	int lineno = 0, n, rc, worker;

	snprintf(t->unit, sizeof(t->unit), "s");
	n = next_row(in, line, f, &lineno);
	if (n > 0 && parse_int(f[0], &worker)) {	/* a header: use its names */
		if (find_columns(f, n, trace_cols, N_TRACE_COLS, 1, col))
			return fail(err, len, "%s:%d: a trace's header needs the columns worker, start, end and status",
				    name, lineno);
		trace_unit(f[col[T_START]], t->unit, sizeof(t->unit));
		n = next_row(in, line, f, &lineno);
	}
	for (; n != 0; n = next_row(in, line, f, &lineno)) {
		if (n < 0)
			return row_error(err, len, name, lineno, n);
		rc = trace_row(f, n, col, t);
		if (rc == -ENOMEM)
			return fail(err, len, "%s:%d: out of memory", name, lineno);
		if (rc)
			return fail(err, len, "%s:%d: expected worker (0-%d), start and end (numbers, 0 <= start <= end) and status",
				    name, lineno, MAX_WORKERS);
	}
	if (t->n == 0)
		return fail(err, len, "%s: no tasks in the trace", name);
	return 0;
}

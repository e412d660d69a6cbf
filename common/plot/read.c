/*
 * plot_read.c - reading what gets plotted: the CSV of `tvp run -f csv`
 * (columns found by exact name, as DESIGN.md fixes them; foreign_cpus and
 * busy_reps optional, so older CSVs still read) and a task trace
 * (worker,start,end,status, and backend,workers,run when tvp wrote it).
 * Debian's libcsv splits the fields (RFC 4180 quotes, strict); this file
 * only skips comment lines and says which line was wrong.
 */
#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"

#define MAX_LINE 65536		/* longer is not a tvp CSV: refused, not grown */
#define MAX_FIELDS 64
#define MAX_CSV_COUNT 100000000L	/* reps, busy_reps: more is not a count */

struct plot_csv {
	struct csv_parser p;
	const char *name;
	char *err;
	size_t len;
	int line, row_line;	/* the line read, the line the row began on */
	int row_open;		/* the parser is inside a row (a quoted newline) */
	size_t off[MAX_FIELDS];	/* each field's start in buf */
	int n;
	char *buf;
	size_t used, cap;
	plot_csv_row_fn row;
	void *arg;
	int rc;			/* -1 once err holds a complaint */
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

int plot_csv_fail(struct plot_csv *in, const char *fmt, ...)
{
	int used = snprintf(in->err, in->len, "%s:%d: ", in->name, in->row_line);
	va_list ap;

	if (used >= 0 && (size_t)used < in->len) {
		va_start(ap, fmt);
		vsnprintf(in->err + used, in->len - (size_t)used, fmt, ap);
		va_end(ap);
	}
	in->rc = -1;
	return -1;
}

/* libcsv's field callback: keep a NUL-terminated copy for the row */
static void csv_on_field(void *s, size_t n, void *data)
{
	struct plot_csv *in = data;

	if (in->rc)
		return;
	if (in->n == MAX_FIELDS) {
		plot_csv_fail(in, "more than %d fields", MAX_FIELDS);
		return;
	}
	if (in->used + n + 1 > in->cap) {
		size_t cap = (in->used + n + 1) * 2;
		char *b = realloc(in->buf, cap);

		if (!b) {
			plot_csv_fail(in, "out of memory");
			return;
		}
		in->buf = b;
		in->cap = cap;
	}
	if (n)
		memcpy(in->buf + in->used, s, n);
	in->buf[in->used + n] = 0;
	in->off[in->n++] = in->used;
	in->used += n + 1;
}

/* libcsv's row callback: the row's fields to the caller's row() */
static void csv_on_row(int c, void *data)
{
	struct plot_csv *in = data;
	char *field[MAX_FIELDS];

	(void)c;
	in->row_open = 0;
	if (!in->rc) {
		for (int i = 0; i < in->n; i++)
			field[i] = in->buf + in->off[i];
		if (in->row(in, field, in->n, in->arg))
			in->rc = -1;	/* row() said why in err */
	}
	in->n = 0;
	in->used = 0;
}

static int csv_blank(const char *line)
{
	return line[strspn(line, " \t\r\n")] == 0;
}

/* one line to libcsv; a comment or blank line between rows is skipped */
static void csv_feed(struct plot_csv *in, const char *line, size_t n)
{
	in->line++;
	if (!in->row_open) {
		if (csv_blank(line) || line[0] == '#')
			return;
		in->row_line = in->line;
	}
	in->row_open = 1;
	if (n > MAX_LINE) {
		plot_csv_fail(in, "line longer than %d characters", MAX_LINE);
		return;
	}
	if (csv_parse(&in->p, line, n, csv_on_field, csv_on_row, in) != n && !in->rc)
		plot_csv_fail(in, "not a CSV row (%s)", csv_strerror(csv_error(&in->p)));
}

/* spaces around a field are data, as in tvp's own CSV */
static int csv_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

int plot_csv_read(FILE *f, const char *name, plot_csv_row_fn row, void *arg,
		  char *err, size_t len)
{
	struct plot_csv in = { .name = name, .err = err, .len = len,
			       .row = row, .arg = arg };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (csv_init(&in.p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
		return fail(err, len, "%s: out of memory", name);
	csv_set_space_func(&in.p, csv_no_space);
	while (!in.rc && (n = getline(&line, &cap, f)) > 0)
		csv_feed(&in, line, (size_t)n);
	if (!in.rc && ferror(f))
		in.rc = fail(err, len, "%s: %s", name, strerror(errno));
	if (!in.rc && csv_fini(&in.p, csv_on_field, csv_on_row, &in) && !in.rc)
		plot_csv_fail(&in, "not a CSV row (a quote that never closes)");
	csv_free(&in.p);
	free(line);
	free(in.buf);
	return in.rc;
}

/* ---- the growable arrays ------------------------------------------------ */

/* v with room for n + 1 elements (it may move), or NULL with v untouched */
static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 64;
	void *p;

	if (n < *cap)
		return v;
	p = realloc(v, c * size);
	if (p)
		*cap = c;
	return p;
}

int plot_points_add(struct plot_points *pts, const struct plot_point *p)
{
	struct plot_point *v = grow(pts->v, &pts->cap, pts->n, sizeof(*v));

	if (!v)
		return -ENOMEM;
	pts->v = v;
	pts->v[pts->n] = *p;
	pts->v[pts->n].seq = pts->n;
	pts->n++;
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
	free(t->panel);
	memset(t, 0, sizeof(*t));
}

/* ---- fields ------------------------------------------------------------- */

/* index of each column by exact name, -1 where absent; -1 if a must is */
static int find_columns(char **field, int n, const char *const *want,
			int n_want, int n_must, int *col)
{
	for (int k = 0; k < n_want; k++) {
		col[k] = -1;
		for (int i = 0; i < n && col[k] < 0; i++)
			if (strcmp(field[i], want[k]) == 0)
				col[k] = i;
		if (k < n_must && col[k] < 0)
			return -1;
	}
	return 0;
}

/* a column's field, "" where the header has no such column */
static const char *field_at(char **f, int col)
{
	return col < 0 ? "" : f[col];
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_int(const char *s, int *out)
{
	long v;

	if (parse_long(s, 0, MAX_WORKERS, &v))
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

/* an optional number: NAN where empty, -1 where not a number */
static int parse_opt_num(const char *s, double *out)
{
	*out = NAN;
	return *s ? parse_num(s, out) : 0;
}

/* ---- results ------------------------------------------------------------ */

enum {
	R_WORKLOAD, R_VARIANT, R_BACKEND, R_WORKERS, R_SPEEDUP, N_RESULT_MUST,
	R_SIZE = N_RESULT_MUST, R_REPS, R_MEDIAN, R_MIN, R_MAX, R_THROUGHPUT,
	R_VERIFIED, R_FOREIGN, R_BUSY, N_RESULT_COLS
};

static const char *const result_cols[N_RESULT_COLS] = {
	"workload", "variant", "backend", "workers", "speedup", "size", "reps",
	"median_s", "min_s", "max_s", "throughput", "verified", "foreign_cpus",
	"busy_reps",
};

struct results_reader {
	struct plot_points *pts;
	const char *name;
	char *err;
	size_t len;
	int col[N_RESULT_COLS];
	int need;		/* fields a row must have: the last column used + 1 */
	int header;
};

/* the speedup at the slowest and fastest repetition: min-max error bars */
static void result_spread(struct plot_point *p, char **f, const int *col)
{
	double med, mn, mx, thr;

	p->lo = p->hi = p->speedup;
	p->work = NAN;
	if (parse_num(field_at(f, col[R_MEDIAN]), &med) || med <= 0)
		return;
	/* med / mx <= 1 cannot overflow; a hi that does would print "inf" */
	if (!parse_num(field_at(f, col[R_MAX]), &mx) && mx >= med)
		p->lo = p->speedup * (med / mx);
	if (!parse_num(field_at(f, col[R_MIN]), &mn) && mn > 0 && mn <= med &&
	    isfinite(p->speedup * (med / mn)))
		p->hi = p->speedup * (med / mn);
	if (!parse_num(field_at(f, col[R_THROUGHPUT]), &thr) && thr > 0)
		p->work = thr * med;	/* inf is not fixed work: panel_fixed_work */
}

/* an optional count: 0 where empty, -1 where not a whole number >= 0 */
static int parse_opt_count(const char *s, int *out)
{
	long v = 0;

	if (*s && parse_long(s, 0, MAX_CSV_COUNT, &v))
		return -1;
	*out = (int)v;
	return 0;
}

static int result_fields(struct plot_point *p, char **f, const int *col)
{
	if (parse_int(f[col[R_WORKERS]], &p->workers) || p->workers < 1 ||
	    parse_num(f[col[R_SPEEDUP]], &p->speedup) || p->speedup < 0 ||
	    parse_opt_num(field_at(f, col[R_FOREIGN]), &p->foreign_cpus) ||
	    parse_opt_count(field_at(f, col[R_BUSY]), &p->busy_reps))
		return -1;
	/* for the caption only: what does not parse is left out of it */
	if (parse_opt_count(field_at(f, col[R_REPS]), &p->reps))
		p->reps = 0;
	p->size = strtoull(field_at(f, col[R_SIZE]), NULL, 10);
	result_spread(p, f, col);
	return 0;
}

static int results_header(struct results_reader *r, char **f, int n)
{
	r->header = 1;
	if (find_columns(f, n, result_cols, N_RESULT_COLS, N_RESULT_MUST, r->col))
		return fail(r->err, r->len, "%s: not the CSV of 'tvp run -f csv': its header needs the columns workload, variant, backend, workers and speedup",
			    r->name);
	for (int k = 0; k < N_RESULT_COLS; k++)
		if (r->col[k] + 1 > r->need)
			r->need = r->col[k] + 1;
	return 0;
}

static int results_row(struct plot_csv *in, char **f, int n, void *arg)
{
	struct results_reader *r = arg;
	struct plot_point p = { 0 };
	const int *col = r->col;

	if (!r->header)
		return results_header(r, f, n);
	if (n < r->need)
		return plot_csv_fail(in, "%d fields, fewer than the header's", n);
	if (strcmp(field_at(f, col[R_VERIFIED]), "no") == 0 || !*f[col[R_SPEEDUP]])
		return 0;	/* a wrong run, or no sequential row to compare with */
	if (result_fields(&p, f, col))
		return plot_csv_fail(in, "workers must be a whole number >= 1, speedup a number >= 0, foreign_cpus a number or empty and busy_reps a count");
	plot_panel_name(f[col[R_WORKLOAD]], f[col[R_VARIANT]], p.panel, sizeof(p.panel));
	snprintf(p.series, sizeof(p.series), "%s", f[col[R_BACKEND]]);
	if (plot_points_add(r->pts, &p))
		return plot_csv_fail(in, "out of memory");
	return 0;
}

int plot_read_results(FILE *in, const char *name, struct plot_points *pts,
		      char *err, size_t len)
{
	struct results_reader r = { .pts = pts, .name = name, .err = err,
				    .len = len };

	if (plot_csv_read(in, name, results_row, &r, err, len))
		return -1;
	if (!r.header)
		return fail(err, len, "%s: not the CSV of 'tvp run -f csv': it is empty", name);
	if (pts->n == 0)
		return fail(err, len, "%s: no row has a speedup; a run needs its sequential reference (the default back ends include it)",
			    name);
	return 0;
}

/* ---- traces ------------------------------------------------------------- */

enum { T_WORKER, T_START, T_END, T_STATUS, N_TRACE_MUST,
       T_BACKEND = N_TRACE_MUST, T_WORKERS, T_RUN, N_TRACE_COLS };

static const char *const trace_units[] = { "", "_s", "_ms", "_us", "_ns" };
#define N_UNITS (sizeof(trace_units) / sizeof(trace_units[0]))

struct trace_reader {
	struct plot_trace *t;
	int col[N_TRACE_COLS];
	int need;
	int rows;		/* rows read, the header included */
	int segment;
};

/* start and end by exact name, with one unit suffix: "start_ms" -> "ms" */
static int trace_time_columns(struct trace_reader *r, char **f, int n)
{
	char want[2][16];

	for (size_t u = 0; u < N_UNITS; u++) {
		const char *const names[2] = { want[0], want[1] };
		int col[2];

		snprintf(want[0], sizeof(want[0]), "start%s", trace_units[u]);
		snprintf(want[1], sizeof(want[1]), "end%s", trace_units[u]);
		if (find_columns(f, n, names, 2, 2, col) == 0) {
			r->col[T_START] = col[0];
			r->col[T_END] = col[1];
			snprintf(r->t->unit, sizeof(r->t->unit), "%s",
				 u < 2 ? "s" : trace_units[u] + 1);
			return 0;
		}
	}
	return -1;
}

static int trace_header(struct trace_reader *r, struct plot_csv *in,
			char **f, int n)
{
	static const char *const rest[] = { "worker", "status", "backend",
					     "workers", "run" };
	static const int at[] = { T_WORKER, T_STATUS, T_BACKEND, T_WORKERS, T_RUN };
	int col[5];

	if (find_columns(f, n, rest, 5, 2, col) || trace_time_columns(r, f, n))
		return plot_csv_fail(in, "a trace's header needs the columns worker, start, end and status (exact names; start_ms and end_ms set the unit)");
	for (int k = 0; k < 5; k++)
		r->col[at[k]] = col[k];
	for (int k = 0; k < N_TRACE_COLS; k++)
		if (r->col[k] + 1 > r->need)
			r->need = r->col[k] + 1;
	return 0;
}

/* ok: the word ok, 0 (a worker that returned) or an HTTP 2xx */
static int trace_status_ok(const char *s)
{
	long v;

	if (strcmp(s, "ok") == 0)
		return 1;
	return parse_long(s, -1000000, 1000000, &v) == 0 &&
	       (v == 0 || (v >= 200 && v <= 299));
}

static int trace_fields(struct trace_reader *r, char **f, struct plot_task *k)
{
	const int *col = r->col;
	const char *status = f[col[T_STATUS]];

	if (parse_int(f[col[T_WORKER]], &k->worker) ||
	    parse_num(f[col[T_START]], &k->start) ||
	    parse_num(f[col[T_END]], &k->end) || k->start < 0 || k->end < k->start)
		return -1;
	if (*field_at(f, col[T_WORKERS]) &&
	    parse_int(field_at(f, col[T_WORKERS]), &k->workers))
		return -1;
	if (*field_at(f, col[T_RUN]) &&
	    parse_long(field_at(f, col[T_RUN]), 0, MAX_CSV_COUNT, &k->run))
		return -1;
	snprintf(k->backend, sizeof(k->backend), "%s", field_at(f, col[T_BACKEND]));
	snprintf(k->status, sizeof(k->status), "%s", *status ? status : "?");
	k->ok = trace_status_ok(status);
	return 0;
}

/* a new segment where (backend, workers, run) differs from the row before */
static void trace_segment(struct trace_reader *r, struct plot_task *k)
{
	const struct plot_task *prev = r->t->n ? &r->t->v[r->t->n - 1] : NULL;

	if (prev && (strcmp(prev->backend, k->backend) != 0 ||
		     prev->workers != k->workers || prev->run != k->run))
		r->segment++;
	k->segment = r->segment;
	k->panel = -1;
}

static int trace_row(struct plot_csv *in, char **f, int n, void *arg)
{
	struct trace_reader *r = arg;
	struct plot_task k = { 0 }, *v;
	int worker;

	/* a first row that does not start with a worker number is a header */
	if (r->rows++ == 0 && parse_int(f[0], &worker))
		return trace_header(r, in, f, n);
	if (n < r->need)
		return plot_csv_fail(in, "%d fields, fewer than the header's", n);
	if (trace_fields(r, f, &k))
		return plot_csv_fail(in, "expected worker (0-%d), start and end (numbers, 0 <= start <= end), status, and workers and run as whole numbers",
				     MAX_WORKERS);
	v = grow(r->t->v, &r->t->cap, r->t->n, sizeof(*v));
	if (!v)
		return plot_csv_fail(in, "out of memory");
	r->t->v = v;
	trace_segment(r, &k);
	r->t->v[r->t->n++] = k;
	return 0;
}

/* the panel of (backend, workers), added if new; -1 when out of memory */
static int trace_panel_of(struct plot_trace *t, const struct plot_task *k,
			  size_t *cap)
{
	struct plot_trace_panel *p;

	for (size_t i = 0; i < t->n_panels; i++)
		if (strcmp(t->panel[i].backend, k->backend) == 0 &&
		    t->panel[i].workers == k->workers)
			return (int)i;
	p = grow(t->panel, cap, t->n_panels, sizeof(*p));
	if (!p)
		return -1;
	t->panel = p;
	p += t->n_panels;
	memset(p, 0, sizeof(*p));
	snprintf(p->backend, sizeof(p->backend), "%s", k->backend);
	p->workers = k->workers;
	return (int)t->n_panels++;
}

/*
 * One panel per (backend, workers), in first-seen order, drawing its last
 * run: every run starts its clock at 0, so runs drawn together would hide
 * each other. A trace appended to twice keeps the later run.
 */
static int trace_group(struct plot_trace *t)
{
	size_t cap = 0;

	for (size_t i = 0; i < t->n; i++) {
		int p = trace_panel_of(t, &t->v[i], &cap);

		if (p < 0)
			return -ENOMEM;
		t->panel[p].segment = t->v[i].segment;	/* the last one wins */
		t->panel[p].run = t->v[i].run;
		t->v[i].panel = p;
	}
	for (size_t p = 0; p < t->n_panels; p++) {
		t->panel[p].rows = 0;
		t->panel[p].tasks = 0;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct plot_task *k = &t->v[i];
		struct plot_trace_panel *p = &t->panel[k->panel];

		if (k->segment != p->segment) {
			k->panel = -1;
			continue;
		}
		p->tasks++;
		if (k->worker + 1 > p->rows)
			p->rows = k->worker + 1;
	}
	return 0;
}

int plot_read_trace(FILE *in, const char *name, struct plot_trace *t,
		    char *err, size_t len)
{
	struct trace_reader r = {
		.t = t, .need = N_TRACE_MUST,
		.col = { T_WORKER, T_START, T_END, T_STATUS, -1, -1, -1 },
	};

	snprintf(t->unit, sizeof(t->unit), "s");
	if (plot_csv_read(in, name, trace_row, &r, err, len))
		return -1;
	if (t->n == 0)
		return fail(err, len, "%s: no tasks in the trace", name);
	if (trace_group(t))
		return fail(err, len, "%s: out of memory", name);
	if (t->n_panels > MAX_TRACE_PANELS)
		return fail(err, len, "%s: %zu panels (back end and worker count pairs), more than the %d one picture holds; plot a trace of fewer cells",
			    name, t->n_panels, MAX_TRACE_PANELS);
	return 0;
}

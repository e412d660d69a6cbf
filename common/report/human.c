/*
 * report_human.c - the aligned table for a terminal and the Markdown table
 * for a lab report. Both are built from the same cells, so they cannot
 * disagree.
 *
 * The table fits its width (report.width): when the full line is too wide,
 * `detail` moves under its row, long names are abbreviated (with a legend
 * under the table) and then the least important columns are left out, in
 * drop_order, until the rest fits. A value is never cut or broken.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

#define DETAIL_INDENT 4

/* left out first when the table is too wide: the least telling first */
static const int drop_order[] = {
	C_CPU_S, C_EFF, C_CPU, C_MIN, C_MAX, C_THROUGHPUT, C_VARIANT,
};

/* short forms, each listed under a table that uses it */
static const struct { int col; const char *full, *brief; } abbrevs[] = {
	{ C_VERIFIED, "expected-race", "race" },
	{ C_BACKEND, "sequential", "seq" },
	{ C_BACKEND, "processes", "procs" },
	{ C_BACKEND, "python-sequential", "py-seq" },
	{ C_BACKEND, "python-threads", "py-thr" },
	{ C_BACKEND, "python-processes", "py-procs" },
	{ C_VARIANT, "unsynchronised", "unsync" },
	{ C_VARIANT, "sharded-unpadded", "unpadded" },
};

struct layout {
	char (*cells)[N_COLS][CELL_LEN];	/* [0] the header */
	size_t lines;
	int shown[N_COLS];
	int width[N_COLS];
	int detail_below;
	unsigned used_abbrevs;	/* bit i: abbrevs[i] appears */
	int max;		/* columns to fit in; 0 no limit */
};

static void layout_widths(struct layout *l)
{
	memset(l->width, 0, sizeof(l->width));
	for (size_t i = 0; i < l->lines; i++)
		for (int c = 0; c < N_COLS; c++)
			if ((int)strlen(l->cells[i][c]) > l->width[c])
				l->width[c] = (int)strlen(l->cells[i][c]);
}

/* the widest line, detail included unless it goes below */
static int layout_line_len(const struct layout *l)
{
	int len = 0, cols = 0;

	for (int c = 0; c < N_COLS; c++) {
		if (!l->shown[c] || (c == C_DETAIL && l->detail_below))
			continue;
		len += l->width[c];
		cols++;
	}
	return len + 2 * (cols > 0 ? cols - 1 : 0);
}

static void layout_abbreviate(struct layout *l)
{
	for (size_t i = 1; i < l->lines; i++)
		for (size_t a = 0; a < sizeof(abbrevs) / sizeof(abbrevs[0]); a++) {
			char *cell = l->cells[i][abbrevs[a].col];

			if (strcmp(cell, abbrevs[a].full) == 0) {
				snprintf(cell, CELL_LEN, "%s", abbrevs[a].brief);
				l->used_abbrevs |= 1u << a;
			}
		}
	layout_widths(l);
}

static void layout_fit(struct layout *l)
{
	layout_widths(l);
	if (!l->max || layout_line_len(l) <= l->max)
		return;
	l->detail_below = l->shown[C_DETAIL];
	if (layout_line_len(l) <= l->max)
		return;
	layout_abbreviate(l);
	for (size_t d = 0; d < sizeof(drop_order) / sizeof(drop_order[0]) &&
	     layout_line_len(l) > l->max; d++)
		l->shown[drop_order[d]] = 0;
}

static const char *verdict_colour(const char *v, int color)
{
	if (!color)
		return "";
	if (strcmp(v, "yes") == 0)
		return "\033[32m";
	return strcmp(v, "no") == 0 ? "\033[1;31m" : "\033[33m";
}

/*
 * Text laid out in lines of at most `room` columns after `indent` spaces.
 * It breaks between the notes of a detail ("a; b") first, then between
 * list items ("a, b"), then between words, so "e = 0.48" stays together
 * when it can; a word longer than a line gets a line of its own.
 */
struct wrap {
	FILE *f;
	int indent, room, col;
};

static void wrap_put(struct wrap *w, const char *s, int len)
{
	if (w->col && w->room && w->col + 1 + len > w->room) {
		fputc('\n', w->f);
		w->col = 0;
	}
	if (!w->col)
		fprintf(w->f, "%*s", w->indent, "");
	else
		fputc(' ', w->f);
	fprintf(w->f, "%.*s", len, s);
	w->col += (w->col ? 1 : 0) + len;
}

static void wrap_units(struct wrap *w, const char *p, const char *end, int level)
{
	static const char *const seps[] = { "; ", ", ", " " };
	const char *sep = seps[level];

	while (p < end) {
		const char *hit = memmem(p, (size_t)(end - p), sep, strlen(sep));
		const char *unit_end = hit ? hit + strlen(sep) - 1 : end;
		int len = (int)(unit_end - p);

		if (len > 0 && (len <= w->room || !w->room || level == 2))
			wrap_put(w, p, len);
		else if (len > 0)
			wrap_units(w, p, unit_end, level + 1);
		p = hit ? hit + strlen(sep) : end;
	}
}

static void wrap_text(FILE *f, const char *text, int indent, int max)
{
	struct wrap w = { f, indent, max > indent ? max - indent : 0, 0 };

	wrap_units(&w, text, text + strlen(text), 0);
	if (w.col)
		fputc('\n', f);
}

/* the verdict sentences, each wrapped to the table's width */
static void table_verdicts(FILE *f, const struct report *r, int max)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m) {
		report_verdicts(f, r, 0);	/* unwrapped, but said */
		return;
	}
	report_verdicts(m, r, 0);
	if (fclose(m) != 0) {
		free(text);
		return;
	}
	if (len)
		fputc('\n', f);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		wrap_text(f, line, 0, max);
	free(text);
}

static void table_line(FILE *f, const struct layout *l, size_t i, int color)
{
	const char (*cell)[CELL_LEN] = l->cells[i];
	int last = -1;

	for (int c = 0; c < N_COLS; c++)
		if (l->shown[c] && !(c == C_DETAIL && l->detail_below))
			last = c;
	for (int c = 0; c <= last; c++) {
		const char *sep = c < last ? "  " : "";

		if (!l->shown[c] || (c == C_DETAIL && l->detail_below))
			continue;
		if (c == last && !report_col_numeric(c))
			fprintf(f, "%s", cell[c]);	/* no trailing blanks */
		else if (c == C_VERIFIED && color)
			fprintf(f, "%s%-*s\033[0m%s", verdict_colour(cell[c], 1),
				l->width[c], cell[c], sep);
		else
			fprintf(f, report_col_numeric(c) ? "%*s%s" : "%-*s%s",
				l->width[c], cell[c], sep);
	}
	fputc('\n', f);
	if (i > 0 && l->detail_below && cell[C_DETAIL][0])
		wrap_text(f, cell[C_DETAIL], DETAIL_INDENT, l->max);
}

/* what the fitting changed, so nothing is silently missing */
static void table_notes(FILE *f, const struct report *r, const struct layout *l)
{
	char note[1024] = "";
	size_t used = 0;
	int dropped = 0;

	for (size_t a = 0; a < sizeof(abbrevs) / sizeof(abbrevs[0]); a++)
		if (l->used_abbrevs >> a & 1u)
			used += (size_t)snprintf(note + used, sizeof(note) - used,
				"%s%s = %s", used ? ", " : "", abbrevs[a].brief,
				abbrevs[a].full);
	for (int c = 0; c < N_COLS && used < sizeof(note); c++)
		if (!l->shown[c] && report_col_shown(r, c))
			used += (size_t)snprintf(note + used, sizeof(note) - used,
				"%s%s", !dropped++ ? used ? "; not shown for width: " :
				"not shown for width: " : ", ", report_col_names[c]);
	if (used)
		wrap_text(f, note, 0, l->max);
}

void report_table(FILE *f, const struct report *r)
{
	struct layout l = { .lines = r->n + 1, .max = r->width };
	char footer[1024];

	l.cells = calloc(l.lines, sizeof(*l.cells));
	if (!l.cells) {
		report_csv(f, r);	/* no memory for the layout: still say it all */
		return;
	}
	for (int c = 0; c < N_COLS; c++) {
		snprintf(l.cells[0][c], CELL_LEN, "%s", report_col_names[c]);
		l.shown[c] = report_col_shown(r, c);
	}
	for (size_t i = 0; i < r->n; i++)
		report_row_cells(&r->rows[i], l.cells[i + 1]);
	layout_fit(&l);
	for (size_t i = 0; i < l.lines; i++)
		table_line(f, &l, i, i > 0 && r->color);
	fputc('\n', f);
	table_notes(f, r, &l);
	table_verdicts(f, r, l.max);
	report_footer(r, footer, sizeof(footer));
	wrap_text(f, footer, 0, l.max);
	if (r->host) {
		report_host_line(r, footer, sizeof(footer));
		wrap_text(f, footer, 0, l.max);
	}
	free(l.cells);
}

void report_markdown(FILE *f, const struct report *r)
{
	char cell[N_COLS][CELL_LEN], footer[1024];

	for (int c = 0; c < N_COLS; c++)
		if (report_col_shown(r, c))
			fprintf(f, "| %s ", report_col_names[c]);
	fputs("|\n", f);
	for (int c = 0; c < N_COLS; c++)
		if (report_col_shown(r, c))
			fputs(report_col_numeric(c) ? "|---:" : "|---", f);
	fputs("|\n", f);
	for (size_t i = 0; i < r->n; i++) {
		report_row_cells(&r->rows[i], cell);
		for (int c = 0; c < N_COLS; c++) {
			if (!report_col_shown(r, c))
				continue;
			fputs("| ", f);
			for (const char *s = cell[c]; *s; s++)
				fputs(*s == '|' ? "\\|" : (char[2]){ *s, 0 }, f);
			fputc(' ', f);
		}
		fputs("|\n", f);
	}
	report_verdicts(f, r, 1);
	report_footer(r, footer, sizeof(footer));
	fprintf(f, "\n*%s*\n", footer);
	if (r->host) {
		report_host_line(r, footer, sizeof(footer));
		fprintf(f, "\n*%s.*\n", footer);
	}
}

/*
 * report_verdict.c - what a table says, in a sentence per comparison, and
 * the host it was measured on.
 *
 * A table of thirty numbers hides its lesson; hyperfine ends with one
 * plain sentence ("A ran 1.97 times faster than B"). tvp does the same for
 * each comparison (workload, variant, size, reference) at its largest
 * worker count, and puts a busy host's warning beside every figure it
 * touches, so a reversed lesson is never stated plainly.
 */
#include <math.h>
#include <string.h>

#include "report/report.h"

#define MAX_SAY 32	/* back ends named in one sentence */

static const char *reference_name(const struct cell_result *r)
{
	return r->be->reference ? r->be->reference : "sequential";
}

static int same_comparison(const struct cell_result *a,
			   const struct cell_result *b)
{
	return a->wl == b->wl && a->variant == b->variant && a->size == b->size &&
	       strcmp(reference_name(a), reference_name(b)) == 0;
}

/* a row with a speedup worth a sentence: measured, not the reference */
static int sayable(const struct cell_result *r)
{
	return strcmp(r->be->name, reference_name(r)) != 0 &&
	       isfinite(r->speedup) && !r->failed;
}

static const struct cell_result *find_ref(const struct report *rep,
					  const struct cell_result *r)
{
	for (size_t i = 0; i < rep->n; i++)
		if (rep->rows[i].wl == r->wl && rep->rows[i].variant == r->variant &&
		    rep->rows[i].size == r->size &&
		    strcmp(rep->rows[i].be->name, reference_name(r)) == 0)
			return &rep->rows[i];
	return NULL;
}

/* the rows of row `first`'s comparison at worker count w, fastest first */
static size_t gather(const struct report *rep, size_t first, int w,
		     const struct cell_result **out)
{
	size_t n = 0;

	for (size_t i = first; i < rep->n && n < MAX_SAY; i++) {
		const struct cell_result *r = &rep->rows[i];
		size_t k = n;

		if (!same_comparison(r, &rep->rows[first]) || r->workers != w ||
		    !sayable(r))
			continue;
		n++;
		while (k > 0 && out[k - 1]->speedup < r->speedup) {
			out[k] = out[k - 1];
			k--;
		}
		out[k] = r;
	}
	return n;
}

static const char *mark(const struct cell_result *r,
			const struct cell_result *ref)
{
	if (r->suspect)
		return " (implausible)";
	if (r->busy_reps > 0 || (ref && ref->busy_reps > 0))
		return " (busy host)";
	return "";
}

static void say(FILE *f, const struct report *rep, size_t first, int w,
		int markdown)
{
	const struct cell_result *row[MAX_SAY], *ref;
	const char *variant;
	size_t n = gather(rep, first, w, row);
	int slower = 0;

	if (n == 0)
		return;
	ref = find_ref(rep, row[0]);
	variant = workload_variant_name(row[0]->wl, row[0]->variant);
	fprintf(f, "%s%s%s%s: ", markdown ? "- " : "", row[0]->wl->name,
		strcmp(variant, "default") ? "/" : "",
		strcmp(variant, "default") ? variant : "");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s%s %.2fx%s", i ? ", " : "", row[i]->be->name,
			row[i]->speedup, mark(row[i], ref));
		slower |= row[i]->speedup < 1;
	}
	fprintf(f, " %s %s with %d worker%s; ideal %d\n",
		slower ? "the speed of" : "faster than", reference_name(row[0]),
		w, w == 1 ? "" : "s", w);
}

/* the largest worker count of row first's comparison with a speedup */
static int largest_w(const struct report *rep, size_t first)
{
	int w = 0;

	for (size_t i = first; i < rep->n; i++)
		if (same_comparison(&rep->rows[i], &rep->rows[first]) &&
		    sayable(&rep->rows[i]) && rep->rows[i].workers > w)
			w = rep->rows[i].workers;
	return w;
}

static int said_before(const struct report *rep, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (same_comparison(&rep->rows[k], &rep->rows[i]) &&
		    sayable(&rep->rows[k]))
			return 1;
	return 0;
}

void report_verdicts(FILE *f, const struct report *rep, int markdown)
{
	int any = 0;

	for (size_t i = 0; i < rep->n; i++) {
		int w;

		if (!sayable(&rep->rows[i]) || said_before(rep, i))
			continue;
		w = largest_w(rep, i);
		if (!any)
			fputc('\n', f);
		any = 1;
		say(f, rep, i, w, markdown);
	}
}

/* "host: others took a median 0.02 CPUs (max 0.10) of 2; ..." */
void report_host_line(const struct report *rep, char *buf, size_t len)
{
	const struct host_run *h = rep->host;
	char psi[48] = "", busy[96];

	if (!h || h->windows == 0) {
		snprintf(buf, len, "host: not measured");
		return;
	}
	if (isfinite(h->pressure))
		snprintf(psi, sizeof(psi), "; CPU pressure %.0f%%",
			 h->pressure * 100);
	if (h->busy_cells)
		snprintf(busy, sizeof(busy), "%zu of %zu cells busy (above %.2g CPUs), %zu repetitions retried",
			 h->busy_cells, h->cells, h->threshold, h->retried);
	else
		snprintf(busy, sizeof(busy), "no cell busy (threshold %.2g CPUs)%s",
			 h->threshold, h->retried ? ", after retries" : "");
	snprintf(buf, len, "host: other processes took a median %.2f CPUs (max %.2f) of %d, steal %.2f%s; %s",
		 h->foreign_median, h->foreign_max, h->cpus, h->steal, psi,
		 busy);
}

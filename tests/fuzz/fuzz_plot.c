/*
 * fuzz_plot.c - libFuzzer target for what `tvp plot` reads: a results CSV
 * or a task trace, through libcsv and the readers, into a gnuplot script.
 *
 * Input: the first byte picks results (even) or trace (odd), the rest is
 * the file. Besides crashes and sanitizer reports, it traps on a broken
 * promise: a refusal without a "FILE:" message, or a script in which any
 * text escapes its single quotes (plot_script_check, the same check tvp
 * runs before gnuplot). The input's first line also becomes the picture's
 * title and footer, so every byte is tried as a caption too.
 *
 *	make fuzz                 a bounded run (FUZZ_TIME seconds, shared)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"

#define FUZZ_ERR 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void promise(int kept)
{
	if (!kept)
		__builtin_trap();
}

/* the script into memory; it must pass the check tvp applies */
static void check_script(const struct plot_points *pts,
			 const struct plot_trace *t, const char *text)
{
	struct plot_caption cap = { .cpus = 2 };
	char *script = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&script, &len);

	if (!f)
		return;
	snprintf(cap.title, sizeof(cap.title), "%s", text);
	snprintf(cap.footer[0], sizeof(cap.footer[0]), "%s", text);
	if (pts && plot_points_check(pts, cap.footer[1], sizeof(cap.footer[1])) == 0) {
		plot_caption_host(pts, &cap);
		plot_speedup_script(f, pts, "f.png", &cap);
	}
	if (t)
		plot_trace_script(f, t, "f.svg", text);
	if (fclose(f) == 0)
		promise(plot_script_check(script) == 0);
	free(script);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plot_points pts = { 0 };
	struct plot_trace t = { 0 };
	char err[FUZZ_ERR] = "", *text;
	FILE *in;
	int rc;

	if (size < 2 || !(text = malloc(size)))
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = 0;
	in = fmemopen((void *)(data + 1), size - 1, "r");
	if (!in) {
		free(text);
		return 0;
	}
	rc = data[0] % 2 ? plot_read_trace(in, "f.csv", &t, err, sizeof(err)) :
			   plot_read_results(in, "f.csv", &pts, err, sizeof(err));
	fclose(in);
	promise(rc == 0 || (rc == -1 && strncmp(err, "f.csv", 5) == 0));
	if (rc == 0)
		check_script(data[0] % 2 ? NULL : &pts, data[0] % 2 ? &t : NULL,
			     text);
	plot_points_free(&pts);
	plot_trace_free(&t);
	free(text);
	return 0;
}

/*
 * plot_gp.h - what the gnuplot script writers of plot*.c share.
 */
#ifndef TVP_PLOT_GP_H
#define TVP_PLOT_GP_H

#include <stdio.h>

/* s as a single-quoted gnuplot string: nothing in it is expanded */
void gp_string(FILE *f, const char *s);
/* the terminal for out's extension, w x h pixels, output to stdout */
void gp_header(FILE *f, const char *out, int w, int h);
/* label `tag` with text at (x, y) pixels from the canvas's top left */
void gp_canvas_label(FILE *f, int tag, const char *text, int x, int y,
		     int w, int h, const char *how);

#endif

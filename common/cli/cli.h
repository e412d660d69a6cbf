/*
 * cli.h - the command lines: `tvp run`'s parsers (each testable alone),
 * which fill the configuration (config.h), and the commands' help.
 *
 * Every parser returns 0, or -1 after writing one line to `err` that names
 * the argument and the form it accepts. Only main() turns that into exit 2.
 */
#ifndef TVP_CLI_H
#define TVP_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "sys/parse.h"
#include "tvp.h"

int cli_parse_workers(const char *arg, int *out, size_t *n, char *err);
int cli_parse_format(const char *arg, enum format *out, char *err);
/*
 * The format of output file `name` (NULL: stdout): the one its extension
 * names (.csv .json .md .txt .html), else -f, else a table on a terminal and
 * CSV elsewhere. -1 when none: the extension is not one of those, or it
 * contradicts -f (err says so). A name without an extension takes -f.
 */
int cli_output_format(const struct config *cfg, const char *name, int tty,
		      enum format *out, char *err);

/* `tvp run ...`: argv[0] is "run". Fills cfg; 0, or -1 with err written. */
int cli_parse_run(int argc, char **argv, struct config *cfg, char *err);
void cli_usage(FILE *f);
void cli_run_help(FILE *f);

/*
 * arg as a message repeats it: whole, or its first CLI_ECHO_MAX bytes, "..."
 * and its length, so a huge argument never pushes the explanation out.
 * out holds at least CLI_ECHO_MAX + 8 bytes.
 */
void cli_echo(const char *arg, char *out, size_t len);

#endif

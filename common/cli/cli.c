/*
 * cli.c - parsing `tvp run` and its values.
 *
 * Each value parser accepts exactly one documented form and, when it
 * refuses, says which argument was wrong and what it takes, so a user never
 * has to guess. Nothing here prints to stdout or exits.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <strings.h>

#include "cli/cli.h"
#include "sys/parse.h"

static int add_worker(int w, int *out, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i] == w)
			return 0;
	/* "1,1-2" means 1 and 2 */
	if (*n == MAX_WORKER_POINTS)
		return -1;
	out[(*n)++] = w;
	return 0;
}

/* one item of a worker list: "N" or "A-B" */
static int parse_worker_item(const char *s, int *out, size_t *n)
{
	uint64_t a, b;
	char *end;

	if (parse_digits(s, &end, &a))
		return -1;
	b = a;
	if (*end == '-' && parse_digits(end + 1, &end, &b))
		return -1;
	if (*end || a < 1 || b < a || b > MAX_WORKERS)
		return -1;
	for (uint64_t w = a; w <= b; w++)
		if (add_worker((int)w, out, n))
			return -1;
	return 0;
}

int cli_parse_workers(const char *arg, int *out, size_t *n, char *err)
{
	char buf[512], *save = NULL, *tok;

	*n = 0;
	if (!arg || !*arg || strlen(arg) >= sizeof(buf) || arg[0] == ',' ||
	    arg[strlen(arg) - 1] == ',' || strstr(arg, ",,"))
		goto bad;
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (parse_worker_item(tok, out, n))
			goto bad;
	return 0;
bad:
	return parse_fail(err, "--workers: expected worker counts from 1 to %d as a number (2), a list (1,2,4) or a range (1-8), at most %d of them, got '%s'",
		    MAX_WORKERS, MAX_WORKER_POINTS, arg ? arg : "");
}

static const char *const format_names[] = {
	[FORMAT_TABLE] = "table", [FORMAT_CSV] = "csv", [FORMAT_JSON] = "json",
	[FORMAT_MARKDOWN] = "markdown", [FORMAT_HTML] = "html",
};

int cli_parse_format(const char *arg, enum format *out, char *err)
{
	for (size_t i = 0; arg && i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strcmp(arg, format_names[i]) == 0) {
			*out = (enum format)i;
			return 0;
		}
	return parse_fail(err, "--format: expected table, csv, json, markdown or html, got '%s'",
		    arg ? arg : "");
}

/* the extension of a file name's last component, or NULL: "a/b.c/out" has none */
static const char *extension_of(const char *name)
{
	const char *base = name ? strrchr(name, '/') : NULL;
	const char *dot;

	base = base ? base + 1 : name;
	dot = base ? strrchr(base, '.') : NULL;
	return dot && dot != base ? dot : NULL;
}

/* 0 known extension, 1 none, -1 one tvp does not write */
static int format_of_extension(const char *name, enum format *out)
{
	static const struct { const char *ext; enum format fmt; } tab[] = {
		{ ".csv", FORMAT_CSV }, { ".json", FORMAT_JSON },
		{ ".md", FORMAT_MARKDOWN }, { ".markdown", FORMAT_MARKDOWN },
		{ ".txt", FORMAT_TABLE }, { ".html", FORMAT_HTML },
		{ ".htm", FORMAT_HTML },
	};
	const char *dot = extension_of(name);

	if (!dot)
		return 1;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcasecmp(dot, tab[i].ext) == 0) {
			*out = tab[i].fmt;
			return 0;
		}
	return -1;
}

int cli_output_format(const struct config *cfg, const char *name, int tty,
		      enum format *out, char *err)
{
	enum format ext;
	int rc = format_of_extension(name, &ext);

	if (rc < 0)
		return parse_fail(err, "--output: '%s': unknown extension; expected one of " OUTPUT_EXTENSIONS " (or no extension, with -f)",
			    name);
	if (rc == 0) {
		if (cfg->format_set && cfg->format != ext)
			return parse_fail(err, "--output: '%s' looks like %s but --format says %s; drop --format or rename the file",
				    name, format_names[ext], format_names[cfg->format]);
		*out = ext;
	} else {
		*out = cfg->format_set ? cfg->format : tty ? FORMAT_TABLE : FORMAT_CSV;
	}
	return 0;
}

void cli_echo(const char *arg, char *out, size_t len)
{
	size_t n = strlen(arg);

	if (n <= CLI_ECHO_MAX)
		snprintf(out, len, "%s", arg);
	else
		snprintf(out, len, "%.*s...", CLI_ECHO_MAX - 4, arg);
}

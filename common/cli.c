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

#include "cli.h"

static int fail(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ERR_LEN, fmt, ap);
	va_end(ap);
	return -1;
}

/* digits only: no sign, no spaces, no hex, so "-1" and " 2" are refused */
static int parse_digits(const char *s, char **end, uint64_t *out)
{
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*end = (char *)s;
	*out = v;
	return 0;
}

int cli_parse_uint(const char *arg, const char *what, uint64_t min,
		   uint64_t max, uint64_t *out, char *err)
{
	char *end;
	uint64_t v;

	if (!arg || parse_digits(arg, &end, &v) || *end || v < min || v > max)
		return fail(err, "%s: expected a whole number from %llu to %llu, got '%s'",
			    what, (unsigned long long)min,
			    (unsigned long long)max, arg ? arg : "");
	*out = v;
	return 0;
}

/* K, M and G are decimal (10M is ten million items), as in "n = 10M" */
static int suffix_scale(const char *s, uint64_t *scale)
{
	static const struct { const char *sfx; uint64_t scale; } tab[] = {
		{ "", 1 }, { "K", 1000ULL }, { "k", 1000ULL },
		{ "M", 1000000ULL }, { "G", 1000000000ULL },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(s, tab[i].sfx) == 0) {
			*scale = tab[i].scale;
			return 0;
		}
	return -1;
}

int cli_parse_size(const char *arg, const char *what, uint64_t min,
		   uint64_t max, uint64_t *out, char *err)
{
	char *end;
	uint64_t v, scale;

	if (!arg || parse_digits(arg, &end, &v) || suffix_scale(end, &scale) ||
	    (v && scale > UINT64_MAX / v) || v * scale < min || v * scale > max)
		return fail(err, "%s: expected a count from %llu to %llu, digits with an optional K, M or G (x1000, x10^6, x10^9), got '%s'",
			    what, (unsigned long long)min,
			    (unsigned long long)max, arg ? arg : "");
	*out = v * scale;
	return 0;
}

int cli_parse_double(const char *arg, const char *what, double min,
		     double max, double *out, char *err)
{
	char *end;
	double v;

	errno = 0;
	v = arg && *arg && !isspace((unsigned char)*arg) ? strtod(arg, &end) : NAN;
	if (isnan(v) || errno || *end || !isfinite(v) || v < min || v > max)
		return fail(err, "%s: expected a number from %g to %g, got '%s'",
			    what, min, max, arg ? arg : "");
	*out = v;
	return 0;
}

int cli_parse_ms(const char *arg, const char *what, double min, double max,
		 double *out, char *err)
{
	static const struct { const char *unit; double ms; } tab[] = {
		{ "", 1 }, { "ms", 1 }, { "s", 1000 }, { "us", 0.001 },
	};
	char *end;
	double v;

	if (!arg || !(isdigit((unsigned char)*arg) || *arg == '.'))
		goto bad;
	v = strtod(arg, &end);
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(end, tab[i].unit) == 0) {
			v *= tab[i].ms;
			if (isfinite(v) && v >= min && v <= max) {
				*out = v;
				return 0;
			}
		}
bad:
	return fail(err, "%s: expected a duration from %gms to %gms such as 50ms, 1.5s or 250us (bare numbers are ms), got '%s'",
		    what, min, max, arg ? arg : "");
}

static int add_worker(int w, int *out, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i] == w)
			return 0;	/* "1,1-2" means 1 and 2 */
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
	return fail(err, "--workers: expected worker counts from 1 to %d as a number (2), a list (1,2,4) or a range (1-8), at most %d of them, got '%s'",
		    MAX_WORKERS, MAX_WORKER_POINTS, arg ? arg : "");
}

int cli_parse_format(const char *arg, enum format *out, char *err)
{
	static const char *const names[] = { "table", "csv", "json", "markdown" };

	for (size_t i = 0; arg && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(arg, names[i]) == 0) {
			*out = (enum format)i;
			return 0;
		}
	return fail(err, "--format: expected table, csv, json or markdown, got '%s'",
		    arg ? arg : "");
}

static int format_of_extension(const char *name, enum format *out)
{
	static const struct { const char *ext; enum format fmt; } tab[] = {
		{ ".csv", FORMAT_CSV }, { ".json", FORMAT_JSON },
		{ ".md", FORMAT_MARKDOWN }, { ".markdown", FORMAT_MARKDOWN },
		{ ".txt", FORMAT_TABLE },
	};
	const char *dot = name ? strrchr(name, '.') : NULL;

	for (size_t i = 0; dot && i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(dot, tab[i].ext) == 0) {
			*out = tab[i].fmt;
			return 0;
		}
	return -1;
}

int cli_output_format(const struct config *cfg, const char *name, int tty,
		      enum format *out, char *err)
{
	static const char *const names[] = { "table", "csv", "json", "markdown" };
	enum format ext;

	if (format_of_extension(name, &ext) == 0) {
		if (cfg->format_set && cfg->format != ext)
			return fail(err, "--output: '%s' looks like %s but --format says %s; drop --format or rename the file",
				    name, names[ext], names[cfg->format]);
		*out = ext;
	} else {
		*out = cfg->format_set ? cfg->format : tty ? FORMAT_TABLE : FORMAT_CSV;
	}
	return 0;
}

static int choice_index(const char *choices, const char *arg)
{
	size_t len = strlen(arg);
	int i = 0;

	for (const char *p = choices; *p; i++) {
		const char *bar = strchr(p, '|');
		size_t wlen = bar ? (size_t)(bar - p) : strlen(p);

		if (wlen == len && len && strncmp(p, arg, len) == 0)
			return i;
		if (!bar)
			break;
		p = bar + 1;
	}
	return -1;
}

int cli_parse_param(const struct param_def *p, const char *arg,
		    union param_value *out, char *err)
{
	char what[64];

	snprintf(what, sizeof(what), "--%s", p->name);
	switch (p->kind) {
	case PARAM_UINT:
		return cli_parse_size(arg, what, (uint64_t)p->min,
				      (uint64_t)p->max, &out->u, err);
	case PARAM_DOUBLE:
		return cli_parse_double(arg, what, p->min, p->max, &out->d, err);
	case PARAM_MS:
		return cli_parse_ms(arg, what, p->min, p->max, &out->d, err);
	case PARAM_CHOICE:
		out->choice = choice_index(p->choices, arg);
		if (out->choice >= 0)
			return 0;
		return fail(err, "%s: expected one of %s, got '%s'", what,
			    p->choices, arg);
	case PARAM_STRING:
		if (!*arg)
			return fail(err, "%s: expected a non-empty value", what);
		out->s = arg;
		return 0;
	}
	return fail(err, "%s: unknown parameter kind", what);
}

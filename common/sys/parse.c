/*
 * parse.c - the value parsers every command line and TVP_FAULT use: whole
 * numbers, counts with K/M/G, real numbers and durations.
 *
 * Each accepts exactly one documented form and, when it refuses, writes one
 * line to err (ERR_LEN bytes) naming the argument and what it takes, so a
 * user never has to guess. Nothing here prints or exits.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/parse.h"

int parse_fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ERR_LEN, fmt, ap);
	va_end(ap);
	return -1;
}

/* digits only: no sign, no spaces, no hex, so "-1" and " 2" are refused */
int parse_digits(const char *s, char **end, uint64_t *out)
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

int parse_uint(const char *arg, const char *what, uint64_t min,
		   uint64_t max, uint64_t *out, char *err)
{
	char *end;
	uint64_t v;

	if (!arg || parse_digits(arg, &end, &v) || *end || v < min || v > max)
		return parse_fail(err, "%s: expected a whole number from %llu to %llu, got '%s'",
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

int parse_size(const char *arg, const char *what, uint64_t min,
		   uint64_t max, uint64_t *out, char *err)
{
	char *end;
	uint64_t v, scale;

	if (!arg || parse_digits(arg, &end, &v) || suffix_scale(end, &scale) ||
	    (v && scale > UINT64_MAX / v) || v * scale < min || v * scale > max)
		return parse_fail(err, "%s: expected a count from %llu to %llu, digits with an optional K, M or G (x1000, x10^6, x10^9), got '%s'",
			    what, (unsigned long long)min,
			    (unsigned long long)max, arg ? arg : "");
	*out = v * scale;
	return 0;
}

int parse_double(const char *arg, const char *what, double min,
		     double max, double *out, char *err)
{
	char *end;
	double v;

	errno = 0;
	v = arg && *arg && !isspace((unsigned char)*arg) ? strtod(arg, &end) : NAN;
	if (isnan(v) || errno || *end || !isfinite(v) || v < min || v > max)
		return parse_fail(err, "%s: expected a number from %g to %g, got '%s'",
			    what, min, max, arg ? arg : "");
	*out = v;
	return 0;
}

int parse_ms(const char *arg, const char *what, double min, double max,
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
	return parse_fail(err, "%s: expected a duration from %gms to %gms such as 50ms, 1.5s or 250us (bare numbers are ms), got '%s'",
		    what, min, max, arg ? arg : "");
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

/*
 * Whether tvp could write `path`, without touching it (access(), so
 * planning and the fuzzer create nothing): an existing file that is not
 * a directory and is writable, or a new name in a writable directory.
 */
int check_output_path(const char *path, const char *what, char *err)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	struct stat st;

	if (!*path)
		return parse_fail(err, "%s: expected a file name", what);
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return parse_fail(err, "%s: '%s' is a directory; expected a file to write",
				    what, path);
		if (access(path, W_OK) != 0)
			return parse_fail(err, "%s: cannot write '%s': %s", what, path,
				    strerror(errno));
		return 0;
	}
	if (errno != ENOENT)
		return parse_fail(err, "%s: cannot write '%s': %s", what, path, strerror(errno));
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path + (slash == path)) : 1,
		 slash ? path : ".");
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return parse_fail(err, "%s: cannot create '%s': no directory '%s'", what,
			    path, dir);
	if (access(dir, W_OK | X_OK) != 0)
		return parse_fail(err, "%s: cannot create '%s' in '%s': %s", what, path,
			    dir, strerror(errno));
	return 0;
}

int parse_param(const struct param_def *p, const char *arg,
		    union param_value *out, char *err)
{
	char what[64];

	snprintf(what, sizeof(what), "--%s", p->name);
	switch (p->kind) {
	case PARAM_UINT:
		return parse_size(arg, what, (uint64_t)p->min,
				      (uint64_t)p->max, &out->u, err);
	case PARAM_DOUBLE:
		return parse_double(arg, what, p->min, p->max, &out->d, err);
	case PARAM_MS:
		return parse_ms(arg, what, p->min, p->max, &out->d, err);
	case PARAM_CHOICE:
		out->choice = choice_index(p->choices, arg);
		if (out->choice >= 0)
			return 0;
		return parse_fail(err, "%s: expected one of %s, got '%s'", what,
			    p->choices, arg);
	case PARAM_STRING:
	case PARAM_OUTPUT:
		if (!*arg)
			return parse_fail(err, "%s: expected a non-empty value", what);
		out->s = arg;
		if (p->kind == PARAM_OUTPUT && strcmp(arg, PARAM_NO_OUTPUT) != 0)
			return check_output_path(arg, what, err);
		return 0;
	}
	return parse_fail(err, "%s: unknown parameter kind", what);
}

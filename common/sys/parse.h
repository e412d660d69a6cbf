/*
 * parse.h - value parsers shared by the command lines and TVP_FAULT.
 *
 * Every parser returns 0, or -1 after writing one line to err (ERR_LEN
 * bytes) that names the argument (`what`) and the form it accepts.
 */
#ifndef TVP_SYS_PARSE_H
#define TVP_SYS_PARSE_H

#include <stdint.h>

#include "tvp.h"

#define ERR_LEN 512	/* room for a list of accepted names */

/* one line into err, like snprintf; always -1, so callers can return it */
int parse_fail(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* digits only (no sign, space or hex): the value, *end after the last one */
int parse_digits(const char *s, char **end, uint64_t *out);
int parse_uint(const char *arg, const char *what, uint64_t min,
	       uint64_t max, uint64_t *out, char *err);
int parse_size(const char *arg, const char *what, uint64_t min,
	       uint64_t max, uint64_t *out, char *err);
int parse_double(const char *arg, const char *what, double min,
		 double max, double *out, char *err);
int parse_ms(const char *arg, const char *what, double min, double max,
	     double *out, char *err);

/* 0 if tvp could write path (what: the option, for the message), else -1 */
int check_output_path(const char *path, const char *what, char *err);
/* a parameter value, checked against its definition */
int parse_param(const struct param_def *p, const char *arg,
		union param_value *out, char *err);

#endif

/*
 * fuzz_cli.c - libFuzzer target for everything tvp parses from a user:
 * the value parsers (size, whole number, real, duration, worker list,
 * format, workload parameters), the TVP_FAULT spec, and whole `tvp run`
 * argument vectors through planning (nothing is run).
 *
 * Input: the first byte picks the parser, the rest is the text; for an
 * argument vector, arguments are separated by NUL or newline bytes.
 * Besides crashes and sanitizer reports, it traps on a broken promise: a
 * value accepted out of its range, a refusal without a message.
 *
 *	make fuzz                 a bounded run (FUZZ_TIME seconds)
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "run/driver.h"
#include "sys/fault.h"

#define MAX_FUZZ_TEXT 4096
#define MAX_FUZZ_ARGS 64
#define FUZZ_MIN 3		/* a range that is not the whole type */
#define FUZZ_MAX 5000000000ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void promise(int kept)
{
	if (!kept)
		__builtin_trap();
}

/* a refusal must say why; an acceptance must leave err alone */
static void check(int rc, const char *err)
{
	promise(rc == 0 || rc == -1);
	promise(rc == 0 || err[0] != 0);
}

static void fuzz_numbers(int which, const char *s)
{
	char err[ERR_LEN] = "";
	uint64_t u = 0;
	double d = 0;
	int rc;

	switch (which) {
	case 0:
		rc = parse_size(s, "-n", FUZZ_MIN, FUZZ_MAX, &u, err);
		promise(rc || (u >= FUZZ_MIN && u <= FUZZ_MAX));
		break;
	case 1:
		rc = parse_uint(s, "--reps", FUZZ_MIN, FUZZ_MAX, &u, err);
		promise(rc || (u >= FUZZ_MIN && u <= FUZZ_MAX));
		break;
	case 2:
		rc = parse_double(s, "--timeout", 0.001, 86400, &d, err);
		promise(rc || (isfinite(d) && d >= 0.001 && d <= 86400));
		break;
	default:
		rc = parse_ms(s, "--latency", 0, 60000, &d, err);
		promise(rc || (isfinite(d) && d >= 0 && d <= 60000));
		break;
	}
	check(rc, err);
}

static void fuzz_workers(const char *s)
{
	int w[MAX_WORKER_POINTS];
	char err[ERR_LEN] = "";
	size_t n = 0;
	int rc = cli_parse_workers(s, w, &n, err);

	check(rc, err);
	promise(rc || (n >= 1 && n <= MAX_WORKER_POINTS));
	for (size_t i = 0; !rc && i < n; i++) {
		promise(w[i] >= 1 && w[i] <= MAX_WORKERS);
		for (size_t j = 0; j < i; j++)
			promise(w[i] != w[j]);
	}
}

static void fuzz_params(const char *s)
{
	char err[ERR_LEN] = "";
	enum format f;

	check(cli_parse_format(s, &f, err), err);
	for (size_t w = 0; w < n_workloads; w++)
		for (const struct param_def *p = workloads[w]->params; p && p->name; p++) {
			union param_value v;

			err[0] = 0;
			check(parse_param(p, s, &v, err), err);
		}
	err[0] = 0;
	check(fault_set(s, err, sizeof(err)), err);
	fault_set(NULL, err, sizeof(err));
}

/* "run" and the arguments; a line that parses is planned, never run */
static void fuzz_run(char *text, size_t len)
{
	char *argv[MAX_FUZZ_ARGS + 2] = { "run" }, err[ERR_LEN] = "";
	struct config cfg;
	struct plan plan;
	int argc = 1, rc;

	argv[argc++] = text;
	for (size_t i = 0; i < len && argc < MAX_FUZZ_ARGS; i++)
		if (text[i] == '\n' || text[i] == 0) {
			text[i] = 0;
			argv[argc++] = &text[i + 1];
		}
	argv[argc] = NULL;
	rc = cli_parse_run(argc, argv, &cfg, err);
	promise(rc == 0 || rc == 1 || (rc == -1 && err[0]));
	if (rc != 0)
		return;
	rc = driver_plan(&cfg, &plan, err);
	promise(rc == 0 || rc == -ENOMEM || (rc == -1 && err[0]));
	for (size_t i = 0; rc == 0 && i < plan.n; i++)
		promise(plan.cells[i].workers >= 1 &&
			plan.cells[i].workers <= MAX_WORKERS);
	plan_free(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[MAX_FUZZ_TEXT + 1];
	size_t len;

	if (size < 1)
		return 0;
	len = size - 1 < MAX_FUZZ_TEXT ? size - 1 : MAX_FUZZ_TEXT;
	memcpy(text, data + 1, len);
	text[len] = 0;
	switch (data[0] % 8) {
	case 0: case 1: case 2: case 3:
		fuzz_numbers(data[0] % 8, text);
		break;
	case 4:
		fuzz_workers(text);
		break;
	case 5:
		fuzz_params(text);
		break;
	default:
		fuzz_run(text, len);
		break;
	}
	return 0;
}

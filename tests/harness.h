/*
 * harness.h - one CUnit runner for every tests/test_*.c.
 *
 * Each test file ends with SUITE(name, TEST(fn), ...): a constructor adds
 * the suite to the registry, so adding a test file edits nothing else.
 * Run one suite with `bin/tvp-tests NAME`.
 */
#ifndef TVP_HARNESS_H
#define TVP_HARNESS_H

#include <CUnit/CUnit.h>
#include <stdint.h>

#include "tvp.h"

struct suite_def {
	const char *name;
	CU_TestInfo *tests;
};

void harness_add(const struct suite_def *s);

#define TEST(fn) { #fn, fn }
#define SUITE(sname, ...)                                                   \
	static CU_TestInfo sname##_tests[] = { __VA_ARGS__, CU_TEST_INFO_NULL }; \
	__attribute__((constructor)) static void sname##_register(void)     \
	{                                                                    \
		static const struct suite_def def = { #sname, sname##_tests }; \
		harness_add(&def);                                           \
	}

/*
 * A cell of workload `wl` on back end `be`, parameters at their defaults
 * except `opts`, "name=value" strings ending in NULL. Asserts it is valid.
 */
struct cell harness_cell(const char *wl, const char *be, const char *variant,
			 int workers, uint64_t size, const char *const *opts);
/* setup, one run, verify, teardown, in this process: the verdict, or -1 */
int harness_run(struct cell *c, char *detail, size_t len);

/* run bin/tvp (TVP_BIN) with args; capture both streams; exit status */
struct tvp_output {
	int status;		/* exit code, or 128+signal */
	char out[65536];
	char err[8192];
};
int harness_tvp(struct tvp_output *o, const char *const *args);

/* entries in /dev/shm whose name contains "tvp" */
int harness_shm_entries(void);

#endif

/*
 * test_pin.c - --pin: which CPU slot each worker gets, that pinned thread
 * and process workers are bound to exactly one CPU each (different ones
 * while there are CPUs to go round), and that OpenMP gets OMP_PLACES and
 * OMP_PROC_BIND without the driver being left bound to one CPU.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "processes/team.h"
#include "sys/pin.h"
#include "sys/shm.h"
#include "tests/harness.h"
#include "threads/team.h"

#define TEAM 2

static void test_pin_slot_compact_fills_in_order(void)
{
	for (int k = 0; k < 4; k++)
		CU_ASSERT_EQUAL(pin_slot(PIN_COMPACT, k, 4, 8), k);
	CU_ASSERT_EQUAL(pin_slot(PIN_COMPACT, 5, 6, 4), 1);	/* wraps */
}

static void test_pin_slot_spread_spaces_workers_evenly(void)
{
	/* 2 workers over 8 CPUs: 0 and 4; 4 over 8: 0 2 4 6 */
	CU_ASSERT_EQUAL(pin_slot(PIN_SPREAD, 0, 2, 8), 0);
	CU_ASSERT_EQUAL(pin_slot(PIN_SPREAD, 1, 2, 8), 4);
	CU_ASSERT_EQUAL(pin_slot(PIN_SPREAD, 3, 4, 8), 6);
	CU_ASSERT_EQUAL(pin_slot(PIN_SPREAD, 2, 3, 3), 2);	/* W = CPUs: one each */
	CU_ASSERT_EQUAL(pin_slot(PIN_SPREAD, 4, 6, 4), 0);	/* W > CPUs: wraps */
}

static void test_pin_parse_knows_the_three_policies(void)
{
	int p = -1;

	CU_ASSERT_EQUAL(pin_parse("none", &p), 0);
	CU_ASSERT_EQUAL(p, PIN_NONE);
	CU_ASSERT_EQUAL(pin_parse("compact", &p), 0);
	CU_ASSERT_EQUAL(p, PIN_COMPACT);
	CU_ASSERT_EQUAL(pin_parse("spread", &p), 0);
	CU_ASSERT_EQUAL(p, PIN_SPREAD);
	CU_ASSERT_EQUAL(pin_parse("Spread", &p), -1);
	CU_ASSERT_STRING_EQUAL(pin_name(PIN_COMPACT), "compact");
	CU_ASSERT_STRING_EQUAL(pin_choices(), "none|compact|spread");
}

/* what each worker saw of its own affinity */
struct seen {
	int count[TEAM];
	int cpu[TEAM];
};

static int record_affinity(void *arg, int id)
{
	struct seen *s = arg;
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return -1;
	s->count[id] = CPU_COUNT(&set);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set)) {
			s->cpu[id] = cpu;
			break;
		}
	return 0;
}

static int allowed_cpus(void)
{
	cpu_set_t set;

	CU_ASSERT_EQUAL_FATAL(sched_getaffinity(0, sizeof(set), &set), 0);
	return CPU_COUNT(&set);
}

static void check_bound(const struct seen *s)
{
	for (int k = 0; k < TEAM; k++)
		CU_ASSERT_EQUAL(s->count[k], 1);
	if (allowed_cpus() >= TEAM)
		CU_ASSERT_NOT_EQUAL(s->cpu[0], s->cpu[1]);
}

static void test_pinned_threads_each_get_one_cpu(void)
{
	struct cell c = harness_cell("squares", "threads", NULL, TEAM, 10, NULL);
	int before = allowed_cpus();
	struct seen s;

	memset(&s, 0, sizeof(s));
	c.pin = PIN_COMPACT;
	CU_ASSERT_EQUAL_FATAL(team_run(&c, record_affinity, &s), 0);
	check_bound(&s);
	CU_ASSERT_EQUAL(allowed_cpus(), before);	/* the caller stays free */
}

static void test_pinned_processes_each_get_one_cpu(void)
{
	struct cell c = harness_cell("squares", "processes", NULL, TEAM, 10, NULL);
	struct seen *s = shm_alloc(sizeof(*s));

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	c.pin = PIN_SPREAD;
	CU_ASSERT_EQUAL(proc_team_run(&c, record_affinity, s), 0);
	check_bound(s);
	CU_ASSERT_EQUAL(shm_free(s, sizeof(*s)), 0);
}

static void test_unpinned_threads_keep_every_cpu(void)
{
	struct cell c = harness_cell("squares", "threads", NULL, TEAM, 10, NULL);
	struct seen s;

	memset(&s, 0, sizeof(s));

	CU_ASSERT_EQUAL_FATAL(team_run(&c, record_affinity, &s), 0);
	for (int k = 0; k < TEAM; k++)
		CU_ASSERT_EQUAL(s.count[k], allowed_cpus());
}

static void test_openmp_pin_sets_proc_bind_and_frees_the_driver(void)
{
	static struct tvp_output o;
	const char *const args[] = { "run", "squares", "-b", "openmp", "-w", "2",
		"-n", "1000", "-r", "1", "--pin", "spread", "-f", "json",
		"--no-progress", NULL };
	const char *bind;
	char want[64];

	/* libgomp prints its settings on stderr as it loads */
	CU_ASSERT_EQUAL_FATAL(setenv("OMP_DISPLAY_ENV", "true", 1), 0);
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(unsetenv("OMP_DISPLAY_ENV"), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	/* libgomp: OMP_PROC_BIND = 'SPREAD'; LLVM's libomp: OMP_PROC_BIND='spread' */
	bind = strcasestr(o.err, "OMP_PROC_BIND = 'SPREAD'");
	CU_ASSERT_PTR_NOT_NULL(bind ? bind : strcasestr(o.err, "OMP_PROC_BIND='SPREAD'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\"pin\": \"spread\""));
	/* the runtime bound the driver's thread as it loaded; tvp undid that */
	snprintf(want, sizeof(want), "\"cpus_allowed\": %d,", allowed_cpus());
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, want));
	CU_ASSERT_PTR_NULL(strstr(o.out, PIN_AFFINITY_ENV));
}

SUITE(pin,
      TEST(test_pin_slot_compact_fills_in_order),
      TEST(test_pin_slot_spread_spaces_workers_evenly),
      TEST(test_pin_parse_knows_the_three_policies),
      TEST(test_pinned_threads_each_get_one_cpu),
      TEST(test_pinned_processes_each_get_one_cpu),
      TEST(test_unpinned_threads_keep_every_cpu),
      TEST(test_openmp_pin_sets_proc_bind_and_frees_the_driver))

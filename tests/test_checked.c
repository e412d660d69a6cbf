/*
 * test_checked.c - the checked-call wrappers (common/sys/checked.h): a
 * failing call leaves "NAME: strerror" in the cell, NAME being the call's
 * text up to its '(', and returns -1 from the function that made it; a
 * call that succeeds leaves the cell alone and lets the function go on.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sys/checked.h"
#include "tests/harness.h"

/* EINVAL, from a call no sanitizer intercepts (TSan aborts on joining
 * oneself, the obvious failing call) */
static int pt_fails(struct cell *c, pthread_attr_t *a)
{
	CHECK_PT(c, pthread_attr_setdetachstate(a, -1));
	return 0;
}

static int pt_succeeds(struct cell *c, int *went_on)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

	CHECK_PT(c, pthread_mutex_lock(&m));
	CHECK_PT(c, pthread_mutex_unlock(&m));
	*went_on = 1;
	return 0;
}

static int sys_fails(struct cell *c)
{
	CHECK_SYS(c, close(-1));
	return 0;
}

static int neg_fails(struct cell *c)
{
	CHECK_NEG(c, "pthread_mutex_lock", -EDEADLK);
	return 0;
}

static int neg_passes_positive(struct cell *c, int *went_on)
{
	CHECK_NEG(c, "pthread_mutex_lock", 1);	/* 1: robust lock recovered */
	*went_on = 1;
	return 0;
}

static void expect_error(const struct cell *c, const char *name, int err)
{
	char want[DETAIL_LEN];

	snprintf(want, sizeof(want), "%s: %s", name, strerror(err));
	CU_ASSERT_STRING_EQUAL(c->error, want);
}

static void test_check_pt_names_the_call_and_its_error_number(void)
{
	struct cell c = { 0 };
	pthread_attr_t a;

	CU_ASSERT_EQUAL_FATAL(pthread_attr_init(&a), 0);
	CU_ASSERT_EQUAL(pt_fails(&c, &a), -1);
	expect_error(&c, "pthread_attr_setdetachstate", EINVAL);
	CU_ASSERT_EQUAL(pthread_attr_destroy(&a), 0);
}

static void test_check_pt_on_success_changes_nothing(void)
{
	struct cell c = { 0 };
	int went_on = 0;

	CU_ASSERT_EQUAL(pt_succeeds(&c, &went_on), 0);
	CU_ASSERT_EQUAL(went_on, 1);
	CU_ASSERT_STRING_EQUAL(c.error, "");
}

static void test_check_sys_names_the_call_and_errno(void)
{
	struct cell c = { 0 };

	CU_ASSERT_EQUAL(sys_fails(&c), -1);
	expect_error(&c, "close", EBADF);
}

static void test_check_neg_uses_the_given_name_and_ignores_positives(void)
{
	struct cell c = { 0 };
	int went_on = 0;

	CU_ASSERT_EQUAL(neg_fails(&c), -1);
	expect_error(&c, "pthread_mutex_lock", EDEADLK);
	c.error[0] = 0;
	CU_ASSERT_EQUAL(neg_passes_positive(&c, &went_on), 0);
	CU_ASSERT_EQUAL(went_on, 1);
	CU_ASSERT_STRING_EQUAL(c.error, "");
}

SUITE(checked,
      TEST(test_check_pt_names_the_call_and_its_error_number),
      TEST(test_check_pt_on_success_changes_nothing),
      TEST(test_check_sys_names_the_call_and_errno),
      TEST(test_check_neg_uses_the_given_name_and_ignores_positives))

/*
 * checked.h - checked calls that keep the lesson on one line, as OSTEP's
 * Pthread_mutex_lock() does: `CHECK_PT(c, pthread_mutex_lock(&lock));`.
 *
 * A back-end page should read like the textbook: lock, add, unlock. Every
 * call is still checked, but a failure is recorded in the cell as
 * "NAME: strerror" (cell_fail, which the runner reports) and the macro
 * returns -1 from the enclosing worker: that hidden return is the point,
 * since it is what lets the checked line stay one line. So use these only
 * in functions that return int, 0 or -1, and only where nothing acquired
 * earlier in the function must be undone first; otherwise write the check
 * out and jump to a cleanup label.
 *
 * The name in the message is the call's own text up to its '(':
 * CHECK_PT(c, pthread_join(t, NULL)) fails as "pthread_join: ...".
 *   CHECK_PT   pthread_*() style: returns 0 or an error number;
 *   CHECK_SYS  POSIX style: returns -1 and sets errno;
 *   CHECK_NEG  tvp's helpers: 0 or more, or a negative errno; NAME says
 *              which call failed inside (shm_mutex_lock stands for
 *              "pthread_mutex_lock").
 *
 * WARN_PT and WARN_SYS are the reporting-only forms, for teardown, void
 * close/destroy functions and signal-restoring paths: there is nobody to
 * return an error to (the result is already known, or the caller returns
 * void), but a failure must not pass silently, so they write one line
 * "tvp: NAME: strerror" to stderr and go on. Not async-signal-safe: never
 * in a forked child before exec/_exit, nor in a signal handler.
 */
#ifndef TVP_SYS_CHECKED_H
#define TVP_SYS_CHECKED_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tvp.h"

/* the length of "name" in "name(args)", for "%.*s" */
#define CHECK_NAME_LEN(text) ((int)strcspn((text), "("))

#define CHECK_PT(c, call)						\
	do {								\
		int check_rc_ = (call);					\
		if (check_rc_ != 0) {					\
			cell_fail((c), "%.*s: %s", CHECK_NAME_LEN(#call), \
				  #call, strerror(check_rc_));		\
			return -1;					\
		}							\
	} while (0)

#define CHECK_SYS(c, call)						\
	do {								\
		if ((call) == -1) {					\
			int check_errno_ = errno;			\
			cell_fail((c), "%.*s: %s", CHECK_NAME_LEN(#call), \
				  #call, strerror(check_errno_));	\
			return -1;					\
		}							\
	} while (0)

#define CHECK_NEG(c, name, call)					\
	do {								\
		int check_rc_ = (call);					\
		if (check_rc_ < 0) {					\
			cell_fail((c), "%s: %s", (name),		\
				  strerror(-check_rc_));		\
			return -1;					\
		}							\
	} while (0)

/* errno is kept, so a WARN_SYS between a failure and its report is harmless */
static inline void check_warn(const char *text, int err)
{
	int saved = errno;

	fprintf(stderr, "tvp: %.*s: %s\n", CHECK_NAME_LEN(text), text,
		strerror(err));
	errno = saved;
}

#define WARN_PT(call)							\
	do {								\
		int warn_rc_ = (call);					\
		if (warn_rc_ != 0)					\
			check_warn(#call, warn_rc_);			\
	} while (0)

#define WARN_SYS(call)							\
	do {								\
		if ((call) == -1)					\
			check_warn(#call, errno);			\
	} while (0)

#endif

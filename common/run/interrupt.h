/*
 * interrupt.h - SIGINT and SIGTERM stop a run cleanly.
 *
 * The driver must not die in the middle of a cell with its table unwritten,
 * nor leave a runner behind. So the first SIGINT or SIGTERM only sets a
 * flag and writes one byte to a pipe (the self-pipe trick): the runner's
 * wait loop polls that pipe next to the runner's own, wakes at once, kills
 * the runner's process group and stops; the driver then reports the cells
 * that completed and exits 128 + the signal. A second signal kills the
 * driver outright (the runners die with it: PR_SET_PDEATHSIG).
 */
#ifndef TVP_INTERRUPT_H
#define TVP_INTERRUPT_H

#include <sys/types.h>

int interrupt_install(void);	/* 0 or -errno */
int interrupt_fd(void);		/* readable once a signal came; -1 if none set up */
int interrupt_signal(void);	/* 0, or the signal that asked us to stop */
/*
 * fork() for a runner: the child starts with the default dispositions and
 * without the pipe, so a signal meant for a runner cannot pose as one for
 * the driver. -1 with errno set, 0 in the child, the pid in the parent.
 */
pid_t interrupt_fork(void);

#endif

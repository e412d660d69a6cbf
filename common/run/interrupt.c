/*
 * interrupt.c - the self-pipe that turns SIGINT/SIGTERM into a stop
 * request the driver's poll() sees (see interrupt.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "run/interrupt.h"
#include "sys/checked.h"

static const int stop_signals[] = { SIGINT, SIGTERM };
#define N_STOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

static int pipe_fd[2] = { -1, -1 };
static volatile sig_atomic_t stop_sig;

/* async-signal-safe only: sigaction, write */
static void on_stop(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int saved = errno;
	char one = 1;

	if (!stop_sig)
		stop_sig = sig;
	/*
	 * The next one is not asked twice: it ends the driver at once. With
	 * valid signals and SIG_DFL sigaction cannot fail, and a handler could
	 * not say so safely anyway.
	 */
	for (size_t i = 0; i < N_STOP; i++)
		(void)sigaction(stop_signals[i], &dfl, NULL);
	if (write(pipe_fd[1], &one, 1) < 0) {
		/* full or closed: the flag alone still stops the run */
	}
	errno = saved;
}

int interrupt_install(void)
{
	struct sigaction sa = { .sa_handler = on_stop, .sa_flags = SA_RESTART };

	if (pipe_fd[0] < 0 && pipe2(pipe_fd, O_CLOEXEC | O_NONBLOCK) != 0)
		return -errno;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_STOP; i++)
		if (sigaction(stop_signals[i], &sa, NULL) != 0)
			return -errno;
	return 0;
}

int interrupt_fd(void)
{
	return pipe_fd[0];
}

int interrupt_signal(void)
{
	return stop_sig;
}

static int hold(int how, sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < N_STOP; i++)
		sigaddset(&set, stop_signals[i]);
	return sigprocmask(how, &set, old);
}

pid_t interrupt_fork(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t old;
	pid_t pid;
	int saved;

	/* no handler may run in the child's first steps; errno says why not */
	if (hold(SIG_BLOCK, &old) != 0)
		return -1;
	pid = fork();
	saved = errno;
	if (pid == 0) {
		/*
		 * No stdio here: another thread of the driver may have held
		 * stderr's lock at the fork. Nor is there a need: SIG_DFL for
		 * valid signals, closing our own open ends and restoring the
		 * mask sigprocmask itself wrote cannot fail.
		 */
		stop_sig = 0;
		for (size_t i = 0; i < N_STOP; i++)
			(void)sigaction(stop_signals[i], &dfl, NULL);
		if (pipe_fd[0] >= 0) {
			(void)close(pipe_fd[0]);
			(void)close(pipe_fd[1]);
			pipe_fd[0] = pipe_fd[1] = -1;
		}
		(void)sigprocmask(SIG_SETMASK, &old, NULL);
	} else {
		WARN_SYS(sigprocmask(SIG_SETMASK, &old, NULL));
	}
	errno = saved;
	return pid;
}

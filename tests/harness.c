/*
 * harness.c - the CUnit main and the helpers every suite shares.
 */
#include <CUnit/Basic.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "harness.h"

#define MAX_SUITES 64

static const struct suite_def *suites[MAX_SUITES];
static size_t n_suites;

void harness_add(const struct suite_def *s)
{
	if (n_suites < MAX_SUITES)
		suites[n_suites++] = s;
}

struct cell harness_cell(const char *wl, const char *be, const char *variant,
			 int workers, uint64_t size, const char *const *opts)
{
	struct cell c = { .workers = workers, .size = size, .seed = 42 };
	char err[ERR_LEN] = "";

	c.wl = workload_find(wl);
	c.be = backend_find(be);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.wl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.be);
	c.variant = variant ? workload_variant(c.wl, variant) : 0;
	CU_ASSERT_FATAL(c.variant >= 0);
	for (int p = 0; c.wl->params && c.wl->params[p].name; p++) {
		const struct param_def *d = &c.wl->params[p];
		const char *value = d->def;
		size_t len = strlen(d->name);

		for (const char *const *o = opts; o && *o; o++)
			if (strncmp(*o, d->name, len) == 0 && (*o)[len] == '=')
				value = *o + len + 1;
		if (cli_parse_param(d, value, &c.param[p], err))
			CU_FAIL_FATAL(err);
	}
	return c;
}

int harness_run(struct cell *c, char *detail, size_t len)
{
	run_fn run = backend_runner(c->be, c->wl, c->variant);
	int v;

	detail[0] = 0;
	if (!run || c->wl->setup(c) != 0)
		return -1;
	if (c->wl->reset)
		c->wl->reset(c);
	c->error[0] = 0;
	if (run(c) != 0) {
		snprintf(detail, len, "%s", c->error);
		c->wl->teardown(c);
		return -1;
	}
	v = (int)c->wl->verify(c, detail, len);
	c->wl->teardown(c);
	return v;
}

static void drain(int fd, char *buf, size_t cap, size_t *len, int *open)
{
	ssize_t n = read(fd, buf + *len, cap - 1 - *len);

	if (n > 0)
		*len += (size_t)n;
	else if (n == 0 || errno != EINTR)
		*open = 0;
	if (*len == cap - 1)	/* full: keep reading but drop the rest */
		*len = cap - 1 - (cap > 256 ? 256 : 0);
	buf[*len] = 0;
}

static void exec_tvp(const char *const *args, int out[2], int err[2])
{
	const char *bin = getenv("TVP_BIN") ? getenv("TVP_BIN") : "bin/tvp";
	const char *argv[64] = { bin };
	size_t n = 1;

	while (args[n - 1] && n < 63) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	if (dup2(out[1], STDOUT_FILENO) < 0 || dup2(err[1], STDERR_FILENO) < 0)
		_exit(126);
	close(out[0]);
	close(err[0]);
	execv(bin, (char *const *)argv);
	_exit(127);
}

int harness_tvp(struct tvp_output *o, const char *const *args)
{
	int out[2], err[2], open_out = 1, open_err = 1, status;
	size_t lo = 0, le = 0;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	if (pipe(out) != 0 || pipe(err) != 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		exec_tvp(args, out, err);
	close(out[1]);
	close(err[1]);
	while (open_out || open_err) {
		struct pollfd p[2] = { { .fd = open_out ? out[0] : -1, .events = POLLIN },
				       { .fd = open_err ? err[0] : -1, .events = POLLIN } };

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			drain(out[0], o->out, sizeof(o->out), &lo, &open_out);
		if (p[1].revents)
			drain(err[0], o->err, sizeof(o->err), &le, &open_err);
	}
	close(out[0]);
	close(err[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	o->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

int harness_shm_entries(void)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += strstr(e->d_name, "tvp") != NULL;
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	unsigned failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (size_t i = 0; i < n_suites; i++) {
		CU_pSuite s;

		if (argc > 1 && strcmp(argv[1], suites[i]->name) != 0)
			continue;
		s = CU_add_suite(suites[i]->name, NULL, NULL);
		for (CU_TestInfo *t = suites[i]->tests; s && t->pName; t++)
			CU_add_test(s, t->pName, t->pTestFunc);
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

/*
 * test_browser.c - the HTML report as a person sees it: tvp writes a page
 * and its JSON, headless Chromium (Debian's chromium, installed by
 * `make deps-test`) renders it; the rendered DOM must hold one table row per
 * JSON result and one chart with points per workload, the browser must log
 * no script message, and screenshots at desktop and phone width are kept
 * in build/browser/ for a person to look at. A page that throws proves the
 * check sees script errors.
 *
 * Chromium runs with a private profile in a temporary folder, no network
 * (every host name resolves to nothing, background services off), in a
 * session of its own so that every process it starts is accounted for;
 * on a timeout only that session is killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sys/clock.h"
#include "tests/harness.h"

#define BROWSER_TIMEOUT_MS 120000
#define SHOT_DIR "build/browser"
#define PATH_LEN 512
#define MAX_ARGS 24

static const char *chromium(void)
{
	const char *env = getenv("TVP_CHROMIUM");

	return env && *env ? env : "/usr/bin/chromium";
}

static void child_exec(char **argv, const char *out, const char *err)
{
	int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (setsid() < 0 || fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
		_exit(126);
	execv(argv[0], argv);
	_exit(127);
}

/*
 * 0 when pid is still running at the timeout, 1 when it has exited, 2
 * when it has exited and been reaped here. A pidfd says so at once;
 * where there is none (valgrind knows no pidfd_open), poll waitpid,
 * bounded, as harness_session_left() does.
 */
static int exited_in_time(pid_t pid, int *status)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec gap = { 0, 20 * 1000 * 1000 };
	double deadline = clock_now() + BROWSER_TIMEOUT_MS / 1000.0;
	pid_t got;

	if (fd >= 0) {
		int ready = poll(&p, 1, BROWSER_TIMEOUT_MS);

		CU_ASSERT_EQUAL(close(fd), 0);
		return ready > 0;
	}
	while ((got = waitpid(pid, status, WNOHANG)) == 0 && clock_now() < deadline)
		nanosleep(&gap, NULL);
	if (got == pid)
		return 2;
	return got == 0 ? 0 : 1;
}

/* wait for pid up to the timeout: its exit status, or -1 (killed) */
static int wait_browser(pid_t pid)
{
	int status = 0, in_time = exited_in_time(pid, &status);

	if (!in_time) {
		CU_FAIL("chromium did not finish in time");
		CU_ASSERT_EQUAL(kill(-pid, SIGKILL), 0);	/* its own session */
	}
	if (in_time < 2)
		CU_ASSERT_EQUAL_FATAL(waitpid(pid, &status, 0), pid);
	/* whatever it started (zygote, renderer) has gone with it */
	CU_ASSERT_EQUAL(harness_session_left(pid, 10.0), 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Chromium on `page` with `extra` (one flag), stdout to out, stderr to
 * err; its exit status.
 */
static int run_browser(const char *dir, const char *page, const char *extra,
		       const char *size, const char *out, const char *err)
{
	char profile[PATH_LEN], url[PATH_LEN], window[64];
	char *argv[MAX_ARGS] = {
		(char *)chromium(), "--headless", "--disable-gpu", "--no-first-run",
		"--no-default-browser-check", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-pings",
		"--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr",
		"--v=0", "--hide-scrollbars",
	};
	int n = 13;
	pid_t pid;

	if (access(argv[0], X_OK) != 0)
		CU_FAIL_FATAL("no chromium at /usr/bin/chromium (TVP_CHROMIUM): 'make deps-test' installs it");
	snprintf(profile, sizeof(profile), "--user-data-dir=%s/profile", dir);
	snprintf(url, sizeof(url), "file://%s", page);
	snprintf(window, sizeof(window), "--window-size=%s", size);
	argv[n++] = profile;
	argv[n++] = window;
	if (geteuid() == 0)
		argv[n++] = "--no-sandbox";	/* Chromium refuses root otherwise */
	argv[n++] = (char *)extra;
	argv[n++] = url;
	argv[n] = NULL;
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0)
		child_exec(argv, out, err);
	return wait_browser(pid);
}

/* the whole file; a test that cannot read it stops there */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (f) {
		CU_ASSERT(getdelim(&buf, &len, '\0', f) >= 0);
		fclose(f);
	}
	if (!buf)
		buf = f ? calloc(1, 1) : NULL;
	if (!buf) {
		CU_FAIL_FATAL("cannot read a file the browser wrote");
		abort();	/* not reached: FATAL returns from the test */
	}
	return buf;
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

/* the browser's log line for a script message, or NULL */
static const char *script_message(const char *log)
{
	return strstr(log, ":CONSOLE");
}

struct browser_dir {
	char path[64];
	char file[6][PATH_LEN];	/* page, json, dom, log, shot log, probe */
};

static void dir_make(struct browser_dir *d)
{
	static const char *const names[] = { "r.html", "r.json", "dom.html",
		"log.txt", "shot.txt", "probe.html" };

	snprintf(d->path, sizeof(d->path), "/tmp/tvp-browser-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(d->path));
	for (int i = 0; i < 6; i++)
		snprintf(d->file[i], PATH_LEN, "%s/%s", d->path, names[i]);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* the profile is a tree Chromium fills: remove it, deepest first */
static void dir_remove(struct browser_dir *d)
{
	CU_ASSERT_EQUAL(nftw(d->path, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static size_t json_results(const char *path)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	size_t n = json_array_size(json_object_get(root, "results"));

	CU_ASSERT_PTR_NOT_NULL(root);
	json_decref(root);
	return n;
}

/* the rendered page: rows, charts, and no script said anything */
static void check_dom(const struct browser_dir *d, size_t rows)
{
	char *dom = slurp(d->file[2]), *log = slurp(d->file[3]);

	CU_ASSERT_EQUAL((size_t)count(dom, "<tr class=\"row"), rows);
	CU_ASSERT_EQUAL(count(dom, "<figure class=\"chart\""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "data-workload=\"squares\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "data-workload=\"counter\""));
	CU_ASSERT(count(dom, "<circle class=\"point\"") >= 6);
	CU_ASSERT(count(dom, "<line class=\"errbar\"") >= 6);
	/* squares one panel, counter one per variant run (mutex, atomic), each with its ideal line */
	CU_ASSERT_EQUAL(count(dom, "<svg viewBox"), 3);
	CU_ASSERT_EQUAL(count(dom, "<line class=\"ideal\""), 3);
	CU_ASSERT_EQUAL(count(dom, "<text class=\"panel-title\""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "id=\"machine\""));
	CU_ASSERT_PTR_NULL(script_message(log));
	free(dom);
	free(log);
}

static int is_png(const char *path)
{
	static const unsigned char magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char head[8] = { 0 };
	struct stat st;
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(head, 1, sizeof(head), f) : 0;

	if (f)
		fclose(f);
	return got == 8 && memcmp(head, magic, 8) == 0 && stat(path, &st) == 0 &&
	       st.st_size > 10000;
}

static void screenshot(const struct browser_dir *d, const char *name,
		       const char *size)
{
	char shot[2 * PATH_LEN], flag[2 * PATH_LEN + 16], cwd[PATH_LEN];

	CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof(cwd)));
	snprintf(shot, sizeof(shot), "%s/" SHOT_DIR "/%s", cwd, name);
	snprintf(flag, sizeof(flag), "--screenshot=%s", shot);
	CU_ASSERT_EQUAL(run_browser(d->path, d->file[0], flag, size, "/dev/null",
				    d->file[4]), 0);
	CU_ASSERT(is_png(shot));
}

static void test_browser_renders_the_report_with_rows_and_charts(void)
{
	static struct tvp_output o;
	struct browser_dir d = { .path = "" };
	const char *const args[] = { "run", "squares,counter", "-w", "1,2", "-r",
		"3", "-n", "20000", "-V", "default,mutex,atomic", "--no-progress",
		"-o", NULL, "-o", NULL, NULL };
	const char **a = (const char **)args;

	dir_make(&d);
	a[12] = d.file[0];
	a[14] = d.file[1];
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL_FATAL(o.status, 0);
	CU_ASSERT_EQUAL(mkdir("build", 0755) == 0 || errno == EEXIST, 1);
	CU_ASSERT_EQUAL(mkdir(SHOT_DIR, 0755) == 0 || errno == EEXIST, 1);
	CU_ASSERT_EQUAL_FATAL(run_browser(d.path, d.file[0], "--dump-dom", "1000,800",
					  d.file[2], d.file[3]), 0);
	check_dom(&d, json_results(d.file[1]));
	screenshot(&d, "report.png", "1000,3600");
	screenshot(&d, "report-phone.png", "390,5200");
	dir_remove(&d);
}

static void test_browser_check_sees_a_script_error(void)
{
	struct browser_dir d = { .path = "" };
	FILE *f;
	char *log;

	dir_make(&d);
	f = fopen(d.file[5], "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (!f)
		return;	/* for the analyzer: FATAL has returned already */
	fputs("<!DOCTYPE html><p>probe</p><script>throw new Error('tvp-probe')</script>\n", f);
	CU_ASSERT_EQUAL(fclose(f), 0);
	CU_ASSERT_EQUAL(run_browser(d.path, d.file[5], "--dump-dom", "400,300",
				    d.file[2], d.file[3]), 0);
	log = slurp(d.file[3]);
	CU_ASSERT_PTR_NOT_NULL(script_message(log));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "Uncaught Error: tvp-probe"));
	free(log);
	dir_remove(&d);
}

SUITE(browser,
      TEST(test_browser_renders_the_report_with_rows_and_charts),
      TEST(test_browser_check_sees_a_script_error))

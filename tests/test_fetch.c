/*
 * test_fetch.c - fetch is correct on every back end and both sources, for
 * N = 0, 1, W and 3W+1 tasks and fail rates 0, 0.3 and 1; failures are
 * chosen by (seed, task) alone; verify() catches a wrong payload, a task
 * run twice and a failure that went missing; the http source serves its
 * own payloads and errors on a loopback, ephemeral port and stops with the
 * cell; --trace writes one row per task; and `tvp run fetch` reports the
 * failures per task and still exits 0.
 * Latencies are 1ms or less, so the suite stays fast.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fetch.h"
#include "tests/harness.h"

#define W 3
#define TRACE_TASKS 10

static const char *const backends_all[] = {
	"sequential", "threads", "processes", "openmp",
};
static const char *const rates[] = {
	"fail-rate=0", "fail-rate=0.3", "fail-rate=1",
};
static const char *const sources[] = { "source=sim", "source=http" };

static void check(const char *be, uint64_t n, const char *rate,
		  const char *source)
{
	const char *opts[] = { "latency=1ms", "bytes=1000", rate, source, NULL };
	struct cell c = harness_cell("fetch", be, NULL, W, n, opts);
	char detail[DETAIL_LEN], msg[2 * DETAIL_LEN];
	int v = harness_run(&c, detail, sizeof(detail));

	snprintf(msg, sizeof(msg), "%s n=%llu %s %s: %s", be,
		 (unsigned long long)n, rate, source, detail);
	if (v != VERDICT_YES)
		CU_FAIL_FATAL(msg);
	CU_ASSERT_EQUAL(v, VERDICT_YES);
	/* with every task failing, the detail names them */
	if (n > 0 && strcmp(rate, "fail-rate=1") == 0)
		CU_ASSERT_PTR_NOT_NULL(strstr(detail, " failed: 0"));
}

static void check_matrix(const char *source)
{
	static const uint64_t sizes[] = { 0, 1, W, 3 * W + 1 };

	for (size_t b = 0; b < sizeof(backends_all) / sizeof(*backends_all); b++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++)
			for (size_t r = 0; r < sizeof(rates) / sizeof(*rates); r++)
				check(backends_all[b], sizes[s], rates[r], source);
}

static void test_fetch_sim_correct_on_every_backend_size_and_fail_rate(void)
{
	check_matrix(sources[FETCH_SIM]);
}

static void test_fetch_http_correct_on_every_backend_size_and_fail_rate(void)
{
	check_matrix(sources[FETCH_HTTP]);
}

static void test_fetch_failures_depend_only_on_seed_and_task(void)
{
	struct fetch a = { .seed = 42, .fail_rate = 0.3 }, b = a, other = a;
	struct fetch none = { .seed = 42, .fail_rate = 0 };
	struct fetch all = { .seed = 42, .fail_rate = 1 };
	int failed = 0, differ = 0;

	other.seed = 43;
	for (uint64_t i = 0; i < 10000; i++) {
		CU_ASSERT_EQUAL(fetch_fails(&a, i), fetch_fails(&b, i));
		CU_ASSERT_FALSE(fetch_fails(&none, i));
		CU_ASSERT_TRUE(fetch_fails(&all, i));
		failed += fetch_fails(&a, i);
		differ += fetch_fails(&a, i) != fetch_fails(&other, i);
	}
	/* a fixed seed: the count is fixed; 0.3 of 10000 within 4 sigma */
	CU_ASSERT(failed > 2816 && failed < 3184);
	CU_ASSERT(differ > 1000);
}

static void test_fetch_payloads_differ_by_task_and_jitter_stays_in_range(void)
{
	struct fetch f = { .seed = 42, .latency_s = 0.010, .jitter_s = 0.005 };
	char a[100], b[100];

	fetch_fill(42, 1, a, sizeof(a));
	fetch_fill(42, 2, b, sizeof(b));
	CU_ASSERT_NOT_EQUAL(memcmp(a, b, sizeof(a)), 0);
	CU_ASSERT_NOT_EQUAL(fetch_checksum(a, sizeof(a)), fetch_checksum(b, sizeof(b)));
	fetch_fill(42, 1, b, 99);	/* a shorter payload is a prefix */
	CU_ASSERT_EQUAL(memcmp(a, b, 99), 0);
	for (uint64_t i = 0; i < 1000; i++) {
		double l = fetch_latency(&f, i);

		CU_ASSERT(l >= 0.010 && l < 0.015);
	}
}

/* the sequential reference run in this process, verified: the state */
static struct cell reference_run(const char *rate)
{
	const char *opts[] = { "latency=0", "bytes=100", rate, NULL };
	struct cell c = harness_cell("fetch", "sequential", NULL, 1, 20, opts);

	harness_reference(&c);
	return c;
}

static enum verdict verify_after(struct cell *c, void (*spoil)(struct fetch *),
				 char *detail)
{
	spoil(c->state);
	return c->wl->verify(c, detail, DETAIL_LEN);
}

static void flip_checksum(struct fetch *f) { f->task[7].checksum ^= 1; }
static void run_twice(struct fetch *f) { f->task[3].runs = 2; }
static void lose_failure(struct fetch *f)
{
	for (uint64_t i = 0; i < f->n; i++)
		if (fetch_fails(f, i)) {
			f->task[i].status = FETCH_OK;
			return;
		}
}
static void swap_ranks(struct fetch *f) { f->task[1].rank = f->task[2].rank; }

static void test_fetch_verify_catches_bad_payload_rerun_lost_failure_and_rank(void)
{
	static void (*const spoil[])(struct fetch *) = {
		flip_checksum, run_twice, lose_failure, swap_ranks,
	};
	static const char *const says[] = {
		"task 7: payload checksum", "task 3 ran 2 times",
		"should have failed", "taken twice",
	};
	char detail[DETAIL_LEN];

	for (size_t k = 0; k < sizeof(spoil) / sizeof(*spoil); k++) {
		struct cell c = reference_run("fail-rate=0.3");

		CU_ASSERT_EQUAL(verify_after(&c, spoil[k], detail), VERDICT_NO);
		CU_ASSERT_PTR_NOT_NULL(strstr(detail, says[k]));
		c.wl->teardown(&c);
	}
}

static void test_fetch_reset_forgets_the_last_run(void)
{
	struct cell c = reference_run("fail-rate=0");
	char detail[DETAIL_LEN];

	c.wl->reset(&c);
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_NO);
	c.wl->teardown(&c);
}

/* ---- the http source against its own server ---------------------------- */

static struct cell http_cell(void)
{
	const char *opts[] = { "source=http", "latency=0", "bytes=64",
			       "fail-rate=0.5", NULL };
	struct cell c = harness_cell("fetch", "sequential", NULL, 1, 8, opts);

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	return c;
}

static int port_of(const struct fetch *f)
{
	const char *colon = strrchr(f->base_url, ':');

	return colon ? atoi(colon + 1) : 0;
}

static void test_fetch_http_listens_on_loopback_at_an_ephemeral_port(void)
{
	struct cell c = http_cell();
	struct fetch *f = c.state;
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(f->server, MHD_DAEMON_INFO_LISTEN_FD);
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	FILE *range = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	int lo = 0, hi = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(info);
	CU_ASSERT_EQUAL_FATAL(getsockname(info->listen_fd, (struct sockaddr *)&a, &len), 0);
	CU_ASSERT_EQUAL(a.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	CU_ASSERT_EQUAL(ntohs(a.sin_port), port_of(f));
	CU_ASSERT_EQUAL(strncmp(f->base_url, "http://127.0.0.1:", 17), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(range);
	CU_ASSERT_EQUAL(fscanf(range, "%d %d", &lo, &hi), 2);
	fclose(range);
	CU_ASSERT(port_of(f) >= lo && port_of(f) <= hi);
	c.wl->teardown(&c);
}

static void test_fetch_http_serves_payloads_and_fails_the_chosen_tasks(void)
{
	struct cell c = http_cell();
	struct fetch *f = c.state;
	char want[64];
	int ok = 0, failed = 0;

	CU_ASSERT_EQUAL_FATAL(fetch_worker_init(f, 0), 0);
	for (uint64_t i = 0; i < f->n; i++) {
		int status = fetch_http_get(f, &f->worker[0], i);

		fetch_fill(f->seed, i, want, sizeof(want));
		if (fetch_fails(f, i)) {
			CU_ASSERT_EQUAL(status, 500);
			failed++;
		} else {
			CU_ASSERT_EQUAL(status, 200);
			CU_ASSERT_EQUAL(f->worker[0].len, sizeof(want));
			CU_ASSERT_EQUAL(memcmp(f->worker[0].buf, want, sizeof(want)), 0);
			ok++;
		}
	}
	CU_ASSERT(ok > 0 && failed > 0);	/* both kinds seen with this seed */
	fetch_worker_fini(f, 0);
	c.wl->teardown(&c);
}

static void test_fetch_http_server_stops_with_the_cell(void)
{
	struct cell c = http_cell();
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s;

	a.sin_port = htons((uint16_t)port_of(c.state));
	c.wl->teardown(&c);
	s = socket(AF_INET, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(s >= 0);
	CU_ASSERT_NOT_EQUAL(connect(s, (struct sockaddr *)&a, sizeof(a)), 0);
	CU_ASSERT_EQUAL(errno, ECONNREFUSED);
	close(s);
}

/* ---- the trace and the command line ------------------------------------ */

static int trace_rows(const char *path, int *failed)
{
	FILE *t = fopen(path, "r");
	char line[256];
	int rows = -1;	/* the header */

	*failed = 0;
	if (!t)
		return -1;
	while (fgets(line, sizeof(line), t)) {
		char be[32];
		int workers, worker, status;
		unsigned long long run, task;
		double start, end;

		rows++;
		if (rows == 0)
			continue;
		if (sscanf(line, "%31[^,],%d,%llu,%llu,%d,%lf,%lf,%d", be, &workers,
			   &run, &task, &worker, &start, &end, &status) != 8 ||
		    worker < 0 || worker >= workers || end < start)
			rows = -1000;
		*failed += status == FETCH_FAILED;
	}
	fclose(t);
	return rows;
}

static void test_fetch_trace_writes_one_row_per_task(void)
{
	char path[] = "/tmp/tvp-trace-XXXXXX", opt[64];
	int fd = mkstemp(path), failed;
	const char *opts[] = { "latency=0", "fail-rate=1", opt, NULL };
	struct cell c;
	char detail[DETAIL_LEN];

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	snprintf(opt, sizeof(opt), "trace=%s", path);
	c = harness_cell("fetch", "threads", NULL, W, TRACE_TASKS, opts);
	CU_ASSERT_EQUAL(harness_run(&c, detail, sizeof(detail)), VERDICT_YES);
	CU_ASSERT_EQUAL(trace_rows(path, &failed), TRACE_TASKS);
	CU_ASSERT_EQUAL(failed, TRACE_TASKS);
	unlink(path);
}

static void test_fetch_cli_reports_failures_per_task_and_exits_0(void)
{
	static const char *const args[] = {
		"run", "fetch", "-n", "16", "--latency", "1ms", "--fail-rate",
		"0.5", "-w", "4", "-r", "1", "--warmup", "0", "-f", "csv", NULL,
	};
	struct tvp_output o;
	int rows = 0;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	for (char *l = strstr(o.out, "\nfetch,"); l; l = strstr(l + 1, "\nfetch,")) {
		char *eol = strchr(l + 1, '\n');

		if (eol)
			*eol = 0;
		CU_ASSERT_PTR_NOT_NULL(strstr(l, ",yes,"));
		CU_ASSERT_PTR_NOT_NULL(strstr(l, " failed: "));
		rows++;
		if (eol)
			*eol = '\n';
	}
	CU_ASSERT_EQUAL(rows, 4);	/* one row per back end */
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

SUITE(fetch,
      TEST(test_fetch_sim_correct_on_every_backend_size_and_fail_rate),
      TEST(test_fetch_http_correct_on_every_backend_size_and_fail_rate),
      TEST(test_fetch_failures_depend_only_on_seed_and_task),
      TEST(test_fetch_payloads_differ_by_task_and_jitter_stays_in_range),
      TEST(test_fetch_verify_catches_bad_payload_rerun_lost_failure_and_rank),
      TEST(test_fetch_reset_forgets_the_last_run),
      TEST(test_fetch_http_listens_on_loopback_at_an_ephemeral_port),
      TEST(test_fetch_http_serves_payloads_and_fails_the_chosen_tasks),
      TEST(test_fetch_http_server_stops_with_the_cell),
      TEST(test_fetch_trace_writes_one_row_per_task),
      TEST(test_fetch_cli_reports_failures_per_task_and_exits_0))

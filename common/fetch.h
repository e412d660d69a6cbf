/*
 * fetch.h - the fetch workload's state and kernel, shared by every back
 * end's fetch.c.
 *
 * A back end hands out tasks (a struct fetch_job each) to its workers. A
 * worker first calls fetch_worker_init() (its buffer and, over HTTP, its
 * own reused curl handle), then fetch_task_run() once per task, then
 * fetch_worker_fini(). The caller takes each finished task's outcome, in
 * the order tasks finish, and passes it to fetch_collect(): that is the
 * tutorial's `for future in as_completed(futures)` loop with a try/except
 * around future.result().
 */
#ifndef TVP_FETCH_H
#define TVP_FETCH_H

#include <stdint.h>
#include <stdio.h>

#include "tvp.h"

enum fetch_param { FE_BYTES, FE_LATENCY, FE_JITTER, FE_FAIL_RATE, FE_SOURCE,
		   FE_TRACE };
enum fetch_source { FETCH_SIM, FETCH_HTTP };

/* a task's outcome is an HTTP status, whichever source produced it */
#define FETCH_OK 200
#define FETCH_FAILED 500

/*
 * One task's record, in shared memory. The first block is written by the
 * worker that ran the task, the second by the caller that collected it.
 */
struct fetch_task {
	_Atomic uint32_t runs;	/* times a worker ran it: 1 when correct */
	int32_t worker;
	int32_t status;		/* 200, 500; < 0: transport error (-CURLcode) */
	uint32_t bytes;		/* payload bytes received */
	uint64_t checksum;	/* of the bytes received */
	double start, end;	/* CLOCK_MONOTONIC seconds */

	_Atomic uint32_t collected;	/* times the caller took it: 1 */
	uint64_t rank;		/* its place in completion order */
	int32_t error;		/* what the future said: 0 or -errno */
	int64_t result;		/* what the future held: bytes */
};

struct fetch;

/* a task's argument: which download, and the workload it belongs to */
struct fetch_job {
	struct fetch *f;
	uint64_t id;
};

/* what one worker owns; never shared, so never locked */
struct fetch_worker {
	void *curl;		/* CURL *, the worker's reused easy handle */
	char *buf;		/* the payload being received */
	size_t len, cap;
	char url[128];
};

struct MHD_Daemon;

struct fetch {
	uint64_t n, seed;
	uint32_t bytes;
	double latency_s, jitter_s, fail_rate;
	int source;		/* enum fetch_source */
	int workers;
	struct fetch_task *task;	/* shared, n of them */
	struct fetch_job *job;		/* shared, read-only after setup */
	struct fetch_worker *worker;	/* workers of them, private memory */
	struct MHD_Daemon *server;	/* http: serving on 127.0.0.1 */
	char base_url[64];		/* http: "http://127.0.0.1:PORT" */
	_Atomic uint64_t next_rank;	/* completions collected so far */
	double t0;			/* when the timed section started */
	double pool_start_s;		/* how long the pool took to start; < 0: none */
	FILE *trace;			/* --trace FILE, or NULL */
	uint64_t runs;			/* runs of this cell, for the trace */
};

/* ---- the kernel every back end calls ----------------------------------- */

int fetch_worker_init(void *f, int worker);	/* 0 or -errno */
void fetch_worker_fini(void *f, int worker);
/*
 * Download task `job` (a struct fetch_job *) as worker `worker`: 0 with
 * *result = bytes received, or -EIO when the download failed (the record
 * says how). A failure is a result, not a crash.
 */
int fetch_task_run(void *job, int worker, int64_t *result);
/* the caller's as_completed step: task `id` finished with (error, result) */
void fetch_collect(struct fetch *f, uint64_t id, int error, int64_t result);
/*
 * A pool back end times the pool at work, from the first submit to the
 * last result, as if the pool had been started in advance (what starting
 * threads or processes costs is spawn's lesson): it calls
 * fetch_clock_start() once its pool is up, saying how long that took (the
 * detail reports it), and fetch_clock_stop() after the last result.
 */
void fetch_clock_start(struct cell *c, double pool_start_s);
void fetch_clock_stop(struct cell *c);

/* ---- what the task is, as closed forms (also used by verify) ----------- */

int fetch_fails(const struct fetch *f, uint64_t id);
double fetch_latency(const struct fetch *f, uint64_t id);	/* seconds */
void fetch_fill(uint64_t seed, uint64_t id, char *buf, size_t len);
uint64_t fetch_checksum(const char *buf, size_t len);

/* ---- the http source (common/fetch_http.c) ----------------------------- */

int fetch_http_start(struct fetch *f);	/* server up; 0 or -errno */
void fetch_http_stop(struct fetch *f);
int fetch_http_worker_init(struct fetch *f, struct fetch_worker *w);
void fetch_http_worker_fini(struct fetch_worker *w);
int fetch_http_get(struct fetch *f, struct fetch_worker *w, uint64_t id);

#endif

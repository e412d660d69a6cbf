/*
 * python/backend.c - CPython as reference back ends: the tutorial's own
 * code (python/tvp_ref.py) under tvp's driver, so its numbers sit next to
 * C's in one table. python-threads and python-processes are measured
 * against python-sequential, not against C: their speedup says what the
 * GIL allows, their throughput what the interpreter costs. They run only
 * when -b names them, and where python3 is missing they are listed as
 * unavailable and skipped with a note.
 */
#include "python/bridge.h"
#include "python/python.h"

static const struct backend_entry python_entries[] = {
	{ &workload_squares, python_squares_run, NULL },
	/* the tutorial's two counters: a bare `+= 1` and one under a Lock */
	{ &workload_counter, python_counter_run, VARIANTS("unsynchronised", "mutex") },
	/* queue.Queue is the locked queue */
	{ &workload_prodcons, python_prodcons_run, VARIANTS("locked") },
	{ &workload_fetch, python_fetch_run, NULL },
	{ 0 },
};

const struct backend backend_python_sequential = {
	.name = "python-sequential",
	.summary = "CPython, a plain loop: the reference for python-*",
	.max_workers = 1,
	.reference = "python-sequential",
	.opt_in = 1,
	.unavailable = py_unavailable,
	.entries = python_entries,
};

const struct backend backend_python_threads = {
	.name = "python-threads",
	.summary = "CPython threading.Thread: one GIL, one thread runs Python at a time",
	.max_workers = MAX_WORKERS,
	.reference = "python-sequential",
	.opt_in = 1,
	.unavailable = py_unavailable,
	.entries = python_entries,
};

const struct backend backend_python_processes = {
	.name = "python-processes",
	.summary = "CPython ProcessPoolExecutor: an interpreter (and a GIL) per worker",
	.max_workers = MAX_WORKERS,
	.reference = "python-sequential",
	.opt_in = 1,
	.unavailable = py_unavailable,
	.entries = python_entries,
};

/*
 * processes/backend.c - the fork + shared memory back end: one table, one
 * line per workload this model runs.
 */
#include "processes/processes.h"

/*
 * Knobs of this model alone. A robust mutex is what DESIGN.md asks of
 * every lock shared between processes; shared (not robust) is the default
 * for the lesson's counter, and --mutex robust shows what robustness
 * costs. The words are the threads' --mutex words, so that one option
 * names the same mutex for both back ends in one run.
 */
static const struct param_def processes_params[] = {
	[PROC_MUTEX] = { "mutex", PARAM_CHOICE, "shared",
			 "the mutex of counter's mutex variant: shared (PTHREAD_PROCESS_SHARED, as any mutex between processes must be), or robust (shared, and a dead holder cannot wedge it)",
			 0, 0, "shared|robust" },
	{ 0 },
};

static const struct backend_entry processes_entries[] = {
	{ &workload_squares, processes_squares_run, NULL },
	{ &workload_counter, processes_counter_run, NULL },
	{ &workload_prodcons, processes_prodcons_run, VARIANTS("locked") },
	{ &workload_prodcons, processes_prodcons_pipe_run, VARIANTS("pipe") },
	{ &workload_prodcons, processes_prodcons_spsc_run, VARIANTS("spsc") },
	{ &workload_prodcons, processes_prodcons_tutorial_run, VARIANTS("tutorial") },
	{ &workload_fetch, processes_fetch_run, NULL },
	{ &workload_spawn, processes_spawn_run, VARIANTS("start") },
	{ &workload_spawn, processes_spawn_exec_run, VARIANTS("exec") },
	{ &workload_spawn, processes_spawn_fork_minimal_run, VARIANTS("fork-minimal") },
	{ &workload_hello, processes_hello_run, NULL },
	{ 0 },
};

const struct backend backend_processes = {
	.name = "processes",
	.summary = "fork() workers sharing anonymous MAP_SHARED memory",
	.max_workers = MAX_WORKERS,
	.entries = processes_entries,
	.params = processes_params,
};

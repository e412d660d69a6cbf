/*
 * cli_help.c - the text of `tvp --help` and `tvp run --help`. It should
 * teach: what each option does, its form, and an example.
 */
#include "cli/cli.h"
#include "sys/host.h"

void cli_usage(FILE *f)
{
	fprintf(f,
"usage: tvp COMMAND [ARGS]\n"
"\n"
"tvp (threads versus processes) runs the same concurrency workloads\n"
"sequentially, with POSIX threads, with forked processes sharing memory and\n"
"with OpenMP, verifies every run, and prints the timings side by side.\n"
"\n"
"commands:\n"
"  run WORKLOAD[,..]|all [options]   measure; 'tvp run --help' for options\n"
"  list                              workloads, variants, options, back ends\n"
"  info                              this machine: CPU, caches, compiler, ...\n"
"  plot RESULTS.csv | --trace FILE   draw with gnuplot; 'tvp plot --help'\n"
"  compare OLD.json NEW.json         cell by cell: ratio, interval, verdict;\n"
"                                    'tvp compare --help'\n"
"  --help, --version\n"
"\n"
"examples:\n"
"  tvp run squares                   every back end, W = online CPUs\n"
"  tvp run squares -w 1-4 --cost 200 -f markdown\n"
"  tvp run all -b threads,processes -f csv -o results.csv\n"
"  tvp run squares -w 1-8 -o sweep.csv -o sweep.md --plot sweep.png\n"
"  tvp run squares,counter -w 1,2 -o report.html   a page to hand in\n"
"  tvp compare before.json after.json --fail-if-slower 10\n"
"\n"
"exit status: 0 every run verified, 1 a run was wrong, failed or timed out,\n"
"2 bad usage.\n");
}

void cli_run_help(FILE *f)
{
	fprintf(f,
"usage: tvp run WORKLOAD[,WORKLOAD...]|all [options]\n"
"\n"
"Each (workload, variant, back end, workers) cell runs in its own child\n"
"process: %d warm-up run(s), then %d counted runs, each verified. Only the\n"
"parallel section is timed; setup and verification are not.\n"
"\n"
"  -b, --backends LIST    back ends, e.g. threads,processes (default: all\n"
"                         but the opt-in ones, e.g. mpi, python-threads)\n"
"  -w, --workers LIST     worker counts: 2, 1,2,4 or 1-8 (default: online CPUs)\n"
"  -n, --size N           workload size, e.g. 500000, 500K, 10M, 1G (x1000)\n"
"  -V, --variants LIST    workload variants (default: all; see 'tvp list')\n"
"  -r, --reps N           counted repetitions, 1-%d (default %d)\n"
"      --warmup N         uncounted repetitions first, 0-%d (default %d)\n"
"  -f, --format FMT       table, csv, json, markdown or html (default: table\n"
"                         on a terminal, csv otherwise)\n"
"  -o, --output FILE      write the report to FILE instead of stdout; repeat\n"
"                         for several files (up to %d), each in the format\n"
"                         its extension names (.csv .json .md .txt .html),\n"
"                         else -f; FILE.html is one page with charts;\n"
"                         FILE - is stdout (-o - -o rows.csv: both)\n"
"      --columns LIST     columns to show, in every format: the table's\n"
"                         (workload,W,median,speedup,...) or the CSV's\n"
"                         (workers,median_s,...); a table on a terminal\n"
"                         otherwise drops the least important to fit\n"
"      --plot FILE        draw speedup vs workers with gnuplot, FILE.png or\n"
"                         FILE.svg (one panel per workload/variant)\n"
"      --pin POLICY       worker placement: none (default), compact (fill a\n"
"                         core, then the next) or spread (one per core first)\n"
"      --timeout SECONDS  longest one repetition may take before the cell is\n"
"                         killed and reported as timed out (default %g)\n"
"      --seed N           seed for anything random (default %d)\n"
"      --progress, --no-progress\n"
"                         progress on stderr: which cell and repetition runs,\n"
"                         time elapsed and left (default: when a terminal)\n"
"\n"
"A shared machine (docs/busy-host.md):\n"
"      --no-interleave    run each cell's repetitions back to back; by default\n"
"                         the cells of one comparison (every back end and\n"
"                         worker count of a workload, variant and size) take\n"
"                         turns, so a drifting host touches them all alike\n"
"      --busy-threshold CPUS\n"
"                         a repetition during which other processes took more\n"
"                         than CPUS of the machine is busy (default %g)\n"
"      --retries N        busy repetitions run again per cell, 0-%d (default %d)\n"
"      --quiet-wait SECONDS\n"
"                         before a retry, wait up to this long for a quiet\n"
"                         moment (default %g)\n"
"Columns foreign_cpus (CPUs' worth others took, median) and busy_reps say how\n"
"the host was; a busy cell's detail says it in words.\n"
"\n"
"Workload options (--cost, --producers, ...) and back-end options (openmp's\n"
"--schedule and --lock, processes' --mutex) are listed by 'tvp list', each\n"
"under its workload or back end; a back-end option needs that back end in -b.\n"
"Speedup is the reference's time per unit of work over this cell's, the\n"
"reference being the sequential back end; efficiency is speedup / workers.\n"
"detail adds, when they apply: 'noisy: MAD N%%' (spread over 10%% of the\n"
"median), outliers beyond 3 MAD, and the Karp-Flatt serial fraction e for\n"
"W > 1 (near 0: scales; growing with W: overhead grows with the team).\n",
		DEFAULT_WARMUP, DEFAULT_REPS, MAX_REPS, DEFAULT_REPS, MAX_WARMUP,
		DEFAULT_WARMUP, MAX_OUTPUTS, DEFAULT_TIMEOUT_S, DEFAULT_SEED,
		DEFAULT_BUSY_THRESHOLD, MAX_RETRIES, DEFAULT_RETRIES,
		DEFAULT_QUIET_WAIT_S);
}

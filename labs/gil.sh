#!/bin/sh
# labs/gil.sh [TVP] - the GIL lesson in one command (make gil; lab 9).
#
# Runs one CPU-bound workload (squares with --cost: every item is
# arithmetic) and one I/O-bound workload (fetch: every task is a wait) on
# C threads, CPython threads and CPython processes, each against its own
# sequential reference (C's, CPython's), and ends with a two-line verdict
# computed from tvp's own speedup column. About a minute on 2 cores.
# Sizes: GIL_N (squares items), GIL_TASKS (fetch tasks), GIL_REPS.
set -u
TVP=${1:-${TVP:-bin/tvp}}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
W=${GIL_W:-$(getconf _NPROCESSORS_ONLN)}
IO_W=${GIL_IO_W:-8}
backends=sequential,threads,python-sequential,python-threads,python-processes

run() {	# run CSV-NAME TVP-ARGS...: the table on screen, the rows kept
	name=$1
	shift
	printf '\n$ %s %s\n' "$TVP" "$*"
	"$TVP" "$@" -o - -o "$tmp/$name.csv" || {
		echo "gil: that command failed (exit $?); no verdict" >&2
		exit 1
	}
	"$here/busy.sh" "$tmp/$name.csv" || exit 3
}

run cpu run squares -b "$backends" -w "$W" -n "${GIL_N:-150K}" --cost 100 \
	-r "${GIL_REPS:-3}"
run io run fetch -b "$backends" -w "$IO_W" -n "${GIL_TASKS:-32}" \
	--latency 20ms --fail-rate 0 -r "${GIL_REPS:-3}"

# the verdict: each parallel row's speedup, and what it says
awk -f "$here/csv.awk" -f "$here/gil.awk" "$tmp/cpu.csv" "$tmp/io.csv"

#!/bin/sh
# lab.sh N - run what lab N asks for (labs/labN-*.md); `make lab-N` calls
# it after building everything the lab needs. Every command is printed
# before it runs, so what you see is what you can type yourself.
#
# A lab that hands out a broken program ends with a verdict on it from
# labs/check.sh: FIXED or BROKEN, judged by ThreadSanitizer and the
# program's own test over several runs. A tvp run whose rows the lesson
# compares is checked by labs/busy.sh: if the machine was too busy for the
# comparison to mean anything, the lab says so, runs no more comparisons
# and exits 3, but still judges the student's program, whose verdict does
# not depend on timing.
#
# Sizes come from the environment with the lab pages' values as defaults;
# tests/labs.sh shrinks them to run every lab in seconds.
set -u
TVP=${TVP:-bin/tvp}
LAB_BIN=${LAB_BIN:-build/labs}
RUNS=${LAB_RUNS:-5}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
busy=0

step() {
	printf '\n$ %s\n' "$*"
	"$@" || { echo "lab: that command failed (exit $?)"; failed=1; }
}

# the handed-out program, once, to see what it prints; failing is no error
try() {
	printf '\n$ %s\n' "$*"
	timeout "${LAB_TIMEOUT:-60}" "$@" || echo "lab: exit $? (the verdict below says whether the program is correct)"
}

# a tvp run the lesson compares: the table on screen, the rows in a CSV
# for labs/busy.sh; a busy host ends the comparisons (the lab exits 3)
compare() {
	if [ "$busy" -ne 0 ]; then
		printf '\nlab: skipped on a busy machine: %s\n' "$*"
		return
	fi
	printf '\n$ %s\n' "$*"
	"$@" -o - -o "$tmp/rows.csv"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "lab: that command failed (exit $rc)"
		failed=1
		return
	fi
	"$here/busy.sh" "$tmp/rows.csv" || busy=1
}

# the verdict on the student's program; BROKEN is where a lab starts
judge() {
	printf '\n$ labs/check.sh %s\n' "$*"
	if "$here/check.sh" "$@"; then
		echo "lab: well done: the program you fixed is correct."
	else
		echo "lab: the program is not correct yet (that is how the lab hands it out)."
	fi
}

# a back end this build has and can run (python-* need python3)
usable() {
	"$TVP" list | awk -v b="$1" '$1 == b { f = 1; next }
		f && /^  [^ ]/ { exit } f && /unavailable:/ { bad = 1 }
		END { exit !(f && !bad) }' && return 0
	echo "lab: back end $1 is not usable here (see 'tvp list'); skipping its step"
	return 1
}

lab1() {
	compare "$TVP" run counter -V unsynchronised,mutex,atomic \
		-b sequential,threads,processes -w 2 -n "${LAB1_N:-2M}"
	if usable python-threads; then
		compare "$TVP" run counter -V unsynchronised,mutex \
			-b python-threads,python-processes -w 2 -n "${LAB1_PY_N:-20K}"
	fi
	try "$LAB_BIN/lost-update" 2 "${LAB1_INCREMENTS:-1000003}"
	judge lost-update "$RUNS" "$LAB_BIN/lost-update-tsan" \
		"$LAB_BIN/lost-update" 2 "${LAB1_TSAN_INCREMENTS:-100003}"
}

lab2() {
	step "$TVP" info
	compare "$TVP" run counter -V sharded,sharded-unpadded \
		-b sequential,threads,processes,openmp -w 2 -n "${LAB2_N:-100M}"
}

lab3() {
	compare "$TVP" run spawn -w 1,2 -n "${LAB3_N:-100}"
	if usable python-threads; then
		compare "$TVP" run squares -b python-threads,python-processes -w 2 \
			-n 2 --cost 0 -r 3
	fi
	step env BENCH_ROWS="(us)" BENCH_ROUNDS_N="${LAB3_N:-100}" \
		BENCH_HELPER=bin/tvp-nop scripts/bench-limits.sh "$TVP" \
		bin/bench-limits bin/bench-limits-libs 1
}

lab4() {
	compare "$TVP" run prodcons -b threads,processes -n "${LAB4_N:-200K}" \
		--producers 1 --consumers 1 --capacity 64
	if usable python-threads; then
		compare "$TVP" run prodcons -b python-threads,python-processes -w 2 \
			-n "${LAB4_PY_N:-20K}"
	fi
	try "$LAB_BIN/bounded-buffer" 3 "${LAB4_ITEMS:-20000}" 1
	# TSan cannot see this bug (every access is locked): the test, twice as often
	judge bounded-buffer $((RUNS * 2)) - "$LAB_BIN/bounded-buffer" 3 \
		"${LAB4_ITEMS:-20000}" 1
}

lab5() {
	compare "$TVP" run fetch -b sequential,threads,processes \
		-w "${LAB5_W:-1,2,4,8,16}" -n "${LAB5_TASKS:-64}" \
		--latency "${LAB5_LATENCY:-20ms}" --fail-rate 0
	if usable python-threads; then
		compare "$TVP" run fetch -b python-threads,python-processes \
			-w "${LAB5_PY_W:-8}" -n "${LAB5_TASKS:-64}" \
			--latency "${LAB5_LATENCY:-20ms}" --fail-rate 0.1
	fi
	compare "$TVP" run squares -b sequential,threads -w 1-4 --cost 0 \
		-n "${LAB5_N0:-20M}"
	compare "$TVP" run squares -b sequential,threads -w 1-4 --cost 200 \
		-n "${LAB5_N200:-500K}"
}

lab6() {
	trace=$LAB_BIN/hello-trace.csv
	rm -f "$trace"
	compare "$TVP" run hello -w "${LAB6_W:-4}" --sleep "${LAB6_SLEEP:-200ms}" \
		-r 3 --trace "$trace"
	if command -v gnuplot >/dev/null; then
		step "$TVP" plot --trace "$trace" -o "$LAB_BIN/hello-trace.png"
	else
		echo "lab: no gnuplot here; the timeline is in $trace"
	fi
}

lab7() {
	compare "$TVP" run monitor -b sequential,threads -w 2 \
		-n "${LAB7_N:-2M}" --interval "${LAB7_INTERVAL:-1ms}"
	try "$LAB_BIN/task-monitor" 2 "${LAB7_ITEMS:-200000}"
	judge task-monitor "$RUNS" "$LAB_BIN/task-monitor-tsan" \
		"$LAB_BIN/task-monitor" 2 "${LAB7_TSAN_ITEMS:-20000}"
}

lab8() {
	compare "$TVP" run prodcons -V locked,tutorial -b sequential,threads,processes \
		-w 4 -n "${LAB8_N:-200K}"
	compare "$TVP" run prodcons -V tutorial -b threads -w 4 \
		-n "${LAB8_SMALL_N:-2K}" --get-timeout "${LAB8_TIMEOUT:-100ms}"
}

lab9() {
	step "$here/gil.sh" "$TVP"
}

case "${1:-}" in
[1-9]) "lab$1" ;;
*)
	echo "usage: labs/lab.sh 1|2|3|4|5|6|7|8|9" >&2
	exit 2
	;;
esac
if [ "$busy" -ne 0 ]; then
	echo
	echo "lab: the comparisons stopped at a busy machine (see STOP above);"
	echo "  a verdict on your program, if this lab gives one, does not depend"
	echo "  on timing and stands. Run the lab again when the machine is quiet."
	exit 3
fi
exit "$failed"

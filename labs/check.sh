#!/bin/sh
# labs/check.sh NAME RUNS TSAN-BINARY|- TEST-BINARY|- [ARGS...]
#
# Is a lab program fixed? Runs the ThreadSanitizer build RUNS times and
# the plain build RUNS times with ARGS. The plain build's exit status is
# the program's own test (0: the result was right). A program is FIXED
# only if every TSan run was silent and every test passed; one report or
# one failure makes it BROKEN, and the first is shown. ThreadSanitizer
# judges the order of accesses, not the luck of one run: a race it
# reports is there whether or not an update was lost this time, so a
# handful of clean runs does confirm a fix of a data race. A logic bug
# that TSan cannot see (lab 4) is left to the test, with more runs.
# Exit 0: fixed; 1: broken; 2: usage.
set -u
if [ $# -lt 4 ]; then
	echo "usage: labs/check.sh NAME RUNS TSAN-BINARY|- TEST-BINARY|- [ARGS...]" >&2
	exit 2
fi
name=$1 runs=$2 tsan=$3 test=$4
shift 4
for bin in "$tsan" "$test"; do
	if [ "$bin" != "-" ] && [ ! -x "$bin" ]; then
		echo "check: $name: no program $bin (run make labs first)" >&2
		exit 2
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
raced=0 failed=0 shown=0

# the first failure in full, the others only counted
show() {
	[ "$shown" -eq 1 ] && return
	shown=1
	echo "--- $1 (first $2 lines) ---"
	sed -n "1,$2p" "$tmp/out"
	echo "---"
}

i=0
while [ "$i" -lt "$runs" ] && [ "$tsan" != "-" ]; do
	i=$((i + 1))
	TSAN_OPTIONS="exitcode=66 halt_on_error=0" \
		timeout "${LAB_TIMEOUT:-60}" "$tsan" "$@" >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ] || grep -q "ThreadSanitizer" "$tmp/out"; then
		raced=$((raced + 1))
		show "ThreadSanitizer, run $i" 30
	fi
done
i=0
while [ "$i" -lt "$runs" ] && [ "$test" != "-" ]; do
	i=$((i + 1))
	timeout "${LAB_TIMEOUT:-60}" "$test" "$@" >"$tmp/out" 2>&1 || {
		failed=$((failed + 1))
		show "the test, run $i" 10
	}
done

tsan_says="" test_says=""
[ "$tsan" != "-" ] && tsan_says="ThreadSanitizer reported a race in $raced of $runs runs"
[ "$test" != "-" ] && test_says="the program's own check failed in $failed of $runs runs"
[ -z "$tsan_says" ] && test_says="The${test_says#the}"
says="$tsan_says${tsan_says:+${test_says:+; }}$test_says"
if [ "$raced" -eq 0 ] && [ "$failed" -eq 0 ]; then
	echo "check: $name: FIXED. $says. Your program is correct."
	exit 0
fi
echo "check: $name: BROKEN. $says. Not correct yet: read the first report above."
exit 1

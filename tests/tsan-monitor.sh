#!/bin/sh
# tests/tsan-monitor.sh TVP - the monitor lesson's race is real and the
# fixes fix it, by ThreadSanitizer's own verdict (make tsan runs this with
# the TSan build of tvp). plain-flag must be reported as a data race on
# its flag; atomic-flag and condvar must run clean. tests/tsan.supp is
# left out on purpose: it lists plain-flag's functions so that the test
# suites can run the broken variant under TSan.
set -u
TVP=${1:?usage: tests/tsan-monitor.sh TVP-BUILT-WITH-TSAN}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TSAN_OPTIONS="halt_on_error=1 die_after_fork=0"
. "$(dirname "$0")/shcheck.sh"	# check NAME CONDITION...
args="-b threads -w 2 -n 20K --interval 0.1ms -r 3 --warmup 0 -f csv"

# shellcheck disable=SC2086 # $args is a list of words on purpose
"$TVP" run monitor -V plain-flag $args >"$tmp/broken.out" 2>"$tmp/broken.err"
check "plain-flag: tvp fails the cell (exit 1)" test $? -eq 1
check "plain-flag: TSan reports a data race" \
	grep -q "WARNING: ThreadSanitizer: data race" "$tmp/broken.err"
check "plain-flag: the race is on the flag (stop_broken vs monitor_broken)" \
	sh -c "grep -q stop_broken '$tmp/broken.err' && grep -q monitor_broken '$tmp/broken.err'"
# shellcheck disable=SC2086
"$TVP" run monitor -V none,atomic-flag,condvar $args >"$tmp/fixed.out" 2>"$tmp/fixed.err"
check "atomic-flag, condvar: every run verified (exit 0)" test $? -eq 0
check "atomic-flag, condvar: TSan is silent" \
	sh -c "! grep -q ThreadSanitizer '$tmp/fixed.err'"
check "atomic-flag, condvar: rows verified yes" \
	test "$(grep -c '^monitor,\(atomic-flag\|condvar\),threads,2,.*,yes,' "$tmp/fixed.out")" -eq 2
if [ "$fails" -ne 0 ]; then
	echo "tsan-monitor: $fails failed"
	sed -n 1,40p "$tmp/broken.err" "$tmp/fixed.err"
	exit 1
fi
echo "tsan-monitor: all passed"

# tests/shcheck.sh - sourced by the shell tests (tests/labs.sh,
# tests/tsan-monitor.sh): check NAME CONDITION... runs CONDITION, prints
# "pass: NAME" or "FAIL: NAME", counts failures in $fails and returns 1
# on one, so a caller can show more (check ... || tail log).
fails=0

check() {
	name=$1
	shift
	if "$@"; then
		echo "  pass: $name"
	else
		echo "  FAIL: $name"
		fails=$((fails + 1))
		return 1
	fi
}

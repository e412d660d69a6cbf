#!/bin/sh
# lab.sh N - run what lab N asks for (labs/labN-*.md); `make lab-N` calls
# it after building everything the lab needs. Every command is printed
# before it runs, so what you see is what you can type yourself.
#
# Sizes come from the environment with the lab pages' values as defaults;
# tests/labs.sh shrinks them to run every lab in seconds.
set -u
TVP=${TVP:-bin/tvp}
LAB_BIN=${LAB_BIN:-build/labs}
failed=0

step() {
	printf '\n$ %s\n' "$*"
	"$@" || { echo "lab: that command failed (exit $?)"; failed=1; }
}

# a deliberately broken program: failing is the observation the lab wants
broken() {
	printf '\n$ %s\n' "$*"
	if timeout "${LAB_TIMEOUT:-60}" "$@"; then
		echo "lab: it passed this time; a race does not show on every run: run it again"
	else
		echo "lab: exit $?: the bug was caught, as the lab expects"
	fi
}

# labs written ahead of their workloads say so instead of failing
has() {
	if "$TVP" list | grep -q "^  $1 "; then
		return 0
	fi
	echo "lab: this build of tvp has no '$1' workload yet; skipping the tvp steps that need it"
	return 1
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
	if has counter; then
		step "$TVP" run counter -V unsynchronised,mutex,atomic \
			-b sequential,threads,processes -w 2 -n "${LAB1_N:-2M}"
	fi
	if has counter && usable python-threads; then
		step "$TVP" run counter -V unsynchronised,mutex \
			-b python-threads,python-processes -w 2 -n "${LAB1_PY_N:-200K}"
	fi
	step "$LAB_BIN/lost-update" 2 "${LAB1_INCREMENTS:-1000003}"
	broken "$LAB_BIN/lost-update-tsan" 2 "${LAB1_TSAN_INCREMENTS:-100003}"
}

lab2() {
	step "$TVP" info
	if has counter; then
		step "$TVP" run counter -V sharded,sharded-unpadded \
			-b sequential,threads,processes,openmp -w 2 -n "${LAB2_N:-100M}"
	fi
}

lab3() {
	step "$TVP" run spawn -w 1,2 -n "${LAB3_N:-100}"
	if usable python-threads; then
		step "$TVP" run squares -b python-threads,python-processes -w 2 \
			-n 2 --cost 0 -r 3
	fi
	step scripts/bench-spawn.sh "$TVP" bin/bench-spawn bin/tvp-nop \
		"${LAB3_N:-100}"
}

lab4() {
	if has prodcons; then
		step "$TVP" run prodcons -b threads,processes -n "${LAB4_N:-200K}" \
			--producers 1 --consumers 1 --capacity 64
	fi
	if has prodcons && usable python-threads; then
		step "$TVP" run prodcons -b python-threads,python-processes -w 2 \
			-n "${LAB4_PY_N:-20K}"
	fi
	broken "$LAB_BIN/bounded-buffer" 3 "${LAB4_ITEMS:-20000}" 1
}

lab5() {
	if has fetch; then
		step "$TVP" run fetch -b sequential,threads,processes \
			-w "${LAB5_W:-1,2,4,8,16}" -n "${LAB5_TASKS:-64}" \
			--latency "${LAB5_LATENCY:-20ms}" --fail-rate 0
	fi
	if has fetch && usable python-threads; then
		step "$TVP" run fetch -b python-threads,python-processes \
			-w "${LAB5_PY_W:-8}" -n "${LAB5_TASKS:-64}" \
			--latency "${LAB5_LATENCY:-20ms}" --fail-rate 0.1
	fi
	step "$TVP" run squares -b sequential,threads -w 1-4 --cost 0 \
		-n "${LAB5_N0:-20M}"
	step "$TVP" run squares -b sequential,threads -w 1-4 --cost 200 \
		-n "${LAB5_N200:-500K}"
}

case "${1:-}" in
1 | 2 | 3 | 4 | 5) "lab$1" ;;
*)
	echo "usage: labs/lab.sh 1|2|3|4|5" >&2
	exit 2
	;;
esac
exit "$failed"

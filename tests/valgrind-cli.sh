#!/bin/sh
# valgrind-cli.sh - tvp command lines under memcheck ($VALGRIND), for the
# code only bin/tvp runs: the driver, the runner, the reports, the fault
# paths. Forked runners and workers are checked too. Each line must end
# with its expected exit status and valgrind must report nothing.
# Used by `make valgrind`; TVP_BIN names the binary.
set -u
tvp=${TVP_BIN:-bin/tvp}
log=$(mktemp)
saved=$(mktemp --suffix=.json)
trap 'rm -f "$log" "$saved"' EXIT
failed=0

# expected-status [NAME=VALUE] -- args...
check() {
	want=$1
	shift
	env_set=
	[ "$1" != -- ] && { env_set=$1; shift; }
	shift
	env $env_set $VALGRIND --log-file="$log" "$tvp" "$@" >/dev/null 2>&1
	got=$?
	if [ "$got" != "$want" ] || [ -s "$log" ]; then
		echo "valgrind: '$env_set tvp $*' exited $got (want $want):" >&2
		cat "$log" >&2
		failed=1
	fi
}

check 0 -- list
check 0 -- info
check 0 -- run squares -n 20K -w 1,2 -r 2 -f json
check 0 -- run squares -n 20K -w 3 -r 2 --schedule dynamic -f markdown
check 0 -- run counter -b processes,openmp -V mutex -n 20K -w 2 -r 1 --mutex robust --lock omp-lock -f csv
check 0 -- run squares,counter -V default,mutex -n 20K -w 1,2 -r 2 -f html
check 0 COLUMNS=60 -- run squares -n 20K -w 1,2 -r 2 --columns W,median,speedup,detail -f table
"$tvp" run squares -n 20K -w 1,2 -r 4 --no-progress -o "$saved" >/dev/null 2>&1 || failed=1
check 0 -- compare "$saved" "$saved"
check 2 -- compare "$saved" /nonexistent.json
check 2 -- run squares -w 0
check 2 -- run squares -n 1000G
check 1 TVP_FAULT=kill:worker=1 -- run squares -n 10K -w 2 -r 2 -f csv
check 1 TVP_FAULT=exit:worker=1,backend=processes -- run squares -n 10K -w 2 -r 2 -f csv
check 1 TVP_FAULT=eagain:create,worker=1 -- run squares -n 10K -w 2 -r 2 -f table
check 1 TVP_FAULT=enomem:alloc,nth=2 -- run squares -n 10K -w 2 -r 2 -f csv
check 1 TVP_FAULT=stall:worker=1,backend=threads -- run squares -b threads -n 10K -w 2 -r 1 --timeout 2 -f csv
[ "$failed" = 0 ] && echo "valgrind: tvp command lines clean"
exit "$failed"

#!/bin/sh
# bench-spawn.sh TVP BENCH NOP ROUNDS - the bare start+join microbenchmarks
# (scripts/bench-spawn.c) next to `tvp run spawn`, microseconds per worker,
# W = online CPUs, ROUNDS rounds each. The goal: tvp within 1.5x of bare.
set -eu
tvp=$1 bench=$2 nop=$3 rounds=$4
w=$(getconf _NPROCESSORS_ONLN)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# construct, bare mode, tvp variant, tvp back end
printf '%-26s %10s %10s %7s\n' construct "bare us" "tvp us" ratio
while read -r name mode variant backend; do
	# back to back, so both see the same load on a shared machine
	bare=$("$bench" "$mode" "$w" "$rounds" "$nop" | cut -d, -f4)
	"$tvp" run spawn -b "$backend" -V "$variant" -w "$w" -n "$rounds" \
		-f csv --no-progress >"$tmp"
	tvp_us=$(awk -F, -v v="$variant" -v b="$backend" \
		'$1 == "spawn" && $2 == v && $3 == b { print $13 }' "$tmp")
	awk -v n="$name" -v a="$bare" -v t="$tvp_us" 'BEGIN {
		printf "%-26s %10.2f %10.2f %7.2f\n", n, a, t, (a > 0 ? t / a : 0) }'
done <<LIST
pthread_create+join thread start threads
fork+_exit+waitpid fork start processes
posix_spawn+waitpid exec exec processes
omp-parallel-region omp start openmp
LIST
echo "(W=$w, $rounds rounds; goal for thread, fork and omp: ratio <= 1.5)"

#!/bin/sh
# bench-spawn.sh TVP BENCH NOP ROUNDS - the bare start+join microbenchmarks
# (scripts/bench-spawn.c) next to `tvp run spawn`, microseconds per worker,
# W = online CPUs, ROUNDS rounds each. BENCH runs them in a minimal process,
# BENCH-libs in one linked with tvp's libraries (fork copies page tables:
# the bigger the parent, the dearer). The goal: tvp within 1.5x of the bare
# call made from a process like tvp's (the ratio column).
set -eu
tvp=$1 bench=$2 nop=$3 rounds=$4
w=$(getconf _NPROCESSORS_ONLN)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# construct, bare mode, tvp variant, tvp back end
printf '%-26s %10s %10s %10s %7s\n' construct "bare us" "+libs us" "tvp us" ratio
while read -r name mode variant backend; do
	# back to back, so both see the same load on a shared machine
	bare=$("$bench" "$mode" "$w" "$rounds" "$nop" | cut -d, -f4)
	libs=$("$bench-libs" "$mode" "$w" "$rounds" "$nop" | cut -d, -f4)
	"$tvp" run spawn -b "$backend" -V "$variant" -w "$w" -n "$rounds" \
		-f csv --no-progress >"$tmp"
	tvp_us=$(awk -F, -v v="$variant" -v b="$backend" \
		'$1 == "spawn" && $2 == v && $3 == b { print $13 }' "$tmp")
	awk -v n="$name" -v a="$bare" -v l="$libs" -v t="$tvp_us" 'BEGIN {
		printf "%-26s %10.2f %10.2f %10.2f %7.2f\n", n, a, l, t,
			(l > 0 ? t / l : 0) }'
done <<LIST
pthread_create+join thread start threads
fork+_exit+waitpid fork start processes
posix_spawn+waitpid exec exec processes
omp-parallel-region omp start openmp
LIST
echo "(W=$w, $rounds rounds; goal for thread, fork and omp: ratio <= 1.5)"

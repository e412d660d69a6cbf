#!/bin/sh
# bench-limits.sh TVP BARE BARE_LIBS [ROUNDS] - tvp's figures against bare
# loops of the same constructs (scripts/bench-limits.c), `make bench-limits`.
#
# Each row runs the bare loop and then the matching tvp cell (bin/tvp run
# ... -f csv), back to back, so both see the same load; ROUNDS (default 3)
# rounds of all rows, and the table gives the median, min and max of the
# per-round ratios. Same item size, capacity, worker count and size on both
# sides. BARE_LIBS is the same program linked with libcurl and libmicrohttpd
# (and the 30 libraries they pull in), as tvp was before it dlopen()ed them:
# fork copies the parent's page tables, so it costs more from a bigger one.
#
# ratio: for a rate, tvp / bare (1 = at the ceiling, lower = slower); for a
# cost in us/worker, tvp / bare (1 = at the ceiling, higher = dearer).
# Environment: BENCH_REPS (runs per figure, default 3), BENCH_W (workers of
# counters and starts, default online CPUs), BENCH_PC_N, BENCH_COUNTER_N,
# BENCH_ROUNDS_N (sizes), BENCH_ROWS (only the rows whose name contains
# this text, e.g. "(us)" for the starts), BENCH_HELPER (for exec-start).
set -eu
tvp=$1 bare=$2 bare_libs=$3 rounds=${4:-3}
reps=${BENCH_REPS:-3}
w=${BENCH_W:-$(getconf _NPROCESSORS_ONLN)}
pc_n=${BENCH_PC_N:-500000}
cnt_n=${BENCH_COUNTER_N:-2000000}
spawn_n=${BENCH_ROUNDS_N:-200}
case "$rounds$reps$w$pc_n$cnt_n$spawn_n" in
*[!0-9]*) echo "bench-limits.sh: ROUNDS and BENCH_* must be whole numbers" >&2; exit 2 ;;
esac
cap=$("$tvp" list | sed -n 's/.*--capacity N .*(default \([0-9]*\)).*/\1/p')
[ -n "$cap" ] || { echo "bench-limits.sh: no --capacity default in tvp list" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one tvp cell's throughput column (13), from its own back end's row
tvp_figure() { # backend variant workload args...
	be=$1 v=$2 wl=$3
	shift 3
	"$tvp" run "$wl" -b "$be" -V "$v" -r "$reps" -f csv --no-progress "$@" \
		>"$tmp/cell.csv"
	awk -F, -v b="$be" -v v="$v" '$2 == v && $3 == b { print $13 }' "$tmp/cell.csv"
}

# name | goal | bare program, mode, args | tvp back end, variant, workload, args
rows() {
	# tvp's default capacity against a bare ring at 1024 (the same row
	# when the default is 1024)
	[ "$cap" = 1024 ] || echo "locked ring, threads, capacity $cap|-|$bare ring-locked 2 $pc_n $reps $cap|threads locked prodcons -w 2 -n $pc_n --capacity $cap"
	cat <<ROWS
locked ring, processes, capacity $cap|-|$bare ring-locked-processes 2 $pc_n $reps $cap|processes locked prodcons -w 2 -n $pc_n --capacity $cap
locked ring at the default ($cap) vs bare at 1024|>= 0.8|$bare ring-locked 2 $pc_n $reps 1024|threads locked prodcons -w 2 -n $pc_n
spsc ring, threads|>= 0.5|$bare spsc-threads 2 $pc_n $reps $cap|threads spsc prodcons -w 2 -n $pc_n --capacity $cap
spsc ring, processes|>= 0.5|$bare spsc-processes 2 $pc_n $reps $cap|processes spsc prodcons -w 2 -n $pc_n --capacity $cap
pipe, 8-byte items|-|$bare pipe 2 $pc_n $reps|processes pipe prodcons -w 2 -n $pc_n
atomic counter, threads|-|$bare atomic-threads $w $cnt_n $reps|threads atomic counter -w $w -n $cnt_n
atomic counter, processes|-|$bare atomic-processes $w $cnt_n $reps|processes atomic counter -w $w -n $cnt_n
mutex counter, threads|-|$bare mutex-threads $w $cnt_n $reps|threads mutex counter -w $w -n $cnt_n
mutex counter, threads, process-shared|-|$bare mutex-threads-shared $w $cnt_n $reps|threads mutex counter -w $w -n $cnt_n --mutex shared
mutex counter, processes|-|$bare mutex-processes $w $cnt_n $reps|processes mutex counter -w $w -n $cnt_n
robust mutex counter, processes|-|$bare mutex-robust $w $cnt_n $reps|processes mutex counter -w $w -n $cnt_n --mutex robust
pthread_create + join (us)|-|$bare thread-start $w $spawn_n $reps|threads start spawn -w $w -n $spawn_n
fork + waitpid, minimal parent (us)|<= 1.3|$bare fork-start $w $spawn_n $reps|processes start spawn -w $w -n $spawn_n
fork + waitpid, parent mapping libcurl & co (us)|-|$bare_libs fork-start $w $spawn_n $reps|processes start spawn -w $w -n $spawn_n
posix_spawn of tvp-nop + waitpid (us)|-|$bare exec-start $w $spawn_n $reps|processes exec spawn -w $w -n $spawn_n
OpenMP region (us)|-|$bare omp-region $w $spawn_n $reps|openmp start spawn -w $w -n $spawn_n
ROWS
}
selected() { rows | grep -F -- "${BENCH_ROWS:-|}"; }
selected >/dev/null || { echo "bench-limits.sh: no row matches BENCH_ROWS" >&2; exit 2; }

echo "make bench-limits: $rounds rounds, $reps runs per figure, W = $w; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$tvp" info | grep -E '^(cpu|cpus|kernel|compiler):'
r=1
while [ "$r" -le "$rounds" ]; do
	i=0
	selected | while IFS='|' read -r name goal bare_cmd tvp_args; do
		i=$((i + 1))
		# shellcheck disable=SC2086 # the fields are word lists on purpose
		b=$($bare_cmd)
		# shellcheck disable=SC2086
		t=$(tvp_figure $tvp_args)
		[ -n "$b" ] && [ -n "$t" ] || { echo "bench-limits.sh: no figure for $name" >&2; exit 1; }
		echo "$i|$name|$goal|$b|$t" >>"$tmp/figures"
	done
	echo "round $r of $rounds done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
	r=$((r + 1))
done

# per row: the last round's figures, the ratios' median, min and max; then
# processes' mutex counter against threads', round by round, when both ran:
# against the threads' own mutex (the goal), against the threads with the
# processes' kind (like with like), and that kind's cost in the bare loops
awk -F'|' '
function sort(a, n,   i, j, x) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { x = a[j]; a[j] = a[j - 1]; a[j - 1] = x }
}
# tvp against tvp: the processes mutex counter time over that of row r
function against(r, what, goal,   k) {
	for (k = 1; k <= n[r]; k++) a[k] = tvp[mp, k] > 0 ? tvp[r, k] / tvp[mp, k] : 0
	line("tvp processes mutex counter: time vs " what " (bare: threads incr/s, tvp: processes)",
	     goal, tvp[r, n[r]], tvp[mp, n[mp]], a, n[r])
}
function line(name, goal, b, t, a, n) {
	sort(a, n)
	printf "| %s | %.4g | %.4g | %.2f | %.2f-%.2f | %s |\n", name, b, t,
		a[int((n + 1) / 2)], a[1], a[n], goal
}
{
	row[$1] = $2; goal[$1] = $3; tvp[$1, ++n[$1]] = $5; bare[$1, n[$1]] = $4
	ratio[$1, n[$1]] = $4 > 0 ? $5 / $4 : 0
	if ($1 > rows) rows = $1
	if ($2 == "mutex counter, threads") mt = $1
	if ($2 == "mutex counter, threads, process-shared") ms = $1
	if ($2 == "mutex counter, processes") mp = $1
}
END {
	print "\n| construct | bare | tvp | tvp/bare median | min-max | goal |"
	print "|---|---:|---:|---:|---:|---|"
	for (i = 1; i <= rows; i++) {
		for (k = 1; k <= n[i]; k++) a[k] = ratio[i, k]
		line(row[i], goal[i], bare[i, n[i]], tvp[i, n[i]], a, n[i])
	}
	if (!mp)
		exit
	if (mt)
		against(mt, "threads (each its own kind)", "<= 1.1")
	if (ms)
		against(ms, "threads, process-shared (like with like)", "-")
	if (mt && ms) {	# the same for the bare loops: the kind, apart from the model
		for (k = 1; k <= n[mt]; k++) a[k] = bare[ms, k] > 0 ? bare[mt, k] / bare[ms, k] : 0
		line("bare loops, threads: process-shared mutex time vs private (columns: private incr/s, shared incr/s)",
		     "-", bare[mt, n[mt]], bare[ms, n[ms]], a, n[mt])
	}
}' "$tmp/figures"
echo "rates in items/s or incr/s (tvp/bare < 1: tvp slower); costs in us/worker (tvp/bare > 1: tvp dearer)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

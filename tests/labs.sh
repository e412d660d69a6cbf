#!/bin/sh
# tests/labs.sh - every lab's make target runs (at tiny sizes); the lab
# checker (labs/check.sh) calls the handed-out programs BROKEN and the
# instructor's solutions FIXED; labs/busy.sh stops a lab's comparisons on
# a busy host's rows (canned CSVs, and a stand-in tvp that reports a busy
# cell), the verdict on the program still given, and lets a quiet host's
# through; make gil ends with its two-line verdict.
# make test-labs (part of make test).
set -u
TVP=${TVP:-bin/tvp}
LAB_BIN=${LAB_BIN:-build/default/labs}
CC=${CC:-cc}
export TVP LAB_BIN
# the host's load is not what these tests are about: report, do not stop
export LAB_IGNORE_BUSY=1
export LAB1_N=20K LAB1_PY_N=500 LAB1_INCREMENTS=10003 LAB1_TSAN_INCREMENTS=10003
export LAB2_N=20K LAB3_N=3 LAB4_N=2K LAB4_PY_N=500 LAB4_ITEMS=2000
export LAB5_W=1,4 LAB5_PY_W=2 LAB5_TASKS=8 LAB5_LATENCY=1ms LAB5_N0=20K LAB5_N200=2K
export LAB6_W=2 LAB6_SLEEP=300ms LAB7_N=20K LAB7_ITEMS=2000 LAB7_TSAN_ITEMS=2000
export LAB8_N=2K LAB8_SMALL_N=100 LAB8_TIMEOUT=5ms
export GIL_N=2K GIL_TASKS=4 GIL_REPS=1 GIL_IO_W=2
# the interpreter itself, not a version manager's slow shim (pyenv)
if [ -z "${TVP_PYTHON:-}" ] && command -v python3 >/dev/null; then
	TVP_PYTHON=$(python3 -I -c 'import sys; print(sys.executable)') &&
		export TVP_PYTHON
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/shcheck.sh"	# check NAME CONDITION...

for n in 1 2 3 4 5 6 7 8 9; do
	labs/lab.sh "$n" >"$tmp/lab$n.out" 2>&1
	check "make lab-$n runs (labs/lab.sh $n exits 0)" test $? -eq 0 ||
		tail -20 "$tmp/lab$n.out"
done
check "lab 1 ends with its verdict: the handed-out program is BROKEN" \
	grep -q "^check: lost-update: BROKEN" "$tmp/lab1.out"
check "lab 7 ends with its verdict: the handed-out program is BROKEN" \
	grep -q "^check: task-monitor: BROKEN" "$tmp/lab7.out"
check "lab 4 ends with a verdict" grep -q "^check: bounded-buffer: " "$tmp/lab4.out"
check "lab 9 (make gil) ends with the CPU-bound and I/O-bound verdict" \
	sh -c "grep -q '^CPU-bound: C threads ' '$tmp/lab9.out' &&
	       grep -q '^I/O-bound: C threads ' '$tmp/lab9.out'"

# ---- the checker on known-good and known-broken programs ---------------
build() {	# build NAME SOURCE: NAME (plain) and NAME-tsan in $tmp
	$CC -std=c11 -O2 -g -pthread -o "$tmp/$1" "$2" &&
		$CC -std=c11 -O1 -g -pthread -fsanitize=thread -o "$tmp/$1-tsan" "$2"
}
for prog in lost_update task_monitor bounded_buffer; do
	build "$prog-broken" "labs/code/$prog.c"
	build "$prog-fixed" "labs/instructor/$prog.c"
done
for prog in lost_update task_monitor; do
	labs/check.sh "$prog" 5 "$tmp/$prog-fixed-tsan" "$tmp/$prog-fixed" 2 10003 \
		>"$tmp/good.out" 2>&1
	check "check.sh: the solution of $prog is FIXED (exit 0)" \
		sh -c "test $? -eq 0 && grep -q '^check: $prog: FIXED' '$tmp/good.out'"
	labs/check.sh "$prog" 5 "$tmp/$prog-broken-tsan" "$tmp/$prog-broken" 2 10003 \
		>"$tmp/bad.out" 2>&1
	check "check.sh: the handed-out $prog is BROKEN, TSan in 5 of 5 (exit 1)" \
		sh -c "test $? -eq 1 && grep -q 'race in 5 of 5 runs' '$tmp/bad.out'"
done
labs/check.sh bounded_buffer 10 - "$tmp/bounded_buffer-fixed" 3 2000 1 \
	>"$tmp/good.out" 2>&1
check "check.sh: the solution of bounded_buffer is FIXED in 10 of 10" test $? -eq 0
labs/check.sh lost_update 1 - "$tmp/no-such-program" >/dev/null 2>&1
check "check.sh: a missing program is a usage error (exit 2), not a verdict" test $? -eq 2

# ---- the busy host ------------------------------------------------------
hdr=workload,variant,backend,workers,size,reps,median_s,detail,foreign_cpus,busy_reps
printf '%s\nsquares,default,threads,2,1,3,0.1,"all 1 checked, quiet",0.02,0\n' \
	"$hdr" >"$tmp/quiet.csv"
printf '%s\nsquares,default,threads,2,1,3,0.1,"busy: other processes took 0.9 of 2 CPUs",0.93,2\n' \
	"$hdr" >"$tmp/busy.csv"
printf '%s\nsquares,default,threads,2,1,3,0.1,"all checked; busy: 1 of 3",,\n' \
	"$hdr" >"$tmp/busy-detail.csv"
LAB_IGNORE_BUSY=0 labs/busy.sh "$tmp/quiet.csv" >"$tmp/b.out" 2>&1
check "busy.sh: a quiet host passes, silently" sh -c "test $? -eq 0 && ! test -s '$tmp/b.out'"
LAB_IGNORE_BUSY=0 labs/busy.sh "$tmp/busy.csv" >"$tmp/b.out" 2>&1
check "busy.sh: busy_reps > 0 stops the lab (exit 3) and says why" \
	sh -c "test $? -eq 3 && grep -q 'STOP: the machine was too busy' '$tmp/b.out' &&
	       grep -q 'took 0.93 CPUs' '$tmp/b.out'"
LAB_IGNORE_BUSY=0 labs/busy.sh "$tmp/busy-detail.csv" >/dev/null 2>&1
check "busy.sh: a detail with 'busy:' stops it too" test $? -eq 3
# a stand-in tvp that reports one busy cell into every -o file
cat >"$tmp/busy-tvp" <<EOS
#!/bin/sh
while [ \$# -gt 0 ]; do
	[ "\$1" = -o ] && [ "\$2" != - ] && cp "$tmp/busy.csv" "\$2"
	shift
done
exit 0
EOS
chmod +x "$tmp/busy-tvp"
TVP="$tmp/busy-tvp" LAB_IGNORE_BUSY=0 labs/lab.sh 5 >"$tmp/b.out" 2>&1
check "lab.sh: a busy comparison stops the lab's comparisons (exit 3)" \
	sh -c "test $? -eq 3 && grep -q 'STOP' '$tmp/b.out' &&
	       grep -q 'lab: skipped on a busy machine' '$tmp/b.out'"
TVP="$tmp/busy-tvp" LAB_IGNORE_BUSY=0 labs/lab.sh 1 >"$tmp/b.out" 2>&1
check "lab.sh: on a busy machine lab 1 still judges the program (BROKEN), then exits 3" \
	sh -c "test $? -eq 3 && grep -q '^check: lost-update: BROKEN' '$tmp/b.out'"

[ "$fails" -eq 0 ] && echo "labs: all passed" && exit 0
echo "labs: $fails failed"
exit 1

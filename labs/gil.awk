# gil.awk - labs/gil.sh's two-line verdict from tvp's CSV (with csv.awk):
# the CPU-bound file first, the I/O-bound one second. Speedups move with
# the machine's load; CPU time per second of wall time (CPUs kept busy)
# is the GIL's own signature: CPython threads that compute never keep
# more than about one CPU busy, however many there are.
FNR == 1 { file++; csv_header($0); next }
{
	csv_split($0, f)
	b = f[col["backend"]]
	if (b != "threads" && b != "python-threads" && b != "python-processes")
		next
	s[file, b] = f[col["speedup"]] + 0
	wall = f[col["median_s"]] + 0
	busy[file, b] = wall > 0 ? (f[col["user_s"]] + f[col["sys_s"]]) / wall : 0
	w[file] = f[col["workers"]]
	if (f[col["verified"]] != "yes")
		bad = bad " " f[col["workload"]] "/" b
}

function figures(i) {
	return sprintf("C threads %.2fx, CPython threads %.2fx, CPython processes %.2fx faster than sequential with %d workers",
		       s[i, "threads"], s[i, "python-threads"],
		       s[i, "python-processes"], w[i])
}

END {
	cpu = figures(1) sprintf("; CPUs kept busy: %.1f, %.1f, %.1f",
				  busy[1, "threads"], busy[1, "python-threads"],
				  busy[1, "python-processes"])
	if (busy[1, "python-threads"] < 1.3)
		cpu = cpu ": CPython threads compute one at a time (the GIL), processes each have their own"
	else
		cpu = cpu ": CPython threads computed at the same time: a free-threaded interpreter (no GIL)?"
	io = figures(2)
	if (s[2, "python-threads"] > 1.5)
		io = io ": CPython threads gain too, since a thread lets go of the GIL while it waits"
	else
		io = io ": CPython threads gained little this time; was the machine busy (see foreign_cpus)?"
	printf "\nCPU-bound: %s.\nI/O-bound: %s.\n", cpu, io
	if (bad != "") {
		printf "gil: not verified:%s; read the tables above\n", bad
		exit 1
	}
}

# busy.awk - labs/busy.sh's check, over tvp's CSV (with csv.awk).
NR == 1 { csv_header($0); next }
{
	csv_split($0, f)
	rows++
	if ((("busy_reps" in col) && f[col["busy_reps"]] + 0 > 0) ||
	    (("detail" in col) && index(f[col["detail"]], "busy:"))) {
		busy++
		name = f[col["workload"]] " " f[col["variant"]] " on " \
		       f[col["backend"]] " with " f[col["workers"]] " workers"
		fc = ("foreign_cpus" in col) ? f[col["foreign_cpus"]] : ""
		list = list sprintf("\n    %s: %s of %s repetitions busy, other processes took %s CPUs",
				    name, f[col["busy_reps"]] + 0, f[col["reps"]],
				    fc == "" ? "an unknown number of" : fc)
	}
}
END {
	if (!busy)
		exit 0
	printf "\nlab: STOP: the machine was too busy for this lesson to show.\n"
	printf "  %d of %d rows ran while other programs used the CPUs (busy_reps > 0):%s\n", busy, rows, list
	printf "  Their times include someone else's work, so a comparison between\n"
	printf "  them can come out reversed. Close other programs, or wait until\n"
	printf "  `uptime` shows a load below the number of CPUs, then run the lab again.\n"
	exit ignore ? 0 : 3
}

#!/bin/sh
# labs/busy.sh RESULTS.csv - stop a lab whose numbers the host spoiled.
#
# tvp measures how much of the machine other processes took while each
# cell ran: `foreign_cpus` (CPUs' worth, median over the repetitions) and
# `busy_reps` (repetitions that ran on a busy host); a busy cell's detail
# says "busy: ...". A lab compares cells, and one cell slowed by someone
# else's job can turn its lesson upside down. So: any row with
# busy_reps > 0 stops the lab's comparisons, with what to do, instead of
# letting a reversed comparison through. Exit 0: the host was quiet; 3:
# too busy.
# LAB_IGNORE_BUSY=1 reports but does not stop (the lab tests use it).
set -u
csv=${1:?usage: labs/busy.sh RESULTS.csv}
here=$(dirname "$0")
awk -f "$here/csv.awk" -f "$here/busy.awk" -v ignore="${LAB_IGNORE_BUSY:-0}" "$csv"

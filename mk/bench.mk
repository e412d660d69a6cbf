# Numbers people can show: per-workload comparisons, a worker sweep with
# its plot, and a fuller benchmark for the README's sample table.
#
#   make compare-squares   one workload, every back end (any WORKLOAD works)
#   make sweep             results/sweep.csv, results/sweep.md, results/sweep.png
#   make plot              redraw results/sweep.png (and results/trace.png
#                          from TRACE=FILE or results/trace.csv) without re-running
#   make bench             results/bench.{csv,json,md,png} and results/machine.txt
#   make deps-plot         install gnuplot-nox (root), or say how
#
# Sizes and counts are variables: make sweep SWEEP_WORKERS=1,2,4,8 SWEEP_ARGS="-n 10M"

RESULTS       ?= results
NPROC         := $(shell nproc 2>/dev/null || echo 1)
# every count up to twice the CPUs on a small machine; powers of two on a big one
SWEEP_WORKERS ?= $(shell n=$(NPROC); if [ $$n -le 8 ]; then echo 1-$$((2 * n)); \
		   else w=1; l=; while [ $$w -lt $$n ]; do l=$$l$$w,; w=$$((w * 2)); done; \
		   echo $$l$$n,$$((2 * n)); fi)
SWEEP_WORKLOAD ?= squares
SWEEP_ARGS    ?= -r 5
BENCH_ARGS    ?= -w 1-$(NPROC) -r 11 --warmup 2
TRACE         ?= $(RESULTS)/trace.csv

.PHONY: sweep plot bench deps-plot deps-plot-tests

# gnuplot draws the pictures; like CUnit, the project installs it itself.
deps-plot:
	@scripts/need /usr/bin/gnuplot gnuplot-nox

# make test draws real plots when it can; without gnuplot those tests skip
deps-plot-tests:
	@scripts/need /usr/bin/gnuplot gnuplot-nox || echo "tvp: the plot tests will skip the gnuplot runs" >&2

$(RESULTS):
	mkdir -p $@

compare-%: $(TVP)
	$(TVP) run $* $(COMPARE_ARGS)

sweep: $(TVP) deps-plot | $(RESULTS)
	$(TVP) run $(SWEEP_WORKLOAD) -w $(SWEEP_WORKERS) $(SWEEP_ARGS) \
		-o $(RESULTS)/sweep.csv -o $(RESULTS)/sweep.md --plot $(RESULTS)/sweep.png
	@echo "wrote $(RESULTS)/sweep.csv, $(RESULTS)/sweep.md and $(RESULTS)/sweep.png"

plot: $(TVP) deps-plot
	@test -f $(RESULTS)/sweep.csv || { echo "make plot: no $(RESULTS)/sweep.csv yet; run 'make sweep' first" >&2; exit 1; }
	$(TVP) plot $(RESULTS)/sweep.csv --cpus $(NPROC) -o $(RESULTS)/sweep.png
	@if [ -f "$(TRACE)" ]; then \
		echo "$(TVP) plot --trace $(TRACE) -o $(RESULTS)/trace.png"; \
		$(TVP) plot --trace $(TRACE) -o $(RESULTS)/trace.png; fi

bench: $(TVP) deps-plot | $(RESULTS)
	$(TVP) info > $(RESULTS)/machine.txt
	$(TVP) run all $(BENCH_ARGS) -o $(RESULTS)/bench.csv -o $(RESULTS)/bench.json \
		-o $(RESULTS)/bench.md --plot $(RESULTS)/bench.png
	@echo "wrote $(RESULTS)/bench.{csv,json,md,png} and $(RESULTS)/machine.txt"

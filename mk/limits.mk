# tvp's figures against bare loops of the same constructs (issue: close to
# the machine's ceilings).
#
#   make bench-limits    bare rings, pipe, counters, starts and OpenMP region
#                        (scripts/bench-limits.c), each next to the matching
#                        tvp cell, LIMITS_ROUNDS rounds, ratios with spread
#
# Under a minute on 2 cores. docs/performance.md shows a run.

BENCH_LIMITS := $(BIN)/bench-limits
LIMITS_ROUNDS ?= 3

.PHONY: bench-limits

$(BENCH_LIMITS): scripts/bench-limits.c | $(BIN)
	$(CC) $(WARN) $(CFLAGS) -D_GNU_SOURCE -pthread -fopenmp -o $@ $<

# The same loops in a process that maps libcurl, libmicrohttpd and the 30
# libraries they pull in, loaded even if unused, as tvp's runners did when
# tvp linked them: fork() copies page tables, so its cost grows with the
# parent's address space.
$(BENCH_LIMITS)-libs: scripts/bench-limits.c | $(BIN) deps
	$(CC) $(WARN) $(CFLAGS) -D_GNU_SOURCE -pthread -fopenmp -o $@ $< \
		-Wl,--no-as-needed $(HTTP_LIBS) $(LDLIBS)

bench-limits: $(TVP) $(NOP) $(BENCH_LIMITS) $(BENCH_LIMITS)-libs
	BENCH_HELPER=$(NOP) scripts/bench-limits.sh $(TVP) $(BENCH_LIMITS) \
		$(BENCH_LIMITS)-libs $(LIMITS_ROUNDS)

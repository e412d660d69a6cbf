# counter: the yardstick for the `atomic` variant. `make bench-atomic` runs
# a bare contended atomic_fetch_add loop (scripts/bare_atomic.c, no tvp
# code) and then tvp's atomic variant with the same workers and size, so
# the two ns/incr figures can be compared (goal: tvp within 1.5x).

BARE_ATOMIC := $(BIN)/bare-atomic
BENCH_WORKERS ?= 2
BENCH_N ?= 10000000

.PHONY: bench-atomic

$(BARE_ATOMIC): scripts/bare_atomic.c | $(BIN)
	$(CC) $(WARN) -D_GNU_SOURCE $(OPT) -pthread $(LDFLAGS) -o $@ $<

bench-atomic: $(BARE_ATOMIC) $(TVP)
	$(BARE_ATOMIC) $(BENCH_WORKERS) $(BENCH_N)
	$(TVP) run counter -V atomic -w $(BENCH_WORKERS) -n $(BENCH_N) -b threads,processes,openmp

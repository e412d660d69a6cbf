# The lessons (issue 8): the spawn helper, the bare spawn microbenchmarks,
# and the CPython reference back ends.
#
#   make bench-spawn   bare pthread_create/fork/posix_spawn/omp-region loops
#                      next to `tvp run spawn`, per worker, on this machine

NOP         := $(BIN)/tvp-nop
BENCH_SPAWN := $(BIN)/bench-spawn
# the rounds each bare loop and tvp time; W = online CPUs, like tvp's default
SPAWN_ROUNDS ?= 200

.PHONY: bench-spawn
all: $(NOP)
# the processes back end and its tests exec the helper
$(TVP) $(TESTS): | $(NOP)

# a program of its own, not tvp with a hidden argument: exec'ing it should
# cost what starting a small program costs, not loading libgomp (see
# processes/helper/tvp-nop.c)
$(NOP): processes/helper/tvp-nop.c | $(BIN)
	$(CC) $(WARN) $(CFLAGS) -D_GNU_SOURCE -o $@ $<

$(BENCH_SPAWN): scripts/bench-spawn.c | $(BIN)
	$(CC) $(WARN) $(CFLAGS) -D_GNU_SOURCE -pthread -fopenmp -o $@ $<

# The same loops in a process that maps what tvp maps (every library tvp
# links, loaded even if unused): fork() copies page tables, so its cost
# grows with the parent's address space, and tvp's runner is that parent.
$(BENCH_SPAWN)-libs: scripts/bench-spawn.c | $(BIN)
	$(CC) $(WARN) $(CFLAGS) -D_GNU_SOURCE -pthread -fopenmp -o $@ $< \
		-Wl,--no-as-needed $(LDLIBS)

bench-spawn: $(TVP) $(NOP) $(BENCH_SPAWN) $(BENCH_SPAWN)-libs
	scripts/bench-spawn.sh $(TVP) $(BENCH_SPAWN) $(NOP) $(SPAWN_ROUNDS)

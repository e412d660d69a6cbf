# bin/tvp-nop: the minimal program the spawn workload forks and execs
# from (NOP is named in the Makefile). The bare start-up loops are in
# mk/limits.mk (make bench-limits).

# the processes back end and its tests exec the helper
$(TVP) $(TESTS): | $(NOP)

# a program of its own, not tvp with a hidden argument: exec'ing it should
# cost what starting a small program costs, not loading libgomp (see
# processes/helper/tvp-nop.c)
$(NOP): processes/helper/tvp-nop.c common/sys/maps.h | $(BIN)
	$(CC) $(WARN) $(CFLAGS) -D_GNU_SOURCE -Icommon -o $@ $<

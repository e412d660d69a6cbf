# mk/check.mk - sanitizers and checkers, each a make target CI runs too.
#
#   make asan       every test suite built with ASan + UBSan (gcc)
#   make tsan       every test suite built with ThreadSanitizer (clang, and
#                   libomp with its TSan-aware Archer tool, so the OpenMP
#                   back end is checked too)
#                   and checks that it catches the monitor lesson's race
#   make valgrind   memcheck on every test suite and on tvp command lines
#   make analyze    cppcheck and gcc -fanalyzer, warnings as errors
#   make fuzz       libFuzzer on the command-line parsers and on the plot
#                   readers and scripts, FUZZ_TIME seconds shared
#
# Each installs the Debian packages it needs (scripts/need), as deps-test
# does for CUnit. Sanitizer builds live in their own build/ and bin/ names.

.PHONY: asan tsan tsan-monitor valgrind analyze fuzz fuzz-merge deps-clang deps-tsan \
	deps-valgrind deps-analyze

# ---- ASan + UBSan ---------------------------------------------------------
# halt_on_error: a UBSan report fails the run instead of scrolling past;
# harness_tvp() also fails a test whose tvp child printed a sanitizer report.
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

asan:
	$(ASAN_ENV) $(MAKE) --no-print-directory SANITIZER=address,undefined test

# ---- ThreadSanitizer -------------------------------------------------------
# gcc's libgomp is not TSan-aware (its barriers look like races), so TSan
# builds with clang and LLVM's libomp, whose Archer tool (OMP_TOOL_LIBRARIES)
# tells TSan about OpenMP's synchronisation. ignore_noninstrumented_modules
# skips accesses inside the uninstrumented runtime itself, as Archer asks;
# races in tvp's code are all reported. Deliberate races are excluded by
# name only, in tests/tsan.supp.
LLVM_RESOURCE = $$(clang -print-resource-dir)
# die_after_fork=0: with --progress the driver forks runners while its
# monitor thread lives; the child never touches the monitor and starts its
# own threads afresh, which glibc supports (see common/run/monitor.c).
TSAN_ENV = TSAN_OPTIONS="halt_on_error=1 die_after_fork=0 ignore_noninstrumented_modules=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	   OMP_TOOL_LIBRARIES=$(LLVM_RESOURCE)/../../libarcher.so

deps-clang:
	@scripts/need /usr/bin/clang clang
	@scripts/need "$(LLVM_RESOURCE)/lib/linux/libclang_rt.asan-x86_64.a" libclang-rt-14-dev

deps-tsan: deps-clang
	@scripts/need "$(LLVM_RESOURCE)/../../libarcher.so" libomp-14-dev

tsan: deps-tsan
	$(TSAN_ENV) $(MAKE) --no-print-directory CC=clang SANITIZER=thread test
	$(MAKE) --no-print-directory CC=clang SANITIZER=thread tsan-monitor

# The monitor lesson's plain-flag variant races on purpose: without the
# suppressions, TSan must report it, and must stay silent on atomic-flag
# and condvar (tests/tsan-monitor.sh). Run by `make tsan`, after the suites.
tsan-monitor: $(TVP)
	tests/tsan-monitor.sh $(TVP)

# ---- valgrind --------------------------------------------------------------
# Forked children (runners, worker processes) are followed and checked too;
# an error in one makes it exit 99, which fails its cell and the test.
VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full \
	    --show-leak-kinds=definite,possible \
	    --errors-for-leak-kinds=definite,possible \
	    --suppressions=$(CURDIR)/tests/valgrind.supp

deps-valgrind:
	@scripts/need /usr/bin/valgrind valgrind

valgrind: deps-valgrind deps-test $(TVP) $(TESTS)
	TVP_BIN=$(TVP) $(VALGRIND) $(TESTS)
	TVP_BIN=$(TVP) VALGRIND="$(VALGRIND)" tests/valgrind-cli.sh

# ---- static analysis -------------------------------------------------------
ANALYZE_SRC   := $(LIB_SRC) common/cli/main.c $(TEST_SRC)
ANALYZE_FLAGS := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE \
		 $(INCLUDES) -pthread -fopenmp $(OPT)

deps-analyze:
	@scripts/need /usr/bin/cppcheck cppcheck

build/analyze/%.ok: %.c
	@mkdir -p $(dir $@)
	gcc -fanalyzer $(ANALYZE_FLAGS) -c -o /dev/null $<
	@touch $@

analyze: deps-analyze deps-test $(ANALYZE_SRC:%.c=build/analyze/%.ok)
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
		--enable=warning,performance,portability \
		--suppress=missingIncludeSystem -D_GNU_SOURCE \
		$(INCLUDES) $(TOPDIRS) tests

# ---- fuzzing ---------------------------------------------------------------
# One libFuzzer binary per target (tests/fuzz/fuzz_NAME.c), sharing
# FUZZ_TIME: fuzz_cli (the command line) and fuzz_plot (what `tvp plot`
# reads, into gnuplot scripts). New inputs go to build/fuzz/corpus*; the
# seeds and the minimised corpus kept in git are tests/fuzz/corpus (cli)
# and tests/fuzz/corpus-plot (`make fuzz-merge` refreshes them).
FUZZ_TIME  ?= 60
FUZZ_BUILD := build/fuzz
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
FUZZ_LIB   := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_OBJ   := $(FUZZ_LIB) $(FUZZ_BUILD)/tests/fuzz/fuzz_cli.o \
	      $(FUZZ_BUILD)/tests/fuzz/fuzz_plot.o
FUZZ_BIN   := $(BIN)/tvp-fuzz
FUZZ_PLOT_BIN := $(BIN)/tvp-fuzz-plot
FUZZ_SHARE  = $$(( $(FUZZ_TIME) / 2 ))
FUZZ_RUN   := UBSAN_OPTIONS=halt_on_error=1

$(FUZZ_BUILD)/%.o: %.c | deps-clang
	@mkdir -p $(dir $@)
	clang -D_GNU_SOURCE $(INCLUDES) -MMD -MP $(WARN) -pthread \
		-fopenmp $(FUZZ_FLAGS) -O1 -g -c -o $@ $<

$(FUZZ_BIN): $(FUZZ_LIB) $(FUZZ_BUILD)/tests/fuzz/fuzz_cli.o | $(BIN)
	clang -fsanitize=fuzzer,address,undefined -pthread -fopenmp -o $@ $^ $(LDLIBS)

$(FUZZ_PLOT_BIN): $(FUZZ_LIB) $(FUZZ_BUILD)/tests/fuzz/fuzz_plot.o | $(BIN)
	clang -fsanitize=fuzzer,address,undefined -pthread -fopenmp -o $@ $^ $(LDLIBS)

fuzz: $(FUZZ_BIN) $(FUZZ_PLOT_BIN)
	@mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/corpus-plot
	$(FUZZ_RUN) $(FUZZ_BIN) -max_total_time=$(FUZZ_SHARE) \
		-dict=tests/fuzz/cli.dict -print_final_stats=1 \
		$(FUZZ_BUILD)/corpus tests/fuzz/corpus
	$(FUZZ_RUN) $(FUZZ_PLOT_BIN) -max_total_time=$(FUZZ_SHARE) \
		-dict=tests/fuzz/plot.dict -print_final_stats=1 \
		$(FUZZ_BUILD)/corpus-plot tests/fuzz/corpus-plot

fuzz-merge: $(FUZZ_BIN) $(FUZZ_PLOT_BIN)
	@mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/corpus-plot
	$(FUZZ_BIN) -merge=1 tests/fuzz/corpus $(FUZZ_BUILD)/corpus
	$(FUZZ_PLOT_BIN) -merge=1 tests/fuzz/corpus-plot $(FUZZ_BUILD)/corpus-plot

-include $(FUZZ_OBJ:.o=.d)

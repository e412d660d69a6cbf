# tvp - threads versus processes.
#
#   make            build bin/tvp
#   make compare    build and run the main comparison
#   make test       build and run every test suite (installs CUnit if needed)
#   make clean
#
# Sources are found by wildcard per folder: adding a workload or a test
# edits no rule here.

CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN    := -std=c11 -Wall -Wextra -Werror
# common/ holds the interface and the workloads; its sub-folders the harness
# (run/, cli/, report/, plot/, sys/), one role each. Includes name their
# folder ("sys/shm.h", "threads/team.h"), so two back ends' files of the
# same name never clash.
TOPDIRS := common threads processes openmp python mpi
DIRS    := $(TOPDIRS) $(patsubst %/,%,$(wildcard common/*/))
INCLUDES := -I. -Icommon
CPPFLAGS += -D_GNU_SOURCE $(INCLUDES) -MMD -MP
XFLAGS  := $(WARN) -pthread -fopenmp
# libcsv and libjansson (reading results, writing JSON) go in statically:
# each shared library is five more mappings in every runner, and fork()
# copies the parent's mappings, so every forked worker would pay for them
LDLIBS  += -Wl,-Bstatic -lcsv -ljansson -Wl,-Bdynamic -lm
# fetch's HTTP source loads these itself (common/fetch_http.c: dlopen), so
# that every runner and forked worker does not map them; the tests call
# libmicrohttpd directly and link them
HTTP_LIBS := -lmicrohttpd -lcurl
# resolve every library call at start-up: with lazy binding each forked
# worker looked up the calls only a child makes (prctl, getppid, _exit)
# afresh, in its own copy of the tables, faulting their pages in
LDFLAGS += -Wl,-z,now

ifdef SANITIZER
XFLAGS  += -fsanitize=$(SANITIZER) -fno-omit-frame-pointer
endif
# One build directory and binary per sanitizer and compiler, so that
# configurations never share objects: `make SANITIZER=address,undefined
# CC=clang` builds in build/address+undefined-clang, bin/tvp-address+undefined-clang.
comma   := ,
CONFIG  := $(subst $(comma),+,$(SANITIZER))$(if $(filter-out cc,$(CC)),$(if $(SANITIZER),-)$(notdir $(CC)))
BUILD   := build/$(or $(CONFIG),default)
BIN     := bin

LIB_SRC  := $(filter-out common/cli/main.c,$(foreach d,$(DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
TVP      := $(BIN)/tvp$(if $(CONFIG),-$(CONFIG))
NOP      := $(BIN)/tvp-nop
TESTS    := $(BIN)/tvp-tests$(if $(CONFIG),-$(CONFIG))

.PHONY: all test compare clean deps deps-test

# ---- what the three targets a user types do --------------------------------
# make: bin/tvp, the minimal program spawn forks from (mk/spawn-helper.mk)
# and, outside sanitizer builds, the MPI programs (mk/mpi.mk; skipped with
# a note where Open MPI cannot be installed).
# make test: the packages the tests need (CUnit, Chromium, gnuplot), the C
# suites in bin/tvp-tests, then every lab's own target (mk/labs.mk).
# make compare: every workload on every back end (below).
all: $(TVP) $(NOP)
ifndef SANITIZER
all: mpi
test: mpi
endif

$(TVP): $(LIB_OBJ) $(BUILD)/common/cli/main.o | $(BIN)
	$(CC) $(XFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(TESTS): $(LIB_OBJ) $(TEST_OBJ) | $(BIN)
	$(CC) $(XFLAGS) $(LDFLAGS) -o $@ $^ -lcunit $(HTTP_LIBS) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(XFLAGS) $(CFLAGS) -c -o $@ $<

$(BIN):
	mkdir -p $@

# fetch's real HTTP source loads libmicrohttpd (server) and libcurl (client)
# when an HTTP cell starts; tvp plot reads CSV with libcsv; the JSON report
# and `tvp compare` write and read JSON with jansson.
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
deps:
	@scripts/need /usr/include/microhttpd.h libmicrohttpd-dev
	@scripts/need /usr/include/$(MULTIARCH)/curl/curl.h libcurl4-openssl-dev
	@scripts/need /usr/include/csv.h libcsv-dev
	@scripts/need /usr/include/jansson.h libjansson-dev
	@scripts/need /usr/lib/$(MULTIARCH)/libcsv.a libcsv-dev
	@scripts/need /usr/lib/$(MULTIARCH)/libjansson.a libjansson-dev

$(LIB_OBJ) $(BUILD)/common/cli/main.o: | deps

# The tests also need CUnit, and Chromium to render the HTML report
# headless (tests/test_browser.c).
deps-test: deps
	@scripts/need /usr/include/CUnit/CUnit.h libcunit1-dev
	@scripts/need /usr/bin/chromium chromium

$(TEST_OBJ): | deps-test

test: deps-test deps-plot-tests $(TVP) $(TESTS)
	TVP_BIN=$(TVP) $(TESTS)
	$(MAKE) --no-print-directory test-labs

# Every workload on every back end at W = online CPUs, 3 counted runs
# each: about 50 s on 2 cores. `make bench` is the fuller run.
COMPARE_ARGS ?= -r 3
compare: $(TVP)
	$(TVP) run all $(COMPARE_ARGS)

clean:
	rm -rf build bin

# Targets of one topic (sweeps, sanitizers, labs, MPI) live in mk/*.mk.
-include $(sort $(wildcard mk/*.mk))

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/common/cli/main.d

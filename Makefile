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
DIRS    := common threads processes openmp python mpi
CPPFLAGS += -D_GNU_SOURCE $(addprefix -I,$(DIRS)) -MMD -MP
XFLAGS  := $(WARN) -pthread -fopenmp
LDLIBS  += -lmicrohttpd -lcurl -lm

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

LIB_SRC  := $(filter-out common/main.c,$(foreach d,$(DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
TVP      := $(BIN)/tvp$(if $(CONFIG),-$(CONFIG))
TESTS    := $(BIN)/tvp-tests$(if $(CONFIG),-$(CONFIG))

.PHONY: all test compare clean deps deps-test
all: $(TVP)

$(TVP): $(LIB_OBJ) $(BUILD)/common/main.o | $(BIN)
	$(CC) $(XFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(TESTS): $(LIB_OBJ) $(TEST_OBJ) | $(BIN)
	$(CC) $(XFLAGS) $(LDFLAGS) -o $@ $^ -lcunit $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(XFLAGS) $(CFLAGS) -c -o $@ $<

$(BIN):
	mkdir -p $@

# fetch's real HTTP source links libmicrohttpd (server) and libcurl (client).
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
deps:
	@scripts/need /usr/include/microhttpd.h libmicrohttpd-dev
	@scripts/need /usr/include/$(MULTIARCH)/curl/curl.h libcurl4-openssl-dev

$(LIB_OBJ) $(BUILD)/common/main.o: | deps

# CUnit is the only other thing a fresh Debian machine lacks, for the tests.
deps-test: deps
	@scripts/need /usr/include/CUnit/CUnit.h libcunit1-dev

$(TEST_OBJ): | deps-test

test: deps-test $(TVP) $(TESTS)
	TVP_BIN=$(TVP) $(TESTS)

# Every workload on every back end at W = online CPUs, 3 counted runs
# each: about 50 s on 2 cores. `make bench` is the fuller run.
COMPARE_ARGS ?= -r 3
compare: $(TVP)
	$(TVP) run all $(COMPARE_ARGS)

clean:
	rm -rf build bin

# Targets of one topic (sweeps, sanitizers, labs, MPI) live in mk/*.mk.
-include $(sort $(wildcard mk/*.mk))

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/common/main.d

# Course labs: labs/labN-*.md, and `make lab-N` runs what lab N asks for
# (labs/lab.sh). The deliberately broken lab programs live in labs/code/,
# their solutions in labs/instructor/; they are built here, outside tvp,
# and never linked into it. Each has a plain build (its own test) and a
# ThreadSanitizer build, which labs/check.sh runs to say FIXED or BROKEN.
#
#   make lab-1 ... make lab-9      one lab, at the page's sizes
#   make gil                       the GIL lesson in one command (lab 9)
#   make test-labs                 every lab at tiny sizes (tests/labs.sh)

LAB_BIN  := $(BUILD)/labs
LAB_PROGS := $(LAB_BIN)/lost-update $(LAB_BIN)/lost-update-tsan \
	     $(LAB_BIN)/bounded-buffer \
	     $(LAB_BIN)/task-monitor $(LAB_BIN)/task-monitor-tsan
LAB_CFLAGS := $(WARN) -g -D_GNU_SOURCE -pthread
LABS := 1 2 3 4 5 6 7 8 9

.PHONY: labs test-labs gil $(LABS:%=lab-%)
labs: $(LAB_PROGS)

$(LAB_BIN)/lost-update: labs/code/lost_update.c
$(LAB_BIN)/bounded-buffer: labs/code/bounded_buffer.c
$(LAB_BIN)/task-monitor: labs/code/task_monitor.c
$(LAB_BIN)/lost-update $(LAB_BIN)/bounded-buffer $(LAB_BIN)/task-monitor:
	@mkdir -p $(dir $@)
	$(CC) $(LAB_CFLAGS) $(OPT) -o $@ $<

# TSan wants some optimisation off to keep line numbers exact
$(LAB_BIN)/lost-update-tsan: labs/code/lost_update.c
$(LAB_BIN)/task-monitor-tsan: labs/code/task_monitor.c
$(LAB_BIN)/lost-update-tsan $(LAB_BIN)/task-monitor-tsan:
	@mkdir -p $(dir $@)
	$(CC) $(LAB_CFLAGS) -O1 -fsanitize=thread -o $@ $<

# (the spawn helper comes from mk/spawn-helper.mk, the bare loops from
# mk/limits.mk, both read after this file)
LAB_NEEDS := $(TVP) $(BIN)/tvp-nop $(BIN)/bench-limits $(BIN)/bench-limits-libs \
	     $(LAB_PROGS)

$(LABS:%=lab-%): $(LAB_NEEDS)
	@TVP=$(TVP) LAB_BIN=$(LAB_BIN) labs/lab.sh $(@:lab-%=%)

gil: $(TVP)
	@labs/gil.sh $(TVP)

# part of make test (see the Makefile): every lab page's target must work
test-labs: $(LAB_NEEDS)
	TVP=$(TVP) LAB_BIN=$(LAB_BIN) tests/labs.sh

# Course labs: labs/labN-*.md, and `make lab-N` runs what lab N asks for
# (labs/lab.sh). The deliberately broken lab programs live in labs/code/;
# they are built here, outside tvp, and never linked into it.
#
#   make lab-1 ... make lab-5      one lab, at the page's sizes
#   make test-labs                 every lab at tiny sizes (tests/labs.sh)

LAB_BIN  := $(BUILD)/labs
LAB_PROGS := $(LAB_BIN)/lost-update $(LAB_BIN)/lost-update-tsan \
	     $(LAB_BIN)/bounded-buffer
LAB_CFLAGS := $(WARN) -g -D_GNU_SOURCE -pthread

.PHONY: labs test-labs lab-1 lab-2 lab-3 lab-4 lab-5
labs: $(LAB_PROGS)

$(LAB_BIN)/lost-update: labs/code/lost_update.c
	@mkdir -p $(dir $@)
	$(CC) $(LAB_CFLAGS) $(OPT) -o $@ $<

# TSan wants some optimisation off to keep line numbers exact
$(LAB_BIN)/lost-update-tsan: labs/code/lost_update.c
	@mkdir -p $(dir $@)
	$(CC) $(LAB_CFLAGS) -O1 -fsanitize=thread -o $@ $<

$(LAB_BIN)/bounded-buffer: labs/code/bounded_buffer.c
	@mkdir -p $(dir $@)
	$(CC) $(LAB_CFLAGS) $(OPT) -o $@ $<

# (the spawn helper and bench come from mk/lessons.mk, read after this file)
LAB_NEEDS := $(TVP) $(BIN)/tvp-nop $(BIN)/bench-spawn $(BIN)/bench-spawn-libs \
	     $(LAB_PROGS)

lab-1 lab-2 lab-3 lab-4 lab-5: $(LAB_NEEDS)
	@TVP=$(TVP) LAB_BIN=$(LAB_BIN) labs/lab.sh $(@:lab-%=%)

# part of make test: every lab page's target must keep working
test: test-labs
test-labs: $(LAB_NEEDS)
	TVP=$(TVP) LAB_BIN=$(LAB_BIN) tests/labs.sh

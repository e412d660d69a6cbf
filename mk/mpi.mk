# mk/mpi.mk - the MPI back end's programs.
#
# mpi/*.c (the back end's descriptor and mpirun launcher) is plain C, in the
# Makefile's DIRS, and always part of bin/tvp. The MPI programs, one per
# workload, live one folder down in mpi/programs/ (so DIRS's wildcard never
# sees a file that needs mpi.h) and are built with mpicc into
# bin/tvp-mpi-WORKLOAD, linked with the same objects as bin/tvp (squares'
# kernel included), so MPI runs the very same machine code.
#
# `make` and `make test` install Open MPI as root (scripts/need, as for
# CUnit). Where it cannot be installed they say so and go on: bin/tvp then
# lists the mpi back end as unavailable and its tests skip.
# Sanitizer builds do not build MPI programs (Open MPI's own leaks would
# fail them); they use the default build's programs when those exist.
#
#   make mpi        install Open MPI if needed, build bin/tvp-mpi-*

MPICC     ?= mpicc
MPI_ARCH  := $(shell $(CC) -print-multiarch 2>/dev/null)
MPI_H     := /usr/lib/$(MPI_ARCH)/openmpi/include/mpi.h
MPI_MAIN  := mpi/programs/rank.c
MPI_SRC   := $(wildcard mpi/programs/*.c)
MPI_OBJ   := $(MPI_SRC:%.c=$(BUILD)/%.o)
MPI_PROGS := $(patsubst mpi/programs/%.c,$(BIN)/tvp-mpi-%,$(filter-out $(MPI_MAIN),$(MPI_SRC)))
MPI_LIB   := $(BUILD)/libtvp.a
# mpicc is a wrapper: compile with the compiler the rest of tvp uses
MPI_CC    := OMPI_CC=$(CC) $(MPICC)

.PHONY: mpi mpi-programs

mpi: $(TVP)
	@if scripts/need $(MPI_H) libopenmpi-dev; then \
		$(MAKE) --no-print-directory mpi-programs; \
	else \
		echo "tvp: note: no Open MPI; bin/tvp lists the mpi back end as unavailable" >&2; \
	fi

mpi-programs: $(MPI_PROGS)

# the objects of bin/tvp, as an archive: each program takes what it needs
$(MPI_LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/mpi/programs/%.o: mpi/programs/%.c
	@mkdir -p $(dir $@)
	$(MPI_CC) $(CPPFLAGS) $(XFLAGS) $(CFLAGS) -c -o $@ $<

$(BIN)/tvp-mpi-%: $(BUILD)/mpi/programs/%.o $(BUILD)/mpi/programs/rank.o $(MPI_LIB) | $(BIN)
	$(MPI_CC) $(XFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# pattern-built objects are kept, so a rebuild relinks only
.SECONDARY: $(MPI_OBJ)

-include $(MPI_OBJ:.o=.d)

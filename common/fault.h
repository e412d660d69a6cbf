/*
 * fault.h - a test-only hook to make one worker die, so the tests can
 * show that a dead worker is reported with no hang and no leak.
 *
 * TVP_FAULT=kill:worker=K kills worker K (SIGKILL, like a crash: no
 * clean-up, no exit status of its own) when it reaches a fault point.
 * Unset, or in any other form, it does nothing. This is the smallest
 * piece of the fault-injection grammar in tests/README.md, with the same
 * call, so general fault injection can replace this file without touching
 * its callers.
 */
#ifndef TVP_FAULT_H
#define TVP_FAULT_H

#include "tvp.h"

enum fault_site {
	FAULT_WORKER,	/* a worker, where its workload lets it die */
};

/*
 * A fault point: c the cell (may be NULL), worker the worker's index.
 * Returns 0 to carry on; a fault that kills never returns. It reads the
 * environment each time, so call it once per worker, not per item.
 */
int fault_point(const struct cell *c, enum fault_site site, int worker);

#endif

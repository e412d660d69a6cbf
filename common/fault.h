/*
 * fault.h - a test-only hook to make one worker die, so tests can show
 * that a dead worker is reported without a hang or a leak.
 *
 * TVP_FAULT=die:worker=K makes worker K kill itself (SIGKILL) at the fault
 * point its workload defines (prodcons: a consumer, after its first item).
 * Unset, or in any other form, it does nothing. See tests/README.md.
 */
#ifndef TVP_FAULT_H
#define TVP_FAULT_H

/* K from TVP_FAULT=die:worker=K, or -1; read once, at a workload's setup */
int fault_die_worker(void);
/* die as a crash would: no clean-up, no exit status of our choosing */
void fault_die(void) __attribute__((noreturn));

#endif

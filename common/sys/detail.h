/*
 * detail.h - the words of a cell's `detail` column, written once for every
 * back end and workload: notes appended to it, and signal names for
 * reports of dead workers.
 */
#ifndef TVP_SYS_DETAIL_H
#define TVP_SYS_DETAIL_H

#include <stddef.h>

/*
 * Append a note to the NUL-terminated detail[size], after "; " unless
 * detail is empty; an empty note adds nothing, and one that does not fit
 * is cut, never written past the end.
 */
void detail_add(char *detail, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "SIGSEGV (Segmentation fault)", or "signal 77"; returns buf */
const char *signame(int sig, char *buf, size_t len);

#endif

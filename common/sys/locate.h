/*
 * locate.h - finding tvp's companion files at run time.
 */
#ifndef TVP_LOCATE_H
#define TVP_LOCATE_H

#include <stddef.h>

/*
 * The first usable one of: the path in environment variable `env`, then
 * each of `rel` (NULL-terminated) taken relative to the directory of the
 * running executable (/proc/self/exe), so bin/tvp finds ../python/ wherever
 * the tree was cloned. `mode` is access()'s: R_OK for a script, X_OK for a
 * program. 0 with the path in out, or -errno (-ENOENT: none of them).
 */
int locate_file(const char *env, const char *const *rel, int mode, char *out,
		size_t len);

#endif

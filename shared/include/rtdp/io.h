/* Reading whole files and streams with a size cap. */
#ifndef RTDP_IO_H
#define RTDP_IO_H

#include <stddef.h>
#include <stdio.h>

#include "rtdp/error.h"

/*
 * Reads all of path (or standard input when path is "-") into a new
 * NUL-terminated buffer. Fails with RTDP_ERR_LIMIT past max bytes, naming the
 * file. On success *out is the caller's (free()), *len excludes the NUL.
 */
enum rtdp_rc rtdp_read_file(const char *path, size_t max, char **out, size_t *len,
                            struct rtdp_error *err);

/* The same for an open stream; name is used in messages only. */
enum rtdp_rc rtdp_read_stream(FILE *in, const char *name, size_t max, char **out, size_t *len,
                              struct rtdp_error *err);

#endif

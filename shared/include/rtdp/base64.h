/* Standard base64 (RFC 4648, with padding), for patches, caBundles and kubeconfig data. */
#ifndef RTDP_BASE64_H
#define RTDP_BASE64_H

#include <stddef.h>

/* The base64 of len bytes of data, NUL-terminated (the caller's: free). NULL when out of memory. */
char *rtdp_base64_encode(const void *data, size_t len);

/*
 * Decodes len bytes of in (line breaks skipped) into a new buffer *out (the
 * caller's: free; NUL-terminated, *outlen bytes). Returns -1 on success, the
 * offset of the first bad byte (len for a cut-short input), or -2 when out of
 * memory. On failure *out is NULL and the partial output is wiped, since the
 * input may be a key.
 */
long rtdp_base64_decode(const char *in, size_t len, unsigned char **out, size_t *outlen);

#endif

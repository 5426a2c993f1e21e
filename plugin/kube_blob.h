/*
 * Bytes held in memory (certificates, keys, tokens) and the small codecs the
 * kubeconfig needs: standard base64 as Go's encoding/json reads []byte.
 */
#ifndef RTDP_PLUGIN_KUBE_BLOB_H
#define RTDP_PLUGIN_KUBE_BLOB_H

#include <stddef.h>

#include "rtdp/error.h"

struct kube_blob {
	unsigned char *data; /* owned; NUL-terminated (not counted in len); NULL when empty */
	size_t len;
};

/* An empty blob. Cannot fail. */
void kube_blob_init(struct kube_blob *b);

/* Zeroes (the bytes may be a secret) and frees the data; b is empty after. */
void kube_blob_release(struct kube_blob *b);

/* Replaces b's contents with a copy of len bytes of data. */
enum rtdp_rc kube_blob_set(struct kube_blob *b, const void *data, size_t len,
                           struct rtdp_error *err);

/* Reads path (at most max bytes) into b, replacing its contents. RTDP_ERR_IO, _LIMIT. */
enum rtdp_rc kube_blob_read_file(struct kube_blob *b, const char *path, size_t max,
                                 struct rtdp_error *err);

/*
 * Decodes standard base64 (padding required, '\r' and '\n' ignored, as Go
 * does) into b. A bad byte is RTDP_ERR_INVALID naming its offset.
 */
enum rtdp_rc kube_base64_decode(const char *in, size_t len, struct kube_blob *b,
                                struct rtdp_error *err);

/* Encodes len bytes as padded standard base64. Returns a string the caller
 * frees, or NULL when out of memory. */
char *kube_base64_encode(const unsigned char *in, size_t len);

/*
 * Frees and zeroes a string that may be a secret. NULL is a no-op.
 */
void kube_free_secret(char *s);

#endif

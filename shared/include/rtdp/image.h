/* Container image references, as the policy and the scaffold read them. */
#ifndef RTDP_IMAGE_H
#define RTDP_IMAGE_H

#include <stddef.h>

enum rtdp_image_pin {
	RTDP_IMAGE_UNTAGGED, /* "nginx", "registry:5000/nginx": latest, implicitly */
	RTDP_IMAGE_TAG, /* "nginx:1.27" */
	RTDP_IMAGE_DIGEST /* "nginx@sha256:...", with or without a tag */
};

/*
 * How image is pinned. *tag (may be NULL) points into image at the tag, or is
 * NULL when there is none; a ':' before the last '/' is a registry port.
 */
enum rtdp_image_pin rtdp_image_pin(const char *image, const char **tag);

/*
 * A value for the app.kubernetes.io/version label, into buf: the tag, or
 * "<algorithm>-<first 12 hex digits>" for a digest. NULL when the image has
 * neither, or the tag is "latest".
 */
const char *rtdp_image_version(const char *image, char *buf, size_t n);

#endif

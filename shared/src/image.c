#include <stdio.h>
#include <string.h>

#include "rtdp/image.h"
#include "rtdp/banned.h"

enum rtdp_image_pin rtdp_image_pin(const char *image, const char **tag)
{
	const char *at = strchr(image, '@');
	const char *slash = strrchr(image, '/'), *colon;
	size_t len = at ? (size_t)(at - image) : strlen(image);
	int has_tag;

	if (tag)
		*tag = NULL;
	for (colon = image + len; colon > image && colon[-1] != ':' && colon[-1] != '/'; colon--)
		;
	/* "nginx:" has no tag: an empty one pins nothing */
	has_tag = colon > image && colon[-1] == ':' && (!slash || colon - 1 > slash) &&
	          colon < image + len;
	if (has_tag && tag)
		*tag = colon;
	if (at)
		return RTDP_IMAGE_DIGEST;
	return has_tag ? RTDP_IMAGE_TAG : RTDP_IMAGE_UNTAGGED;
}

const char *rtdp_image_version(const char *image, char *buf, size_t n)
{
	const char *tag, *at = strchr(image, '@'), *colon;
	enum rtdp_image_pin pin = rtdp_image_pin(image, &tag);

	if (pin == RTDP_IMAGE_DIGEST) {
		colon = strchr(at, ':');
		if (!colon || strlen(colon + 1) < 12)
			return NULL;
		snprintf(buf, n, "%.*s-%.12s", (int)(colon - at - 1), at + 1, colon + 1);
		return buf;
	}
	if (pin == RTDP_IMAGE_UNTAGGED || strcmp(tag, "latest") == 0)
		return NULL;
	snprintf(buf, n, "%s", tag);
	return buf;
}

/* Text made safe for warnings and status messages, Private to webhook/. */
#ifndef RTDP_WEBHOOK_REVIEW_TEXT_H
#define RTDP_WEBHOOK_REVIEW_TEXT_H

#include <stddef.h>

/*
 * A new string (the caller's: free) from len bytes of s: control characters
 * (C0, DEL, C1) become spaces, bytes that are not valid UTF-8 become '?', and
 * when the result is longer than max bytes (max >= 4) it is cut on a character
 * boundary and ends with "...". NULL only when out of memory.
 */
char *review_clean_text(const char *s, size_t len, size_t max);

#endif

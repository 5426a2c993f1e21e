/*
 * The webhook's log: one JSON object per line on stderr (or a test's fd),
 * each written with a single write() under a lock so lines never interleave.
 * Every line carries "time" (RFC 3339, UTC, milliseconds), "level" and "msg".
 * Object bodies are never logged; debug adds decision details, never secrets.
 */
#ifndef RTDP_WEBHOOK_WLOG_H
#define RTDP_WEBHOOK_WLOG_H

#include <stdbool.h>

#include <cjson/cJSON.h>

enum wlog_level { WLOG_ERROR = 0, WLOG_WARN, WLOG_INFO, WLOG_DEBUG };

/* Lines above level are dropped; the default is WLOG_INFO. */
void wlog_set_level(enum wlog_level level);
bool wlog_enabled(enum wlog_level level);
/* Where lines go (2 by default). */
void wlog_set_fd(int fd);
/* "error", "warn", "info", "debug" into *out; false for anything else. */
bool wlog_parse_level(const char *name, enum wlog_level *out);
const char *wlog_level_name(enum wlog_level level);

/* A line with msg (formatted) and no other fields. */
void wlog(enum wlog_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A line with msg and the members of fields (an object, owned: always
 * deleted, also when the level is off). fields may be NULL.
 */
void wlog_event(enum wlog_level level, const char *msg, cJSON *fields);

#endif

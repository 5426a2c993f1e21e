/*
 * Error reporting for rtdp: a return code plus a caller-owned, fixed-size message.
 * Reporting an error never allocates. The first error set wins; callers add
 * context on the way up with rtdp_error_prefix().
 */
#ifndef RTDP_ERROR_H
#define RTDP_ERROR_H

#include <stddef.h>

enum rtdp_rc {
	RTDP_OK = 0,
	RTDP_ERR_NOMEM, /* allocation failed */
	RTDP_ERR_IO, /* a file or stream could not be read or written */
	RTDP_ERR_PARSE, /* malformed YAML or JSON */
	RTDP_ERR_LIMIT, /* input over a size, depth or count limit */
	RTDP_ERR_INVALID, /* well-formed input with a wrong field, type or value */
	RTDP_ERR_USAGE, /* bad command-line use */
	RTDP_ERR_NOTFOUND,
	RTDP_ERR_TLS, /* certificate, key or handshake problem */
	RTDP_ERR_HTTP, /* transport failure or an HTTP error answer */
	RTDP_ERR_TIMEOUT,
	RTDP_ERR_CONFLICT /* server-side apply conflict (409) */
};

#define RTDP_ERROR_MAX 1024

struct rtdp_error {
	enum rtdp_rc rc;
	char msg[RTDP_ERROR_MAX];
};

/* Sets rc and NUL-terminated message (empty). Cannot fail. */
void rtdp_error_init(struct rtdp_error *err);

/*
 * Records an error unless one is already recorded (the first one wins) and
 * returns rc, so a failure site is one line: return rtdp_error_set(err, ...).
 * err may be NULL (the code is still returned).
 */
enum rtdp_rc rtdp_error_set(struct rtdp_error *err, enum rtdp_rc rc, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/*
 * Prepends context ("policy 'p.yaml': ") to the recorded message, truncating
 * at RTDP_ERROR_MAX. Returns the recorded code. err may be NULL.
 */
enum rtdp_rc rtdp_error_prefix(struct rtdp_error *err, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* A short, static name for rc ("parse error"). Never NULL. */
const char *rtdp_rc_name(enum rtdp_rc rc);

#endif

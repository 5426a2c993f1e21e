#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rtdp/error.h"
#include "rtdp/banned.h"

void rtdp_error_init(struct rtdp_error *err)
{
	err->rc = RTDP_OK;
	err->msg[0] = '\0';
}

enum rtdp_rc rtdp_error_set(struct rtdp_error *err, enum rtdp_rc rc, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->rc != RTDP_OK)
		return err && rc == RTDP_OK ? err->rc : rc;
	err->rc = rc;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return rc;
}

enum rtdp_rc rtdp_error_prefix(struct rtdp_error *err, const char *fmt, ...)
{
	char prefix[RTDP_ERROR_MAX];
	char joined[2 * RTDP_ERROR_MAX];
	va_list ap;

	if (!err)
		return RTDP_OK;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	snprintf(joined, sizeof(joined), "%s%s", prefix, err->msg);
	memcpy(err->msg, joined, sizeof(err->msg) - 1);
	err->msg[sizeof(err->msg) - 1] = '\0';
	return err->rc;
}

const char *rtdp_rc_name(enum rtdp_rc rc)
{
	switch (rc) {
	case RTDP_OK:
		return "ok";
	case RTDP_ERR_NOMEM:
		return "out of memory";
	case RTDP_ERR_IO:
		return "i/o error";
	case RTDP_ERR_PARSE:
		return "parse error";
	case RTDP_ERR_LIMIT:
		return "limit exceeded";
	case RTDP_ERR_INVALID:
		return "invalid input";
	case RTDP_ERR_USAGE:
		return "usage error";
	case RTDP_ERR_NOTFOUND:
		return "not found";
	case RTDP_ERR_TLS:
		return "tls error";
	case RTDP_ERR_HTTP:
		return "http error";
	case RTDP_ERR_TIMEOUT:
		return "timeout";
	case RTDP_ERR_CONFLICT:
		return "conflict";
	}
	return "unknown error";
}

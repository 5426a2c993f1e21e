#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtdp/buf.h"
#include "rtdp/io.h"
#include "rtdp/banned.h"

enum rtdp_rc rtdp_read_stream(FILE *in, const char *name, size_t max, char **out, size_t *len,
                              struct rtdp_error *err)
{
	struct rtdp_buf b;
	char chunk[65536];
	size_t got;
	enum rtdp_rc rc = RTDP_OK;

	*out = NULL;
	rtdp_buf_init(&b, max);
	while ((got = fread(chunk, 1, sizeof(chunk), in)) > 0) {
		rc = rtdp_buf_add(&b, chunk, got);
		if (rc == RTDP_ERR_LIMIT) {
			rtdp_error_set(err, rc, "'%s' is larger than the limit of %zu bytes", name,
			               max);
			goto out;
		}
		if (rc != RTDP_OK) {
			rtdp_error_set(err, rc, "cannot read '%s': out of memory", name);
			goto out;
		}
	}
	if (ferror(in)) {
		rc = rtdp_error_set(err, RTDP_ERR_IO, "cannot read '%s': %s", name,
		                    strerror(errno));
		goto out;
	}
	*out = rtdp_buf_detach(&b, len);
	if (!*out)
		rc = rtdp_error_set(err, RTDP_ERR_NOMEM, "cannot read '%s': out of memory", name);
out:
	rtdp_buf_release(&b);
	return rc;
}

enum rtdp_rc rtdp_read_file(const char *path, size_t max, char **out, size_t *len,
                            struct rtdp_error *err)
{
	FILE *in;
	enum rtdp_rc rc;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		return rtdp_read_stream(stdin, "<stdin>", max, out, len, err);
	in = fopen(path, "rb");
	if (!in)
		return rtdp_error_set(err, RTDP_ERR_IO, "cannot open '%s': %s", path,
		                      strerror(errno));
	rc = rtdp_read_stream(in, path, max, out, len, err);
	fclose(in);
	return rc;
}

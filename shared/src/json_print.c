#include <stdlib.h>
#include <string.h>

#include "rtdp/json_print.h"
#include "rtdp/banned.h"

static enum rtdp_rc newline(struct rtdp_buf *out, int depth)
{
	enum rtdp_rc rc = rtdp_buf_add(out, "\n", 1);

	while (rc == RTDP_OK && depth-- > 0)
		rc = rtdp_buf_add(out, "    ", 4);
	return rc;
}

/*
 * Re-indents cJSON's compact text: a newline after every '[' or '{' that is not
 * empty and after every ',', one before every closing bracket, and ": " after
 * keys. Strings are copied as they are (cJSON escaped them).
 */
static enum rtdp_rc reindent(const char *s, struct rtdp_buf *out)
{
	int depth = 0, in_string = 0;
	enum rtdp_rc rc = RTDP_OK;

	for (; rc == RTDP_OK && *s; s++) {
		char c = *s;

		if (in_string) {
			rc = rtdp_buf_add(out, s, 1);
			if (c == '\\' && s[1])
				rc = rtdp_buf_add(out, ++s, 1);
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"') {
			in_string = 1;
			rc = rtdp_buf_add(out, s, 1);
		} else if ((c == '{' || c == '[') && (s[1] == '}' || s[1] == ']')) {
			rc = rtdp_buf_add(out, s, 2);
			s++;
		} else if (c == '{' || c == '[') {
			rc = rtdp_buf_add(out, s, 1);
			if (rc == RTDP_OK)
				rc = newline(out, ++depth);
		} else if (c == '}' || c == ']') {
			rc = newline(out, --depth);
			if (rc == RTDP_OK)
				rc = rtdp_buf_add(out, s, 1);
		} else if (c == ',') {
			rc = rtdp_buf_add(out, ",", 1);
			if (rc == RTDP_OK)
				rc = newline(out, depth);
		} else if (c == ':') {
			rc = rtdp_buf_add(out, ": ", 2);
		} else {
			rc = rtdp_buf_add(out, s, 1);
		}
	}
	return rc;
}

enum rtdp_rc rtdp_json_print(const cJSON *node, struct rtdp_buf *out)
{
	char *compact = cJSON_PrintUnformatted(node);
	enum rtdp_rc rc;

	if (!compact)
		return RTDP_ERR_NOMEM;
	rc = reindent(compact, out);
	free(compact);
	return rc == RTDP_OK ? rtdp_buf_add(out, "\n", 1) : rc;
}

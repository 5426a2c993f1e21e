#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tls_client.h"

struct upload {
	const struct tc_opts *o;
	size_t off;
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct tc_result *r = arg;
	size_t len = size * n, room = sizeof(r->body) - 1 - r->body_len;

	memcpy(r->body + r->body_len, data, len < room ? len : room);
	r->body_len += len < room ? len : room;
	r->body[r->body_len] = '\0';
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct tc_result *r = arg;
	size_t len = size * n;

	if (len > 6 && strncasecmp(data, "Allow:", 6) == 0)
		snprintf(r->allow, sizeof(r->allow), "%.*s", (int)(len - 9 > 60 ? 60 : len - 9),
		         data + 7);
	if (len >= 17 && strncasecmp(data, "Connection: close", 17) == 0)
		r->conn_close = true;
	return len;
}

static size_t on_read(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t want = size * n, left = u->o->body_len - u->off;

	if (want > 1024)
		want = 1024;
	if (want > left)
		want = left;
	if (want && u->o->slow_ms) {
		struct timespec ts = {0, (long)u->o->slow_ms * 1000000L};

		nanosleep(&ts, NULL);
	}
	memcpy(buf, u->o->body + u->off, want);
	u->off += want;
	return want;
}

CURL *tc_handle(const char *ca_file)
{
	CURL *h = curl_easy_init();

	curl_easy_setopt(h, CURLOPT_CAINFO, ca_file);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	return h;
}

static void find_gen(CURL *h, struct tc_result *r)
{
	struct curl_certinfo *ci = NULL;
	int i;

	r->gen = -1;
	if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
		return;
	for (struct curl_slist *s = ci->certinfo[0]; s; s = s->next) {
		const char *g =
		        strncmp(s->data, "Subject:", 8) == 0 ? strstr(s->data, "gen-") : NULL;

		if (g && sscanf(g + 4, "%d", &i) == 1)
			r->gen = i;
	}
}

static struct curl_slist *set_body(CURL *h, const struct tc_opts *o, struct upload *u,
                                   struct curl_slist *hdrs)
{
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, u);
	if (o->chunked)
		return curl_slist_append(hdrs, "Transfer-Encoding: chunked");
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_len);
	return hdrs;
}

CURLcode tc_do(CURL *h, unsigned port, const struct tc_opts *o, struct tc_result *r)
{
	char url[256], ct[128];
	struct curl_slist *hdrs = NULL;
	struct upload u = {o, 0};

	memset(r, 0, sizeof(*r));
	r->gen = -1;
	snprintf(url, sizeof(url), "https://127.0.0.1:%u%s", port, o->path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_CERTINFO, o->certinfo ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_SSLVERSION, o->tls_min | o->tls_max);
	if (o->tls_max)
		curl_easy_setopt(h, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
	if (o->ctype) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", o->ctype);
		hdrs = curl_slist_append(hdrs, ct);
	}
	hdrs = curl_slist_append(hdrs, o->expect100 ? "Expect: 100-continue" : "Expect:");
	if (o->body)
		hdrs = set_body(h, o, &u, hdrs);
	else
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if (o->method)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, o->method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	r->rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &r->request_size);
	if (o->certinfo)
		find_gen(h, r);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(h, CURLOPT_SSL_CIPHER_LIST, NULL);
	curl_slist_free_all(hdrs);
	return r->rc;
}

long tc_get(unsigned port, const char *ca, const char *path, struct tc_result *r)
{
	CURL *h = tc_handle(ca);
	struct tc_opts o = {.path = path};
	CURLcode rc = tc_do(h, port, &o, r);

	curl_easy_cleanup(h);
	return rc == CURLE_OK ? r->status : -1;
}

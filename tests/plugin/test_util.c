#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_util.h"

static char tmpdir[256];
static char orig_path[4096];

const char *fx(int slot, const char *rel)
{
	static char bufs[8][4096];

	snprintf(bufs[slot & 7], sizeof(bufs[0]), "%s/kubeconfig/%s", RTDP_FIXTURES, rel);
	return bufs[slot & 7];
}

void test_env_reset(void)
{
	static const char *const vars[] = {
	        "KUBECONFIG",
	        "KUBERNETES_SERVICE_HOST",
	        "KUBERNETES_SERVICE_PORT",
	        "POD_NAMESPACE",
	        "HTTPS_PROXY",
	        "https_proxy",
	        "HTTP_PROXY",
	        "http_proxy",
	        "NO_PROXY",
	        "no_proxy",
	        "ALL_PROXY",
	        "all_proxy",
	        "RTDP_EXEC_LOG",
	        "RTDP_EXEC_EXPIRY",
	        "RTDP_EXEC_KEY",
	        "AWS_PROFILE",
	};
	char path[8192];
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	if (!orig_path[0])
		snprintf(orig_path, sizeof(orig_path), "%s",
		         getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	snprintf(path, sizeof(path), "%s:%s", fx(7, "bin"), orig_path);
	setenv("PATH", path, 1);
	setenv("HOME", test_tmpdir(), 1);
}

const char *test_tmpdir(void)
{
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/rtdp-test-XXXXXX");
		assert_non_null(mkdtemp(tmpdir));
	}
	return tmpdir;
}

void test_tmp_cleanup(void)
{
	char cmd[512];

	if (!tmpdir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	tmpdir[0] = '\0';
}

const char *test_write(int slot, const char *dir, const char *name, const char *text)
{
	static char bufs[8][4096];
	char *path = bufs[slot & 7];
	FILE *f;

	snprintf(path, sizeof(bufs[0]), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}

char *test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

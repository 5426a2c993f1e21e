/* Helpers shared by the plugin's unit tests. */
#ifndef RTDP_TEST_PLUGIN_UTIL_H
#define RTDP_TEST_PLUGIN_UTIL_H

#include <stddef.h>

/* RTDP_FIXTURES "/kubeconfig/" rel, in a static buffer per slot (0..7). */
const char *fx(int slot, const char *rel);

/*
 * Clears what the kubeconfig loader reads from the environment (KUBECONFIG,
 * KUBERNETES_SERVICE_*, POD_NAMESPACE, proxies) and points HOME at an empty
 * directory; puts the fake credential plugins first on PATH.
 */
void test_env_reset(void);

/* A fresh empty directory under /tmp (removed by test_tmp_cleanup). */
const char *test_tmpdir(void);
void test_tmp_cleanup(void);

/* Writes text into dir/name; returns the path in a static buffer per slot. */
const char *test_write(int slot, const char *dir, const char *name, const char *text);

/* Reads a whole file (aborts the test on failure); free() the result. */
char *test_slurp(const char *path, size_t *len);

#endif

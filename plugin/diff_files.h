/*
 * The two sides of `kubectl rtdp diff` on disk, the way kubectl diff lays
 * them out: two private temporary directories (LIVE and MERGED, mode 0700),
 * one YAML file per object named group.version.Kind.namespace.name, compared
 * by `diff -u -N` (or $KUBECTL_EXTERNAL_DIFF) run without a shell.
 */
#ifndef RTDP_PLUGIN_DIFF_FILES_H
#define RTDP_PLUGIN_DIFF_FILES_H

#include <cjson/cJSON.h>

#include "rtdp/error.h"

#define DIFF_DIR_MAX 256

struct diff_dirs {
	char live[DIFF_DIR_MAX]; /* "" until created */
	char merged[DIFF_DIR_MAX]; /* "" until created */
};

/* Creates both directories under $TMPDIR (else /tmp). */
enum rtdp_rc diff_dirs_create(struct diff_dirs *d, struct rtdp_error *err);

/* Removes both directories and their files. Safe on a partly created d. */
void diff_dirs_remove(struct diff_dirs *d);

/*
 * Writes one object's sides: live (NULL: an empty file, the object is new)
 * and merged as YAML under the file name kubectl gives (api_version "apps/v1",
 * kind, ns "" for cluster-scoped).
 */
enum rtdp_rc diff_dirs_write(const struct diff_dirs *d, const char *api_version, const char *kind,
                             const char *ns, const char *name, const cJSON *live,
                             const cJSON *merged, struct rtdp_error *err);

/*
 * Runs the diff program on LIVE and MERGED; its output goes to our stdout.
 * Returns its exit status (0 same, 1 different, >1 trouble), or -1 when it
 * could not be run (err set).
 */
int diff_dirs_run(const struct diff_dirs *d, struct rtdp_error *err);

/*
 * Prepares a server object for diffing: drops metadata.managedFields and,
 * for a Secret, masks data like kubectl ("***", or "*** (before)" / "***
 * (after)" when the two sides differ). Either side may be NULL.
 */
void diff_prepare(cJSON *live, cJSON *merged);

#endif

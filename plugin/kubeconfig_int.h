/* Internals of the kubeconfig loader shared by kubeconfig*.c; not for commands. */
#ifndef RTDP_PLUGIN_KUBECONFIG_INT_H
#define RTDP_PLUGIN_KUBECONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "conn_flags.h"
#include "kubeconfig.h"
#include "rtdp/error.h"

#define KC_MAX_FILES 64
#define KC_MAX_ENTRIES 10000 /* clusters, users or contexts in one file */

struct kc_file {
	char *path; /* owned */
	char *dir; /* owned: the directory relative paths in this file start from */
	cJSON *root; /* owned */
	bool skip_files; /* do not read the files this kubeconfig names */
};

struct kc_files {
	struct kc_file items[KC_MAX_FILES];
	size_t n;
	char where[512]; /* "kubeconfig 'a'" or "KUBECONFIG 'a:b'" for messages */
};

/*
 * Validates the types of every known field of a parsed kubeconfig. Errors
 * name the field ("users[1].user.token: expected a string, got a number").
 */
enum rtdp_rc kc_validate(const cJSON *root, struct rtdp_error *err);

/*
 * The inner mapping ("cluster", "user", "context") of the entry called name in
 * list ("clusters", ...) of the first file that defines it, or NULL. *file is
 * set to that file. A null inner mapping gives an empty one (static).
 */
const cJSON *kc_find(const struct kc_files *fs, const char *list, const char *inner,
                     const char *name, const struct kc_file **file);

/* A path from a kubeconfig: p when absolute, else dir/p. NULL when out of memory. */
char *kc_path(const char *dir, const char *p);

/* Reads a token file, trimmed of surrounding whitespace, into *out (a secret). */
enum rtdp_rc kc_read_token(const char *path, char **out, struct rtdp_error *err);

/*
 * Fills cfg's server and TLS settings from cluster (may be NULL) in file (NULL
 * when cluster is), then the flags. label ("kubeconfig 'k': cluster \"c\"")
 * prefixes errors about the kubeconfig's fields.
 */
enum rtdp_rc kc_resolve_cluster(struct kube_config *cfg, const cJSON *cluster,
                                const struct kc_file *file, const struct kube_conn_flags *flags,
                                const char *label, struct rtdp_error *err);

/* The same for cfg's credentials and impersonation from user (may be NULL). */
enum rtdp_rc kc_resolve_user(struct kube_config *cfg, const cJSON *user, const struct kc_file *file,
                             const struct kube_conn_flags *flags, const char *label,
                             struct rtdp_error *err);

/* An empty mapping, for absent sections. */
extern const cJSON kc_empty_map;

/* Flag settings that do not depend on the source: impersonation, timeout. */
enum rtdp_rc kc_apply_common_flags(struct kube_config *cfg, const struct kube_conn_flags *flags,
                                   struct rtdp_error *err);

/* Whether the service-account environment is there. */
bool kc_in_cluster_possible(const char *sa_dir);

/* Fills cfg from the service account in sa_dir and the environment, then flags. */
enum rtdp_rc kc_in_cluster(struct kube_config *cfg, const struct kube_conn_flags *flags,
                           const char *sa_dir, struct rtdp_error *err);

/* Checks PEM material with OpenSSL: certificates, and a certificate/key pair. RTDP_ERR_TLS. */
enum rtdp_rc kc_check_ca(const struct kube_blob *ca, const char *what, struct rtdp_error *err);
enum rtdp_rc kc_check_pair(const struct kube_blob *cert, const struct kube_blob *key,
                           struct rtdp_error *err);

#endif

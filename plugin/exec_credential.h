/*
 * client-go credential plugins (client.authentication.k8s.io v1 and v1beta1),
 * as EKS (aws eks get-token), GKE (gke-gcloud-auth-plugin) and AKS (kubelogin)
 * use them. The plugin runs without a shell (posix_spawn; a bare command is
 * looked up on PATH first, as Go's exec.LookPath does), with the user's args
 * and env added and
 * KUBERNETES_EXEC_INFO set; its standard input is the terminal only when
 * interactiveMode allows and standard input is a terminal, else /dev/null; its
 * standard error passes through. The ExecCredential it prints is cached until
 * its expirationTimestamp.
 */
#ifndef RTDP_PLUGIN_EXEC_CREDENTIAL_H
#define RTDP_PLUGIN_EXEC_CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "kube_blob.h"
#include "rtdp/error.h"

#define KUBE_EXEC_V1 "client.authentication.k8s.io/v1"
#define KUBE_EXEC_V1BETA1 "client.authentication.k8s.io/v1beta1"
#define KUBE_EXEC_REPLY_MAX (4u << 20) /* bytes of plugin output */

struct kube_config;

enum kube_exec_interactive { KUBE_EXEC_NEVER, KUBE_EXEC_IF_AVAILABLE, KUBE_EXEC_ALWAYS };

struct kube_exec_env {
	char *name; /* owned */
	char *value; /* owned */
};

/* A user's exec: section, validated. */
struct kube_exec_config {
	char *api_version; /* owned: KUBE_EXEC_V1 or KUBE_EXEC_V1BETA1 */
	char *command; /* owned: a bare name (looked up on PATH) or a path, made
			       relative to the kubeconfig's directory when it was relative */
	char **args; /* owned array of owned strings */
	size_t nargs;
	struct kube_exec_env *env; /* owned array */
	size_t nenv;
	enum kube_exec_interactive interactive;
	bool provide_cluster_info;
	char *install_hint; /* owned; NULL when none */
};

/*
 * Validates exec (a user's "exec" mapping, borrowed) into *out, the caller's
 * (kube_exec_config_free). base_dir (borrowed) resolves a relative command
 * that contains a '/'. Errors are RTDP_ERR_INVALID naming the field
 * ("exec.apiVersion: ..."), the caller adds the user and file.
 */
enum rtdp_rc kube_exec_config_parse(const cJSON *exec, const char *base_dir,
                                    struct kube_exec_config **out, struct rtdp_error *err);

/* NULL is a no-op. */
void kube_exec_config_free(struct kube_exec_config *x);

/* What a plugin gave. */
struct kube_exec_credential {
	char *token; /* owned secret; NULL when the plugin gave a certificate */
	struct kube_blob cert; /* PEM; empty when none */
	struct kube_blob key; /* PEM secret; empty when none */
	time_t expiry; /* 0: does not expire */
};

void kube_exec_credential_init(struct kube_exec_credential *c);
/* Wipes and frees the contents. */
void kube_exec_credential_release(struct kube_exec_credential *c);

/*
 * Parses a plugin's standard output (len bytes, not necessarily
 * NUL-terminated) as an ExecCredential of api_version. Errors are
 * RTDP_ERR_PARSE (not JSON) or RTDP_ERR_INVALID (wrong apiVersion or kind, no
 * status, neither token nor certificate and key, bad expirationTimestamp).
 */
enum rtdp_rc kube_exec_parse_reply(const char *api_version, const char *bytes, size_t len,
                                   struct kube_exec_credential *out, struct rtdp_error *err);

/*
 * The KUBERNETES_EXEC_INFO value for cfg (borrowed; cfg->exec must be set):
 * spec.interactive, and spec.cluster when provideClusterInfo. Returns a string
 * the caller frees, or NULL when out of memory.
 */
char *kube_exec_info(const struct kube_config *cfg, bool interactive);

/* Parses an RFC 3339 timestamp ("2024-05-01T12:00:00Z", "...+02:00", fractions). -1 if bad. */
int kube_parse_rfc3339(const char *s, time_t *out);

/*
 * Runs cfg->exec once and parses its reply into *out (initialised here).
 * stdin_tty tells whether standard input is a terminal. Errors:
 * RTDP_ERR_NOTFOUND (command not found, with the installHint),
 * RTDP_ERR_USAGE (interactiveMode Always without a terminal),
 * RTDP_ERR_IO (could not start, or failed with an exit code or signal), and
 * those of kube_exec_parse_reply.
 */
enum rtdp_rc kube_exec_run(const struct kube_config *cfg, bool stdin_tty,
                           struct kube_exec_credential *out, struct rtdp_error *err);

/* A credential cached across requests of one client. */
struct kube_exec_cache {
	struct kube_exec_credential cred;
	bool valid;
	int stdin_tty; /* -1: isatty(STDIN_FILENO) decides; 0 or 1: forced (tests) */
	unsigned runs; /* times the plugin was run */
};

void kube_exec_cache_init(struct kube_exec_cache *c);
void kube_exec_cache_release(struct kube_exec_cache *c);

/*
 * Gives the credential for cfg (borrowed; cfg->exec must be set): the cached
 * one while it has not expired and refresh is false, else a new one from the
 * plugin. *out points into the cache and is valid until the next call.
 */
enum rtdp_rc kube_exec_get(struct kube_exec_cache *c, const struct kube_config *cfg, bool refresh,
                           const struct kube_exec_credential **out, struct rtdp_error *err);

#endif

/*
 * The argument loop every command shares: -h, kubectl's connection flags, the
 * command's own flags and positional arguments, and kubectl's messages for
 * unknown flags; and loading the manifests of -f flags.
 */
#ifndef RTDP_PLUGIN_CLI_H
#define RTDP_PLUGIN_CLI_H

#include <stdbool.h>

#include "conn_flags.h"
#include "rtdp/manifest.h"

struct cli {
	const char *cmd; /* "apply", for messages */
	const char *usage; /* printed for -h (the connection flags follow when conn) */
	struct kube_conn_flags *conn; /* borrowed; NULL: no connection flags */
	/* argv[*i] may be the command's own flag: 1 taken, 0 not its own, -1 error (printed) */
	int (*flag)(int argc, char **argv, int *i, void *ctx);
	/* a positional argument: 0 taken, -1 error (printed); NULL: none are taken */
	int (*arg)(const char *arg, void *ctx);
	void *ctx;
};

/* Parses argv[first..]; returns -1 to go on, or the exit code to return now (0 after -h, 2). */
int cli_parse(const struct cli *c, int argc, char **argv, int first);

/* Prints c's usage, then the connection flags' when c takes them. */
void cli_usage(const struct cli *c);

/*
 * Loads every path (files, directories, "-"; recursive as -R) into set,
 * printing each failure as "error: ..."; returns 0, or -1 when any failed.
 */
int cli_load_manifests(const char *const *paths, int npaths, bool recursive,
                       struct rtdp_object_set *set);

/*
 * Sets metadata.namespace of obj to ns (replacing what is there). Returns 0, or
 * -1 when obj has no metadata map or memory runs out.
 */
int cli_set_namespace(cJSON *obj, const char *ns);

/*
 * Gives every object of set whose kind is a known namespaced one and that has
 * no metadata.namespace the namespace ns, as kubectl does with -n.
 */
int cli_default_namespace(struct rtdp_object_set *set, const char *ns);

#endif

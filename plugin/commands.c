#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "rtdp/version.h"
#include "rtdp/banned.h"

/* clang-format off */
const struct rtdp_command rtdp_commands[] = {
	{ "init",     "Write a pipeline as a GitOps-ready directory",     cmd_init },
	{ "apply",    "Server-side apply a pipeline and wait for it",    cmd_apply },
	{ "diff",     "Show what apply would change, as kubectl diff",    cmd_diff },
	{ "delete",   "Delete a pipeline's objects by its label",         cmd_delete },
	{ "status",   "Show a pipeline's stages, services and endpoints", cmd_status },
	{ "render",   "Print a pipeline's objects as YAML or JSON",       cmd_render },
	{ "validate", "Check manifests offline against the rtdp policy", cmd_validate },
	{ "webhook",  "Make rtdp-webhook's certificates and register it", cmd_webhook },
	{ "version",  "Print the client version",                        cmd_version },
};
/* clang-format on */
const size_t rtdp_commands_len = sizeof(rtdp_commands) / sizeof(rtdp_commands[0]);

const struct rtdp_command *rtdp_command_find(const char *name)
{
	size_t i;

	for (i = 0; i < rtdp_commands_len; i++)
		if (strcmp(rtdp_commands[i].name, name) == 0)
			return &rtdp_commands[i];
	return NULL;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "rtdp makes real-time data processing pipelines on Kubernetes right by "
	             "construction.\n\n"
	             "Usage:\n  kubectl rtdp COMMAND [flags]\n\nCommands:\n");
	for (i = 0; i < rtdp_commands_len; i++)
		fprintf(out, "  %-10s %s\n", rtdp_commands[i].name, rtdp_commands[i].summary);
	fprintf(out, "\nUse \"kubectl rtdp COMMAND -h\" for more information about a command.\n");
}

int rtdp_main(int argc, char **argv)
{
	const struct rtdp_command *cmd;

	if (argc < 2) {
		usage(stderr);
		return RTDP_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return RTDP_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv + 1);
	cmd = rtdp_command_find(argv[1]);
	if (!cmd) {
		fprintf(stderr,
		        "error: unknown command \"%s\" for \"kubectl rtdp\"\n"
		        "Run 'kubectl rtdp --help' for usage.\n",
		        argv[1]);
		return RTDP_EXIT_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}

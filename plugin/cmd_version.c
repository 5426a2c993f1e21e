#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "rtdp/version.h"
#include "rtdp/banned.h"

int cmd_version(int argc, char **argv)
{
	int i;
	int json = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("Print the kubectl-rtdp version.\n\nUsage:\n  kubectl rtdp version "
			       "[-o json]\n");
			return RTDP_EXIT_OK;
		}
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc &&
		    strcmp(argv[i + 1], "json") == 0) {
			json = 1;
			i++;
		} else if (strcmp(argv[i], "-ojson") == 0 ||
		           strcmp(argv[i], "--output=json") == 0) {
			json = 1;
		} else {
			fprintf(stderr, "error: unknown flag \"%s\" for \"kubectl rtdp version\"\n",
			        argv[i]);
			return RTDP_EXIT_USAGE;
		}
	}
	if (json)
		printf("{\"clientVersion\":{\"gitVersion\":\"v%s\",\"apiVersion\":\"%s\"}}\n",
		       RTDP_VERSION, RTDP_API_VERSION);
	else
		printf("kubectl-rtdp v%s (policy %s)\n", RTDP_VERSION, RTDP_API_VERSION);
	return RTDP_EXIT_OK;
}

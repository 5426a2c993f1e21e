#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "rtdp/banned.h"

enum args_match args_value(int argc, char **argv, int *i, const char *shortf, const char *longf,
                           const char **value)
{
	const char *arg = argv[*i];
	size_t llen = strlen(longf), slen = shortf ? strlen(shortf) : 0;

	if (strncmp(arg, longf, llen) == 0 && arg[llen] == '=') {
		*value = arg + llen + 1;
		return ARGS_YES;
	}
	if (shortf && strncmp(arg, shortf, slen) == 0 && arg[slen] && strcmp(arg, shortf) != 0 &&
	    arg[1] != '-') {
		*value = arg + slen + (arg[slen] == '=');
		return ARGS_YES;
	}
	if (strcmp(arg, longf) != 0 && !(shortf && strcmp(arg, shortf) == 0))
		return ARGS_NO;
	if (*i + 1 >= argc) {
		fprintf(stderr, "error: flag needs an argument: %s\n", arg);
		return ARGS_MISSING;
	}
	*value = argv[++*i];
	return ARGS_YES;
}

enum args_match args_bool(char **argv, int i, const char *shortf, const char *longf, bool *value)
{
	const char *arg = argv[i];
	size_t llen = strlen(longf);

	if ((shortf && strcmp(arg, shortf) == 0) || strcmp(arg, longf) == 0) {
		*value = true;
		return ARGS_YES;
	}
	if (strncmp(arg, longf, llen) != 0 || arg[llen] != '=')
		return ARGS_NO;
	if (strcmp(arg + llen + 1, "true") == 0) {
		*value = true;
		return ARGS_YES;
	}
	if (strcmp(arg + llen + 1, "false") == 0) {
		*value = false;
		return ARGS_YES;
	}
	fprintf(stderr, "error: invalid argument \"%s\" for \"%s\" flag: use true or false\n",
	        arg + llen + 1, longf);
	return ARGS_MISSING;
}

bool args_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int args_unknown(const char *cmd, const char *arg)
{
	fprintf(stderr, "error: unknown flag: %s\nSee 'kubectl rtdp %s -h' for help and examples\n",
	        arg, cmd);
	return RTDP_EXIT_USAGE;
}

/*
 * Command-line flags the way kubectl (pflag) takes them: "-f X", "-fX",
 * "--filename X", "--filename=X"; booleans as "-R", "--recursive",
 * "--recursive=true|false".
 */
#ifndef RTDP_PLUGIN_ARGS_H
#define RTDP_PLUGIN_ARGS_H

#include <stdbool.h>

enum args_match {
	ARGS_NO = 0, /* argv[*i] is not this flag */
	ARGS_YES, /* matched; *i is advanced past a separate value */
	ARGS_MISSING /* matched but its value is missing (already reported on stderr) */
};

/*
 * A flag with a value. shortf is "-f" or NULL, longf "--filename". On ARGS_YES
 * *value points into argv (borrowed).
 */
enum args_match args_value(int argc, char **argv, int *i, const char *shortf, const char *longf,
                           const char **value);

/* A boolean flag; *value gets true, or the parsed "=true|false". */
enum args_match args_bool(char **argv, int i, const char *shortf, const char *longf, bool *value);

/* True for -h and --help. */
bool args_is_help(const char *arg);

/* Prints kubectl's "error: unknown flag" message for cmd and returns exit code 2. */
int args_unknown(const char *cmd, const char *arg);

#endif

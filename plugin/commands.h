/*
 * The kubectl-rtdp command table (after git's cmd_struct). Every command is
 * cmd_<name>(argc, argv) in plugin/cmd_<name>.c; argv[0] is the command name.
 * A command returns the process exit code: 0 ok, 1 failure (including deny
 * findings), 2 usage or input error; `diff` uses kubectl diff's 0/1/>1.
 */
#ifndef RTDP_PLUGIN_COMMANDS_H
#define RTDP_PLUGIN_COMMANDS_H

#include <stddef.h>

enum rtdp_exit { RTDP_EXIT_OK = 0, RTDP_EXIT_FAILURE = 1, RTDP_EXIT_USAGE = 2 };

struct rtdp_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

/* The table, in the order `kubectl rtdp -h` lists it. */
extern const struct rtdp_command rtdp_commands[];
extern const size_t rtdp_commands_len;

/* Looks a command up by name; NULL when there is none. */
const struct rtdp_command *rtdp_command_find(const char *name);

/* Dispatches argv (argv[0] is the program) and returns the exit code. */
int rtdp_main(int argc, char **argv);

int cmd_version(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_webhook(int argc, char **argv);

#endif

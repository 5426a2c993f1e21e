/*
 * The flags `init` and `render` share: NAME, --stages, --image, --port,
 * --replicas, -n. Values may name a stage ("--image ingest=repo/ingest:1.2").
 */
#ifndef RTDP_SCAFFOLD_FLAGS_H
#define RTDP_SCAFFOLD_FLAGS_H

#include "scaffold.h"

/* Usage lines for the shared flags. */
extern const char scaffold_flags_usage[];

enum scaffold_flag_result {
	SCAFFOLD_FLAG_NO = 0, /* not one of ours */
	SCAFFOLD_FLAG_YES, /* consumed (and *i advanced past a value) */
	SCAFFOLD_FLAG_ERROR /* ours, but bad; the message is printed */
};

/* Takes argv[*i] if it is a scaffold flag, applying it to s. */
enum scaffold_flag_result scaffold_flag(int argc, char **argv, int *i, struct scaffold_spec *s);

/* A command built on the scaffold flags (init, render). */
struct scaffold_cli {
	const char *cmd; /* "init", for messages */
	const char *usage_head; /* printed before the shared flags' usage */
	const char *usage_tail; /* and after */
	/* The command's own flags: 1 taken, 0 not one of them, -1 error (printed). */
	int (*own_flag)(int argc, char **argv, int *i, void *ctx);
	void *ctx;
};

/*
 * Parses argv into s (NAME, the shared flags, the command's own), defaults the
 * namespace to NAME, and checks the result. Returns -1 to go on, or the exit
 * code to return now (0 after -h, 2 on a usage error, printed).
 */
int scaffold_cli_parse(const struct scaffold_cli *cli, int argc, char **argv,
                       struct scaffold_spec *s);

#endif

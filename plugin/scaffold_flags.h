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
	SCAFFOLD_FLAG_YES,    /* consumed (and *i advanced past a value) */
	SCAFFOLD_FLAG_ERROR   /* ours, but bad; the message is printed */
};

/* Takes argv[*i] if it is a scaffold flag, applying it to s. */
enum scaffold_flag_result scaffold_flag(int argc, char **argv, int *i, struct scaffold_spec *s);

/*
 * Takes argv[*i] if it is a scaffold flag or the NAME argument. Returns 1 when
 * taken, 0 when it is another flag (the command's own), -1 on an error
 * (printed). *name is borrowed from argv.
 */
int scaffold_parse(int argc, char **argv, int *i, struct scaffold_spec *s, const char **name);

/*
 * Applies NAME (NULL keeps the default), defaults the namespace to the
 * pipeline's name when -n was not given (s->namespace left ""), and checks the
 * spec. Returns 0, or -1 with the error printed.
 */
int scaffold_finish(struct scaffold_spec *s, const char *name);

#endif

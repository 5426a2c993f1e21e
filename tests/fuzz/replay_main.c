/*
 * Replays saved fuzz inputs without libFuzzer: a main() that feeds every file
 * given (or every file of every directory given, in name order) to the
 * harness's LLVMFuzzerTestOneInput once. Built in every build, so that ctest
 * runs each corpus (and every crasher kept in it) with gcc, valgrind or ASan.
 *   replay_<harness> FILE|DIR...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#define REPLAY_MAX_BYTES (16u << 20)

/* Reads path whole; NULL (and a message) when it cannot. */
static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	long len;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    len > (long)REPLAY_MAX_BYTES || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		if (f)
			fclose(f);
		return NULL;
	}
	data = malloc(len ? (size_t)len : 1); /* exactly len bytes: overreads are caught */
	if (data && fread(data, 1, (size_t)len, f) != (size_t)len) {
		free(data);
		data = NULL;
	}
	fclose(f);
	if (!data)
		fprintf(stderr, "replay: cannot read '%s'\n", path);
	*size = (size_t)len;
	return data;
}

static int replay_file(const char *path)
{
	size_t size = 0;
	uint8_t *data = slurp(path, &size);

	if (!data)
		return -1;
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays the regular files of dir (not hidden, not recursive); returns how many, or -1. */
static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, **bigger, path[4096];
	size_t n = 0, i;
	struct stat st;
	int count = 0;

	if (!d) {
		fprintf(stderr, "replay: cannot open '%s'\n", dir);
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		bigger = realloc(names, (n + 1) * sizeof(*names));
		if (!bigger || !(bigger[n] = strdup(de->d_name))) {
			fprintf(stderr, "replay: out of memory\n");
			exit(2);
		}
		names = bigger;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(path) != 0)
				count = -1;
			else if (count >= 0)
				count++;
		}
		free(names[i]);
	}
	free(names);
	return count;
}

int main(int argc, char **argv)
{
	struct stat st;
	int i, total = 0, got;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: no such file or directory: '%s'\n", argv[i]);
			return 2;
		}
		got = S_ISDIR(st.st_mode)         ? replay_dir(argv[i])
		      : replay_file(argv[i]) == 0 ? 1
		                                  : -1;
		if (got < 0)
			return 2;
		total += got;
	}
	printf("replayed %d input%s\n", total, total == 1 ? "" : "s");
	return 0;
}

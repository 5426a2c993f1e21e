/* Replays every file of the review fuzz corpus through the harness (a plain ctest test). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(void)
{
	DIR *d = opendir(RTDP_FUZZ_CORPUS);
	struct dirent *e;
	int n = 0;

	if (!d) {
		fprintf(stderr, "cannot open %s\n", RTDP_FUZZ_CORPUS);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		size_t len = 0;
		char *data;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", RTDP_FUZZ_CORPUS, e->d_name);
		data = tu_read(path, &len);
		if (!data)
			continue;
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		free(data);
		n++;
	}
	closedir(d);
	printf("replayed %d inputs\n", n);
	return n > 0 ? 0 : 1;
}

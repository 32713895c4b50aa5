/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Without libFuzzer (gcc builds), each harness links this main, which feeds
 * it every file named on the command line or found in a named directory:
 * the seed corpus and the crashers we fixed then run in every "make check". */

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (1 << 20)

static int replay_file(const char *path, unsigned int *count)
{
	uint8_t *buf;
	FILE *f;
	size_t n;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(REPLAY_MAX_INPUT);
	if (!buf) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, REPLAY_MAX_INPUT, f);
	fclose(f);
	/* an exact-size copy, so ASAN sees any read past the end */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	(*count)++;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int count = 0, failed = 0;
	struct dirent *de;
	struct stat st;
	char path[4096];
	int i;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			failed++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (replay_file(argv[i], &count) < 0)
				failed++;
			continue;
		}
		DIR *d = opendir(argv[i]);

		if (!d) {
			failed++;
			continue;
		}
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (replay_file(path, &count) < 0)
				failed++;
		}
		closedir(d);
	}
	printf("replay: %u inputs, %u unreadable\n", count, failed);
	return (failed || count == 0) ? 1 : 0;
}

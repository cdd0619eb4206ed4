// SPDX-License-Identifier: Apache-2.0
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "fixture.h"

static void *read_file(FILE *f, size_t *size)
{
	size_t cap = 4096, len = 0, n;
	char *buf = malloc(cap + 1);

	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			char *bigger = realloc(buf, cap * 2 + 1);

			if (!bigger)
				free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	if (!buf) {
		fprintf(stderr, "out of memory\n");
		abort();
	}
	buf[len] = '\0';
	*size = len;
	return buf;
}

void *load_dtb(const char *name, size_t *size)
{
	char path[512];
	FILE *f;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s.dtb", FIXTURE_DIR, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open fixture %s (run make in tests/unit)\n", path);
		abort();
	}
	buf = read_file(f, size);
	fclose(f);
	return buf;
}

int run_dtc(const void *blob, size_t len, char **out)
{
	char path[] = "/tmp/punt-dtc-XXXXXX";
	char cmd[128];
	int fd = mkstemp(path);
	FILE *p;
	size_t n;
	char *text;
	int status;

	if (fd < 0 || write(fd, blob, len) != (ssize_t)len) {
		perror("temporary dtb");
		abort();
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dtb -O dts %s 2>&1", path);
	p = popen(cmd, "r");
	if (!p) {
		perror("popen dtc");
		abort();
	}
	text = read_file(p, &n);
	status = pclose(p);
	unlink(path);
	if (out)
		*out = text;
	else
		free(text);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

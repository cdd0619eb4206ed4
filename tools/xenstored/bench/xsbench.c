// SPDX-License-Identifier: Apache-2.0
/*
 * Load generator for xenstored over its Unix socket. Each client thread has its own
 * connection and issues one request at a time, timing each round trip.
 *   xsbench run <read|write|directory|transaction> <clients> <seconds>
 *   xsbench populate <nodes>
 * The socket comes from XENSTORED_PATH.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum { XS_DIRECTORY = 1, XS_READ = 2, XS_TX_START = 6, XS_TX_END = 7, XS_WRITE = 11 };

struct client {
	pthread_t thread;
	int id;
	int fd;
	const char *workload;
	double seconds;
	uint64_t *lat_ns;
	size_t nlat;
	size_t cap;
	int errors;
};

static int xs_connect(void)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	const char *path = getenv("XENSTORED_PATH");
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (!path || fd < 0 || strlen(path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, path);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int io_all(int fd, void *buf, size_t n, int writing)
{
	char *p = buf;

	while (n) {
		ssize_t r = writing ? write(fd, p, n) : read(fd, p, n);

		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One request/reply; returns the reply type or -1. Reply payload (truncated) in out. */
static int xs_call(int fd, uint32_t type, uint32_t tx, const void *payload, uint32_t len, char *out,
		   size_t outcap)
{
	uint32_t hdr[4] = {type, 1, tx, len};
	char frame[16 + 4096];
	static char sink[4096];

	memcpy(frame, hdr, 16);
	memcpy(frame + 16, payload, len);
	if (io_all(fd, frame, 16 + len, 1) || io_all(fd, hdr, 16, 0) || hdr[3] > 4096 ||
	    io_all(fd, hdr[3] <= outcap ? out : sink, hdr[3], 0))
		return -1;
	if (hdr[3] < outcap)
		out[hdr[3]] = '\0';
	return (int)hdr[0];
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int one_op(struct client *c, unsigned i)
{
	char req[256], out[4097];
	int n, t;

	if (!strcmp(c->workload, "read")) {
		n = snprintf(req, sizeof(req), "/bench/data/k%u",
			     (i * 7919u + (unsigned)c->id) % 1000);
		return xs_call(c->fd, XS_READ, 0, req, (uint32_t)n + 1, out, sizeof(out)) ==
		       XS_READ;
	}
	if (!strcmp(c->workload, "directory")) {
		n = snprintf(req, sizeof(req), "/bench/dir");
		return xs_call(c->fd, XS_DIRECTORY, 0, req, (uint32_t)n + 1, out, sizeof(out)) ==
		       XS_DIRECTORY;
	}
	n = snprintf(req, sizeof(req), "/bench/w%d/k%u", c->id, i % 100);
	n += 1 + snprintf(req + n + 1, sizeof(req) - (size_t)n - 1, "value-%08u", i);
	if (!strcmp(c->workload, "write"))
		return xs_call(c->fd, XS_WRITE, 0, req, (uint32_t)n, out, sizeof(out)) == XS_WRITE;
	/* transaction: start, read, write, commit */
	if (xs_call(c->fd, XS_TX_START, 0, "", 1, out, sizeof(out)) != XS_TX_START)
		return 0;
	t = atoi(out);
	xs_call(c->fd, XS_READ, (uint32_t)t, req, (uint32_t)strlen(req) + 1, out, sizeof(out));
	if (xs_call(c->fd, XS_WRITE, (uint32_t)t, req, (uint32_t)n, out, sizeof(out)) != XS_WRITE)
		return 0;
	return xs_call(c->fd, XS_TX_END, (uint32_t)t, "T", 2, out, sizeof(out)) == XS_TX_END;
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	uint64_t end = now_ns() + (uint64_t)(c->seconds * 1e9);

	for (unsigned i = 0; now_ns() < end; i++) {
		uint64_t t0 = now_ns();
		int ok = one_op(c, i);

		if (!ok)
			c->errors++;
		if (c->nlat == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 4096;
			c->lat_ns = realloc(c->lat_ns, c->cap * sizeof(*c->lat_ns));
			if (!c->lat_ns)
				exit(1);
		}
		c->lat_ns[c->nlat++] = now_ns() - t0;
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int populate(unsigned nodes)
{
	int fd = xs_connect();
	char req[128], out[64];

	if (fd < 0)
		return 1;
	for (unsigned i = 0; i < nodes; i++) {
		int n = snprintf(req, sizeof(req), "/mem/d%u/n%u", i / 100, i % 100);

		n += 1 + snprintf(req + n + 1, sizeof(req) - (size_t)n - 1, "0123456789abcdef");
		if (xs_call(fd, XS_WRITE, 0, req, (uint32_t)n, out, sizeof(out)) != XS_WRITE)
			return 1;
	}
	close(fd);
	return 0;
}

static int prepare(void)
{
	int fd = xs_connect();
	char req[128], out[64];

	if (fd < 0)
		return 1;
	for (unsigned i = 0; i < 1000; i++) {
		int n = snprintf(req, sizeof(req), "/bench/data/k%u", i);

		n += 1 + snprintf(req + n + 1, sizeof(req) - (size_t)n - 1, "value-%u", i);
		xs_call(fd, XS_WRITE, 0, req, (uint32_t)n, out, sizeof(out));
	}
	for (unsigned i = 0; i < 50; i++) {
		int n = snprintf(req, sizeof(req), "/bench/dir/entry-%u", i);

		xs_call(fd, XS_WRITE, 0, req, (uint32_t)n + 1, out, sizeof(out));
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct client *cs;
	uint64_t *all;
	size_t total = 0, k = 0;
	int nclients, errors = 0;
	double secs;

	if (argc == 3 && !strcmp(argv[1], "populate"))
		return populate((unsigned)atoi(argv[2]));
	if (argc == 2 && !strcmp(argv[1], "prepare"))
		return prepare();
	if (argc != 5 || strcmp(argv[1], "run")) {
		fprintf(stderr, "usage: xsbench run <workload> <clients> <seconds> | prepare | "
				"populate <nodes>\n");
		return 2;
	}
	nclients = atoi(argv[3]);
	secs = atof(argv[4]);
	cs = calloc((size_t)nclients, sizeof(*cs));
	if (!cs)
		return 1;
	for (int i = 0; i < nclients; i++) {
		cs[i] = (struct client){.id = i, .workload = argv[2], .seconds = secs};
		cs[i].fd = xs_connect();
		if (cs[i].fd < 0) {
			perror("connect");
			return 1;
		}
	}
	for (int i = 0; i < nclients; i++)
		pthread_create(&cs[i].thread, NULL, client_main, &cs[i]);
	for (int i = 0; i < nclients; i++) {
		pthread_join(cs[i].thread, NULL);
		total += cs[i].nlat;
		errors += cs[i].errors;
	}
	all = malloc((total ? total : 1) * sizeof(*all));
	for (int i = 0; i < nclients; i++) {
		memcpy(all + k, cs[i].lat_ns, cs[i].nlat * sizeof(*all));
		k += cs[i].nlat;
		close(cs[i].fd);
	}
	qsort(all, total, sizeof(*all), cmp_u64);
	printf("%-12s %4d clients %10.0f ops/s  p50 %8.1f us  p99 %8.1f us  errors %d\n", argv[2],
	       nclients, (double)total / secs, total ? (double)all[total / 2] / 1e3 : 0.0,
	       total ? (double)all[total * 99 / 100] / 1e3 : 0.0, errors);
	return errors ? 1 : 0;
}

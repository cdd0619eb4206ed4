// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "ring_shm.h"

struct shm_frame {
	struct shm_frame *next;
	uint64_t gfn;
	int page_fd;
	int evt_in;
	int evt_out;
};

struct shm_ctx {
	int listen_fd;
	char *path;
	struct shm_frame *frames;
};

static struct shm_frame *find_frame(struct shm_ctx *x, uint64_t gfn)
{
	for (struct shm_frame *f = x->frames; f; f = f->next) {
		if (f->gfn == gfn)
			return f;
	}
	return NULL;
}

static int shm_map(void *ctx, uint32_t domid, uint64_t gfn, uint32_t port, struct ring_port *out)
{
	struct shm_frame *f = find_frame(ctx, gfn);
	void *page;

	(void)domid;
	(void)port;
	if (!f)
		return -ENOENT;
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, f->page_fd, 0);
	if (page == MAP_FAILED)
		return -errno;
	out->page = page;
	out->fd = f->evt_in;
	out->priv = f;
	return 0;
}

static void shm_unmap(void *ctx, struct ring_port *p)
{
	(void)ctx;
	if (p->page)
		munmap(p->page, 4096);
	p->page = NULL;
}

static int shm_notify(void *ctx, struct ring_port *p)
{
	struct shm_frame *f = p->priv;
	uint64_t one = 1;

	(void)ctx;
	return write(f->evt_out, &one, sizeof(one)) == (ssize_t)sizeof(one) ? 0 : -errno;
}

static void shm_ack(void *ctx, struct ring_port *p)
{
	uint64_t v;

	(void)ctx;
	/* The eventfd is non-blocking: this only clears a pending signal. */
	if (read(p->fd, &v, sizeof(v)) < 0)
		return;
}

const struct ring_backend ring_shm_backend = {
    .name = "shm",
    .map = shm_map,
    .unmap = shm_unmap,
    .notify = shm_notify,
    .ack = shm_ack,
};

int ring_shm_open(void **ctx, const char *socket_path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct shm_ctx *x = calloc(1, sizeof(*x));

	if (!x)
		return -ENOMEM;
	if (asprintf(&x->path, "%s.rings", socket_path) < 0 ||
	    strlen(x->path) >= sizeof(addr.sun_path)) {
		free(x);
		return -ENAMETOOLONG;
	}
	strcpy(addr.sun_path, x->path);
	x->listen_fd = -1;
	*ctx = x;
	return 0;
}

static int shm_listen(struct shm_ctx *x)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	strcpy(addr.sun_path, x->path);
	unlink(x->path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || chmod(x->path, 0600) ||
	    listen(fd, 16)) {
		close(fd);
		return -errno;
	}
	x->listen_fd = fd;
	return 0;
}

int ring_shm_listen_fd(void *ctx)
{
	struct shm_ctx *x = ctx;

	if (x->listen_fd < 0)
		shm_listen(x);
	return x->listen_fd;
}

int ring_shm_add(void *ctx, uint64_t gfn, int page_fd, int evt_in, int evt_out)
{
	struct shm_ctx *x = ctx;
	struct shm_frame *f;

	if (find_frame(x, gfn))
		return -EEXIST;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	fcntl(evt_in, F_SETFL, fcntl(evt_in, F_GETFL) | O_NONBLOCK);
	fcntl(evt_out, F_SETFL, fcntl(evt_out, F_GETFL) | O_NONBLOCK);
	*f = (struct shm_frame){x->frames, gfn, page_fd, evt_in, evt_out};
	x->frames = f;
	return 0;
}

/* One registration per connection: {u64 gfn} with three fds attached; answer one byte. */
static void shm_register_one(struct shm_ctx *x, int fd)
{
	char cbuf[CMSG_SPACE(3 * sizeof(int))];
	struct timeval tv = {.tv_sec = 1};
	uint64_t gfn = 0;
	struct iovec iov = {&gfn, sizeof(gfn)};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm;
	char answer = 0;
	int fds[3];

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (recvmsg(fd, &msg, MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(gfn))
		return;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(sizeof(fds)))
		return;
	memcpy(fds, CMSG_DATA(cm), sizeof(fds));
	if (ring_shm_add(x, gfn, fds[0], fds[1], fds[2]) == 0) {
		answer = 1;
	} else {
		for (int i = 0; i < 3; i++)
			close(fds[i]);
	}
	if (write(fd, &answer, 1) < 0)
		return;
}

void ring_shm_accept(void *ctx)
{
	struct shm_ctx *x = ctx;
	int fd;

	while ((fd = accept4(x->listen_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		shm_register_one(x, fd);
		close(fd);
	}
}

static void set_cloexec(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl >= 0)
		fcntl(fd, F_SETFD, on ? fl | FD_CLOEXEC : fl & ~FD_CLOEXEC);
}

void ring_shm_inherit(void *ctx, bool keep)
{
	struct shm_ctx *x = ctx;

	if (x->listen_fd >= 0)
		set_cloexec(x->listen_fd, !keep);
	for (struct shm_frame *f = x->frames; f; f = f->next) {
		set_cloexec(f->page_fd, !keep);
		set_cloexec(f->evt_in, !keep);
		set_cloexec(f->evt_out, !keep);
	}
}

int ring_shm_save(void *ctx, const char *state_path)
{
	struct shm_ctx *x = ctx;
	struct buf b = {0};
	char *path;
	FILE *f;
	int rc = 0;

	buf_put_u32(&b, (uint32_t)x->listen_fd);
	for (struct shm_frame *fr = x->frames; fr; fr = fr->next) {
		buf_put_u64(&b, fr->gfn);
		buf_put_u32(&b, (uint32_t)fr->page_fd);
		buf_put_u32(&b, (uint32_t)fr->evt_in);
		buf_put_u32(&b, (uint32_t)fr->evt_out);
	}
	if (asprintf(&path, "%s.rings", state_path) < 0) {
		buf_free(&b);
		return -ENOMEM;
	}
	f = fopen(path, "we");
	if (!f || fwrite(b.data, 1, b.len, f) != b.len)
		rc = -EIO;
	if (f && fclose(f))
		rc = -EIO;
	free(path);
	buf_free(&b);
	return rc;
}

int ring_shm_restore(void *ctx, const char *state_path)
{
	struct shm_ctx *x = ctx;
	uint8_t data[65536];
	struct reader r;
	char *path;
	size_t n;
	FILE *f;

	if (asprintf(&path, "%s.rings", state_path) < 0)
		return -ENOMEM;
	f = fopen(path, "re");
	unlink(path);
	free(path);
	if (!f)
		return 0;
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	reader_init(&r, data, n);
	x->listen_fd = (int)rd_u32(&r);
	if (x->listen_fd >= 0)
		set_cloexec(x->listen_fd, true);
	while (r.off < r.len && !r.bad) {
		uint64_t gfn = rd_u64(&r);
		int page = (int)rd_u32(&r), in = (int)rd_u32(&r), out = (int)rd_u32(&r);

		if (r.bad)
			break;
		ring_shm_add(x, gfn, page, in, out);
		ring_shm_inherit(x, false);
	}
	return 0;
}

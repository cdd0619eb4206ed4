// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "public/domctl.h"
#include "public/grant_table.h"
#include "ring_xen.h"

#define XEN_PAGE 4096

/*
 * Linux's Xen device interfaces (include/uapi/xen/evtchn.h, gntdev.h, privcmd.h): the
 * layouts and the _IOC(_IOC_NONE, letter, number, size) encodings of the ioctls used here.
 */
struct evtchn_bind_virq_arg {
	uint32_t virq;
};

struct evtchn_bind_interdomain_arg {
	uint32_t remote_domain;
	uint32_t remote_port;
};

struct evtchn_port_arg {
	uint32_t port;
};

#define EVTCHN_BIND_VIRQ	_IOC(_IOC_NONE, 'E', 0, sizeof(struct evtchn_bind_virq_arg))
#define EVTCHN_BIND_INTERDOMAIN _IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_bind_interdomain_arg))
#define EVTCHN_NOTIFY		_IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_port_arg))

struct gntdev_map_arg {
	uint32_t count;
	uint32_t pad;
	uint64_t index; /* OUT: the mmap offset of the mapping */
	uint32_t domid;
	uint32_t ref;
};
_Static_assert(sizeof(struct gntdev_map_arg) == 24, "ioctl_gntdev_map_grant_ref");

struct gntdev_unmap_arg {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};

#define GNTDEV_MAP_GRANT_REF   _IOC(_IOC_NONE, 'G', 0, sizeof(struct gntdev_map_arg))
#define GNTDEV_UNMAP_GRANT_REF _IOC(_IOC_NONE, 'G', 1, sizeof(struct gntdev_unmap_arg))

struct privcmd_hypercall_arg {
	uint64_t op;
	uint64_t arg[5];
};

struct privcmd_mmapbatch_v2_arg {
	uint32_t num;
	uint16_t dom;
	uint16_t pad;
	uint64_t addr;
	uint64_t arr_va; /* const uint64_t *: the gfns */
	uint64_t err_va; /* int *: one error per frame */
};
_Static_assert(sizeof(struct privcmd_mmapbatch_v2_arg) == 32, "privcmd_mmapbatch_v2");

#define PRIVCMD_HYPERCALL    _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall_arg))
#define PRIVCMD_MMAPBATCH_V2 _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2_arg))

enum map_kind { MAP_XSD_KVA, MAP_GRANT, MAP_FOREIGN };

/* One domain's ring: how its page is mapped, and its own event channel handle. */
struct xen_ring {
	enum map_kind kind;
	uint64_t grant_index;
	uint32_t local_port;
};

struct xen_ctx {
	int gntdev_fd;
	int privcmd_fd;
	int virq_fd;
	uint32_t virq_port;
	/* Hypercall argument memory the hypervisor can read and write (one page). */
	void *hcall_buf;
};

static int open_dev(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "xenstored: %s: %s\n", path, strerror(errno));
	return fd;
}

static int evtchn_open(void)
{
	return open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
}

/* Re-enables delivery of every port that fired on this handle (Linux masks each one). */
static void evtchn_drain(int fd)
{
	uint32_t ports[16];
	ssize_t n;

	while ((n = read(fd, ports, sizeof(ports))) > 0) {
		if (write(fd, ports, (size_t)n) != n)
			return;
	}
}

/* Page-aligned memory for hypercall arguments: Linux's /dev/xen/hypercall gives memory that
 * stays put (as libxencall uses); an mlock'd page otherwise. */
static void *hcall_buffer(void)
{
	int fd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
	void *p = MAP_FAILED;

	if (fd >= 0) {
		p = mmap(NULL, XEN_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
	}
	if (p == MAP_FAILED) {
		p = mmap(NULL, XEN_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			 0);
		if (p == MAP_FAILED)
			return NULL;
		if (mlock(p, XEN_PAGE)) {
			munmap(p, XEN_PAGE);
			return NULL;
		}
	}
	memset(p, 0, XEN_PAGE);
	return p;
}

int ring_xen_open(void **out)
{
	struct xen_ctx *x = calloc(1, sizeof(*x));
	struct evtchn_bind_virq_arg virq = {VIRQ_DOM_EXC};
	int rc;

	if (!x)
		return -ENOMEM;
	x->gntdev_fd = open_dev("/dev/xen/gntdev");
	x->privcmd_fd = open_dev("/dev/xen/privcmd");
	x->virq_fd = evtchn_open();
	x->hcall_buf = hcall_buffer();
	if (x->privcmd_fd < 0 || x->virq_fd < 0 || !x->hcall_buf) {
		rc = -ENODEV;
		goto fail;
	}
	rc = ioctl(x->virq_fd, EVTCHN_BIND_VIRQ, &virq);
	if (rc < 0) {
		rc = -errno;
		fprintf(stderr, "xenstored: cannot bind VIRQ_DOM_EXC: %s\n", strerror(errno));
		goto fail;
	}
	x->virq_port = (uint32_t)rc;
	*out = x;
	return 0;
fail:
	if (x->gntdev_fd >= 0)
		close(x->gntdev_fd);
	if (x->privcmd_fd >= 0)
		close(x->privcmd_fd);
	if (x->virq_fd >= 0)
		close(x->virq_fd);
	if (x->hcall_buf)
		munmap(x->hcall_buf, XEN_PAGE);
	free(x);
	return rc;
}

int ring_xen_virq_fd(void *ctx)
{
	return ((struct xen_ctx *)ctx)->virq_fd;
}

static void *map_grant(struct xen_ctx *x, uint32_t domid, struct xen_ring *r)
{
	struct gntdev_map_arg m = {.count = 1, .domid = domid, .ref = GNTTAB_RESERVED_XENSTORE};
	struct gntdev_unmap_arg u = {.count = 1};
	void *page;

	if (x->gntdev_fd < 0 || ioctl(x->gntdev_fd, GNTDEV_MAP_GRANT_REF, &m))
		return NULL;
	page =
	    mmap(NULL, XEN_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, x->gntdev_fd, (off_t)m.index);
	if (page == MAP_FAILED) {
		u.index = m.index;
		ioctl(x->gntdev_fd, GNTDEV_UNMAP_GRANT_REF, &u);
		return NULL;
	}
	r->kind = MAP_GRANT;
	r->grant_index = m.index;
	return page;
}

/* The older way (Xen's C xenstored before grants were seeded): map the gfn itself. */
static void *map_foreign(struct xen_ctx *x, uint32_t domid, uint64_t gfn, struct xen_ring *r)
{
	uint64_t frame = gfn;
	int err = 0;
	struct privcmd_mmapbatch_v2_arg b = {.num = 1,
					     .dom = (uint16_t)domid,
					     .arr_va = (uintptr_t)&frame,
					     .err_va = (uintptr_t)&err};
	void *page = mmap(NULL, XEN_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, x->privcmd_fd, 0);

	if (page == MAP_FAILED)
		return NULL;
	b.addr = (uintptr_t)page;
	if (ioctl(x->privcmd_fd, PRIVCMD_MMAPBATCH_V2, &b) || err) {
		munmap(page, XEN_PAGE);
		return NULL;
	}
	r->kind = MAP_FOREIGN;
	return page;
}

/* dom0's own ring, which dom0's kernel publishes when xenstored runs in dom0. */
static void *map_xsd_kva(struct xen_ring *r)
{
	int fd = open("/proc/xen/xsd_kva", O_RDWR | O_CLOEXEC);
	void *page;

	if (fd < 0)
		return NULL;
	page = mmap(NULL, XEN_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (page == MAP_FAILED)
		return NULL;
	r->kind = MAP_XSD_KVA;
	return page;
}

static void unmap_page(struct xen_ctx *x, void *page, const struct xen_ring *r)
{
	struct gntdev_unmap_arg u = {.index = r->grant_index, .count = 1};

	munmap(page, XEN_PAGE);
	if (r->kind == MAP_GRANT)
		ioctl(x->gntdev_fd, GNTDEV_UNMAP_GRANT_REF, &u);
}

static int xen_map(void *ctx, uint32_t domid, uint64_t gfn, uint32_t port, struct ring_port *out)
{
	struct xen_ctx *x = ctx;
	struct xen_ring *r = calloc(1, sizeof(*r));
	struct evtchn_bind_interdomain_arg bind = {domid, port};
	void *page;
	int fd, rc;

	if (!r)
		return -ENOMEM;
	if (domid == 0)
		page = map_xsd_kva(r);
	else if (!(page = map_grant(x, domid, r)))
		page = map_foreign(x, domid, gfn, r);
	if (!page) {
		rc = -errno;
		fprintf(stderr, "xenstored: cannot map domain %u's ring: %s\n", domid,
			strerror(errno));
		free(r);
		return rc ? rc : -EIO;
	}
	fd = evtchn_open();
	rc = fd < 0 ? -1 : ioctl(fd, EVTCHN_BIND_INTERDOMAIN, &bind);
	if (rc < 0) {
		rc = -errno;
		fprintf(stderr, "xenstored: cannot bind domain %u's port %u: %s\n", domid, port,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		unmap_page(x, page, r);
		free(r);
		return rc;
	}
	r->local_port = (uint32_t)rc;
	out->page = page;
	out->fd = fd;
	out->priv = r;
	return 0;
}

static void xen_unmap(void *ctx, struct ring_port *p)
{
	struct xen_ring *r = p->priv;

	if (!r)
		return;
	/* Closing the handle unbinds the port: the domain's end goes back to unbound. */
	close(p->fd);
	unmap_page(ctx, p->page, r);
	free(r);
	p->priv = NULL;
	p->page = NULL;
}

static int xen_notify(void *ctx, struct ring_port *p)
{
	struct xen_ring *r = p->priv;
	struct evtchn_port_arg n = {r->local_port};

	(void)ctx;
	return ioctl(p->fd, EVTCHN_NOTIFY, &n) ? -errno : 0;
}

static void xen_ack(void *ctx, struct ring_port *p)
{
	(void)ctx;
	evtchn_drain(p->fd);
}

const struct ring_backend ring_xen_backend = {
    .name = "xen",
    .map = xen_map,
    .unmap = xen_unmap,
    .notify = xen_notify,
    .ack = xen_ack,
};

static int read_xsd_port(uint32_t *port)
{
	char text[32] = {0};
	int fd = open("/proc/xen/xsd_port", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	char *end;
	unsigned long v;

	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	v = strtoul(text, &end, 10);
	if (end == text || v == 0 || v > UINT32_MAX)
		return -EINVAL;
	*port = (uint32_t)v;
	return 0;
}

int ring_xen_attach_dom0(void *ctx, struct server *s)
{
	uint32_t port = 0;
	int rc;

	(void)ctx;
	rc = read_xsd_port(&port);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	return domain_introduce(s, 0, 0, port);
}

/*
 * XEN_DOMCTL_getdomaininfo for domid: 1 with *flags if it exists, 0 if it is gone (-ESRCH,
 * or the call named the next domain up: Xen public/domctl.h), -errno if the call failed.
 */
static int domain_flags(struct xen_ctx *x, uint32_t domid, uint32_t *flags)
{
	struct xen_domctl *op = x->hcall_buf;
	struct privcmd_hypercall_arg h = {.op = HYPERVISOR_domctl, .arg = {(uintptr_t)op}};

	memset(op, 0, sizeof(*op));
	op->cmd = XEN_DOMCTL_getdomaininfo;
	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op->domain = (domid_t)domid;
	if (ioctl(x->privcmd_fd, PRIVCMD_HYPERCALL, &h) < 0)
		return errno == ESRCH ? 0 : -errno;
	if (op->u.getdomaininfo.domain != domid)
		return 0;
	*flags = op->u.getdomaininfo.flags;
	return 1;
}

void ring_xen_check_domains(void *ctx, struct server *s, bool drain)
{
	struct xen_ctx *x = ctx;
	bool shutdown_seen = false;
	struct domain *d, *next;

	if (drain)
		evtchn_drain(x->virq_fd);
	for (d = s->domains; d; d = next) {
		uint32_t flags = 0;
		int live;

		next = d->next;
		if (d->domid == 0)
			continue;
		live = domain_flags(x, d->domid, &flags);
		if (live < 0)
			continue;
		if (!live || (flags & XEN_DOMINF_dying)) {
			/* domain_gone frees d and fires @releaseDomain. */
			domain_gone(s, d->domid);
			continue;
		}
		if ((flags & XEN_DOMINF_shutdown) && !d->shutdown) {
			d->shutdown = true;
			shutdown_seen = true;
		}
	}
	if (shutdown_seen)
		watch_fire_special(s, "@releaseDomain");
}

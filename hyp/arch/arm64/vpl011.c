// SPDX-License-Identifier: Apache-2.0
/*
 * Register subset of the SBSA generic UART (Arm SBSA, appendix B) that
 * Linux's sbsa-uart driver uses: Xen's "vpl011", at Xen's guest address with
 * SPI 32 (Xen public/arch-arm.h, GUEST_PL011_BASE, GUEST_VPL011_SPI). The
 * interrupt line is the OR of the masked status bits; a rising edge injects
 * the SPI. Its other end is one of two:
 * - Punt's console, for a domain of the boot configuration that asks for one
 *   (struct arch_domain_config.vuart): transmit never backs up, every byte
 *   goes to the console with the domain's prefix, and input comes from the
 *   console when the domain has the focus (arch_vuart_receive());
 * - a console ring in a page of the guest's own RAM, for a domain the
 *   toolstack made (vuart_op, arch_vuart_connect()): Punt is the ring's front
 *   end, produces into out[] and consumes in[] (Xen public/io/console.h), and
 *   a backend domain (dom0's xenconsoled) is the other end, signalled through
 *   a port of the guest's that the hypervisor holds. The FIFOs are the ring's:
 *   TXFF (and BUSY) when out[] is full, TXFE when it is empty, the transmit
 *   interrupt while out[] has room for half a 32-byte FIFO, RXFE/RXFF and the
 *   receive interrupts from in[].
 * Punt trusts only its own ring indices (out_prod, in_cons); the backend's
 * (out_cons, in_prod) are read once per use and must be within one ring of
 * them, or the ring counts as full (out) and empty (in), reported once.
 */
#include <asm/vgic.h>
#include <asm/vdev.h>
#include <public/arch-arm.h>
#include <public/errno.h>
#include <public/io/console.h>
#include <punt/arch/p2m.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/mmio.h>
#include <punt/page_alloc.h>
#include <punt/spinlock.h>
#include <punt/string.h>

#define UART_DR	  0x000
#define UART_RSR  0x004
#define UART_FR	  0x018
#define UART_IMSC 0x038
#define UART_RIS  0x03c
#define UART_MIS  0x040
#define UART_ICR  0x044
#define FR_BUSY	  (1u << 3)
#define FR_RXFE	  (1u << 4)
#define FR_TXFF	  (1u << 5)
#define FR_RXFF	  (1u << 6)
#define FR_TXFE	  (1u << 7)
#define INT_RX	  (1u << 4)
#define INT_TX	  (1u << 5)
#define INT_RT	  (1u << 6)
#define INT_MASK  0x7ff
#define RX_SIZE	  64
/* The transmit interrupt's trigger: room for half the SBSA UART's 32-byte FIFO. */
#define TX_TRIGGER_ROOM 16

struct vpl011 {
	spinlock_t lock;
	uint32_t imsc;
	uint32_t cleared; /* status bits acknowledged through ICR */
	bool line;
	/* Punt's console as the other end. */
	char rx[RX_SIZE];
	unsigned rx_prod, rx_cons;
	/* A console ring as the other end: NULL for the console. */
	struct xencons_interface *ring; /* in Punt's identity map of RAM */
	evtchn_port_t port;
	XENCONS_RING_IDX out_prod, in_cons; /* Punt's own copies */
	bool nonsense_reported;
	uint64_t tx_dropped; /* bytes written while TXFF was set */
};

_Static_assert(sizeof(struct vpl011) <= 4096, "vpl011 state fits its page");

static void report_nonsense(struct domain *d, struct vpl011 *u, const char *which,
			    const char *taken_as, XENCONS_RING_IDX prod, XENCONS_RING_IDX cons)
{
	if (u->nonsense_reported)
		return;
	u->nonsense_reported = true;
	printk("d%u: vpl011 %s ring indices make no sense (prod %#x, cons %#x): taken as %s\n",
	       d->id, which, prod, cons, taken_as);
}

/* Bytes in out[] the backend has not taken (lock held). */
static XENCONS_RING_IDX out_used(struct domain *d, struct vpl011 *u)
{
	XENCONS_RING_IDX cons = __atomic_load_n(&u->ring->out_cons, __ATOMIC_ACQUIRE);
	XENCONS_RING_IDX used = u->out_prod - cons;

	if (used <= XENCONS_OUT_SIZE)
		return used;
	report_nonsense(d, u, "output", "full", u->out_prod, cons);
	return XENCONS_OUT_SIZE;
}

/* Bytes in in[] the guest has not read (lock held). */
static XENCONS_RING_IDX in_avail(struct domain *d, struct vpl011 *u)
{
	XENCONS_RING_IDX prod = __atomic_load_n(&u->ring->in_prod, __ATOMIC_ACQUIRE);
	XENCONS_RING_IDX avail = prod - u->in_cons;

	if (avail <= XENCONS_IN_SIZE)
		return avail;
	report_nonsense(d, u, "input", "empty", prod, u->in_cons);
	return 0;
}

static uint32_t raw_status(struct domain *d, struct vpl011 *u)
{
	uint32_t ris = 0;
	bool rx_data = u->ring ? in_avail(d, u) != 0 : u->rx_prod != u->rx_cons;

	/* Punt's console takes every byte at once: its transmit FIFO is always low. */
	if (!u->ring || out_used(d, u) <= XENCONS_OUT_SIZE - TX_TRIGGER_ROOM)
		ris |= INT_TX;
	if (rx_data)
		ris |= INT_RX | INT_RT;
	return ris & ~u->cleared;
}

/* Called with the lock held; returns whether the line just rose. */
static bool update_line(struct domain *d, struct vpl011 *u)
{
	bool line = (raw_status(d, u) & u->imsc) != 0;
	bool rose = line && !u->line;

	u->line = line;
	return rose;
}

static uint32_t flags(struct domain *d, struct vpl011 *u)
{
	uint32_t fr = 0;

	if (u->ring) {
		XENCONS_RING_IDX used = out_used(d, u), avail = in_avail(d, u);
		if (!used)
			fr |= FR_TXFE;
		/* BUSY only when full, as on Xen: Linux waits for BUSY to clear after each
		 * console write, which would otherwise wait for the backend every time. */
		if (used == XENCONS_OUT_SIZE)
			fr |= FR_TXFF | FR_BUSY;
		if (!avail)
			fr |= FR_RXFE;
		if (avail == XENCONS_IN_SIZE)
			fr |= FR_RXFF;
		return fr;
	}
	fr = FR_TXFE;
	if (u->rx_cons == u->rx_prod)
		fr |= FR_RXFE;
	else if (u->rx_prod - u->rx_cons == RX_SIZE)
		fr |= FR_RXFF;
	return fr;
}

/* The next received byte, 0 if none; *moved when the ring's in_cons moved. */
static uint8_t read_data(struct domain *d, struct vpl011 *u, bool *moved)
{
	uint8_t c = 0;

	if (u->ring) {
		if (in_avail(d, u)) {
			c = (uint8_t)u->ring->in[MASK_XENCONS_IDX(u->in_cons, u->ring->in)];
			u->in_cons++;
			/* The slot is read before the backend may refill it. */
			__atomic_store_n(&u->ring->in_cons, u->in_cons, __ATOMIC_RELEASE);
			*moved = true;
		}
	} else if (u->rx_cons != u->rx_prod) {
		c = (uint8_t)u->rx[u->rx_cons++ % RX_SIZE];
	}
	/* Reading a byte re-arms the receive interrupt. */
	u->cleared &= ~(INT_RX | INT_RT);
	return c;
}

/* Transmit c; *moved when the ring's out_prod moved. */
static void write_data(struct domain *d, struct vpl011 *u, char c, bool *moved)
{
	if (!u->ring) {
		console_write_domain(d, CONSOLE_DEV_VUART, &c, 1);
	} else if (out_used(d, u) < XENCONS_OUT_SIZE) {
		u->ring->out[MASK_XENCONS_IDX(u->out_prod, u->ring->out)] = c;
		u->out_prod++;
		/* The byte is in place before the backend can see the new index. */
		__atomic_store_n(&u->ring->out_prod, u->out_prod, __ATOMIC_RELEASE);
		*moved = true;
	} else {
		u->tx_dropped++; /* written while TXFF said full, as a real FIFO drops it */
	}
	/* A transmit makes the TX status fresh again. */
	u->cleared &= ~INT_TX;
}

static void reg_read(struct domain *d, struct vpl011 *u, struct mmio_access *a, bool *moved)
{
	switch (a->offset) {
	case UART_DR:
		a->value = read_data(d, u, moved);
		break;
	case UART_FR:
		a->value = flags(d, u);
		break;
	case UART_IMSC:
		a->value = u->imsc;
		break;
	case UART_RIS:
		a->value = raw_status(d, u);
		break;
	case UART_MIS:
		a->value = raw_status(d, u) & u->imsc;
		break;
	default:
		a->value = 0; /* RSR, LCR, CR, IDs: read as zero */
		break;
	}
}

static void reg_write(struct domain *d, struct vpl011 *u, struct mmio_access *a, bool *moved)
{
	switch (a->offset) {
	case UART_DR:
		write_data(d, u, (char)a->value, moved);
		break;
	case UART_IMSC:
		u->imsc = (uint32_t)a->value & INT_MASK;
		break;
	case UART_ICR:
		u->cleared |= (uint32_t)a->value & INT_MASK;
		break;
	default:
		break; /* RSR/ECR, LCR, CR, baud: ignored */
	}
}

static void backend_sent(struct domain *d, evtchn_port_t port);

static bool vpl011_access(struct vcpu *v, struct mmio_access *a, void *priv)
{
	struct domain *d = v->domain;
	struct vpl011 *u = priv;
	bool inject, moved = false;

	if (a->size != 4 && a->size != 2 && a->size != 1)
		return false;
	spin_lock(&u->lock);
	if (a->write)
		reg_write(d, u, a, &moved);
	else
		reg_read(d, u, a, &moved);
	inject = update_line(d, u);
	spin_unlock(&u->lock);
	if (inject)
		vgic_inject(d->vcpus[0], GUEST_VPL011_SPI);
	/* The backend hears of every byte moved, as from Xen's vpl011. */
	if (moved)
		evtchn_hyp_send(d, u->port, backend_sent);
	return true;
}

/*
 * The backend sent on the ring's port: it took output or gave input. Runs on the
 * backend's vCPU with no lock held (punt/event_channel.h); d lives until its hypercall ends.
 */
static void backend_sent(struct domain *d, evtchn_port_t port)
{
	struct vpl011 *u = d->arch.vuart;
	bool inject;

	if (!u || !u->ring || port != u->port)
		return;
	spin_lock(&u->lock);
	if (in_avail(d, u))
		u->cleared &= ~(INT_RX | INT_RT);
	if (out_used(d, u) <= XENCONS_OUT_SIZE - TX_TRIGGER_ROOM)
		u->cleared &= ~INT_TX;
	inject = update_line(d, u);
	spin_unlock(&u->lock);
	if (inject)
		vgic_inject(d->vcpus[0], GUEST_VPL011_SPI);
}

bool arch_vuart_receive(struct domain *d, char c)
{
	struct vpl011 *u = d->arch.vuart;
	bool inject, ok = false;

	if (!u || u->ring)
		return false;
	spin_lock(&u->lock);
	if (u->rx_prod - u->rx_cons < RX_SIZE) {
		u->rx[u->rx_prod++ % RX_SIZE] = c;
		u->cleared &= ~(INT_RX | INT_RT);
		ok = true;
	}
	inject = update_line(d, u);
	spin_unlock(&u->lock);
	if (inject)
		vgic_inject(d->vcpus[0], GUEST_VPL011_SPI);
	return ok;
}

static struct vpl011 *new_state(void)
{
	struct vpl011 *u = (struct vpl011 *)page_alloc_zeroed(0);

	if (u)
		u->lock = (spinlock_t)SPINLOCK_INIT;
	return u;
}

static int vpl011_init(struct domain *d, const struct arch_domain_config *c)
{
	if (!c->vuart || c->hardware)
		return 0;
	struct vpl011 *u = new_state();
	if (!u)
		return -1;
	d->arch.vuart = u;
	return mmio_register(d, "vpl011", GUEST_PL011_BASE, GUEST_PL011_SIZE, vpl011_access, u);
}

/*
 * d takes u as its UART with the ring at gfn, if it has none yet and gfn is a page of its
 * own RAM (not a grant or foreign mapping, whose owner could take it back).
 */
static int claim_ring(struct domain *d, struct vpl011 *u, uint64_t gfn)
{
	uint64_t mfn;
	int rc = -XEN_EINVAL;

	struct domain_locked l = domain_lock(d);
	if (!d->arch.vuart && p2m_lookup(d, gfn, &mfn) == P2M_RAM_RW &&
	    domain_extent_find(d, mfn << XEN_PAGE_SHIFT) >= 0) {
		u->ring = (struct xencons_interface *)(mfn << XEN_PAGE_SHIFT);
		/* Whatever the ring holds now is where both ends start. */
		u->out_prod = __atomic_load_n(&u->ring->out_prod, __ATOMIC_ACQUIRE);
		u->in_cons = __atomic_load_n(&u->ring->in_cons, __ATOMIC_ACQUIRE);
		d->arch.vuart = u;
		rc = 0;
	}
	domain_unlock(&l);
	return rc;
}

int arch_vuart_connect(struct domain *d, uint64_t gfn, domid_t backend, evtchn_port_t *port)
{
	struct vpl011 *u;
	int rc;

	if (GUEST_VPL011_SPI >= d->arch.vgic.nr_lines)
		return -XEN_EINVAL; /* createdomain gave it no line for the UART (nr_spis) */
	u = new_state();
	if (!u)
		return -XEN_ENOMEM;
	rc = claim_ring(d, u, gfn);
	if (rc) {
		page_free((uint64_t)u, 0);
		return rc;
	}
	rc = evtchn_alloc_hyp_unbound(d, backend, backend_sent, &u->port);
	if (!rc) {
		/* Last: once registered, the guest may use it (if unpaused meanwhile). */
		rc = mmio_register(d, "vpl011", GUEST_PL011_BASE, GUEST_PL011_SIZE, vpl011_access,
				   u);
		if (rc)
			evtchn_hyp_close(d, u->port, backend_sent);
	}
	if (rc) {
		struct domain_locked l = domain_lock(d);
		d->arch.vuart = NULL;
		domain_unlock(&l);
		/* A backend's send may still be reading it on another CPU. */
		domain_free_page_later((uint64_t)u, 0);
		return rc;
	}
	*port = u->port;
	return 0;
}

bool arch_domain_has_vuart(const struct domain *d)
{
	const struct vpl011 *u = d->arch.vuart;

	return u && !u->ring;
}

bool arch_domain_uses_page(const struct domain *d, uint64_t mfn)
{
	const struct vpl011 *u = d->arch.vuart;

	return u && u->ring && (uint64_t)u->ring >> XEN_PAGE_SHIFT == mfn;
}

static void vpl011_destroy(struct domain *d)
{
	/* A ring stays the guest's page, freed with its memory. */
	if (d->arch.vuart)
		page_free((uint64_t)d->arch.vuart, 0);
	d->arch.vuart = NULL;
}

const struct vdev vpl011_vdev = {
    .name = "emulated UART",
    .init = vpl011_init,
    .destroy = vpl011_destroy,
};

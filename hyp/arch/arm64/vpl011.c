// SPDX-License-Identifier: Apache-2.0
/*
 * Register subset of the SBSA generic UART (Arm SBSA, appendix B) that
 * Linux's sbsa-uart driver uses. Transmit never backs up: every byte goes
 * straight to the console, so the transmit FIFO always reads empty. The
 * interrupt line is the OR of the masked status bits; a rising edge injects
 * the SPI. Xen's "vpl011": a domain started at boot may have one
 * (struct arch_domain_config.vuart); output goes to Punt's console with the
 * domain's prefix, input comes from the console when the domain has the
 * focus (arch_vuart_receive(), punt/arch/domain.h).
 */
#include <asm/vgic.h>
#include <asm/vdev.h>
#include <public/arch-arm.h>
#include <punt/console.h>
#include <punt/domain.h>
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
#define FR_RXFE	  (1u << 4)
#define FR_TXFF	  (1u << 5)
#define FR_RXFF	  (1u << 6)
#define FR_TXFE	  (1u << 7)
#define INT_RX	  (1u << 4)
#define INT_TX	  (1u << 5)
#define INT_RT	  (1u << 6)
#define INT_MASK  0x7ff
#define RX_SIZE	  64

struct vpl011 {
	spinlock_t lock;
	uint32_t imsc;
	uint32_t cleared; /* status bits acknowledged through ICR */
	char rx[RX_SIZE];
	unsigned rx_prod, rx_cons;
	bool line;
};

_Static_assert(sizeof(struct vpl011) <= 4096, "vpl011 state fits its page");

static uint32_t raw_status(const struct vpl011 *u)
{
	uint32_t ris = INT_TX; /* the transmit FIFO is always below its trigger level */

	if (u->rx_prod != u->rx_cons)
		ris |= INT_RX | INT_RT;
	return ris & ~u->cleared;
}

/* Called with the lock held; returns whether the line just rose. */
static bool update_line(struct vpl011 *u)
{
	bool line = (raw_status(u) & u->imsc) != 0;
	bool rose = line && !u->line;

	u->line = line;
	return rose;
}

static void reg_read(struct vpl011 *u, struct mmio_access *a)
{
	switch (a->offset) {
	case UART_DR:
		if (u->rx_cons != u->rx_prod)
			a->value = (uint8_t)u->rx[u->rx_cons++ % RX_SIZE];
		else
			a->value = 0;
		/* Reading a byte re-arms the receive interrupt. */
		u->cleared &= ~(INT_RX | INT_RT);
		break;
	case UART_FR:
		a->value = FR_TXFE;
		if (u->rx_cons == u->rx_prod)
			a->value |= FR_RXFE;
		else if (u->rx_prod - u->rx_cons == RX_SIZE)
			a->value |= FR_RXFF;
		break;
	case UART_IMSC:
		a->value = u->imsc;
		break;
	case UART_RIS:
		a->value = raw_status(u);
		break;
	case UART_MIS:
		a->value = raw_status(u) & u->imsc;
		break;
	default:
		a->value = 0; /* RSR, LCR, CR, IDs: read as zero */
		break;
	}
}

static void reg_write(struct domain *d, struct vpl011 *u, struct mmio_access *a)
{
	switch (a->offset) {
	case UART_DR: {
		char c = (char)a->value;
		console_write_domain(d, CONSOLE_DEV_VUART, &c, 1);
		/* A transmit makes the TX status fresh again. */
		u->cleared &= ~INT_TX;
		break;
	}
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

static bool vpl011_access(struct vcpu *v, struct mmio_access *a, void *priv)
{
	struct vpl011 *u = priv;
	bool inject;

	if (a->size != 4 && a->size != 2 && a->size != 1)
		return false;
	spin_lock(&u->lock);
	if (a->write)
		reg_write(v->domain, u, a);
	else
		reg_read(u, a);
	inject = update_line(u);
	spin_unlock(&u->lock);
	if (inject)
		vgic_inject(v->domain->vcpus[0], GUEST_VPL011_SPI);
	return true;
}

bool arch_vuart_receive(struct domain *d, char c)
{
	struct vpl011 *u = d->arch.vuart;
	bool inject, ok = false;

	if (!u)
		return false;
	spin_lock(&u->lock);
	if (u->rx_prod - u->rx_cons < RX_SIZE) {
		u->rx[u->rx_prod++ % RX_SIZE] = c;
		u->cleared &= ~(INT_RX | INT_RT);
		ok = true;
	}
	inject = update_line(u);
	spin_unlock(&u->lock);
	if (inject)
		vgic_inject(d->vcpus[0], GUEST_VPL011_SPI);
	return ok;
}

static int vpl011_init(struct domain *d, const struct arch_domain_config *c)
{
	if (!c->vuart || c->hardware)
		return 0;
	struct vpl011 *u = (struct vpl011 *)page_alloc_zeroed(0);
	if (!u)
		return -1;
	u->lock = (spinlock_t)SPINLOCK_INIT;
	d->arch.vuart = u;
	return mmio_register(d, "vpl011", GUEST_PL011_BASE, GUEST_PL011_SIZE, vpl011_access, u);
}

bool arch_domain_has_vuart(const struct domain *d)
{
	return d->arch.vuart != NULL;
}

static void vpl011_destroy(struct domain *d)
{
	if (d->arch.vuart)
		page_free((uint64_t)d->arch.vuart, 0);
	d->arch.vuart = NULL;
}

const struct vdev vpl011_vdev = {
    .name = "emulated UART",
    .init = vpl011_init,
    .destroy = vpl011_destroy,
};

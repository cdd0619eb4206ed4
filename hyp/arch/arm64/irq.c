// SPDX-License-Identifier: Apache-2.0
#include <asm/gic.h>
#include <asm/smp.h>
#include <asm/vgic.h>
#include <punt/arch/irq.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/debug_keys.h>
#include <punt/domain.h>

#define MAX_INTID 1020

static irq_handler_fn handlers[MAX_INTID];
static struct domain *owners[MAX_INTID];

void irq_register(uint32_t intid, irq_handler_fn fn)
{
	if (intid < MAX_INTID)
		handlers[intid] = fn;
}

int irq_assign_to_domain(uint32_t intid, struct domain *d)
{
	if (intid < GIC_SPI_BASE || intid >= MAX_INTID || intid >= gic_nr_lines() ||
	    handlers[intid])
		return -1;
	owners[intid] = d;
	vgic_mark_hw(d, intid);
	return 0;
}

unsigned irq_assign_unclaimed(struct domain *d)
{
	unsigned assigned = 0;

	for (uint32_t intid = GIC_SPI_BASE; intid < gic_nr_lines(); intid++)
		if (!irq_assign_to_domain(intid, d))
			assigned++;
	return assigned;
}

void irq_enable(uint32_t intid)
{
	gic_enable(intid);
}

struct domain *irq_owner(uint32_t intid)
{
	return intid < MAX_INTID ? owners[intid] : NULL;
}

static void handle_one(uint32_t intid)
{
	this_cpu()->irq_count++;
	if (intid < MAX_INTID && owners[intid]) {
		/* Priority drop only: the guest deactivates it through the HW bit. */
		gic_eoi(intid);
		vgic_inject_hw_spi(owners[intid], intid);
		return;
	}
	if (intid < MAX_INTID && handlers[intid]) {
		handlers[intid](intid);
	} else if (intid >= GIC_NR_SGIS) {
		printk("IRQ %u has no handler and no owner: disabled\n", intid);
		gic_disable(intid);
	}
	gic_eoi(intid);
	gic_deactivate(intid);
}

void irq_handle_pending(void)
{
	for (;;) {
		uint32_t intid = gic_ack();
		if (intid >= GIC_SPURIOUS)
			return;
		handle_one(intid);
	}
}

/* Under the reaper's lock: dom0 may ask (xl debug-keys i) while a domain is torn down. */
static void dump_domain_interrupts(struct domain *d, bool published, void *ctx)
{
	unsigned owned = 0;

	(void)ctx;
	if (!published)
		return;
	for (uint32_t i = 0; i < MAX_INTID; i++)
		owned += owners[i] == d;
	printk("Domain %u owns %u physical SPIs\n", d->id, owned);
	vgic_dump(d);
}

static void dump_interrupts(void)
{
	for (unsigned c = 0; c < nr_pcpus; c++)
		printk("CPU %u: %lu interrupts taken\n", c, pcpus[c].irq_count);
	for (uint32_t i = 0; i < MAX_INTID; i++) {
		if (handlers[i])
			printk("  IRQ %4u: Punt\n", i);
	}
	domain_for_each_existing(dump_domain_interrupts, NULL);
}
DEBUG_KEY(interrupts, 'i', "dump interrupts and virtual GIC state", dump_interrupts);

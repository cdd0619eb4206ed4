// SPDX-License-Identifier: Apache-2.0
#include <asm/gic.h>
#include <asm/sysreg.h>
#include <asm/vdev.h>
#include <asm/vgic.h>
#include <public/arch-arm.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/domain.h>
#include <punt/mmio.h>
#include <punt/arch/irq.h>
#include <punt/sched.h>
#include <punt/string.h>

/* Distributor and redistributor register offsets (GICv3 architecture spec 12.9, 12.11). */
#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008
#define GICD_TYPER2	0x000c
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000
#define GIC_PIDR2	0xffe8
#define GICR_CTLR	0x0000
#define GICR_IIDR	0x0004
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_FRAME	0x20000
#define GICR_SGI_BASE	0x10000

#define PIDR2_GICV3	0x3b
#define IIDR_PUNT	0x0000043b
#define CTLR_ARE	(1u << 4)
#define CTLR_GRP1	(1u << 1)
#define CTLR_GRP1_ALIAS (1u << 0)
#define WAKER_SLEEP	(1u << 1)
#define WAKER_ASLEEP	(1u << 2)

#define LR_STATE_PENDING (1UL << 62)
#define LR_STATE_ACTIVE	 (1UL << 63)
#define LR_HW		 (1UL << 61)
#define LR_GROUP1	 (1UL << 60)
#define ICH_HCR_EN	 (1UL << 0)
#define ICH_HCR_UIE	 (1UL << 1)

#define VTIMER_INTID 27

static unsigned nr_lrs;
static uint32_t maintenance_intid;

/*
 * The maintenance interrupt only has to bring the vCPU out of the guest:
 * the exit path folds the list registers back and the entry path refills
 * them.
 */
static void maintenance_interrupt(uint32_t intid)
{
	(void)intid;
	write_sysreg(S3_4_C12_C11_0 /* ICH_HCR_EL2 */, ICH_HCR_EN);
}

void vgic_init(uint32_t maint_intid)
{
	maintenance_intid = maint_intid;
	irq_register(maint_intid, maintenance_interrupt);
}

void vgic_init_cpu(void)
{
	if (maintenance_intid)
		gic_enable(maintenance_intid);
}

unsigned vgic_nr_lrs(void)
{
	if (!nr_lrs) {
		nr_lrs = (read_sysreg(S3_4_C12_C11_1 /* ICH_VTR_EL2 */) & 0x1f) + 1;
		if (nr_lrs > VGIC_MAX_LRS)
			nr_lrs = VGIC_MAX_LRS;
	}
	return nr_lrs;
}

static uint64_t lr_read(unsigned i)
{
	switch (i) {
	case 0:
		return read_sysreg(S3_4_C12_C12_0);
	case 1:
		return read_sysreg(S3_4_C12_C12_1);
	case 2:
		return read_sysreg(S3_4_C12_C12_2);
	case 3:
		return read_sysreg(S3_4_C12_C12_3);
	case 4:
		return read_sysreg(S3_4_C12_C12_4);
	case 5:
		return read_sysreg(S3_4_C12_C12_5);
	case 6:
		return read_sysreg(S3_4_C12_C12_6);
	case 7:
		return read_sysreg(S3_4_C12_C12_7);
	case 8:
		return read_sysreg(S3_4_C12_C13_0);
	case 9:
		return read_sysreg(S3_4_C12_C13_1);
	case 10:
		return read_sysreg(S3_4_C12_C13_2);
	case 11:
		return read_sysreg(S3_4_C12_C13_3);
	case 12:
		return read_sysreg(S3_4_C12_C13_4);
	case 13:
		return read_sysreg(S3_4_C12_C13_5);
	case 14:
		return read_sysreg(S3_4_C12_C13_6);
	default:
		return read_sysreg(S3_4_C12_C13_7);
	}
}

static void lr_write(unsigned i, uint64_t v)
{
	switch (i) {
	case 0:
		write_sysreg(S3_4_C12_C12_0, v);
		break;
	case 1:
		write_sysreg(S3_4_C12_C12_1, v);
		break;
	case 2:
		write_sysreg(S3_4_C12_C12_2, v);
		break;
	case 3:
		write_sysreg(S3_4_C12_C12_3, v);
		break;
	case 4:
		write_sysreg(S3_4_C12_C12_4, v);
		break;
	case 5:
		write_sysreg(S3_4_C12_C12_5, v);
		break;
	case 6:
		write_sysreg(S3_4_C12_C12_6, v);
		break;
	case 7:
		write_sysreg(S3_4_C12_C12_7, v);
		break;
	case 8:
		write_sysreg(S3_4_C12_C13_0, v);
		break;
	case 9:
		write_sysreg(S3_4_C12_C13_1, v);
		break;
	case 10:
		write_sysreg(S3_4_C12_C13_2, v);
		break;
	case 11:
		write_sysreg(S3_4_C12_C13_3, v);
		break;
	case 12:
		write_sysreg(S3_4_C12_C13_4, v);
		break;
	case 13:
		write_sysreg(S3_4_C12_C13_5, v);
		break;
	case 14:
		write_sysreg(S3_4_C12_C13_6, v);
		break;
	default:
		write_sysreg(S3_4_C12_C13_7, v);
		break;
	}
}

static bool bit(const uint32_t *map, uint32_t n)
{
	return map[n / 32] & (1u << (n % 32));
}

static void set_bit_to(uint32_t *map, uint32_t n, bool on)
{
	if (on)
		map[n / 32] |= 1u << (n % 32);
	else
		map[n / 32] &= ~(1u << (n % 32));
}

/* ---- interrupt state ---------------------------------------------------- */

static struct vcpu *spi_target(struct domain *d, uint32_t intid)
{
	unsigned t = d->arch.vgic.target[intid];
	return t < d->max_vcpus && d->vcpus[t] ? d->vcpus[t] : d->vcpus[0];
}

/* SPIs of word w that may go to a list register: pending and enabled, or active. */
static uint32_t spi_candidates(const struct vgic_dist *g, unsigned w)
{
	return (g->pending[w] & g->enabled[w]) | g->active[w];
}

/*
 * The SPI intid may have become a candidate for a list register (made pending, enabled,
 * active, or routed elsewhere): set its word in its target's summary (struct vgic_private,
 * spi_words). Under the vGIC lock.
 */
static void spi_note(struct domain *d, uint32_t intid)
{
	struct vcpu *t;

	if (!(spi_candidates(&d->arch.vgic, intid / 32) & (1u << (intid % 32))))
		return;
	t = spi_target(d, intid);
	if (t) {
		t->arch.vgic.spi_words |= 1u << (intid / 32);
		vcpu_irq_work(t);
	}
}

/* spi_note() for each SPI of word w. */
static void spi_note_word(struct domain *d, unsigned w)
{
	uint32_t bits = spi_candidates(&d->arch.vgic, w);

	while (bits) {
		unsigned b = __builtin_ctz(bits);
		bits &= bits - 1;
		spi_note(d, w * 32 + b);
	}
}

void vgic_inject(struct vcpu *v, uint32_t intid)
{
	struct domain *d = v->domain;
	struct vgic_dist *g = &d->arch.vgic;
	struct vcpu *target = v;

	spin_lock(&g->lock);
	if (intid < 32) {
		v->arch.vgic.pending |= 1u << intid;
	} else if (intid < g->nr_lines) {
		set_bit_to(g->pending, intid, true);
		spi_note(d, intid);
		target = spi_target(d, intid);
	} else {
		target = NULL;
	}
	spin_unlock(&g->lock);
	if (target) {
		vcpu_wake(target);
		vcpu_kick(target);
	}
}

void arch_vcpu_raise_upcall(struct vcpu *v)
{
	vgic_inject(v, v->domain->evtchn_intid);
}

void vgic_mark_hw(struct domain *d, uint32_t intid)
{
	set_bit_to(d->arch.vgic.hw, intid, true);
}

void vgic_inject_hw_spi(struct domain *d, uint32_t intid)
{
	vgic_inject(d->vcpus[0], intid);
}

bool arch_vcpu_has_pending_irq(struct vcpu *v)
{
	struct domain *d = v->domain;
	struct vgic_dist *g = &d->arch.vgic;
	bool found = false;

	/*
	 * The common answers without the lock: a private interrupt pending and enabled, or no
	 * SPI word that may hold one for v. A blocking vCPU marks itself blocked before it asks
	 * (vcpu_block_current()) and an injector marks the interrupt pending, under this lock,
	 * before it takes the vCPU's queue lock to wake it; the full barrier orders the
	 * blocker's store before these loads, so one of the two always sees the other.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&v->arch.vgic.pending, __ATOMIC_RELAXED) &
	    __atomic_load_n(&v->arch.vgic.enabled, __ATOMIC_RELAXED))
		return true;
	if (!__atomic_load_n(&v->arch.vgic.spi_words, __ATOMIC_RELAXED))
		return false;
	spin_lock(&g->lock);
	if (v->arch.vgic.pending & v->arch.vgic.enabled)
		found = true;
	for (uint32_t words = v->arch.vgic.spi_words; !found && words; words &= words - 1) {
		unsigned w = __builtin_ctz(words);
		uint32_t cand = g->pending[w] & g->enabled[w];
		while (cand) {
			unsigned b = __builtin_ctz(cand);
			cand &= cand - 1;
			if (spi_target(d, w * 32 + b) == v) {
				found = true;
				break;
			}
		}
	}
	spin_unlock(&g->lock);
	return found;
}

/* ---- list registers ------------------------------------------------------ */

struct lr_candidate {
	uint32_t intid;
	uint8_t priority;
};

static void add_candidate(struct lr_candidate *c, unsigned *n, unsigned max, uint32_t intid,
			  uint8_t prio)
{
	unsigned i = *n;

	if (i == max) {
		/* Full: replace the lowest-priority one (largest value) if this one is better. */
		unsigned worst = 0;
		for (unsigned k = 1; k < max; k++)
			if (c[k].priority > c[worst].priority)
				worst = k;
		if (c[worst].priority <= prio)
			return;
		c[worst].intid = intid;
		c[worst].priority = prio;
		return;
	}
	c[i].intid = intid;
	c[i].priority = prio;
	(*n)++;
}

/*
 * The common flush, under the vGIC lock: exactly one private interrupt to show (the event
 * upcall, the virtual timer) and no SPI word that may hold one for v. It goes straight into
 * list register 0, as the general path below would put it there.
 */
static bool flush_one_private(struct vcpu *v, uint32_t priv)
{
	struct vgic_private *p = &v->arch.vgic;

	if (p->spi_words || !priv || (priv & (priv - 1)))
		return false;
	unsigned i = __builtin_ctz(priv);
	uint32_t bit = 1u << i;
	uint64_t lr = i | ((uint64_t)p->priority[i] << 48) | LR_GROUP1 |
		      ((p->pending & bit) ? LR_STATE_PENDING : 0) |
		      ((p->active & bit) ? LR_STATE_ACTIVE : 0);

	p->pending &= ~bit;
	v->arch.lr_intid[0] = i;
	write_sysreg(S3_4_C12_C12_0 /* ICH_LR0_EL2 */, lr);
	v->arch.lr_used = 1;
	v->arch.uie = false;
	return true;
}

void arch_vcpu_flush_interrupts(struct vcpu *v)
{
	struct domain *d = v->domain;
	struct vgic_dist *g = &d->arch.vgic;
	struct vgic_private *p = &v->arch.vgic;
	struct lr_candidate cand[VGIC_MAX_LRS];
	unsigned n = 0, total = 0, max = vgic_nr_lrs();

	/*
	 * Nothing for a list register and none in use (the exit's vgic_sync() emptied them):
	 * nothing to write. Read without the lock: whoever makes an interrupt pending for v
	 * from another CPU kicks v's CPU after unlocking, which brings v straight back here.
	 */
	if (!__atomic_load_n(&p->spi_words, __ATOMIC_RELAXED) && !v->arch.uie &&
	    !((__atomic_load_n(&p->pending, __ATOMIC_RELAXED) & p->enabled) |
	      __atomic_load_n(&p->active, __ATOMIC_RELAXED)))
		return;
	spin_lock(&g->lock);
	uint32_t priv = (p->pending & p->enabled) | p->active;
	if (flush_one_private(v, priv)) {
		spin_unlock(&g->lock);
		write_sysreg(S3_4_C12_C11_0 /* ICH_HCR_EL2 */, ICH_HCR_EN);
		return;
	}
	while (priv) {
		unsigned i = __builtin_ctz(priv);
		priv &= priv - 1;
		add_candidate(cand, &n, max, i, p->priority[i]);
		total++;
	}
	if (g->ctlr & CTLR_GRP1) {
		/* Only the words the summary names; a word with nothing left for v leaves it. */
		for (uint32_t words = p->spi_words; words; words &= words - 1) {
			unsigned w = __builtin_ctz(words);
			uint32_t bits = spi_candidates(g, w);
			bool mine = false;
			while (bits) {
				unsigned b = __builtin_ctz(bits);
				uint32_t intid = w * 32 + b;
				bits &= bits - 1;
				if (spi_target(d, intid) != v)
					continue;
				mine = true;
				add_candidate(cand, &n, max, intid, g->priority[intid]);
				total++;
			}
			if (!mine)
				p->spi_words &= ~(1u << w);
		}
	}
	for (unsigned i = 0; i < n; i++) {
		uint32_t intid = cand[i].intid;
		uint64_t lr = intid | ((uint64_t)cand[i].priority << 48) | LR_GROUP1;
		bool pending, active;
		if (intid < 32) {
			pending = p->pending & (1u << intid);
			active = p->active & (1u << intid);
			p->pending &= ~(1u << intid);
		} else {
			pending = bit(g->pending, intid);
			active = bit(g->active, intid);
			set_bit_to(g->pending, intid, false);
			if (bit(g->hw, intid)) {
				lr |= LR_HW | ((uint64_t)intid << 32);
				if (active)
					pending = false; /* HW: the hardware re-raises */
			}
		}
		lr |= (pending ? LR_STATE_PENDING : 0) | (active ? LR_STATE_ACTIVE : 0);
		v->arch.lr_intid[i] = intid;
		lr_write(i, lr);
	}
	v->arch.lr_used = n;
	v->arch.uie = total > n;
	spin_unlock(&g->lock);
	write_sysreg(S3_4_C12_C11_0 /* ICH_HCR_EL2 */, ICH_HCR_EN | (total > n ? ICH_HCR_UIE : 0));
}

/*
 * Whether every list register in use is empty again (the guest took and completed each
 * interrupt, as it does an event upcall) and folding them back would change nothing: each
 * held a private interrupt not marked active in the software state (the flush wrote it
 * pending only), and no underflow interrupt is armed. ICH_ELRSR_EL2 has a bit set for each
 * list register with neither pending nor active state (GICv3 architecture specification,
 * ICH_ELRSR_EL2). p->active is read without the lock: a bit another CPU sets meanwhile
 * (an ISACTIVER0 write) is left for the guest's redistributor state as it is.
 */
static bool lrs_done(const struct vcpu *v)
{
	uint32_t used = v->arch.lr_used;
	uint64_t all = (1UL << used) - 1;

	if (v->arch.uie || (read_sysreg(S3_4_C12_C11_5 /* ICH_ELRSR_EL2 */) & all) != all)
		return false;
	uint32_t active = __atomic_load_n(&v->arch.vgic.active, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < used; i++) {
		uint32_t intid = v->arch.lr_intid[i];
		if (intid >= 32 || (active & (1u << intid)))
			return false;
	}
	return true;
}

/* Out of line, frame and all: an exit with no list register in use pays none of it. */
static void __attribute__((noinline)) fold_lrs(struct vcpu *v)
{
	struct domain *d = v->domain;
	struct vgic_dist *g = &d->arch.vgic;
	struct vgic_private *p = &v->arch.vgic;

	if (lrs_done(v)) {
		/* Empty list registers are ignored by the CPU interface: nothing to write back. */
		v->arch.lr_used = 0;
		return;
	}
	vcpu_irq_work(v); /* what was in them goes back in on entry */
	spin_lock(&g->lock);
	for (unsigned i = 0; i < v->arch.lr_used; i++) {
		uint64_t lr = lr_read(i);
		uint32_t intid = v->arch.lr_intid[i];
		bool pending = lr & LR_STATE_PENDING, active = lr & LR_STATE_ACTIVE;
		if (intid < 32) {
			if (pending)
				p->pending |= 1u << intid;
			if (active)
				p->active |= 1u << intid;
			else
				p->active &= ~(1u << intid);
		} else {
			if (pending)
				set_bit_to(g->pending, intid, true);
			set_bit_to(g->active, intid, active);
			spi_note(d, intid);
		}
		lr_write(i, 0);
	}
	v->arch.lr_used = 0;
	spin_unlock(&g->lock);
}

void vgic_sync(struct vcpu *v)
{
	if (v->arch.lr_used) /* only this CPU fills v's list registers */
		fold_lrs(v);
}

void vgic_load(struct vcpu *v)
{
	write_sysreg(S3_4_C12_C11_7 /* ICH_VMCR_EL2 */, v->arch.ich_vmcr);
	write_sysreg(S3_4_C12_C8_0 /* ICH_AP0R0_EL2 */, v->arch.ich_ap0r[0]);
	write_sysreg(S3_4_C12_C9_0 /* ICH_AP1R0_EL2 */, v->arch.ich_ap1r[0]);
	write_sysreg(S3_4_C12_C11_0 /* ICH_HCR_EL2 */, ICH_HCR_EN);
}

void vgic_save(struct vcpu *v)
{
	v->arch.ich_vmcr = read_sysreg(S3_4_C12_C11_7);
	v->arch.ich_ap0r[0] = read_sysreg(S3_4_C12_C8_0);
	v->arch.ich_ap1r[0] = read_sysreg(S3_4_C12_C9_0);
	write_sysreg(S3_4_C12_C11_0, 0);
}

static void vgic_vcpu_reset(struct vcpu *v)
{
	struct vgic_dist *g = &v->domain->arch.vgic;

	/*
	 * Its SGIs and PPIs go, the event upcall's included: on CPU_ON the core raises
	 * that one again if vcpu_info still says it is pending (evtchn_vcpu_restarted()).
	 */
	memset(&v->arch.vgic, 0, sizeof(v->arch.vgic));
	v->arch.vgic.edge = 0xffff; /* SGIs are edge-triggered */
	for (unsigned i = 0; i < 32; i++)
		v->arch.vgic.priority[i] = 0xa0;
	v->arch.ich_vmcr = 0;
	v->arch.lr_used = 0;
	v->arch.redist_waker_sleep = true;
	/* The SPIs already pending for this vCPU stay so: rebuild its summary. */
	spin_lock(&g->lock);
	for (unsigned w = 1; w < g->nr_lines / 32; w++)
		spi_note_word(v->domain, w);
	spin_unlock(&g->lock);
}

/* ---- SGIs from ICC_SGI1R_EL1 --------------------------------------------- */

void vgic_sgi1r_write(struct vcpu *v, uint64_t value)
{
	struct domain *d = v->domain;
	uint32_t intid = (value >> 24) & 0xf;
	bool all_but_self = value & (1UL << 40);
	uint16_t targets = value & 0xffff;
	uint64_t aff1 = (value >> 16) & 0xff;

	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu *t = d->vcpus[i];
		if (!t)
			continue;
		if (all_but_self) {
			if (t == v)
				continue;
		} else {
			uint64_t mpidr = t->arch.sys.vmpidr;
			uint64_t aff2 = (value >> 32) & 0xff, aff3 = (value >> 48) & 0xff;
			if (((mpidr >> 8) & 0xff) != aff1 || ((mpidr >> 16) & 0xff) != aff2 ||
			    ((mpidr >> 32) & 0xff) != aff3)
				continue;
			if (!(targets & (1u << (mpidr & 0xf))))
				continue;
		}
		vgic_inject(t, intid);
	}
}

/* ---- register emulation helpers -------------------------------------------- */

enum irq_family { FAM_ENABLE, FAM_PENDING, FAM_ACTIVE };

static uint32_t *family_map(struct vcpu *v, enum irq_family f, uint32_t intid)
{
	struct vgic_dist *g = &v->domain->arch.vgic;
	struct vgic_private *p = &v->arch.vgic;

	if (intid < 32) {
		switch (f) {
		case FAM_ENABLE:
			return &p->enabled;
		case FAM_PENDING:
			return &p->pending;
		default:
			return &p->active;
		}
	}
	switch (f) {
	case FAM_ENABLE:
		return &g->enabled[intid / 32];
	case FAM_PENDING:
		return &g->pending[intid / 32];
	default:
		return &g->active[intid / 32];
	}
}

static void enable_changed(struct domain *d, uint32_t intid, bool on)
{
	if (intid >= 32 && bit(d->arch.vgic.hw, intid)) {
		if (on)
			gic_enable(intid);
		else
			gic_disable(intid);
	}
}

/* 32 interrupts from `first`: a set (ISxxx) or clear (ICxxx) write, or a read. */
static void bits_access(struct vcpu *v, struct mmio_access *a, uint32_t first, enum irq_family f,
			bool set)
{
	struct domain *d = v->domain;
	uint32_t *map = family_map(v, f, first);

	if (first >= d->arch.vgic.nr_lines || a->size != 4) {
		a->value = 0;
		return;
	}
	if (!a->write) {
		a->value = *map;
		return;
	}
	uint32_t val = (uint32_t)a->value;
	uint32_t before = *map;
	if (set)
		*map |= val;
	else
		*map &= ~val;
	if (first >= 32)
		spi_note_word(d, first / 32);
	else
		vcpu_irq_work(v); /* v: the vCPU whose redistributor this is */
	if (f == FAM_ENABLE) {
		uint32_t changed = before ^ *map;
		while (changed) {
			unsigned b = __builtin_ctz(changed);
			changed &= changed - 1;
			enable_changed(d, first + b, set);
		}
	}
}

static uint8_t *priority_ptr(struct vcpu *v, uint32_t intid)
{
	if (intid < 32)
		return &v->arch.vgic.priority[intid];
	return &v->domain->arch.vgic.priority[intid % 1024];
}

static void priority_access(struct vcpu *v, struct mmio_access *a, uint32_t first)
{
	unsigned n = a->size;

	if (first + n > v->domain->arch.vgic.nr_lines || (n != 1 && n != 4)) {
		a->value = 0;
		return;
	}
	if (!a->write) {
		a->value = 0;
		for (unsigned i = 0; i < n; i++)
			a->value |= (uint64_t)*priority_ptr(v, first + i) << (8 * i);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		*priority_ptr(v, first + i) = (uint8_t)(a->value >> (8 * i));
}

/* ICFGR: 2 bits per interrupt, bit 1 of each pair = edge. */
static void config_access(struct vcpu *v, struct mmio_access *a, uint32_t first)
{
	struct vgic_dist *g = &v->domain->arch.vgic;

	if (first >= g->nr_lines || a->size != 4) {
		a->value = 0;
		return;
	}
	if (!a->write)
		a->value = 0;
	for (unsigned i = 0; i < 16; i++) {
		uint32_t intid = first + i;
		bool edge;

		if (intid < 16) {
			/* SGIs: always edge, read-only */
			if (!a->write)
				a->value |= 2u << (2 * i);
			continue;
		}
		if (a->write) {
			edge = a->value & (2u << (2 * i));
			if (intid < 32)
				v->arch.vgic.edge = edge ? v->arch.vgic.edge | 1u << intid
							 : v->arch.vgic.edge & ~(1u << intid);
			else
				set_bit_to(g->edge, intid, edge);
			/* A forwarded SPI's trigger is the device's: the physical GIC must agree.
			 */
			if (intid >= 32 && bit(g->hw, intid))
				gic_set_edge(intid, edge);
		} else {
			edge = intid < 32 ? v->arch.vgic.edge & (1u << intid) : bit(g->edge, intid);
			if (edge)
				a->value |= 2u << (2 * i);
		}
	}
}

#define IROUTER_IRM  (1UL << 31) /* Interrupt Routing Mode: any PE */
#define IROUTER_BITS (MPIDR_AFF_MASK | IROUTER_IRM)

static void route_changed(struct domain *d, uint32_t intid)
{
	struct vgic_dist *g = &d->arch.vgic;
	uint64_t r = g->irouter[intid];
	unsigned target = 0;

	if (!(r & IROUTER_IRM)) {
		for (unsigned i = 0; i < d->max_vcpus; i++) {
			if (d->vcpus[i] && (d->vcpus[i]->arch.sys.vmpidr & MPIDR_AFF_MASK) ==
					       (r & MPIDR_AFF_MASK)) {
				target = i;
				break;
			}
		}
	}
	g->target[intid] = target;
	spi_note(d, intid);
	if (bit(g->hw, intid) && d->vcpus[target])
		gic_route_spi(intid, pcpus[d->vcpus[target]->pcpu].mpidr);
}

/*
 * GICD_IROUTER<n> is 64 bits: Aff3 in [39:32], IRM in [31], Aff2..Aff0 in [23:0] (Arm GIC
 * architecture specification, GICD_IROUTER<n>). It may be accessed whole or as 32-bit halves,
 * `at` being the byte offset within it (0 or 4); a half write leaves the other half alone.
 * Other widths read as zero and are ignored.
 */
static void irouter_access(struct domain *d, struct mmio_access *a, uint32_t intid, unsigned at)
{
	struct vgic_dist *g = &d->arch.vgic;
	unsigned shift = 8 * at;
	uint64_t mask;

	if (!((a->size == 8 && at == 0) || (a->size == 4 && (at == 0 || at == 4)))) {
		a->value = 0;
		return;
	}
	mask = a->size == 8 ? ~0UL : 0xffffffffUL << shift;
	if (a->write) {
		uint64_t v = (g->irouter[intid] & ~mask) | ((a->value << shift) & mask);
		g->irouter[intid] = v & IROUTER_BITS;
		route_changed(d, intid);
	}
	a->value = (g->irouter[intid] & mask) >> shift;
}

/* Registers shared by GICD (SPIs) and the SGI frame of GICR (SGIs/PPIs). */
static bool irq_regs(struct vcpu *v, struct mmio_access *a, uint32_t off, uint32_t base_intid)
{
	if (off >= GICD_IGROUPR && off < GICD_IGROUPR + 0x80) {
		a->value = a->write ? a->value : 0xffffffffu; /* all group 1 */
		return true;
	}
	if (off >= GICD_ISENABLER && off < GICD_ISENABLER + 0x80) {
		bits_access(v, a, base_intid + (off - GICD_ISENABLER) * 8, FAM_ENABLE, true);
		return true;
	}
	if (off >= GICD_ICENABLER && off < GICD_ICENABLER + 0x80) {
		bits_access(v, a, base_intid + (off - GICD_ICENABLER) * 8, FAM_ENABLE, false);
		return true;
	}
	if (off >= GICD_ISPENDR && off < GICD_ISPENDR + 0x80) {
		bits_access(v, a, base_intid + (off - GICD_ISPENDR) * 8, FAM_PENDING, true);
		return true;
	}
	if (off >= GICD_ICPENDR && off < GICD_ICPENDR + 0x80) {
		bits_access(v, a, base_intid + (off - GICD_ICPENDR) * 8, FAM_PENDING, false);
		return true;
	}
	if (off >= GICD_ISACTIVER && off < GICD_ISACTIVER + 0x80) {
		bits_access(v, a, base_intid + (off - GICD_ISACTIVER) * 8, FAM_ACTIVE, true);
		return true;
	}
	if (off >= GICD_ICACTIVER && off < GICD_ICACTIVER + 0x80) {
		bits_access(v, a, base_intid + (off - GICD_ICACTIVER) * 8, FAM_ACTIVE, false);
		return true;
	}
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
		priority_access(v, a, base_intid + (off - GICD_IPRIORITYR));
		return true;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		config_access(v, a, base_intid + (off - GICD_ICFGR) * 4);
		return true;
	}
	return false;
}

static void log_unknown(const char *what, struct mmio_access *a)
{
	static unsigned logged;

	if (logged < 20) {
		logged++;
		printk("vgic: %s %s of unknown register at offset %#lx (RAZ/WI)\n", what,
		       a->write ? "write" : "read", a->offset);
	}
}

/* ---- distributor ---------------------------------------------------------- */

/* The part of a GICD bank that would describe interrupts 0-31. */
static bool dist_private_reg(uint32_t off)
{
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR)
		return (off & 0x7f) < 4;
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400)
		return off - GICD_IPRIORITYR < 32;
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
		return off - GICD_ICFGR < 8;
	return false;
}

static bool dist_access(struct vcpu *v, struct mmio_access *a, void *priv)
{
	struct domain *d = v->domain;
	struct vgic_dist *g = &d->arch.vgic;
	uint32_t off = (uint32_t)a->offset;
	bool wake = false;

	(void)priv;
	spin_lock(&g->lock);
	if (off == GICD_CTLR) {
		if (a->write) {
			g->ctlr = (uint32_t)a->value & (CTLR_GRP1 | CTLR_GRP1_ALIAS);
			wake = true;
		}
		a->value = g->ctlr | CTLR_ARE;
	} else if (off == GICD_TYPER) {
		a->value = (g->nr_lines / 32 - 1) | (9u << 19);
	} else if (off == GICD_IIDR) {
		a->value = IIDR_PUNT;
	} else if (off == GICD_TYPER2) {
		a->value = 0; /* no vSGI support, no extended SPIs */
	} else if (off == GIC_PIDR2) {
		a->value = PIDR2_GICV3;
	} else if (off >= GICD_IROUTER + 32 * 8 && off < GICD_IROUTER + 8 * 1020) {
		uint32_t intid = (off - GICD_IROUTER) / 8;
		if (intid < g->nr_lines)
			irouter_access(d, a, intid, off & 7);
		else
			a->value = 0;
	} else if (dist_private_reg(off)) {
		/* Affinity routing is on: SGIs and PPIs live in the redistributors. */
		a->value = 0;
	} else if (off < 0x1000 && irq_regs(v, a, off, 0)) {
		/* handled */
	} else {
		log_unknown("GICD", a);
		a->value = 0;
	}
	spin_unlock(&g->lock);
	if (wake)
		for (unsigned i = 0; i < d->max_vcpus; i++)
			if (d->vcpus[i])
				vcpu_kick(d->vcpus[i]);
	return true;
}

/* ---- redistributors ------------------------------------------------------- */

static bool redist_access(struct vcpu *v, struct mmio_access *a, void *priv)
{
	struct domain *d = v->domain;
	struct vgic_dist *g = &d->arch.vgic;
	unsigned idx = a->offset / GICR_FRAME;
	uint32_t off = a->offset % GICR_FRAME;
	struct vcpu *t = idx < d->max_vcpus ? d->vcpus[idx] : NULL;

	(void)priv;
	if (!t) {
		a->value = 0;
		return true;
	}
	spin_lock(&g->lock);
	if (off >= GICR_SGI_BASE) {
		uint32_t soff = off - GICR_SGI_BASE;
		/* Only the interrupt 0-31 part of each bank exists in the SGI frame. */
		if (!dist_private_reg(soff) || !irq_regs(t, a, soff, 0)) {
			log_unknown("GICR SGI", a);
			a->value = 0;
		}
	} else if (off == GICR_CTLR) {
		a->value = 0;
	} else if (off == GICR_IIDR) {
		a->value = IIDR_PUNT;
	} else if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		uint64_t mpidr = t->arch.sys.vmpidr;
		uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);
		uint64_t typer = (aff << 32) | ((uint64_t)t->id << 8) |
				 (idx == d->max_vcpus - 1 ? (1u << 4) : 0);
		a->value =
		    off == GICR_TYPER ? (a->size == 8 ? typer : (uint32_t)typer) : typer >> 32;
	} else if (off == GICR_WAKER) {
		if (a->write)
			t->arch.redist_waker_sleep = a->value & WAKER_SLEEP;
		a->value = t->arch.redist_waker_sleep ? (WAKER_SLEEP | WAKER_ASLEEP) : 0;
	} else if (off == GIC_PIDR2) {
		a->value = PIDR2_GICV3;
	} else {
		log_unknown("GICR", a);
		a->value = 0;
	}
	spin_unlock(&g->lock);
	if (a->write && t != v)
		vcpu_kick(t);
	return true;
}

static int vgic_domain_init(struct domain *d, const struct arch_domain_config *c)
{
	struct vgic_dist *g = &d->arch.vgic;
	uint64_t redist_size;
	unsigned nr_lines;

	memset(g, 0, sizeof(*g));
	g->lock = (spinlock_t)SPINLOCK_INIT;
	if (c->hardware) {
		/* The hardware domain sees the machine's own distributor and redistributors. */
		g->dist_base = gic_dist_base();
		gic_redist_region(&g->redist_base, &redist_size);
		nr_lines = gic_nr_lines();
	} else {
		/* Xen's guest layout (public/arch-arm.h): one redistributor per vCPU. */
		g->dist_base = GUEST_GICV3_GICD_BASE;
		g->redist_base = GUEST_GICV3_GICR0_BASE;
		redist_size = (uint64_t)d->max_vcpus * GUEST_GICV3_RDIST_STRIDE;
		nr_lines = 32 + c->nr_spis;
	}
	g->nr_lines = nr_lines > VGIC_MAX_INTID ? 1024 : (nr_lines + 31) / 32 * 32;
	if (g->nr_lines > 1020)
		g->nr_lines = 992;
	for (unsigned i = 0; i < 1024; i++)
		g->priority[i] = 0xa0;
	if (mmio_register(d, "vGIC distributor", g->dist_base, 0x10000, dist_access, NULL))
		return -1;
	return mmio_register(d, "vGIC redistributors", g->redist_base, redist_size, redist_access,
			     NULL);
}

const struct vdev vgic_v3_vdev = {
    .name = "virtual GICv3",
    .init = vgic_domain_init,
    .vcpu_reset = vgic_vcpu_reset,
};

void vgic_dump(struct domain *d)
{
	struct vgic_dist *g = &d->arch.vgic;

	printk("  vGIC: %u lines, distributor %s\n", g->nr_lines,
	       g->ctlr & CTLR_GRP1 ? "enabled" : "disabled");
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];
		if (!v)
			continue;
		printk("    vCPU %u: SGI/PPI enabled %08x pending %08x active %08x\n", i,
		       v->arch.vgic.enabled, v->arch.vgic.pending, v->arch.vgic.active);
	}
	for (unsigned w = 1; w < g->nr_lines / 32; w++) {
		if (g->enabled[w] | g->pending[w] | g->active[w])
			printk("    SPI %4u-%4u: enabled %08x pending %08x active %08x hw %08x\n",
			       w * 32, w * 32 + 31, g->enabled[w], g->pending[w], g->active[w],
			       g->hw[w]);
	}
}

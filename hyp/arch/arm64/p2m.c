// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 translation with a 4 KiB granule, starting at level 0. RAM is
 * mapped with the largest blocks its alignment allows; changing one page of
 * a block first splits the block into a table of equal entries.
 *
 * A valid entry is never overwritten by another valid one: it is made
 * invalid and every TLB flushed of it before the new one is written, and a
 * table it pointed to is freed only after that flush (break-before-make, Arm
 * ARM D8.14.1, "Using break-before-make when updating translation table
 * entries"; without it a core may hold two translations of one address, a
 * TLB conflict abort, or walk a freed table). A vCPU of the domain that
 * touches the address in between takes a translation fault, which the trap
 * handler retries once the change is over (p2m_fault_was_transient()).
 */
#include <asm/mmu.h>
#include <asm/p2m.h>
#include <asm/sysreg.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/id_alloc.h>
#include <punt/arch/p2m.h>
#include <punt/page_alloc.h>
#include <punt/panic.h>

#define S2_VALID      (1UL << 0)
#define S2_TABLE      (1UL << 1)
#define S2_MEM_NORMAL (0xfUL << 2)
#define S2_MEM_DEVICE (0x1UL << 2)
#define S2_AP_R	      (1UL << 6)
#define S2_AP_W	      (1UL << 7)
#define S2_SH_INNER   (3UL << 8)
#define S2_AF	      (1UL << 10)
#define S2_XN	      (2UL << 53)
#define S2_SW_GRANT   (1UL << 55) /* software bit: a grant mapping of a foreign page */
#define S2_SW_FOREIGN (1UL << 56) /* software bit: a foreign mapping (XENMAPSPACE_gmfn_foreign) */
#define S2_ADDR_MASK  0x0000fffffffff000UL
#define S2_ATTR_MASK  (~S2_ADDR_MASK & ~3UL)
#define VTCR_VS	      (1UL << 19) /* VMIDs are 16 bits (Arm ARM, VTCR_EL2.VS) */

static unsigned ipa_bits;
static uint64_t vtcr;

/*
 * VMIDs tag TLB entries: two live domains must never share one. VMID 0 is never handed out,
 * so a domain's vmid is 0 exactly when it holds none.
 */
static spinlock_t vmid_lock = SPINLOCK_INIT;
static uint64_t vmid_map[ID_ALLOC_WORDS(1u << 16)];
static struct id_alloc vmids;
static unsigned vmid_bits;

unsigned p2m_ipa_bits(void)
{
	return ipa_bits;
}

static uint64_t vtcr_value(void)
{
	unsigned ps;

	ipa_bits = mmu_pa_bits() < 40 ? 40 : mmu_pa_bits();
	switch (ipa_bits) {
	case 40:
		ps = 2;
		break;
	case 42:
		ps = 3;
		break;
	case 44:
		ps = 4;
		break;
	default:
		ipa_bits = 48;
		ps = 5;
		break;
	}
	return (64 - ipa_bits) | (2UL << 6) /* SL0: level 0 */ | (1UL << 8) | (1UL << 10) |
	       (3UL << 12) | ((uint64_t)ps << 16) | (vmid_bits == 16 ? VTCR_VS : 0) | (1UL << 31);
}

/* ID_AA64MMFR1_EL1.VMIDBits, bits [7:4]: 0b0010 means 16-bit VMIDs are supported, else 8. */
static unsigned hw_vmid_bits(void)
{
	return ((read_sysreg(id_aa64mmfr1_el1) >> 4) & 0xf) == 2 ? 16 : 8;
}

static int vmid_take(struct domain *d)
{
	int64_t id;

	spin_lock(&vmid_lock);
	id = id_alloc_get(&vmids);
	spin_unlock(&vmid_lock);
	if (id < 0) {
		printk("d%u: no free VMID (all %u in use): domain not created\n", d->id,
		       (1u << vmid_bits) - 1);
		return -1;
	}
	d->arch.vmid = (uint16_t)id;
	return 0;
}

/* Only once no CPU holds a TLB entry tagged with it: see p2m_destroy. */
static void vmid_release(struct domain *d)
{
	spin_lock(&vmid_lock);
	id_alloc_put(&vmids, d->arch.vmid);
	spin_unlock(&vmid_lock);
	d->arch.vmid = 0;
}

static uint64_t leaf_attrs(enum p2m_type t)
{
	switch (t) {
	case P2M_RAM_RW:
		return S2_MEM_NORMAL | S2_AP_R | S2_AP_W | S2_SH_INNER | S2_AF;
	case P2M_RAM_RO:
		return S2_MEM_NORMAL | S2_AP_R | S2_SH_INNER | S2_AF;
	case P2M_DEVICE:
		return S2_MEM_DEVICE | S2_AP_R | S2_AP_W | S2_AF | S2_XN;
	case P2M_GRANT_RW:
		return S2_MEM_NORMAL | S2_AP_R | S2_AP_W | S2_SH_INNER | S2_AF | S2_SW_GRANT;
	case P2M_GRANT_RO:
		return S2_MEM_NORMAL | S2_AP_R | S2_SH_INNER | S2_AF | S2_SW_GRANT;
	case P2M_FOREIGN_RW:
		return S2_MEM_NORMAL | S2_AP_R | S2_AP_W | S2_SH_INNER | S2_AF | S2_SW_FOREIGN;
	default:
		return 0;
	}
}

static enum p2m_type type_of(uint64_t desc)
{
	if (!(desc & S2_VALID))
		return P2M_INVALID;
	if ((desc & (0xfUL << 2)) == S2_MEM_DEVICE)
		return P2M_DEVICE;
	if (desc & S2_SW_GRANT)
		return (desc & S2_AP_W) ? P2M_GRANT_RW : P2M_GRANT_RO;
	if (desc & S2_SW_FOREIGN)
		return P2M_FOREIGN_RW;
	return (desc & S2_AP_W) ? P2M_RAM_RW : P2M_RAM_RO;
}

static void flush_domain_tlb(struct domain *d)
{
	uint64_t saved = read_sysreg(vttbr_el2);

	dsb_ishst();
	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, (uint64_t)d->arch.p2m_root | ((uint64_t)d->arch.vmid << 48));
	isb();
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb_ish();
	write_sysreg(vttbr_el2, saved);
	isb();
}

int p2m_init(struct domain *d)
{
	static bool vtcr_done;

	if (!vtcr_done) {
		vmid_bits = hw_vmid_bits();
		id_alloc_init(&vmids, vmid_map, 1, 1u << vmid_bits);
		vtcr = vtcr_value();
		printk("P2M: %u-bit IPA, %u-bit VMIDs\n", ipa_bits, vmid_bits);
		vtcr_done = true;
	}
	if (vmid_take(d))
		return -1;
	d->arch.p2m_root = (uint64_t *)page_alloc_zeroed(0);
	if (!d->arch.p2m_root) {
		vmid_release(d);
		return -1;
	}
	d->arch.p2m_lock = (spinlock_t)SPINLOCK_INIT;
	d->arch.p2m_tables = 1;
	/* The VMID may have been a destroyed domain's: no entry tagged with it may survive. */
	flush_domain_tlb(d);
	return 0;
}

static void free_tables(struct domain *d, uint64_t *table, int level)
{
	if (level < 3) {
		for (unsigned i = 0; i < 512; i++) {
			uint64_t desc = table[i];
			if ((desc & (S2_VALID | S2_TABLE)) == (S2_VALID | S2_TABLE))
				free_tables(d, (uint64_t *)(desc & S2_ADDR_MASK), level + 1);
		}
	}
	page_free((uint64_t)table, 0);
	d->arch.p2m_tables--;
}

void p2m_destroy(struct domain *d)
{
	if (!d->arch.p2m_root)
		return;
	/* A broadcast TLBI, then DSB ISH: no CPU keeps an entry of d's, so its VMID may go. */
	flush_domain_tlb(d);
	free_tables(d, d->arch.p2m_root, 0);
	d->arch.p2m_root = NULL;
	vmid_release(d);
}

void p2m_load(struct domain *d)
{
	/* Every CPU needs VTCR_EL2; writing it here covers CPUs that never ran a guest. */
	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, (uint64_t)d->arch.p2m_root | ((uint64_t)d->arch.vmid << 48));
	isb();
}

/*
 * Break: make the valid entry at slot invalid and flush every TLB of it (and of anything
 * under it, when it is a table, which is freed after the flush).
 */
static void break_entry(struct domain *d, uint64_t *slot, int level)
{
	uint64_t old = *slot;

	*slot = 0;
	flush_domain_tlb(d);
	if (level < 3 && (old & (S2_VALID | S2_TABLE)) == (S2_VALID | S2_TABLE))
		free_tables(d, (uint64_t *)(old & S2_ADDR_MASK), level + 1);
}

/* Replace a block by a table whose entries map the same range the same way. */
static uint64_t *split_block(struct domain *d, uint64_t *slot, int level)
{
	uint64_t desc = *slot;
	uint64_t *sub = (uint64_t *)page_alloc_zeroed(0);

	if (!sub)
		return NULL;
	d->arch.p2m_tables++;
	uint64_t step = 1UL << (39 - 9 * (level + 1));
	uint64_t base = desc & S2_ADDR_MASK;
	uint64_t attrs = desc & S2_ATTR_MASK;
	for (unsigned i = 0; i < 512; i++)
		sub[i] = (base + i * step) | attrs | S2_VALID | (level + 1 == 3 ? S2_TABLE : 0);
	/* The table is written before it is published; the block goes first (break). */
	break_entry(d, slot, level);
	*slot = (uint64_t)sub | S2_VALID | S2_TABLE;
	return sub;
}

/*
 * Write desc (0 to remove) at slot. A valid entry replaced by a different valid one, or a
 * table taken away, is broken first; a leaf only removed is flushed with the rest of the
 * change (*changed).
 */
static void set_entry(struct domain *d, uint64_t *slot, int level, uint64_t desc, bool *changed)
{
	uint64_t old = *slot;
	bool was_table = level < 3 && (old & (S2_VALID | S2_TABLE)) == (S2_VALID | S2_TABLE);

	if (!(old & S2_VALID) || old == desc) {
		*slot = desc;
		return;
	}
	if (desc || was_table) {
		break_entry(d, slot, level);
	} else {
		*slot = 0;
		*changed = true;
	}
	*slot = desc;
}

/*
 * Set entries for [gfn, gfn+nr) at `table`; mfn advances with gfn. attrs 0
 * removes. Returns -1 on allocation failure (what was done stays done).
 */
static int update(struct domain *d, uint64_t *table, int level, uint64_t ipa, uint64_t end,
		  uint64_t pa, uint64_t attrs, bool *changed)
{
	unsigned shift = 39 - 9 * level;
	uint64_t block = 1UL << shift;

	while (ipa < end) {
		unsigned idx = (ipa >> shift) & 511;
		uint64_t next = (ipa & ~(block - 1)) + block;
		if (next > end)
			next = end;
		uint64_t *slot = &table[idx];
		bool whole = (ipa & (block - 1)) == 0 && next - ipa == block;
		bool aligned = ((pa ^ ipa) & (block - 1)) == 0;
		bool is_table = (*slot & (S2_VALID | S2_TABLE)) == (S2_VALID | S2_TABLE);

		if (level == 3 || (level >= 1 && whole && (aligned || !attrs))) {
			uint64_t desc =
			    attrs ? pa | attrs | S2_VALID | (level == 3 ? S2_TABLE : 0) : 0;
			set_entry(d, slot, level, desc, changed);
		} else {
			uint64_t *sub;
			if (is_table) {
				sub = (uint64_t *)(*slot & S2_ADDR_MASK);
			} else if (*slot & S2_VALID) {
				sub = split_block(d, slot, level);
			} else if (!attrs) {
				sub = NULL;
			} else {
				sub = (uint64_t *)page_alloc_zeroed(0);
				if (sub) {
					d->arch.p2m_tables++;
					dsb_ishst();
					*slot = (uint64_t)sub | S2_VALID | S2_TABLE;
				}
			}
			if (!sub && attrs)
				return -1;
			if (sub && update(d, sub, level + 1, ipa, next, pa, attrs, changed))
				return -1;
		}
		pa += next - ipa;
		ipa = next;
	}
	return 0;
}

static int change(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t nr, uint64_t attrs)
{
	uint64_t ipa = gfn << 12, end = (gfn + nr) << 12;
	bool changed = false;

	/* Frame numbers beyond the IPA space would wrap in the shift above. */
	if (gfn >> (ipa_bits - 12) || nr > (1UL << (ipa_bits - 12)))
		return -1;
	if (nr == 0 || end <= ipa || end > (1UL << ipa_bits))
		return -1;
	spin_lock(&d->arch.p2m_lock);
	int rc = update(d, d->arch.p2m_root, 0, ipa, end, mfn << 12, attrs, &changed);
	dsb_ishst();
	if (changed)
		flush_domain_tlb(d);
	spin_unlock(&d->arch.p2m_lock);
	return rc;
}

int p2m_map(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t nr, enum p2m_type t)
{
	if (t == P2M_INVALID)
		return -1;
	return change(d, gfn, mfn, nr, leaf_attrs(t));
}

int p2m_unmap(struct domain *d, uint64_t gfn, uint64_t nr)
{
	return change(d, gfn, 0, nr, 0);
}

bool p2m_fault_was_transient(struct domain *d, uint64_t esr, uint64_t ipa)
{
	/* ESR_EL2.ISS.{I,D}FSC 0b0001xx: a translation fault, at any level. */
	if ((esr & 0x3c) != 0x04)
		return false;
	/* The lookup waits for a change under way (the p2m lock) and sees its result. */
	return p2m_lookup(d, ipa >> 12, NULL) != P2M_INVALID;
}

void p2m_wait_for_changes(struct domain *d)
{
	spin_lock(&d->arch.p2m_lock);
	spin_unlock(&d->arch.p2m_lock);
}

uint64_t p2m_table_pages(struct domain *d)
{
	spin_lock(&d->arch.p2m_lock);
	uint64_t n = d->arch.p2m_tables;
	spin_unlock(&d->arch.p2m_lock);
	return n;
}

enum p2m_type p2m_lookup(struct domain *d, uint64_t gfn, uint64_t *mfn)
{
	uint64_t ipa = gfn << 12;
	uint64_t *table = d->arch.p2m_root;
	enum p2m_type t = P2M_INVALID;

	if (gfn >> (ipa_bits - 12))
		return P2M_INVALID;
	spin_lock(&d->arch.p2m_lock);
	for (int level = 0; level <= 3; level++) {
		unsigned shift = 39 - 9 * level;
		uint64_t desc = table[(ipa >> shift) & 511];
		if (!(desc & S2_VALID))
			break;
		if (level < 3 && (desc & S2_TABLE)) {
			table = (uint64_t *)(desc & S2_ADDR_MASK);
			continue;
		}
		t = type_of(desc);
		if (mfn)
			*mfn = ((desc & S2_ADDR_MASK) | (ipa & ((1UL << shift) - 1))) >> 12;
		break;
	}
	spin_unlock(&d->arch.p2m_lock);
	return t;
}

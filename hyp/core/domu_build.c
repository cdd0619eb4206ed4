// SPDX-License-Identifier: Apache-2.0
/*
 * Building a domain started at boot: zeroed RAM from the page allocator,
 * mapped contiguously at Xen's guest RAM base, the kernel at the start of it
 * (per its Image header), the initrd and the generated DT behind it, a
 * virtual GIC at Xen's guest addresses and, if asked, the emulated UART.
 */
#include <public/arch-arm.h>
#include <public/hvm_params.h>
#include <punt/arch/cache.h>
#include <punt/arch/domain.h>
#include <punt/arch/p2m.h>
#include <punt/arch/vcpu.h>
#include <punt/bootinfo.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/domain.h>
#include <punt/domu.h>
#include <punt/event_channel.h>
#include <punt/domu_fdt.h>
#include <punt/fdt.h>
#include <punt/grant_table.h>
#include <punt/format.h>
#include <punt/page_alloc.h>
#include <punt/pv_console.h>
#include <punt/sched.h>
#include <punt/string.h>

#define SZ_2M	    (2UL << 20)
#define MIN_ORDER   0
#define IMAGE_MAGIC 0x644d5241u /* "ARM\x64" at offset 56 */

static struct domu_config configs[MAX_DOMAINS];

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* RAM in the largest blocks available, mapped one after the other from GUEST_RAM0_BASE. */
static int allocate_ram(struct domain *d, uint64_t bytes)
{
	uint64_t ipa = GUEST_RAM0_BASE, left = bytes;

	d->max_pages = bytes >> 12; /* as Xen sets it from dom0_mem / memory */
	while (left) {
		unsigned order = PAGE_MAX_ORDER;
		uint64_t pa = 0;
		while (order > MIN_ORDER && (PAGE_SIZE << order) > left)
			order--;
		for (;; order--) {
			pa = page_alloc_zeroed(order);
			if (pa || order == MIN_ORDER)
				break;
		}
		if (!pa)
			return -1;
		if (d->nr_extents == DOMAIN_MAX_EXTENTS) {
			page_free(pa, order); /* not recorded yet: teardown would not find it */
			return -1;
		}
		uint64_t size = PAGE_SIZE << order;
		d->extents[d->nr_extents++] = (struct boot_region){pa, size};
		if (p2m_map(d, ipa >> 12, pa >> 12, size >> 12, P2M_RAM_RW))
			return -1;
		d->tot_pages += size >> 12;
		ipa += size;
		left -= size;
	}
	d->ram[0] = (struct boot_region){GUEST_RAM0_BASE, bytes};
	d->nr_ram = 1;
	return 0;
}

/* Copy Punt-visible bytes into the domain's guest-physical range, page by page. */
static int copy_into(struct domain *d, uint64_t ipa, const void *src, uint64_t len)
{
	const uint8_t *in = src;

	while (len) {
		uint64_t mfn, chunk = 4096 - (ipa & 0xfff);
		if (chunk > len)
			chunk = len;
		if (p2m_lookup(d, ipa >> 12, &mfn) != P2M_RAM_RW)
			return -1;
		uint64_t pa = (mfn << 12) | (ipa & 0xfff);
		memcpy((void *)pa, in, chunk);
		arch_dcache_clean_inval_range(pa, chunk);
		in += chunk;
		ipa += chunk;
		len -= chunk;
	}
	return 0;
}

static int load_images(struct domain *d, const struct domu_config *c, uint64_t *entry,
		       uint64_t *dtb_at, char *err, size_t errlen)
{
	const uint8_t *k = (const uint8_t *)c->kernel.base;
	uint64_t text_offset, image_size, end = d->ram[0].base + d->ram[0].size;
	uint64_t initrd_at = 0;

	if (c->kernel.size < 64 || *(const uint32_t *)(k + 56) != IMAGE_MAGIC) {
		fmt_snprintf(err, errlen, "kernel module at %#lx: not an arm64 Image",
			     c->kernel.base);
		return -1;
	}
	memcpy(&text_offset, k + 8, 8);
	memcpy(&image_size, k + 16, 8);
	if (image_size < c->kernel.size)
		image_size = c->kernel.size;
	*entry = d->ram[0].base + text_offset;
	uint64_t next = align_up(*entry + image_size, SZ_2M);
	if (c->ramdisk.size) {
		initrd_at = next;
		next = align_up(initrd_at + c->ramdisk.size, SZ_2M);
	}
	*dtb_at = next;
	if (*dtb_at + SZ_2M > end) {
		fmt_snprintf(err, errlen, "kernel, initrd and device tree do not fit in %lu MiB",
			     d->ram[0].size >> 20);
		return -1;
	}
	if (copy_into(d, *entry, k, c->kernel.size) ||
	    (c->ramdisk.size &&
	     copy_into(d, initrd_at, (const void *)c->ramdisk.base, c->ramdisk.size))) {
		fmt_snprintf(err, errlen, "cannot load the kernel or initrd");
		return -1;
	}

	struct domu_fdt_params fp = {
	    .name = c->name,
	    .nr_vcpus = c->vcpus,
	    .ram_base = d->ram[0].base,
	    .ram_size = d->ram[0].size,
	    .initrd_base = initrd_at,
	    .initrd_size = c->ramdisk.size,
	    .bootargs = c->bootargs,
	    .enhanced = c->enhanced == DOMU_ENHANCED,
	    .vpl011 = c->vpl011,
	    .evtchn_intid = d->evtchn_intid,
	};
	uint64_t buf = page_alloc_zeroed(2);
	size_t size;
	int rc = buf ? domu_fdt_build(&fp, (void *)buf, PAGE_SIZE << 2, &size) : -1;
	if (!rc)
		rc = copy_into(d, *dtb_at, (const void *)buf, size);
	if (buf)
		page_free(buf, 2);
	if (rc) {
		fmt_snprintf(err, errlen, "cannot build its device tree");
		return -1;
	}
	return 0;
}

int domu_build(const struct domu_config *c, domid_t id, char *err, size_t errlen)
{
	struct domain *d;
	uint64_t entry, dtb_at;

	/* Checked before anything is created: a refused guest leaves nothing behind. */
	cpumask_t aff = c->sched_affinity;
	if (!cpumask_weight(&aff, CONFIG_NR_CPUS))
		cpumask_first_n(&aff, nr_pcpus);
	if (sched_domain_check(c->sched_weight, c->sched_cap, &aff, err, errlen))
		return -1;
	struct arch_domain_config devices = {.nr_spis = c->nr_spis, .vuart = c->vpl011};
	d = domain_create(id, c->name, c->vcpus, false, &devices);
	if (!d) {
		fmt_snprintf(err, errlen, "cannot create the domain or its virtual devices");
		return -1;
	}
	configs[id] = *c;
	d->evtchn_intid = GUEST_EVTCHN_PPI;
	sched_domain_apply(d, c->sched_weight, c->sched_cap, &aff);
	if (c->max_grant_frames)
		grant_table_set_max_frames(d, c->max_grant_frames);
	uint64_t free_pages = page_alloc_free_pages(); /* before a partial allocation */
	if (allocate_ram(d, c->mem_bytes)) {
		fmt_snprintf(err, errlen, "cannot allocate %lu MiB (%lu MiB free)",
			     c->mem_bytes >> 20, free_pages >> 8);
		goto fail;
	}
	if (load_images(d, c, &entry, &dtb_at, err, errlen))
		goto fail;
	/* Static channels' ports first, so no port handed out below can take one. */
	for (unsigned i = 0; i < c->nr_evtchns; i++)
		evtchn_reserve(d, c->evtchn[i].port, c->evtchn[i].peer);
	if (c->enhanced == DOMU_ENHANCED && pvcons_domain_init(d)) {
		fmt_snprintf(err, errlen, "cannot set up its PV console");
		goto fail;
	}
	if (c->enhanced == DOMU_ENHANCED)
		d->hvm_params[HVM_PARAM_CALLBACK_IRQ] =
		    (HVM_PARAM_CALLBACK_TYPE_PPI << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) |
		    (HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL
		     << HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_SHIFT) |
		    d->evtchn_intid;
	for (unsigned i = 0; i < d->max_vcpus; i++)
		sched_add_vcpu(d->vcpus[i], (id + i) % nr_pcpus);
	arch_vcpu_reset(d->vcpus[0], entry, dtb_at);
	for (unsigned i = 0; i < c->nr_evtchns; i++)
		if (c->evtchn[i].peer < MAX_DOMAINS)
			d->links |= 1UL << c->evtchn[i].peer;
	domain_publish(d);
	printk("d%u (%s): %lu MiB, %u vCPU%s%s%s, kernel at %#lx\n", id, c->name,
	       c->mem_bytes >> 20, c->vcpus, c->vcpus == 1 ? "" : "s", c->vpl011 ? ", vpl011" : "",
	       d->pvcons ? ", PV console" : "", entry);
	return 0;
fail:
	domain_destroy_unstarted(d);
	return -1;
}

/*
 * Bind d's static event channels to those peers that already exist. At boot
 * every pair is bound once, by its lower domid (first_boot); a domain built
 * again after a reboot finds its peers' ends waiting for it (closing a
 * channel leaves the other end unbound for the same domain).
 */
static void connect_static_evtchns(struct domain *d, bool first_boot)
{
	const struct domu_config *c = &configs[d->id];

	for (unsigned i = 0; i < c->nr_evtchns; i++) {
		const struct domu_static_evtchn *e = &c->evtchn[i];
		struct domain *peer = domain_lookup(e->peer);
		if (!peer || peer->dying || (first_boot && e->peer < d->id))
			continue;
		int rc = evtchn_bind_static(d, e->port, peer, e->peer_port);
		if (rc)
			printk("d%u: static event channel %u to d%u port %u not bound: error %d\n",
			       d->id, e->port, e->peer, e->peer_port, rc);
	}
}

bool domu_configured(domid_t id)
{
	return id < MAX_DOMAINS && configs[id].kernel.size;
}

int domu_rebuild(domid_t id)
{
	char err[120];

	if (id >= MAX_DOMAINS || !configs[id].kernel.size)
		return -1;
	if (domu_build(&configs[id], id, err, sizeof(err))) {
		printk("d%u (%s): cannot restart: %s\n", id, configs[id].name, err);
		return -1;
	}
	struct domain *d = domain_lookup(id);
	connect_static_evtchns(d, false);
	vcpu_set_online(d->vcpus[0], true);
	return 0;
}

unsigned domu_build_all(const struct boot_info *bi)
{
	int nodes[DOMU_MAX];
	unsigned n = domu_find_nodes(bi->fdt, nodes, DOMU_MAX), built = 0;
	domid_t id = 1;

	for (unsigned i = 0; i < n; i++, id++) {
		struct domu_config c;
		char err[120];
		if (domu_config_parse(bi->fdt, nodes[i], &c, err, sizeof(err)) ||
		    domu_build(&c, id, err, sizeof(err))) {
			printk("d%u (%s): not started: %s\n", id, fdt_node_name(bi->fdt, nodes[i]),
			       err);
			continue;
		}
		built++;
	}
	for (domid_t i = 1; i < MAX_DOMAINS; i++)
		if (domain_lookup(i) && configs[i].kernel.size)
			connect_static_evtchns(domain_lookup(i), true);
	return built;
}

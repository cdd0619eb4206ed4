// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/*
 * All public headers together with the host C library: they must not clash with it (XEN_E*
 * against errno.h). Sizes and offsets are pinned by _Static_assert inside the headers; this
 * file checks the values and relations that hold between them.
 */
#include "public/xen.h"
#include "public/arch-arm.h"
#include "public/errno.h"
#include "public/features.h"
#include "public/version.h"
#include "public/memory.h"
#include "public/vcpu.h"
#include "public/event_channel.h"
#include "public/sched.h"
#include "public/grant_table.h"
#include "public/hvm_params.h"
#include "public/hvm_op.h"
#include "public/platform.h"
#include "public/physdev.h"
#include "public/vm_assist.h"
#include "public/io/console.h"
#include "public/io/xenbus.h"
#include "public/io/xs_wire.h"

struct errno_pair {
	const char *name;
	int xen;
	int host;
};

#define PAIR(e)                                                                                    \
	{                                                                                          \
#e, XEN_##e, e                                                                     \
	}

/* The reference states the Xen numbers equal Linux's; the host is Linux, so compare. */
static void xen_errno_values_equal_linux_errno(void **state)
{
	static const struct errno_pair pairs[] = {
	    PAIR(EPERM),      PAIR(ENOENT),	  PAIR(ESRCH),	       PAIR(EINTR),
	    PAIR(EIO),	      PAIR(ENXIO),	  PAIR(E2BIG),	       PAIR(ENOEXEC),
	    PAIR(EBADF),      PAIR(ECHILD),	  PAIR(EAGAIN),	       PAIR(ENOMEM),
	    PAIR(EACCES),     PAIR(EFAULT),	  PAIR(EBUSY),	       PAIR(EEXIST),
	    PAIR(EXDEV),      PAIR(ENODEV),	  PAIR(ENOTDIR),       PAIR(EISDIR),
	    PAIR(EINVAL),     PAIR(ENFILE),	  PAIR(EMFILE),	       PAIR(ENOSPC),
	    PAIR(EROFS),      PAIR(EMLINK),	  PAIR(EDOM),	       PAIR(ERANGE),
	    PAIR(EDEADLK),    PAIR(ENAMETOOLONG), PAIR(ENOLCK),	       PAIR(ENOSYS),
	    PAIR(ENOTEMPTY),  PAIR(ENODATA),	  PAIR(ETIME),	       PAIR(EBADMSG),
	    PAIR(EOVERFLOW),  PAIR(EILSEQ),	  PAIR(ENOTSOCK),      PAIR(EMSGSIZE),
	    PAIR(EOPNOTSUPP), PAIR(EADDRINUSE),	  PAIR(EADDRNOTAVAIL), PAIR(ENOBUFS),
	    PAIR(EISCONN),    PAIR(ENOTCONN),	  PAIR(ETIMEDOUT),     PAIR(ECONNREFUSED),
	    PAIR(ERESTART),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (pairs[i].xen != pairs[i].host)
			fail_msg("XEN_%s: expected %d (Linux), got %d", pairs[i].name,
				 pairs[i].host, pairs[i].xen);
}

static void xenstore_error_table_has_unique_names_and_numbers(void **state)
{
	static const struct xsd_errors table[] = {XSD_ERROR_LIST(XSD_ERROR_ENTRY)};
	const size_t n = sizeof(table) / sizeof(table[0]);

	(void)state;
	assert_int_equal(n, 16);
	/* The first entry is the fallback for unnamed errors. */
	assert_string_equal(table[0].errstring, "EINVAL");
	for (size_t i = 0; i < n; i++) {
		assert_true(table[i].errnum > 0);
		assert_true(strlen(table[i].errstring) < XSD_ERROR_NAME_MAX);
		assert_int_equal(table[i].errstring[0], 'E');
		for (size_t j = i + 1; j < n; j++) {
			if (table[i].errnum == table[j].errnum ||
			    strcmp(table[i].errstring, table[j].errstring) == 0)
				fail_msg("entries %zu and %zu collide (%s/%s)", i, j,
					 table[i].errstring, table[j].errstring);
		}
	}
}

static void xenstore_error_names_match_their_numbers(void **state)
{
	static const struct xsd_errors table[] = {XSD_ERROR_LIST(XSD_ERROR_ENTRY)};
	static const struct errno_pair expected[] = {
	    PAIR(EINVAL), PAIR(EACCES),	 PAIR(EEXIST),	  PAIR(EISDIR), PAIR(ENOENT), PAIR(ENOMEM),
	    PAIR(ENOSPC), PAIR(EIO),	 PAIR(ENOTEMPTY), PAIR(ENOSYS), PAIR(EROFS),  PAIR(EBUSY),
	    PAIR(EAGAIN), PAIR(EISCONN), PAIR(E2BIG),	  PAIR(EPERM),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		int found = -1;

		for (size_t j = 0; j < sizeof(table) / sizeof(table[0]); j++)
			if (strcmp(table[j].errstring, expected[i].name) == 0)
				found = table[j].errnum;
		if (found != expected[i].host)
			fail_msg("%s: expected %d, got %d", expected[i].name, expected[i].host,
				 found);
	}
}

struct region {
	const char *name;
	uint64_t base;
	uint64_t size;
};

static int by_base(const void *a, const void *b)
{
	const struct region *ra = a;
	const struct region *rb = b;

	return ra->base < rb->base ? -1 : ra->base > rb->base;
}

static void guest_memory_map_regions_do_not_overlap(void **state)
{
	struct region map[] = {
	    {"virtio-mmio", GUEST_VIRTIO_MMIO_BASE, GUEST_VIRTIO_MMIO_SIZE},
	    {"gicd", GUEST_GICV3_GICD_BASE, GUEST_GICV3_GICD_SIZE},
	    {"gicr", GUEST_GICV3_GICR0_BASE, GUEST_GICV3_GICR0_SIZE},
	    {"vpci-ecam", GUEST_VPCI_ECAM_BASE, GUEST_VPCI_ECAM_SIZE},
	    {"acpi", GUEST_ACPI_BASE, GUEST_ACPI_SIZE},
	    {"vpl011", GUEST_PL011_BASE, GUEST_PL011_SIZE},
	    {"vpci-mem", GUEST_VPCI_MEM_BASE, GUEST_VPCI_MEM_SIZE},
	    {"gnttab", GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE},
	    {"magic", GUEST_MAGIC_BASE, GUEST_MAGIC_SIZE},
	    {"ram0", GUEST_RAM0_BASE, GUEST_RAM0_SIZE},
	    {"vpci-prefetch", GUEST_VPCI_PREFETCH_MEM_BASE, GUEST_VPCI_PREFETCH_MEM_SIZE},
	    {"ram1", GUEST_RAM1_BASE, GUEST_RAM1_SIZE},
	};
	const size_t n = sizeof(map) / sizeof(map[0]);

	(void)state;
	qsort(map, n, sizeof(map[0]), by_base);
	for (size_t i = 0; i < n; i++) {
		assert_true(map[i].base % XEN_PAGE_SIZE == 0);
		assert_true(map[i].size % XEN_PAGE_SIZE == 0);
		if (i + 1 < n && map[i].base + map[i].size > map[i + 1].base)
			fail_msg("%s [%#llx, +%#llx) overlaps %s at %#llx", map[i].name,
				 (unsigned long long)map[i].base, (unsigned long long)map[i].size,
				 map[i + 1].name, (unsigned long long)map[i + 1].base);
	}
	/* RAM bank 1 needs a 40-bit IPA space. */
	assert_true(GUEST_RAM1_BASE + GUEST_RAM1_SIZE <= (1ull << 40));
}

static void magic_pages_fit_in_the_magic_window(void **state)
{
	(void)state;
	assert_true(NR_MAGIC_PAGES * XEN_PAGE_SIZE <= GUEST_MAGIC_SIZE);
	assert_true(CONSOLE_PFN_OFFSET < NR_MAGIC_PAGES);
	assert_true(XENSTORE_PFN_OFFSET < NR_MAGIC_PAGES);
	assert_int_not_equal(CONSOLE_PFN_OFFSET, XENSTORE_PFN_OFFSET);
	/* Linux maps max_nr_frames grant frames from the window: Xen's default of 64 fits. */
	assert_true(64 * XEN_PAGE_SIZE <= GUEST_GNTTAB_SIZE);
}

static void two_level_event_layout_covers_every_port(void **state)
{
	struct shared_info si;
	const evtchn_port_t last = EVTCHN_2L_NR_CHANNELS - 1;

	(void)state;
	assert_int_equal(EVTCHN_2L_NR_CHANNELS, 4096);
	/* One selector bit per pending word: the selector is a single 64-bit word. */
	assert_int_equal(sizeof(si.evtchn_pending) / sizeof(si.evtchn_pending[0]),
			 8 * sizeof(si.vcpu_info[0].evtchn_pending_sel));
	assert_true(last / 64 < sizeof(si.evtchn_pending) / sizeof(si.evtchn_pending[0]));
	assert_int_equal(sizeof(si.evtchn_mask), sizeof(si.evtchn_pending));
}

static void grant_frame_holds_512_v1_entries(void **state)
{
	(void)state;
	assert_int_equal(GRANT_ENTRIES_V1_PER_FRAME, 512);
	assert_int_equal(GTF_permit_access & GTF_type_mask, GTF_permit_access);
	assert_int_equal(GTF_readonly & GTF_type_mask, 0);
	assert_int_equal(GNTMAP_host_map | GNTMAP_readonly, 6);
}

static void console_ring_masks_wrap_free_running_indices(void **state)
{
	struct xencons_interface ring;
	XENCONS_RING_IDX idx = 0xFFFFFFFFu;

	(void)state;
	assert_int_equal(sizeof(ring.in), XENCONS_IN_SIZE);
	assert_int_equal(sizeof(ring.out), XENCONS_OUT_SIZE);
	assert_int_equal(MASK_XENCONS_IDX(idx, ring.out), 2047);
	assert_int_equal(MASK_XENCONS_IDX(idx + 1, ring.in), 0);
	assert_int_equal(MASK_XENSTORE_IDX(1025u), 1);
}

static void xenstore_message_types_follow_the_wire_numbers(void **state)
{
	(void)state;
	assert_int_equal(XS_DIRECTORY, 1);
	assert_int_equal(XS_WATCH_EVENT, 15);
	assert_int_equal(XS_ERROR, 16);
	assert_int_equal(XS_RESET_WATCHES, 21);
	assert_int_equal(XS_DIRECTORY_PART, 22);
	assert_int_equal(XS_TYPE_COUNT, 27);
	assert_int_equal(XenbusStateConnected, 4);
}

static void arm_hypercall_convention_constants(void **state)
{
	(void)state;
	assert_int_equal(XEN_HYPERCALL_TAG, 0xEA1);
	assert_int_equal(DOMID_SELF, 0x7FF0);
	assert_true(DOMID_SELF >= DOMID_FIRST_RESERVED);
	assert_int_equal(HYPERVISOR_event_channel_op, 32);
	assert_true(HYPERVISOR_dm_op < HYPERVISOR_NR_CALLS);
	assert_int_equal(GUEST_EVTCHN_PPI, 31);
	assert_int_equal(GUEST_VPL011_SPI, 32);
	assert_int_equal(VIRQ_ARCH_7, NR_VIRQS - 1);
	/* The magic-page STORE_PFN marker must not look like a page in the guest map. */
	assert_true(XENSTORE_PFN_LATE_ALLOC > (GUEST_RAM1_BASE + GUEST_RAM1_SIZE) >> 12);
	assert_int_equal(1u << XENFEAT_dom0, 0x800);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(xen_errno_values_equal_linux_errno),
	    cmocka_unit_test(xenstore_error_table_has_unique_names_and_numbers),
	    cmocka_unit_test(xenstore_error_names_match_their_numbers),
	    cmocka_unit_test(guest_memory_map_regions_do_not_overlap),
	    cmocka_unit_test(magic_pages_fit_in_the_magic_window),
	    cmocka_unit_test(two_level_event_layout_covers_every_port),
	    cmocka_unit_test(grant_frame_holds_512_v1_entries),
	    cmocka_unit_test(console_ring_masks_wrap_free_running_indices),
	    cmocka_unit_test(xenstore_message_types_follow_the_wire_numbers),
	    cmocka_unit_test(arm_hypercall_convention_constants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
#ifndef PUBLIC_ARCH_ARM_H
#define PUBLIC_ARCH_ARM_H

/*
 * Arm64 specifics of the Xen guest ABI: how a guest makes a hypercall, the state a vCPU starts
 * in, and the guest-physical map Xen's toolstack gives domUs (which Punt reuses, so that
 * device trees written for Xen guests stay valid).
 *
 * Hypercall convention: HVC #XEN_HYPERCALL_TAG with the hypercall number in x16 and up to five
 * arguments in x0..x4; the result (a negative XEN_E* value on error) comes back in x0. The
 * hypervisor may clobber x16 and the argument registers; everything else is preserved.
 * HVC #0 is not a Xen hypercall: it is an SMCCC/PSCI call with the function id in w0.
 */

#define XEN_HYPERCALL_TAG      0xEA1
#define XEN_HYPERCALL_NR_REG   16 /* x16 */
#define XEN_HYPERCALL_MAX_ARGS 5

/* Guest pages are always 4 KiB, whatever the guest's own granule. */
#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE  (1ull << XEN_PAGE_SHIFT)

/* Initial vCPU state: EL1h with D, A, I, F masked; MMU and caches off. */
#define PSR_GUEST64_INIT 0x3C5ull
#define SCTLR_GUEST_INIT 0x00C50078ull

/* Guest physical map (domU). */
#define GUEST_VIRTIO_MMIO_BASE	    0x02000000ull
#define GUEST_VIRTIO_MMIO_SIZE	    0x00100000ull
#define GUEST_VIRTIO_MMIO_SPI_FIRST 33
#define GUEST_VIRTIO_MMIO_SPI_LAST  43

#define GUEST_GICV3_GICD_BASE	  0x03001000ull
#define GUEST_GICV3_GICD_SIZE	  0x00010000ull
#define GUEST_GICV3_RDIST_REGIONS 1
#define GUEST_GICV3_GICR0_BASE	  0x03020000ull /* vCPU 0..127 */
#define GUEST_GICV3_GICR0_SIZE	  0x01000000ull
#define GUEST_GICV3_RDIST_STRIDE  0x00020000ull /* 128 KiB per vCPU: RD_base + SGI_base */

#define GUEST_VPCI_ECAM_BASE 0x10000000ull
#define GUEST_VPCI_ECAM_SIZE 0x10000000ull

#define GUEST_ACPI_BASE 0x20000000ull
#define GUEST_ACPI_SIZE 0x02000000ull

#define GUEST_PL011_BASE 0x22000000ull
#define GUEST_PL011_SIZE 0x00001000ull

#define GUEST_VPCI_MEM_BASE 0x23000000ull
#define GUEST_VPCI_MEM_SIZE 0x10000000ull

/* Where the guest maps its grant-table frames (the /hypervisor node's reg entry 0). */
#define GUEST_GNTTAB_BASE 0x38000000ull
#define GUEST_GNTTAB_SIZE 0x01000000ull

/* "Magic" pages (console and xenstore rings, ...) live outside RAM, one page each. */
#define GUEST_MAGIC_BASE     0x39000000ull
#define GUEST_MAGIC_SIZE     0x01000000ull
#define CONSOLE_PFN_OFFSET   0
#define XENSTORE_PFN_OFFSET  1
#define MEMACCESS_PFN_OFFSET 2
#define VUART_PFN_OFFSET     3
#define NR_MAGIC_PAGES	     4

#define GUEST_RAM_BANKS 2
#define GUEST_RAM0_BASE 0x40000000ull /* up to 3 GiB of low RAM at 1 GiB */
#define GUEST_RAM0_SIZE 0xC0000000ull
#define GUEST_RAM1_BASE 0x0200000000ull /* up to 1016 GiB at 8 GiB */
#define GUEST_RAM1_SIZE 0xFE00000000ull
#define GUEST_RAM_BASE	GUEST_RAM0_BASE

#define GUEST_VPCI_PREFETCH_MEM_BASE 0x100000000ull
#define GUEST_VPCI_PREFETCH_MEM_SIZE 0x100000000ull

#define GUEST_MAX_VCPUS 128
_Static_assert(GUEST_GICV3_GICR0_SIZE / GUEST_GICV3_RDIST_STRIDE >= GUEST_MAX_VCPUS,
	       "the redistributor region holds one frame pair per vCPU");

/* Interrupts (GIC INTIDs). */
#define GUEST_TIMER_VIRT_PPI	27
#define GUEST_TIMER_PHYS_S_PPI	29
#define GUEST_TIMER_PHYS_NS_PPI 30
#define GUEST_EVTCHN_PPI	31
#define GUEST_VPL011_SPI	32

/* The guest GIC's phandle in device trees built for guests. */
#define GUEST_PHANDLE_GIC 65000

#endif

// SPDX-License-Identifier: MIT
#ifndef PUBLIC_PHYSDEV_H
#define PUBLIC_PHYSDEV_H

/*
 * physdev_op (hypercall 33): x0 = command, x1 = argument (guest VA). dom0 reports its PCI
 * devices; Linux only logs failures, so answering -XEN_ENOSYS is acceptable.
 */

#include "xen.h"

#define PHYSDEVOP_manage_pci_add     15
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_pci_device_add     25
#define PHYSDEVOP_pci_device_remove  26

struct physdev_pci_device_add {
	uint16_t seg;
	uint8_t bus;
	uint8_t devfn;
	uint32_t flags;
	struct {
		uint8_t bus;
		uint8_t devfn;
	} physfn;
	uint16_t pad0;
	uint32_t optarr[]; /* optional data selected by flags */
};
XEN_CHECK_OFFSET(struct physdev_pci_device_add, seg, 0);
XEN_CHECK_OFFSET(struct physdev_pci_device_add, bus, 2);
XEN_CHECK_OFFSET(struct physdev_pci_device_add, devfn, 3);
XEN_CHECK_OFFSET(struct physdev_pci_device_add, flags, 4);
XEN_CHECK_OFFSET(struct physdev_pci_device_add, physfn, 8);
XEN_CHECK_OFFSET(struct physdev_pci_device_add, physfn.devfn, 9);
XEN_CHECK_SIZE(struct physdev_pci_device_add, 12);

#endif

// SPDX-License-Identifier: MIT
#ifndef PUBLIC_HVM_PARAMS_H
#define PUBLIC_HVM_PARAMS_H

/* Per-domain parameters read with HVMOP_get_param. Parameters never set read as 0. */

/*
 * How events are delivered: bits 63:56 type (PPI on Arm), bits 15:8 flags, bits 7:0 the PPI.
 * Only read by ACPI-booted dom0s; device-tree guests find the PPI in /hypervisor.
 */
#define HVM_PARAM_CALLBACK_IRQ			   0
#define HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT	   56
#define HVM_PARAM_CALLBACK_TYPE_PPI		   2ull
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_SHIFT	   8
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_MASK	   0xFF00ull
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL 2ull

#define HVM_PARAM_STORE_PFN	   1  /* GFN of the xenstore ring; 0 for dom0 */
#define HVM_PARAM_STORE_EVTCHN	   2  /* guest port of the xenstore channel; 0 for dom0 */
#define HVM_PARAM_CONSOLE_PFN	   17 /* GFN of the PV console ring */
#define HVM_PARAM_CONSOLE_EVTCHN   18 /* guest port of the PV console channel */
#define HVM_PARAM_MONITOR_RING_PFN 28 /* the toolstack's vm_event ring (not the guest's) */

/* STORE_PFN value telling the guest the xenstore page will be set up later (dom0less). */
#define XENSTORE_PFN_LATE_ALLOC 0xFFFFFFFFFFFFFFFFull

#endif

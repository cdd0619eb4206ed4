// SPDX-License-Identifier: Apache-2.0
/*
 * Every public ABI header in one translation unit, with nothing else: the Makefile compiles it
 * for the host with -Wpadded (no hidden padding may reach a guest) and with the freestanding
 * aarch64 cross compiler (the hypervisor's view), syntax only.
 */
#include "public/xen.h"
#include "public/domctl.h"
#include "public/sysctl.h"
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

/* Instantiates the xenstore error table so the X-macro is expanded and compiled too. */
const struct xsd_errors public_abi_all_xsd_errors[] = {XSD_ERROR_LIST(XSD_ERROR_ENTRY)};

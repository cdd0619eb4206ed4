// SPDX-License-Identifier: Apache-2.0
/*
 * The Xen guest ABI for micro-guests: Punt's own public headers (hyp/include/public), the same
 * definitions the hypervisor is built from, so a layout mistake cannot hide on both sides
 * of a test.
 */
#ifndef RT_XEN_H
#define RT_XEN_H

#include <public/errno.h>
#include <public/event_channel.h>
#include <public/features.h>
#include <public/grant_table.h>
#include <public/hvm_op.h>
#include <public/hvm_params.h>
#include <public/memory.h>
#include <public/platform.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/vm_assist.h>
#include <public/xen.h>

#endif

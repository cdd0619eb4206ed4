// SPDX-License-Identifier: Apache-2.0
/* console_io for the control domain, and VIRQ_CONSOLE when input arrives for it. */
#include <public/errno.h>
#include <public/xen.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>

#define CHUNK 256

void console_input_notify(void)
{
	struct domain *dom0 = domain_lookup(0);

	if (dom0)
		evtchn_send_global_virq(dom0, VIRQ_CONSOLE);
}

/*
 * Between chunks the write may stop and continue with what is left, as Xen's
 * guest_console_write does (continuation "iih": CONSOLEIO_write, the count
 * left, the buffer moved on).
 */
static long console_write(uint32_t count, uint64_t buf)
{
	char chunk[CHUNK];

	for (bool first = true; count; first = false) {
		if (!first && hypercall_preempt_check())
			return hypercall_continue(3,
						  (const uint64_t[]){CONSOLEIO_write, count, buf});
		size_t n = count < CHUNK ? count : CHUNK;
		if (copy_from_guest(chunk, buf, n))
			return -XEN_EFAULT;
		console_write_guest(chunk, n);
		buf += n;
		count -= n;
	}
	return 0;
}

static long console_read(uint32_t count, uint64_t buf)
{
	char chunk[CHUNK];

	/* The result is a count or an error: more than INT_MAX could be neither. */
	if (count > INT32_MAX)
		return -XEN_E2BIG;
	size_t n = console_take_input(chunk, count < CHUNK ? count : CHUNK);

	if (n && copy_to_guest(buf, chunk, n))
		return -XEN_EFAULT;
	return (long)n;
}

long do_console_io(struct vcpu *v, uint64_t cmd, uint64_t count, uint64_t buf, uint64_t a3,
		   uint64_t a4)
{
	(void)a3;
	(void)a4;
	/*
	 * Only the control domain may: a boot-time domU prints through its UART or PV console
	 * (Xen accepts dom0less domains' writes but never prints them on a release build).
	 */
	if (!v->domain->privileged)
		return -XEN_EPERM;
	/* console_io(unsigned int cmd, unsigned int count, ...) in Xen: upper halves ignored. */
	switch ((uint32_t)cmd) {
	case CONSOLEIO_write:
		return console_write((uint32_t)count, buf);
	case CONSOLEIO_read:
		return console_read((uint32_t)count, buf);
	default:
		return -XEN_ENOSYS;
	}
}

// SPDX-License-Identifier: Apache-2.0
/* xen_version: Punt presents itself as Xen 4.17 (the ABI it implements), extraversion "-punt". */
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>
#include <punt/arch/mm.h>
#include <punt/domain.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>
#include <punt/main.h>
#include <punt/string.h>

/* What Xen gives a domain for information it may not see (xen_deny()). */
#define DENIED "<denied>"

#define PUNT_XEN_MAJOR 4
#define PUNT_XEN_MINOR 17
/*
 * What XENVER_platform_parameters reports as virt_start: Xen 4.17's own on arm64
 * (HYPERVISOR_VIRT_START). A translated Arm guest has no use for it, but toolstacks print
 * it (xl info's platform_params), so Punt gives the same answer as Xen.
 */
#define XEN_ARM64_VIRT_START 0x200000UL
#define NT_GNU_BUILD_ID	     3

struct elf_note {
	uint32_t namesz, descsz, type;
};

static uint32_t features_of(struct domain *d)
{
	uint32_t f =
	    (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_auto_translated_physmap) |
	    (1u << XENFEAT_memory_op_vnode_supported) | (1u << XENFEAT_ARM_SMCCC_supported);

	if (d->privileged)
		f |= 1u << XENFEAT_dom0;
	f |= d->direct_mapped ? 1u << XENFEAT_direct_mapped : 1u << XENFEAT_not_direct_mapped;
	return f;
}

static long copy_string_out(uint64_t arg, const char *s, size_t field)
{
	char buf[XEN_CAPABILITIES_LEN];

	if (field > sizeof(buf))
		field = sizeof(buf);
	memset(buf, 0, field);
	memcpy(buf, s, strnlen(s, field - 1));
	return copy_to_guest(arg, buf, field) ? -XEN_EFAULT : 0;
}

/* The id inside the build-id note: an ELF note named "GNU", its descriptor the id. */
static const uint8_t *build_id_bytes(uint32_t *len)
{
	size_t size;
	const struct elf_note *n = arch_image_build_id_note(&size);
	const uint8_t *name = (const uint8_t *)(n + 1);

	if (size < sizeof(*n) + 4 || n->type != NT_GNU_BUILD_ID || n->namesz != 4 ||
	    memcmp(name, "GNU", 4) != 0 || n->descsz == 0 || n->descsz > size - sizeof(*n) - 4)
		return NULL;
	*len = n->descsz;
	return name + 4;
}

/*
 * XENVER_build_id as Xen 4.17 answers it (xen/common/kernel.c): the control domain only; a
 * null argument asks for the length; a buffer length of 0 is -EINVAL, a short one -ENOBUFS.
 */
static long build_id(struct domain *d, uint64_t arg)
{
	struct xen_build_id head;
	const uint8_t *id;
	uint32_t len;

	if (!d->privileged)
		return -XEN_EPERM;
	if (arg) {
		if (copy_from_guest(&head, arg, sizeof(head)))
			return -XEN_EFAULT;
		if (head.len == 0)
			return -XEN_EINVAL;
	}
	id = build_id_bytes(&len);
	if (!id)
		return -XEN_ENODATA;
	if (!arg)
		return len;
	if (len > head.len)
		return -XEN_ENOBUFS;
	if (copy_to_guest(arg + sizeof(head), id, len))
		return -XEN_EFAULT;
	return len;
}

/*
 * Xen takes the command as an int (xen/include/hypercall-defs.c): x0's upper half is ignored.
 * Every command is non-negative, so the low half compared unsigned gives the same answers.
 */
/*
 * Every command but XENVER_version: out of line, since some build their answer in a large
 * structure on the stack, and the cheapest hypercall should not set up that frame.
 */
static long __attribute__((noinline)) xen_version_info(struct vcpu *v, uint32_t cmd, uint64_t arg)
{
	switch (cmd) {
	case XENVER_extraversion:
		return copy_string_out(arg, "-punt", XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info: {
		struct xen_compile_info info;
		memset(&info, 0, sizeof(info));
		memcpy(info.compiler, "gcc " __VERSION__,
		       strnlen("gcc " __VERSION__, sizeof(info.compiler) - 1));
		memcpy(info.compile_by, "punt", 4);
		memcpy(info.compile_domain, "punt", 4);
		memcpy(info.compile_date, __DATE__,
		       strnlen(__DATE__, sizeof(info.compile_date) - 1));
		return copy_to_guest(arg, &info, sizeof(info)) ? -XEN_EFAULT : 0;
	}
	case XENVER_capabilities:
		return copy_string_out(arg, "xen-3.0-aarch64 ", XEN_CAPABILITIES_LEN);
	case XENVER_changeset:
		return copy_string_out(arg, "punt", XEN_CHANGESET_LEN);
	case XENVER_platform_parameters: {
		struct xen_platform_parameters p = {.virt_start = XEN_ARM64_VIRT_START};
		return copy_to_guest(arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
	}
	case XENVER_get_features: {
		struct xen_feature_info fi;
		if (copy_from_guest(&fi, arg, sizeof(fi)))
			return -XEN_EFAULT;
		if (fi.submap_idx != 0)
			return -XEN_EINVAL;
		fi.submap = features_of(v->domain);
		return copy_to_guest(arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
	}
	case XENVER_pagesize:
		/* No argument is taken: one given is a mistake (Xen public/version.h). */
		return arg ? -XEN_EINVAL : 4096;
	case XENVER_guest_handle: {
		uint8_t handle[XEN_GUEST_HANDLE_LEN] = {0};
		return copy_to_guest(arg, handle, sizeof(handle)) ? -XEN_EFAULT : 0;
	}
	case XENVER_commandline:
		/* The hypervisor's command line is the control domain's; others read "<denied>". */
		if (!v->domain->privileged)
			return copy_to_guest(arg, DENIED, sizeof(DENIED)) ? -XEN_EFAULT : 0;
		return copy_string_out(arg, punt_command_line(), XEN_COMMANDLINE_LEN);
	case XENVER_build_id:
		return build_id(v->domain, arg);
	default:
		return -XEN_ENOSYS;
	}
}

long do_xen_version(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
		    uint64_t a4)
{
	(void)a2;
	(void)a3;
	(void)a4;
	if ((uint32_t)cmd == XENVER_version)
		return (PUNT_XEN_MAJOR << 16) | PUNT_XEN_MINOR;
	return xen_version_info(v, (uint32_t)cmd, arg);
}

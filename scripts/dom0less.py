#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Device trees for domains started at boot (Xen's dom0less `xen,domain` binding).

The tree is QEMU's own for the shared command line (qemu.dump_dtb), so Punt and Xen 4.17
boot the very same one. Guests reuse the kernel and initramfs that the guest-loader devices
already place in RAM; dom0's module nodes can be dropped for a machine without dom0.
"""

import shutil
import subprocess

import qemu

# QEMU names the guest-loader nodes with a 0x prefix.
KERNEL_MODULE = f"/chosen/module@{qemu.DOM0_KERNEL_ADDR:#x}"
RAMDISK_MODULE = f"/chosen/module@{qemu.DOM0_INITRD_ADDR:#x}"


def fdtput(dtb, *args):
    argv = ["fdtput", str(dtb)] + [str(a) for a in args]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.strip()}")


def add_domain(dtb, name, bootargs, vcpus=2, memory_kib=262144, with_memory=True,
               kernel=(qemu.DOM0_KERNEL_ADDR, None), ramdisk=(qemu.DOM0_INITRD_ADDR, None),
               extra=(), vpl011=True, enhanced=False):
    """Add /chosen/NAME as a xen,domain with an emulated UART and the given modules.

    kernel/ramdisk are (address, size); a size of None means the size of the standard
    dom0 kernel/initramfs, which the guest-loader devices put at those addresses. ramdisk
    None leaves it out. extra: (property, type, values...) tuples for fdtput -t.
    """
    node = f"/chosen/{name}"
    fdtput(dtb, "-c", node)
    fdtput(dtb, "-t", "s", node, "compatible", "xen,domain")
    fdtput(dtb, "-t", "i", node, "#address-cells", 2)
    fdtput(dtb, "-t", "i", node, "#size-cells", 2)
    if with_memory:
        fdtput(dtb, "-t", "i", node, "memory", 0, memory_kib)
    fdtput(dtb, "-t", "i", node, "cpus", vcpus)
    if vpl011:
        fdtput(dtb, "-t", "s", node, "vpl011", "")
    if enhanced:
        fdtput(dtb, "-t", "s", node, "xen,enhanced", "enabled")
    for prop, kind, *values in extra:
        fdtput(dtb, "-t", kind, node, prop, *values)
    modules = [("kernel", kernel, qemu.DOM0_KERNEL)]
    if ramdisk:
        modules.append(("ramdisk", ramdisk, qemu.DOM0_INITRD))
    for kind, (addr, size), default in modules:
        size = default.stat().st_size if size is None else size
        module = f"{node}/module@{addr:x}"
        fdtput(dtb, "-c", module)
        fdtput(dtb, "-t", "s", module, "compatible", f"multiboot,{kind}", "multiboot,module")
        fdtput(dtb, "-t", "x", module, "reg", 0, f"{addr:x}", 0, f"{size:x}")
    fdtput(dtb, "-t", "s", f"{node}/module@{kernel[0]:x}", "bootargs", bootargs)
    return node


def without_dom0(src, dst):
    """Copy QEMU's tree to dst without dom0's modules: only xen,domain guests will run."""
    shutil.copyfile(src, dst)
    subprocess.run(["fdtput", "-r", str(dst), KERNEL_MODULE, RAMDISK_MODULE], check=True)
    return dst

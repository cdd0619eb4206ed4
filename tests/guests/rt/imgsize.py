# SPDX-License-Identifier: Apache-2.0
"""Write the Image header's image_size (offset 16): the span from _head to _end, .bss included.

A position-independent link cannot store that link-time constant without a dynamic relocation,
so the build fills it in after objcopy.
"""
import struct
import subprocess
import sys


def symbols(elf):
    out = subprocess.run(["aarch64-linux-gnu-nm", elf], check=True, capture_output=True,
                         text=True).stdout
    return {f[2]: int(f[0], 16) for f in (l.split() for l in out.splitlines()) if len(f) == 3}


def main(elf, image):
    syms = symbols(elf)
    size = syms["_end"] - syms["_head"]
    with open(image, "r+b") as f:
        f.seek(0x38)
        if f.read(4) != b"ARM\x64":
            sys.exit(f"{image}: no arm64 Image magic")
        f.seek(16)
        f.write(struct.pack("<Q", size))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

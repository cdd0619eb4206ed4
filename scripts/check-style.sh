#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Style gate for C sources: clang-format with the project's config, cppcheck on the
# hypervisor and tools, and the header tiers (what generic code and the guest ABI may
# include). Prints what is wrong and exits non-zero.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
mapfile -t sources < <(git ls-files '*.c' '*.h' 2>/dev/null | grep -v '^tests/unit/fixtures/')
if ! clang-format --dry-run --Werror "${sources[@]}" 2>/tmp/punt-format.$$; then
	echo "clang-format: these files need formatting (clang-format -i FILE):"
	grep -o '^[^:]*\.[ch]' /tmp/punt-format.$$ | sort -u | sed 's/^/  /'
	status=1
fi
rm -f /tmp/punt-format.$$

config=(-DCONFIG_NR_CPUS=64 -DCONFIG_DOM0_MAX_VCPUS=64 -DCONFIG_LOG_RING_SIZE=16384
	-DCONFIG_STACK_SIZE_ORDER=2 -DCONFIG_DEBUG_KEYS=1 -DCONFIG_CRASH_TEST=1 -D__aarch64__)
if ! cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
	--enable=warning,performance,portability "${config[@]}" \
	-I hyp/include -I hyp/arch/arm64/include -i hyp/arch/fake hyp; then
	echo "cppcheck: findings in hyp/"
	status=1
fi
# The fake architecture (host unit tests) has its own punt/arch/types.h.
if ! cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
	--enable=warning,performance,portability -DCONFIG_NR_CPUS=8 \
	-I hyp/include -I hyp/arch/fake/include hyp/arch/fake; then
	echo "cppcheck: findings in hyp/arch/fake/"
	status=1
fi
if [ -d tools/xenstored ] && ! cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
	--enable=warning,performance,portability -I hyp/include tools/xenstored; then
	echo "cppcheck: findings in tools/xenstored/"
	status=1
fi
# The guest ABI headers stand alone: a guest kernel or a tool takes them without the rest.
bad=$(grep -rn '#include' hyp/include/public | grep -v '#include <public/' |
	grep -v '#include <std\(int\|def\|bool\)\.h>' |
	grep -v '#include "\([a-z_]*/\)\?[a-z_-]*\.h"' | grep -v '#include "\.\./[a-z_-]*\.h"')
if [ -n "$bad" ]; then
	echo "public headers may include only public (and C standard) headers:"
	echo "$bad" | sed 's/^/  /'
	status=1
fi
# The tiers (docs/design/hypervisor.md, "Tiers"): generic code (core, lib, drivers) and the
# headers it includes (punt/, the contract in punt/arch/, and each architecture's
# punt/arch/types.h) include only punt/, public/ and C standard headers, never an
# architecture's asm/ internals; and generic code names no field of the architecture's state.
std='std\(int\|def\|bool\|arg\)\.h'
tiered=$(git ls-files 'hyp/core/*.[ch]' 'hyp/lib/*.[ch]' 'hyp/drivers/*.[ch]' 'hyp/include/punt/*.h' \
	'hyp/include/punt/**/*.h' 'hyp/arch/*/include/punt/*.h' 'hyp/arch/*/include/punt/**/*.h')
bad=$(grep -n '#include' $tiered | grep -v "#include [<\"]\(punt\|public\)/[a-z0-9_/-]*\.h[>\"]" |
	grep -v "#include <$std>")
if [ -n "$bad" ]; then
	echo "generic code and punt/ headers may include only punt/, public/ and C standard headers:"
	echo "$bad" | sed 's/^/  /'
	status=1
fi
bad=$(git ls-files 'hyp/core/*.[ch]' 'hyp/lib/*.[ch]' 'hyp/drivers/*.[ch]' |
	xargs grep -n '\(->\|\.\)arch\b' | grep -v ':[0-9]*:\s*\(/\*\|\*\)')
if [ -n "$bad" ]; then
	echo "generic code may not reach into the architecture's state (ask the contract, punt/arch/):"
	echo "$bad" | sed 's/^/  /'
	status=1
fi
# Comments cite what a reader of this repository can open, not a document it does not hold.
bad=$(git grep -n '§' -- '*.c' '*.h' '*.S' '*.py' '*.md' 2>/dev/null)
if [ -n "$bad" ]; then
	echo "comments cite a section (§) of a document that is not in this repository:"
	echo "$bad" | sed 's/^/  /'
	status=1
fi
[ $status -eq 0 ] && echo "style: clang-format, cppcheck, header tiers and citations clean"
exit $status

// SPDX-License-Identifier: Apache-2.0
/*
 * Included first in every C file of the hypervisor (hyp/Makefile, -include). Punt is one
 * position-independent image that exports nothing, but -fvisibility=hidden only marks what a
 * file defines: a call to a function another file defines still went through the GOT (an
 * address load, then an indirect branch). Declarations hidden too make every such call a
 * direct BL and every reference to another file's data PC-relative, and leave the GOT with
 * nothing but what the assembly asks for (docs/design/hypervisor.md, "Exceptions and the run
 * loop").
 */
#ifndef PUNT_VISIBILITY_H
#define PUNT_VISIBILITY_H

#pragma GCC visibility push(hidden)

#endif

// SPDX-License-Identifier: Apache-2.0
/* Every symbol is local to the image: PC-relative references, no GOT (see rt_relocate()). */
#pragma GCC visibility push(hidden)

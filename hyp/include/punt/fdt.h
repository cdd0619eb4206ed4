// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_FDT_H
#define PUNT_FDT_H

/*
 * Flattened device tree (DTB, version 17) reader and writer.
 *
 * Reader: nodes and properties are named by byte offsets into the structure block, as in
 * libfdt; a negative value means "not found" or "error". The blob is untrusted: call
 * fdt_validate() once with the size of the buffer that holds it. After that every other
 * reader function stays inside the blocks the header describes, and a node never nests
 * deeper than FDT_MAX_DEPTH, which bounds every walk. The reader keeps no state.
 *
 * Writer: builds a blob sequentially in a caller-provided buffer (no allocation). Errors are
 * sticky: after the first failure every call does nothing and fdtw_finish() reports it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC     0xd00dfeedu
#define FDT_MAX_DEPTH 32

/* 0 if the blob fits in max_size bytes and is well formed; else -1 and *why (if why) is a
 * static message such as "bad magic" or "unbalanced nodes". Walks the whole struct block. */
int fdt_validate(const void *fdt, size_t max_size, const char **why);
size_t fdt_total_size(const void *fdt);

int fdt_root(const void *fdt);
/* Next node in document order; *depth (if depth) is incremented on entering a child and
 * decremented per node closed. From node < 0 it returns the root with *depth = 0. */
int fdt_next_node(const void *fdt, int node, int *depth);
int fdt_first_child(const void *fdt, int node);
int fdt_next_sibling(const void *fdt, int node);
int fdt_parent(const void *fdt, int node);
/* Depth of node (root = 0), or -1. */
int fdt_node_depth(const void *fdt, int node);
/* Full name, "pl011@9000000"; the root is "". */
const char *fdt_node_name(const void *fdt, int node);

/* "/chosen", "/pl011@9000000"; a component without '@' also matches a node whose name up to
 * its '@' equals it. A path not starting with '/' starts with an alias from /aliases. A
 * trailing ":options" (stdout-path "/pl011@9000000:115200n8") is ignored. */
int fdt_path(const void *fdt, const char *path);
int fdt_path_len(const void *fdt, const char *path, size_t len);

const void *fdt_prop(const void *fdt, int node, const char *name, int *len);
bool fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t *out);
/* NULL if absent or not NUL-terminated. */
const char *fdt_prop_string(const void *fdt, int node, const char *name);
/* True if any string of node's "compatible" list equals compat. */
bool fdt_is_compatible(const void *fdt, int node, const char *compat);
/* Next node after `after` (-1: from the root) compatible with compat. */
int fdt_find_compatible(const void *fdt, int after, const char *compat);
/* Node whose "phandle" or "linux,phandle" is phandle (0 and ~0 never match). */
int fdt_node_by_phandle(const void *fdt, uint32_t phandle);
/* Largest phandle used in the tree, 0 if none. */
uint32_t fdt_max_phandle(const void *fdt);

/* #address-cells / #size-cells that node gives its children: default 2 / 1 (DT spec). */
uint32_t fdt_address_cells(const void *fdt, int node);
uint32_t fdt_size_cells(const void *fdt, int node);
/* As above, but an absent property is inherited from the nearest ancestor that has it
 * (Xen's early boot parser does this; QEMU's guest-loader modules rely on it). */
uint32_t fdt_inherited_address_cells(const void *fdt, int node);
uint32_t fdt_inherited_size_cells(const void *fdt, int node);
/* Entry index of node's "reg", with the parent's cells (at most 2 each, address >= 1). */
bool fdt_reg(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size);
/* Same with explicit cell counts. */
bool fdt_reg_cells(const void *fdt, int node, int index, uint32_t address_cells,
		   uint32_t size_cells, uint64_t *addr, uint64_t *size);
/* "status" absent, "okay" or "ok". */
bool fdt_is_available(const void *fdt, int node);
/* ncells big-endian cells (only the low 64 bits are kept); unaligned-safe. */
uint64_t fdt_read_cells(const void *p, unsigned ncells);

int fdt_first_prop(const void *fdt, int node);
int fdt_next_prop(const void *fdt, int prop);
const void *fdt_prop_at(const void *fdt, int prop, const char **name, int *len);

int fdt_num_mem_rsv(const void *fdt);
bool fdt_mem_rsv(const void *fdt, int i, uint64_t *addr, uint64_t *size);
uint32_t fdt_boot_cpuid(const void *fdt);

struct fdt_writer {
	uint8_t *buf;
	size_t size;
	/* private */
	size_t struct_off;  /* start of the structure block (after the reserve map) */
	size_t pos;	    /* next free byte of the structure block */
	size_t strings_len; /* strings grow down from buf + size */
	unsigned depth;
	bool in_struct; /* first node begun: no more reservations */
	uint32_t boot_cpuid;
	const char *error;
};

void fdtw_init(struct fdt_writer *w, void *buf, size_t size, uint32_t boot_cpuid);
/* Only before the first node. */
void fdtw_add_mem_rsv(struct fdt_writer *w, uint64_t addr, uint64_t size);
void fdtw_begin_node(struct fdt_writer *w, const char *name);
void fdtw_prop(struct fdt_writer *w, const char *name, const void *data, size_t len);
void fdtw_prop_u32(struct fdt_writer *w, const char *name, uint32_t v);
/* Host-order cells in, big-endian out. */
void fdtw_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, size_t n);
/* Each value as cells_per_val (1 or 2) big-endian cells; a value too big for one cell is an
 * error. */
void fdtw_prop_reg(struct fdt_writer *w, const char *name, const uint64_t *vals, size_t n,
		   unsigned cells_per_val);
void fdtw_prop_string(struct fdt_writer *w, const char *name, const char *s);
void fdtw_prop_strings(struct fdt_writer *w, const char *name, const char *const *list, size_t n);
void fdtw_end_node(struct fdt_writer *w);
/* 0 and *total = blob size; or -1 with w->error ("buffer too small", "unbalanced nodes", …). */
int fdtw_finish(struct fdt_writer *w, size_t *total);

#endif

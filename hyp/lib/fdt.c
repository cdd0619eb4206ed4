// SPDX-License-Identifier: Apache-2.0
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "punt/fdt.h"
#include "punt/string.h"

/* Devicetree Specification v0.4, chapter 5: header fields (all big-endian u32). */
#define HDR_MAGIC	0
#define HDR_TOTALSIZE	4
#define HDR_OFF_STRUCT	8
#define HDR_OFF_STRINGS 12
#define HDR_OFF_RSVMAP	16
#define HDR_VERSION	20
#define HDR_LAST_COMP	24
#define HDR_BOOT_CPUID	28
#define HDR_SIZE_STRS	32
#define HDR_SIZE_STRUCT 36
#define HDR_LEN		40

#define TAG_BAD	       0u /* not a token: out of bounds or unknown */
#define TAG_BEGIN_NODE 1u
#define TAG_END_NODE   2u
#define TAG_PROP       3u
#define TAG_NOP	       4u
#define TAG_END	       9u

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint32_t hdr(const void *fdt, unsigned field)
{
	return be32((const uint8_t *)fdt + field);
}

static const uint8_t *struct_base(const void *fdt)
{
	return (const uint8_t *)fdt + hdr(fdt, HDR_OFF_STRUCT);
}

static size_t struct_size(const void *fdt)
{
	return hdr(fdt, HDR_SIZE_STRUCT);
}

static size_t align4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

/*
 * Decodes the token at off: returns its tag and sets *next to the offset of the following
 * token. Every byte the token covers is checked to lie inside the structure block.
 */
static uint32_t next_tag(const void *fdt, int off, int *next)
{
	const uint8_t *s = struct_base(fdt);
	size_t size = struct_size(fdt);
	size_t p;
	uint32_t tag;

	if (off < 0 || (off & 3) || (size_t)off + 4 > size)
		return TAG_BAD;
	tag = be32(s + off);
	p = (size_t)off + 4;
	switch (tag) {
	case TAG_BEGIN_NODE: {
		const uint8_t *nul = memchr(s + p, 0, size - p);

		if (!nul)
			return TAG_BAD;
		p = (size_t)(nul - s) + 1;
		break;
	}
	case TAG_PROP: {
		uint32_t len;

		if (size - p < 8)
			return TAG_BAD;
		len = be32(s + p);
		p += 8;
		if (len > size - p)
			return TAG_BAD;
		p += len;
		break;
	}
	case TAG_END_NODE:
	case TAG_NOP:
	case TAG_END:
		break;
	default:
		return TAG_BAD;
	}
	p = align4(p);
	if (p > size || p > (size_t)INT32_MAX)
		return TAG_BAD;
	*next = (int)p;
	return tag;
}

/* A NUL-terminated string at offset off of the strings block, or NULL. */
static const char *string_at(const void *fdt, uint32_t off)
{
	const char *base = (const char *)fdt + hdr(fdt, HDR_OFF_STRINGS);
	uint32_t size = hdr(fdt, HDR_SIZE_STRS);

	if (off >= size || !memchr(base + off, 0, size - off))
		return NULL;
	return base + off;
}

size_t fdt_total_size(const void *fdt)
{
	return hdr(fdt, HDR_TOTALSIZE);
}

uint32_t fdt_boot_cpuid(const void *fdt)
{
	return hdr(fdt, HDR_BOOT_CPUID);
}

int fdt_num_mem_rsv(const void *fdt)
{
	size_t total = fdt_total_size(fdt);
	size_t off = hdr(fdt, HDR_OFF_RSVMAP);
	const uint8_t *p = fdt;
	int i;

	for (i = 0; off <= total && total - off >= 16 && i < INT32_MAX; i++, off += 16) {
		if (fdt_read_cells(p + off, 2) == 0 && fdt_read_cells(p + off + 8, 2) == 0)
			return i;
	}
	return -1;
}

bool fdt_mem_rsv(const void *fdt, int i, uint64_t *addr, uint64_t *size)
{
	const uint8_t *e;

	if (i < 0 || i >= fdt_num_mem_rsv(fdt))
		return false;
	e = (const uint8_t *)fdt + hdr(fdt, HDR_OFF_RSVMAP) + (size_t)i * 16;
	*addr = fdt_read_cells(e, 2);
	*size = fdt_read_cells(e + 8, 2);
	return true;
}

static bool header_ok(const void *fdt, size_t max_size, const char **why)
{
	uint64_t total, off, len;

	if (max_size < HDR_LEN) {
		*why = "truncated: buffer smaller than the header";
		return false;
	}
	if (hdr(fdt, HDR_MAGIC) != FDT_MAGIC) {
		*why = "bad magic";
		return false;
	}
	total = hdr(fdt, HDR_TOTALSIZE);
	if (total > max_size) {
		*why = "truncated: totalsize exceeds buffer";
		return false;
	}
	if (total < HDR_LEN) {
		*why = "totalsize smaller than the header";
		return false;
	}
	if (hdr(fdt, HDR_VERSION) < 17 || hdr(fdt, HDR_LAST_COMP) > 17) {
		*why = "unsupported version (need 17)";
		return false;
	}
	off = hdr(fdt, HDR_OFF_STRUCT);
	len = hdr(fdt, HDR_SIZE_STRUCT);
	if (off < HDR_LEN || off + len > total || len > INT32_MAX) {
		*why = "structure block out of bounds";
		return false;
	}
	if (off & 3) {
		*why = "misaligned structure block";
		return false;
	}
	off = hdr(fdt, HDR_OFF_STRINGS);
	len = hdr(fdt, HDR_SIZE_STRS);
	if (off < HDR_LEN || off + len > total) {
		*why = "strings block out of bounds";
		return false;
	}
	off = hdr(fdt, HDR_OFF_RSVMAP);
	if (off < HDR_LEN || (off & 7) || off + 16 > total) {
		*why = "memory reservation map out of bounds";
		return false;
	}
	if (fdt_num_mem_rsv(fdt) < 0) {
		*why = "unterminated memory reservation map";
		return false;
	}
	return true;
}

static const char *bad_token_reason(const void *fdt, int off)
{
	if ((size_t)off + 4 > struct_size(fdt))
		return NULL;
	switch (be32(struct_base(fdt) + off)) {
	case TAG_BEGIN_NODE:
		return "unterminated node name";
	case TAG_PROP:
		return "truncated property";
	default:
		return "bad token";
	}
}

/* One pass over the structure block, checking nesting and every token's bounds. */
static bool struct_ok(const void *fdt, const char **why)
{
	bool has_child[FDT_MAX_DEPTH + 1];
	unsigned depth = 0;
	bool root_done = false;
	int off = 0, next = 0;

	for (;;) {
		uint32_t tag = next_tag(fdt, off, &next);

		switch (tag) {
		case TAG_BEGIN_NODE:
			if (root_done) {
				*why = "more than one root node";
				return false;
			}
			if (depth == FDT_MAX_DEPTH) {
				*why = "nodes nested too deep";
				return false;
			}
			if (depth > 0)
				has_child[depth - 1] = true;
			has_child[depth++] = false;
			break;
		case TAG_PROP:
			if (depth == 0) {
				*why = "property outside a node";
				return false;
			}
			if (has_child[depth - 1]) {
				*why = "property after a child node";
				return false;
			}
			if (!string_at(fdt, be32(struct_base(fdt) + off + 8))) {
				*why = "bad property name offset";
				return false;
			}
			break;
		case TAG_END_NODE:
			if (depth == 0) {
				*why = "unbalanced nodes";
				return false;
			}
			if (--depth == 0)
				root_done = true;
			break;
		case TAG_NOP:
			break;
		case TAG_END:
			if (depth != 0) {
				*why = "unbalanced nodes";
				return false;
			}
			if (!root_done) {
				*why = "no root node";
				return false;
			}
			return true;
		default:
			*why = bad_token_reason(fdt, off);
			if (!*why)
				*why = depth ? "unbalanced nodes" : "missing end token";
			return false;
		}
		off = next;
	}
}

int fdt_validate(const void *fdt, size_t max_size, const char **why)
{
	const char *dummy;

	if (!why)
		why = &dummy;
	if (!fdt) {
		*why = "no device tree";
		return -1;
	}
	if (!header_ok(fdt, max_size, why) || !struct_ok(fdt, why))
		return -1;
	*why = NULL;
	return 0;
}

/* Offset of the first token at or after off that is not a NOP. */
static int skip_nops(const void *fdt, int off)
{
	int next;

	while (next_tag(fdt, off, &next) == TAG_NOP)
		off = next;
	return off;
}

int fdt_root(const void *fdt)
{
	int next;
	int off = skip_nops(fdt, 0);

	return next_tag(fdt, off, &next) == TAG_BEGIN_NODE ? off : -1;
}

int fdt_next_node(const void *fdt, int node, int *depth)
{
	int off, next;

	if (node < 0) {
		if (depth)
			*depth = 0;
		return fdt_root(fdt);
	}
	if (next_tag(fdt, node, &off) != TAG_BEGIN_NODE)
		return -1;
	for (;;) {
		switch (next_tag(fdt, off, &next)) {
		case TAG_BEGIN_NODE:
			if (depth)
				(*depth)++;
			return off;
		case TAG_END_NODE:
			if (depth)
				(*depth)--;
			break;
		case TAG_PROP:
		case TAG_NOP:
			break;
		default:
			return -1;
		}
		off = next;
	}
}

/* Offset of the first token after node's properties, or -1. */
static int after_props(const void *fdt, int node)
{
	int off, next;
	uint32_t tag;

	if (next_tag(fdt, node, &off) != TAG_BEGIN_NODE)
		return -1;
	while ((tag = next_tag(fdt, off, &next)) == TAG_PROP || tag == TAG_NOP)
		off = next;
	return off;
}

int fdt_first_child(const void *fdt, int node)
{
	int next;
	int off = after_props(fdt, node);

	return next_tag(fdt, off, &next) == TAG_BEGIN_NODE ? off : -1;
}

/* Offset just past the END_NODE that closes node, or -1. */
static int node_end(const void *fdt, int node)
{
	unsigned depth = 0;
	int off = node, next;

	for (;;) {
		switch (next_tag(fdt, off, &next)) {
		case TAG_BEGIN_NODE:
			depth++;
			break;
		case TAG_END_NODE:
			if (depth == 0)
				return -1;
			if (--depth == 0)
				return next;
			break;
		case TAG_PROP:
		case TAG_NOP:
			break;
		default:
			return -1;
		}
		off = next;
	}
}

int fdt_next_sibling(const void *fdt, int node)
{
	int next;
	int off = node_end(fdt, node);

	if (off < 0)
		return -1;
	off = skip_nops(fdt, off);
	return next_tag(fdt, off, &next) == TAG_BEGIN_NODE ? off : -1;
}

/* Finds node by walking from the root; sets its depth and parent (-1 for the root). */
static bool locate(const void *fdt, int node, int *depth_out, int *parent_out)
{
	int stack[FDT_MAX_DEPTH + 1];
	int depth = 0;
	int n = fdt_root(fdt);

	while (n >= 0 && n <= node) {
		if (depth < 0 || depth > FDT_MAX_DEPTH)
			return false;
		stack[depth] = n;
		if (n == node) {
			*depth_out = depth;
			*parent_out = depth > 0 ? stack[depth - 1] : -1;
			return true;
		}
		n = fdt_next_node(fdt, n, &depth);
	}
	return false;
}

int fdt_parent(const void *fdt, int node)
{
	int depth, parent;

	return locate(fdt, node, &depth, &parent) ? parent : -1;
}

int fdt_node_depth(const void *fdt, int node)
{
	int depth, parent;

	return locate(fdt, node, &depth, &parent) ? depth : -1;
}

const char *fdt_node_name(const void *fdt, int node)
{
	int next;

	if (next_tag(fdt, node, &next) != TAG_BEGIN_NODE)
		return NULL;
	return (const char *)struct_base(fdt) + node + 4;
}

int fdt_first_prop(const void *fdt, int node)
{
	int off, next;

	if (next_tag(fdt, node, &off) != TAG_BEGIN_NODE)
		return -1;
	off = skip_nops(fdt, off);
	return next_tag(fdt, off, &next) == TAG_PROP ? off : -1;
}

int fdt_next_prop(const void *fdt, int prop)
{
	int off, next;

	if (next_tag(fdt, prop, &off) != TAG_PROP)
		return -1;
	off = skip_nops(fdt, off);
	return next_tag(fdt, off, &next) == TAG_PROP ? off : -1;
}

const void *fdt_prop_at(const void *fdt, int prop, const char **name, int *len)
{
	const uint8_t *p;
	const char *n;
	int next;

	if (next_tag(fdt, prop, &next) != TAG_PROP)
		return NULL;
	p = struct_base(fdt) + prop;
	n = string_at(fdt, be32(p + 8));
	if (!n)
		return NULL;
	if (name)
		*name = n;
	if (len)
		*len = (int)be32(p + 4);
	return p + 12;
}

const void *fdt_prop(const void *fdt, int node, const char *name, int *len)
{
	int prop;

	for (prop = fdt_first_prop(fdt, node); prop >= 0; prop = fdt_next_prop(fdt, prop)) {
		const char *pname;
		int plen;
		const void *data = fdt_prop_at(fdt, prop, &pname, &plen);

		if (data && strcmp(pname, name) == 0) {
			if (len)
				*len = plen;
			return data;
		}
	}
	return NULL;
}

bool fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t *out)
{
	int len;
	const void *p = fdt_prop(fdt, node, name, &len);

	if (!p || len != 4)
		return false;
	*out = be32(p);
	return true;
}

const char *fdt_prop_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *p = fdt_prop(fdt, node, name, &len);

	if (!p || len < 1 || p[len - 1] != '\0')
		return NULL;
	return p;
}

bool fdt_is_compatible(const void *fdt, int node, const char *compat)
{
	int len;
	const char *p = fdt_prop(fdt, node, "compatible", &len);
	size_t want = strlen(compat);

	while (p && len > 0) {
		const char *nul = memchr(p, 0, (size_t)len);
		size_t l = nul ? (size_t)(nul - p) : (size_t)len;

		if (l == want && memcmp(p, compat, l) == 0)
			return true;
		if (!nul)
			break;
		p += l + 1;
		len -= (int)(l + 1);
	}
	return false;
}

int fdt_find_compatible(const void *fdt, int after, const char *compat)
{
	int node = after < 0 ? fdt_root(fdt) : fdt_next_node(fdt, after, NULL);

	for (; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		if (fdt_is_compatible(fdt, node, compat))
			return node;
	}
	return -1;
}

static bool node_phandle(const void *fdt, int node, uint32_t *ph)
{
	return fdt_prop_u32(fdt, node, "phandle", ph) ||
	       fdt_prop_u32(fdt, node, "linux,phandle", ph);
}

int fdt_node_by_phandle(const void *fdt, uint32_t phandle)
{
	int node;

	if (phandle == 0 || phandle == UINT32_MAX)
		return -1;
	for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		uint32_t ph;

		if (node_phandle(fdt, node, &ph) && ph == phandle)
			return node;
	}
	return -1;
}

uint32_t fdt_max_phandle(const void *fdt)
{
	uint32_t max = 0;
	int node;

	for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		uint32_t ph;

		if (node_phandle(fdt, node, &ph) && ph != UINT32_MAX && ph > max)
			max = ph;
	}
	return max;
}

static uint32_t u32_or(const void *fdt, int node, const char *name, uint32_t dflt)
{
	uint32_t v;

	return fdt_prop_u32(fdt, node, name, &v) ? v : dflt;
}

uint32_t fdt_address_cells(const void *fdt, int node)
{
	return u32_or(fdt, node, "#address-cells", 2);
}

uint32_t fdt_size_cells(const void *fdt, int node)
{
	return u32_or(fdt, node, "#size-cells", 1);
}

static uint32_t inherited(const void *fdt, int node, const char *name, uint32_t dflt)
{
	unsigned steps;
	uint32_t v;

	for (steps = 0; node >= 0 && steps <= FDT_MAX_DEPTH; steps++) {
		if (fdt_prop_u32(fdt, node, name, &v))
			return v;
		node = fdt_parent(fdt, node);
	}
	return dflt;
}

uint32_t fdt_inherited_address_cells(const void *fdt, int node)
{
	return inherited(fdt, node, "#address-cells", 2);
}

uint32_t fdt_inherited_size_cells(const void *fdt, int node)
{
	return inherited(fdt, node, "#size-cells", 1);
}

uint64_t fdt_read_cells(const void *p, unsigned ncells)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < ncells; i++)
		v = (v << 32) | be32(b + 4 * i);
	return v;
}

bool fdt_reg_cells(const void *fdt, int node, int index, uint32_t address_cells,
		   uint32_t size_cells, uint64_t *addr, uint64_t *size)
{
	int len;
	const uint8_t *p = fdt_prop(fdt, node, "reg", &len);
	size_t entry = (size_t)(address_cells + size_cells) * 4;

	if (!p || index < 0 || address_cells < 1 || address_cells > 2 || size_cells > 2)
		return false;
	if (len < 0 || (size_t)len / entry <= (size_t)index)
		return false;
	p += (size_t)index * entry;
	*addr = fdt_read_cells(p, address_cells);
	*size = fdt_read_cells(p + 4 * address_cells, size_cells);
	return true;
}

bool fdt_reg(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent(fdt, node);

	if (parent < 0)
		return false;
	return fdt_reg_cells(fdt, node, index, fdt_address_cells(fdt, parent),
			     fdt_size_cells(fdt, parent), addr, size);
}

bool fdt_is_available(const void *fdt, int node)
{
	int len;
	const char *status = fdt_prop(fdt, node, "status", &len);

	if (!status)
		return true;
	return (len == 5 && memcmp(status, "okay", 5) == 0) ||
	       (len == 3 && memcmp(status, "ok", 3) == 0);
}

/* Does the node name match path component c (clen bytes)? */
static bool name_matches(const char *name, const char *c, size_t clen)
{
	if (memchr(c, 0, clen) || strncmp(name, c, clen) != 0)
		return false;
	if (name[clen] == '\0')
		return true;
	return name[clen] == '@' && !memchr(c, '@', clen);
}

/* Follows the '/'-separated components of p[0..len) down from node. */
static int walk(const void *fdt, int node, const char *p, size_t len)
{
	size_t i = 0;

	while (node >= 0 && i < len) {
		size_t start, clen;
		int child;

		while (i < len && p[i] == '/')
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && p[i] != '/')
			i++;
		clen = i - start;
		for (child = fdt_first_child(fdt, node); child >= 0;
		     child = fdt_next_sibling(fdt, child)) {
			const char *name = fdt_node_name(fdt, child);

			if (name && name_matches(name, p + start, clen))
				break;
		}
		node = child;
	}
	return node;
}

/* The path an alias names (a string starting with '/'), or NULL. */
static const char *alias_target(const void *fdt, const char *alias, size_t alen)
{
	int aliases = walk(fdt, fdt_root(fdt), "/aliases", 8);
	int prop;

	if (aliases < 0)
		return NULL;
	for (prop = fdt_first_prop(fdt, aliases); prop >= 0; prop = fdt_next_prop(fdt, prop)) {
		const char *name;
		int len;
		const char *v = fdt_prop_at(fdt, prop, &name, &len);

		if (!v || strlen(name) != alen || memcmp(name, alias, alen) != 0)
			continue;
		if (len < 2 || v[len - 1] != '\0' || v[0] != '/')
			return NULL;
		return v;
	}
	return NULL;
}

int fdt_path_len(const void *fdt, const char *path, size_t len)
{
	const char *colon = memchr(path, ':', len);
	const char *slash, *target;
	size_t alen;
	int node;

	if (colon)
		len = (size_t)(colon - path);
	if (len == 0)
		return -1;
	if (path[0] == '/')
		return walk(fdt, fdt_root(fdt), path, len);
	slash = memchr(path, '/', len);
	alen = slash ? (size_t)(slash - path) : len;
	target = alias_target(fdt, path, alen);
	if (!target)
		return -1;
	node = walk(fdt, fdt_root(fdt), target, strlen(target));
	return walk(fdt, node, path + alen, len - alen);
}

int fdt_path(const void *fdt, const char *path)
{
	return fdt_path_len(fdt, path, strlen(path));
}

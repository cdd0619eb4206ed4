// SPDX-License-Identifier: Apache-2.0
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "punt/fdt.h"
#include "punt/string.h"

/*
 * Layout while writing: header (40 bytes), memory reservation map, structure block growing
 * up from struct_off; the strings block grows down from the end of the buffer. A property's
 * name offset is first stored as the string's distance from the buffer end (fixed while
 * strings are prepended) and rewritten when fdtw_finish() moves the strings after the
 * structure block.
 */

#define HDR_LEN	       40
#define TAG_BEGIN_NODE 1u
#define TAG_END_NODE   2u
#define TAG_PROP       3u
#define TAG_END	       9u

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static bool failed(struct fdt_writer *w, const char *why)
{
	if (!w->error)
		w->error = why;
	return false;
}

static size_t space(const struct fdt_writer *w)
{
	return w->size - w->strings_len - w->pos;
}

/* Reserves len bytes (padded to 4 with zeros) at the struct cursor; NULL on failure. */
static uint8_t *grab(struct fdt_writer *w, size_t len)
{
	size_t padded = (len + 3) & ~(size_t)3;
	uint8_t *p;

	if (w->error)
		return NULL;
	if (padded < len || padded > space(w)) {
		failed(w, "buffer too small");
		return NULL;
	}
	p = w->buf + w->pos;
	memset(p + len, 0, padded - len);
	w->pos += padded;
	return p;
}

void fdtw_init(struct fdt_writer *w, void *buf, size_t size, uint32_t boot_cpuid)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->size = size;
	w->boot_cpuid = boot_cpuid;
	w->pos = HDR_LEN;
	if (!buf || size < HDR_LEN + 16 || size > UINT32_MAX)
		failed(w, "buffer too small");
}

void fdtw_add_mem_rsv(struct fdt_writer *w, uint64_t addr, uint64_t size)
{
	uint8_t *p;

	if (w->error)
		return;
	if (w->in_struct) {
		failed(w, "memory reservation after the first node");
		return;
	}
	p = grab(w, 16);
	if (!p)
		return;
	put64(p, addr);
	put64(p + 8, size);
}

void fdtw_begin_node(struct fdt_writer *w, const char *name)
{
	size_t n = strlen(name);
	uint8_t *p;

	if (w->error)
		return;
	if (!w->in_struct) {
		p = grab(w, 16); /* the reservation map's terminating entry */
		if (!p)
			return;
		memset(p, 0, 16);
		w->in_struct = true;
		w->struct_off = w->pos;
	} else if (w->depth == 0) {
		failed(w, "more than one root node");
		return;
	}
	if (w->depth >= FDT_MAX_DEPTH) {
		failed(w, "nodes nested too deep");
		return;
	}
	p = grab(w, 4 + n + 1);
	if (!p)
		return;
	put32(p, TAG_BEGIN_NODE);
	memcpy(p + 4, name, n + 1);
	w->depth++;
}

/* Distance from the buffer end of name in the strings area, adding it if new; 0 on error. */
static size_t string_ref(struct fdt_writer *w, const char *name)
{
	size_t n = strlen(name) + 1;
	size_t start = w->size - w->strings_len;
	size_t q;

	for (q = start; q + n <= w->size; q++) {
		if (memcmp(w->buf + q, name, n) == 0)
			return w->size - q;
	}
	if (n > space(w)) {
		failed(w, "buffer too small");
		return 0;
	}
	w->strings_len += n;
	memcpy(w->buf + w->size - w->strings_len, name, n);
	return w->strings_len;
}

/* Writes a property header for len bytes of data; returns where the data goes, or NULL. */
static uint8_t *prop_space(struct fdt_writer *w, const char *name, size_t len)
{
	size_t ref;
	uint8_t *p;

	if (w->error)
		return NULL;
	if (w->depth == 0) {
		failed(w, "property outside a node");
		return NULL;
	}
	if (len > UINT32_MAX - 16) {
		failed(w, "property too large");
		return NULL;
	}
	ref = string_ref(w, name);
	p = grab(w, 12 + len);
	if (!p || !ref)
		return NULL;
	put32(p, TAG_PROP);
	put32(p + 4, (uint32_t)len);
	put32(p + 8, (uint32_t)ref);
	return p + 12;
}

void fdtw_prop(struct fdt_writer *w, const char *name, const void *data, size_t len)
{
	uint8_t *p = prop_space(w, name, len);

	if (p && len)
		memcpy(p, data, len);
}

void fdtw_prop_u32(struct fdt_writer *w, const char *name, uint32_t v)
{
	fdtw_prop_cells(w, name, &v, 1);
}

void fdtw_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, size_t n)
{
	uint8_t *p;
	size_t i;

	if (n > (UINT32_MAX - 16) / 4) {
		failed(w, "property too large");
		return;
	}
	p = prop_space(w, name, n * 4);
	for (i = 0; p && i < n; i++)
		put32(p + 4 * i, cells[i]);
}

void fdtw_prop_reg(struct fdt_writer *w, const char *name, const uint64_t *vals, size_t n,
		   unsigned cells_per_val)
{
	uint8_t *p;
	size_t i;

	if (cells_per_val != 1 && cells_per_val != 2) {
		failed(w, "cells per value must be 1 or 2");
		return;
	}
	for (i = 0; i < n; i++) {
		if (cells_per_val == 1 && vals[i] > UINT32_MAX) {
			failed(w, "value does not fit in one cell");
			return;
		}
	}
	if (n > (UINT32_MAX - 16) / 8) {
		failed(w, "property too large");
		return;
	}
	p = prop_space(w, name, n * 4 * cells_per_val);
	for (i = 0; p && i < n; i++) {
		if (cells_per_val == 2)
			put64(p + 8 * i, vals[i]);
		else
			put32(p + 4 * i, (uint32_t)vals[i]);
	}
}

void fdtw_prop_string(struct fdt_writer *w, const char *name, const char *s)
{
	fdtw_prop(w, name, s, strlen(s) + 1);
}

void fdtw_prop_strings(struct fdt_writer *w, const char *name, const char *const *list, size_t n)
{
	size_t total = 0, i;
	uint8_t *p;

	for (i = 0; i < n; i++)
		total += strlen(list[i]) + 1;
	p = prop_space(w, name, total);
	for (i = 0; p && i < n; i++) {
		size_t l = strlen(list[i]) + 1;

		memcpy(p, list[i], l);
		p += l;
	}
}

void fdtw_end_node(struct fdt_writer *w)
{
	uint8_t *p;

	if (w->error)
		return;
	if (w->depth == 0) {
		failed(w, "unbalanced nodes");
		return;
	}
	p = grab(w, 4);
	if (!p)
		return;
	put32(p, TAG_END_NODE);
	w->depth--;
}

/* Rewrites every property's name offset from "distance from the end" to a real offset. */
static void fix_name_offsets(struct fdt_writer *w)
{
	size_t off = w->struct_off;

	while (off < w->pos) {
		uint32_t tag = get32(w->buf + off);

		if (tag == TAG_BEGIN_NODE) {
			off += 4 + ((strlen((const char *)w->buf + off + 4) + 1 + 3) & ~(size_t)3);
		} else if (tag == TAG_PROP) {
			uint32_t len = get32(w->buf + off + 4);
			uint32_t dist = get32(w->buf + off + 8);

			put32(w->buf + off + 8, (uint32_t)(w->strings_len - dist));
			off += 12 + (((size_t)len + 3) & ~(size_t)3);
		} else {
			off += 4;
		}
	}
}

int fdtw_finish(struct fdt_writer *w, size_t *total)
{
	uint8_t *p;
	size_t struct_len, strings_off;

	if (!w->error && !w->in_struct)
		failed(w, "no root node");
	if (!w->error && w->depth != 0)
		failed(w, "unbalanced nodes");
	p = grab(w, 4);
	if (!p)
		return -1;
	put32(p, TAG_END);
	struct_len = w->pos - w->struct_off;
	fix_name_offsets(w);
	strings_off = w->pos;
	memmove(w->buf + strings_off, w->buf + w->size - w->strings_len, w->strings_len);
	put32(w->buf + 0, FDT_MAGIC);
	put32(w->buf + 4, (uint32_t)(strings_off + w->strings_len));
	put32(w->buf + 8, (uint32_t)w->struct_off);
	put32(w->buf + 12, (uint32_t)strings_off);
	put32(w->buf + 16, HDR_LEN);
	put32(w->buf + 20, 17);
	put32(w->buf + 24, 16);
	put32(w->buf + 28, w->boot_cpuid);
	put32(w->buf + 32, (uint32_t)w->strings_len);
	put32(w->buf + 36, (uint32_t)struct_len);
	if (total)
		*total = strings_off + w->strings_len;
	return 0;
}

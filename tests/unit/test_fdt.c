// SPDX-License-Identifier: Apache-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "punt/fdt.h"

static void put_be32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t get_be32(const void *p)
{
	const uint8_t *b = p;

	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static void *qemu(size_t *size)
{
	return load_dtb("qemu-virt", size);
}

static void expect_invalid(const void *blob, size_t size, const char *want)
{
	const char *why = NULL;

	assert_int_equal(fdt_validate(blob, size, &why), -1);
	assert_non_null(why);
	if (strcmp(why, want) != 0)
		fail_msg("expected \"%s\", got \"%s\"", want, why);
}

static void validate_accepts_qemu_dtb(void **state)
{
	size_t size;
	void *blob = qemu(&size);
	const char *why = "unset";

	(void)state;
	assert_int_equal(fdt_validate(blob, size, &why), 0);
	assert_null(why);
	assert_int_equal(fdt_total_size(blob), size);
	free(blob);
}

static void validate_rejects_bad_magic(void **state)
{
	size_t size;
	uint8_t *blob = qemu(&size);

	(void)state;
	blob[0] ^= 0xff;
	expect_invalid(blob, size, "bad magic");
	free(blob);
}

static void validate_rejects_totalsize_beyond_buffer(void **state)
{
	size_t size;
	uint8_t *blob = qemu(&size);

	(void)state;
	expect_invalid(blob, size - 1, "truncated: totalsize exceeds buffer");
	expect_invalid(blob, 20, "truncated: buffer smaller than the header");
	free(blob);
}

/* A minimal blob around a hand-written structure block (words, big-endian on write). */
static size_t raw_blob(uint8_t *buf, size_t cap, const uint32_t *words, size_t nwords,
		       const char *strings, size_t strings_len)
{
	size_t struct_off = 56, struct_len = nwords * 4;
	size_t strings_off = struct_off + struct_len, total = strings_off + strings_len;
	size_t i;

	assert_true(total <= cap);
	memset(buf, 0, total);
	put_be32(buf + 0, FDT_MAGIC);
	put_be32(buf + 4, (uint32_t)total);
	put_be32(buf + 8, (uint32_t)struct_off);
	put_be32(buf + 12, (uint32_t)strings_off);
	put_be32(buf + 16, 40);
	put_be32(buf + 20, 17);
	put_be32(buf + 24, 16);
	put_be32(buf + 32, (uint32_t)strings_len);
	put_be32(buf + 36, (uint32_t)struct_len);
	for (i = 0; i < nwords; i++)
		put_be32(buf + struct_off + 4 * i, words[i]);
	memcpy(buf + strings_off, strings, strings_len);
	return total;
}

static void validate_rejects_unterminated_node_name(void **state)
{
	uint8_t buf[256];
	/* BEGIN_NODE "abcd" with no NUL before the block ends */
	uint32_t words[] = {1, 0x61626364};
	size_t n = raw_blob(buf, sizeof(buf), words, 2, "", 0);

	(void)state;
	expect_invalid(buf, n, "unterminated node name");
}

static void validate_rejects_nesting_deeper_than_32(void **state)
{
	uint8_t buf[1024];
	uint32_t words[33 * 2 + 33 + 1];
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 33; i++) {
		words[n++] = 1;
		words[n++] = 0x61000000; /* "a" */
	}
	for (i = 0; i < 33; i++)
		words[n++] = 2;
	words[n++] = 9;
	expect_invalid(buf, raw_blob(buf, sizeof(buf), words, n, "", 0), "nodes nested too deep");
}

static void validate_rejects_bad_tokens_and_properties(void **state)
{
	uint8_t buf[256];
	/* root { x = <1>; }; */
	uint32_t ok[] = {1, 0, 3, 4, 0, 1, 2, 9};
	uint32_t words[8];
	size_t n;

	(void)state;
	n = raw_blob(buf, sizeof(buf), ok, 8, "x", 2);
	assert_int_equal(fdt_validate(buf, n, NULL), 0);

	memcpy(words, ok, sizeof(ok));
	words[6] = 4; /* root's END_NODE becomes a NOP */
	expect_invalid(buf, raw_blob(buf, sizeof(buf), words, 8, "x", 2), "unbalanced nodes");

	memcpy(words, ok, sizeof(ok));
	words[7] = 2; /* END becomes a stray END_NODE */
	expect_invalid(buf, raw_blob(buf, sizeof(buf), words, 8, "x", 2), "unbalanced nodes");

	memcpy(words, ok, sizeof(ok));
	words[2] = 7;
	expect_invalid(buf, raw_blob(buf, sizeof(buf), words, 8, "x", 2), "bad token");

	memcpy(words, ok, sizeof(ok));
	words[4] = 100; /* name offset past the strings block */
	expect_invalid(buf, raw_blob(buf, sizeof(buf), words, 8, "x", 2),
		       "bad property name offset");

	memcpy(words, ok, sizeof(ok));
	words[3] = 0x7ffffff0; /* length past the block */
	expect_invalid(buf, raw_blob(buf, sizeof(buf), words, 8, "x", 2), "truncated property");

	/* the block ends without FDT_END */
	expect_invalid(buf, raw_blob(buf, sizeof(buf), ok, 7, "x", 2), "missing end token");
}

/* Touches everything the reader can reach; under ASan any stray access aborts the test. */
static unsigned exercise_reader(const void *blob)
{
	unsigned touched = 0;
	int node, depth = 0, prop;

	for (node = fdt_next_node(blob, -1, &depth); node >= 0;
	     node = fdt_next_node(blob, node, &depth)) {
		uint64_t a, s;
		uint32_t v;
		const char *name = fdt_node_name(blob, node);

		touched += name ? (unsigned)strlen(name) : 0;
		touched += (unsigned)fdt_parent(blob, node) & 1;
		touched += fdt_first_child(blob, node) >= 0;
		touched += fdt_next_sibling(blob, node) >= 0;
		touched += fdt_reg(blob, node, 0, &a, &s);
		touched += fdt_prop_u32(blob, node, "phandle", &v);
		touched += fdt_prop_string(blob, node, "compatible") != NULL;
		touched += fdt_is_compatible(blob, node, "arm,pl011");
		touched += fdt_is_available(blob, node);
		touched += fdt_inherited_address_cells(blob, node);
		for (prop = fdt_first_prop(blob, node); prop >= 0;
		     prop = fdt_next_prop(blob, prop)) {
			const char *pname;
			int len;

			touched += fdt_prop_at(blob, prop, &pname, &len) != NULL;
		}
	}
	touched += fdt_path(blob, "/chosen") >= 0;
	touched += fdt_path(blob, "serial0:115200") >= 0;
	touched += fdt_node_by_phandle(blob, 0x8005) >= 0;
	touched += (unsigned)fdt_num_mem_rsv(blob) & 1;
	return touched;
}

static void corrupted_blobs_never_read_out_of_bounds(void **state)
{
	size_t size;
	uint8_t *orig = qemu(&size);
	unsigned i, accepted = 0;

	(void)state;
	srand(1234);
	for (i = 0; i < 3000; i++) {
		uint8_t *blob = malloc(size);
		unsigned flips = 1 + (unsigned)rand() % 4, f;

		memcpy(blob, orig, size);
		for (f = 0; f < flips; f++) {
			/* Mostly hit the header and the structure block where tokens live. */
			size_t at = (rand() & 1) ? (size_t)rand() % 64 : (size_t)rand() % size;

			blob[at] = (uint8_t)rand();
		}
		if (fdt_validate(blob, size, NULL) == 0) {
			accepted++;
			exercise_reader(blob);
		}
		free(blob);
	}
	/* Some corruptions (e.g. inside property values) must still be accepted. */
	assert_true(accepted > 0);
	free(orig);
}

static void truncated_buffers_are_rejected(void **state)
{
	size_t size, cut;
	uint8_t *blob = qemu(&size);

	(void)state;
	for (cut = 0; cut < size; cut += 97) {
		uint8_t *part = malloc(cut ? cut : 1);

		memcpy(part, blob, cut);
		assert_int_equal(fdt_validate(part, cut, NULL), -1);
		free(part);
	}
	free(blob);
}

static void path_finds_nodes_by_full_and_short_names(void **state)
{
	size_t size;
	void *blob = qemu(&size);
	int uart = fdt_path(blob, "/pl011@9000000");

	(void)state;
	assert_true(uart > 0);
	assert_string_equal(fdt_node_name(blob, uart), "pl011@9000000");
	assert_int_equal(fdt_path(blob, "/pl011"), uart);
	assert_int_equal(fdt_path(blob, "/pl011@9000000:115200n8"), uart);
	assert_int_equal(fdt_path_len(blob, "/pl011@9000000 trailing", 14), uart);
	assert_int_equal(fdt_path(blob, "/"), fdt_root(blob));
	assert_string_equal(fdt_node_name(blob, fdt_root(blob)), "");
	assert_string_equal(fdt_node_name(blob, fdt_path(blob, "/intc/its")), "its@8080000");
	assert_string_equal(fdt_node_name(blob, fdt_path(blob, "/cpus/cpu@2")), "cpu@2");
	assert_int_equal(fdt_path(blob, "/pl011@9000001"), -1);
	assert_int_equal(fdt_path(blob, "/pl01"), -1);
	assert_int_equal(fdt_path(blob, "/nothing/here"), -1);
	assert_int_equal(fdt_path(blob, "serial0"), -1); /* no /aliases in QEMU's tree */
	assert_int_equal(fdt_path(blob, ""), -1);
	free(blob);
}

static void path_resolves_aliases(void **state)
{
	size_t size;
	void *blob = load_dtb("dtuart-alias", &size);
	int uart = fdt_path(blob, "/pl011@9000000");

	(void)state;
	assert_int_equal(fdt_validate(blob, size, NULL), 0);
	assert_int_equal(fdt_path(blob, "serial0"), uart);
	assert_int_equal(fdt_path(blob, "serial0:115200n8"), uart);
	assert_int_equal(fdt_path(blob, "serial1"), -1);
	free(blob);
}

static void tree_navigation_matches_the_dts(void **state)
{
	size_t size;
	void *blob = qemu(&size);
	int cpus = fdt_path(blob, "/cpus"), child, n = 0, depth = 0, node, max_depth = 0;
	int nodes = 0;

	(void)state;
	for (child = fdt_first_child(blob, cpus); child >= 0;
	     child = fdt_next_sibling(blob, child)) {
		assert_int_equal(fdt_parent(blob, child), cpus);
		n++;
	}
	assert_int_equal(n, 5); /* cpu-map and four cpus */
	assert_int_equal(fdt_parent(blob, fdt_root(blob)), -1);
	assert_int_equal(
	    fdt_node_depth(blob, fdt_path(blob, "/cpus/cpu-map/socket0/cluster0/core3")), 5);
	for (node = fdt_next_node(blob, -1, &depth); node >= 0;
	     node = fdt_next_node(blob, node, &depth)) {
		assert_int_equal(depth, fdt_node_depth(blob, node));
		if (depth > max_depth)
			max_depth = depth;
		nodes++;
	}
	assert_int_equal(max_depth, 5);
	/* 32 virtio-mmio slots among them */
	for (n = 0, node = fdt_find_compatible(blob, -1, "virtio,mmio"); node >= 0;
	     node = fdt_find_compatible(blob, node, "virtio,mmio"))
		n++;
	assert_int_equal(n, 32);
	assert_true(nodes > 50);
	free(blob);
}

static void properties_read_with_their_types(void **state)
{
	size_t size;
	void *blob = qemu(&size);
	int root = fdt_root(blob), chosen = fdt_path(blob, "/chosen");
	int uart = fdt_path(blob, "/pl011@9000000"), gic = fdt_path(blob, "/intc@8000000");
	uint32_t v = 0;
	uint64_t a, s;
	int len, prop;
	const char *name;

	(void)state;
	assert_true(fdt_prop_u32(blob, root, "#address-cells", &v));
	assert_int_equal(v, 2);
	assert_false(fdt_prop_u32(blob, chosen, "rng-seed", &v)); /* 32 bytes, not a u32 */
	assert_string_equal(fdt_prop_string(blob, root, "model"), "linux,dummy-virt");
	assert_null(fdt_prop_string(blob, root, "#address-cells")); /* not a string */
	assert_null(fdt_prop(blob, root, "absent", &len));
	assert_true(fdt_is_compatible(blob, uart, "arm,primecell")); /* second entry */
	assert_false(fdt_is_compatible(blob, uart, "arm,pl01"));
	assert_int_equal(fdt_node_by_phandle(blob, 0x8005), gic);
	assert_int_equal(fdt_node_by_phandle(blob, 0), -1);
	assert_int_equal(fdt_max_phandle(blob), 0x8007);
	assert_int_equal(fdt_address_cells(blob, gic), 2);
	assert_int_equal(fdt_size_cells(blob, fdt_path(blob, "/cpus")), 0);
	assert_int_equal(fdt_size_cells(blob, chosen), 1);	     /* spec default */
	assert_int_equal(fdt_inherited_size_cells(blob, chosen), 2); /* from the root */
	assert_true(fdt_reg(blob, uart, 0, &a, &s));
	assert_int_equal(a, 0x9000000);
	assert_int_equal(s, 0x1000);
	assert_true(fdt_reg(blob, gic, 1, &a, &s));
	assert_int_equal(a, 0x80a0000);
	assert_int_equal(s, 0xf60000);
	assert_false(fdt_reg(blob, gic, 2, &a, &s));
	assert_true(fdt_reg(blob, fdt_path(blob, "/cpus/cpu@3"), 0, &a, &s));
	assert_int_equal(a, 3);
	assert_int_equal(s, 0);
	prop = fdt_first_prop(blob, chosen);
	assert_non_null(fdt_prop_at(blob, prop, &name, &len));
	assert_string_equal(name, "bootargs");
	assert_int_equal(len, (int)sizeof("dom0_mem=512M"));
	prop = fdt_next_prop(blob, prop);
	assert_non_null(fdt_prop_at(blob, prop, &name, &len));
	assert_string_equal(name, "stdout-path");
	assert_int_equal(fdt_num_mem_rsv(blob), 0);
	free(blob);
}

static void read_cells_is_big_endian_and_unaligned_safe(void **state)
{
	uint8_t b[13] = {0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 1, 2, 3, 4};

	(void)state;
	assert_int_equal(fdt_read_cells(b + 1, 1), 0x12345678u);
	assert_int_equal(fdt_read_cells(b + 1, 2), 0x123456789abcdef0ull);
	assert_int_equal(fdt_read_cells(b + 1, 0), 0);
}

static void mem_rsv_entries_are_read(void **state)
{
	size_t size;
	void *blob = load_dtb("xen-order", &size);
	uint64_t a, s;

	(void)state;
	assert_int_equal(fdt_validate(blob, size, NULL), 0);
	assert_int_equal(fdt_num_mem_rsv(blob), 1);
	assert_true(fdt_mem_rsv(blob, 0, &a, &s));
	assert_int_equal(a, 0x48000000);
	assert_int_equal(s, 0x100000);
	assert_false(fdt_mem_rsv(blob, 1, &a, &s));
	free(blob);
}

static size_t write_sample(uint8_t *buf, size_t size, struct fdt_writer *w)
{
	static const char *const compat[] = {"acme,widget", "simple-bus"};
	uint32_t cells[2] = {0x11, 0x22};
	uint64_t reg[2] = {0x100000000ull, 0x1000};
	size_t total = 0;

	fdtw_init(w, buf, size, 3);
	fdtw_add_mem_rsv(w, 0x80000000ull, 0x2000);
	fdtw_begin_node(w, "");
	fdtw_prop_u32(w, "#address-cells", 2);
	fdtw_prop_u32(w, "#size-cells", 2);
	fdtw_prop_strings(w, "compatible", compat, 2);
	fdtw_begin_node(w, "widget@100000000");
	fdtw_prop_strings(w, "compatible", compat, 1);
	fdtw_prop_reg(w, "reg", reg, 2, 2);
	fdtw_prop_cells(w, "cells", cells, 2);
	fdtw_prop(w, "empty", NULL, 0);
	fdtw_prop_string(w, "status", "ok");
	fdtw_prop_u32(w, "linux,phandle", 7);
	fdtw_end_node(w);
	fdtw_begin_node(w, "off");
	fdtw_prop_string(w, "status", "disabled");
	fdtw_end_node(w);
	fdtw_end_node(w);
	if (fdtw_finish(w, &total) != 0)
		return 0;
	return total;
}

static void writer_output_is_read_back(void **state)
{
	uint8_t buf[2048];
	struct fdt_writer w;
	size_t total = write_sample(buf, sizeof(buf), &w);
	int widget, off, len;
	uint64_t a, s;
	const uint8_t *cells;

	(void)state;
	assert_true(total > 0);
	assert_int_equal(fdt_validate(buf, total, NULL), 0);
	assert_int_equal(get_be32(buf + 20), 17);
	assert_int_equal(get_be32(buf + 24), 16);
	assert_int_equal(fdt_boot_cpuid(buf), 3);
	widget = fdt_path(buf, "/widget");
	off = fdt_path(buf, "/off");
	assert_true(widget > 0 && off > 0);
	assert_true(fdt_is_compatible(buf, fdt_root(buf), "simple-bus"));
	assert_true(fdt_is_compatible(buf, widget, "acme,widget"));
	assert_false(fdt_is_compatible(buf, widget, "simple-bus"));
	assert_true(fdt_reg(buf, widget, 0, &a, &s));
	assert_int_equal(a, 0x100000000ull);
	assert_int_equal(s, 0x1000);
	cells = fdt_prop(buf, widget, "cells", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt_read_cells(cells + 4, 1), 0x22);
	assert_non_null(fdt_prop(buf, widget, "empty", &len));
	assert_int_equal(len, 0);
	assert_true(fdt_is_available(buf, widget));
	assert_false(fdt_is_available(buf, off));
	assert_true(fdt_is_available(buf, fdt_root(buf)));
	assert_int_equal(fdt_node_by_phandle(buf, 7), widget);
	assert_int_equal(fdt_num_mem_rsv(buf), 1);
	assert_true(fdt_mem_rsv(buf, 0, &a, &s));
	assert_int_equal(a, 0x80000000ull);
	assert_int_equal(s, 0x2000);
}

static void writer_deduplicates_strings(void **state)
{
	uint8_t buf[2048];
	struct fdt_writer w;
	size_t total = write_sample(buf, sizeof(buf), &w);
	/* Each distinct name once; "cells" shares the tail of "#size-cells", which the
	 * format allows (a name offset may point into another string). */
	size_t want = sizeof("#address-cells") + sizeof("#size-cells") + sizeof("compatible") +
		      sizeof("reg") + sizeof("empty") + sizeof("status") + sizeof("linux,phandle");

	(void)state;
	assert_true(total > 0);
	assert_int_equal(get_be32(buf + 32), want);
}

static void writer_output_is_accepted_by_dtc(void **state)
{
	uint8_t buf[2048];
	struct fdt_writer w;
	size_t total = write_sample(buf, sizeof(buf), &w);
	char *text = NULL;
	int rc = run_dtc(buf, total, &text);

	(void)state;
	if (rc != 0)
		fail_msg("dtc exit %d: %s", rc, text);
	assert_non_null(strstr(text, "/memreserve/\t0x0000000080000000 0x0000000000002000;"));
	assert_non_null(strstr(text, "compatible = \"acme,widget\\0simple-bus\";"));
	assert_non_null(strstr(text, "reg = <0x01 0x00 0x00 0x1000>;"));
	free(text);
}

/* Copies a whole tree through the writer: dtc must print the same source for both. */
static void writer_round_trips_the_qemu_tree(void **state)
{
	size_t size, total = 0, i;
	void *blob = qemu(&size);
	uint8_t *out = malloc(size);
	struct fdt_writer w;
	int node, depth = 0, open = 0, prop;
	char *a = NULL, *b = NULL;

	(void)state;
	fdtw_init(&w, out, size, fdt_boot_cpuid(blob));
	for (node = fdt_next_node(blob, -1, &depth); node >= 0;
	     node = fdt_next_node(blob, node, &depth)) {
		for (; open > depth; open--)
			fdtw_end_node(&w);
		fdtw_begin_node(&w, fdt_node_name(blob, node));
		open++;
		for (prop = fdt_first_prop(blob, node); prop >= 0;
		     prop = fdt_next_prop(blob, prop)) {
			const char *name;
			int len;
			const void *v = fdt_prop_at(blob, prop, &name, &len);

			fdtw_prop(&w, name, v, (size_t)len);
		}
	}
	for (; open > 0; open--)
		fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &total), 0);
	assert_int_equal(run_dtc(blob, size, &a), 0);
	assert_int_equal(run_dtc(out, total, &b), 0);
	for (i = 0; a[i] && a[i] == b[i]; i++)
		;
	if (a[i] != b[i])
		fail_msg("dtc output differs at byte %zu: \"%.40s\" vs \"%.40s\"", i, a + i, b + i);
	free(a);
	free(b);
	free(out);
	free(blob);
}

static void writer_errors_are_sticky(void **state)
{
	uint8_t buf[2048];
	struct fdt_writer w;
	size_t total = 0, need;
	uint64_t big = 0x100000000ull;

	(void)state;
	need = write_sample(buf, sizeof(buf), &w);
	assert_true(need > 0);
	/* Every buffer shorter than the result fails with "buffer too small". */
	for (size_t cut = 0; cut < need; cut++) {
		assert_int_equal(write_sample(buf, cut, &w), 0);
		assert_string_equal(w.error, "buffer too small");
	}

	fdtw_init(&w, buf, sizeof(buf), 0);
	fdtw_begin_node(&w, "");
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "later"); /* ignored: already failed */
	assert_int_equal(fdtw_finish(&w, &total), -1);
	assert_string_equal(w.error, "unbalanced nodes");

	fdtw_init(&w, buf, sizeof(buf), 0);
	fdtw_begin_node(&w, "");
	fdtw_begin_node(&w, "open");
	assert_int_equal(fdtw_finish(&w, &total), -1);
	assert_string_equal(w.error, "unbalanced nodes");

	fdtw_init(&w, buf, sizeof(buf), 0);
	fdtw_begin_node(&w, "");
	fdtw_add_mem_rsv(&w, 0, 0x1000);
	assert_int_equal(fdtw_finish(&w, &total), -1);
	assert_string_equal(w.error, "memory reservation after the first node");

	fdtw_init(&w, buf, sizeof(buf), 0);
	fdtw_begin_node(&w, "");
	fdtw_prop_reg(&w, "reg", &big, 1, 1);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &total), -1);
	assert_string_equal(w.error, "value does not fit in one cell");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(validate_accepts_qemu_dtb),
	    cmocka_unit_test(validate_rejects_bad_magic),
	    cmocka_unit_test(validate_rejects_totalsize_beyond_buffer),
	    cmocka_unit_test(validate_rejects_unterminated_node_name),
	    cmocka_unit_test(validate_rejects_nesting_deeper_than_32),
	    cmocka_unit_test(validate_rejects_bad_tokens_and_properties),
	    cmocka_unit_test(corrupted_blobs_never_read_out_of_bounds),
	    cmocka_unit_test(truncated_buffers_are_rejected),
	    cmocka_unit_test(path_finds_nodes_by_full_and_short_names),
	    cmocka_unit_test(path_resolves_aliases),
	    cmocka_unit_test(tree_navigation_matches_the_dts),
	    cmocka_unit_test(properties_read_with_their_types),
	    cmocka_unit_test(read_cells_is_big_endian_and_unaligned_safe),
	    cmocka_unit_test(mem_rsv_entries_are_read),
	    cmocka_unit_test(writer_output_is_read_back),
	    cmocka_unit_test(writer_deduplicates_strings),
	    cmocka_unit_test(writer_output_is_accepted_by_dtc),
	    cmocka_unit_test(writer_round_trips_the_qemu_tree),
	    cmocka_unit_test(writer_errors_are_sticky),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

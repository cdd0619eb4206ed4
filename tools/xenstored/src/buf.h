// SPDX-License-Identifier: Apache-2.0
/*
 * A growable byte buffer with little-endian integer helpers, and a bounded reader over one.
 * Used for output queues, encoded store operations, the write-ahead log and saved state.
 */
#ifndef XENSTORED_BUF_H
#define XENSTORED_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

int buf_reserve(struct buf *b, size_t extra);
int buf_put(struct buf *b, const void *p, size_t n);
int buf_put_u8(struct buf *b, uint8_t v);
int buf_put_u32(struct buf *b, uint32_t v);
int buf_put_u64(struct buf *b, uint64_t v);
/* A u32 length followed by the bytes. */
int buf_put_blob(struct buf *b, const void *p, size_t n);
int buf_put_str(struct buf *b, const char *s);
/* Drops the first n bytes. */
void buf_consume(struct buf *b, size_t n);
void buf_free(struct buf *b);

struct reader {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool bad;
};

static inline void reader_init(struct reader *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->bad = false;
}

uint8_t rd_u8(struct reader *r);
uint32_t rd_u32(struct reader *r);
uint64_t rd_u64(struct reader *r);
/* Returns a pointer into the buffer and its length, or NULL (and r->bad) if truncated. */
const void *rd_blob(struct reader *r, uint32_t *len);
/* A blob that must be a NUL-free string; returns a malloc'd copy or NULL. */
char *rd_str(struct reader *r);

uint32_t crc32_bytes(const void *p, size_t len);

#endif

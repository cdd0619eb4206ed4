// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

int buf_reserve(struct buf *b, size_t extra)
{
	size_t cap;
	uint8_t *p;

	if (b->len + extra <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_put(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n))
		return -ENOMEM;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int buf_put_u8(struct buf *b, uint8_t v)
{
	return buf_put(b, &v, 1);
}

int buf_put_u32(struct buf *b, uint32_t v)
{
	uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

	return buf_put(b, le, sizeof(le));
}

int buf_put_u64(struct buf *b, uint64_t v)
{
	if (buf_put_u32(b, (uint32_t)v))
		return -ENOMEM;
	return buf_put_u32(b, (uint32_t)(v >> 32));
}

int buf_put_blob(struct buf *b, const void *p, size_t n)
{
	if (buf_put_u32(b, (uint32_t)n))
		return -ENOMEM;
	return buf_put(b, p, n);
}

int buf_put_str(struct buf *b, const char *s)
{
	return buf_put_blob(b, s, strlen(s));
}

void buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

static bool rd_have(struct reader *r, size_t n)
{
	if (r->bad || r->len - r->off < n) {
		r->bad = true;
		return false;
	}
	return true;
}

uint8_t rd_u8(struct reader *r)
{
	if (!rd_have(r, 1))
		return 0;
	return r->p[r->off++];
}

uint32_t rd_u32(struct reader *r)
{
	const uint8_t *p;

	if (!rd_have(r, 4))
		return 0;
	p = r->p + r->off;
	r->off += 4;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t rd_u64(struct reader *r)
{
	uint64_t lo = rd_u32(r);

	return lo | (uint64_t)rd_u32(r) << 32;
}

const void *rd_blob(struct reader *r, uint32_t *len)
{
	const void *p;

	*len = rd_u32(r);
	if (!rd_have(r, *len))
		return NULL;
	p = r->p + r->off;
	r->off += *len;
	return p;
}

char *rd_str(struct reader *r)
{
	uint32_t len;
	const char *p = rd_blob(r, &len);
	char *s;

	if (!p || memchr(p, '\0', len)) {
		r->bad = true;
		return NULL;
	}
	s = malloc(len + 1);
	if (!s) {
		r->bad = true;
		return NULL;
	}
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
		crc_table[i] = c;
	}
}

uint32_t crc32_bytes(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t crc = 0xffffffffu;

	/* Entry 1 of the CRC-32 table is never zero, so it marks the table as built. */
	if (!crc_table[1])
		crc_init();
	for (size_t i = 0; i < len; i++)
		crc = crc_table[(crc ^ b[i]) & 0xffu] ^ (crc >> 8);
	return ~crc;
}

/* SPDX-License-Identifier: MIT */
/*
 * Byte order and unaligned access: the one home for loading and storing
 * 16/32/64-bit little- and big-endian values at any byte address (descriptor
 * fields, packet headers, config space, fw_cfg items, input operands).
 * Byte by byte, so they are correct on any host and at any alignment; the
 * compiler turns them into single moves (and bswaps) on x86.
 */
#ifndef EMU_BYTEORDER_H
#define EMU_BYTEORDER_H

#include <stdint.h>

/* n bytes (1..8) at p, least significant first. */
static inline uint64_t ld_le_n(const void *ptr, unsigned n)
{
    const uint8_t *p = ptr;
    uint64_t v = 0;
    for (unsigned i = 0; i < n && i < 8; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

/* n bytes (1..8) at p, most significant first. */
static inline uint64_t ld_be_n(const void *ptr, unsigned n)
{
    const uint8_t *p = ptr;
    uint64_t v = 0;
    for (unsigned i = 0; i < n && i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static inline void st_le_n(void *ptr, unsigned n, uint64_t v)
{
    uint8_t *p = ptr;
    for (unsigned i = 0; i < n && i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static inline void st_be_n(void *ptr, unsigned n, uint64_t v)
{
    uint8_t *p = ptr;
    for (unsigned i = 0; i < n && i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    }
}

static inline uint16_t ld_le16(const void *p) { return (uint16_t)ld_le_n(p, 2); }
static inline uint32_t ld_le32(const void *p) { return (uint32_t)ld_le_n(p, 4); }
static inline uint64_t ld_le64(const void *p) { return ld_le_n(p, 8); }
static inline uint16_t ld_be16(const void *p) { return (uint16_t)ld_be_n(p, 2); }
static inline uint32_t ld_be32(const void *p) { return (uint32_t)ld_be_n(p, 4); }
static inline uint64_t ld_be64(const void *p) { return ld_be_n(p, 8); }

static inline void st_le16(void *p, uint16_t v) { st_le_n(p, 2, v); }
static inline void st_le32(void *p, uint32_t v) { st_le_n(p, 4, v); }
static inline void st_le64(void *p, uint64_t v) { st_le_n(p, 8, v); }
static inline void st_be16(void *p, uint16_t v) { st_be_n(p, 2, v); }
static inline void st_be32(void *p, uint32_t v) { st_be_n(p, 4, v); }
static inline void st_be64(void *p, uint64_t v) { st_be_n(p, 8, v); }

#endif

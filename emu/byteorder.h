/* SPDX-License-Identifier: MIT */
/*
 * Byte order and unaligned access: the one home for loading and storing
 * 16/32/64-bit little- and big-endian values at any byte address (descriptor
 * fields, packet headers, config space, fw_cfg items, input operands).
 * Byte by byte, so they are correct on any host and at any alignment; the
 * little-endian ones are single unaligned moves on a little-endian host.
 */
#ifndef EMU_BYTEORDER_H
#define EMU_BYTEORDER_H

#include <stdint.h>
#include <string.h>

/* n bytes (1..8) at p, least significant first. */
static inline uint64_t ld_le_bytes(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n && i < 8; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

/* The common widths by name, so that a width known only at run time (an
 * access's size) still becomes one move, not a loop; on a little-endian
 * host a fixed-size memcpy (one unaligned move; GCC does not always merge
 * the byte loop into one). */
static inline uint64_t ld_le_n(const void *ptr, unsigned n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    switch (n) {
    case 1: return *(const uint8_t *)ptr;
    case 2: { uint16_t v; memcpy(&v, ptr, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, ptr, 4); return v; }
    case 8: { uint64_t v; memcpy(&v, ptr, 8); return v; }
    default: break;
    }
#endif
    return ld_le_bytes(ptr, n);
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

static inline void st_le_bytes(uint8_t *p, unsigned n, uint64_t v)
{
    for (unsigned i = 0; i < n && i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static inline void st_le_n(void *ptr, unsigned n, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    switch (n) {
    case 1: *(uint8_t *)ptr = (uint8_t)v; return;
    case 2: { uint16_t w = (uint16_t)v; memcpy(ptr, &w, 2); return; }
    case 4: { uint32_t w = (uint32_t)v; memcpy(ptr, &w, 4); return; }
    case 8: memcpy(ptr, &v, 8); return;
    default: break;
    }
#endif
    st_le_bytes(ptr, n, v);
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

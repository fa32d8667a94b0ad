/* SPDX-License-Identifier: MIT */
/*
 * The Internet checksum (RFC 1071) and the TCP/UDP pseudo-headers: see
 * checksum.h.
 */
#include "emu/checksum.h"

#include "emu/byteorder.h"

/* Folds a 64-bit accumulator to 32 bits without losing a carry. */
static uint32_t csum_fold64(uint64_t sum)
{
    while (sum >> 32) {
        sum = (sum & 0xffffffffu) + (sum >> 32);
    }
    return (uint32_t)sum;
}

uint32_t csum_add(uint32_t sum, const uint8_t *buf, size_t len)
{
    uint64_t acc = sum;
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        acc += ld_be16(buf + i);
    }
    if (i < len) {
        acc += (uint32_t)buf[i] << 8;
    }
    return csum_fold64(acc);
}

uint32_t csum_add_at(uint32_t sum, const uint8_t *buf, size_t len, size_t at)
{
    uint16_t part = csum_fold(csum_add(0, buf, len));

    if (at & 1) {
        part = (uint16_t)(part << 8 | part >> 8);
    }
    return csum_add_u32(sum, part);
}

uint32_t csum_add_u32(uint32_t sum, uint32_t v)
{
    return csum_fold64((uint64_t)sum + v);
}

uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t)sum;
}

uint16_t csum_finish(uint32_t sum)
{
    return (uint16_t)~csum_fold(sum);
}

uint16_t csum_finish_nozero(uint32_t sum)
{
    uint16_t c = csum_finish(sum);

    return c ? c : 0xffff;
}

uint16_t csum_buf(const uint8_t *buf, size_t len)
{
    return csum_finish(csum_add(0, buf, len));
}

uint32_t csum_pseudo_ipv4(const uint8_t *addrs, uint8_t proto, uint32_t l4_len)
{
    return csum_add_u32(csum_add(proto, addrs, 8), l4_len);
}

/* The upper-layer length is 32 bits here (RFC 8200 section 8.1). */
uint32_t csum_pseudo_ipv6(const uint8_t *addrs, uint8_t proto, uint32_t l4_len)
{
    uint32_t sum = csum_add(proto, addrs, 32);

    return csum_add_u32(csum_add_u32(sum, l4_len >> 16), l4_len & 0xffff);
}

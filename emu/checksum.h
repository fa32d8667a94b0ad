/* SPDX-License-Identifier: MIT */
/*
 * The Internet checksum (RFC 1071): the one's-complement sum of a buffer
 * read as big-endian 16-bit words (an odd last byte is the high half of a
 * word), kept as a 32-bit partial sum that can be added to piece by piece
 * (RFC 1071 section 2 (B), (C)), folded and complemented at the end; and the
 * TCP/UDP pseudo-headers of IPv4 (RFC 793 section 3.1, RFC 768) and IPv6
 * (RFC 8200 section 8.1). For every device that inserts or checks one.
 */
#ifndef EMU_CHECKSUM_H
#define EMU_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* sum plus the 16-bit words of buf[0, len); the buffer starts a word. */
uint32_t csum_add(uint32_t sum, const uint8_t *buf, size_t len);

/* sum plus buf[0, len) standing at byte offset `at` of the data summed:
 * an odd offset swaps the bytes of its sum (RFC 1071 section 2 (B)). */
uint32_t csum_add_at(uint32_t sum, const uint8_t *buf, size_t len, size_t at);

/* sum plus a value (a length, a protocol number, another partial sum). */
uint32_t csum_add_u32(uint32_t sum, uint32_t v);

/* The carries folded back in: the 16-bit one's-complement sum. */
uint16_t csum_fold(uint32_t sum);

/* The checksum to store: the complement of the folded sum. */
uint16_t csum_finish(uint32_t sum);

/* The same, but a result of 0 is given as 0xffff (its other one's-complement
 * form): UDP's rule (RFC 768), and what e1000 hardware inserts. */
uint16_t csum_finish_nozero(uint32_t sum);

/* The checksum of buf[0, len) by itself: csum_finish(csum_add(0, ...)). */
uint16_t csum_buf(const uint8_t *buf, size_t len);

/* Pseudo-header partial sums: addrs points at the source address followed
 * by the destination (8 bytes for IPv4, 32 for IPv6, as both headers lay
 * them out); l4_len is the TCP/UDP header plus payload. */
uint32_t csum_pseudo_ipv4(const uint8_t *addrs, uint8_t proto, uint32_t l4_len);
uint32_t csum_pseudo_ipv6(const uint8_t *addrs, uint8_t proto, uint32_t l4_len);

#endif

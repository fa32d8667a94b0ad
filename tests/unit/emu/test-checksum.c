/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for emu/checksum.c with known vectors: the RFC 1071 section 3
 * example, a real IPv4 header, a TCP segment over IPv4 and a UDP datagram
 * over IPv6 with their pseudo-headers; incremental sums equal whole ones,
 * odd lengths, carries that need more than one fold, the 0xffff rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emu/byteorder.h"
#include "emu/checksum.h"

/* RFC 1071 section 3: these words sum to 0x2ddf0, folded 0xddf2. */
static const uint8_t rfc1071[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

/* A 20-byte IPv4 header (UDP, 192.168.0.1 to 192.168.0.199) whose checksum
 * is 0xb861 (the example of Wikipedia's IPv4 header checksum article). */
static const uint8_t ip_hdr[20] = {
    0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
    0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};

static void test_rfc1071_example(void **state)
{
    assert_int_equal(csum_fold(csum_add(0, rfc1071, sizeof(rfc1071))), 0xddf2);
    assert_int_equal(csum_buf(rfc1071, sizeof(rfc1071)), 0x220d);
    /* Incremental (RFC 1071 section 2 (C)): pieces starting on words. */
    uint32_t sum = csum_add(0, rfc1071, 2);
    sum = csum_add(sum, rfc1071 + 2, 4);
    sum = csum_add(sum, rfc1071 + 6, 2);
    assert_int_equal(csum_finish(sum), 0x220d);
    /* Pieces at odd offsets: 3 + 5 bytes, and 1 + 6 + 1. */
    sum = csum_add_at(0, rfc1071, 3, 0);
    sum = csum_add_at(sum, rfc1071 + 3, 5, 3);
    assert_int_equal(csum_finish(sum), 0x220d);
    sum = csum_add_at(0, rfc1071, 1, 0);
    sum = csum_add_at(sum, rfc1071 + 1, 6, 1);
    sum = csum_add_at(sum, rfc1071 + 7, 1, 7);
    assert_int_equal(csum_finish(sum), 0x220d);
}

static void test_ipv4_header(void **state)
{
    uint8_t h[20];

    /* A header with its checksum in sums to all ones: it checks out. */
    assert_int_equal(csum_buf(ip_hdr, sizeof(ip_hdr)), 0);
    memcpy(h, ip_hdr, sizeof(h));
    st_be16(h + 10, 0);
    assert_int_equal(csum_buf(h, sizeof(h)), 0xb861);
    h[8] = 0x3f;                          /* TTL changed: no longer checks */
    st_be16(h + 10, 0xb861);
    assert_int_not_equal(csum_buf(h, sizeof(h)), 0);
}

/* 10.0.0.1:1234 to 10.0.0.2:80, SYN, seq 1000, window 8192, "hi!". */
static void test_tcp_ipv4_segment(void **state)
{
    static const uint8_t addrs[8] = { 10, 0, 0, 1, 10, 0, 0, 2 };
    uint8_t tcp[23] = {
        0x04, 0xd2, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00,
        0x50, 0x02, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 'h', 'i', '!',
    };
    uint32_t sum = csum_pseudo_ipv4(addrs, 6, sizeof(tcp));

    assert_int_equal(csum_finish(csum_add(sum, tcp, sizeof(tcp))), 0xe969);
    /* Inserted, the segment checks: the sum over it all is all ones. */
    st_be16(tcp + 16, 0xe969);
    assert_int_equal(csum_fold(csum_add(sum, tcp, sizeof(tcp))), 0xffff);
}

/* fe80::1:5353 to fe80::2:5353, "hello". */
static void test_udp_ipv6_datagram(void **state)
{
    uint8_t addrs[32] = { 0 };
    static const uint8_t udp[13] = {
        0x14, 0xe9, 0x14, 0xe9, 0x00, 0x0d, 0x00, 0x00, 'h', 'e', 'l', 'l', 'o',
    };

    addrs[0] = addrs[16] = 0xfe;
    addrs[1] = addrs[17] = 0x80;
    addrs[15] = 1;
    addrs[31] = 2;
    uint32_t sum = csum_pseudo_ipv6(addrs, 17, sizeof(udp));
    assert_int_equal(csum_finish(csum_add(sum, udp, sizeof(udp))), 0x952b);
    /* The 32-bit length: 0x10000 + 13 adds 1 + 13 (RFC 8200 section 8.1). */
    assert_int_equal(csum_fold(csum_pseudo_ipv6(addrs, 17, 0x1000d)),
                     csum_fold(csum_add_u32(csum_pseudo_ipv6(addrs, 17, 13), 1)));
}

static void test_odd_and_empty(void **state)
{
    /* An odd last byte is the high half of a word. */
    assert_int_equal(csum_buf((const uint8_t *)"\x12", 1), 0xedff);
    assert_int_equal(csum_buf(rfc1071, 1), 0xffff);
    assert_int_equal(csum_buf(NULL, 0), 0xffff);
    assert_int_equal(csum_finish(0x1234), 0xffff & ~0x1234);
}

static void test_finish_nozero(void **state)
{
    /* 0xffff sums to all ones; its complement 0 goes out as 0xffff. */
    assert_int_equal(csum_finish(csum_add(0, (const uint8_t *)"\xff\xff", 2)), 0);
    assert_int_equal(csum_finish_nozero(csum_add(0, (const uint8_t *)"\xff\xff", 2)),
                     0xffff);
    assert_int_equal(csum_finish_nozero(0x1234), 0xffff & ~0x1234);
}

static void test_long_buffer_carries(void **state)
{
    /* 64 KiB of 0xff: 32768 words of 0xffff, far past one 32-bit fold. */
    size_t len = 65536;
    uint8_t *b = malloc(len);

    assert_non_null(b);
    memset(b, 0xff, len);
    assert_int_equal(csum_fold(csum_add(0, b, len)), 0xffff);
    assert_int_equal(csum_fold(csum_add(0xffffffffu, b, len)), 0xffff);
    assert_int_equal(csum_fold(csum_add_u32(0xffffffffu, 0xffffffffu)), 0xffff);
    /* 0xfffe + 0x0003 = 0x10001: one carry back gives 0x0002. */
    assert_int_equal(csum_fold(csum_add_u32(0xfffe, 3)), 2);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc1071_example),
        cmocka_unit_test(test_ipv4_header),
        cmocka_unit_test(test_tcp_ipv4_segment),
        cmocka_unit_test(test_udp_ipv6_datagram),
        cmocka_unit_test(test_odd_and_empty),
        cmocka_unit_test(test_finish_nozero),
        cmocka_unit_test(test_long_buffer_carries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

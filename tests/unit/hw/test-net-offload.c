/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of hw/net/net-offload.c, the offloads e1000 and virtio-net
 * share: header parsing (tags, IPv4 options, IPv6, what is refused),
 * checksum insertion bounds, receive checksum checks (good, bad IP header,
 * bad payload, UDP without a checksum, fragments, Ethernet padding) and a
 * whole TCP segmentation over IPv4 and IPv6, every segment checked by the
 * receive side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/byteorder.h"
#include "hw/net/net-offload.h"

#define MAX_SEGS 8

typedef struct Sent {
    unsigned n;
    size_t len[MAX_SEGS];
    uint8_t buf[MAX_SEGS][256];
} Sent;

static void record(void *opaque, const uint8_t *buf, size_t len)
{
    Sent *s = opaque;

    assert_true(s->n < MAX_SEGS && len <= sizeof(s->buf[0]));
    memcpy(s->buf[s->n], buf, len);
    s->len[s->n++] = len;
}

/* Ethernet + IPv4 (10.0.0.1 to 10.0.0.2, ID 0x1234) + TCP (seq 1000, flags
 * FIN PSH ACK CWR) + payload bytes 0, 1, 2, ...; checksums left 0. */
static size_t tcp4_frame(uint8_t *f, size_t payload)
{
    static const uint8_t hdrs[54] = {
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc,
        0x08, 0x00, 0x45, 0x00, 0x00, 0x00, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06,
        0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2, 0x04, 0xd2, 0x00, 0x50,
        0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x50, 0x99, 0x20, 0x00,
        0x00, 0x00, 0x00, 0x00,
    };

    memcpy(f, hdrs, sizeof(hdrs));
    for (size_t i = 0; i < payload; i++) {
        f[54 + i] = (uint8_t)i;
    }
    st_be16(f + 16, (uint16_t)(40 + payload));
    return 54 + payload;
}

/* The same TCP segment over IPv6 (fe80::1 to fe80::2). */
static size_t tcp6_frame(uint8_t *f, size_t payload)
{
    uint8_t v4[320];
    size_t len = tcp4_frame(v4, payload);

    memcpy(f, v4, 12);
    st_be16(f + 12, NET_ETH_P_IPV6);
    memset(f + 14, 0, 40);
    f[14] = 0x60;
    st_be16(f + 18, (uint16_t)(len - 34));
    f[20] = NET_IP_PROTO_TCP;
    f[21] = 64;
    f[22] = f[38] = 0xfe;
    f[23] = f[39] = 0x80;
    f[37] = 1;
    f[53] = 2;
    memcpy(f + 54, v4 + 34, len - 34);
    return len + 20;
}

static void test_parse(void **state)
{
    uint8_t f[128];
    NetHeaders h;
    size_t len = tcp4_frame(f, 10);

    assert_true(net_parse_ip(f, len, &h));
    assert_int_equal(h.l3, 14);
    assert_int_equal(h.l4, 34);
    assert_int_equal(h.ip_end, len);
    assert_int_equal(h.proto, NET_IP_PROTO_TCP);
    assert_false(h.ipv6 || h.frag);
    f[14] = 0x46;                                   /* one word of options */
    assert_true(net_parse_ip(f, len, &h));
    assert_int_equal(h.l4, 38);
    f[14] = 0x44;                                   /* IHL 4: refused */
    assert_false(net_parse_ip(f, len, &h));
    f[14] = 0x4f;                                   /* IHL past the frame */
    assert_false(net_parse_ip(f, 40, &h));
    st_be16(f + 12, 0x0806);                        /* ARP */
    assert_false(net_parse_ip(f, len, &h));
    assert_false(net_parse_ip(f, 13, &h));
    len = tcp6_frame(f, 10);
    assert_true(net_parse_ip(f, len, &h));
    assert_true(h.ipv6);
    assert_int_equal(h.l4, 54);
    assert_int_equal(h.ip_end, len);
}

static void test_parse_vlan(void **state)
{
    uint8_t f[128], g[132];
    NetHeaders h;
    size_t len = tcp4_frame(f, 10);

    memcpy(g, f, 12);
    st_be16(g + 12, NET_ETH_P_VLAN);
    st_be16(g + 14, 5);
    memcpy(g + 16, f + 12, len - 12);
    assert_true(net_parse_ip(g, len + 4, &h));
    assert_int_equal(h.l3, 18);
    assert_int_equal(h.l4, 38);
    assert_false(net_parse_ip(g, 17, &h));
}

static void test_csum_insert(void **state)
{
    uint8_t f[8] = { 0xff, 0xff, 0, 0, 0, 0, 0, 0 };

    assert_false(net_csum_insert(f, 4, 0, 3, false));    /* field past the end */
    assert_false(net_csum_insert(f, 4, 0, 100, false));
    assert_true(net_csum_insert(f, 4, 0, 2, false));
    assert_int_equal(ld_be16(f + 2), 0);                  /* ~0xffff */
    st_be16(f + 2, 0);
    assert_true(net_csum_insert(f, 4, 0, 2, true));
    assert_int_equal(ld_be16(f + 2), 0xffff);             /* 0 goes out as 0xffff */
    assert_true(net_csum_insert(f, 4, 9, 0, false));      /* start past the end: sum 0 */
    assert_int_equal(ld_be16(f), 0xffff);
}

/* net_tso_segment into a 256-byte buffer (cap: how much of it to offer). */
static bool segment(const uint8_t *f, size_t len, bool ipv6, uint16_t mss,
                    unsigned max_segs, size_t cap, Sent *sent)
{
    uint8_t seg[256];

    return net_tso_segment(f, len, ipv6, mss, max_segs, seg, MIN(cap, sizeof(seg)),
                           record, sent);
}

/* A frame with both checksums set: one segment of the segmenter. */
static size_t good_frame(uint8_t *f, size_t payload)
{
    size_t len = tcp4_frame(f, payload);
    Sent one = { 0 };

    assert_true(segment(f, len, false, 1000, MAX_SEGS, 256, &one));
    assert_int_equal(one.n, 1);
    memcpy(f, one.buf[0], one.len[0]);
    return one.len[0];
}

static void test_rx_csum(void **state)
{
    uint8_t f[128];
    NetHeaders h;
    size_t len = good_frame(f, 20);
    NetRxCsum r;

    assert_true(net_parse_ip(f, len, &h));
    r = net_rx_csum(f, &h, true, true);
    assert_true(r.ip_checked && r.l4_checked);
    assert_false(r.ip_bad || r.l4_bad);
    r = net_rx_csum(f, &h, false, false);
    assert_false(r.ip_checked || r.l4_checked);
    /* Ethernet padding after the datagram is not summed. */
    memset(f + len, 0xee, 10);
    assert_true(net_parse_ip(f, len + 10, &h));
    r = net_rx_csum(f, &h, true, true);
    assert_false(r.ip_bad || r.l4_bad);
    f[22]--;                                         /* TTL: header bad */
    r = net_rx_csum(f, &h, true, true);
    assert_true(r.ip_bad);
    assert_false(r.l4_bad);
    f[22]++;
    f[60] ^= 0x01;                                   /* payload: TCP bad */
    r = net_rx_csum(f, &h, true, true);
    assert_false(r.ip_bad);
    assert_true(r.l4_bad);
    st_be16(f + 20, NET_IP4_MF);                     /* a fragment */
    assert_true(net_parse_ip(f, len, &h));
    r = net_rx_csum(f, &h, false, true);
    assert_false(r.l4_checked);
}

static void test_rx_csum_udp_none(void **state)
{
    uint8_t f[128];
    NetHeaders h;
    size_t len = tcp4_frame(f, 20);
    NetRxCsum r;

    f[23] = NET_IP_PROTO_UDP;
    st_be16(f + 34 + NET_UDP_CSUM, 0);               /* no checksum sent */
    assert_true(net_parse_ip(f, len, &h));
    r = net_rx_csum(f, &h, false, true);
    assert_true(r.l4_checked);
    assert_false(r.l4_bad);
    f[23] = 1;                                       /* ICMP: no L4 check */
    assert_true(net_parse_ip(f, len, &h));
    r = net_rx_csum(f, &h, true, true);
    assert_true(r.ip_checked);
    assert_false(r.l4_checked);
}

static void check_segments(const Sent *s, bool ipv6)
{
    static const size_t plen[3] = { 100, 100, 50 };
    size_t l4 = ipv6 ? 54 : 34;

    assert_int_equal(s->n, 3);
    for (unsigned i = 0; i < 3; i++) {
        const uint8_t *g = s->buf[i];
        NetHeaders h;

        assert_int_equal(s->len[i], l4 + 20 + plen[i]);
        assert_true(net_parse_ip(g, s->len[i], &h));
        NetRxCsum r = net_rx_csum(g, &h, true, true);
        assert_true(r.l4_checked);
        assert_false(r.ip_bad || r.l4_bad);
        assert_int_equal(ld_be32(g + l4 + NET_TCP_SEQ), 1000 + 100 * i);
        assert_int_equal(g[l4 + 20], (uint8_t)(100 * i));   /* payload moves on */
        /* FIN and PSH in the last only, CWR in the first only; ACK always */
        assert_int_equal(g[l4 + NET_TCP_FLAGS],
                         0x10 | (i == 2 ? 0x09 : 0) | (i == 0 ? 0x80 : 0));
        if (!ipv6) {
            assert_int_equal(ld_be16(g + 16), 40 + plen[i]);
            assert_int_equal(ld_be16(g + 18), 0x1234 + i);
        } else {
            assert_int_equal(ld_be16(g + 18), 20 + plen[i]);
        }
    }
}

static void test_tso_ipv4(void **state)
{
    uint8_t f[320];
    Sent sent = { 0 };
    size_t len = tcp4_frame(f, 250);

    assert_true(segment(f, len, false, 100, MAX_SEGS, 256, &sent));
    check_segments(&sent, false);
    /* Refused: wrong IP version, mss 0, too many segments, too little room,
     * a TCP data offset under 20 bytes. */
    sent.n = 0;
    assert_false(segment(f, len, true, 100, MAX_SEGS, 256, &sent));
    assert_false(segment(f, len, false, 0, MAX_SEGS, 256, &sent));
    assert_false(segment(f, len, false, 100, 2, 256, &sent));
    assert_false(segment(f, len, false, 100, MAX_SEGS, 100, &sent));
    f[46] = 0x40;
    assert_false(segment(f, len, false, 100, MAX_SEGS, 256, &sent));
    assert_int_equal(sent.n, 0);
}

static void test_tso_ipv6(void **state)
{
    uint8_t f[340];
    Sent sent = { 0 };
    size_t len = tcp6_frame(f, 250);

    assert_true(segment(f, len, true, 100, MAX_SEGS, 256, &sent));
    check_segments(&sent, true);
}

static void test_tso_fixups_bounded(void **state)
{
    /* Offsets beyond a short segment change nothing. */
    NetHeaders h = { .l3 = 250, .l4 = 255, .proto = NET_IP_PROTO_TCP };
    uint8_t f[40];

    memset(f, 0x5a, sizeof(f));
    net_tso_fix_ip(f, sizeof(f), &h, 3);
    net_tso_fix_tcp(f, sizeof(f), &h, 1000, 0xff);
    net_tso_fix_udp(f, sizeof(f), &h);
    net_csum_field_add(f, sizeof(f), 39, 7);
    h.ipv6 = true;
    net_tso_fix_ip(f, sizeof(f), &h, 3);
    for (size_t i = 0; i < sizeof(f); i++) {
        assert_int_equal(f[i], 0x5a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_vlan),
        cmocka_unit_test(test_csum_insert),
        cmocka_unit_test(test_rx_csum),
        cmocka_unit_test(test_rx_csum_udp_none),
        cmocka_unit_test(test_tso_ipv4),
        cmocka_unit_test(test_tso_ipv6),
        cmocka_unit_test(test_tso_fixups_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * virtio-net transmit offloads done by the device (OASIS VIRTIO 1.1 section
 * 5.1.6.2): checksum completion for VIRTIO_NET_HDR_F_NEEDS_CSUM, and TCP
 * segmentation for the TSO4/TSO6 GSO types (RFC 791 and 8200 headers,
 * RFC 793 sequence numbers and flags, RFC 1071 checksums). What a host
 * tap device would do for QEMU. IP options and IPv6 extension headers are
 * not walked: such frames are refused.
 */
#include "hw/virtio/virtio-net.h"

#include <string.h>

#include <glib.h>

#include "emu/byteorder.h"

/* Ethernet, IPv4, IPv6, TCP */
#define ETH_HLEN           14
#define ETH_TYPE           12
#define ETH_P_IP           0x0800
#define ETH_P_IPV6         0x86dd
#define ETH_P_VLAN         0x8100
#define VLAN_HLEN          4
#define IP4_MIN_HLEN       20
#define IP4_TOT_LEN        2
#define IP4_ID             4
#define IP4_PROTO          9
#define IP4_CSUM           10
#define IP4_SRC            12
#define IP6_HLEN           40
#define IP6_PLEN           4
#define IP6_NEXT           6
#define IP6_SRC            8
#define IP_PROTO_TCP       6
#define TCP_MIN_HLEN       20
#define TCP_SEQ            4
#define TCP_DOFF           12
#define TCP_FLAGS          13
#define  TCP_FIN           0x01
#define  TCP_PSH           0x08
#define  TCP_CWR           0x80
#define TCP_CSUM           16

typedef struct TcpFrame {
    size_t l3;          /* IP header */
    size_t l4;          /* TCP header */
    size_t hdrs;        /* all headers: payload starts here */
    bool ipv6;
} TcpFrame;

/* RFC 1071 sum of 16-bit big-endian words, odd byte padded with zero. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2) {
        sum += ld_be16(p + i);
    }
    if (len & 1) {
        sum += (uint32_t)p[len - 1] << 8;
    }
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

bool virtio_net_csum_complete(uint8_t *frame, size_t len, uint32_t start,
                              uint32_t off)
{
    if (start > len || off > len - start || len - start - off < 2) {
        return false;
    }
    st_be16(frame + start + off, csum_fold(csum_add(0, frame + start, len - start)));
    return true;
}

/* Ethernet, one optional VLAN tag, then IPv4 or IPv6 carrying TCP. */
static bool tso_parse(const uint8_t *f, size_t len, uint8_t gso, TcpFrame *t)
{
    size_t l3 = ETH_HLEN;
    if (len < ETH_HLEN) {
        return false;
    }
    uint16_t type = ld_be16(f + ETH_TYPE);
    if (type == ETH_P_VLAN) {
        if (len < ETH_HLEN + VLAN_HLEN) {
            return false;
        }
        type = ld_be16(f + ETH_TYPE + VLAN_HLEN);
        l3 += VLAN_HLEN;
    }
    t->l3 = l3;
    t->ipv6 = (gso & ~VIRTIO_NET_HDR_GSO_ECN) == VIRTIO_NET_HDR_GSO_TCPV6;
    if (!t->ipv6 && type == ETH_P_IP && len >= l3 + IP4_MIN_HLEN &&
        f[l3] >> 4 == 4 && f[l3 + IP4_PROTO] == IP_PROTO_TCP) {
        t->l4 = l3 + (f[l3] & 0xf) * 4u;
        if ((f[l3] & 0xf) * 4u < IP4_MIN_HLEN) {
            return false;
        }
    } else if (t->ipv6 && type == ETH_P_IPV6 && len >= l3 + IP6_HLEN &&
               f[l3] >> 4 == 6 && f[l3 + IP6_NEXT] == IP_PROTO_TCP) {
        t->l4 = l3 + IP6_HLEN;
    } else {
        return false;
    }
    if (len < t->l4 + TCP_MIN_HLEN) {
        return false;
    }
    unsigned doff = (f[t->l4 + TCP_DOFF] >> 4) * 4u;
    t->hdrs = t->l4 + doff;
    return doff >= TCP_MIN_HLEN && t->hdrs <= len;
}

/* The TCP checksum with its pseudo-header (RFC 793, RFC 8200 8.1). */
static void tso_tcp_csum(uint8_t *s, const TcpFrame *t, size_t seg_len)
{
    size_t tcp_len = seg_len - t->l4;
    uint32_t sum;

    s[t->l4 + TCP_CSUM] = s[t->l4 + TCP_CSUM + 1] = 0;
    if (t->ipv6) {
        sum = csum_add(0, s + t->l3 + IP6_SRC, 32);
        sum += (uint32_t)(tcp_len >> 16) + (uint32_t)(tcp_len & 0xffff);
    } else {
        sum = csum_add(0, s + t->l3 + IP4_SRC, 8);
        sum += (uint32_t)tcp_len;
    }
    sum += IP_PROTO_TCP;
    sum = csum_add(sum, s + t->l4, tcp_len);
    st_be16(s + t->l4 + TCP_CSUM, csum_fold(sum));
}

/* Segment i of n: lengths, ID, header checksum, sequence, flags. */
static void tso_fix_headers(uint8_t *s, const TcpFrame *t, size_t seg_len,
                            unsigned i, unsigned n, uint32_t seq_off)
{
    if (t->ipv6) {
        st_be16(s + t->l3 + IP6_PLEN, seg_len - t->l3 - IP6_HLEN);
    } else {
        size_t ihl = t->l4 - t->l3;
        st_be16(s + t->l3 + IP4_TOT_LEN, seg_len - t->l3);
        st_be16(s + t->l3 + IP4_ID, ld_be16(s + t->l3 + IP4_ID) + i);
        s[t->l3 + IP4_CSUM] = s[t->l3 + IP4_CSUM + 1] = 0;
        st_be16(s + t->l3 + IP4_CSUM, csum_fold(csum_add(0, s + t->l3, ihl)));
    }
    st_be32(s + t->l4 + TCP_SEQ, ld_be32(s + t->l4 + TCP_SEQ) + seq_off);
    if (i + 1 < n) {
        s[t->l4 + TCP_FLAGS] &= ~(TCP_FIN | TCP_PSH);
    }
    if (i > 0) {
        s[t->l4 + TCP_FLAGS] &= ~TCP_CWR;
    }
    tso_tcp_csum(s, t, seg_len);
}

bool virtio_net_tso_segment(const uint8_t *frame, size_t len, uint8_t gso_type,
                            uint16_t mss, uint8_t *seg, size_t seg_cap,
                            VirtIONetSendFn send, void *opaque)
{
    TcpFrame t;

    if (mss == 0 || !tso_parse(frame, len, gso_type, &t)) {
        return false;
    }
    size_t payload = len - t.hdrs;
    unsigned n = payload ? (payload + mss - 1) / mss : 1;
    if (n > VIRTIO_NET_TSO_MAX_SEGS || t.hdrs + MIN(payload, mss) > seg_cap) {
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        size_t off = (size_t)i * mss;
        size_t plen = MIN(payload - off, (size_t)mss);
        memcpy(seg, frame, t.hdrs);
        memcpy(seg + t.hdrs, frame + t.hdrs + off, plen);
        tso_fix_headers(seg, &t, t.hdrs + plen, i, n, off);
        send(opaque, seg, t.hdrs + plen);
    }
    return true;
}

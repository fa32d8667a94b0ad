/* SPDX-License-Identifier: MIT */
/*
 * Checksum and segmentation offloads on a frame in a buffer, for every
 * network card: see net-offload.h. IP options are skipped by IHL; IPv6
 * extension headers are not walked (such frames are not parsed).
 */
#include "hw/net/net-offload.h"

#include <string.h>

#include <glib.h>

#include "emu/byteorder.h"
#include "emu/checksum.h"

/* ---------------------------------------------------------------------- */
/* Headers                                                                 */

static bool net_parse_ipv4(const uint8_t *f, size_t len, NetHeaders *h)
{
    const uint8_t *ip = f + h->l3;
    size_t ihl, tot;

    if (len < h->l3 + NET_IP4_MIN_HLEN || ip[0] >> 4 != 4) {
        return false;
    }
    ihl = (ip[0] & 0xfu) * 4;
    if (ihl < NET_IP4_MIN_HLEN || h->l3 + ihl > len) {
        return false;
    }
    h->l4 = h->l3 + ihl;
    tot = ld_be16(ip + NET_IP4_TOT_LEN);
    h->ip_end = tot < ihl ? h->l4 : MIN(len, h->l3 + tot);
    h->proto = ip[NET_IP4_PROTO];
    h->frag = (ld_be16(ip + NET_IP4_FRAG) & (NET_IP4_MF | NET_IP4_OFFSET)) != 0;
    return true;
}

static bool net_parse_ipv6(const uint8_t *f, size_t len, NetHeaders *h)
{
    const uint8_t *ip = f + h->l3;

    if (len < h->l3 + NET_IP6_HLEN || ip[0] >> 4 != 6) {
        return false;
    }
    h->ipv6 = true;
    h->l4 = h->l3 + NET_IP6_HLEN;
    h->ip_end = MIN(len, h->l4 + ld_be16(ip + NET_IP6_PLEN));
    h->proto = ip[NET_IP6_NEXT];
    return true;
}

bool net_parse_ip(const uint8_t *f, size_t len, NetHeaders *h)
{
    uint16_t type;

    memset(h, 0, sizeof(*h));
    if (len < NET_ETH_HLEN) {
        return false;
    }
    h->l3 = NET_ETH_HLEN;
    type = ld_be16(f + NET_ETH_TYPE);
    if (type == NET_ETH_P_VLAN) {
        if (len < NET_ETH_HLEN + NET_VLAN_HLEN) {
            return false;
        }
        type = ld_be16(f + NET_ETH_TYPE + NET_VLAN_HLEN);
        h->l3 += NET_VLAN_HLEN;
    }
    if (type == NET_ETH_P_IP) {
        return net_parse_ipv4(f, len, h);
    }
    return type == NET_ETH_P_IPV6 && net_parse_ipv6(f, len, h);
}

/* ---------------------------------------------------------------------- */
/* Checksums                                                               */

bool net_csum_insert(uint8_t *frame, size_t end, size_t start, size_t at,
                     bool nozero)
{
    uint32_t sum = 0;

    if (at >= end || end - at < 2) {
        return false;
    }
    if (start < end) {
        sum = csum_add(0, frame + start, end - start);
    }
    st_be16(frame + at, nozero ? csum_finish_nozero(sum) : csum_finish(sum));
    return true;
}

/* The pseudo-header of the TCP/UDP segment [l4, l4 + l4_len). */
static uint32_t net_pseudo_sum(const uint8_t *f, const NetHeaders *h,
                               uint32_t l4_len)
{
    if (h->ipv6) {
        return csum_pseudo_ipv6(f + h->l3 + NET_IP6_SRC, h->proto, l4_len);
    }
    return csum_pseudo_ipv4(f + h->l3 + NET_IP4_SRC, h->proto, l4_len);
}

/* The TCP/UDP checksum over [l4, end) with its pseudo-header, stored. */
static void net_l4_csum(uint8_t *f, size_t end, const NetHeaders *h, size_t field)
{
    uint32_t l4_len = (uint32_t)(end - h->l4);

    st_be16(f + h->l4 + field, 0);
    st_be16(f + h->l4 + field,
            csum_finish(csum_add(net_pseudo_sum(f, h, l4_len), f + h->l4, l4_len)));
}

/* Does [l4, ip_end) hold at least the TCP or UDP header? */
static bool net_l4_present(const NetHeaders *h)
{
    size_t min = h->proto == NET_IP_PROTO_TCP ? NET_TCP_MIN_HLEN : NET_UDP_HLEN;

    return (h->proto == NET_IP_PROTO_TCP || h->proto == NET_IP_PROTO_UDP) &&
           !h->frag && h->ip_end >= h->l4 + min;
}

NetRxCsum net_rx_csum(const uint8_t *f, const NetHeaders *h, bool ip, bool l4)
{
    NetRxCsum r = { false, false, false, false };

    if (ip && !h->ipv6) {
        r.ip_checked = true;
        r.ip_bad = csum_fold(csum_add(0, f + h->l3, h->l4 - h->l3)) != 0xffff;
    }
    if (l4 && net_l4_present(h)) {
        uint32_t l4_len = (uint32_t)(h->ip_end - h->l4);
        uint32_t sum = csum_add(net_pseudo_sum(f, h, l4_len), f + h->l4, l4_len);

        r.l4_checked = true;
        r.l4_bad = csum_fold(sum) != 0xffff;
        if (h->proto == NET_IP_PROTO_UDP && !h->ipv6 &&
            ld_be16(f + h->l4 + NET_UDP_CSUM) == 0) {
            r.l4_bad = false;           /* no checksum sent (RFC 768) */
        }
    }
    return r;
}

void net_csum_field_add(uint8_t *seg, size_t seg_len, size_t at, uint32_t v)
{
    if (at < seg_len && seg_len - at >= 2) {
        st_be16(seg + at, csum_fold(csum_add_u32(ld_be16(seg + at), v)));
    }
}

/* ---------------------------------------------------------------------- */
/* TCP segmentation                                                        */

void net_tso_fix_ip(uint8_t *seg, size_t seg_len, const NetHeaders *h,
                    unsigned index)
{
    size_t l3 = h->l3;

    if (!h->ipv6 && l3 + NET_IP4_FRAG <= seg_len) {
        st_be16(seg + l3 + NET_IP4_TOT_LEN, (uint16_t)(seg_len - l3));
        st_be16(seg + l3 + NET_IP4_ID, (uint16_t)(ld_be16(seg + l3 + NET_IP4_ID) + index));
    } else if (h->ipv6 && l3 + NET_IP6_HLEN <= seg_len) {
        st_be16(seg + l3 + NET_IP6_PLEN, (uint16_t)(seg_len - l3 - NET_IP6_HLEN));
    }
}

void net_tso_fix_tcp(uint8_t *seg, size_t seg_len, const NetHeaders *h,
                     uint32_t seq_off, uint8_t clear)
{
    uint8_t *tcp = seg + h->l4;

    if (h->l4 + NET_TCP_FLAGS + 1 <= seg_len) {
        st_be32(tcp + NET_TCP_SEQ, ld_be32(tcp + NET_TCP_SEQ) + seq_off);
        tcp[NET_TCP_FLAGS] &= (uint8_t)~clear;
    }
}

void net_tso_fix_udp(uint8_t *seg, size_t seg_len, const NetHeaders *h)
{
    if (h->l4 + NET_UDP_CSUM <= seg_len) {
        st_be16(seg + h->l4 + NET_UDP_LEN, (uint16_t)(seg_len - h->l4));
    }
}

/* Ethernet, maybe one tag, IPv4 or IPv6 as asked, carrying TCP; hdrs is
 * where the payload starts. */
static bool net_parse_tcp(const uint8_t *f, size_t len, bool ipv6, NetHeaders *h,
                          size_t *hdrs)
{
    size_t doff;

    if (!net_parse_ip(f, len, h) || h->ipv6 != ipv6 ||
        h->proto != NET_IP_PROTO_TCP || len < h->l4 + NET_TCP_MIN_HLEN) {
        return false;
    }
    doff = (f[h->l4 + NET_TCP_DOFF] >> 4) * 4u;
    *hdrs = h->l4 + doff;
    return doff >= NET_TCP_MIN_HLEN && *hdrs <= len;
}

/* Segment i of n: lengths, ID, header checksum, sequence, flags, checksum. */
static void net_tso_fix_segment(uint8_t *s, size_t seg_len, const NetHeaders *h,
                                unsigned i, unsigned n, uint32_t seq_off)
{
    uint8_t clear = (i + 1 < n ? NET_TCP_FIN | NET_TCP_PSH : 0) |
                    (i > 0 ? NET_TCP_CWR : 0);

    net_tso_fix_ip(s, seg_len, h, i);
    if (!h->ipv6) {
        st_be16(s + h->l3 + NET_IP4_CSUM, 0);
        net_csum_insert(s, h->l4, h->l3, h->l3 + NET_IP4_CSUM, false);
    }
    net_tso_fix_tcp(s, seg_len, h, seq_off, clear);
    net_l4_csum(s, seg_len, h, NET_TCP_CSUM);
}

bool net_tso_segment(const uint8_t *frame, size_t len, bool ipv6, uint16_t mss,
                     unsigned max_segs, uint8_t *seg, size_t seg_cap,
                     NetSendFn send, void *opaque)
{
    NetHeaders h;
    size_t hdrs;

    if (mss == 0 || !net_parse_tcp(frame, len, ipv6, &h, &hdrs)) {
        return false;
    }
    size_t payload = len - hdrs;
    unsigned n = payload ? (unsigned)((payload + mss - 1) / mss) : 1;
    if (n > max_segs || hdrs + MIN(payload, mss) > seg_cap) {
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        size_t off = (size_t)i * mss;
        size_t plen = MIN(payload - off, (size_t)mss);
        memcpy(seg, frame, hdrs);
        memcpy(seg + hdrs, frame + hdrs + off, plen);
        net_tso_fix_segment(seg, hdrs + plen, &h, i, n, (uint32_t)off);
        send(opaque, seg, hdrs + plen);
    }
    return true;
}

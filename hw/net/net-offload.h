/* SPDX-License-Identifier: MIT */
/*
 * What network cards do to frames in a buffer, shared by all of them:
 * finding the IP and TCP/UDP headers (Ethernet II, one 802.1Q tag, IPv4
 * with options, IPv6 without extension headers), inserting a checksum,
 * checking the IP and TCP/UDP checksums of a received frame, the
 * per-segment header fix-ups of TCP segmentation (IP length and ID, TCP
 * sequence number and flags, UDP length) and a whole software TCP
 * segmentation of a frame (what a host's GSO does). RFC 791, 768, 793,
 * 8200; the sums themselves are emu/checksum. Nothing here knows rings,
 * descriptors or DMA; every function stays inside the buffer it is given.
 */
#ifndef HW_NET_NET_OFFLOAD_H
#define HW_NET_NET_OFFLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ethernet II and 802.1Q */
#define NET_ETH_HLEN        14
#define NET_ETH_TYPE        12
#define  NET_ETH_P_IP           0x0800
#define  NET_ETH_P_IPV6         0x86dd
#define  NET_ETH_P_VLAN         0x8100
#define NET_VLAN_HLEN       4
/* IPv4 (RFC 791) and IPv6 (RFC 8200) */
#define NET_IP4_MIN_HLEN    20
#define NET_IP4_TOT_LEN     2
#define NET_IP4_ID          4
#define NET_IP4_FRAG        6
#define  NET_IP4_MF             0x2000
#define  NET_IP4_OFFSET         0x1fff
#define NET_IP4_PROTO       9
#define NET_IP4_CSUM        10
#define NET_IP4_SRC         12
#define NET_IP6_HLEN        40
#define NET_IP6_PLEN        4
#define NET_IP6_NEXT        6
#define NET_IP6_SRC         8
#define NET_IP_PROTO_TCP    6
#define NET_IP_PROTO_UDP    17
/* TCP (RFC 793, 3168) and UDP (RFC 768) */
#define NET_TCP_MIN_HLEN    20
#define NET_TCP_SEQ         4
#define NET_TCP_DOFF        12
#define NET_TCP_FLAGS       13
#define  NET_TCP_FIN            0x01
#define  NET_TCP_PSH            0x08
#define  NET_TCP_CWR            0x80
#define NET_TCP_CSUM        16
#define NET_UDP_HLEN        8
#define NET_UDP_LEN         4
#define NET_UDP_CSUM        6

/* Where the headers of a frame are, as offsets into it. */
typedef struct NetHeaders {
    size_t l3;          /* IP header */
    size_t l4;          /* what follows it: l3 + IHL * 4, or l3 + 40 */
    size_t ip_end;      /* end of the datagram by its length, at most the frame's */
    uint8_t proto;      /* IPv4 protocol, IPv6 next header */
    bool ipv6;          /* else IPv4 */
    bool frag;          /* an IPv4 fragment (MF, or an offset) */
} NetHeaders;

/* Where finished frames go. */
typedef void (*NetSendFn)(void *opaque, const uint8_t *buf, size_t len);

/* Ethernet (maybe one tag), then IPv4 or IPv6 whose whole header is in the
 * frame. False for anything else. */
bool net_parse_ip(const uint8_t *frame, size_t len, NetHeaders *h);

/* The checksum of frame[start, end) (nothing when start >= end) stored
 * big-endian at frame + at, if at + 2 <= end; nozero stores 0 as 0xffff.
 * False, frame unchanged, if it does not fit. */
bool net_csum_insert(uint8_t *frame, size_t end, size_t start, size_t at,
                     bool nozero);

/* What a receiver finds checking a frame's checksums (RFC 1071: a header
 * or segment with its checksum in sums to all ones). */
typedef struct NetRxCsum {
    bool ip_checked, ip_bad;    /* IPv4 header checksum */
    bool l4_checked, l4_bad;    /* TCP or UDP checksum, with pseudo-header */
} NetRxCsum;

/* Checks the IPv4 header (when ip) and the TCP/UDP checksum (when l4) of
 * frame, as parsed by net_parse_ip. Not checked: IPv6 has no header
 * checksum; fragments, other protocols and truncated headers have no
 * TCP/UDP checksum to check. A UDP over IPv4 checksum of 0 is "none sent":
 * checked, not bad. */
NetRxCsum net_rx_csum(const uint8_t *frame, const NetHeaders *h, bool ip,
                      bool l4);

/* TCP segmentation, per segment of seg_len bytes built from a copy of the
 * headers: index is the segment's number from 0; each writes only fields
 * wholly inside seg[0, seg_len). */
/* IPv4 total length and ID + index, or IPv6 payload length. */
void net_tso_fix_ip(uint8_t *seg, size_t seg_len, const NetHeaders *h,
                    unsigned index);
/* TCP sequence number + seq_off, and the flags in clear cleared. */
void net_tso_fix_tcp(uint8_t *seg, size_t seg_len, const NetHeaders *h,
                     uint32_t seq_off, uint8_t clear);
/* UDP length. */
void net_tso_fix_udp(uint8_t *seg, size_t seg_len, const NetHeaders *h);
/* The 16-bit one's-complement field at `at` plus v (a partial pseudo-header
 * sum the driver left there, plus the segment's length). */
void net_csum_field_add(uint8_t *seg, size_t seg_len, size_t at, uint32_t v);

/*
 * A host's TCP segmentation of a whole frame (Ethernet, maybe one tag, IPv4
 * or IPv6 as ipv6 says, TCP): segments of at most mss payload bytes, each
 * with its IP length, IPv4 ID and header checksum, sequence number, flags
 * (FIN and PSH only in the last, CWR only in the first) and TCP checksum
 * set, built in seg (seg_cap bytes) and handed to send. False, nothing
 * sent, if the headers do not parse or it would take more than max_segs.
 */
bool net_tso_segment(const uint8_t *frame, size_t len, bool ipv6, uint16_t mss,
                     unsigned max_segs, uint8_t *seg, size_t seg_cap,
                     NetSendFn send, void *opaque);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * virtio-net (OASIS VIRTIO 1.1 section 5.1): the device type is
 * virtio_net_pci_type (hw/devices.h). This header holds what its two files
 * share: the virtio_net_hdr fields and the transmit offloads (checksum
 * completion and TCP segmentation, virtio-net-offload.c), which work on a
 * frame in a buffer and know nothing of rings or PCI.
 */
#ifndef HW_VIRTIO_VIRTIO_NET_H
#define HW_VIRTIO_VIRTIO_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct virtio_net_hdr (section 5.1.6) */
#define VIRTIO_NET_HDR_FLAGS        0
#define  VIRTIO_NET_HDR_F_NEEDS_CSUM 0x01
#define  VIRTIO_NET_HDR_F_DATA_VALID 0x02
#define VIRTIO_NET_HDR_GSO_TYPE     1
#define  VIRTIO_NET_HDR_GSO_NONE    0x00
#define  VIRTIO_NET_HDR_GSO_TCPV4   0x01
#define  VIRTIO_NET_HDR_GSO_UDP     0x03
#define  VIRTIO_NET_HDR_GSO_TCPV6   0x04
#define  VIRTIO_NET_HDR_GSO_ECN     0x80
#define VIRTIO_NET_HDR_HDR_LEN      2
#define VIRTIO_NET_HDR_GSO_SIZE     4
#define VIRTIO_NET_HDR_CSUM_START   6
#define VIRTIO_NET_HDR_CSUM_OFFSET  8
#define VIRTIO_NET_HDR_NUM_BUFFERS  10
#define VIRTIO_NET_HDR_LEN          10   /* legacy, without num_buffers */
#define VIRTIO_NET_HDR_MRG_LEN      12   /* mergeable buffers or VERSION_1 */

/* Limits */
#define VIRTIO_NET_TSO_MAX_SEGS     64   /* segments one GSO frame may make */

/* Where finished frames go. */
typedef void (*VirtIONetSendFn)(void *opaque, const uint8_t *buf, size_t len);

/* The ones' complement of the sum of frame[start, len) stored big-endian
 * at start + off (section 5.1.6.2). False, frame unchanged, if it does not
 * fit. */
bool virtio_net_csum_complete(uint8_t *frame, size_t len, uint32_t start,
                              uint32_t off);

/*
 * Cuts a TCP over IPv4 or IPv6 frame (Ethernet, maybe one 802.1Q tag) into
 * segments of at most mss payload bytes, each with its IP length, IPv4 ID
 * and header checksum, TCP sequence number, flags and checksum fixed, built
 * in seg (seg_cap bytes) and handed to send. False (nothing sent) if the
 * headers do not parse as the gso_type says, or it would take more than
 * VIRTIO_NET_TSO_MAX_SEGS segments.
 */
bool virtio_net_tso_segment(const uint8_t *frame, size_t len, uint8_t gso_type,
                            uint16_t mss, uint8_t *seg, size_t seg_cap,
                            VirtIONetSendFn send, void *opaque);

#endif

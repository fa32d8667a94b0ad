/* SPDX-License-Identifier: MIT */
/*
 * virtio-net (OASIS VIRTIO 1.1 section 5.1): the device type is
 * virtio_net_pci_type (hw/devices.h). This header holds what its files
 * share: the device state and feature bits (virtio-net.c: configuration,
 * receive, transmit; virtio-net-ctrl.c: the control queue) and the
 * virtio_net_hdr fields. The transmit offloads (checksum completion and TCP
 * segmentation) are hw/net/net-offload's, shared with e1000.
 */
#ifndef HW_VIRTIO_VIRTIO_NET_H
#define HW_VIRTIO_VIRTIO_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/backend/net.h"
#include "hw/virtio/virtio-pci.h"

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

/* Feature bits (section 5.1.3) */
#define VIRTIO_NET_F_CSUM            0
#define VIRTIO_NET_F_GUEST_CSUM      1
#define VIRTIO_NET_F_CTRL_GUEST_OFFLOADS 2
#define VIRTIO_NET_F_MAC             5
#define VIRTIO_NET_F_GSO             6    /* legacy */
#define VIRTIO_NET_F_GUEST_TSO4      7
#define VIRTIO_NET_F_GUEST_TSO6      8
#define VIRTIO_NET_F_GUEST_ECN       9
#define VIRTIO_NET_F_GUEST_UFO       10
#define VIRTIO_NET_F_HOST_TSO4       11
#define VIRTIO_NET_F_HOST_TSO6       12
#define VIRTIO_NET_F_HOST_ECN        13
#define VIRTIO_NET_F_HOST_UFO        14
#define VIRTIO_NET_F_MRG_RXBUF       15
#define VIRTIO_NET_F_STATUS          16
#define VIRTIO_NET_F_CTRL_VQ         17
#define VIRTIO_NET_F_CTRL_RX         18
#define VIRTIO_NET_F_CTRL_VLAN       19
#define VIRTIO_NET_F_CTRL_RX_EXTRA   20
#define VIRTIO_NET_F_GUEST_ANNOUNCE  21
#define VIRTIO_NET_F_CTRL_MAC_ADDR   23
#define VIRTIO_NET_BIT(n) (1ull << (n))

#define VIRTIO_NET_GUEST_OFFLOADS (VIRTIO_NET_BIT(VIRTIO_NET_F_GUEST_CSUM) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_GUEST_TSO4) | VIRTIO_NET_BIT(VIRTIO_NET_F_GUEST_TSO6) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_GUEST_ECN) | VIRTIO_NET_BIT(VIRTIO_NET_F_GUEST_UFO))

/* Configuration space (section 5.1.4): mac, status */
#define VIRTIO_NET_CFG_MAC     0
#define VIRTIO_NET_CFG_STATUS  6
#define VIRTIO_NET_CFG_LEN     8
#define  VIRTIO_NET_S_LINK_UP  0x1
#define  VIRTIO_NET_S_ANNOUNCE 0x2

/* Queues and identity (QEMU's) */
#define VIRTIO_NET_RXQ          0
#define VIRTIO_NET_TXQ          1
#define VIRTIO_NET_CTRLQ        2
#define VIRTIO_NET_RX_QUEUE_SIZE   256
#define VIRTIO_NET_TX_QUEUE_SIZE   256
#define VIRTIO_NET_CTRL_QUEUE_SIZE 64
#define VIRTIO_NET_PCI_DEVICE_ID   0x1000
#define VIRTIO_ID_NET              1
#define VIRTIO_NET_ROM_KIB         256      /* efi-virtio.rom's BAR */
#define ETH_ALEN 6

/* Limits */
#define VIRTIO_NET_MAC_TABLE_ENTRIES 64
#define VIRTIO_NET_MAX_VLAN       4096
#define VIRTIO_NET_MAX_FRAME      NET_MAX_FRAME
#define VIRTIO_NET_TSO_MAX_SEGS   64     /* segments one GSO frame may make */

typedef struct VirtIONetMacTable {
    uint32_t in_use;
    uint32_t first_multi;
    bool uni_overflow;
    bool multi_overflow;
    uint8_t macs[VIRTIO_NET_MAC_TABLE_ENTRIES * ETH_ALEN];
} VirtIONetMacTable;

/* Buffers for one transmitted frame and its segments: scratch, dead
 * between two accesses, so outside the instance, registered with no live
 * bytes (object_add_state). */
typedef struct VirtIONetScratch {
    uint8_t frame[VIRTIO_NET_MAX_FRAME];
    uint8_t seg[VIRTIO_NET_MAX_FRAME];
} VirtIONetScratch;

typedef struct VirtIONet {
    VirtIOPCIProxy proxy;
    VirtIODevice vdev;
    uint8_t mac[ETH_ALEN];
    uint16_t status;                  /* config status: LINK_UP, ANNOUNCE */
    bool promisc, allmulti, alluni, nomulti, nouni, nobcast;
    bool mergeable_rx_bufs;
    uint8_t guest_hdr_len;
    bool tx_waiting;                  /* kicked before DRIVER_OK */
    uint64_t curr_guest_offloads;
    VirtIONetMacTable mac_table;
    uint32_t vlans[VIRTIO_NET_MAX_VLAN / 32];
    /* Set-up */
    uint8_t conf_mac[ETH_ALEN];
    bool has_vnet_hdr;                /* the peer takes offloaded frames */
    char *netdev;
    char *mac_str;
    NetBackend *nb;
    VirtIONetScratch *scratch;
} VirtIONet;

/* The control queue was kicked (virtio-net-ctrl.c). */
void virtio_net_handle_ctrl(VirtIONet *n);

#endif

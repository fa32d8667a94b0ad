/* SPDX-License-Identifier: MIT */
/*
 * virtio-net's control queue (OASIS VIRTIO 1.1 section 5.1.6.5): receive
 * modes, MAC address and MAC table, VLAN filter, announce acknowledgement
 * and guest offloads, with QEMU 7.2's checks on each command's length and
 * values; multiqueue commands are refused (not offered). Every command is
 * read from the chain at an offset, never all at once.
 */
#include <string.h>

#include <glib.h>

#include "emu/byteorder.h"
#include "hw/virtio/virtio-net.h"

/* Control queue (section 5.1.6.5): class, command, then data; ack byte */
#define VIRTIO_NET_CTRL_HDR_LEN 2
#define VIRTIO_NET_OK           0
#define VIRTIO_NET_ERR          1
#define VIRTIO_NET_CTRL_RX      0
#define  VIRTIO_NET_CTRL_RX_PROMISC  0
#define  VIRTIO_NET_CTRL_RX_ALLMULTI 1
#define  VIRTIO_NET_CTRL_RX_ALLUNI   2
#define  VIRTIO_NET_CTRL_RX_NOMULTI  3
#define  VIRTIO_NET_CTRL_RX_NOUNI    4
#define  VIRTIO_NET_CTRL_RX_NOBCAST  5
#define VIRTIO_NET_CTRL_MAC     1
#define  VIRTIO_NET_CTRL_MAC_TABLE_SET 0
#define  VIRTIO_NET_CTRL_MAC_ADDR_SET  1
#define VIRTIO_NET_CTRL_VLAN    2
#define  VIRTIO_NET_CTRL_VLAN_ADD 0
#define  VIRTIO_NET_CTRL_VLAN_DEL 1
#define VIRTIO_NET_CTRL_ANNOUNCE 3
#define  VIRTIO_NET_CTRL_ANNOUNCE_ACK 0
#define VIRTIO_NET_CTRL_GUEST_OFFLOADS 5
#define  VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET 0

/* Limits */
#define VIRTIO_NET_CTRL_BURST     VIRTIO_NET_CTRL_QUEUE_SIZE

/* Reads len bytes of command data at off; false if the chain is shorter. */
static bool virtio_net_ctrl_read(VirtIONet *n, const VirtQueueElement *elem,
                                 size_t off, void *buf, size_t len)
{
    return virtqueue_elem_read(&n->vdev, elem, off, buf, len) == len;
}

static uint8_t virtio_net_ctrl_rx_mode(VirtIONet *n, uint8_t cmd,
                                       const VirtQueueElement *elem)
{
    bool *modes[] = { &n->promisc, &n->allmulti, &n->alluni, &n->nomulti,
                      &n->nouni, &n->nobcast };
    uint8_t on;

    if (!virtio_net_ctrl_read(n, elem, VIRTIO_NET_CTRL_HDR_LEN, &on, 1) ||
        cmd >= G_N_ELEMENTS(modes)) {
        return VIRTIO_NET_ERR;
    }
    *modes[cmd] = on;
    return VIRTIO_NET_OK;
}

/* VIRTIO_NET_CTRL_MAC_TABLE_SET: a unicast then a multicast list, each a
 * le32 count and that many addresses; too many sets the overflow flag. */
static uint8_t virtio_net_ctrl_mac_table(VirtIONet *n, const VirtQueueElement *elem,
                                         size_t size)
{
    VirtIONetMacTable t = { 0 };
    size_t off = VIRTIO_NET_CTRL_HDR_LEN;
    uint8_t b[4];

    for (unsigned list = 0; list < 2; list++) {
        if (size - off < 4 || !virtio_net_ctrl_read(n, elem, off, b, 4)) {
            return VIRTIO_NET_ERR;
        }
        uint64_t bytes = (uint64_t)ld_le32(b) * ETH_ALEN;
        off += 4;
        if (list == 0 ? bytes > size - off : bytes != size - off) {
            return VIRTIO_NET_ERR;
        }
        uint32_t entries = bytes / ETH_ALEN;
        if (entries <= VIRTIO_NET_MAC_TABLE_ENTRIES - t.in_use) {
            if (!virtio_net_ctrl_read(n, elem, off, t.macs + t.in_use * ETH_ALEN,
                                      bytes)) {
                return VIRTIO_NET_ERR;
            }
            t.in_use += entries;
        } else if (list == 0) {
            t.uni_overflow = true;
        } else {
            t.multi_overflow = true;
        }
        off += bytes;
        if (list == 0) {
            t.first_multi = t.in_use;
        }
    }
    n->mac_table = t;
    return VIRTIO_NET_OK;
}

static uint8_t virtio_net_ctrl_mac(VirtIONet *n, uint8_t cmd,
                                   const VirtQueueElement *elem, size_t size)
{
    if (cmd == VIRTIO_NET_CTRL_MAC_ADDR_SET) {
        if (size - VIRTIO_NET_CTRL_HDR_LEN != ETH_ALEN ||
            !virtio_net_ctrl_read(n, elem, VIRTIO_NET_CTRL_HDR_LEN, n->mac, ETH_ALEN)) {
            return VIRTIO_NET_ERR;
        }
        return VIRTIO_NET_OK;
    }
    if (cmd != VIRTIO_NET_CTRL_MAC_TABLE_SET) {
        return VIRTIO_NET_ERR;
    }
    return virtio_net_ctrl_mac_table(n, elem, size);
}

static uint8_t virtio_net_ctrl_vlan(VirtIONet *n, uint8_t cmd,
                                    const VirtQueueElement *elem)
{
    uint8_t b[2];

    if (!virtio_net_ctrl_read(n, elem, VIRTIO_NET_CTRL_HDR_LEN, b, 2)) {
        return VIRTIO_NET_ERR;
    }
    uint16_t vid = ld_le16(b);
    if (vid >= VIRTIO_NET_MAX_VLAN) {
        return VIRTIO_NET_ERR;
    }
    if (cmd == VIRTIO_NET_CTRL_VLAN_ADD) {
        n->vlans[vid >> 5] |= 1u << (vid & 0x1f);
    } else if (cmd == VIRTIO_NET_CTRL_VLAN_DEL) {
        n->vlans[vid >> 5] &= ~(1u << (vid & 0x1f));
    } else {
        return VIRTIO_NET_ERR;
    }
    return VIRTIO_NET_OK;
}

static uint8_t virtio_net_ctrl_announce(VirtIONet *n, uint8_t cmd)
{
    if (cmd == VIRTIO_NET_CTRL_ANNOUNCE_ACK && (n->status & VIRTIO_NET_S_ANNOUNCE)) {
        n->status &= ~VIRTIO_NET_S_ANNOUNCE;
        return VIRTIO_NET_OK;
    }
    return VIRTIO_NET_ERR;
}

/* Only offloads the guest negotiated, only with a header-taking peer. */
static uint8_t virtio_net_ctrl_offloads(VirtIONet *n, uint8_t cmd,
                                        const VirtQueueElement *elem)
{
    uint8_t b[8];

    if (!virtio_has_feature(&n->vdev, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) ||
        !virtio_net_ctrl_read(n, elem, VIRTIO_NET_CTRL_HDR_LEN, b, 8) ||
        cmd != VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET || !n->has_vnet_hdr) {
        return VIRTIO_NET_ERR;
    }
    uint64_t offloads = ld_le64(b);
    if (offloads & ~(n->vdev.guest_features & VIRTIO_NET_GUEST_OFFLOADS)) {
        return VIRTIO_NET_ERR;
    }
    n->curr_guest_offloads = offloads;
    return VIRTIO_NET_OK;
}

static uint8_t virtio_net_ctrl_cmd(VirtIONet *n, const VirtQueueElement *elem)
{
    size_t size = virtqueue_elem_out_size(elem);
    uint8_t h[VIRTIO_NET_CTRL_HDR_LEN];

    virtio_net_ctrl_read(n, elem, 0, h, sizeof(h));
    switch (h[0]) {
    case VIRTIO_NET_CTRL_RX:   return virtio_net_ctrl_rx_mode(n, h[1], elem);
    case VIRTIO_NET_CTRL_MAC:  return virtio_net_ctrl_mac(n, h[1], elem, size);
    case VIRTIO_NET_CTRL_VLAN: return virtio_net_ctrl_vlan(n, h[1], elem);
    case VIRTIO_NET_CTRL_ANNOUNCE: return virtio_net_ctrl_announce(n, h[1]);
    case VIRTIO_NET_CTRL_GUEST_OFFLOADS:
        return virtio_net_ctrl_offloads(n, h[1], elem);
    default:                   return VIRTIO_NET_ERR;   /* MQ: not offered */
    }
}

void virtio_net_handle_ctrl(VirtIONet *n)
{
    VirtIODevice *vdev = &n->vdev;
    VirtQueueElement elem;

    for (unsigned i = 0; i < VIRTIO_NET_CTRL_BURST; i++) {
        if (!virtqueue_pop(vdev, VIRTIO_NET_CTRLQ, &elem)) {
            break;
        }
        if (virtqueue_elem_in_size(&elem) < 1 ||
            virtqueue_elem_out_size(&elem) < VIRTIO_NET_CTRL_HDR_LEN) {
            virtio_error(vdev, "virtio-net ctrl missing headers");
            virtqueue_detach(vdev, VIRTIO_NET_CTRLQ);
            return;
        }
        uint8_t ack = virtio_net_ctrl_cmd(n, &elem);
        virtqueue_elem_write(vdev, &elem, 0, &ack, 1);
        virtqueue_push(vdev, VIRTIO_NET_CTRLQ, elem.index, 1);
        virtio_notify(vdev, VIRTIO_NET_CTRLQ);
    }
    virtqueue_want_kick(vdev, VIRTIO_NET_CTRLQ);
}

/* SPDX-License-Identifier: MIT */
/*
 * virtio-net-pci: the virtio network device (OASIS VIRTIO 1.1 section 5.1)
 * over the transitional PCI transport, with QEMU 7.2's identity, features
 * and register behaviour. Receive, transmit and control queues; mergeable
 * receive buffers; receive filtering by MAC table, multicast, broadcast and
 * VLAN as QEMU's; link status and MAC in the configuration space. With a
 * loopback netdev the device acts as if its peer took virtio-net headers
 * (QEMU's tap): it offers the checksum and segmentation offloads and does
 * them itself. Left out: multiqueue, RSS, hash reports, MTU, announce timer.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "emu/log.h"
#include "hw/backend/net.h"
#include "hw/devices.h"
#include "hw/virtio/virtio-net.h"
#include "hw/virtio/virtio-pci.h"

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
#define BIT(n) (1ull << (n))

/* What QEMU 7.2 offers with a peer that takes no virtio-net header. */
#define VIRTIO_NET_BASE_FEATURES (BIT(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) | \
    BIT(VIRTIO_NET_F_MAC) | BIT(VIRTIO_NET_F_GSO) | BIT(VIRTIO_NET_F_MRG_RXBUF) | \
    BIT(VIRTIO_NET_F_STATUS) | BIT(VIRTIO_NET_F_CTRL_VQ) | \
    BIT(VIRTIO_NET_F_CTRL_RX) | BIT(VIRTIO_NET_F_CTRL_VLAN) | \
    BIT(VIRTIO_NET_F_CTRL_RX_EXTRA) | BIT(VIRTIO_NET_F_GUEST_ANNOUNCE) | \
    BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | BIT(VIRTIO_F_NOTIFY_ON_EMPTY) | \
    BIT(VIRTIO_F_ANY_LAYOUT) | BIT(VIRTIO_RING_F_INDIRECT_DESC) | \
    BIT(VIRTIO_RING_F_EVENT_IDX))
#define VIRTIO_NET_GUEST_OFFLOADS (BIT(VIRTIO_NET_F_GUEST_CSUM) | \
    BIT(VIRTIO_NET_F_GUEST_TSO4) | BIT(VIRTIO_NET_F_GUEST_TSO6) | \
    BIT(VIRTIO_NET_F_GUEST_ECN) | BIT(VIRTIO_NET_F_GUEST_UFO))
#define VIRTIO_NET_HOST_OFFLOADS (BIT(VIRTIO_NET_F_CSUM) | \
    BIT(VIRTIO_NET_F_HOST_TSO4) | BIT(VIRTIO_NET_F_HOST_TSO6) | \
    BIT(VIRTIO_NET_F_HOST_ECN) | BIT(VIRTIO_NET_F_HOST_UFO))
#define VIRTIO_NET_BAD_FEATURES (BIT(VIRTIO_NET_F_MAC) | BIT(VIRTIO_NET_F_CSUM) | \
    BIT(VIRTIO_NET_F_HOST_TSO4) | BIT(VIRTIO_NET_F_HOST_TSO6) | \
    BIT(VIRTIO_NET_F_HOST_ECN))

/* Configuration space (section 5.1.4): mac, status */
#define VIRTIO_NET_CFG_MAC     0
#define VIRTIO_NET_CFG_STATUS  6
#define VIRTIO_NET_CFG_LEN     8
#define  VIRTIO_NET_S_LINK_UP  0x1
#define  VIRTIO_NET_S_ANNOUNCE 0x2

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
#define VIRTIO_NET_TX_BURST       256    /* frames sent per kick (QEMU's) */
#define VIRTIO_NET_CTRL_BURST     VIRTIO_NET_CTRL_QUEUE_SIZE
#define VIRTIO_NET_MAC_TABLE_ENTRIES 64
#define VIRTIO_NET_MAX_VLAN       4096
#define VIRTIO_NET_MAX_FRAME      NET_MAX_FRAME

typedef struct VirtIONetMacTable {
    uint32_t in_use;
    uint32_t first_multi;
    bool uni_overflow;
    bool multi_overflow;
    uint8_t macs[VIRTIO_NET_MAC_TABLE_ENTRIES * ETH_ALEN];
} VirtIONetMacTable;

/* Buffers for one transmitted frame and its segments: scratch, dead
 * between two accesses, so not part of the instance (nor its snapshot). */
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
    bool ioeventfd;                   /* accepted for QEMU command lines */
    char *netdev;
    char *mac_str;
    NetBackend *nb;
    VirtIONetScratch *scratch;
} VirtIONet;

static VirtIONet *vnet(VirtIODevice *vdev)
{
    return vdev->opaque;
}

static uint16_t le16(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}

/* ---------------------------------------------------------------------- */
/* Configuration, features, status                                         */

static void virtio_net_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIONet *n = vnet(vdev);
    memcpy(config + VIRTIO_NET_CFG_MAC, n->mac, ETH_ALEN);
    pci_set_word(config + VIRTIO_NET_CFG_STATUS, n->status);
}

/* Legacy drivers without CTRL_MAC_ADDR set the MAC here (QEMU). */
static void virtio_net_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIONet *n = vnet(vdev);
    if (!virtio_has_feature(vdev, VIRTIO_NET_F_CTRL_MAC_ADDR) &&
        !virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        memcpy(n->mac, config + VIRTIO_NET_CFG_MAC, ETH_ALEN);
    }
}

static void virtio_net_set_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIONet *n = vnet(vdev);

    n->mergeable_rx_bufs = features & BIT(VIRTIO_NET_F_MRG_RXBUF);
    n->guest_hdr_len = n->mergeable_rx_bufs || (features & BIT(VIRTIO_F_VERSION_1))
                       ? VIRTIO_NET_HDR_MRG_LEN : VIRTIO_NET_HDR_LEN;
    if (n->has_vnet_hdr) {
        n->curr_guest_offloads = features & VIRTIO_NET_GUEST_OFFLOADS;
    }
    /* Without CTRL_VLAN every VLAN passes. */
    memset(n->vlans, features & BIT(VIRTIO_NET_F_CTRL_VLAN) ? 0 : 0xff,
           sizeof(n->vlans));
}

static void virtio_net_flush_tx(VirtIONet *n);

/* A kick before DRIVER_OK waits for it (QEMU's tx_waiting). */
static void virtio_net_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIONet *n = vnet(vdev);
    if ((status & VIRTIO_CONFIG_S_DRIVER_OK) && n->tx_waiting) {
        n->tx_waiting = false;
        virtio_net_flush_tx(n);
    }
}

/* Back to QEMU's compatibility mode: promiscuous, tables empty. */
static void virtio_net_reset(VirtIODevice *vdev)
{
    VirtIONet *n = vnet(vdev);

    n->promisc = true;
    n->allmulti = n->alluni = n->nomulti = n->nouni = n->nobcast = false;
    n->status &= ~VIRTIO_NET_S_ANNOUNCE;
    memset(&n->mac_table, 0, sizeof(n->mac_table));
    memcpy(n->mac, n->conf_mac, ETH_ALEN);
    memset(n->vlans, 0, sizeof(n->vlans));
    n->mergeable_rx_bufs = false;
    n->guest_hdr_len = VIRTIO_NET_HDR_LEN;
    n->curr_guest_offloads = 0;
    n->tx_waiting = false;
}

static void virtio_net_queue_reset(VirtIODevice *vdev, unsigned q)
{
    if (q == VIRTIO_NET_TXQ) {
        vnet(vdev)->tx_waiting = false;
    }
}

/* ---------------------------------------------------------------------- */
/* Receive                                                                 */

static bool virtio_net_mac_in(const VirtIONetMacTable *t, uint32_t from,
                              uint32_t to, const uint8_t *mac)
{
    for (uint32_t i = from; i < to && i < VIRTIO_NET_MAC_TABLE_ENTRIES; i++) {
        if (!memcmp(mac, t->macs + i * ETH_ALEN, ETH_ALEN)) {
            return true;
        }
    }
    return false;
}

static bool virtio_net_multicast_ok(const VirtIONet *n, const uint8_t *dst)
{
    static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

    if (!memcmp(dst, bcast, ETH_ALEN)) {
        return !n->nobcast;
    }
    if (n->nomulti) {
        return false;
    }
    if (n->allmulti || n->mac_table.multi_overflow) {
        return true;
    }
    return virtio_net_mac_in(&n->mac_table, n->mac_table.first_multi,
                             n->mac_table.in_use, dst);
}

static bool virtio_net_unicast_ok(const VirtIONet *n, const uint8_t *dst)
{
    if (n->nouni) {
        return false;
    }
    if (n->alluni || n->mac_table.uni_overflow || !memcmp(dst, n->mac, ETH_ALEN)) {
        return true;
    }
    return virtio_net_mac_in(&n->mac_table, 0, n->mac_table.first_multi, dst);
}

/* QEMU's receive_filter; a short frame reads as zero-padded. */
static bool virtio_net_receive_filter(const VirtIONet *n, const uint8_t *buf,
                                      size_t size)
{
    uint8_t h[16] = { 0 };

    if (n->promisc) {
        return true;
    }
    memcpy(h, buf, MIN(size, sizeof(h)));
    if (h[12] == 0x81 && h[13] == 0x00) {
        unsigned vid = ((h[14] << 8) | h[15]) & 0xfff;
        if (!(n->vlans[vid >> 5] & (1u << (vid & 0x1f)))) {
            return false;
        }
    }
    return (h[0] & 1) ? virtio_net_multicast_ok(n, h) : virtio_net_unicast_ok(n, h);
}

static bool virtio_net_can_receive(const VirtIONet *n)
{
    const VirtIODevice *vdev = &n->vdev;
    return (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && !vdev->broken &&
           !vdev->disabled && vdev->vq[VIRTIO_NET_RXQ].avail;
}

static bool virtio_net_has_buffers(VirtIONet *n, size_t bufsize)
{
    VirtIODevice *vdev = &n->vdev;

    if (virtio_queue_empty(vdev, VIRTIO_NET_RXQ) ||
        (n->mergeable_rx_bufs &&
         !virtqueue_avail_bytes(vdev, VIRTIO_NET_RXQ, bufsize))) {
        virtqueue_want_kick(vdev, VIRTIO_NET_RXQ);
        return false;
    }
    return true;
}

/* The guest address of writable byte off of elem (num_buffers). */
static bool virtio_net_in_addr(const VirtQueueElement *elem, size_t off,
                               uint64_t *addr)
{
    for (unsigned i = 0; i < elem->in_num; i++) {
        const VirtQueueSeg *s = &elem->seg[elem->out_num + i];
        if (off < s->len) {
            *addr = s->addr + off;
            return true;
        }
        off -= s->len;
    }
    return false;
}

/* The header of the first buffer: no offload information (the peer gives
 * none); num_buffers 1, patched later when buffers merge. */
static size_t virtio_net_write_rx_header(VirtIONet *n, const VirtQueueElement *elem,
                                         uint64_t nb_addr[2], bool nb_ok[2])
{
    uint8_t hdr[VIRTIO_NET_HDR_MRG_LEN] = { 0 };

    hdr[VIRTIO_NET_HDR_NUM_BUFFERS] = 1;
    for (unsigned k = 0; k < 2; k++) {
        nb_ok[k] = virtio_net_in_addr(elem, VIRTIO_NET_HDR_NUM_BUFFERS + k,
                                      &nb_addr[k]);
    }
    return virtqueue_elem_write(&n->vdev, elem, 0, hdr, n->guest_hdr_len);
}

/* Frees what was taken when a frame cannot be delivered (as QEMU: the
 * buffers are not given back). */
static void virtio_net_rx_abort(VirtIONet *n, unsigned taken)
{
    for (unsigned j = 0; j < taken; j++) {
        virtqueue_detach(&n->vdev, VIRTIO_NET_RXQ);
    }
}

/* Into as many chains as it takes (one without MRG_RXBUF, section 5.1.6.4). */
static bool virtio_net_fill_rx(VirtIONet *n, const uint8_t *buf, size_t size)
{
    VirtIODevice *vdev = &n->vdev;
    VirtQueueElement elem;
    uint16_t heads[VIRTIO_QUEUE_SIZE_MAX];
    uint32_t lens[VIRTIO_QUEUE_SIZE_MAX];
    uint64_t nb_addr[2] = { 0, 0 };
    bool nb_ok[2] = { false, false };
    size_t offset = 0;
    unsigned i = 0;

    while (offset < size) {
        if (i == VIRTIO_QUEUE_SIZE_MAX) {
            virtio_error(vdev, "virtio-net unexpected long buffer chain");
            virtio_net_rx_abort(n, i);
            return true;
        }
        if (!virtqueue_pop(vdev, VIRTIO_NET_RXQ, &elem)) {
            if (i) {
                virtio_error(vdev, "virtio-net unexpected empty queue: frame "
                             "of %zu bytes, %zu placed", size, offset);
            }
            virtio_net_rx_abort(n, i);
            return false;
        }
        if (elem.in_num < 1) {
            virtio_error(vdev, "virtio-net receive queue contains no in buffers");
            virtio_net_rx_abort(n, i + 1);
            return false;
        }
        size_t total = 0, guest_off = 0;
        if (i == 0) {
            total = virtio_net_write_rx_header(n, &elem, nb_addr, nb_ok);
            guest_off = n->guest_hdr_len;
        }
        size_t len = virtqueue_elem_write(vdev, &elem, guest_off, buf + offset,
                                          size - offset);
        total += len;
        offset += len;
        if (!n->mergeable_rx_bufs && offset < size) {
            guest_error("virtio-net: %zu-byte frame does not fit the receive "
                        "buffer: dropped", size);
            virtqueue_unpop(vdev, VIRTIO_NET_RXQ);
            virtio_net_rx_abort(n, i);
            return true;
        }
        heads[i] = elem.index;
        lens[i] = total;
        i++;
    }
    if (n->mergeable_rx_bufs) {
        uint8_t count[2] = { i & 0xff, i >> 8 };
        for (unsigned k = 0; k < 2; k++) {
            if (nb_ok[k]) {
                pci_dma_write(&n->proxy.pci, nb_addr[k], &count[k], 1);
            }
        }
    }
    for (unsigned j = 0; j < i; j++) {
        virtqueue_fill(vdev, VIRTIO_NET_RXQ, heads[j], lens[j], j);
    }
    virtqueue_flush(vdev, VIRTIO_NET_RXQ, i);
    virtio_notify(vdev, VIRTIO_NET_RXQ);
    return true;
}

static bool virtio_net_do_receive(VirtIONet *n, const uint8_t *buf, size_t size)
{
    if (!virtio_net_can_receive(n) ||
        !virtio_net_has_buffers(n, size + n->guest_hdr_len)) {
        return false;
    }
    if (size == 0 || !virtio_net_receive_filter(n, buf, size)) {
        return true;        /* taken and dropped */
    }
    return virtio_net_fill_rx(n, buf, size);
}

/* From the backend. Marked as inside the device, so that its DMA cannot
 * reach its own registers even when a frame comes from outside. */
static bool virtio_net_receive(void *opaque, const uint8_t *buf, size_t size)
{
    VirtIONet *n = opaque;
    Object *obj = &n->proxy.pci.obj;
    bool was_in_io = obj->in_io;

    obj->in_io = true;
    bool taken = virtio_net_do_receive(n, buf, size);
    obj->in_io = was_in_io;
    return taken;
}

/* ---------------------------------------------------------------------- */
/* Transmit                                                                */

static void virtio_net_send(void *opaque, const uint8_t *buf, size_t len)
{
    VirtIONet *n = opaque;
    net_send(n->nb, buf, len);
}

static bool virtio_net_gso_allowed(const VirtIODevice *vdev, uint8_t gso)
{
    unsigned need;

    switch (gso & ~VIRTIO_NET_HDR_GSO_ECN) {
    case VIRTIO_NET_HDR_GSO_TCPV4: need = VIRTIO_NET_F_HOST_TSO4; break;
    case VIRTIO_NET_HDR_GSO_TCPV6: need = VIRTIO_NET_F_HOST_TSO6; break;
    case VIRTIO_NET_HDR_GSO_UDP:   need = VIRTIO_NET_F_HOST_UFO; break;
    default:                       return false;
    }
    return virtio_has_feature(vdev, need) &&
           (!(gso & VIRTIO_NET_HDR_GSO_ECN) ||
            virtio_has_feature(vdev, VIRTIO_NET_F_HOST_ECN));
}

/* What a header-taking peer does with the frame (section 5.1.6.2):
 * complete the checksum, cut TCP into segments; UDP goes out whole. */
static void virtio_net_tx_offload(VirtIONet *n, const uint8_t *hdr, uint8_t *frame,
                                  size_t len)
{
    uint8_t gso = hdr[VIRTIO_NET_HDR_GSO_TYPE];
    uint8_t kind = gso & ~VIRTIO_NET_HDR_GSO_ECN;

    if (gso != VIRTIO_NET_HDR_GSO_NONE && !virtio_net_gso_allowed(&n->vdev, gso)) {
        guest_error("virtio-net: gso_type 0x%x not negotiated: dropped", gso);
        return;
    }
    if (kind == VIRTIO_NET_HDR_GSO_TCPV4 || kind == VIRTIO_NET_HDR_GSO_TCPV6) {
        if (!virtio_net_tso_segment(frame, len, gso, le16(hdr + VIRTIO_NET_HDR_GSO_SIZE),
                                    n->scratch->seg, sizeof(n->scratch->seg),
                                    virtio_net_send, n)) {
            guest_error("virtio-net: GSO frame of %zu bytes not segmentable", len);
        }
        return;
    }
    if ((hdr[VIRTIO_NET_HDR_FLAGS] & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
        !virtio_net_csum_complete(frame, len, le16(hdr + VIRTIO_NET_HDR_CSUM_START),
                                  le16(hdr + VIRTIO_NET_HDR_CSUM_OFFSET))) {
        guest_error("virtio-net: checksum start/offset outside the frame");
    }
    net_send(n->nb, frame, len);
}

/* One chain: the header, then the frame. False on a fatal error. */
static bool virtio_net_tx_one(VirtIONet *n, const VirtQueueElement *elem)
{
    VirtIODevice *vdev = &n->vdev;
    uint8_t hdr[VIRTIO_NET_HDR_MRG_LEN];
    size_t hdr_len = n->guest_hdr_len;
    size_t total = virtqueue_elem_out_size(elem);

    if (n->has_vnet_hdr &&
        virtqueue_elem_read(vdev, elem, 0, hdr, hdr_len) < hdr_len) {
        virtio_error(vdev, "virtio-net header incorrect");
        return false;
    }
    if (total <= hdr_len) {
        return true;
    }
    size_t len = total - hdr_len;
    if (len > VIRTIO_NET_MAX_FRAME) {
        guest_error("virtio-net: %zu-byte frame dropped", len);
        return true;
    }
    virtqueue_elem_read(vdev, elem, hdr_len, n->scratch->frame, len);
    if (n->has_vnet_hdr) {
        virtio_net_tx_offload(n, hdr, n->scratch->frame, len);
    } else {
        net_send(n->nb, n->scratch->frame, len);
    }
    return true;
}

static void virtio_net_flush_tx(VirtIONet *n)
{
    VirtIODevice *vdev = &n->vdev;
    VirtQueueElement elem;

    for (unsigned i = 0; i < VIRTIO_NET_TX_BURST; i++) {
        if (!virtqueue_pop(vdev, VIRTIO_NET_TXQ, &elem)) {
            break;
        }
        if (elem.out_num < 1) {
            virtio_error(vdev, "virtio-net header not in first element");
        }
        if (elem.out_num < 1 || !virtio_net_tx_one(n, &elem)) {
            virtqueue_detach(vdev, VIRTIO_NET_TXQ);
            return;
        }
        virtqueue_push(vdev, VIRTIO_NET_TXQ, elem.index, 0);
        virtio_notify(vdev, VIRTIO_NET_TXQ);
    }
    virtqueue_want_kick(vdev, VIRTIO_NET_TXQ);
}

static void virtio_net_handle_tx(VirtIONet *n)
{
    if (!(n->vdev.status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        n->tx_waiting = true;
        return;
    }
    virtio_net_flush_tx(n);
}

/* ---------------------------------------------------------------------- */
/* Control queue                                                           */

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
        uint64_t bytes = (uint64_t)(le16(b) | (uint32_t)le16(b + 2) << 16) * ETH_ALEN;
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
    uint16_t vid = le16(b);
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
    uint64_t offloads = le16(b) | (uint64_t)le16(b + 2) << 16 |
                        (uint64_t)le16(b + 4) << 32 | (uint64_t)le16(b + 6) << 48;
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

static void virtio_net_handle_ctrl(VirtIONet *n)
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

/* A kick: the receive queue has nothing waiting (frames are not queued). */
static void virtio_net_handle_output(VirtIODevice *vdev, unsigned q)
{
    if (q == VIRTIO_NET_TXQ) {
        virtio_net_handle_tx(vnet(vdev));
    } else if (q == VIRTIO_NET_CTRLQ) {
        virtio_net_handle_ctrl(vnet(vdev));
    }
}

/* ---------------------------------------------------------------------- */
/* Reset, realize, type                                                    */

static const VirtIODeviceOps virtio_net_ops = {
    .get_config = virtio_net_get_config,
    .set_config = virtio_net_set_config,
    .set_features = virtio_net_set_features,
    .set_status = virtio_net_set_status,
    .reset = virtio_net_reset,
    .queue_reset = virtio_net_queue_reset,
    .handle_output = virtio_net_handle_output,
};

static const VirtIOPCIInfo virtio_net_pci_info = {
    .name = "virtio-net",
    .msix_name = "virtio-net-pci-msix",
    .device_id = VIRTIO_NET_PCI_DEVICE_ID,
    .subsystem_id = VIRTIO_ID_NET,
    .class_id = PCI_CLASS_NETWORK_ETHERNET,
    .rom_size_kib = VIRTIO_NET_ROM_KIB,
};

static void virtio_net_pci_reset(Object *obj)
{
    VirtIONet *n = (VirtIONet *)obj;
    virtio_pci_reset(&n->proxy);
    n->status = VIRTIO_NET_S_LINK_UP;
}

static void virtio_net_pci_init(Object *obj)
{
    VirtIONet *n = (VirtIONet *)obj;
    pci_device_init(&n->proxy.pci);
    n->ioeventfd = true;
}

static bool virtio_net_parse_mac(VirtIONet *n, char **errp)
{
    const char *s = n->mac_str ? n->mac_str : "52:54:00:12:34:56";
    unsigned b[ETH_ALEN];
    char end;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &end) != ETH_ALEN) {
        *errp = g_strdup_printf("virtio-net-pci: mac '%s': expected "
                                "XX:XX:XX:XX:XX:XX", s);
        return false;
    }
    for (unsigned i = 0; i < ETH_ALEN; i++) {
        n->conf_mac[i] = b[i];
    }
    return true;
}

static bool virtio_net_attach(VirtIONet *n, Machine *m, char **errp)
{
    if (!n->netdev) {
        return true;
    }
    n->nb = net_backend_lookup(m, n->netdev, errp);
    if (!n->nb || !net_backend_attach(n->nb, virtio_net_receive, n, errp)) {
        return false;
    }
    n->has_vnet_hdr = n->nb->loopback;
    return true;
}

static bool virtio_net_pci_realize(Object *obj, Machine *m, char **errp)
{
    VirtIONet *n = (VirtIONet *)obj;
    VirtIODevice *vdev = &n->vdev;

    if (!virtio_net_parse_mac(n, errp) || !virtio_net_attach(n, m, errp)) {
        return false;
    }
    uint64_t features = VIRTIO_NET_BASE_FEATURES;
    if (n->has_vnet_hdr) {
        features |= VIRTIO_NET_HOST_OFFLOADS | VIRTIO_NET_GUEST_OFFLOADS;
    }
    virtio_init(vdev, "virtio-net", &virtio_net_ops, n, features, VIRTIO_NET_CFG_LEN);
    vdev->legacy_features = BIT(VIRTIO_NET_F_GSO);
    vdev->bad_features = VIRTIO_NET_BAD_FEATURES;
    virtio_add_queue(vdev, VIRTIO_NET_RX_QUEUE_SIZE);
    virtio_add_queue(vdev, VIRTIO_NET_TX_QUEUE_SIZE);
    virtio_add_queue(vdev, VIRTIO_NET_CTRL_QUEUE_SIZE);
    n->scratch = g_new0(VirtIONetScratch, 1);
    n->status = VIRTIO_NET_S_LINK_UP;
    return virtio_pci_realize(&n->proxy, m, vdev, &virtio_net_pci_info, errp);
}

static const Property virtio_net_pci_props[] = {
    PCI_DEVICE_PROP_ADDR(VirtIONet, proxy.pci),
    { "netdev", PROP_STR, offsetof(VirtIONet, netdev),
      "id of the -netdev (null, loopback, user); none: frames go nowhere" },
    { "mac", PROP_STR, offsetof(VirtIONet, mac_str),
      "MAC address (default 52:54:00:12:34:56)" },
    { "ioeventfd", PROP_BOOL, offsetof(VirtIONet, ioeventfd),
      "accepted for QEMU command lines; kicks are always handled at once" },
    { .name = NULL },
};

const TypeInfo virtio_net_pci_type = {
    .name = "virtio-net-pci",
    .parent = "pci-device",
    .desc = "virtio network device over PCI (transitional, legacy and 1.0)",
    .instance_size = sizeof(VirtIONet),
    .user_creatable = true,
    .props = virtio_net_pci_props,
    .init = virtio_net_pci_init,
    .realize = virtio_net_pci_realize,
    .reset = virtio_net_pci_reset,
};

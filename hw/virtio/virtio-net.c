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
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "hw/devices.h"
#include "hw/net/mac.h"
#include "hw/net/net-offload.h"
#include "hw/virtio/virtio-net.h"

/* What QEMU 7.2 offers with a peer that takes no virtio-net header. */
#define VIRTIO_NET_BASE_FEATURES (VIRTIO_NET_BIT(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_MAC) | VIRTIO_NET_BIT(VIRTIO_NET_F_GSO) | VIRTIO_NET_BIT(VIRTIO_NET_F_MRG_RXBUF) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_STATUS) | VIRTIO_NET_BIT(VIRTIO_NET_F_CTRL_VQ) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_CTRL_RX) | VIRTIO_NET_BIT(VIRTIO_NET_F_CTRL_VLAN) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_CTRL_RX_EXTRA) | VIRTIO_NET_BIT(VIRTIO_NET_F_GUEST_ANNOUNCE) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | VIRTIO_NET_BIT(VIRTIO_F_NOTIFY_ON_EMPTY) | \
    VIRTIO_NET_BIT(VIRTIO_F_ANY_LAYOUT) | VIRTIO_NET_BIT(VIRTIO_RING_F_INDIRECT_DESC) | \
    VIRTIO_NET_BIT(VIRTIO_RING_F_EVENT_IDX))
#define VIRTIO_NET_HOST_OFFLOADS (VIRTIO_NET_BIT(VIRTIO_NET_F_CSUM) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_HOST_TSO4) | VIRTIO_NET_BIT(VIRTIO_NET_F_HOST_TSO6) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_HOST_ECN) | VIRTIO_NET_BIT(VIRTIO_NET_F_HOST_UFO))
#define VIRTIO_NET_BAD_FEATURES (VIRTIO_NET_BIT(VIRTIO_NET_F_MAC) | VIRTIO_NET_BIT(VIRTIO_NET_F_CSUM) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_HOST_TSO4) | VIRTIO_NET_BIT(VIRTIO_NET_F_HOST_TSO6) | \
    VIRTIO_NET_BIT(VIRTIO_NET_F_HOST_ECN))

/* Limits */
#define VIRTIO_NET_TX_BURST       256    /* frames sent per kick (QEMU's) */

static VirtIONet *vnet(VirtIODevice *vdev)
{
    return vdev->opaque;
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

    n->mergeable_rx_bufs = features & VIRTIO_NET_BIT(VIRTIO_NET_F_MRG_RXBUF);
    n->guest_hdr_len = n->mergeable_rx_bufs || (features & VIRTIO_NET_BIT(VIRTIO_F_VERSION_1))
                       ? VIRTIO_NET_HDR_MRG_LEN : VIRTIO_NET_HDR_LEN;
    if (n->has_vnet_hdr) {
        n->curr_guest_offloads = features & VIRTIO_NET_GUEST_OFFLOADS;
    }
    /* Without CTRL_VLAN every VLAN passes. */
    memset(n->vlans, features & VIRTIO_NET_BIT(VIRTIO_NET_F_CTRL_VLAN) ? 0 : 0xff,
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
    if (mac_is_broadcast(dst)) {
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
    return mac_is_multicast(h) ? virtio_net_multicast_ok(n, h) : virtio_net_unicast_ok(n, h);
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

/* A frame being placed: the chains taken so far, where num_buffers is. */
typedef struct VirtIONetRx {
    const uint8_t *buf;
    size_t size;
    size_t offset;                    /* bytes of the frame placed */
    unsigned taken;
    uint32_t heads[VIRTIO_QUEUE_SIZE_MAX];      /* elements' used-ring tokens */
    uint32_t lens[VIRTIO_QUEUE_SIZE_MAX];
    /* Guest addresses of the two bytes of num_buffers (they may lie in
     * different segments), and whether each was found. */
    uint64_t num_buffers_addr[2];
    bool num_buffers_found[2];
} VirtIONetRx;

enum { VIRTIO_NET_RX_MORE, VIRTIO_NET_RX_DROPPED, VIRTIO_NET_RX_NO_BUFFER };

/* The header of the first buffer: no offload information (the peer gives
 * none); num_buffers 1, patched later when buffers merge. */
static size_t virtio_net_write_rx_header(VirtIONet *n, const VirtQueueElement *elem,
                                         VirtIONetRx *rx)
{
    uint8_t hdr[VIRTIO_NET_HDR_MRG_LEN] = { 0 };

    hdr[VIRTIO_NET_HDR_NUM_BUFFERS] = 1;
    for (unsigned k = 0; k < 2; k++) {
        rx->num_buffers_found[k] = sg_addr_at(&elem->in, VIRTIO_NET_HDR_NUM_BUFFERS + k,
                                              &rx->num_buffers_addr[k]);
    }
    return virtqueue_elem_write(&n->vdev, elem, 0, hdr, n->guest_hdr_len);
}

/* One more chain of the frame (QEMU's virtio_net_receive_rcu loop body):
 * RX_MORE when placed, else the frame is given up, dropped or not taken. */
static int virtio_net_rx_chain(VirtIONet *n, VirtIONetRx *rx)
{
    VirtIODevice *vdev = &n->vdev;
    VirtQueueElement elem;
    size_t total = 0, guest_off = 0;

    if (rx->taken == VIRTIO_QUEUE_SIZE_MAX) {
        virtio_error(vdev, "virtio-net unexpected long buffer chain");
        return VIRTIO_NET_RX_DROPPED;
    }
    if (!virtqueue_pop(vdev, VIRTIO_NET_RXQ, &elem)) {
        if (rx->taken) {
            virtio_error(vdev, "virtio-net unexpected empty queue: frame of %zu "
                         "bytes, %zu placed", rx->size, rx->offset);
        }
        return VIRTIO_NET_RX_NO_BUFFER;
    }
    if (elem.in.nr < 1) {
        virtio_error(vdev, "virtio-net receive queue contains no in buffers");
        virtqueue_detach(vdev, VIRTIO_NET_RXQ);
        return VIRTIO_NET_RX_NO_BUFFER;
    }
    if (rx->taken == 0) {
        total = virtio_net_write_rx_header(n, &elem, rx);
        guest_off = n->guest_hdr_len;
    }
    size_t len = virtqueue_elem_write(vdev, &elem, guest_off, rx->buf + rx->offset,
                                      rx->size - rx->offset);
    rx->offset += len;
    if (!n->mergeable_rx_bufs && rx->offset < rx->size) {
        guest_error("virtio-net: %zu-byte frame does not fit the receive "
                    "buffer: dropped", rx->size);
        virtqueue_unpop(vdev, VIRTIO_NET_RXQ);
        return VIRTIO_NET_RX_DROPPED;
    }
    rx->heads[rx->taken] = elem.index;
    rx->lens[rx->taken++] = total + len;
    return VIRTIO_NET_RX_MORE;
}

/* Frees what was taken when a frame cannot be delivered (as QEMU: the
 * buffers are not given back). */
static void virtio_net_rx_abort(VirtIONet *n, unsigned taken)
{
    for (unsigned j = 0; j < taken; j++) {
        virtqueue_detach(&n->vdev, VIRTIO_NET_RXQ);
    }
}

/* num_buffers into the first header, the used entries, the interrupt. */
static void virtio_net_rx_publish(VirtIONet *n, const VirtIONetRx *rx)
{
    VirtIODevice *vdev = &n->vdev;

    if (n->mergeable_rx_bufs) {
        uint8_t count[2] = { rx->taken & 0xff, rx->taken >> 8 };
        for (unsigned k = 0; k < 2; k++) {
            if (rx->num_buffers_found[k]) {
                pci_dma_write(&n->proxy.pci, rx->num_buffers_addr[k], &count[k], 1);
            }
        }
    }
    for (unsigned j = 0; j < rx->taken; j++) {
        virtqueue_fill(vdev, VIRTIO_NET_RXQ, rx->heads[j], rx->lens[j], j);
    }
    virtqueue_flush(vdev, VIRTIO_NET_RXQ, rx->taken);
    virtio_notify(vdev, VIRTIO_NET_RXQ);
}

/* Into as many chains as it takes (one without MRG_RXBUF, section 5.1.6.4). */
static bool virtio_net_fill_rx(VirtIONet *n, const uint8_t *buf, size_t size)
{
    VirtIONetRx rx = { .buf = buf, .size = size };

    while (rx.offset < size) {
        int r = virtio_net_rx_chain(n, &rx);
        if (r != VIRTIO_NET_RX_MORE) {
            virtio_net_rx_abort(n, rx.taken);
            return r == VIRTIO_NET_RX_DROPPED;
        }
    }
    virtio_net_rx_publish(n, &rx);
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

/* From the backend, which has entered the device. */
static bool virtio_net_receive(void *opaque, const uint8_t *buf, size_t size)
{
    return virtio_net_do_receive(opaque, buf, size);
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
        if (!net_tso_segment(frame, len, kind == VIRTIO_NET_HDR_GSO_TCPV6,
                             ld_le16(hdr + VIRTIO_NET_HDR_GSO_SIZE),
                             VIRTIO_NET_TSO_MAX_SEGS, n->scratch->seg,
                             sizeof(n->scratch->seg), virtio_net_send, n)) {
            guest_error("virtio-net: GSO frame of %zu bytes not segmentable", len);
        }
        return;
    }
    size_t start = ld_le16(hdr + VIRTIO_NET_HDR_CSUM_START);
    size_t at = start + ld_le16(hdr + VIRTIO_NET_HDR_CSUM_OFFSET);
    if ((hdr[VIRTIO_NET_HDR_FLAGS] & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
        !net_csum_insert(frame, len, start, at, false)) {
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
        if (elem.out.nr < 1) {
            virtio_error(vdev, "virtio-net header not in first element");
        }
        if (elem.out.nr < 1 || !virtio_net_tx_one(n, &elem)) {
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
    .vectors = 4,               /* QEMU's: 2 x queue pairs + 2 */
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
    virtio_pci_proxy_init(&n->proxy);
}

static bool virtio_net_attach(VirtIONet *n, Machine *m, char **errp)
{
    if (!n->netdev) {
        return true;
    }
    n->nb = net_backend_lookup(m, n->netdev, errp);
    if (!n->nb || !net_backend_attach(n->nb, &n->proxy.pci.obj, virtio_net_receive, n, errp)) {
        return false;
    }
    n->has_vnet_hdr = n->nb->loopback;
    return true;
}

/* Written and used within one access: nothing in it outlives the access. */
static size_t virtio_net_scratch_live(const Object *obj)
{
    return 0;
}

static bool virtio_net_pci_realize(Object *obj, Machine *m, char **errp)
{
    VirtIONet *n = (VirtIONet *)obj;
    VirtIODevice *vdev = &n->vdev;

    if (!mac_parse_prop(virtio_net_pci_type.name, n->mac_str, n->conf_mac, errp) ||
        !virtio_net_attach(n, m, errp)) {
        return false;
    }
    uint64_t features = VIRTIO_NET_BASE_FEATURES;
    if (n->has_vnet_hdr) {
        features |= VIRTIO_NET_HOST_OFFLOADS | VIRTIO_NET_GUEST_OFFLOADS;
    }
    virtio_init(vdev, "virtio-net", &virtio_net_ops, n, features, VIRTIO_NET_CFG_LEN);
    vdev->legacy_features = VIRTIO_NET_BIT(VIRTIO_NET_F_GSO);
    vdev->bad_features = VIRTIO_NET_BAD_FEATURES;
    virtio_add_queue(vdev, VIRTIO_NET_RX_QUEUE_SIZE);
    virtio_add_queue(vdev, VIRTIO_NET_TX_QUEUE_SIZE);
    virtio_add_queue(vdev, VIRTIO_NET_CTRL_QUEUE_SIZE);
    n->scratch = g_new0(VirtIONetScratch, 1);
    object_add_state(&n->proxy.pci.obj, "scratch", n->scratch,
                     sizeof(*n->scratch), virtio_net_scratch_live);
    n->status = VIRTIO_NET_S_LINK_UP;
    return virtio_pci_realize(&n->proxy, m, vdev, &virtio_net_pci_info, errp);
}

static const Property virtio_net_pci_props[] = {
    VIRTIO_PCI_PROPS(VirtIONet, proxy),
    { "netdev", PROP_STR, offsetof(VirtIONet, netdev),
      "id of the -netdev (null, loopback, user); none: frames go nowhere" },
    { "mac", PROP_STR, offsetof(VirtIONet, mac_str),
      "MAC address (default " MAC_DEFAULT ")" },
    { .name = NULL },
};

const TypeInfo virtio_net_pci_type = {
    .name = "virtio-net-pci",
    .alias = "virtio-net",      /* QEMU's alias on the PC */
    .parent = "pci-device",
    .desc = "virtio network device over PCI (transitional, legacy and 1.0)",
    OBJECT_INSTANCE(VirtIONet),
    .user_creatable = true,
    .props = virtio_net_pci_props,
    .init = virtio_net_pci_init,
    .realize = virtio_net_pci_realize,
    .reset = virtio_net_pci_reset,
};

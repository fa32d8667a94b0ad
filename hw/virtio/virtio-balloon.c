/* SPDX-License-Identifier: MIT */
/*
 * virtio-balloon-pci: the memory balloon (VIRTIO 1.2 section 5.5) over the
 * transitional PCI transport, with QEMU 7.2's identity, default features
 * (STATS_VQ, PAGE_POISON), queues and configuration layout. Inflate and
 * deflate buffers are arrays of 4 KiB page frame numbers: the pages inside
 * guest RAM are counted, nothing on the host is freed or touched. The
 * driver's statistics buffer is read and kept (and given back every
 * guest-stats-polling-interval seconds, as QEMU). Left out: free page
 * hinting and reporting, deflate-on-oom (all off by default in QEMU).
 */
#include <string.h>

#include "emu/byteorder.h"
#include "emu/clock.h"
#include "emu/log.h"
#include "hw/devices.h"
#include "hw/virtio/virtio-balloon.h"

/* Feature bits (section 5.5.3) */
#define VIRTIO_BALLOON_F_MUST_TELL_HOST 0
#define VIRTIO_BALLOON_F_STATS_VQ       1
#define VIRTIO_BALLOON_F_PAGE_POISON    4

/* Configuration (section 5.5.4), 16 bytes with PAGE_POISON offered */
#define VIRTIO_BALLOON_CFG_NUM_PAGES   0
#define VIRTIO_BALLOON_CFG_ACTUAL      4
#define VIRTIO_BALLOON_CFG_HINT_CMD_ID 8
#define VIRTIO_BALLOON_CFG_POISON_VAL  12
#define VIRTIO_BALLOON_CFG_LEN         16

/* struct virtio_balloon_stat: le16 tag, le64 val, packed (section 5.5.6.3) */
#define VIRTIO_BALLOON_STAT_SIZE 10

/* Queues and identity (QEMU's) */
#define VIRTIO_BALLOON_INFLATEQ  0
#define VIRTIO_BALLOON_DEFLATEQ  1
#define VIRTIO_BALLOON_STATSQ    2
#define VIRTIO_BALLOON_QUEUE_SIZE 128
#define VIRTIO_ID_BALLOON        5
#define VIRTIO_BALLOON_PCI_DEVICE_ID 0x1002
#define VIRTIO_BALLOON_PFN_SHIFT 12
#define PCI_CLASS_OTHERS         0x00ff

#define VIRTIO_BALLOON_FEATURES ((1ull << VIRTIO_BALLOON_F_STATS_VQ) | \
                                 (1ull << VIRTIO_BALLOON_F_PAGE_POISON) | \
                                 (1ull << VIRTIO_F_NOTIFY_ON_EMPTY) | \
                                 (1ull << VIRTIO_F_ANY_LAYOUT) | \
                                 (1ull << VIRTIO_RING_F_INDIRECT_DESC) | \
                                 (1ull << VIRTIO_RING_F_EVENT_IDX))

/* Limits */
#define VIRTIO_BALLOON_PFN_BATCH 64      /* PFNs copied at once */
/* PFNs read from one buffer at most (Linux sends up to 256): the rest of a
 * larger one is ignored */
#define VIRTIO_BALLOON_MAX_PFNS  4096

static VirtIOBalloon *vballoon(VirtIODevice *vdev)
{
    return vdev->opaque;
}

/* ---------------------------------------------------------------------- */
/* Configuration                                                           */

static void virtio_balloon_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOBalloon *b = vballoon(vdev);

    memset(config, 0, VIRTIO_BALLOON_CFG_LEN);
    st_le32(config + VIRTIO_BALLOON_CFG_NUM_PAGES, b->num_pages);
    st_le32(config + VIRTIO_BALLOON_CFG_ACTUAL, b->actual);
    st_le32(config + VIRTIO_BALLOON_CFG_POISON_VAL, b->poison_val);
}

/* The driver writes actual (and poison_val when PAGE_POISON is on). */
static void virtio_balloon_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOBalloon *b = vballoon(vdev);

    b->actual = ld_le32(config + VIRTIO_BALLOON_CFG_ACTUAL);
    b->poison_val = virtio_has_feature(vdev, VIRTIO_BALLOON_F_PAGE_POISON)
                    ? ld_le32(config + VIRTIO_BALLOON_CFG_POISON_VAL) : 0;
}

/* ---------------------------------------------------------------------- */
/* Inflate and deflate                                                     */

static void virtio_balloon_page(VirtIOBalloon *b, uint32_t pfn, bool inflate)
{
    uint64_t pa = (uint64_t)pfn << VIRTIO_BALLOON_PFN_SHIFT;

    if (pa >= b->ram_size) {
        b->ignored++;                 /* QEMU skips what is not RAM */
    } else if (inflate) {
        b->inflated++;
    } else {
        b->deflated++;
    }
}

/* The PFNs of one buffer, le32 each; a partial last one is not read. */
static void virtio_balloon_pfns(VirtIOBalloon *b, const VirtQueueElement *elem,
                                bool inflate)
{
    uint8_t buf[4 * VIRTIO_BALLOON_PFN_BATCH];
    size_t total = MIN(virtqueue_elem_out_size(elem), 4ull * VIRTIO_BALLOON_MAX_PFNS);

    for (size_t off = 0; off + 4 <= total; off += sizeof(buf)) {
        size_t n = virtqueue_elem_read(&b->vdev, elem, off, buf,
                                       MIN(sizeof(buf), total - off)) / 4;
        for (size_t i = 0; i < n; i++) {
            virtio_balloon_page(b, ld_le32(buf + 4 * i), inflate);
        }
    }
}

static void virtio_balloon_handle_pages(VirtIOBalloon *b, unsigned q)
{
    VirtIODevice *vdev = &b->vdev;
    VirtQueueElement elem;

    for (unsigned i = 0; i < VIRTIO_BALLOON_QUEUE_SIZE; i++) {
        if (!virtqueue_pop(vdev, q, &elem)) {
            break;
        }
        virtio_balloon_pfns(b, &elem, q == VIRTIO_BALLOON_INFLATEQ);
        virtqueue_push(vdev, q, elem.index, 0);
        virtio_notify(vdev, q);
    }
}

/* ---------------------------------------------------------------------- */
/* Statistics                                                              */

/* The held buffer back to the driver: it asks for fresh statistics. */
static void virtio_balloon_stats_give_back(VirtIOBalloon *b)
{
    if (!b->stats_held) {
        return;
    }
    b->stats_held = false;
    virtqueue_push(&b->vdev, VIRTIO_BALLOON_STATSQ, b->stats_head, b->stats_len);
    virtio_notify(&b->vdev, VIRTIO_BALLOON_STATSQ);
}

/* QEMU's balloon_stats_poll_cb; a driver that did not negotiate STATS_VQ
 * never gets its buffer back (QEMU re-arms the timer, which changes
 * nothing the guest sees: every new buffer re-arms it anyway). */
static void virtio_balloon_stats_poll_cb(void *opaque)
{
    VirtIOBalloon *b = opaque;

    if (b->vdev.broken || b->vdev.disabled || !b->stats_held ||
        !virtio_has_feature(&b->vdev, VIRTIO_BALLOON_F_STATS_VQ)) {
        return;
    }
    virtio_balloon_stats_give_back(b);
}

static void virtio_balloon_read_stats(VirtIOBalloon *b, const VirtQueueElement *elem)
{
    uint8_t stat[VIRTIO_BALLOON_STAT_SIZE];
    size_t off = 0;

    memset(b->stats, 0xff, sizeof(b->stats));   /* QEMU's reset_stats: -1 */
    for (unsigned i = 0; i < VIRTIO_MAX_SEGS * 16; i++) {
        if (virtqueue_elem_read(&b->vdev, elem, off, stat, sizeof(stat)) < sizeof(stat)) {
            break;
        }
        off += sizeof(stat);
        uint16_t tag = ld_le16(stat);
        if (tag < VIRTIO_BALLOON_S_NR) {
            b->stats[tag] = ld_le64(stat + 2);
        }
    }
    b->stats_len = off;
}

/* QEMU's virtio_balloon_receive_stats: a second buffer while one is held
 * gives the first back (a driver that follows the spec never does it). */
static void virtio_balloon_handle_stats(VirtIOBalloon *b)
{
    VirtQueueElement elem;

    if (virtqueue_pop(&b->vdev, VIRTIO_BALLOON_STATSQ, &elem)) {
        virtio_balloon_stats_give_back(b);
        virtio_balloon_read_stats(b, &elem);
        b->stats_held = true;
        b->stats_head = elem.index;
    }
    if (b->stats_poll_interval) {
        timer_mod(&b->stats_timer, clock_get_ns(b->clock) +
                  (int64_t)b->stats_poll_interval * 1000000000);
    }
}

static void virtio_balloon_handle_output(VirtIODevice *vdev, unsigned q)
{
    VirtIOBalloon *b = vballoon(vdev);

    if (q == VIRTIO_BALLOON_STATSQ) {
        virtio_balloon_handle_stats(b);
    } else {
        virtio_balloon_handle_pages(b, q);
    }
}

/* ---------------------------------------------------------------------- */
/* Reset, realize, type                                                    */

/* A held statistics buffer is forgotten with the rings (QEMU frees it). */
static void virtio_balloon_reset(VirtIODevice *vdev)
{
    VirtIOBalloon *b = vballoon(vdev);

    b->stats_held = false;
    b->poison_val = 0;
    timer_del(&b->stats_timer);
}

static void virtio_balloon_queue_reset(VirtIODevice *vdev, unsigned q)
{
    if (q == VIRTIO_BALLOON_STATSQ) {
        vballoon(vdev)->stats_held = false;
    }
}

static const VirtIODeviceOps virtio_balloon_ops = {
    .get_config = virtio_balloon_get_config,
    .set_config = virtio_balloon_set_config,
    .reset = virtio_balloon_reset,
    .queue_reset = virtio_balloon_queue_reset,
    .handle_output = virtio_balloon_handle_output,
};

static const VirtIOPCIInfo virtio_balloon_pci_info = {
    .name = "virtio-balloon",
    .msix_name = "virtio-balloon-pci-msix",
    .device_id = VIRTIO_BALLOON_PCI_DEVICE_ID,
    .subsystem_id = VIRTIO_ID_BALLOON,
    .class_id = PCI_CLASS_OTHERS,
    .vectors = 0,               /* QEMU's virtio-balloon-pci has no MSI-X */
};

/* The counts and the driver's actual survive a device reset, as QEMU's
 * balloon state does; the held buffer does not. */
static void virtio_balloon_pci_reset(Object *obj)
{
    VirtIOBalloon *b = (VirtIOBalloon *)obj;
    virtio_pci_reset(&b->proxy);
}

static void virtio_balloon_pci_init(Object *obj)
{
    VirtIOBalloon *b = (VirtIOBalloon *)obj;
    virtio_pci_proxy_init(&b->proxy);
}

static bool virtio_balloon_pci_realize(Object *obj, Machine *m, char **errp)
{
    VirtIOBalloon *b = (VirtIOBalloon *)obj;
    VirtIODevice *vdev = &b->vdev;

    b->clock = &m->clock;
    b->ram_size = m->ram_size;
    timer_init(&b->stats_timer, obj, b->clock, virtio_balloon_stats_poll_cb, b);
    virtio_init(vdev, "virtio-balloon", &virtio_balloon_ops, b,
                VIRTIO_BALLOON_FEATURES, VIRTIO_BALLOON_CFG_LEN);
    virtio_add_queue(vdev, VIRTIO_BALLOON_QUEUE_SIZE);
    virtio_add_queue(vdev, VIRTIO_BALLOON_QUEUE_SIZE);
    virtio_add_queue(vdev, VIRTIO_BALLOON_QUEUE_SIZE);
    return virtio_pci_realize(&b->proxy, m, vdev, &virtio_balloon_pci_info, errp);
}

static const Property virtio_balloon_pci_props[] = {
    VIRTIO_PCI_PROPS(VirtIOBalloon, proxy),
    { "guest-stats-polling-interval", PROP_U32,
      offsetof(VirtIOBalloon, stats_poll_interval),
      "seconds between statistics requests (QEMU's; 0: none)" },
    { .name = NULL },
};

const TypeInfo virtio_balloon_pci_type = {
    .name = "virtio-balloon-pci",
    .alias = "virtio-balloon",
    .parent = "pci-device",
    .desc = "virtio memory balloon over PCI (transitional): pages counted, not freed",
    OBJECT_INSTANCE(VirtIOBalloon),
    .user_creatable = true,
    .props = virtio_balloon_pci_props,
    .init = virtio_balloon_pci_init,
    .realize = virtio_balloon_pci_realize,
    .reset = virtio_balloon_pci_reset,
};

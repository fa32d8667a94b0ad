/* SPDX-License-Identifier: MIT */
/*
 * Packed virtqueues (OASIS VIRTIO 1.2 section 2.8), next to the split ones
 * of virtio.c, which calls here once VIRTIO_F_RING_PACKED is negotiated.
 *
 * One ring of 16-byte descriptors (addr, len, buffer id, flags) that the
 * driver makes available and the device overwrites with used ones, each
 * side keeping a wrap counter that flips whenever it passes the ring's end;
 * the driver area and the device area each hold a 4-byte event suppression
 * structure. As for split rings, guest memory is read one descriptor at a
 * time through the transport, every walk is capped (a chain at the queue
 * size, an indirect table at VIRTIO_MAX_SEGS through the element), and
 * every position the device keeps stays below the queue size.
 */
#include "hw/virtio/virtio-internal.h"

#include <glib.h>

#include "emu/byteorder.h"
#include "emu/log.h"

#define VPACKED_DESC_SIZE 16
#define VPACKED_ID_SHIFT  16        /* the token: id | ring descriptors << 16 */

static void vpacked_read_desc(VirtIODevice *vdev, uint64_t table, unsigned i, VRingDesc *d)
{
    uint8_t b[VPACKED_DESC_SIZE];

    vdma_read(vdev, table + (uint64_t)VPACKED_DESC_SIZE * i, b, sizeof(b));
    d->addr = ld_le64(b);
    d->len = ld_le32(b + 8);
    d->next = ld_le16(b + 12);      /* the buffer id */
    d->flags = ld_le16(b + 14);
}

/* Available: AVAIL matches the wrap counter, USED does not (section 2.8.1). */
static bool vpacked_is_avail(uint16_t flags, bool wrap)
{
    return !!(flags & VRING_PACKED_DESC_F_AVAIL) == wrap &&
           !!(flags & VRING_PACKED_DESC_F_USED) != wrap;
}

bool vpacked_empty(VirtIODevice *vdev, const VirtQueue *vq)
{
    VRingDesc d;

    vpacked_read_desc(vdev, vq->desc, vq->last_avail_idx, &d);
    return !vpacked_is_avail(d.flags, vq->avail_wrap);
}

/* An indirect table (section 2.8.7): len / 16 descriptors in a row, only
 * their WRITE flag counts; the element caps them at VIRTIO_MAX_SEGS. */
static bool vpacked_read_indirect(VirtIODevice *vdev, const VRingDesc *head,
                                  VirtQueueElement *elem)
{
    if (head->len == 0 || head->len % VPACKED_DESC_SIZE) {
        virtio_error(vdev, "Invalid size for indirect buffer table");
        return false;
    }
    uint32_t count = head->len / VPACKED_DESC_SIZE;
    if (count > VIRTIO_MAX_SEGS) {
        virtio_error(vdev, "indirect table of %u descriptors (at most %u)", count,
                     VIRTIO_MAX_SEGS);
        return false;
    }
    for (uint32_t i = 0; i < count; i++) {
        VRingDesc d;
        vpacked_read_desc(vdev, head->addr, i, &d);
        d.flags &= VRING_DESC_F_WRITE;
        if (!virtqueue_add_seg(vdev, elem, &d)) {
            return false;
        }
    }
    return true;
}

/*
 * The buffer at last_avail_idx: an indirect descriptor, or a chain of ring
 * descriptors linked by NEXT, at most a queue's worth. The position and
 * wrap counter move past it. The buffer id is the first descriptor's, as
 * QEMU reads it (section 2.8.6 puts it in the last one; Linux writes it in
 * every descriptor of a chain), so traces replay alike on both.
 */
bool vpacked_pop(VirtIODevice *vdev, VirtQueue *vq, VirtQueueElement *elem)
{
    unsigned pos = vq->last_avail_idx;
    bool wrap = vq->avail_wrap;
    unsigned ndescs = 0;
    VRingDesc d;

    vpacked_read_desc(vdev, vq->desc, pos, &d);
    if (!vpacked_is_avail(d.flags, wrap)) {
        return false;
    }
    uint16_t id = d.next;
    if (vq->inuse >= vq->num) {
        virtio_error(vdev, "Virtqueue size exceeded");
        return false;
    }
    virtqueue_elem_init(elem);
    if (d.flags & VRING_DESC_F_INDIRECT) {
        if (!vpacked_read_indirect(vdev, &d, elem)) {
            return false;
        }
        ndescs = 1;
    } else {
        for (;;) {
            if (++ndescs > vq->num) {
                virtio_error(vdev, "Looped descriptor");
                return false;
            }
            if (!virtqueue_add_seg(vdev, elem, &d)) {
                return false;
            }
            if (!(d.flags & VRING_DESC_F_NEXT)) {
                break;
            }
            if (++pos == vq->num) {
                pos = 0;
            }
            vpacked_read_desc(vdev, vq->desc, pos, &d);
        }
    }
    unsigned next = vq->last_avail_idx + ndescs;
    if (next >= vq->num) {
        next -= vq->num;
        vq->avail_wrap = !vq->avail_wrap;
    }
    vq->last_avail_idx = (uint16_t)next;
    vq->last_ndescs = (uint16_t)ndescs;
    elem->index = id | (uint32_t)ndescs << VPACKED_ID_SHIFT;
    vq->inuse++;
    return true;
}

/* The last pop undone: its descriptors are available again. */
void vpacked_unpop(VirtQueue *vq)
{
    if (vq->last_avail_idx < vq->last_ndescs) {
        vq->last_avail_idx += vq->num;
        vq->avail_wrap = !vq->avail_wrap;
    }
    vq->last_avail_idx -= vq->last_ndescs;
}

/*
 * A used descriptor for the buffer (token from pop) after those filled
 * since the last flush: id and len written, then flags with AVAIL and USED
 * both equal to the device's wrap counter there (section 2.8.1). The
 * address is left as the driver wrote it (unused in used descriptors).
 */
void vpacked_fill(VirtIODevice *vdev, VirtQueue *vq, uint32_t token, uint32_t len,
                  unsigned idx)
{
    unsigned ndescs = token >> VPACKED_ID_SHIFT;
    uint8_t b[8];

    if (idx == 0) {
        vq->pending_ndescs = 0;
    }
    unsigned pos = (unsigned)vq->used_idx + vq->pending_ndescs;
    bool wrap = vq->used_wrap;
    if (pos >= vq->num) {
        pos -= vq->num;
        wrap = !wrap;
    }
    st_le32(b, len);
    st_le16(b + 4, (uint16_t)token);
    st_le16(b + 6, wrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0);
    vdma_write(vdev, vq->desc + (uint64_t)VPACKED_DESC_SIZE * pos + 8, b, sizeof(b));
    vq->pending_ndescs = (uint16_t)MIN(vq->num, vq->pending_ndescs + ndescs);
}

/* The device's position moves past the buffers filled (section 2.8.6:
 * by each buffer's descriptor count). */
void vpacked_flush(VirtQueue *vq)
{
    unsigned next = (unsigned)vq->used_idx + vq->pending_ndescs;

    if (next >= vq->num) {
        next -= vq->num;
        vq->used_wrap = !vq->used_wrap;
        vq->signalled_used_valid = false;
    }
    vq->used_idx = (uint16_t)next;
    vq->pending_ndescs = 0;
}

/* Writable bytes of the available buffers add up to in_bytes? Walks at
 * most a queue's worth of ring descriptors without taking any. */
bool vpacked_avail_bytes(VirtIODevice *vdev, const VirtQueue *vq, uint32_t in_bytes)
{
    VirtQueue scan = *vq;
    VirtQueueElement elem;
    uint64_t total = 0;

    scan.inuse = 0;
    for (unsigned seen = 0; seen < vq->num; seen += scan.last_ndescs) {
        if (!vpacked_pop(vdev, &scan, &elem)) {
            return false;
        }
        total += virtqueue_elem_in_size(&elem);
        if (total >= in_bytes) {
            return true;
        }
    }
    return false;
}

/* The driver event suppression structure (driver area): enabled,
 * disabled, or an event at one descriptor and wrap (EVENT_IDX; QEMU's
 * vring_packed_need_event). */
bool vpacked_should_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    uint16_t off_wrap = vld16(vdev, vq->avail);
    uint16_t flags = vld16(vdev, vq->avail + 2);
    uint16_t old = vq->signalled_used;
    bool valid = vq->signalled_used_valid;

    vq->signalled_used = vq->used_idx;
    vq->signalled_used_valid = true;
    if (flags == VRING_PACKED_EVENT_DISABLE) {
        return false;
    }
    if (flags != VRING_PACKED_EVENT_DESC || !virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return true;
    }
    int off = off_wrap & ~VRING_PACKED_EVENT_WRAP;
    if (vq->used_wrap != !!(off_wrap & VRING_PACKED_EVENT_WRAP)) {
        off -= vq->num;
    }
    return !valid || vring_need_event((uint16_t)off, vq->used_idx, old);
}

/* The device event suppression structure (device area): kick at the next
 * descriptor (EVENT_IDX) or always. */
void vpacked_want_kick(VirtIODevice *vdev, const VirtQueue *vq)
{
    uint8_t b[4];

    if (virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        st_le16(b, vq->last_avail_idx | (vq->avail_wrap ? VRING_PACKED_EVENT_WRAP : 0));
        st_le16(b + 2, VRING_PACKED_EVENT_DESC);
    } else {
        st_le16(b, 0);
        st_le16(b + 2, VRING_PACKED_EVENT_ENABLE);
    }
    vdma_write(vdev, vq->used, b, sizeof(b));
}

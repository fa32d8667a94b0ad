/* SPDX-License-Identifier: MIT */
/*
 * Between the split ring walker (virtio.c) and the packed one
 * (virtio-packed.c): guest memory through the transport, the element
 * builder, and the packed ring's entry points, which virtio.c calls when
 * VIRTIO_F_RING_PACKED was negotiated.
 */
#ifndef HW_VIRTIO_VIRTIO_INTERNAL_H
#define HW_VIRTIO_VIRTIO_INTERNAL_H

#include "hw/virtio/virtio.h"

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;            /* split: the next index; packed: the buffer id */
} VRingDesc;

static inline void vdma_read(VirtIODevice *vdev, uint64_t addr, void *buf, uint64_t len)
{
    vdev->transport_ops->dma_read(vdev->transport_opaque, addr, buf, len);
}

static inline void vdma_write(VirtIODevice *vdev, uint64_t addr, const void *buf,
                              uint64_t len)
{
    vdev->transport_ops->dma_write(vdev->transport_opaque, addr, buf, len);
}

static inline uint16_t vld16(VirtIODevice *vdev, uint64_t addr)
{
    uint8_t b[2];
    vdma_read(vdev, addr, b, sizeof(b));
    return b[0] | b[1] << 8;
}

static inline void vst16(VirtIODevice *vdev, uint64_t addr, uint16_t val)
{
    uint8_t b[2] = { val & 0xff, val >> 8 };
    vdma_write(vdev, addr, b, sizeof(b));
}

/* (u16)(new - event - 1) < (u16)(new - old): section 2.6.7.2. */
static inline bool vring_need_event(uint16_t event, uint16_t new, uint16_t old)
{
    return (uint16_t)(new - event - 1) < (uint16_t)(new - old);
}

/* The element builder (virtio.c). */
void virtqueue_elem_init(VirtQueueElement *elem);
bool virtqueue_add_seg(VirtIODevice *vdev, VirtQueueElement *elem, const VRingDesc *d);

/* The packed ring (virtio-packed.c), section 2.8. */
bool vpacked_empty(VirtIODevice *vdev, const VirtQueue *vq);
bool vpacked_pop(VirtIODevice *vdev, VirtQueue *vq, VirtQueueElement *elem);
void vpacked_unpop(VirtQueue *vq);
void vpacked_fill(VirtIODevice *vdev, VirtQueue *vq, uint32_t token, uint32_t len,
                  unsigned idx);
void vpacked_flush(VirtQueue *vq);
bool vpacked_avail_bytes(VirtIODevice *vdev, const VirtQueue *vq, uint32_t in_bytes);
bool vpacked_should_notify(VirtIODevice *vdev, VirtQueue *vq);
void vpacked_want_kick(VirtIODevice *vdev, const VirtQueue *vq);

#endif

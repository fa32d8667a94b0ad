/* SPDX-License-Identifier: MIT */
/*
 * Virtio core: feature negotiation, device status and reset, the device
 * configuration space, and split virtqueues (OASIS VIRTIO 1.1, sections 2
 * and 2.6), shared by every virtio device and transport. Bus-agnostic: a
 * transport (virtio-pci.c) gives the DMA and interrupt callbacks, a device
 * (virtio-net.c) the configuration and queue callbacks.
 *
 * Guest memory is copied, never pointed at: descriptors and ring entries are
 * read one at a time through the transport's DMA. Every guest index is
 * checked where it is read (head and next below the queue size, the avail
 * index at most a queue ahead), and every chain walk is capped.
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/memory.h"
#include "emu/sglist.h"

/* Transport-independent feature bits (VIRTIO 1.1 section 6) */
#define VIRTIO_F_NOTIFY_ON_EMPTY    24   /* legacy */
#define VIRTIO_F_ANY_LAYOUT         27   /* legacy */
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX     29
#define VIRTIO_F_BAD_FEATURE        30   /* legacy: the guest did not negotiate */
#define VIRTIO_F_VERSION_1          32
#define VIRTIO_F_RING_PACKED        34   /* section 2.8; QEMU's "packed" property */
#define VIRTIO_F_RING_RESET         40   /* VIRTIO 1.2: per-queue reset */

/* Features a modern (1.0) driver never sees. */
#define VIRTIO_LEGACY_FEATURES ((1ull << VIRTIO_F_NOTIFY_ON_EMPTY) | \
                                (1ull << VIRTIO_F_ANY_LAYOUT) | \
                                (1ull << VIRTIO_F_BAD_FEATURE))

/* Device status (section 2.1) */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 0x01
#define VIRTIO_CONFIG_S_DRIVER      0x02
#define VIRTIO_CONFIG_S_DRIVER_OK   0x04
#define VIRTIO_CONFIG_S_FEATURES_OK 0x08
#define VIRTIO_CONFIG_S_NEEDS_RESET 0x40
#define VIRTIO_CONFIG_S_FAILED      0x80

/* ISR status bits (section 4.1.4.5) */
#define VIRTIO_ISR_QUEUE  0x01
#define VIRTIO_ISR_CONFIG 0x02

/* Split ring layout (section 2.6) */
#define VRING_DESC_SIZE        16
#define VRING_DESC_F_NEXT      0x1
#define VRING_DESC_F_WRITE     0x2
#define VRING_DESC_F_INDIRECT  0x4
#define VRING_AVAIL_F_NO_INTERRUPT 0x1
#define VRING_USED_ELEM_SIZE   8

/* Packed ring layout (section 2.8): descriptors of addr, len, id, flags;
 * the driver area and device area hold event suppression structures. */
#define VRING_PACKED_DESC_F_AVAIL  0x80
#define VRING_PACKED_DESC_F_USED   0x8000
#define VRING_PACKED_EVENT_ENABLE  0x0
#define VRING_PACKED_EVENT_DISABLE 0x1
#define VRING_PACKED_EVENT_DESC    0x2
#define VRING_PACKED_EVENT_WRAP    0x8000   /* in off_wrap */

#define VIRTIO_NO_VECTOR 0xffff

/* Limits */
#define VIRTIO_QUEUE_INLINE   4      /* queues a device has without storage of its own */
#define VIRTIO_QUEUE_MAX      128    /* queues one device may have (virtio_init_queues) */
#define VIRTIO_QUEUE_SEL_MAX  1024   /* queue_select range (QEMU's) */
#define VIRTIO_QUEUE_SIZE_MAX 256    /* largest queue, a power of two */
#define VIRTIO_MAX_SEGS       256    /* descriptors in one chain, indirect too */
#define VIRTIO_CONFIG_MAX     256    /* device configuration bytes */

typedef struct VirtIODevice VirtIODevice;

/* What the transport does for the core. */
typedef struct VirtIOTransportOps {
    MemTxResult (*dma_read)(void *opaque, uint64_t addr, void *buf, uint64_t len);
    MemTxResult (*dma_write)(void *opaque, uint64_t addr, const void *buf,
                             uint64_t len);
    /* An interrupt for vector (MSI-X) or the ISR level (INTx). */
    void (*notify)(void *opaque, uint16_t vector);
} VirtIOTransportOps;

/* What the device does; any may be NULL. */
typedef struct VirtIODeviceOps {
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    void (*set_features)(VirtIODevice *vdev, uint64_t features);
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
    void (*reset)(VirtIODevice *vdev);
    void (*queue_reset)(VirtIODevice *vdev, unsigned n);
    void (*handle_output)(VirtIODevice *vdev, unsigned n);   /* a kick */
} VirtIODeviceOps;

/* One split virtqueue: the guest addresses and the device's indices. */
typedef struct VirtQueue {
    uint16_t num;             /* size now; 0: the queue does not exist */
    uint16_t num_default;     /* the device's maximum */
    uint64_t desc;            /* descriptor table, 0: not set up */
    uint64_t avail;           /* driver area */
    uint64_t used;            /* device area */
    uint16_t last_avail_idx;  /* next avail entry the device takes */
    uint16_t used_idx;        /* next used entry the device writes */
    uint16_t signalled_used;  /* used_idx at the last interrupt (EVENT_IDX) */
    bool signalled_used_valid;
    uint16_t inuse;           /* popped and not yet pushed */
    /* Packed rings: wrap counters (section 2.8.1, 1 after a reset), the
     * ring descriptors the last pop took (for unpop) and those filled
     * since the last flush. last_avail_idx and used_idx are then ring
     * positions, below num. */
    bool avail_wrap;
    bool used_wrap;
    uint16_t last_ndescs;
    uint16_t pending_ndescs;
    uint16_t vector;          /* MSI-X vector or VIRTIO_NO_VECTOR */
} VirtQueue;

/* A chain taken from a queue: the device-readable segments (out), then the
 * device-writable ones (in), two scatter-gather lists sharing seg[] (in
 * begins where out ends). Scratch, valid until the next pop into it; not
 * to be copied (the lists point into it). */
typedef struct VirtQueueElement {
    /* What fill and push take back: the head descriptor (split), or the
     * buffer id and, above bit 16, the ring descriptors the buffer took
     * (packed). */
    uint32_t index;
    SGList out;
    SGList in;
    SGEntry seg[VIRTIO_MAX_SEGS];
} VirtQueueElement;

struct VirtIODevice {
    const char *name;                 /* for guest-error messages */
    uint64_t host_features;
    uint64_t guest_features;
    uint64_t legacy_features;         /* offered to legacy drivers only */
    uint64_t bad_features;            /* what a legacy BAD_FEATURE driver gets */
    uint8_t status;
    uint8_t isr;
    uint8_t generation;               /* config generation */
    bool broken;                      /* a fatal guest error: until reset */
    bool disabled;                    /* bus mastering off */
    uint16_t queue_sel;
    uint16_t config_vector;
    uint16_t nvqs;
    uint16_t max_vqs;                 /* entries of vq[] */
    VirtQueue *vq;                    /* vq_inline, or the device's (virtio_init_queues) */
    VirtQueue vq_inline[VIRTIO_QUEUE_INLINE];
    uint32_t config_len;
    uint8_t config[VIRTIO_CONFIG_MAX];  /* last got or written */
    /* Wiring, set at realize. */
    const VirtIODeviceOps *ops;
    void *opaque;                     /* the device */
    const VirtIOTransportOps *transport_ops;
    void *transport_opaque;           /* the transport */
};

/* Set-up (realize): the device's features, config size and queues. */
void virtio_init(VirtIODevice *vdev, const char *name, const VirtIODeviceOps *ops,
                 void *opaque, uint64_t host_features, uint32_t config_len);
void virtio_set_transport(VirtIODevice *vdev, const VirtIOTransportOps *transport_ops,
                          void *transport_opaque);
/* A device with more than VIRTIO_QUEUE_INLINE queues gives their storage,
 * n entries inside its own instance (so the snapshot keeps them with it),
 * after virtio_init and before its first virtio_add_queue. */
void virtio_init_queues(VirtIODevice *vdev, VirtQueue *vqs, unsigned n);
void virtio_add_queue(VirtIODevice *vdev, uint16_t size);

static inline bool virtio_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return (vdev->guest_features >> bit) & 1;
}

static inline bool virtio_host_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return (vdev->host_features >> bit) & 1;
}

/* Device status, features, reset. */
void virtio_reset(VirtIODevice *vdev);
void virtio_set_status(VirtIODevice *vdev, uint8_t val);
/* False (nothing changed) after FEATURES_OK; unknown bits are dropped. */
bool virtio_set_features(VirtIODevice *vdev, uint64_t val);
/* A fatal guest error: NEEDS_RESET (1.0 drivers), queues stop until reset. */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Configuration space, little-endian, size 1, 2 or 4; out of range reads
 * all ones and writes nothing. */
uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t addr, unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint32_t addr, uint32_t val,
                         unsigned size);

/* Queue registers, for the transports; n below VIRTIO_QUEUE_SEL_MAX (a
 * queue the device does not have reads as size 0 and ignores writes). */
uint16_t virtio_queue_get_num(const VirtIODevice *vdev, unsigned n);
/* A power of two, at most the device's size; else ignored. */
void virtio_queue_set_num(VirtIODevice *vdev, unsigned n, uint32_t num);
void virtio_queue_set_rings(VirtIODevice *vdev, unsigned n, uint64_t desc,
                            uint64_t avail, uint64_t used);
/* Legacy: the three areas laid out from desc with 4096-byte alignment. */
void virtio_queue_set_legacy_addr(VirtIODevice *vdev, unsigned n, uint64_t pa);
uint64_t virtio_queue_get_desc(const VirtIODevice *vdev, unsigned n);
uint16_t virtio_queue_get_vector(const VirtIODevice *vdev, unsigned n);
void virtio_queue_set_vector(VirtIODevice *vdev, unsigned n, uint16_t vector);
void virtio_queue_reset(VirtIODevice *vdev, unsigned n);
/* A driver notification (kick) of queue n. */
void virtio_queue_notify(VirtIODevice *vdev, unsigned n);

/* Reads and clears the ISR (the transport lowers INTx). */
uint8_t virtio_isr_read_clear(VirtIODevice *vdev);

/*
 * The ring walker. pop takes the next available chain, checked whole
 * before anything is done with it: false if the queue is empty or the
 * chain is bad (then virtio_error). The element stays valid until the
 * next pop into it.
 */
bool virtio_queue_empty(VirtIODevice *vdev, unsigned n);
bool virtqueue_pop(VirtIODevice *vdev, unsigned n, VirtQueueElement *elem);
/* Puts the last popped element back (it will be popped again). */
void virtqueue_unpop(VirtIODevice *vdev, unsigned n);
/* Forgets a popped element without using it. */
void virtqueue_detach(VirtIODevice *vdev, unsigned n);
/* Used entry idx places after used_idx; flush publishes count of them. */
void virtqueue_fill(VirtIODevice *vdev, unsigned n, uint32_t head, uint32_t len,
                    unsigned idx);
void virtqueue_flush(VirtIODevice *vdev, unsigned n, unsigned count);
void virtqueue_push(VirtIODevice *vdev, unsigned n, uint32_t head, uint32_t len);
/* Are there chains whose writable bytes add up to in_bytes? Capped walk. */
bool virtqueue_avail_bytes(VirtIODevice *vdev, unsigned n, uint32_t in_bytes);
/* Tells the driver to kick on its next addition (avail_event, EVENT_IDX). */
void virtqueue_want_kick(VirtIODevice *vdev, unsigned n);
/* Interrupts the driver about queue n, unless it asked not to be. */
void virtio_notify(VirtIODevice *vdev, unsigned n);
/* Configuration changed: ISR bit 1, generation, config vector. */
void virtio_notify_config(VirtIODevice *vdev);

/* Element data: bytes gathered from the readable segments or scattered
 * into the writable ones, from offset off, through the transport's DMA;
 * returns the bytes the segments covered. */
static inline size_t virtqueue_elem_out_size(const VirtQueueElement *elem)
{
    return sg_size(&elem->out);
}

static inline size_t virtqueue_elem_in_size(const VirtQueueElement *elem)
{
    return sg_size(&elem->in);
}

size_t virtqueue_elem_read(VirtIODevice *vdev, const VirtQueueElement *elem,
                           size_t off, void *buf, size_t len);
size_t virtqueue_elem_write(VirtIODevice *vdev, const VirtQueueElement *elem,
                            size_t off, const void *buf, size_t len);

#endif

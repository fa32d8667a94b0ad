/* SPDX-License-Identifier: MIT */
/*
 * virtio-rng-pci: the entropy device (VIRTIO 1.2 section 5.4) over the
 * transitional PCI transport, with QEMU 7.2's identity, features, queue
 * size and rate limit (max-bytes per period, refilled by a timer). The
 * entropy comes from a deterministic generator (xorshift64*) seeded at
 * realize and kept in the instance: the snapshot restores it, and two runs
 * of one input give the same bytes. Left out: QEMU's rng backends (rng=).
 */
#include <string.h>

#include "emu/clock.h"
#include "emu/log.h"
#include "hw/devices.h"
#include "hw/virtio/virtio-rng.h"

/* Identity and queue (QEMU's) */
#define VIRTIO_ID_RNG            4
#define VIRTIO_RNG_PCI_DEVICE_ID 0x1005
#define VIRTIO_RNG_QUEUE_SIZE    8
#define VIRTIO_RNG_VQ            0
#define PCI_CLASS_OTHERS         0x00ff

/* Defaults of QEMU's properties: no limit, a period of 2^16 ms */
#define VIRTIO_RNG_MAX_BYTES_DEFAULT INT64_MAX
#define VIRTIO_RNG_PERIOD_DEFAULT    (1u << 16)
#define VIRTIO_RNG_SEED_DEFAULT      0x9e3779b97f4a7c15ull

/* Limits */
#define VIRTIO_RNG_CHUNK 256     /* bytes generated per copy */
/* Bytes one buffer gets at most: a chain may describe gigabytes, which
 * QEMU would ask its backend for whole (Linux's buffers are 64 bytes). */
#define VIRTIO_RNG_MAX_REQUEST (64 * 1024)

/* Ring features QEMU offers on every device */
#define VIRTIO_RNG_FEATURES ((1ull << VIRTIO_F_NOTIFY_ON_EMPTY) | \
                             (1ull << VIRTIO_F_ANY_LAYOUT) | \
                             (1ull << VIRTIO_RING_F_INDIRECT_DESC) | \
                             (1ull << VIRTIO_RING_F_EVENT_IDX))

static VirtIORNG *vrng(VirtIODevice *vdev)
{
    return vdev->opaque;
}

/* xorshift64* (Vigna): fast, full period, deterministic. */
static uint64_t virtio_rng_next(VirtIORNG *r)
{
    r->prng ^= r->prng >> 12;
    r->prng ^= r->prng << 25;
    r->prng ^= r->prng >> 27;
    return r->prng * 0x2545f4914f6cdd1dull;
}

static void virtio_rng_fill(VirtIORNG *r, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i += 8) {
        uint64_t v = virtio_rng_next(r);
        for (size_t k = 0; k < 8 && i + k < len; k++) {
            buf[i + k] = v >> (8 * k);
        }
    }
}

/* One buffer filled with up to quota bytes; returns the bytes written. */
static size_t virtio_rng_fill_elem(VirtIORNG *r, const VirtQueueElement *elem,
                                   size_t quota)
{
    uint8_t chunk[VIRTIO_RNG_CHUNK];
    size_t want = MIN(MIN(virtqueue_elem_in_size(elem), quota), VIRTIO_RNG_MAX_REQUEST);
    size_t done = 0;

    while (done < want) {
        size_t n = MIN(want - done, sizeof(chunk));
        virtio_rng_fill(r, chunk, n);
        size_t put = virtqueue_elem_write(&r->vdev, elem, done, chunk, n);
        done += put;
        if (put < n) {
            break;
        }
    }
    return done;
}

static bool virtio_rng_ready(const VirtIORNG *r)
{
    const VirtIODevice *vdev = &r->vdev;
    return (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && !vdev->broken &&
           !vdev->disabled && vdev->vq[VIRTIO_RNG_VQ].avail;
}

/* QEMU's virtio_rng_process and chr_read in one: the first call of a
 * period (the device ready) starts the refill timer; every buffer waiting
 * is filled while the quota lasts (at most a queue's worth per call). As
 * QEMU asks its backend only for what the buffers can take, nothing is
 * popped while no writable byte waits. */
static void virtio_rng_process(VirtIORNG *r)
{
    VirtIODevice *vdev = &r->vdev;
    VirtQueueElement elem;
    bool pushed = false;

    if (!virtio_rng_ready(r)) {
        return;
    }
    if (r->activate_timer) {
        timer_mod(&r->rate_limit_timer, clock_get_ns(r->clock) +
                  (int64_t)r->period_ms * 1000000);
        r->activate_timer = false;
    }
    if (!virtqueue_avail_bytes(vdev, VIRTIO_RNG_VQ, 1)) {
        return;
    }
    for (unsigned i = 0; i < VIRTIO_RNG_QUEUE_SIZE && r->quota_remaining > 0; i++) {
        if (!virtqueue_pop(vdev, VIRTIO_RNG_VQ, &elem)) {
            break;
        }
        size_t len = virtio_rng_fill_elem(r, &elem, r->quota_remaining);
        virtqueue_push(vdev, VIRTIO_RNG_VQ, elem.index, len);
        r->quota_remaining -= len;
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, VIRTIO_RNG_VQ);
    }
}

/* A new period: the quota back to max-bytes, waiting buffers served. */
static void virtio_rng_rate_limit_cb(void *opaque)
{
    VirtIORNG *r = opaque;
    r->quota_remaining = r->max_bytes;
    r->activate_timer = true;
    virtio_rng_process(r);
}

static void virtio_rng_handle_output(VirtIODevice *vdev, unsigned q)
{
    virtio_rng_process(vrng(vdev));
}

/* DRIVER_OK may find buffers already queued (QEMU's set_status). */
static void virtio_rng_set_status(VirtIODevice *vdev, uint8_t status)
{
    if (status & VIRTIO_CONFIG_S_DRIVER_OK) {
        virtio_rng_process(vrng(vdev));
    }
}

static const VirtIODeviceOps virtio_rng_ops = {
    .set_status = virtio_rng_set_status,
    .handle_output = virtio_rng_handle_output,
};

static const VirtIOPCIInfo virtio_rng_pci_info = {
    .name = "virtio-rng",
    .msix_name = "virtio-rng-pci-msix",
    .device_id = VIRTIO_RNG_PCI_DEVICE_ID,
    .subsystem_id = VIRTIO_ID_RNG,
    .class_id = PCI_CLASS_OTHERS,
    .vectors = 2,               /* QEMU's DEV_NVECTORS_UNSPECIFIED: queues + 1 */
};

/* The rate limit is not reset with the device (QEMU's timer runs on);
 * the generator neither (the backend's state). */
static void virtio_rng_pci_reset(Object *obj)
{
    VirtIORNG *r = (VirtIORNG *)obj;
    virtio_pci_reset(&r->proxy);
}

static void virtio_rng_pci_init(Object *obj)
{
    VirtIORNG *r = (VirtIORNG *)obj;
    virtio_pci_proxy_init(&r->proxy);
    r->max_bytes = VIRTIO_RNG_MAX_BYTES_DEFAULT;
    r->period_ms = VIRTIO_RNG_PERIOD_DEFAULT;
    r->seed = VIRTIO_RNG_SEED_DEFAULT;
}

static bool virtio_rng_check_props(VirtIORNG *r, char **errp)
{
    if (r->period_ms == 0) {
        *errp = g_strdup("virtio-rng-pci: 'period' parameter expects a positive integer");
        return false;
    }
    if (r->max_bytes == 0 || r->max_bytes > INT64_MAX) {
        *errp = g_strdup("virtio-rng-pci: 'max-bytes' parameter must be non-zero "
                         "and less than 2^63");
        return false;
    }
    return true;
}

static bool virtio_rng_pci_realize(Object *obj, Machine *m, char **errp)
{
    VirtIORNG *r = (VirtIORNG *)obj;
    VirtIODevice *vdev = &r->vdev;

    if (!virtio_rng_check_props(r, errp)) {
        return false;
    }
    r->clock = &m->clock;
    r->prng = r->seed ? r->seed : VIRTIO_RNG_SEED_DEFAULT;
    r->quota_remaining = r->max_bytes;
    r->activate_timer = true;
    timer_init(&r->rate_limit_timer, obj, r->clock, virtio_rng_rate_limit_cb, r);
    virtio_init(vdev, "virtio-rng", &virtio_rng_ops, r, VIRTIO_RNG_FEATURES, 0);
    virtio_add_queue(vdev, VIRTIO_RNG_QUEUE_SIZE);
    return virtio_pci_realize(&r->proxy, m, vdev, &virtio_rng_pci_info, errp);
}

static const Property virtio_rng_pci_props[] = {
    VIRTIO_PCI_PROPS(VirtIORNG, proxy),
    { "max-bytes", PROP_U64, offsetof(VirtIORNG, max_bytes),
      "bytes of entropy per period (QEMU's; default unlimited)" },
    { "period", PROP_U32, offsetof(VirtIORNG, period_ms),
      "rate-limit period in ms (QEMU's; default 65536)" },
    { "seed", PROP_U64, offsetof(VirtIORNG, seed),
      "seed of the deterministic entropy generator (emufuzz's; 0: default)" },
    { .name = NULL },
};

const TypeInfo virtio_rng_pci_type = {
    .name = "virtio-rng-pci",
    .alias = "virtio-rng",
    .parent = "pci-device",
    .desc = "virtio entropy device over PCI, deterministic source (transitional)",
    OBJECT_INSTANCE(VirtIORNG),
    .user_creatable = true,
    .props = virtio_rng_pci_props,
    .init = virtio_rng_pci_init,
    .realize = virtio_rng_pci_realize,
    .reset = virtio_rng_pci_reset,
};

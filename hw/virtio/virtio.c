/* SPDX-License-Identifier: MIT */
/*
 * Virtio core and split virtqueues (OASIS VIRTIO 1.1 sections 2.1-2.6; the
 * behaviour of QEMU 7.2's hw/virtio/virtio.c where the guest can see it).
 * Packed virtqueues are left out (QEMU's virtio-net-pci does not offer them).
 * See virtio.h for the rules every ring access follows.
 */
#include "hw/virtio/virtio.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "hw/virtio/virtio-internal.h"

/* Ring field offsets (section 2.6) */
#define VRING_AVAIL_FLAGS  0
#define VRING_AVAIL_IDX    2
#define VRING_AVAIL_RING   4
#define VRING_USED_IDX     2
#define VRING_USED_RING    4
#define VRING_LEGACY_ALIGN 4096

/* Limits */
#define VIRTIO_AVAIL_BYTES_MAX_DESCS (4 * VIRTIO_MAX_SEGS)
#define VIRTIO_ERROR_MSG_MAX 160

/* ---------------------------------------------------------------------- */
/* Ring fields                                                             */

static uint16_t vring_avail_flags(VirtIODevice *vdev, const VirtQueue *vq)
{
    return vld16(vdev, vq->avail + VRING_AVAIL_FLAGS);
}

static uint16_t vring_avail_idx(VirtIODevice *vdev, const VirtQueue *vq)
{
    return vld16(vdev, vq->avail + VRING_AVAIL_IDX);
}

static uint16_t vring_avail_ring(VirtIODevice *vdev, const VirtQueue *vq,
                                 unsigned i)
{
    return vld16(vdev, vq->avail + VRING_AVAIL_RING + 2ull * i);
}

/* used_event sits after the avail ring, avail_event after the used ring. */
static uint16_t vring_used_event(VirtIODevice *vdev, const VirtQueue *vq)
{
    return vring_avail_ring(vdev, vq, vq->num);
}

static void vring_set_avail_event(VirtIODevice *vdev, const VirtQueue *vq,
                                  uint16_t val)
{
    vst16(vdev, vq->used + VRING_USED_RING +
          (uint64_t)VRING_USED_ELEM_SIZE * vq->num, val);
}

static void vring_read_desc(VirtIODevice *vdev, uint64_t table, unsigned i,
                            VRingDesc *d)
{
    uint8_t b[VRING_DESC_SIZE];
    vdma_read(vdev, table + (uint64_t)VRING_DESC_SIZE * i, b, sizeof(b));
    d->addr = ld_le32(b) | (uint64_t)ld_le32(b + 4) << 32;
    d->len = ld_le32(b + 8);
    d->flags = b[12] | b[13] << 8;
    d->next = b[14] | b[15] << 8;
}

/* ---------------------------------------------------------------------- */
/* Set-up, status, features, errors                                        */

void virtio_init(VirtIODevice *vdev, const char *name, const VirtIODeviceOps *ops,
                 void *opaque, uint64_t host_features, uint32_t config_len)
{
    if (config_len > VIRTIO_CONFIG_MAX) {
        emu_bug("%s: config of %u bytes", name, config_len);
    }
    memset(vdev, 0, sizeof(*vdev));
    vdev->vq = vdev->vq_inline;
    vdev->max_vqs = VIRTIO_QUEUE_INLINE;
    vdev->name = name;
    vdev->ops = ops;
    vdev->opaque = opaque;
    vdev->host_features = host_features;
    vdev->config_len = config_len;
    vdev->config_vector = VIRTIO_NO_VECTOR;
    for (unsigned i = 0; i < vdev->max_vqs; i++) {
        vdev->vq[i].vector = VIRTIO_NO_VECTOR;
    }
}

void virtio_init_queues(VirtIODevice *vdev, VirtQueue *vqs, unsigned n)
{
    if (vdev->nvqs || n > VIRTIO_QUEUE_MAX) {
        emu_bug("%s: %u queues, or given after the first", vdev->name, n);
    }
    memset(vqs, 0, sizeof(*vqs) * n);
    vdev->vq = vqs;
    vdev->max_vqs = n;
    for (unsigned i = 0; i < n; i++) {
        vqs[i].vector = VIRTIO_NO_VECTOR;
    }
}

void virtio_set_transport(VirtIODevice *vdev, const VirtIOTransportOps *transport_ops,
                          void *transport_opaque)
{
    vdev->transport_ops = transport_ops;
    vdev->transport_opaque = transport_opaque;
}

void virtio_add_queue(VirtIODevice *vdev, uint16_t size)
{
    if (vdev->nvqs == vdev->max_vqs || size == 0 ||
        size > VIRTIO_QUEUE_SIZE_MAX || (size & (size - 1))) {
        emu_bug("%s: queue %u of size %u", vdev->name, vdev->nvqs, size);
    }
    VirtQueue *vq = &vdev->vq[vdev->nvqs++];
    vq->num = vq->num_default = size;
    vq->avail_wrap = vq->used_wrap = true;
}

static void virtio_notify_vector(VirtIODevice *vdev, uint16_t vector)
{
    if (!vdev->broken) {
        vdev->transport_ops->notify(vdev->transport_opaque, vector);
    }
}

static void virtio_queue_clear(VirtQueue *vq)
{
    uint16_t num_default = vq->num_default;
    memset(vq, 0, sizeof(*vq));
    vq->num = vq->num_default = num_default;
    vq->vector = VIRTIO_NO_VECTOR;
    vq->avail_wrap = vq->used_wrap = true;
}

/* Status 0 (or a transport reset): the device as at power-on. */
void virtio_reset(VirtIODevice *vdev)
{
    vdev->status = 0;
    if (vdev->ops->set_status) {
        vdev->ops->set_status(vdev, 0);
    }
    if (vdev->ops->reset) {
        vdev->ops->reset(vdev);
    }
    vdev->broken = false;
    vdev->guest_features = 0;
    vdev->queue_sel = 0;
    vdev->isr = 0;
    vdev->config_vector = VIRTIO_NO_VECTOR;
    virtio_notify_vector(vdev, vdev->config_vector);
    for (unsigned i = 0; i < vdev->max_vqs; i++) {
        virtio_queue_clear(&vdev->vq[i]);
    }
}

/* As QEMU, any value is stored; the device hears of it afterwards. */
void virtio_set_status(VirtIODevice *vdev, uint8_t val)
{
    vdev->status = val;
    if (vdev->ops->set_status) {
        vdev->ops->set_status(vdev, val);
    }
}

bool virtio_set_features(VirtIODevice *vdev, uint64_t val)
{
    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        guest_error("%s: features written after FEATURES_OK", vdev->name);
        return false;
    }
    if (val & ~vdev->host_features) {
        guest_error("%s: driver features 0x%" G_GINT64_MODIFIER "x not offered",
                    vdev->name, val & ~vdev->host_features);
    }
    vdev->guest_features = val & vdev->host_features;
    if (vdev->ops->set_features) {
        vdev->ops->set_features(vdev, vdev->guest_features);
    }
    return true;
}

/* Formatted into a fixed buffer (cut if longer): nothing is allocated
 * while an input runs. */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    char msg[VIRTIO_ERROR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    guest_error("%s: %s", vdev->name, msg);
    if (virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
        virtio_notify_config(vdev);
    }
    vdev->broken = true;
}

/* ---------------------------------------------------------------------- */
/* Configuration space                                                     */

static bool virtio_config_in_range(const VirtIODevice *vdev, uint32_t addr,
                                   unsigned size)
{
    return addr <= vdev->config_len && size <= vdev->config_len - addr;
}

/* Refreshed from the device on every read, as QEMU's virtio_config_read*. */
uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t addr, unsigned size)
{
    uint32_t val = 0;

    if (!virtio_config_in_range(vdev, addr, size)) {
        return UINT32_MAX;
    }
    if (vdev->ops->get_config) {
        vdev->ops->get_config(vdev, vdev->config);
    }
    for (unsigned i = 0; i < size; i++) {
        val |= (uint32_t)vdev->config[addr + i] << (8 * i);
    }
    return val;
}

void virtio_config_write(VirtIODevice *vdev, uint32_t addr, uint32_t val,
                         unsigned size)
{
    if (!virtio_config_in_range(vdev, addr, size)) {
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        vdev->config[addr + i] = val >> (8 * i);
    }
    if (vdev->ops->set_config) {
        vdev->ops->set_config(vdev, vdev->config);
    }
}

/* ---------------------------------------------------------------------- */
/* Queue registers                                                         */

static VirtQueue *virtio_vq(VirtIODevice *vdev, unsigned n)
{
    return n < vdev->max_vqs ? &vdev->vq[n] : NULL;
}

uint16_t virtio_queue_get_num(const VirtIODevice *vdev, unsigned n)
{
    return n < vdev->max_vqs ? vdev->vq[n].num : 0;
}

void virtio_queue_set_num(VirtIODevice *vdev, unsigned n, uint32_t num)
{
    VirtQueue *vq = virtio_vq(vdev, n);

    if (!vq || !vq->num_default || num == 0) {
        return;         /* a queue cannot come or go (QEMU) */
    }
    if (num > vq->num_default || (num & (num - 1))) {
        guest_error("%s: queue %u size %u: not a power of two up to %u",
                    vdev->name, n, num, vq->num_default);
        return;
    }
    vq->num = num;
}

void virtio_queue_set_rings(VirtIODevice *vdev, unsigned n, uint64_t desc,
                            uint64_t avail, uint64_t used)
{
    VirtQueue *vq = virtio_vq(vdev, n);

    if (!vq || !vq->num) {
        return;
    }
    vq->desc = desc;
    vq->avail = avail;
    vq->used = used;
}

void virtio_queue_set_legacy_addr(VirtIODevice *vdev, unsigned n, uint64_t pa)
{
    VirtQueue *vq = virtio_vq(vdev, n);

    if (!vq || !vq->num || !pa) {
        return;
    }
    uint64_t avail = pa + (uint64_t)VRING_DESC_SIZE * vq->num;
    uint64_t used = avail + VRING_AVAIL_RING + 2ull * vq->num;
    used = (used + VRING_LEGACY_ALIGN - 1) & ~(uint64_t)(VRING_LEGACY_ALIGN - 1);
    virtio_queue_set_rings(vdev, n, pa, avail, used);
}

uint64_t virtio_queue_get_desc(const VirtIODevice *vdev, unsigned n)
{
    return n < vdev->max_vqs ? vdev->vq[n].desc : 0;
}

uint16_t virtio_queue_get_vector(const VirtIODevice *vdev, unsigned n)
{
    return n < vdev->max_vqs ? vdev->vq[n].vector : VIRTIO_NO_VECTOR;
}

void virtio_queue_set_vector(VirtIODevice *vdev, unsigned n, uint16_t vector)
{
    if (n < vdev->max_vqs) {
        vdev->vq[n].vector = vector;
    }
}

/* VIRTIO 1.2 section 2.6.1: the queue back as after a device reset. */
void virtio_queue_reset(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_vq(vdev, n);

    if (!vq) {
        return;
    }
    if (vdev->ops->queue_reset) {
        vdev->ops->queue_reset(vdev, n);
    }
    virtio_queue_clear(vq);
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_vq(vdev, n);

    if (!vq || !vq->desc || vdev->broken) {
        return;
    }
    if (vdev->ops->handle_output) {
        vdev->ops->handle_output(vdev, n);
    }
}

uint8_t virtio_isr_read_clear(VirtIODevice *vdev)
{
    uint8_t val = vdev->isr;
    vdev->isr = 0;
    return val;
}

/* ---------------------------------------------------------------------- */
/* The ring walker                                                         */

static bool virtio_packed(const VirtIODevice *vdev)
{
    return virtio_has_feature(vdev, VIRTIO_F_RING_PACKED);
}

bool virtio_queue_empty(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = &vdev->vq[n];

    if (vdev->disabled || !vq->avail || !vq->num) {
        return true;
    }
    if (virtio_packed(vdev)) {
        return vpacked_empty(vdev, vq);
    }
    return vring_avail_idx(vdev, vq) == vq->last_avail_idx;
}

/* Empty lists over the element's storage: out may take all of it. */
void virtqueue_elem_init(VirtQueueElement *elem)
{
    sg_init(&elem->out, elem->seg, VIRTIO_MAX_SEGS, UINT64_MAX);
    sg_init(&elem->in, elem->seg, 0, UINT64_MAX);
}

/* The first writable descriptor: out is complete, in takes the rest. */
static void virtqueue_elem_start_in(VirtQueueElement *elem)
{
    unsigned used = elem->out.nr;

    elem->out.max_entries = used;
    sg_init(&elem->in, elem->seg + used, VIRTIO_MAX_SEGS - used, UINT64_MAX);
}

/* One descriptor into the element. Only a head may be INDIRECT (section
 * 2.6.5.3.1); a zero length is refused as QEMU does; out before in; the
 * element's lists cap the segments at VIRTIO_MAX_SEGS and refuse a buffer
 * that wraps the address space (QEMU cannot map one: "bogus descriptor"). */
bool virtqueue_add_seg(VirtIODevice *vdev, VirtQueueElement *elem, const VRingDesc *d)
{
    bool writable = d->flags & VRING_DESC_F_WRITE;

    if (d->flags & VRING_DESC_F_INDIRECT) {
        virtio_error(vdev, "indirect descriptor inside a chain or table");
        return false;
    }
    if (d->len == 0) {
        virtio_error(vdev, "zero sized buffers are not allowed");
        return false;
    }
    if (!writable && elem->in.nr) {
        virtio_error(vdev, "Incorrect order for descriptors");
        return false;
    }
    if (writable && elem->in.nr == 0) {
        virtqueue_elem_start_in(elem);
    }
    if (!sg_add(writable ? &elem->in : &elem->out, d->addr, d->len)) {
        virtio_error(vdev, "chain longer than %u descriptors or buffer at "
                     "0x%" PRIx64 " wrapping", VIRTIO_MAX_SEGS, d->addr);
        return false;
    }
    return true;
}

/*
 * The chain from head: in the descriptor table, or in the indirect table
 * the head points to. At most max descriptors (the table's size: more means
 * a loop) and VIRTIO_MAX_SEGS in all; every next index below max.
 */
static bool virtqueue_read_chain(VirtIODevice *vdev, const VirtQueue *vq,
                                 unsigned head, VirtQueueElement *elem)
{
    uint64_t table = vq->desc;
    uint32_t max = vq->num;
    VRingDesc d;

    virtqueue_elem_init(elem);
    vring_read_desc(vdev, table, head, &d);
    if (d.flags & VRING_DESC_F_INDIRECT) {
        if (d.len == 0 || d.len % VRING_DESC_SIZE) {
            virtio_error(vdev, "Invalid size for indirect buffer table");
            return false;
        }
        table = d.addr;
        max = d.len / VRING_DESC_SIZE;
        vring_read_desc(vdev, table, 0, &d);
    }
    for (uint32_t entries = 1;; entries++) {
        if (!virtqueue_add_seg(vdev, elem, &d)) {
            return false;
        }
        if (entries > max) {
            virtio_error(vdev, "Looped descriptor");
            return false;
        }
        if (!(d.flags & VRING_DESC_F_NEXT)) {
            return true;
        }
        if (d.next >= max) {
            virtio_error(vdev, "Desc next is %u", d.next);
            return false;
        }
        vring_read_desc(vdev, table, d.next, &d);
    }
}

/* The next head, checked: the avail index at most a queue ahead, the head
 * below the queue size. */
static bool virtqueue_next_head(VirtIODevice *vdev, VirtQueue *vq,
                                uint16_t avail_idx, uint16_t *head)
{
    uint16_t pending = avail_idx - vq->last_avail_idx;

    if (pending > vq->num) {
        virtio_error(vdev, "Guest moved avail index from %u to %u",
                     vq->last_avail_idx, avail_idx);
        return false;
    }
    if (vq->inuse >= vq->num) {
        virtio_error(vdev, "Virtqueue size exceeded");
        return false;
    }
    *head = vring_avail_ring(vdev, vq, vq->last_avail_idx % vq->num);
    vq->last_avail_idx++;
    if (*head >= vq->num) {
        virtio_error(vdev, "Guest says index %u is available", *head);
        return false;
    }
    return true;
}

bool virtqueue_pop(VirtIODevice *vdev, unsigned n, VirtQueueElement *elem)
{
    VirtQueue *vq = &vdev->vq[n];
    uint16_t head;

    if (vdev->broken || vdev->disabled || !vq->avail || !vq->num) {
        return false;
    }
    if (virtio_packed(vdev)) {
        return vpacked_pop(vdev, vq, elem);
    }
    uint16_t avail_idx = vring_avail_idx(vdev, vq);
    if (avail_idx == vq->last_avail_idx ||
        !virtqueue_next_head(vdev, vq, avail_idx, &head)) {
        return false;
    }
    if (virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        vring_set_avail_event(vdev, vq, vq->last_avail_idx);
    }
    if (!virtqueue_read_chain(vdev, vq, head, elem)) {
        return false;
    }
    elem->index = head;
    vq->inuse++;
    return true;
}

void virtqueue_unpop(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = &vdev->vq[n];
    if (virtio_packed(vdev)) {
        vpacked_unpop(vq);
    } else {
        vq->last_avail_idx--;
    }
    virtqueue_detach(vdev, n);
}

void virtqueue_detach(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = &vdev->vq[n];
    if (vq->inuse == 0) {
        emu_bug("%s: queue %u: detach with nothing in use", vdev->name, n);
    }
    vq->inuse--;
}

void virtqueue_fill(VirtIODevice *vdev, unsigned n, uint32_t head, uint32_t len,
                    unsigned idx)
{
    VirtQueue *vq = &vdev->vq[n];
    uint8_t b[VRING_USED_ELEM_SIZE];

    if (!vq->used || !vq->num) {
        return;
    }
    if (virtio_packed(vdev)) {
        vpacked_fill(vdev, vq, head, len, idx);
        return;
    }
    idx = (idx + vq->used_idx) % vq->num;
    st_le32(b, head);
    st_le32(b + 4, len);
    vdma_write(vdev, vq->used + VRING_USED_RING +
               (uint64_t)VRING_USED_ELEM_SIZE * idx, b, sizeof(b));
}

void virtqueue_flush(VirtIODevice *vdev, unsigned n, unsigned count)
{
    VirtQueue *vq = &vdev->vq[n];

    if (!vq->used) {
        return;         /* as QEMU: the elements stay in use */
    }
    if (count > vq->inuse) {
        emu_bug("%s: queue %u: flush of %u, %u in use", vdev->name, n, count,
                vq->inuse);
    }
    if (virtio_packed(vdev)) {
        vpacked_flush(vq);
        vq->inuse -= count;
        return;
    }
    uint16_t old = vq->used_idx;
    uint16_t new = old + count;
    vst16(vdev, vq->used + VRING_USED_IDX, new);
    vq->used_idx = new;
    vq->inuse -= count;
    if ((int16_t)(new - vq->signalled_used) < (uint16_t)(new - old)) {
        vq->signalled_used_valid = false;
    }
}

void virtqueue_push(VirtIODevice *vdev, unsigned n, uint32_t head, uint32_t len)
{
    virtqueue_fill(vdev, n, head, len, 0);
    virtqueue_flush(vdev, n, 1);
}

/* QEMU's virtqueue_get_avail_bytes for the writable side, walking at most
 * VIRTIO_AVAIL_BYTES_MAX_DESCS descriptors; the element is scratch. */
bool virtqueue_avail_bytes(VirtIODevice *vdev, unsigned n, uint32_t in_bytes)
{
    VirtQueue *vq = &vdev->vq[n];
    VirtQueueElement elem;
    uint64_t total = 0;
    unsigned descs = 0;

    if (vdev->broken || vdev->disabled || !vq->avail || !vq->num) {
        return false;
    }
    if (virtio_packed(vdev)) {
        return vpacked_avail_bytes(vdev, vq, in_bytes);
    }
    uint16_t avail_idx = vring_avail_idx(vdev, vq);
    uint16_t pending = avail_idx - vq->last_avail_idx;
    if (pending > vq->num) {
        virtio_error(vdev, "Guest moved avail index from %u to %u",
                     vq->last_avail_idx, avail_idx);
        return false;
    }
    for (uint16_t i = 0; i < pending && descs < VIRTIO_AVAIL_BYTES_MAX_DESCS; i++) {
        uint16_t head = vring_avail_ring(vdev, vq,
                                         (uint16_t)(vq->last_avail_idx + i) % vq->num);
        if (head >= vq->num) {
            virtio_error(vdev, "Guest says index %u is available", head);
            return false;
        }
        if (!virtqueue_read_chain(vdev, vq, head, &elem)) {
            return false;
        }
        descs += elem.out.nr + elem.in.nr;
        total += virtqueue_elem_in_size(&elem);
        if (total >= in_bytes) {
            return true;
        }
    }
    return false;
}

void virtqueue_want_kick(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = &vdev->vq[n];

    if (virtio_packed(vdev)) {
        if (vq->used && vq->num && !vdev->disabled) {
            vpacked_want_kick(vdev, vq);
        }
        return;
    }
    if (virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX) && vq->avail &&
        vq->used && vq->num && !vdev->disabled) {
        vring_set_avail_event(vdev, vq, vring_avail_idx(vdev, vq));
    }
}

static bool virtio_should_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = &vdev->vq[n];

    if (virtio_packed(vdev)) {
        return vpacked_should_notify(vdev, vq);
    }
    if (virtio_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) && !vq->inuse &&
        virtio_queue_empty(vdev, n)) {
        return true;
    }
    if (!virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return !(vring_avail_flags(vdev, vq) & VRING_AVAIL_F_NO_INTERRUPT);
    }
    bool valid = vq->signalled_used_valid;
    uint16_t old = vq->signalled_used;
    vq->signalled_used_valid = true;
    vq->signalled_used = vq->used_idx;
    return !valid || vring_need_event(vring_used_event(vdev, vq), vq->used_idx, old);
}

void virtio_notify(VirtIODevice *vdev, unsigned n)
{
    if (!vdev->vq[n].avail || !virtio_should_notify(vdev, n)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_QUEUE;
    virtio_notify_vector(vdev, vdev->vq[n].vector);
}

void virtio_notify_config(VirtIODevice *vdev)
{
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG;
    vdev->generation++;
    virtio_notify_vector(vdev, vdev->config_vector);
}

/* ---------------------------------------------------------------------- */
/* Element data                                                            */

static MemTxResult virtqueue_sg_dma(void *opaque, uint64_t addr, void *buf,
                                    uint64_t len, bool is_write)
{
    VirtIODevice *vdev = opaque;

    if (is_write) {
        return vdev->transport_ops->dma_write(vdev->transport_opaque, addr, buf, len);
    }
    return vdev->transport_ops->dma_read(vdev->transport_opaque, addr, buf, len);
}

size_t virtqueue_elem_read(VirtIODevice *vdev, const VirtQueueElement *elem,
                           size_t off, void *buf, size_t len)
{
    return sg_copy(&elem->out, off, buf, len, false, virtqueue_sg_dma, vdev);
}

size_t virtqueue_elem_write(VirtIODevice *vdev, const VirtQueueElement *elem,
                            size_t off, const void *buf, size_t len)
{
    return sg_copy(&elem->in, off, (void *)buf, len, true, virtqueue_sg_dma, vdev);
}

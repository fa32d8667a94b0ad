/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk-flags-fuzz (and virtio-scsi-flags-fuzz): QEMU's scheme for
 * fuzzing a virtio device's feature negotiation and queues together. An
 * input is an 8-byte feature mask, then records:
 *
 *   { queue, length, write, next, kick }   5 bytes, then `length` bytes
 *
 * Each input brings the device up as a modern driver does, negotiating
 * what the device offers ANDed with the mask (VERSION_1 always: the
 * modern transport needs it), sets up every queue the device has (split
 * rings, or packed ones when VIRTIO_F_RING_PACKED was chosen), then lays
 * one descriptor per record on queue `queue % queues`: a buffer of
 * `length` bytes (at most what is left of the input) holding the bytes
 * that follow, device-writable if `write & 1`, chained to the next
 * record's descriptor on that queue if `next & 1`. `kick & 1` posts the
 * chain laid since the queue's last kick (its first descriptor) and
 * notifies the queue; at the end every queue used and not kicked since is
 * kicked. QEMU's harness posts descriptor 0 after a queue's first kick (its
 * free_head is reset and never set again); here every kick posts the chain
 * it closes. Everything goes through guest RAM and MMIO, so a trace
 * replays on emu-system. Format: docs/fuzz-input-format.md.
 */
#include "harness/virtio-flags-fuzz.h"

#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "emu/byteorder.h"

/* BAR 4: the modern registers (VIRTIO 1.2 section 4.1.4), as
 * hw/virtio/virtio-pci.c maps them. */
#define VFF_BAR             4
#define VFF_DFSELECT        0x00
#define VFF_DF              0x04
#define VFF_GFSELECT        0x08
#define VFF_GF              0x0c
#define VFF_NUM_QUEUES      0x12
#define VFF_STATUS          0x14
#define VFF_Q_SELECT        0x16
#define VFF_Q_SIZE          0x18
#define VFF_Q_ENABLE        0x1c
#define VFF_Q_NOTIFY_OFF    0x1e
#define VFF_Q_DESC          0x20
#define VFF_Q_DRIVER        0x28
#define VFF_Q_DEVICE        0x30
#define VFF_NOTIFY          0x3000
#define VFF_NOTIFY_MULT     4
#define VFF_S_ACK_DRIVER    0x03
#define VFF_S_FEATURES_OK   0x08
#define VFF_S_DRIVER_OK     0x04
#define VFF_F_VERSION_1     (1ull << 32)
#define VFF_F_RING_PACKED   (1ull << 34)
#define VFF_DESC_F_NEXT     0x1
#define VFF_DESC_F_WRITE    0x2
#define VFF_PACKED_AVAIL    0x80
#define VFF_PACKED_USED     0x8000

/* Guest RAM: queue q's rings at VFF_QUEUE_BASE(q) (descriptors +0, driver
 * area +0x1000, device area +0x2000), buffers from VFF_BUF_BASE up. */
#define VFF_QUEUES_MAX      32
#define VFF_QUEUE_SIZE_MAX  256
#define VFF_QUEUE_BASE(q)   (0x100000ull + 0x10000ull * (q))
#define VFF_DRIVER_OFF      0x1000
#define VFF_DEVICE_OFF      0x2000
#define VFF_BUF_BASE        0x1000000ull
#define VFF_RECORD          5
#define VFF_MAX_RECORDS     512

typedef struct VffQueue {
    uint16_t size;            /* 0: the device has no such queue */
    uint16_t notify_off;
    uint16_t pos;             /* the next descriptor slot */
    uint16_t avail_idx;       /* split: the next avail index */
    bool wrap;                /* packed: the driver's wrap counter */
    bool open;                /* descriptors laid since the last kick */
    bool used;                /* a record went to it since the last kick */
    uint16_t head;            /* the first of them */
    uint16_t head_flags;      /* packed: its flags, written when posted */
} VffQueue;

typedef struct VffState {
    uint64_t bar;
    unsigned nqueues;
    bool packed;
    uint64_t buf_next;
    VffQueue q[VFF_QUEUES_MAX];
} VffState;

bool virtio_flags_fuzz_setup(Fuzzer *f, char **errp)
{
    PCIDevice *d = f->nr_pci ? f->pci[0] : NULL;

    if (!d || d->bars[VFF_BAR].addr == PCI_BAR_UNMAPPED) {
        *errp = g_strdup_printf("%s: no virtio PCI function with BAR 4 mapped", f->target->name);
        return false;
    }
    VffState *s = g_new0(VffState, 1);
    s->bar = d->bars[VFF_BAR].addr;
    f->target_state = s;
    return true;
}

/* ---------------------------------------------------------------------- */
/* Bring-up                                                                */

static void vff_setup_queue(Fuzzer *f, VffState *s, unsigned q)
{
    VffQueue *vq = &s->q[q];
    uint64_t base = VFF_QUEUE_BASE(q);

    memset(vq, 0, sizeof(*vq));
    vq->wrap = true;
    fuzz_mem_write(f, s->bar + VFF_Q_SELECT, q, 2);
    uint16_t size = (uint16_t)fuzz_mem_read(f, s->bar + VFF_Q_SIZE, 2);
    if (!size) {
        return;
    }
    vq->size = MIN(size, VFF_QUEUE_SIZE_MAX);
    if (vq->size != size) {
        fuzz_mem_write(f, s->bar + VFF_Q_SIZE, vq->size, 2);
    }
    vq->notify_off = (uint16_t)fuzz_mem_read(f, s->bar + VFF_Q_NOTIFY_OFF, 2);
    fuzz_mem_write(f, s->bar + VFF_Q_DESC, base, 4);
    fuzz_mem_write(f, s->bar + VFF_Q_DESC + 4, 0, 4);
    fuzz_mem_write(f, s->bar + VFF_Q_DRIVER, base + VFF_DRIVER_OFF, 4);
    fuzz_mem_write(f, s->bar + VFF_Q_DRIVER + 4, 0, 4);
    fuzz_mem_write(f, s->bar + VFF_Q_DEVICE, base + VFF_DEVICE_OFF, 4);
    fuzz_mem_write(f, s->bar + VFF_Q_DEVICE + 4, 0, 4);
    fuzz_mem_write(f, s->bar + VFF_Q_ENABLE, 1, 2);
}

/* ACKNOWLEDGE | DRIVER, the offered features ANDed with the mask,
 * FEATURES_OK, every queue, DRIVER_OK. */
static void vff_bring_up(Fuzzer *f, VffState *s, uint64_t mask)
{
    uint64_t offered = 0;

    fuzz_mem_write(f, s->bar + VFF_STATUS, VFF_S_ACK_DRIVER, 1);
    for (unsigned word = 0; word < 2; word++) {
        fuzz_mem_write(f, s->bar + VFF_DFSELECT, word, 4);
        offered |= fuzz_mem_read(f, s->bar + VFF_DF, 4) << (32 * word);
    }
    uint64_t features = (offered & mask) | (offered & VFF_F_VERSION_1);
    for (unsigned word = 0; word < 2; word++) {
        fuzz_mem_write(f, s->bar + VFF_GFSELECT, word, 4);
        fuzz_mem_write(f, s->bar + VFF_GF, (uint32_t)(features >> (32 * word)), 4);
    }
    fuzz_mem_write(f, s->bar + VFF_STATUS, VFF_S_ACK_DRIVER | VFF_S_FEATURES_OK, 1);
    s->packed = features & VFF_F_RING_PACKED;
    s->nqueues = MIN((unsigned)fuzz_mem_read(f, s->bar + VFF_NUM_QUEUES, 2), VFF_QUEUES_MAX);
    for (unsigned q = 0; q < s->nqueues; q++) {
        vff_setup_queue(f, s, q);
    }
    fuzz_mem_write(f, s->bar + VFF_STATUS,
                   VFF_S_ACK_DRIVER | VFF_S_FEATURES_OK | VFF_S_DRIVER_OK, 1);
}

/* ---------------------------------------------------------------------- */
/* Descriptors, kicks                                                      */

static void vff_put_desc(Fuzzer *f, VffState *s, VffQueue *vq, uint64_t base, uint64_t addr,
                         uint32_t len, uint16_t flags, uint16_t link)
{
    uint8_t d[16];

    st_le64(d, addr);
    st_le32(d + 8, len);
    if (s->packed) {
        st_le16(d + 12, link);              /* the buffer id: the chain's head */
        st_le16(d + 14, flags);
    } else {
        st_le16(d + 12, flags);
        st_le16(d + 14, link);              /* the next slot */
    }
    fuzz_ram_write(f, base + 16ull * vq->pos, d, sizeof(d));
}

/* One descriptor for the buffer, at the queue's next slot. A packed
 * chain's head is written looking used and made available when posted
 * (section 2.8.6: the head last). */
static void vff_add(Fuzzer *f, VffState *s, VffQueue *vq, uint64_t base, uint64_t addr,
                    uint32_t len, bool write, bool next)
{
    uint16_t flags = (write ? VFF_DESC_F_WRITE : 0) | (next ? VFF_DESC_F_NEXT : 0);

    if (!vq->open) {
        vq->open = true;
        vq->head = vq->pos;
    }
    if (s->packed) {
        uint16_t avail = vq->wrap ? VFF_PACKED_AVAIL : VFF_PACKED_USED;
        if (vq->pos == vq->head) {
            vq->head_flags = flags | avail;
            flags |= vq->wrap ? VFF_PACKED_AVAIL | VFF_PACKED_USED : 0;
        } else {
            flags |= avail;
        }
        vff_put_desc(f, s, vq, base, addr, len, flags, vq->head);
    } else {
        vff_put_desc(f, s, vq, base, addr, len, flags, (vq->pos + 1) % vq->size);
    }
    if (++vq->pos == vq->size) {
        vq->pos = 0;
        vq->wrap = !vq->wrap;
    }
}

/* Posts the chain laid since the last kick, then notifies the queue. */
static void vff_kick(Fuzzer *f, VffState *s, unsigned q)
{
    VffQueue *vq = &s->q[q];
    uint64_t base = VFF_QUEUE_BASE(q);
    uint8_t b[2];

    if (vq->open && s->packed) {
        st_le16(b, vq->head_flags);
        fuzz_ram_write(f, base + 16ull * vq->head + 14, b, sizeof(b));
    } else if (vq->open) {
        st_le16(b, vq->head);
        fuzz_ram_write(f, base + VFF_DRIVER_OFF + 4 + 2ull * (vq->avail_idx % vq->size),
                       b, sizeof(b));
        st_le16(b, ++vq->avail_idx);
        fuzz_ram_write(f, base + VFF_DRIVER_OFF + 2, b, sizeof(b));
    }
    vq->open = vq->used = false;
    fuzz_mem_write(f, s->bar + VFF_NOTIFY + (uint64_t)vq->notify_off * VFF_NOTIFY_MULT, q, 2);
}

void virtio_flags_fuzz_run(Fuzzer *f, const uint8_t *data, size_t len)
{
    VffState *s = f->target_state;
    FuzzReader r = { data, len };
    uint8_t m[8], rec[VFF_RECORD];
    unsigned n = 0;

    if (!fuzz_take(&r, m, sizeof(m))) {
        return;
    }
    s->buf_next = VFF_BUF_BASE;
    vff_bring_up(f, s, ld_le64(m));
    fuzz_after_op(f, ++n);
    while (s->nqueues && n < VFF_MAX_RECORDS && fuzz_take(&r, rec, sizeof(rec))) {
        unsigned q = rec[0] % s->nqueues;
        VffQueue *vq = &s->q[q];
        size_t blen = MIN((size_t)rec[1], r.left);
        uint64_t addr = s->buf_next;

        s->buf_next += (blen + 15) & ~(size_t)15;
        fuzz_ram_write(f, addr, r.p, blen);
        r.p += blen;
        r.left -= blen;
        if (vq->size) {
            vff_add(f, s, vq, VFF_QUEUE_BASE(q), addr, (uint32_t)blen, rec[2] & 1, rec[3] & 1);
            vq->used = true;
            if (rec[4] & 1) {
                vff_kick(f, s, q);
            }
        }
        fuzz_after_op(f, ++n);
    }
    for (unsigned q = 0; q < s->nqueues; q++) {
        if (s->q[q].used) {
            vff_kick(f, s, q);
            fuzz_after_op(f, ++n);
        }
    }
}

void virtio_flags_fuzz_decode(const uint8_t *data, size_t len, FILE *out)
{
    FuzzReader r = { data, len };
    uint8_t m[8], rec[VFF_RECORD];

    if (!fuzz_take(&r, m, sizeof(m))) {
        fprintf(out, "# %zu bytes: no feature mask (8 bytes), nothing runs\n", len);
        return;
    }
    fprintf(out, "features & 0x%016" PRIx64 "\n", ld_le64(m));
    for (unsigned n = 0; n < VFF_MAX_RECORDS && fuzz_take(&r, rec, sizeof(rec)); n++) {
        size_t blen = MIN((size_t)rec[1], r.left);
        fprintf(out, "queue %u len %zu%s%s%s", rec[0], blen, rec[2] & 1 ? " write" : "",
                rec[3] & 1 ? " next" : "", rec[4] & 1 ? " kick" : "");
        if (blen) {
            fprintf(out, " data 0x");
            for (size_t i = 0; i < blen; i++) {
                fprintf(out, "%02x", r.p[i]);
            }
        }
        fputc('\n', out);
        r.p += blen;
        r.left -= blen;
    }
    if (r.left) {
        fprintf(out, "# %zu trailing byte(s) ignored\n", r.left);
    }
}

/* ---------------------------------------------------------------------- */
/* virtio-scsi-fuzz                                                        */

/*
 * Records of 7 bytes, then their variable parts:
 *   0    queue: the device's queue q % queues (0 control, 1 event, 2.. requests)
 *   1    flags: bit 0 kick after it; bits 1-2 the LUN field: 0 target 0 LUN 0,
 *        1 target 1, 2 LUN 1, 3 eight raw bytes follow
 *   2    CDB length (at most the device's cdb_size, 32)
 *   3-4  data-out bytes (little-endian; at most what is left of the input)
 *   5-6  data-in bytes (at most 64 KiB)
 * then the raw LUN field (flags 3), the CDB, the data-out bytes. The harness
 * lays what Linux's virtio_scsi lays: the request header (LUN, the record's
 * index as tag, simple task attribute, the CDB padded to cdb_size), the
 * data-out buffer, the response (108 bytes: sense_size 96), the data-in
 * buffer; a chain of those that go to the device then come back.
 */
#define VSF_RECORD        7
#define VSF_CDB_SIZE      32
#define VSF_REQ_HDR       (19 + VSF_CDB_SIZE)
#define VSF_RESP          (12 + 96)
#define VSF_DATA_IN_MAX   0x10000
#define VSF_FEATURES      (0x30000006ull | VFF_F_VERSION_1)   /* HOTPLUG, CHANGE, rings */

/* An area of `len` bytes from the buffer space, holding data if given (a
 * device-writable area is left as it is: the device fills it, and writing
 * zeros first would only dirty pages the restore copies back). */
static uint64_t vsf_buffer(Fuzzer *f, VffState *s, const uint8_t *data, size_t len)
{
    uint64_t addr = s->buf_next;

    s->buf_next += (len + 15) & ~(size_t)15;
    if (data) {
        fuzz_ram_write(f, addr, data, len);
    }
    return addr;
}

void virtio_scsi_fuzz_run(Fuzzer *f, const uint8_t *data, size_t len)
{
    VffState *s = f->target_state;
    FuzzReader r = { data, len };
    uint8_t rec[VSF_RECORD];
    unsigned n = 0;

    s->buf_next = VFF_BUF_BASE;
    vff_bring_up(f, s, VSF_FEATURES);
    fuzz_after_op(f, ++n);
    while (s->nqueues && n < VFF_MAX_RECORDS && fuzz_take(&r, rec, sizeof(rec))) {
        unsigned q = rec[0] % s->nqueues;
        VffQueue *vq = &s->q[q];
        uint8_t hdr[VSF_REQ_HDR] = { 0 };
        unsigned lunsel = (rec[1] >> 1) & 3;

        if (lunsel == 3 && !fuzz_take(&r, hdr, 8)) {
            break;
        }
        if (lunsel != 3) {
            hdr[0] = 1;
            hdr[1] = lunsel == 1;
            hdr[2] = 0x40;                  /* flat space LUN, SAM-5 4.7.2 */
            hdr[3] = lunsel == 2;
        }
        st_le64(hdr + 8, n);                /* the tag */
        size_t cdb = MIN((size_t)MIN(rec[2], VSF_CDB_SIZE), r.left);
        memcpy(hdr + 19, r.p, cdb);
        r.p += cdb;
        r.left -= cdb;
        size_t out = MIN((size_t)ld_le16(rec + 3), r.left);
        size_t in = MIN((size_t)ld_le16(rec + 5), (size_t)VSF_DATA_IN_MAX);
        if (vq->size) {
            uint64_t h = vsf_buffer(f, s, hdr, sizeof(hdr));
            uint64_t o = out ? vsf_buffer(f, s, r.p, out) : 0;
            uint64_t resp = vsf_buffer(f, s, NULL, VSF_RESP);
            uint64_t i = in ? vsf_buffer(f, s, NULL, in) : 0;
            vff_add(f, s, vq, VFF_QUEUE_BASE(q), h, sizeof(hdr), false, true);
            if (out) {
                vff_add(f, s, vq, VFF_QUEUE_BASE(q), o, (uint32_t)out, false, true);
            }
            vff_add(f, s, vq, VFF_QUEUE_BASE(q), resp, VSF_RESP, true, in != 0);
            if (in) {
                vff_add(f, s, vq, VFF_QUEUE_BASE(q), i, (uint32_t)in, true, false);
            }
            vq->used = true;
            if (rec[1] & 1) {
                vff_kick(f, s, q);
            }
        }
        r.p += out;
        r.left -= out;
        fuzz_after_op(f, ++n);
    }
    for (unsigned q = 0; q < s->nqueues; q++) {
        if (s->q[q].used) {
            vff_kick(f, s, q);
            fuzz_after_op(f, ++n);
        }
    }
}

void virtio_scsi_fuzz_decode(const uint8_t *data, size_t len, FILE *out)
{
    FuzzReader r = { data, len };
    uint8_t rec[VSF_RECORD], lun[8];

    for (unsigned n = 0; n < VFF_MAX_RECORDS && fuzz_take(&r, rec, sizeof(rec)); n++) {
        unsigned lunsel = (rec[1] >> 1) & 3;
        fprintf(out, "queue %u%s", rec[0], rec[1] & 1 ? " kick" : "");
        if (lunsel == 3) {
            if (!fuzz_take(&r, lun, sizeof(lun))) {
                fprintf(out, " (the raw LUN field is cut short)\n");
                break;
            }
            fprintf(out, " lun 0x");
            for (int i = 0; i < 8; i++) {
                fprintf(out, "%02x", lun[i]);
            }
        } else {
            fprintf(out, " %s", lunsel == 0 ? "t0 lun0" : lunsel == 1 ? "t1 lun0" : "t0 lun1");
        }
        size_t cdb = MIN((size_t)MIN(rec[2], VSF_CDB_SIZE), r.left);
        fprintf(out, " cdb 0x");
        for (size_t i = 0; i < cdb; i++) {
            fprintf(out, "%02x", r.p[i]);
        }
        r.p += cdb;
        r.left -= cdb;
        size_t o = MIN((size_t)ld_le16(rec + 3), r.left);
        fprintf(out, " out %zu in %zu\n", o, MIN((size_t)ld_le16(rec + 5),
                                                   (size_t)VSF_DATA_IN_MAX));
        r.p += o;
        r.left -= o;
    }
    if (r.left) {
        fprintf(out, "# %zu trailing byte(s) ignored\n", r.left);
    }
}

/* SPDX-License-Identifier: MIT */
/*
 * virtio-net-fuzz: a structured target in the spirit of QEMU's virtio-net
 * fuzzer. Set-up brings the device up as a modern driver does, through its
 * registers (features: everything offered; the three queues at fixed guest
 * addresses; DRIVER_OK), before the snapshot. Each input is then a list of
 * records: descriptor chains laid into a queue's rings in guest RAM (shapes,
 * flags, lengths and the bytes of readable buffers from the input), kicks,
 * register writes and raw pokes into the rings. Everything goes through
 * guest RAM and MMIO, so a trace replays on emu-system. The format is in
 * docs/fuzz-input-format.md ("virtio-net-fuzz").
 */
#include "harness/virtio-net-fuzz.h"

#include <inttypes.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/memory.h"

/* Modern BAR 4 layout and common configuration registers (VIRTIO 1.1
 * section 4.1.4.3), as hw/virtio/virtio-pci.c maps them */
#define VNF_BAR             4
#define VNF_COMMON          0x0000
#define VNF_ISR             0x1000
#define VNF_DEVICE          0x2000
#define VNF_NOTIFY          0x3000
#define VNF_NOTIFY_MULT     4
#define VNF_DFSELECT        0x00
#define VNF_DF              0x04
#define VNF_GFSELECT        0x08
#define VNF_GF              0x0c
#define VNF_MSIX            0x10
#define VNF_STATUS          0x14
#define VNF_Q_SELECT        0x16
#define VNF_Q_SIZE          0x18
#define VNF_Q_MSIX          0x1a
#define VNF_Q_ENABLE        0x1c
#define VNF_Q_DESC          0x20
#define VNF_Q_AVAIL         0x28
#define VNF_Q_USED          0x30
#define VNF_Q_RESET         0x3a
#define VNF_S_ACK           0x01
#define VNF_S_DRIVER        0x02
#define VNF_S_DRIVER_OK     0x04
#define VNF_S_FEATURES_OK   0x08
#define VNF_DESC_F_NEXT     1
#define VNF_DESC_F_WRITE    2
#define VNF_DESC_F_INDIRECT 4

/* Guest RAM layout of queue q, from VNF_QUEUE_BASE(q) */
#define VNF_QUEUES          3
#define VNF_QUEUE_BASE(q)   (0x200000ull * ((q) + 1))
#define VNF_DESC_OFF        0x0000
#define VNF_AVAIL_OFF       0x1000
#define VNF_USED_OFF        0x2000
#define VNF_IND_OFF         0x4000     /* one 256-byte indirect table a slot */
#define VNF_IND_SIZE        0x100
#define VNF_BUF_OFF         0x20000    /* one 4 KiB buffer a slot */
#define VNF_BUF_SIZE        0x1000
#define VNF_AREA_SIZE       0x1000     /* desc, avail, used areas for pokes */
#define VNF_BUF_AREA        0x100000

/* Record kinds (first byte modulo 4) */
enum { VNF_REC_CHAIN, VNF_REC_KICK, VNF_REC_REG, VNF_REC_POKE };
#define VNF_CHAIN_KICK      0x10
#define VNF_CHAIN_INDIRECT  0x20
#define VNF_DF_WRITE        0x01
#define VNF_DF_NEXT_RAW     0x02
#define VNF_DF_NO_NEXT      0x04
#define VNF_DF_INDIRECT     0x08

/* Limits */
#define VNF_MAX_RECORDS     256
#define VNF_MAX_CHAIN       8
#define VNF_MAX_POKE        32
#define VNF_LOG_MAX         96

/* A register access of the set-up, replayed into a trace. */
typedef struct VnfLogEntry {
    bool is_write;
    uint8_t width;
    uint64_t addr;
    uint64_t val;
} VnfLogEntry;

typedef struct VnfQueue {
    uint64_t base;
    uint16_t size;
    uint16_t avail_idx;       /* the driver's next avail index */
    uint16_t next_desc;       /* the next free descriptor slot */
} VnfQueue;

typedef struct VnfState {
    uint64_t bar;             /* where BAR 4 is mapped */
    VnfQueue q[VNF_QUEUES];
    VnfQueue q_setup[VNF_QUEUES];
    VnfLogEntry log[VNF_LOG_MAX];
    unsigned nr_logged;
    bool recording;
    bool setup_traced;
} VnfState;

typedef FuzzReader VnfReader;

/* ---------------------------------------------------------------------- */
/* Guest accesses: executed, logged during set-up, traced during inputs    */

static char vnf_width_char(unsigned width)
{
    return width == 1 ? 'b' : width == 2 ? 'w' : width == 4 ? 'l' : 'q';
}

static void vnf_trace_access(Fuzzer *f, bool is_write, unsigned width,
                             uint64_t addr, uint64_t val)
{
    char reply[40];

    if (is_write) {
        fuzz_trace(f, "OK", "write%c 0x%" PRIx64 " 0x%" PRIx64,
                   vnf_width_char(width), addr, val);
    } else {
        snprintf(reply, sizeof(reply), "OK 0x%016" PRIx64, val);
        fuzz_trace(f, reply, "read%c 0x%" PRIx64, vnf_width_char(width), addr);
    }
}

static void vnf_note(Fuzzer *f, VnfState *s, bool is_write, unsigned width,
                     uint64_t addr, uint64_t val)
{
    if (s->recording && s->nr_logged < VNF_LOG_MAX) {
        s->log[s->nr_logged++] = (VnfLogEntry){ is_write, width, addr, val };
    } else if (f->trace) {
        vnf_trace_access(f, is_write, width, addr, val);
    }
}

static void vnf_mmio_write(Fuzzer *f, uint64_t off, uint64_t val, unsigned width)
{
    VnfState *s = f->target_state;
    val &= width == 8 ? UINT64_MAX : (1ull << (8 * width)) - 1;
    as_write_val(&f->m->as_mem, s->bar + off, val, width, NULL);
    machine_settle(f->m);       /* as emu-system after each command */
    vnf_note(f, s, true, width, s->bar + off, val);
}

/* Values read count for the restore-versus-fork proof (as fuzz.c's). */
static uint64_t vnf_read(Fuzzer *f, uint64_t addr, unsigned width)
{
    VnfState *s = f->target_state;
    uint64_t val = as_read_val(&f->m->as_mem, addr, width, NULL);
    machine_settle(f->m);
    if (!s->recording) {
        f->reads_hash = (f->reads_hash ^ val) * 0x100000001b3ull;
        f->reads++;
    }
    vnf_note(f, s, false, width, addr, val);
    return val;
}

static void vnf_ram_write(Fuzzer *f, uint64_t addr, const uint8_t *buf, size_t len)
{
    as_write(&f->m->as_mem, addr, buf, len);
    if (f->trace && len) {
        fprintf(f->trace, "write 0x%" PRIx64 " 0x%zx 0x", addr, len);
        for (size_t i = 0; i < len; i++) {
            fprintf(f->trace, "%02x", buf[i]);
        }
        fputc('\n', f->trace);
        if (f->replies) {
            fputs("OK\n", f->replies);
        }
    }
}

static void vnf_ram_write16(Fuzzer *f, uint64_t addr, uint16_t v)
{
    uint8_t b[2];
    st_le16(b, v);
    vnf_ram_write(f, addr, b, 2);
}

/* ---------------------------------------------------------------------- */
/* Bring-up, as a modern driver (VIRTIO 1.1 section 3.1.1)                 */

static void vnf_setup_queue(Fuzzer *f, VnfState *s, unsigned q)
{
    VnfQueue *vq = &s->q[q];
    uint64_t base = VNF_QUEUE_BASE(q);

    static const uint8_t zero[4];

    if (!s->recording) {        /* after a reset: the driver clears its rings */
        vnf_ram_write(f, base + VNF_AVAIL_OFF, zero, sizeof(zero));
        vnf_ram_write(f, base + VNF_USED_OFF, zero, sizeof(zero));
    }
    vnf_mmio_write(f, VNF_COMMON + VNF_Q_SELECT, q, 2);
    vq->base = base;
    vq->size = vnf_read(f, s->bar + VNF_COMMON + VNF_Q_SIZE, 2);
    vq->avail_idx = vq->next_desc = 0;
    vnf_mmio_write(f, VNF_COMMON + VNF_Q_DESC, base + VNF_DESC_OFF, 4);
    vnf_mmio_write(f, VNF_COMMON + VNF_Q_DESC + 4, 0, 4);
    vnf_mmio_write(f, VNF_COMMON + VNF_Q_AVAIL, base + VNF_AVAIL_OFF, 4);
    vnf_mmio_write(f, VNF_COMMON + VNF_Q_AVAIL + 4, 0, 4);
    vnf_mmio_write(f, VNF_COMMON + VNF_Q_USED, base + VNF_USED_OFF, 4);
    vnf_mmio_write(f, VNF_COMMON + VNF_Q_USED + 4, 0, 4);
    vnf_mmio_write(f, VNF_COMMON + VNF_Q_ENABLE, 1, 2);
}

/* Reset, ACKNOWLEDGE, DRIVER, every offered feature, FEATURES_OK, the
 * queues, DRIVER_OK. The rings start zeroed in RAM (a fresh machine). */
static void vnf_bring_up(Fuzzer *f, VnfState *s)
{
    vnf_mmio_write(f, VNF_COMMON + VNF_STATUS, 0, 1);
    vnf_mmio_write(f, VNF_COMMON + VNF_STATUS, VNF_S_ACK, 1);
    vnf_mmio_write(f, VNF_COMMON + VNF_STATUS, VNF_S_ACK | VNF_S_DRIVER, 1);
    for (unsigned word = 0; word < 2; word++) {
        vnf_mmio_write(f, VNF_COMMON + VNF_DFSELECT, word, 4);
        uint64_t features = vnf_read(f, s->bar + VNF_COMMON + VNF_DF, 4);
        vnf_mmio_write(f, VNF_COMMON + VNF_GFSELECT, word, 4);
        vnf_mmio_write(f, VNF_COMMON + VNF_GF, features, 4);
    }
    vnf_mmio_write(f, VNF_COMMON + VNF_STATUS,
                   VNF_S_ACK | VNF_S_DRIVER | VNF_S_FEATURES_OK, 1);
    for (unsigned q = 0; q < VNF_QUEUES; q++) {
        vnf_setup_queue(f, s, q);
    }
    vnf_mmio_write(f, VNF_COMMON + VNF_STATUS, VNF_S_ACK | VNF_S_DRIVER |
                   VNF_S_FEATURES_OK | VNF_S_DRIVER_OK, 1);
}

bool virtio_net_fuzz_setup(Fuzzer *f, char **errp)
{
    PCIDevice *d = f->nr_pci ? f->pci[0] : NULL;

    if (!d || d->bars[VNF_BAR].addr == PCI_BAR_UNMAPPED) {
        *errp = g_strdup("virtio-net-fuzz: no virtio-net-pci with BAR 4 mapped");
        return false;
    }
    VnfState *s = g_new0(VnfState, 1);
    f->target_state = s;
    s->bar = d->bars[VNF_BAR].addr;
    s->recording = true;
    vnf_bring_up(f, s);
    s->recording = false;
    memcpy(s->q_setup, s->q, sizeof(s->q));
    if (!(vnf_read(f, s->bar + VNF_COMMON + VNF_STATUS, 1) & VNF_S_DRIVER_OK)) {
        *errp = g_strdup("virtio-net-fuzz: the device did not take DRIVER_OK");
        return false;
    }
    f->reads = 0;
    return true;
}

static void vnf_trace_setup(Fuzzer *f, VnfState *s)
{
    fprintf(f->trace, "# virtio-net-fuzz set-up: the driver's bring-up\n");
    for (unsigned i = 0; i < s->nr_logged; i++) {
        const VnfLogEntry *e = &s->log[i];
        vnf_trace_access(f, e->is_write, e->width, e->addr, e->val);
    }
    s->setup_traced = true;
}

/* ---------------------------------------------------------------------- */
/* Records                                                                 */

static bool vnf_take8(VnfReader *r, uint8_t *v)
{
    return fuzz_take(r, v, 1);
}

static bool vnf_take16(VnfReader *r, uint16_t *v)
{
    uint8_t b[2];
    if (!fuzz_take(r, b, 2)) {
        return false;
    }
    *v = ld_le16(b);
    return true;
}

static void vnf_put_desc(uint8_t *d, uint64_t addr, uint32_t len, uint16_t flags,
                         uint16_t next)
{
    st_le64(d, addr);
    st_le32(d + 8, len);
    st_le16(d + 12, flags);
    st_le16(d + 14, next);
}

/* One descriptor of a chain from the input; readable ones get their bytes
 * (at most a buffer's worth) written to their buffer. */
static bool vnf_chain_desc(Fuzzer *f, VnfReader *r, uint64_t buf, bool last,
                           uint16_t next, uint8_t *d)
{
    uint8_t input_flags;      /* VNF_DF_* */
    uint16_t len, raw_next = next;
    uint8_t raw;

    if (!vnf_take8(r, &input_flags) || !vnf_take16(r, &len)) {
        return false;
    }
    if ((input_flags & VNF_DF_NEXT_RAW) && vnf_take8(r, &raw)) {
        raw_next = raw;
    }
    uint16_t flags = (input_flags & VNF_DF_WRITE) ? VNF_DESC_F_WRITE : 0;
    if ((!last && !(input_flags & VNF_DF_NO_NEXT)) || (input_flags & VNF_DF_NEXT_RAW)) {
        flags |= VNF_DESC_F_NEXT;
    }
    if (input_flags & VNF_DF_INDIRECT) {
        flags |= VNF_DESC_F_INDIRECT;
    }
    vnf_put_desc(d, buf, len, flags, raw_next);
    if (!(input_flags & VNF_DF_WRITE)) {
        size_t n = MIN(MIN((size_t)len, (size_t)VNF_BUF_SIZE), r->left);
        vnf_ram_write(f, buf, r->p, n);
        r->p += n;
        r->left -= n;
    }
    return true;
}

static void vnf_kick(Fuzzer *f, unsigned q)
{
    VnfState *s = f->target_state;
    vnf_mmio_write(f, VNF_NOTIFY + q * VNF_NOTIFY_MULT, q, 2);
    vnf_read(f, s->bar + VNF_ISR, 1);
    vnf_read(f, s->q[q].base + VNF_USED_OFF + 2, 2);
}

/* CHAIN: the descriptors go to consecutive slots (or an indirect table),
 * the head into the avail ring, then the avail index. */
static bool vnf_rec_chain(Fuzzer *f, uint8_t c, VnfReader *r)
{
    VnfState *s = f->target_state;
    unsigned q = ((c >> 2) & 3) % VNF_QUEUES;
    VnfQueue *vq = &s->q[q];
    bool indirect = c & VNF_CHAIN_INDIRECT;
    uint8_t b, table[VNF_MAX_CHAIN * 16];

    if (!vq->size || !vnf_take8(r, &b)) {
        return false;
    }
    unsigned n = 1 + b % VNF_MAX_CHAIN;
    uint16_t head = vq->next_desc % vq->size;
    for (unsigned j = 0; j < n; j++) {
        uint16_t slot = (head + j) % vq->size;
        uint16_t next = indirect ? j + 1 : (head + j + 1) % vq->size;
        uint64_t buf = vq->base + VNF_BUF_OFF + (uint64_t)slot * VNF_BUF_SIZE;
        if (!vnf_chain_desc(f, r, buf, j + 1 == n, next, table + 16 * j)) {
            return false;
        }
        if (!indirect) {
            vnf_ram_write(f, vq->base + VNF_DESC_OFF + 16ull * slot, table + 16 * j, 16);
        }
    }
    if (indirect) {
        uint64_t ind = vq->base + VNF_IND_OFF + (uint64_t)head * VNF_IND_SIZE;
        uint8_t d[16];
        vnf_ram_write(f, ind, table, 16 * n);
        vnf_put_desc(d, ind, 16 * n, VNF_DESC_F_INDIRECT, 0);
        vnf_ram_write(f, vq->base + VNF_DESC_OFF + 16ull * head, d, 16);
    }
    vq->next_desc += indirect ? 1 : n;
    vnf_ram_write16(f, vq->base + VNF_AVAIL_OFF + 4 + 2ull * (vq->avail_idx % vq->size),
                    head);
    vq->avail_idx++;
    vnf_ram_write16(f, vq->base + VNF_AVAIL_OFF + 2, vq->avail_idx);
    if (c & VNF_CHAIN_KICK) {
        vnf_kick(f, q);
    }
    return true;
}

/* REG: a common-config register, or the device config, the ISR, or the
 * whole bring-up again. */
static bool vnf_rec_reg(Fuzzer *f, uint8_t c, VnfReader *r)
{
    static const struct { uint16_t off; uint8_t width; } regs[] = {
        { VNF_COMMON + VNF_STATUS, 1 },   { VNF_COMMON + VNF_Q_SELECT, 2 },
        { VNF_COMMON + VNF_Q_SIZE, 2 },   { VNF_COMMON + VNF_Q_MSIX, 2 },
        { VNF_COMMON + VNF_Q_ENABLE, 2 }, { VNF_COMMON + VNF_Q_RESET, 2 },
        { VNF_COMMON + VNF_MSIX, 2 },     { VNF_COMMON + VNF_GFSELECT, 4 },
        { VNF_COMMON + VNF_GF, 4 },       { VNF_COMMON + VNF_DFSELECT, 4 },
    };
    VnfState *s = f->target_state;
    unsigned which = (c >> 2) % (G_N_ELEMENTS(regs) + 3);
    uint8_t b[4] = { 0 };

    fuzz_take(r, b, MIN(r->left, sizeof(b)));
    uint32_t val = ld_le32(b);
    if (which < G_N_ELEMENTS(regs)) {
        vnf_mmio_write(f, regs[which].off, val, regs[which].width);
    } else if (which == G_N_ELEMENTS(regs)) {
        vnf_mmio_write(f, VNF_DEVICE + (val >> 8) % 8, val & 0xff, 1);
    } else if (which == G_N_ELEMENTS(regs) + 1) {
        vnf_read(f, s->bar + VNF_ISR, 1);
    } else {
        vnf_bring_up(f, s);
    }
    return true;
}

/* POKE: raw bytes into a queue's descriptor table, avail or used ring, or
 * buffers: bad indices, flags, event indices. */
static bool vnf_rec_poke(Fuzzer *f, uint8_t c, VnfReader *r)
{
    VnfState *s = f->target_state;
    unsigned q = ((c >> 2) & 3) % VNF_QUEUES;
    unsigned area = (c >> 4) & 3;
    static const uint64_t off[4] = { VNF_DESC_OFF, VNF_AVAIL_OFF, VNF_USED_OFF,
                                     VNF_BUF_OFF };
    static const uint64_t size[4] = { VNF_AREA_SIZE, VNF_AREA_SIZE, VNF_AREA_SIZE,
                                      VNF_BUF_AREA };
    uint16_t where;
    uint8_t n;

    if (!vnf_take16(r, &where) || !vnf_take8(r, &n)) {
        return false;
    }
    n = MIN((size_t)(n % (VNF_MAX_POKE + 1)), r->left);
    uint64_t addr = s->q[q].base + off[area] + (uint64_t)where % size[area];
    vnf_ram_write(f, addr, r->p, n);
    r->p += n;
    r->left -= n;
    return true;
}

void virtio_net_fuzz_run(Fuzzer *f, const uint8_t *data, size_t len)
{
    VnfState *s = f->target_state;
    VnfReader r = { data, len };
    uint8_t c;

    memcpy(s->q, s->q_setup, sizeof(s->q));
    if (f->trace && !s->setup_traced) {
        vnf_trace_setup(f, s);
    }
    for (unsigned n = 0; n < VNF_MAX_RECORDS && vnf_take8(&r, &c); n++) {
        bool ok = true;
        switch (c % 4) {
        case VNF_REC_CHAIN: ok = vnf_rec_chain(f, c, &r); break;
        case VNF_REC_KICK:  vnf_kick(f, ((c >> 2) & 3) % VNF_QUEUES); break;
        case VNF_REC_REG:   ok = vnf_rec_reg(f, c, &r); break;
        case VNF_REC_POKE:  ok = vnf_rec_poke(f, c, &r); break;
        }
        fuzz_after_op(f, n + 1);
        if (!ok) {
            break;
        }
    }
}

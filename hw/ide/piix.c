/* SPDX-License-Identifier: MIT */
/*
 * PIIX3's IDE function ("piix3-ide", 8086:7010 at 00:01.1), after the
 * 82371FB/SB datasheet (order 290550, section 2.4, IDE configuration) and
 * SFF-8038i rev. 1.0 (bus-master IDE): two channels at the legacy ports
 * (0x1f0-0x1f7 and 0x3f6 on IRQ 14, 0x170-0x177 and 0x376 on IRQ 15),
 * always decoded as QEMU does (the datasheet gates them on IDETIM's
 * decode-enable bit), and the bus-master registers in BAR4: a command,
 * status and PRD table pointer per channel. The PRD table is walked as the
 * transfer needs it, through a scatter-gather list, one 4 KiB page of
 * entries at most per transfer (QEMU's fail-safe; SFF-8038i 1.2 keeps a
 * table within 64 KiB). Configuration registers past 0x40 (IDETIM,
 * SIDETIM, ...) are storage, writable as in QEMU; timings mean nothing
 * here.
 */
#include "hw/ide/ide.h"

#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/pci.h"
#include "emu/sglist.h"
#include "hw/devices.h"

#define TYPE_PIIX3_IDE      "piix3-ide"
#define PIIX_IDE_VENDOR_ID  0x8086
#define PIIX_IDE_DEVICE_ID  0x7010
#define PIIX_IDE_PROG_IF    0x80        /* bus master; both channels legacy */

/* Legacy ports and IRQs (datasheet 2.4, "compatibility mode") */
static const struct {
    uint16_t cmd, ctl;
    uint8_t irq;
} piix_ports[2] = { { 0x1f0, 0x3f6, 14 }, { 0x170, 0x376, 15 } };

/* Bus-master registers, per channel at 8 * channel in BAR4 (SFF-8038i 2) */
#define BM_CMD              0
#define  BM_CMD_START       0x01
#define  BM_CMD_WRITE       0x08        /* to memory */
#define BM_STATUS           2
#define  BM_STATUS_ACTIVE   0x01
#define  BM_STATUS_ERROR    0x02
#define  BM_STATUS_INT      0x04
#define  BM_STATUS_DRV_DMA  0x60        /* drive 0/1 DMA capable: storage */
#define BM_PRD              4
#define BM_BAR_SIZE         16

/* PRD entry: a 32-bit address, a 16-bit count (0: 64 KiB), EOT in bit 31 */
#define PRD_SIZE            8
#define PRD_EOT             0x80000000u
#define PRD_COUNT_MASK      0xfffe
#define PRD_TABLE_CAP       4096        /* bytes of table walked a transfer */
#define BM_SG_ENTRIES       (PRD_TABLE_CAP / PRD_SIZE + 1)

typedef struct PIIXIDEState PIIXIDEState;

typedef struct BMDMAState {
    uint8_t cmd;
    uint8_t status;
    uint32_t addr;              /* PRD table */
    /* Walk of the table for the transfer under way. */
    uint32_t cur_prd;           /* next entry */
    uint32_t cur_addr;          /* the current entry's next byte */
    uint32_t cur_len;           /* and its bytes left */
    bool last;                  /* the current entry has EOT */
    IRQ intrq;                  /* the channel's INTRQ comes here */
    PIIXIDEState *s;
    MemoryRegion cmd_io;        /* "piix-bmdma": command and status */
    MemoryRegion addr_io;       /* "bmdma": PRD table pointer */
} BMDMAState;

struct PIIXIDEState {
    PCIDevice pci;
    IDEBus bus[2];
    BMDMAState bm[2];
    MemoryRegion cmd_io[2];     /* "ide": the command blocks */
    MemoryRegion ctl_io[2];     /* "ide": the control blocks */
    MemoryRegion bar4;          /* "piix-bmdma-container" */
    uint8_t *bufs;              /* 4 x IDE_BUF_SIZE, object_add_state */
    IRQ *isa_irq[2];
};

/* ---------------------------------------------------------------------- */
/* Legacy ports                                                            */

static uint64_t piix_cmd_read(void *opaque, uint64_t addr, unsigned size)
{
    IDEBus *bus = opaque;
    uint64_t val = 0;

    if (addr == IDE_REG_DATA && size > 1) {
        return ide_data_read(bus, size);
    }
    /* Wider accesses to the other registers: a byte each, as ISA does. */
    for (unsigned i = 0; i < size && addr + i < 8; i++) {
        val |= (uint64_t)(ide_reg_read(bus, addr + i) & 0xff) << (8 * i);
    }
    return val;
}

static void piix_cmd_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    IDEBus *bus = opaque;

    if (addr == IDE_REG_DATA && size > 1) {
        ide_data_write(bus, val, size);
        return;
    }
    for (unsigned i = 0; i < size && addr + i < 8; i++) {
        ide_reg_write(bus, addr + i, (val >> (8 * i)) & 0xff);
    }
}

static const MemoryRegionOps piix_cmd_ops = {
    .read = piix_cmd_read,
    .write = piix_cmd_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static uint64_t piix_ctl_read(void *opaque, uint64_t addr, unsigned size)
{
    return ide_altstatus_read(opaque);
}

static void piix_ctl_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    ide_devctl_write(opaque, val & 0xff);
}

static const MemoryRegionOps piix_ctl_ops = {
    .read = piix_ctl_read,
    .write = piix_ctl_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---------------------------------------------------------------------- */
/* Bus master: the engine the IDE devices see                             */

static IDEBus *bm_bus(BMDMAState *bm)
{
    return &bm->s->bus[bm - bm->s->bm];
}

static bool bm_running(void *opaque)
{
    BMDMAState *bm = opaque;
    return bm->status & BM_STATUS_ACTIVE;
}

/* The next PRD entry; false at the end of the table (EOT seen, or the
 * page of entries walked). */
static bool bm_next_prd(BMDMAState *bm)
{
    uint8_t prd[PRD_SIZE];
    uint32_t count;

    if (bm->last || bm->cur_prd - bm->addr >= PRD_TABLE_CAP) {
        return false;
    }
    pci_dma_read(&bm->s->pci, bm->cur_prd, prd, PRD_SIZE);
    bm->cur_prd += PRD_SIZE;
    count = ld_le32(prd + 4);
    bm->cur_addr = ld_le32(prd);
    bm->cur_len = (count & PRD_COUNT_MASK) ? (count & PRD_COUNT_MASK) : 0x10000;
    bm->last = count & PRD_EOT;
    return true;
}

static size_t bm_rw(void *opaque, uint8_t *buf, size_t len, bool to_guest)
{
    BMDMAState *bm = opaque;
    /* The pieces of this call only: not device state, so not in the
     * instance the snapshot copies back (16 KiB a restore otherwise). */
    SGEntry entries[BM_SG_ENTRIES];
    SGList sg;
    uint64_t have;

    sg_init(&sg, entries, BM_SG_ENTRIES, UINT32_MAX);
    while (sg_size(&sg) < len) {
        if (!bm->cur_len && !bm_next_prd(bm)) {
            break;
        }
        uint32_t l = MIN(bm->cur_len, len - sg_size(&sg));
        if (!sg_add(&sg, bm->cur_addr, l)) {
            break;
        }
        bm->cur_addr += l;
        bm->cur_len -= l;
    }
    /* Less than len: the table ended, or the DMA was refused (the budget
     * is spent); either ends the command. */
    have = sg_size(&sg);
    if (to_guest) {
        have = pci_sg_write(&bm->s->pci, &sg, 0, buf, have);
    } else {
        have = pci_sg_read(&bm->s->pci, &sg, 0, buf, have);
        memset(buf + have, 0, len - have);
    }
    return have;
}

/* The transfer ended: Active cleared (QEMU clears it however the table
 * and the transfer compared); INT comes with the device's interrupt. */
static void bm_end(void *opaque, bool error, bool short_table)
{
    BMDMAState *bm = opaque;

    bm->status &= ~BM_STATUS_ACTIVE;
    if (error) {
        bm->status |= BM_STATUS_ERROR;
    }
}

static const IDEDMAOps piix_dma_ops = {
    .running = bm_running,
    .rw = bm_rw,
    .end = bm_end,
};

/* INTRQ of the channel: INT in the status register, and on to the PIC. */
static void bm_intrq(void *opaque, int n, int level)
{
    BMDMAState *bm = opaque;

    if (level) {
        bm->status |= BM_STATUS_INT;
    }
    irq_set(bm->s->isa_irq[n], level);
}

/* ---------------------------------------------------------------------- */
/* Bus-master registers                                                    */

static void bm_cmd_write(BMDMAState *bm, uint8_t val)
{
    if ((val ^ bm->cmd) & BM_CMD_START) {
        if (!(val & BM_CMD_START)) {
            bm->status &= ~BM_STATUS_ACTIVE;
            ide_dma_cancel(bm_bus(bm));
        } else {
            bm->cur_prd = bm->addr;
            bm->cur_len = 0;
            bm->last = false;
            if (!(bm->status & BM_STATUS_ACTIVE)) {
                bm->status |= BM_STATUS_ACTIVE;
                bm->cmd = val & (BM_CMD_START | BM_CMD_WRITE);
                ide_dma_start(bm_bus(bm));
                return;
            }
        }
    }
    bm->cmd = val & (BM_CMD_START | BM_CMD_WRITE);
}

/* Byte registers; wider accesses read all ones and are dropped (QEMU). */
static uint64_t bm_cmd_read(void *opaque, uint64_t addr, unsigned size)
{
    BMDMAState *bm = opaque;

    if (size != 1) {
        return (1ull << (size * 8)) - 1;
    }
    switch (addr) {
    case BM_CMD:
        return bm->cmd;
    case BM_STATUS:
        return bm->status;
    default:
        return 0xff;
    }
}

static void bm_cmd_io_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    BMDMAState *bm = opaque;

    if (size != 1) {
        guest_error("piix-ide: %u-byte bus-master register write", size);
        return;
    }
    switch (addr) {
    case BM_CMD:
        bm_cmd_write(bm, val);
        break;
    case BM_STATUS:
        /* DMA-capable bits written, ERROR and INT cleared by ones. */
        bm->status = (val & BM_STATUS_DRV_DMA) | (bm->status & BM_STATUS_ACTIVE) |
                     (bm->status & ~val & (BM_STATUS_ERROR | BM_STATUS_INT));
        break;
    default:
        break;
    }
}

static const MemoryRegionOps bm_cmd_ops = {
    .read = bm_cmd_read,
    .write = bm_cmd_io_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static uint64_t bm_addr_read(void *opaque, uint64_t addr, unsigned size)
{
    BMDMAState *bm = opaque;
    uint64_t mask = (1ull << (size * 8)) - 1;

    return (bm->addr >> (addr * 8)) & mask;
}

/* The table is dword aligned: bits 1-0 read 0. */
static void bm_addr_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    BMDMAState *bm = opaque;
    unsigned shift = addr * 8;
    uint64_t mask = ((1ull << (size * 8)) - 1) << shift;

    bm->addr = ((bm->addr & ~mask) | ((val << shift) & mask)) & ~3u;
}

static const MemoryRegionOps bm_addr_ops = {
    .read = bm_addr_read,
    .write = bm_addr_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---------------------------------------------------------------------- */
/* Reset, realize                                                          */

static void piix_ide_reset(Object *obj)
{
    PIIXIDEState *s = (PIIXIDEState *)obj;

    pci_device_reset(&s->pci);
    memset(s->pci.config + PCI_CONFIG_HEADER_SIZE, 0,
           PCI_CONFIG_SPACE_SIZE - PCI_CONFIG_HEADER_SIZE);
    for (int i = 0; i < 2; i++) {
        BMDMAState *bm = &s->bm[i];
        bm->cmd = bm->status = 0;
        bm->addr = bm->cur_prd = bm->cur_addr = bm->cur_len = 0;
        bm->last = false;
        ide_bus_reset(&s->bus[i]);
    }
}

static void piix_ide_init(Object *obj)
{
    PIIXIDEState *s = (PIIXIDEState *)obj;

    pci_device_init(&s->pci);
    s->pci.devfn = PCI_DEVFN(1, 1);
}

/* Each drive's buffer: the bytes the current command put there. */
#define PIIX_BUF_LIVE(n) \
    static size_t piix_buf_live##n(const Object *obj) \
    { \
        const PIIXIDEState *s = (const PIIXIDEState *)obj; \
        return s->bus[(n) / 2].drive[(n) % 2].buf_live; \
    }
PIIX_BUF_LIVE(0)
PIIX_BUF_LIVE(1)
PIIX_BUF_LIVE(2)
PIIX_BUF_LIVE(3)

static const ObjectLiveBytes piix_buf_live[4] = {
    piix_buf_live0, piix_buf_live1, piix_buf_live2, piix_buf_live3,
};
static const char *const piix_buf_names[4] = {
    "ide.0-0.buf", "ide.0-1.buf", "ide.1-0.buf", "ide.1-1.buf",
};

void ide_bus_object_add(Object *ctrl, IDEBus *bus, const char *name)
{
    IDEBusObject *b = (IDEBusObject *)object_new_by_name(TYPE_IDE_BUS);

    b->bus = bus;
    b->ctrl = ctrl;
    object_add_child(ctrl, name, &b->obj);
}

static void piix_ide_channel_init(PIIXIDEState *s, Machine *m, int i)
{
    Object *obj = &s->pci.obj;
    BMDMAState *bm = &s->bm[i];
    uint8_t *bufs[IDE_UNITS] = {
        s->bufs + (size_t)(2 * i) * IDE_BUF_SIZE,
        s->bufs + (size_t)(2 * i + 1) * IDE_BUF_SIZE,
    };

    bm->s = s;
    s->isa_irq[i] = m->isa_irq[piix_ports[i].irq];
    irq_init(&bm->intrq, obj, bm_intrq, bm, i);
    ide_bus_init(&s->bus[i], obj, &m->clock, i, &bm->intrq, &piix_dma_ops, bm, bufs);

    mr_init_io(&s->cmd_io[i], obj, &piix_cmd_ops, &s->bus[i], "ide", 8);
    mr_init_io(&s->ctl_io[i], obj, &piix_ctl_ops, &s->bus[i], "ide", 1);
    mr_add_subregion(&m->sysio, piix_ports[i].cmd, &s->cmd_io[i]);
    mr_add_subregion(&m->sysio, piix_ports[i].ctl, &s->ctl_io[i]);
    mr_init_io(&bm->cmd_io, obj, &bm_cmd_ops, bm, "piix-bmdma", 4);
    mr_init_io(&bm->addr_io, obj, &bm_addr_ops, bm, "bmdma", 4);
    mr_add_subregion(&s->bar4, 8 * i, &bm->cmd_io);
    mr_add_subregion(&s->bar4, 8 * i + 4, &bm->addr_io);
    for (int u = 0; u < IDE_UNITS; u++) {
        object_add_state(obj, piix_buf_names[2 * i + u], bufs[u], IDE_BUF_SIZE,
                         piix_buf_live[2 * i + u]);
    }
    ide_bus_object_add(obj, &s->bus[i], i ? "ide.1" : "ide.0");
}

static bool piix_ide_realize(Object *obj, Machine *m, char **errp)
{
    PIIXIDEState *s = (PIIXIDEState *)obj;
    static const PCIDeviceInfo info = {
        .vendor_id = PIIX_IDE_VENDOR_ID,
        .device_id = PIIX_IDE_DEVICE_ID,
        .prog_if = PIIX_IDE_PROG_IF,
        .class_id = PCI_CLASS_STORAGE_IDE,
        .status = PCI_STATUS_FAST_BACK | PCI_STATUS_DEVSEL_MEDIUM,
    };
    const PCIBARInfo bars[] = {
        { &s->bar4, 4, PCI_BASE_ADDRESS_SPACE_IO },
        { NULL },
    };

    mr_init_container(&s->bar4, obj, "piix-bmdma-container", BM_BAR_SIZE);
    if (!pci_realize_common(&s->pci, m->pci_bus, &info, bars, errp)) {
        return false;
    }
    s->bufs = g_malloc0((size_t)4 * IDE_BUF_SIZE);
    for (int i = 0; i < 2; i++) {
        piix_ide_channel_init(s, m, i);
    }
    piix_ide_reset(obj);
    return true;
}

/* ---------------------------------------------------------------------- */
/* Lookup for ide-hd / ide-cd                                              */

typedef struct IDEBusFind {
    const char *name;
    IDEBusObject *found;
} IDEBusFind;

static int ide_bus_find_cb(Object *obj, void *opaque)
{
    IDEBusFind *f = opaque;

    if (object_is_a(obj, TYPE_IDE_BUS) && strcmp(obj->name, f->name) == 0) {
        f->found = (IDEBusObject *)obj;
        return 1;
    }
    return 0;
}

IDEBus *ide_bus_lookup(Machine *m, const char *name, Object **ctrl)
{
    IDEBusFind f = { name, NULL };

    object_foreach_recursive(&m->obj, ide_bus_find_cb, &f);
    if (!f.found) {
        return NULL;
    }
    *ctrl = f.found->ctrl;
    return f.found->bus;
}

/* The bus QEMU 7.2 gives a device without bus=: its qdev walk meets the
 * controller created last first, and that controller's buses in reverse,
 * so it is the bus numbered last (q35's ide.5, pc's ide.1; ahci.5 after
 * a -device ich9-ahci,id=ahci). Full or not: the unit check says so. */
static int ide_bus_last_cb(Object *obj, void *opaque)
{
    IDEBusObject **last = opaque;

    if (object_is_a(obj, TYPE_IDE_BUS) &&
        (!*last || ((IDEBusObject *)obj)->bus->index > (*last)->bus->index)) {
        *last = (IDEBusObject *)obj;
    }
    return 0;
}

IDEBus *ide_bus_default(Machine *m, Object **ctrl, const char **name)
{
    IDEBusObject *last = NULL;

    object_foreach_recursive(&m->obj, ide_bus_last_cb, &last);
    if (!last) {
        return NULL;
    }
    *ctrl = last->ctrl;
    *name = last->obj.name;
    return last->bus;
}

static const Property piix_ide_props[] = {
    PCI_DEVICE_PROP_ADDR(PIIXIDEState, pci),
    { .name = NULL },
};

const TypeInfo piix3_ide_type = {
    .name = TYPE_PIIX3_IDE,
    .parent = "pci-device",
    .desc = "IDE controller: PIIX3 IDE function (two channels, bus-master DMA)",
    OBJECT_INSTANCE(PIIXIDEState),
    .user_creatable = false,
    .props = piix_ide_props,
    .init = piix_ide_init,
    .realize = piix_ide_realize,
    .reset = piix_ide_reset,
};

const TypeInfo ide_bus_type = {
    .name = TYPE_IDE_BUS,
    .desc = "IDE bus",
    OBJECT_INSTANCE(IDEBusObject),
};

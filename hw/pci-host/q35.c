/* SPDX-License-Identifier: MIT */
/*
 * The q35 host bridge ("q35-pcihost": mechanism #1 at 0xcf8/0xcfc, ECAM,
 * the root bus pcie.0) and its function 00:00.0, the Intel 3 Series / Q35
 * Memory Controller Hub as QEMU 7.2's "mch" (Intel 3 Series Express
 * Chipset Family datasheet, order 316966, chapter 5.1): PCIEXBAR placing
 * the MMCONFIG window (5.1.16), PAM0-6 (5.1.13), SMRAM and ESMRAMC with
 * TSEG (5.1.21-22), and QEMU's own EXT_TSEG_MBYTES and F_SMBASE
 * registers. Left out: the SMM view of SMRAM (there is no CPU), DRAM
 * controller registers (plain bytes, as QEMU).
 */
#include "hw/pci-host/q35.h"

#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "hw/devices.h"
#include "hw/pci-host/pci-conf.h"

/* Identity (00.0) */
#define MCH_VENDOR_ID        0x8086
#define MCH_DEVICE_ID        0x29c0
#define MCH_REVISION         0x00

/* QEMU's extended TSEG size register (not in the datasheet) */
#define MCH_EXT_TSEG_MBYTES  0x50
#define  MCH_EXT_TSEG_QUERY  0xffff
#define  MCH_EXT_TSEG_DEFAULT 16      /* QEMU 7.2's ext_tseg_mbytes */
/* PCI Express register range base address (5.1.16) */
#define MCH_PCIEXBAR         0x60
#define  MCH_PCIEXBAR_EN     0x1ull
#define  MCH_PCIEXBAR_LEN_MASK 0x6ull
#define  MCH_PCIEXBAR_LEN_256M 0x0ull
#define  MCH_PCIEXBAR_LEN_128M 0x2ull
#define  MCH_PCIEXBAR_LEN_64M  0x4ull
#define  MCH_PCIEXBAR_ADMSK    0x0000000ff0000000ull   /* bits 35:28 */
#define  MCH_PCIEXBAR_128ADMSK 0x0000000008000000ull
#define  MCH_PCIEXBAR_64ADMSK  0x0000000004000000ull
#define  MCH_PCIEXBAR_DEFAULT  0xb0000000ull
/* PAM0-PAM6 (5.1.13) */
#define MCH_PAM0             0x90
/* QEMU's SMRAM-at-SMBASE register */
#define MCH_F_SMBASE         0x9c
#define  MCH_F_SMBASE_QUERY  0xff
#define  MCH_F_SMBASE_IN_RAM 0x01
#define  MCH_F_SMBASE_LCK    0x02
/* System management RAM control (5.1.21) */
#define MCH_SMRAM            0x9d
#define  MCH_SMRAM_C_BASE_SEG 0x02    /* read-only: the A segment */
#define  MCH_SMRAM_G_SMRAME  0x08
#define  MCH_SMRAM_D_LCK     0x10
#define  MCH_SMRAM_D_CLS     0x20
#define  MCH_SMRAM_D_OPEN    0x40
#define  MCH_SMRAM_WMASK     0x78
#define  MCH_SMRAM_WMASK_LCK 0x20     /* once locked only D_CLS moves */
/* Extended system management RAM control (5.1.22) */
#define MCH_ESMRAMC          0x9e
#define  MCH_ESMRAMC_T_EN    0x01
#define  MCH_ESMRAMC_TSEG_SZ 0x06
#define  MCH_ESMRAMC_TSEG_1M 0x00
#define  MCH_ESMRAMC_TSEG_2M 0x02
#define  MCH_ESMRAMC_TSEG_8M 0x04
#define  MCH_ESMRAMC_H_SMRAME 0x80
#define  MCH_ESMRAMC_DEFAULT 0x38     /* SM_CACHE, SM_L1, SM_L2 */
#define  MCH_ESMRAMC_WMASK   0x87
#define  MCH_ESMRAMC_WMASK_LCK 0x00

/* Memory windows */
#define MCH_SMRAM_C_BASE     0xa0000
#define MCH_SMRAM_C_SIZE     0x20000
#define MCH_OPEN_HIGH_SMRAM  0xfeda0000ull
#define MCH_SMBASE_ADDR      0x30000
#define MCH_SMBASE_SIZE      0x20000
#define MCH_MMCFG_SIZE_MAX   0x10000000ull
#define MCH_MIB              0x100000ull

typedef struct Q35Host {
    Object obj;
    PCIConfPorts conf;          /* 0xcf8/0xcfc */
    PCIBus bus;                 /* "pcie.0" */
    MemoryRegion pci_mem;       /* "pci": where memory BARs decode */
    MemoryRegion mmcfg;         /* "pcie-mmcfg-mmio", in sysmem when enabled */
    MemoryRegion *sysmem;       /* where the ECAM window goes */
    uint64_t below_4g;          /* RAM below 4 GiB, for TSEG */
} Q35Host;

typedef struct MCHState {
    PCIDevice pci;
    PAMRegions pam;
    MemoryRegion smram_region;  /* PCI view of 0xa0000 while SMRAM is shut */
    MemoryRegion open_high_smram;
    MemoryRegion tseg_blackhole;
    MemoryRegion smbase_blackhole;
    Q35Host *host;              /* set by the host before realize */
} MCHState;

/* ---------------------------------------------------------------------- */
/* ECAM                                                                    */

static uint64_t q35_mmcfg_read(void *opaque, uint64_t addr, unsigned size)
{
    Q35Host *h = opaque;

    return pci_ecam_read(&h->bus, addr, size);
}

static void q35_mmcfg_write(void *opaque, uint64_t addr, uint64_t val,
                            unsigned size)
{
    Q35Host *h = opaque;

    pci_ecam_write(&h->bus, addr, val, size);
}

static const MemoryRegionOps q35_mmcfg_ops = {
    .read = q35_mmcfg_read,
    .write = q35_mmcfg_write,
};

/* Where PCIEXBAR puts the window: size 0 when disabled (5.1.16). The
 * reserved length (11b) decodes nothing (QEMU 7.2 aborts). */
static void mch_update_pciexbar(MCHState *s)
{
    uint64_t bar = pci_get_long(s->pci.config + MCH_PCIEXBAR) |
                   (uint64_t)pci_get_long(s->pci.config + MCH_PCIEXBAR + 4) << 32;
    uint64_t mask = MCH_PCIEXBAR_ADMSK, size = 0;
    MemoryRegion *mr = &s->host->mmcfg;

    switch (bar & MCH_PCIEXBAR_LEN_MASK) {
    case MCH_PCIEXBAR_LEN_256M:
        size = 256 * MCH_MIB;
        break;
    case MCH_PCIEXBAR_LEN_128M:
        size = 128 * MCH_MIB;
        mask |= MCH_PCIEXBAR_128ADMSK;
        break;
    case MCH_PCIEXBAR_LEN_64M:
        size = 64 * MCH_MIB;
        mask |= MCH_PCIEXBAR_128ADMSK | MCH_PCIEXBAR_64ADMSK;
        break;
    default:
        guest_error("mch: PCIEXBAR length 11b is reserved");
        break;
    }
    if (mr_is_mapped(mr)) {
        mr_del_subregion(mr->container, mr);
    }
    if ((bar & MCH_PCIEXBAR_EN) && size) {
        mr_set_size(mr, size);
        mr_add_subregion(s->host->sysmem, bar & mask, mr);
    }
}

/* ---------------------------------------------------------------------- */
/* SMRAM, TSEG, SMBASE                                                     */

/* Blackholes read all ones and drop writes, as QEMU's. */
static uint64_t mch_blackhole_read(void *opaque, uint64_t addr, unsigned size)
{
    return UINT32_MAX;
}

static void mch_blackhole_write(void *opaque, uint64_t addr, uint64_t val,
                                unsigned size)
{
}

static const MemoryRegionOps mch_blackhole_ops = {
    .read = mch_blackhole_read,
    .write = mch_blackhole_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static uint64_t mch_tseg_size(const MCHState *s)
{
    uint8_t esmramc = s->pci.config[MCH_ESMRAMC];

    if (!(esmramc & MCH_ESMRAMC_T_EN)) {
        return 0;
    }
    switch (esmramc & MCH_ESMRAMC_TSEG_SZ) {
    case MCH_ESMRAMC_TSEG_1M:
        return MCH_MIB;
    case MCH_ESMRAMC_TSEG_2M:
        return 2 * MCH_MIB;
    case MCH_ESMRAMC_TSEG_8M:
        return 8 * MCH_MIB;
    default:
        return MCH_EXT_TSEG_DEFAULT * MCH_MIB;   /* QEMU's extended size */
    }
}

/* D_LCK clears D_OPEN and freezes the rest until reset (5.1.21). */
static void mch_update_smram(MCHState *s)
{
    uint8_t *c = s->pci.config;

    if (c[MCH_SMRAM] & MCH_SMRAM_D_LCK) {
        c[MCH_SMRAM] &= ~MCH_SMRAM_D_OPEN;
        s->pci.wmask[MCH_SMRAM] = MCH_SMRAM_WMASK_LCK;
        s->pci.wmask[MCH_ESMRAMC] = MCH_ESMRAMC_WMASK_LCK;
    }
    bool h_smrame = c[MCH_ESMRAMC] & MCH_ESMRAMC_H_SMRAME;
    bool open = c[MCH_SMRAM] & MCH_SMRAM_D_OPEN;
    mr_set_enabled(&s->smram_region, open ? h_smrame : true);
    mr_set_enabled(&s->open_high_smram, open && h_smrame);

    uint64_t tseg = mch_tseg_size(s);
    if (tseg > s->host->below_4g) {
        tseg = s->host->below_4g;
    }
    mr_set_enabled(&s->tseg_blackhole, tseg != 0);
    mr_set_size(&s->tseg_blackhole, tseg);
    mr_set_address(&s->tseg_blackhole, s->host->below_4g - tseg);
}

/* QEMU's negotiation: writing 0xffff asks the extended TSEG size. */
static void mch_update_ext_tseg(MCHState *s)
{
    uint8_t *reg = s->pci.config + MCH_EXT_TSEG_MBYTES;

    if (pci_get_word(reg) == MCH_EXT_TSEG_QUERY) {
        pci_set_word(reg, MCH_EXT_TSEG_DEFAULT);
    }
}

/* QEMU's F_SMBASE: 0xff asks (the answer is IN_RAM and only LCK stays
 * writable), LCK then closes the SMBASE window for good. */
static void mch_update_smbase(MCHState *s)
{
    uint8_t *reg = &s->pci.config[MCH_F_SMBASE];
    uint8_t *wmask = &s->pci.wmask[MCH_F_SMBASE];

    if (*reg == MCH_F_SMBASE_QUERY) {
        *wmask = MCH_F_SMBASE_LCK;
        *reg = MCH_F_SMBASE_IN_RAM;
        return;
    }
    if (*wmask == 0xff) {
        *reg = 0;    /* not negotiated: the value is dropped */
    }
    bool lck = *reg & MCH_F_SMBASE_LCK;
    if (lck) {
        *wmask &= ~MCH_F_SMBASE_LCK;
        *reg = MCH_F_SMBASE_LCK;
    }
    mr_set_enabled(&s->smbase_blackhole, lck);
}

/* After reset, as QEMU 7.2's mch_update: EXT_TSEG_MBYTES already holds the
 * answer (0x10) for a guest that reads it without asking. */
static void mch_update(MCHState *s)
{
    mch_update_ext_tseg(s);
    pam_update(&s->pam, s->pci.config + MCH_PAM0);
    mch_update_smram(s);
    mch_update_pciexbar(s);
    mch_update_smbase(s);
}

/* ---------------------------------------------------------------------- */
/* Config space of 00.0                                                    */

static bool mch_overlaps(uint32_t addr, unsigned len, uint32_t reg, unsigned size)
{
    return addr < reg + size && reg < addr + len;
}

static void mch_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                             unsigned len)
{
    MCHState *s = (MCHState *)d;

    pci_default_write_config(d, addr, val, len);
    if (mch_overlaps(addr, len, MCH_PAM0, PAM_REGS)) {
        pam_update(&s->pam, d->config + MCH_PAM0);
    }
    if (mch_overlaps(addr, len, MCH_PCIEXBAR, 8)) {
        mch_update_pciexbar(s);
    }
    if (mch_overlaps(addr, len, MCH_SMRAM, 2)) {
        mch_update_smram(s);
    }
    if (mch_overlaps(addr, len, MCH_EXT_TSEG_MBYTES, 2)) {
        mch_update_ext_tseg(s);
    }
    if (mch_overlaps(addr, len, MCH_F_SMBASE, 1)) {
        mch_update_smbase(s);
    }
}

static void mch_reset(Object *obj)
{
    MCHState *s = (MCHState *)obj;
    uint8_t *c = s->pci.config;

    pci_device_reset(&s->pci);
    memset(c + PCI_CONFIG_HEADER_SIZE, 0,
           PCI_CONFIG_SPACE_SIZE - PCI_CONFIG_HEADER_SIZE);
    pci_set_long(c + MCH_PCIEXBAR, (uint32_t)MCH_PCIEXBAR_DEFAULT);
    c[MCH_SMRAM] = MCH_SMRAM_C_BASE_SEG;
    c[MCH_ESMRAMC] = MCH_ESMRAMC_DEFAULT;
    s->pci.wmask[MCH_SMRAM] = MCH_SMRAM_WMASK;
    s->pci.wmask[MCH_ESMRAMC] = MCH_ESMRAMC_WMASK;
    pci_set_word(c + MCH_EXT_TSEG_MBYTES, MCH_EXT_TSEG_QUERY);
    s->pci.wmask[MCH_F_SMBASE] = 0xff;
    mch_update(s);
}

static void mch_init(Object *obj)
{
    MCHState *s = (MCHState *)obj;

    pci_device_init(&s->pci);
    s->pci.devfn = PCI_DEVFN(0, 0);
}

static void mch_init_smram(MCHState *s, Machine *m)
{
    Object *o = &s->pci.obj;
    Q35Host *h = s->host;

    mr_init_alias(&s->smram_region, o, "smram-region", &h->pci_mem,
                  MCH_SMRAM_C_BASE, MCH_SMRAM_C_SIZE);
    mr_add_subregion_overlap(&m->sysmem, MCH_SMRAM_C_BASE, &s->smram_region, 1);
    mr_init_alias(&s->open_high_smram, o, "smram-open-high", m->ram,
                  MCH_SMRAM_C_BASE, MCH_SMRAM_C_SIZE);
    mr_set_enabled(&s->open_high_smram, false);
    mr_add_subregion_overlap(&m->sysmem, MCH_OPEN_HIGH_SMRAM,
                             &s->open_high_smram, 1);
    mr_init_io(&s->tseg_blackhole, o, &mch_blackhole_ops, s, "tseg-blackhole", 0);
    mr_set_enabled(&s->tseg_blackhole, false);
    mr_add_subregion_overlap(&m->sysmem, h->below_4g, &s->tseg_blackhole, 1);
    mr_init_io(&s->smbase_blackhole, o, &mch_blackhole_ops, s,
               "smbase-blackhole", MCH_SMBASE_SIZE);
    mr_set_enabled(&s->smbase_blackhole, false);
    mr_add_subregion_overlap(&m->sysmem, MCH_SMBASE_ADDR, &s->smbase_blackhole, 1);
}

static bool mch_realize(Object *obj, Machine *m, char **errp)
{
    static const PCIDeviceInfo info = {
        .vendor_id = MCH_VENDOR_ID,
        .device_id = MCH_DEVICE_ID,
        .revision = MCH_REVISION,
        .class_id = PCI_CLASS_BRIDGE_HOST,
    };
    MCHState *s = (MCHState *)obj;

    if (!s->host) {
        *errp = g_strdup("mch: created only by the q35-pcihost");
        return false;
    }
    if (!pci_realize_common(&s->pci, &s->host->bus, &info, NULL, errp)) {
        return false;
    }
    s->pci.config_write = mch_config_write;
    pam_init(&s->pam, obj, m->ram, &s->host->pci_mem, &m->sysmem);
    mch_init_smram(s, m);
    mch_reset(obj);
    return true;
}

/* ---------------------------------------------------------------------- */
/* Host bridge                                                             */

static void q35_host_reset(Object *obj)
{
    Q35Host *h = (Q35Host *)obj;

    pci_conf_reset(&h->conf);
}

/* The MCH at 00.0, as QEMU's /machine/q35/mch. */
static bool q35_host_create_mch(Q35Host *h, Machine *m, char **errp)
{
    Object *dev = machine_new_device(m, TYPE_MCH, &h->obj, "mch", errp);

    if (!dev) {
        return false;
    }
    ((MCHState *)dev)->host = h;
    return machine_realize_device(m, dev, errp);
}

static bool q35_host_realize(Object *obj, Machine *m, char **errp)
{
    Q35Host *h = (Q35Host *)obj;

    if (!m->ram || m->ram->size < 0x100000) {
        *errp = g_strdup("q35-pcihost: needs at least 1 MiB of RAM "
                         "(m->ram) before it is realized");
        return false;
    }
    h->sysmem = &m->sysmem;
    h->below_4g = MIN(m->ram_size, Q35_LOWMEM_SMALL);
    if (m->ram_size >= Q35_LOWMEM_SMALL) {
        h->below_4g = Q35_LOWMEM_LARGE;
    }
    mr_init_container(&h->pci_mem, obj, "pci", MR_SIZE_MAX);
    mr_add_subregion_overlap(&m->sysmem, 0, &h->pci_mem, -1);
    pci_bus_init(&h->bus, &h->obj, &h->pci_mem, &m->sysio, &m->as_mem);
    h->bus.name = "pcie.0";
    h->bus.express = true;
    pci_conf_init(&h->conf, obj, &h->bus, m);
    mr_init_io(&h->mmcfg, obj, &q35_mmcfg_ops, h, "pcie-mmcfg-mmio",
               MCH_MMCFG_SIZE_MAX);
    if (!m->pci_bus) {
        m->pci_bus = &h->bus;
    }
    return q35_host_create_mch(h, m, errp);
}

PCIBus *q35_host_bus(Object *host)
{
    if (!host || !object_is_a(host, TYPE_Q35_HOST)) {
        return NULL;
    }
    return &((Q35Host *)host)->bus;
}

const TypeInfo mch_type = {
    .name = TYPE_MCH,
    .parent = "pci-device",
    .desc = "Host bridge: Q35 memory controller hub (00.0)",
    OBJECT_INSTANCE(MCHState),
    .init = mch_init,
    .realize = mch_realize,
    .reset = mch_reset,
};

const TypeInfo q35_host_type = {
    .name = TYPE_Q35_HOST,
    .parent = "device",
    .desc = "q35 host bridge: config ports, ECAM and bus pcie.0",
    OBJECT_INSTANCE(Q35Host),
    .realize = q35_host_realize,
    .reset = q35_host_reset,
};

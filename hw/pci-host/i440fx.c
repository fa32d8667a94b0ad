/* SPDX-License-Identifier: MIT */
/*
 * Intel 82441FX PCI and Memory Controller (i440FX PMC) and the host bridge
 * in front of it: PCI configuration mechanism #1 at 0xcf8/0xcfc (PCI 3.0
 * section 3.2.2.3.2), PAM shadowing of 0xc0000-0xfffff and the SMRAM window
 * at 0xa0000 (82441FX datasheet, order 290549, sections 3.2.13 and 3.2.21).
 * As QEMU 7.2: DRAM timing/row registers are plain bytes, D_LCK is not
 * enforced, and a read-only or write-only PAM segment is RAM both ways.
 */
#include "hw/pci-host/i440fx.h"

#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "hw/devices.h"

/* Identity (00.0) */
#define I440FX_VENDOR_ID   0x8086
#define I440FX_DEVICE_ID   0x1237
#define I440FX_REVISION    0x02

/* Configuration mechanism #1 ports */
#define I440FX_CONF_ADDR   0xcf8
#define I440FX_CONF_DATA   0xcfc
#define I440FX_CONF_ENABLE 0x80000000u

/* Device registers */
#define I440FX_RAM_SIZE    0x57   /* QEMU: RAM size in 8 MiB units, for coreboot */
#define I440FX_PAM         0x59   /* PAM0..PAM6 */
#define I440FX_PAM_SIZE    7
#define  I440FX_PAM_RE     0x1    /* reads go to DRAM */
#define  I440FX_PAM_WE     0x2    /* writes go to DRAM */
#define  I440FX_PAM_MASK   0x3
#define I440FX_SMRAM       0x72
#define  I440FX_SMRAM_C_BASE_SEG 0x07
#define  I440FX_SMRAM_G_SMRAME   0x08
#define  I440FX_SMRAM_D_LCK      0x10
#define  I440FX_SMRAM_D_CLS      0x20
#define  I440FX_SMRAM_D_OPEN     0x40
#define  I440FX_SMRAM_RESET      0x02   /* C_BASE_SEG = 010b: A segment */

/* Memory windows */
#define I440FX_SMRAM_BASE  0xa0000
#define I440FX_SMRAM_SIZE  0x20000
#define I440FX_BIOS_BASE   0xf0000    /* PAM0[5:4]: 64 KiB */
#define I440FX_BIOS_SIZE   0x10000
#define I440FX_EXPAN_BASE  0xc0000    /* PAM1..PAM6, 16 KiB each nibble */
#define I440FX_EXPAN_SIZE  0x4000
#define I440FX_PAM_SEGS    13
#define I440FX_PAM_MODES   4
#define I440FX_RAM_UNIT    (8u * 1024 * 1024)

typedef struct I440FXHost {
    Object obj;
    uint32_t config_reg;        /* CONFIG_ADDRESS as last latched */
    PCIBus bus;                 /* "pci.0" */
    MemoryRegion pci_mem;       /* "pci": where memory BARs decode */
    MemoryRegion conf_addr;
    MemoryRegion conf_data;
} I440FXHost;

typedef struct I440FXState {
    PCIDevice pci;
    uint8_t ram_size_reg;       /* reset value of I440FX_RAM_SIZE */
    /* One alias per PAM segment and access mode; the enabled one decodes. */
    MemoryRegion pam[I440FX_PAM_SEGS][I440FX_PAM_MODES];
    MemoryRegion smram_region;  /* PCI view of 0xa0000 while SMRAM is shut */
    I440FXHost *host;           /* set by the host before realize */
} I440FXState;

/*
 * Per PAM mode (RE | WE): QEMU 7.2's alias names and targets. There is no
 * read-only alias in the core: mode 1 maps RAM read-write, as QEMU
 * effectively does too (its read-only flag does not stop writes).
 */
static const struct {
    const char *name;
    bool ram;
} i440fx_pam_modes[I440FX_PAM_MODES] = {
    { "pam-pci", false },
    { "pam-rom", true },
    { "pam-pci", true },
    { "pam-ram", true },
};

/* ---------------------------------------------------------------------- */
/* PAM and SMRAM                                                           */

static uint64_t i440fx_pam_base(int seg)
{
    return seg == 0 ? I440FX_BIOS_BASE
                    : I440FX_EXPAN_BASE + (uint64_t)(seg - 1) * I440FX_EXPAN_SIZE;
}

static uint64_t i440fx_pam_size(int seg)
{
    return seg == 0 ? I440FX_BIOS_SIZE : I440FX_EXPAN_SIZE;
}

/* Segment 0 is PAM0's high nibble; then low, high nibble of PAM1..PAM6. */
static unsigned i440fx_pam_mode(const I440FXState *s, int seg)
{
    uint8_t reg = s->pci.config[I440FX_PAM + (seg + 1) / 2];
    unsigned shift = (seg & 1) ? 0 : 4;

    return (reg >> shift) & I440FX_PAM_MASK;
}

static void i440fx_update_memory(I440FXState *s)
{
    uint8_t smram = s->pci.config[I440FX_SMRAM];

    for (int seg = 0; seg < I440FX_PAM_SEGS; seg++) {
        unsigned mode = i440fx_pam_mode(s, seg);
        for (unsigned i = 0; i < I440FX_PAM_MODES; i++) {
            mr_set_enabled(&s->pam[seg][i], i == mode);
        }
    }
    /* D_OPEN shows the RAM below; G_SMRAME only matters to SMM (none here). */
    mr_set_enabled(&s->smram_region, !(smram & I440FX_SMRAM_D_OPEN));
}

static void i440fx_init_pam(I440FXState *s, Machine *m)
{
    for (int seg = 0; seg < I440FX_PAM_SEGS; seg++) {
        uint64_t base = i440fx_pam_base(seg);
        uint64_t size = i440fx_pam_size(seg);
        for (unsigned i = 0; i < I440FX_PAM_MODES; i++) {
            MemoryRegion *mr = &s->pam[seg][i];
            MemoryRegion *target = i440fx_pam_modes[i].ram ? m->ram
                                                           : &s->host->pci_mem;
            mr_init_alias(mr, &s->host->obj, i440fx_pam_modes[i].name, target,
                          base, size);
            mr_set_enabled(mr, false);
            mr_add_subregion_overlap(&m->sysmem, base, mr, 1);
        }
    }
}

static void i440fx_init_smram(I440FXState *s, Machine *m)
{
    mr_init_alias(&s->smram_region, &s->pci.obj, "smram-region",
                  &s->host->pci_mem, I440FX_SMRAM_BASE, I440FX_SMRAM_SIZE);
    mr_add_subregion_overlap(&m->sysmem, I440FX_SMRAM_BASE, &s->smram_region, 1);
}

/* ---------------------------------------------------------------------- */
/* Config space of 00.0                                                    */

static void i440fx_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                                unsigned len)
{
    I440FXState *s = (I440FXState *)d;

    pci_default_write_config(d, addr, val, len);
    if ((addr < I440FX_PAM + I440FX_PAM_SIZE && addr + len > I440FX_PAM) ||
        (addr <= I440FX_SMRAM && addr + len > I440FX_SMRAM)) {
        i440fx_update_memory(s);
    }
}

static void i440fx_reset(Object *obj)
{
    I440FXState *s = (I440FXState *)obj;
    uint8_t *c = s->pci.config;

    pci_device_reset(&s->pci);
    memset(c + PCI_CONFIG_HEADER_SIZE, 0,
           PCI_CONFIG_SPACE_SIZE - PCI_CONFIG_HEADER_SIZE);
    c[I440FX_RAM_SIZE] = s->ram_size_reg;
    c[I440FX_SMRAM] = I440FX_SMRAM_RESET;
    i440fx_update_memory(s);
}

static void i440fx_init(Object *obj)
{
    I440FXState *s = (I440FXState *)obj;

    pci_device_init(&s->pci);
    s->pci.devfn = PCI_DEVFN(0, 0);
}

static bool i440fx_realize(Object *obj, Machine *m, char **errp)
{
    static const PCIDeviceInfo info = {
        .vendor_id = I440FX_VENDOR_ID,
        .device_id = I440FX_DEVICE_ID,
        .revision = I440FX_REVISION,
        .class_id = PCI_CLASS_BRIDGE_HOST,
    };
    I440FXState *s = (I440FXState *)obj;

    if (!s->host) {
        *errp = g_strdup("i440FX: created only by the i440FX-pcihost");
        return false;
    }
    if (!pci_realize_common(&s->pci, &s->host->bus, &info, NULL, errp)) {
        return false;
    }
    s->ram_size_reg = MIN(m->ram_size / I440FX_RAM_UNIT, 255);
    s->pci.config_write = i440fx_config_write;
    i440fx_init_pam(s, m);
    i440fx_init_smram(s, m);
    i440fx_reset(obj);
    return true;
}

/* ---------------------------------------------------------------------- */
/* Host bridge: CONFIG_ADDRESS and CONFIG_DATA                             */

/* Any read gives the latched value's low bytes, as QEMU's pci-conf-idx. */
static uint64_t i440fx_conf_addr_read(void *opaque, uint64_t addr, unsigned size)
{
    I440FXHost *h = opaque;

    return h->config_reg;
}

/* Only a 32-bit write at 0xcf8 latches (PCI 3.0 section 3.2.2.3.2). */
static void i440fx_conf_addr_write(void *opaque, uint64_t addr, uint64_t val,
                                   unsigned size)
{
    I440FXHost *h = opaque;

    if (addr == 0 && size == 4) {
        h->config_reg = val;
    }
}

static uint64_t i440fx_conf_data_read(void *opaque, uint64_t addr, unsigned size)
{
    I440FXHost *h = opaque;

    if (!(h->config_reg & I440FX_CONF_ENABLE)) {
        return UINT32_MAX;
    }
    return pci_host_config_read(&h->bus, h->config_reg | (addr & 3), size);
}

static void i440fx_conf_data_write(void *opaque, uint64_t addr, uint64_t val,
                                   unsigned size)
{
    I440FXHost *h = opaque;

    if (h->config_reg & I440FX_CONF_ENABLE) {
        pci_host_config_write(&h->bus, h->config_reg | (addr & 3), val, size);
    }
}

static const MemoryRegionOps i440fx_conf_addr_ops = {
    .read = i440fx_conf_addr_read,
    .write = i440fx_conf_addr_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps i440fx_conf_data_ops = {
    .read = i440fx_conf_data_read,
    .write = i440fx_conf_data_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static void i440fx_host_reset(Object *obj)
{
    I440FXHost *h = (I440FXHost *)obj;

    h->config_reg = 0;
}

/* The PMC function at 00.0, in /machine/unattached as QEMU has it. */
static bool i440fx_host_create_pmc(I440FXHost *h, Machine *m, char **errp)
{
    Object *dev = machine_new_device(m, TYPE_I440FX, NULL, NULL, errp);

    if (!dev) {
        return false;
    }
    ((I440FXState *)dev)->host = h;
    return machine_realize_device(m, dev, errp);
}

static bool i440fx_host_realize(Object *obj, Machine *m, char **errp)
{
    I440FXHost *h = (I440FXHost *)obj;

    if (!m->ram || m->ram->size < I440FX_BIOS_BASE + I440FX_BIOS_SIZE) {
        *errp = g_strdup("i440FX-pcihost: needs at least 1 MiB of RAM "
                         "(m->ram) before it is realized");
        return false;
    }
    mr_init_container(&h->pci_mem, obj, "pci", MR_SIZE_MAX);
    mr_add_subregion_overlap(&m->sysmem, 0, &h->pci_mem, -1);
    pci_bus_init(&h->bus, &h->obj, &h->pci_mem, &m->sysio, &m->as_mem);
    mr_init_io(&h->conf_addr, obj, &i440fx_conf_addr_ops, h, "pci-conf-idx", 4);
    mr_init_io(&h->conf_data, obj, &i440fx_conf_data_ops, h, "pci-conf-data", 4);
    mr_add_subregion(&m->sysio, I440FX_CONF_ADDR, &h->conf_addr);
    mr_add_subregion(&m->sysio, I440FX_CONF_DATA, &h->conf_data);
    if (!m->pci_bus) {
        m->pci_bus = &h->bus;
    }
    return i440fx_host_create_pmc(h, m, errp);
}

PCIBus *i440fx_bus(Object *host)
{
    if (!host || !object_is_a(host, TYPE_I440FX_PCI_HOST)) {
        return NULL;
    }
    return &((I440FXHost *)host)->bus;
}

const TypeInfo i440fx_type = {
    .name = TYPE_I440FX,
    .parent = "pci-device",
    .desc = "Host bridge: i440FX PCI and memory controller (00.0)",
    OBJECT_INSTANCE(I440FXState),
    .init = i440fx_init,
    .realize = i440fx_realize,
    .reset = i440fx_reset,
};

const TypeInfo i440fx_pcihost_type = {
    .name = TYPE_I440FX_PCI_HOST,
    .parent = "device",
    .desc = "i440FX host bridge: config ports 0xcf8/0xcfc and bus pci.0",
    OBJECT_INSTANCE(I440FXHost),
    .realize = i440fx_host_realize,
    .reset = i440fx_host_reset,
};

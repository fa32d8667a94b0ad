/* SPDX-License-Identifier: MIT */
/*
 * Intel 82441FX PCI and Memory Controller (i440FX PMC) and the host bridge
 * in front of it: PCI configuration mechanism #1 at 0xcf8/0xcfc (PCI 3.0
 * section 3.2.2.3.2, hw/pci-host/pci-conf.c), PAM shadowing of 0xc0000-0xfffff and the SMRAM window
 * at 0xa0000 (82441FX datasheet, order 290549, sections 3.2.13 and 3.2.21).
 * As QEMU 7.2: DRAM timing/row registers are plain bytes, D_LCK is not
 * enforced, and a read-only or write-only PAM segment is RAM both ways.
 */
#include "hw/pci-host/i440fx.h"

#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "hw/devices.h"
#include "hw/pci-host/pci-conf.h"

/* Identity (00.0) */
#define I440FX_VENDOR_ID   0x8086
#define I440FX_DEVICE_ID   0x1237
#define I440FX_REVISION    0x02

/* Device registers */
#define I440FX_RAM_SIZE    0x57   /* QEMU: RAM size in 8 MiB units, for coreboot */
#define I440FX_PAM         0x59   /* PAM0..PAM6 */
#define I440FX_PAM_SIZE    PAM_REGS
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
#define I440FX_BIOS_END    0x100000
#define I440FX_RAM_UNIT    (8u * 1024 * 1024)

typedef struct I440FXHost {
    Object obj;
    PCIConfPorts conf;          /* 0xcf8/0xcfc */
    PCIBus bus;                 /* "pci.0" */
    MemoryRegion pci_mem;       /* "pci": where memory BARs decode */
} I440FXHost;

typedef struct I440FXState {
    PCIDevice pci;
    uint8_t ram_size_reg;       /* reset value of I440FX_RAM_SIZE */
    PAMRegions pam;
    MemoryRegion smram_region;  /* PCI view of 0xa0000 while SMRAM is shut */
    I440FXHost *host;           /* set by the host before realize */
} I440FXState;

/* ---------------------------------------------------------------------- */
/* PAM and SMRAM                                                           */

static void i440fx_update_memory(I440FXState *s)
{
    uint8_t smram = s->pci.config[I440FX_SMRAM];

    pam_update(&s->pam, s->pci.config + I440FX_PAM);
    /* D_OPEN shows the RAM below; G_SMRAME only matters to SMM (none here). */
    mr_set_enabled(&s->smram_region, !(smram & I440FX_SMRAM_D_OPEN));
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
    pam_init(&s->pam, &s->host->obj, m->ram, &s->host->pci_mem, &m->sysmem);
    i440fx_init_smram(s, m);
    i440fx_reset(obj);
    return true;
}

/* ---------------------------------------------------------------------- */
/* Host bridge                                                             */

static void i440fx_host_reset(Object *obj)
{
    I440FXHost *h = (I440FXHost *)obj;

    pci_conf_reset(&h->conf);
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

    if (!m->ram || m->ram->size < I440FX_BIOS_END) {
        *errp = g_strdup("i440FX-pcihost: needs at least 1 MiB of RAM "
                         "(m->ram) before it is realized");
        return false;
    }
    mr_init_container(&h->pci_mem, obj, "pci", MR_SIZE_MAX);
    mr_add_subregion_overlap(&m->sysmem, 0, &h->pci_mem, -1);
    pci_bus_init(&h->bus, &h->obj, &h->pci_mem, &m->sysio, &m->as_mem);
    pci_conf_init(&h->conf, obj, &h->bus, m);
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

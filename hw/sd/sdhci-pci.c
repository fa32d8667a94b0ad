/* SPDX-License-Identifier: MIT */
/*
 * QEMU's "sdhci-pci": a standard SD host controller as a PCI function
 * (1b36:0007, class 08.05 prog-if 01, the SD Host Controller
 * Specification's PCI interface, section 2.1.1): its registers in BAR0
 * (256 bytes of memory), INTA, bus-master DMA. The controller is
 * hw/sd/sdhci.c; an sd-card given after it sits on its bus.
 */
#include <string.h>

#include "emu/machine.h"
#include "hw/devices.h"
#include "hw/sd/sdhci.h"

#define SDHCI_PCI_VENDOR_ID  0x1b36     /* Red Hat, QEMU's devices */
#define SDHCI_PCI_DEVICE_ID  0x0007
#define SDHCI_PCI_CLASS      0x0805     /* base system peripheral, SD host */
#define SDHCI_PCI_PROG_IF    0x01       /* standard interface with DMA */

static uint64_t sdhci_pci_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    return sdhci_read(opaque, addr, size);
}

static void sdhci_pci_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    sdhci_write(opaque, addr, val, size);
}

/* 8-, 16- and 32-bit accesses, aligned (section 1.2 of the spec). */
static const MemoryRegionOps sdhci_pci_mmio_ops = {
    .read = sdhci_pci_mmio_read,
    .write = sdhci_pci_mmio_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static MemTxResult sdhci_pci_dma(void *opaque, uint64_t addr, void *buf, uint64_t len,
                                 bool to_guest)
{
    SDHCIPCIState *p = opaque;

    return to_guest ? pci_dma_write(&p->pci, addr, buf, len)
                    : pci_dma_read(&p->pci, addr, buf, len);
}

static void sdhci_pci_set_irq(void *opaque, int level)
{
    SDHCIPCIState *p = opaque;

    pci_set_irq(&p->pci, level);
}

static void sdhci_pci_reset(Object *obj)
{
    SDHCIPCIState *p = (SDHCIPCIState *)obj;

    pci_device_reset(&p->pci);
    sdhci_reset(&p->sdhci);
}

static void sdhci_pci_init(Object *obj)
{
    SDHCIPCIState *p = (SDHCIPCIState *)obj;

    pci_device_init(&p->pci);
    p->sdhci.sd_spec_version = 2;
    p->sdhci.capareg = SDHC_CAPAB_DEFAULT;
}

static bool sdhci_pci_realize(Object *obj, Machine *m, char **errp)
{
    SDHCIPCIState *p = (SDHCIPCIState *)obj;
    static const PCIDeviceInfo info = {
        .vendor_id = SDHCI_PCI_VENDOR_ID,
        .device_id = SDHCI_PCI_DEVICE_ID,
        .class_id = SDHCI_PCI_CLASS,
        .prog_if = SDHCI_PCI_PROG_IF,
        .interrupt_pin = 1,
    };
    const PCIBARInfo bars[] = {
        { &p->mmio, 0, 0 },
        { NULL },
    };

    if (!sdhci_realize_common(&p->sdhci, obj, &m->clock, errp)) {
        return false;
    }
    p->sdhci.dma = sdhci_pci_dma;
    p->sdhci.set_irq = sdhci_pci_set_irq;
    p->sdhci.opaque = p;
    mr_init_io(&p->mmio, obj, &sdhci_pci_mmio_ops, &p->sdhci, "sdhci", SDHC_REGS_SIZE);
    if (!pci_realize_common(&p->pci, m->pci_bus, &info, bars, errp)) {
        return false;
    }
    sdhci_pci_reset(obj);
    return true;
}

static const Property sdhci_pci_props[] = {
    PCI_DEVICE_PROP_ADDR(SDHCIPCIState, pci),
    { "sd-spec-version", PROP_U8, offsetof(SDHCIPCIState, sdhci.sd_spec_version),
      "SD Host Controller Specification version: 2 (default) or 3" },
    { "uhs", PROP_U8, offsetof(SDHCIPCIState, sdhci.uhs), "UHS-I mode (accepted, not modelled)" },
    { "capareg", PROP_U64, offsetof(SDHCIPCIState, sdhci.capareg),
      "Capabilities register (default 0x057834b4)" },
    { "maxcurr", PROP_U64, offsetof(SDHCIPCIState, sdhci.maxcurr),
      "Maximum Current Capabilities register (default 0)" },
    { .name = NULL },
};

const TypeInfo sdhci_pci_type = {
    .name = TYPE_SDHCI_PCI,
    .parent = "pci-device",
    .desc = "SD Host Controller (PCI, one slot)",
    OBJECT_INSTANCE(SDHCIPCIState),
    .user_creatable = true,
    .props = sdhci_pci_props,
    .init = sdhci_pci_init,
    .realize = sdhci_pci_realize,
    .reset = sdhci_pci_reset,
};

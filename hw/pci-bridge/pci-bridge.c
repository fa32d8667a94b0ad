/* SPDX-License-Identifier: MIT */
/*
 * PCI-to-PCI bridge, QEMU 7.2's "pci-bridge" (1b36:0001): a type 1 bridge
 * (emu/pci-bridge.c; PCI-to-PCI Bridge Architecture 1.2) with a
 * conventional secondary bus named by its id, and QEMU's capabilities at
 * QEMU's offsets: the standard hot-plug controller (SHPC 1.0, cap 0x0c at
 * 0x40 with its DWORD select/data window, and the same registers in a
 * 256-byte 64-bit memory BAR0), slot identification (0x48, chassis_nr)
 * and MSI (0x4c, one 64-bit maskable vector). The SHPC's registers read
 * as QEMU's after reset (31 empty slots); its commands are not carried
 * out (nothing is ever hot-plugged here): a write is logged and dropped.
 */
#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/msi.h"
#include "emu/pci.h"
#include "hw/devices.h"

/* Identity */
#define PB_VENDOR_ID        0x1b36
#define PB_DEVICE_ID        0x0001
#define PB_STATUS           (PCI_STATUS_66MHZ | PCI_STATUS_FAST_BACK)

/* Capabilities, as QEMU lays them out */
#define PB_SHPC_CAP         0x40
#define  PB_SHPC_DWORD_SEL  2        /* in the capability */
#define  PB_SHPC_DWORD_DATA 4
#define PB_SHPC_CAP_SIZE    8
#define PB_SLOTID_CAP       0x48
#define  PB_SLOTID_ESR      0x20     /* first in chassis, no slots */
#define PB_MSI_CAP          0x4c

/* SHPC registers (SHPC 1.0, section 4) with QEMU's 31 slots */
#define SHPC_BAR_SIZE       0x100
#define SHPC_SLOTS          31
#define SHPC_SLOTS_AVAIL_I  0x04
#define SHPC_SLOT_CONFIG    0x0c
#define SHPC_SEC_BUS        0x10
#define SHPC_SERR_INT       0x20
#define SHPC_SLOT_REG       0x24
#define SHPC_SLOTS_AVAIL_I_VAL 0x0000001fu
#define SHPC_SLOT_CONFIG_VAL   0xe001011fu
#define SHPC_SEC_BUS_VAL       0x01000000u
#define SHPC_SERR_INT_VAL      0x0000000fu
#define SHPC_SLOT_REG_VAL      0x7f000d0fu   /* empty, off, indicators off */

typedef struct PCIBridgeDev {
    PCIBridge br;
    uint8_t chassis_nr;
    bool msi;
    uint8_t shpc_regs[SHPC_BAR_SIZE];
    MemoryRegion shpc_bar;      /* "shpc-mmio" in BAR0 */
} PCIBridgeDev;

/* ---------------------------------------------------------------------- */
/* SHPC registers                                                          */

static void shpc_reset(PCIBridgeDev *pb)
{
    uint8_t *r = pb->shpc_regs;

    memset(r, 0, sizeof(pb->shpc_regs));
    st_le32(r + SHPC_SLOTS_AVAIL_I, SHPC_SLOTS_AVAIL_I_VAL);
    st_le32(r + SHPC_SLOT_CONFIG, SHPC_SLOT_CONFIG_VAL);
    st_le32(r + SHPC_SEC_BUS, SHPC_SEC_BUS_VAL);
    st_le32(r + SHPC_SERR_INT, SHPC_SERR_INT_VAL);
    for (unsigned i = 0; i < SHPC_SLOTS; i++) {
        st_le32(r + SHPC_SLOT_REG + 4 * i, SHPC_SLOT_REG_VAL);
    }
}

static uint64_t shpc_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIBridgeDev *pb = opaque;

    return ld_le_n(pb->shpc_regs + addr, size);
}

static void shpc_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    guest_error("pci-bridge: SHPC write of 0x%x at 0x%x dropped (no hot-plug)",
                (unsigned)val, (unsigned)addr);
}

static const MemoryRegionOps shpc_ops = {
    .read = shpc_read,
    .write = shpc_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* The DWORD data register shows the SHPC register the select names. */
static uint32_t pb_config_read(PCIDevice *d, uint32_t addr, unsigned len)
{
    PCIBridgeDev *pb = (PCIBridgeDev *)d;
    unsigned data = PB_SHPC_CAP + PB_SHPC_DWORD_DATA;
    uint32_t val = pci_default_read_config(d, addr, len);

    if (addr < data + 4 && addr + len > data) {
        unsigned sel = d->config[PB_SHPC_CAP + PB_SHPC_DWORD_SEL];
        uint32_t reg = sel * 4 < SHPC_BAR_SIZE ? ld_le32(pb->shpc_regs + sel * 4) : 0;
        for (unsigned i = 0; i < len; i++) {
            if (addr + i >= data && addr + i < data + 4) {
                uint32_t byte = (reg >> (8 * (addr + i - data))) & 0xff;
                val = (val & ~(0xffu << (8 * i))) | byte << (8 * i);
            }
        }
    }
    return val;
}

/* ---------------------------------------------------------------------- */
/* Reset and realize                                                       */

static void pb_reset(Object *obj)
{
    PCIBridgeDev *pb = (PCIBridgeDev *)obj;

    pci_bridge_reset(&pb->br);
    pb->br.dev.config[PB_SHPC_CAP + PB_SHPC_DWORD_SEL] = 0;
    shpc_reset(pb);
}

static void pb_init(Object *obj)
{
    PCIBridgeDev *pb = (PCIBridgeDev *)obj;

    pci_device_init(&pb->br.dev);
    pb->msi = true;
}

static bool pb_init_caps(PCIBridgeDev *pb, char **errp)
{
    PCIDevice *d = &pb->br.dev;
    uint8_t *c = d->config;

    if (!pci_add_capability(d, 0x0c, PB_SHPC_CAP, PB_SHPC_CAP_SIZE, errp) ||
        !pci_add_capability(d, PCI_CAP_ID_SLOTID, PB_SLOTID_CAP, 4, errp)) {
        return false;
    }
    d->wmask[PB_SHPC_CAP + PB_SHPC_DWORD_SEL] = 0xff;
    c[PB_SLOTID_CAP + 2] = PB_SLOTID_ESR;
    c[PB_SLOTID_CAP + 3] = pb->chassis_nr;
    d->wmask[PB_SLOTID_CAP + 3] = 0xff;
    return !pb->msi || msi_init(d, PB_MSI_CAP, 1, true, true, errp);
}

static bool pb_realize(Object *obj, Machine *m, char **errp)
{
    static const PCIDeviceInfo info = {
        .vendor_id = PB_VENDOR_ID,
        .device_id = PB_DEVICE_ID,
        .class_id = PCI_CLASS_BRIDGE_PCI,
        .header_type = PCI_HEADER_TYPE_BRIDGE,
        .status = PB_STATUS,
        .interrupt_pin = 1,
    };
    PCIBridgeDev *pb = (PCIBridgeDev *)obj;
    PCIDevice *d = &pb->br.dev;

    if (!pb->chassis_nr) {
        *errp = g_strdup("pci-bridge: Bridge chassis not specified. Each "
                         "bridge is required to be assigned a unique chassis "
                         "id > 0.");
        return false;
    }
    mr_init_io(&pb->shpc_bar, obj, &shpc_ops, pb, "shpc-mmio", SHPC_BAR_SIZE);
    const PCIBARInfo bars[] = {
        { &pb->shpc_bar, 0, PCI_BASE_ADDRESS_MEM_TYPE_64 },
        { NULL, 0, 0 },
    };
    if (!pci_realize_common(d, m->pci_bus, &info, bars, errp)) {
        return false;
    }
    pci_bridge_init(&pb->br, false);
    pci_set_word(d->config + PCI_SEC_STATUS, PB_STATUS);
    d->config_read = pb_config_read;
    if (!pb_init_caps(pb, errp)) {
        return false;
    }
    pb_reset(obj);
    return true;
}

static const Property pb_props[] = {
    PCI_DEVICE_PROP_ADDR(PCIBridgeDev, br.dev),
    { "chassis_nr", PROP_U8, offsetof(PCIBridgeDev, chassis_nr),
      "chassis number in the slot ID capability (required, > 0)" },
    { "msi", PROP_BOOL, offsetof(PCIBridgeDev, msi), "the MSI capability (on)" },
    { .name = NULL },
};

const TypeInfo pci_bridge_dev_type = {
    .name = "pci-bridge",
    .parent = "pci-device",
    .desc = "PCI-to-PCI bridge (1b36:0001) with SHPC registers, a PCI bus",
    OBJECT_INSTANCE(PCIBridgeDev),
    .user_creatable = true,
    .props = pb_props,
    .init = pb_init,
    .realize = pb_realize,
    .reset = pb_reset,
};

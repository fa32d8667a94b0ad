/* SPDX-License-Identifier: MIT */
/*
 * PCI Express root port, QEMU 7.2's "pcie-root-port" (1b36:000c, the
 * generic root port): a type 1 bridge (emu/pci-bridge.c) whose secondary
 * bus is a PCIe bus, with QEMU's capabilities at QEMU's offsets: the
 * bridge subsystem ID (0x40), MSI-X with one vector in BAR0 (0x48), the
 * PCIe capability of a root port with a hot-plug slot (0x54; PCIe Base
 * 4.0 7.5.3), AER (0x100; 7.8.4) and ACS (0x148; 7.7.8), with QEMU's
 * reset values and write masks. The slot's register rules are modelled
 * (command completed on a slot control write, the electromechanical
 * interlock toggling, presence of a device at 00.0 behind it); hot-plug
 * events, their interrupts and AER error reporting are left out (nothing
 * here is ever unplugged or signals an error).
 */
#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/msi.h"
#include "emu/pci.h"
#include "hw/devices.h"

/* Identity */
#define RP_VENDOR_ID        0x1b36
#define RP_DEVICE_ID        0x000c

/* Capability offsets, as QEMU 7.2 lays them out */
#define RP_SSVID_CAP        0x40
#define RP_AER_CAP          0x100
#define RP_ACS_CAP          0x148
#define RP_AER_SIZE         0x48
#define RP_ACS_SIZE         0x08
#define RP_MSIX_VECTORS     1

/* PCIe capability register values of QEMU's root port (x32, 16 GT/s) */
#define RP_FLAGS            0x0142   /* v2, root port, slot implemented */
#define RP_LNKCAP           0x00300604u
#define RP_LNKSTA           0x0204
#define RP_SLTCAP           0x0002007bu
#define  RP_SLTCAP_PSN_SHIFT 19
#define RP_SLTCTL_RESET     0x03c0   /* indicators off */
#define  RP_SLTCTL_PCC      0x0400   /* power controller: off */
#define  RP_SLTCTL_PIC_ON   0x0100
#define  RP_SLTCTL_PIC      0x0300
#define  RP_SLTCTL_EIC      0x0800
#define  RP_SLTCTL_WMASK    0x07f9
#define  RP_SLTCTL_HPIE     0x0020
#define RP_SLT_EVENTS       0x001f   /* ABP, PFD, MRLSC, PDC, CC: status bit = enable bit */
#define RP_SLTSTA_W1C       0x011f
#define  RP_SLTSTA_CC       0x0010
#define  RP_SLTSTA_PDS      0x0040
#define  RP_SLTSTA_EIS      0x0080
#define RP_LNKSTA_DLLLA     0x2000
#define RP_DEVCAP2          0x00300020u  /* ARI forwarding, EFF, EETLPP */
#define RP_DEVCTL2_WMASK    0x8020
#define RP_LNKCAP2          0x0000001eu  /* 2.5 to 16 GT/s */
#define RP_LNKCTL2          0x0004
#define RP_DEVERR_BITS      0x000f       /* DEVCTL enables, DEVSTA W1C */
#define RP_RTCTL_WMASK      0x0007
#define RP_RTSTA_PME        0x00010000u
#define RP_BRIDGE_CTL_WMASK 0x005f       /* pcie_port_init_reg */

/* AER registers (offsets in the capability) */
#define AER_UNCOR_STATUS    0x04
#define AER_UNCOR_SEVER     0x0c
#define AER_COR_STATUS      0x10
#define AER_COR_MASK        0x14
#define AER_CAP             0x18
#define AER_ROOT_CMD        0x2c
#define AER_ROOT_STATUS     0x30
#define AER_UNCOR_SUPPORTED 0x03fff030u
#define AER_UNCOR_SEVER_DEFAULT 0x00462030u
#define AER_COR_SUPPORTED   0x0000f1c1u
#define AER_COR_MASK_DEFAULT 0x0000e000u
#define AER_CAP_DEFAULT     0x000002a0u
#define AER_CAP_WMASK       0x00000540u
#define AER_ROOT_CMD_WMASK  0x00000007u
#define AER_ROOT_STATUS_W1C 0x0000007fu
/* ACS (offsets in the capability) */
#define ACS_CAP             0x04
#define ACS_CAP_DEFAULT     0x005f
#define ACS_CTRL            0x06

typedef struct PCIERootPort {
    PCIBridge br;
    uint8_t chassis;
    uint16_t slot;
    uint8_t port;
    bool hp_event;              /* the hot-plug interrupt condition, last seen */
    PCIMSIX msix;
    uint8_t msix_table[16 * RP_MSIX_VECTORS];
    uint8_t msix_pba[8];
} PCIERootPort;

static uint8_t *rp_exp(PCIERootPort *rp)
{
    return rp->br.dev.config + rp->br.dev.exp_cap;
}

static void rp_set_mask32(PCIDevice *d, unsigned off, uint32_t wmask,
                          uint32_t w1c)
{
    for (unsigned i = 0; i < 4; i++) {
        unsigned o = off + i;
        uint8_t *wm = o < PCI_CONFIG_SPACE_SIZE ? &d->wmask[o]
                                                : &d->ext->wmask[o - PCI_CONFIG_SPACE_SIZE];
        uint8_t *wc = o < PCI_CONFIG_SPACE_SIZE ? &d->w1cmask[o]
                                                : &d->ext->w1cmask[o - PCI_CONFIG_SPACE_SIZE];
        *wm = wmask >> (8 * i);
        *wc = w1c >> (8 * i);
    }
}

/* ---------------------------------------------------------------------- */
/* Slot control (PCIe Base 4.0, 7.5.3.10-11)                               */

/* Any write to Slot Control is a command, completed at once (CC; PCIe
 * 4.0 6.7.3.2); EIC toggles the interlock and is not stored. */
static void rp_slot_write(PCIERootPort *rp, uint32_t val, uint32_t addr,
                          unsigned len)
{
    uint8_t *exp = rp_exp(rp);
    unsigned lo = rp->br.dev.exp_cap + PCI_EXP_SLTCTL, hi = lo + 1;

    if (addr > hi || addr + len <= lo) {
        return;
    }
    uint16_t sta = pci_get_word(exp + PCI_EXP_SLTSTA) | RP_SLTSTA_CC;
    if (addr + len > hi && ((val >> (8 * (hi - addr))) & (RP_SLTCTL_EIC >> 8))) {
        sta ^= RP_SLTSTA_EIS;
    }
    pci_set_word(exp + PCI_EXP_SLTSTA, sta);
}

/* PCIe 4.0 6.7.3.4: with MSI-X, a message each time "Hot-Plug Interrupt
 * Enable set, and an event's status and enable bits both set" turns true
 * (vector 0: the Interrupt Message Number in the flags is 0; the msix
 * core holds it pending while the vector is masked). The port has no INTx
 * pin, so nothing else signals. Only Command Completed ever happens here:
 * nothing is plugged or unplugged. */
static void rp_hotplug_update(PCIERootPort *rp)
{
    const uint8_t *exp = rp_exp(rp);
    uint16_t ctl = pci_get_word(exp + PCI_EXP_SLTCTL);
    uint16_t sta = pci_get_word(exp + PCI_EXP_SLTSTA);
    /* DLLSCE is not writable (the slot reports no link changes), so the
     * five events whose enable sits at their status bit are all. */
    bool event = (ctl & RP_SLTCTL_HPIE) && (sta & ctl & RP_SLT_EVENTS);

    if (event && !rp->hp_event && msix_enabled(&rp->br.dev)) {
        msix_notify(&rp->br.dev, 0);
    }
    rp->hp_event = event;
}

static void rp_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                            unsigned len)
{
    pci_bridge_write_config(d, addr, val, len);
    rp_slot_write((PCIERootPort *)d, val, addr, len);
    rp_hotplug_update((PCIERootPort *)d);
}

/* ---------------------------------------------------------------------- */
/* Capabilities                                                            */

static void rp_init_exp(PCIERootPort *rp)
{
    PCIDevice *d = &rp->br.dev;
    uint8_t *exp = rp_exp(rp);
    unsigned pos = d->exp_cap;

    pci_set_word(exp + PCI_EXP_FLAGS, RP_FLAGS);
    pci_set_long(exp + PCI_EXP_LNKCAP, RP_LNKCAP | (uint32_t)rp->port << 24);
    pci_set_word(exp + PCI_EXP_LNKSTA, RP_LNKSTA);
    pci_set_long(exp + PCI_EXP_SLTCAP,
                 RP_SLTCAP | (uint32_t)rp->slot << RP_SLTCAP_PSN_SHIFT);
    pci_set_long(exp + PCI_EXP_DEVCAP2, RP_DEVCAP2);
    pci_set_long(exp + PCI_EXP_LNKCAP2, RP_LNKCAP2);
    pci_set_word(exp + PCI_EXP_LNKCTL2, RP_LNKCTL2);
    pci_set_word(d->wmask + pos + PCI_EXP_DEVCTL, RP_DEVERR_BITS);
    pci_set_word(d->w1cmask + pos + PCI_EXP_DEVSTA, RP_DEVERR_BITS);
    pci_set_word(d->wmask + pos + PCI_EXP_SLTCTL, RP_SLTCTL_WMASK);
    pci_set_word(d->w1cmask + pos + PCI_EXP_SLTSTA, RP_SLTSTA_W1C);
    pci_set_word(d->wmask + pos + PCI_EXP_RTCTL, RP_RTCTL_WMASK);
    pci_set_long(d->w1cmask + pos + PCI_EXP_RTSTA, RP_RTSTA_PME);
    pci_set_word(d->wmask + pos + PCI_EXP_DEVCTL2, RP_DEVCTL2_WMASK);
}

static void rp_init_ext(PCIERootPort *rp)
{
    PCIDevice *d = &rp->br.dev;

    pcie_add_ext_capability(d, 0x0001, 2, RP_AER_CAP, RP_AER_SIZE);
    rp_set_mask32(d, RP_AER_CAP + AER_UNCOR_STATUS, 0, AER_UNCOR_SUPPORTED);
    rp_set_mask32(d, RP_AER_CAP + AER_UNCOR_SEVER, AER_UNCOR_SUPPORTED, 0);
    rp_set_mask32(d, RP_AER_CAP + AER_COR_STATUS, 0, AER_COR_SUPPORTED);
    rp_set_mask32(d, RP_AER_CAP + AER_COR_MASK, AER_COR_SUPPORTED, 0);
    rp_set_mask32(d, RP_AER_CAP + AER_CAP, AER_CAP_WMASK, 0);
    rp_set_mask32(d, RP_AER_CAP + AER_ROOT_CMD, AER_ROOT_CMD_WMASK, 0);
    rp_set_mask32(d, RP_AER_CAP + AER_ROOT_STATUS, 0, AER_ROOT_STATUS_W1C);
    pcie_add_ext_capability(d, 0x000d, 1, RP_ACS_CAP, RP_ACS_SIZE);
    rp_set_mask32(d, RP_ACS_CAP + ACS_CAP, (uint32_t)ACS_CAP_DEFAULT << 16, 0);
}

static void rp_reset_ext(PCIERootPort *rp)
{
    uint8_t *aer = rp->br.dev.ext->config + RP_AER_CAP - PCI_CONFIG_SPACE_SIZE;
    uint8_t *acs = rp->br.dev.ext->config + RP_ACS_CAP - PCI_CONFIG_SPACE_SIZE;

    memset(aer + 4, 0, RP_AER_SIZE - 4);
    pci_set_long(aer + AER_UNCOR_SEVER, AER_UNCOR_SEVER_DEFAULT);
    pci_set_long(aer + AER_COR_MASK, AER_COR_MASK_DEFAULT);
    pci_set_long(aer + AER_CAP, AER_CAP_DEFAULT);
    pci_set_word(acs + ACS_CAP, ACS_CAP_DEFAULT);
    pci_set_word(acs + ACS_CTRL, 0);
}

/* ---------------------------------------------------------------------- */
/* Reset and realize                                                       */

/* QEMU's rp_reset_hold: bridge reset, the windows disabled (base above
 * limit), the slot's indicators off and its power on only if a function
 * sits at 00.0 behind it (then present, its link up). */
static void rp_reset(Object *obj)
{
    PCIERootPort *rp = (PCIERootPort *)obj;
    uint8_t *c = rp->br.dev.config;
    uint8_t *exp = rp_exp(rp);
    bool populated = rp->br.sec_bus.devices[0] != NULL;

    pci_bridge_reset(&rp->br);
    c[PCI_IO_BASE] = PCI_IO_RANGE_MASK;
    pci_set_word(c + PCI_MEMORY_BASE, PCI_MEMORY_RANGE_MASK);
    pci_set_word(c + PCI_PREF_MEMORY_BASE, PCI_MEMORY_RANGE_MASK | PCI_PREF_RANGE_TYPE_64);
    pci_set_word(exp + PCI_EXP_DEVCTL, 0);
    pci_set_word(exp + PCI_EXP_DEVSTA, 0);
    pci_set_word(exp + PCI_EXP_RTCTL, 0);
    pci_set_long(exp + PCI_EXP_RTSTA, 0);
    pci_set_word(exp + PCI_EXP_DEVCTL2, 0);
    pci_set_word(exp + PCI_EXP_SLTCTL, populated ?
                 (RP_SLTCTL_RESET & ~RP_SLTCTL_PIC) | RP_SLTCTL_PIC_ON :
                 RP_SLTCTL_RESET | RP_SLTCTL_PCC);
    pci_set_word(exp + PCI_EXP_SLTSTA, populated ? RP_SLTSTA_PDS : 0);
    pci_set_word(exp + PCI_EXP_LNKSTA, RP_LNKSTA | (populated ? RP_LNKSTA_DLLLA : 0));
    rp->hp_event = false;
    rp_reset_ext(rp);
}

static void rp_init(Object *obj)
{
    PCIERootPort *rp = (PCIERootPort *)obj;

    pci_device_init(&rp->br.dev);
}

static bool rp_init_caps(PCIERootPort *rp, char **errp)
{
    PCIDevice *d = &rp->br.dev;
    uint8_t ssvid = pci_add_capability(d, PCI_CAP_ID_SSVID, RP_SSVID_CAP, 8, errp);

    if (!ssvid) {
        return false;
    }
    pci_set_word(d->config + ssvid + 4, RP_VENDOR_ID);
    if (!msix_init_exclusive_bar(d, &rp->msix, RP_MSIX_VECTORS, 0,
                                 "pcie-root-port-msix", rp->msix_table,
                                 rp->msix_pba, errp) ||
        !pcie_add_capability(d, PCI_EXP_TYPE_ROOT_PORT, 0, rp->port, errp)) {
        return false;
    }
    rp_init_exp(rp);
    rp_init_ext(rp);
    return true;
}

static bool rp_realize(Object *obj, Machine *m, char **errp)
{
    static const PCIDeviceInfo info = {
        .vendor_id = RP_VENDOR_ID,
        .device_id = RP_DEVICE_ID,
        .class_id = PCI_CLASS_BRIDGE_PCI,
        .header_type = PCI_HEADER_TYPE_BRIDGE,
        .interrupt_pin = 1,
        .express = true,
    };
    PCIERootPort *rp = (PCIERootPort *)obj;
    PCIDevice *d = &rp->br.dev;

    if (!pci_realize_common(d, m->pci_bus, &info, NULL, errp)) {
        return false;
    }
    if (!d->bus->express || d->bus->parent_dev) {
        *errp = g_strdup_printf("pcie-root-port: goes on a PCI Express root "
                                "bus (pcie.0), not on '%s'", d->bus->name);
        return false;
    }
    pci_bridge_init(&rp->br, true);
    pci_set_word(d->wmask + PCI_BRIDGE_CONTROL, RP_BRIDGE_CTL_WMASK);
    pci_set_word(d->w1cmask + PCI_SEC_STATUS, 0);
    d->config_write = rp_config_write;
    if (!rp_init_caps(rp, errp)) {
        return false;
    }
    rp_reset(obj);
    return true;
}

static const Property rp_props[] = {
    PCI_DEVICE_PROP_ADDR(PCIERootPort, br.dev),
    { "chassis", PROP_U8, offsetof(PCIERootPort, chassis), "chassis number" },
    { "slot", PROP_U16, offsetof(PCIERootPort, slot),
      "physical slot number (SLTCAP bits 31:19)" },
    { "port", PROP_U8, offsetof(PCIERootPort, port),
      "port number (LNKCAP bits 31:24)" },
    { .name = NULL },
};

const TypeInfo pcie_root_port_type = {
    .name = "pcie-root-port",
    .parent = "pci-device",
    .desc = "PCI Express root port (1b36:000c), a bus for one PCIe device",
    OBJECT_INSTANCE(PCIERootPort),
    .user_creatable = true,
    .props = rp_props,
    .init = rp_init,
    .realize = rp_realize,
    .reset = rp_reset,
};

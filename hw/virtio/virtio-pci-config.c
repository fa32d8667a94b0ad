/* SPDX-License-Identifier: MIT */
/*
 * Virtio over PCI, the PCI configuration side (OASIS VIRTIO 1.1 sections
 * 4.1.4 and 4.1.4.7; PCI 3.0 section 6.8.2 for MSI-X): the capability list
 * as QEMU 7.2 builds it for virtio-*-pci, the PCI configuration access
 * capability, MSI-X (emu/msi.c's, in BAR 1; which vectors are in use is
 * the transport's), bus mastering, and the option ROM BAR
 * (sized as QEMU's; the option ROM itself is left out: it decodes nothing).
 * The transport's registers are in virtio-pci.c.
 */
#include "hw/virtio/virtio-pci.h"

#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "emu/msi.h"

/* Vendor capability (section 4.1.4): struct virtio_pci_cap */
#define VIRTIO_PCI_CAP_LEN        0x02
#define VIRTIO_PCI_CAP_CFG_TYPE   0x03
#define VIRTIO_PCI_CAP_BAR        0x04
#define VIRTIO_PCI_CAP_OFFSET     0x08
#define VIRTIO_PCI_CAP_LENGTH     0x0c
#define VIRTIO_PCI_CAP_NOTIFY_MULT 0x10  /* notify capability only */
#define VIRTIO_PCI_CAP_CFG_DATA   0x10   /* PCI configuration access only */
#define VIRTIO_PCI_CAP_SIZE       16
#define VIRTIO_PCI_CAP_EXT_SIZE   20
#define  VIRTIO_PCI_CAP_COMMON_CFG 1
#define  VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define  VIRTIO_PCI_CAP_ISR_CFG    3
#define  VIRTIO_PCI_CAP_DEVICE_CFG 4
#define  VIRTIO_PCI_CAP_PCI_CFG    5

/* ---------------------------------------------------------------------- */
/* MSI-X vectors (the capability, table and PBA are emu/msi.c's)           */

/* A vector is in use while the config or a queue points at it (QEMU counts
 * msix_vector_use calls; only "in use or not" is visible). */
static bool virtio_pci_vector_used(const VirtIOPCIProxy *p, unsigned v)
{
    const VirtIODevice *vdev = p->vdev;

    if (vdev->config_vector == v) {
        return true;
    }
    for (unsigned i = 0; i < vdev->max_vqs; i++) {
        if (vdev->vq[i].vector == v) {
            return true;
        }
    }
    return false;
}

/* Pending bits of vectors no longer used are dropped (msix_vector_unuse). */
void virtio_pci_msix_drop_unused(VirtIOPCIProxy *p)
{
    for (unsigned v = 0; v < p->vectors; v++) {
        if (!virtio_pci_vector_used(p, v)) {
            msix_clear_pending(&p->pci, v);
        }
    }
}

void virtio_pci_msix_notify(VirtIOPCIProxy *p, unsigned v)
{
    if (v < p->vectors && virtio_pci_vector_used(p, v)) {
        msix_notify(&p->pci, v);
    }
}

/* A vector written by the driver: out of range reads back as NO_VECTOR so
 * the driver sees the error (section 4.1.5.1.2). */
uint16_t virtio_pci_check_vector(const VirtIOPCIProxy *p, uint16_t v)
{
    return v < p->vectors ? v : VIRTIO_NO_VECTOR;
}

/* ---------------------------------------------------------------------- */
/* PCI configuration space                                                 */

/* The BAR 4 structure holding [off, off + len), for the configuration
 * access capability (section 4.1.4.7.1). As QEMU, its bar field is not
 * looked at. The end is computed in 64 bits: an offset near 2^32 whose end
 * wraps reaches nothing (QEMU's offsets are 64-bit). */
static MemoryRegion *virtio_pci_cfg_region(VirtIOPCIProxy *p, uint32_t *off,
                                           unsigned len)
{
    MemoryRegion *regs[] = { &p->common, &p->isr, &p->device, &p->notify };

    for (unsigned i = 0; i < G_N_ELEMENTS(regs); i++) {
        uint64_t base = regs[i]->addr;
        if (*off >= base && *off - base + len <= VIRTIO_PCI_REGION_SIZE) {
            *off -= base;
            return regs[i];
        }
    }
    return NULL;
}

/* One access through pci_cfg_data, to the structure's callbacks directly
 * (the config access has entered the device, so its DMA cannot come back). */
static void virtio_pci_cfg_access(VirtIOPCIProxy *p, bool is_write)
{
    uint8_t *cap = p->pci.config + p->cfg_cap;
    uint8_t *data = cap + VIRTIO_PCI_CAP_CFG_DATA;
    uint32_t len = ld_le32(cap + VIRTIO_PCI_CAP_LENGTH);
    uint32_t off = ld_le32(cap + VIRTIO_PCI_CAP_OFFSET);

    if (len != 1 && len != 2 && len != 4) {
        return;
    }
    off &= ~(len - 1);
    MemoryRegion *mr = virtio_pci_cfg_region(p, &off, len);
    if (!mr) {
        return;
    }
    if (is_write) {
        uint32_t val = ld_le32(data) & (len == 4 ? UINT32_MAX : (1u << (8 * len)) - 1);
        mr->ops->write(mr->opaque, off, val, len);
    } else {
        uint32_t val = mr->ops->read(mr->opaque, off, len);
        for (unsigned i = 0; i < len; i++) {
            data[i] = val >> (8 * i);
        }
    }
}

static bool virtio_pci_overlaps(uint32_t addr, unsigned len, uint32_t start,
                                unsigned size)
{
    return addr < start + size && start < addr + len;
}

static uint32_t virtio_pci_config_read(PCIDevice *d, uint32_t addr, unsigned len)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)d;

    if (p->cfg_cap &&
        virtio_pci_overlaps(addr, len, p->cfg_cap + VIRTIO_PCI_CAP_CFG_DATA, 4)) {
        virtio_pci_cfg_access(p, false);
    }
    return pci_default_read_config(d, addr, len);
}

/* Bus mastering off stops the device: DRIVER_OK is cleared (QEMU). */
static void virtio_pci_command_written(VirtIOPCIProxy *p)
{
    VirtIODevice *vdev = p->vdev;

    if (!(p->pci.config[PCI_COMMAND] & PCI_COMMAND_MASTER)) {
        vdev->disabled = true;
        virtio_set_status(vdev, vdev->status & ~VIRTIO_CONFIG_S_DRIVER_OK);
    } else {
        vdev->disabled = false;
    }
}

static void virtio_pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                                    unsigned len)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)d;
    const uint8_t *devctl = d->config + d->exp_cap + PCI_EXP_DEVCTL;

    pci_default_write_config(d, addr, val, len);
    if (p->express && virtio_pci_overlaps(addr, len, d->exp_cap + PCI_EXP_DEVCTL + 1, 1) &&
        (pci_get_word(devctl) & PCI_EXP_DEVCTL_BCR_FLR)) {
        /* Function level reset: the whole function, as a bus reset does
         * (PCIe 4.0 6.6.2); the bit reads back 0. */
        d->obj.type->reset(&d->obj);
        return;
    }
    if (virtio_pci_overlaps(addr, len, PCI_COMMAND, 1)) {
        virtio_pci_command_written(p);
    }
    if (p->cfg_cap &&
        virtio_pci_overlaps(addr, len, p->cfg_cap + VIRTIO_PCI_CAP_CFG_DATA, 4)) {
        virtio_pci_cfg_access(p, true);
    }
}

/* ---------------------------------------------------------------------- */
/* Capabilities, the MSI-X BAR, the ROM BAR                                */

static bool virtio_pci_add_cap(VirtIOPCIProxy *p, uint8_t type, uint8_t size,
                               uint32_t offset, uint32_t length, uint8_t *where,
                               char **errp)
{
    uint8_t off = pci_add_capability(&p->pci, PCI_CAP_ID_VNDR, 0, size, errp);
    uint8_t *c = p->pci.config + off;

    if (!off) {
        return false;
    }
    c[VIRTIO_PCI_CAP_LEN] = size;
    c[VIRTIO_PCI_CAP_CFG_TYPE] = type;
    c[VIRTIO_PCI_CAP_BAR] = type == VIRTIO_PCI_CAP_PCI_CFG ? 0 : VIRTIO_PCI_MODERN_BAR;
    pci_set_long(c + VIRTIO_PCI_CAP_OFFSET, offset);
    pci_set_long(c + VIRTIO_PCI_CAP_LENGTH, length);
    if (type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
        pci_set_long(c + VIRTIO_PCI_CAP_NOTIFY_MULT, VIRTIO_PCI_NOTIFY_MULT);
    }
    if (where) {
        *where = off;
    }
    return true;
}

/* The configuration access capability: bar, offset, length and data are
 * the driver's to write. */
static void virtio_pci_open_cfg_cap(VirtIOPCIProxy *p)
{
    uint8_t *w = p->pci.wmask + p->cfg_cap;
    w[VIRTIO_PCI_CAP_BAR] = 0xff;
    pci_set_long(w + VIRTIO_PCI_CAP_OFFSET, UINT32_MAX);
    pci_set_long(w + VIRTIO_PCI_CAP_LENGTH, UINT32_MAX);
    pci_set_long(w + VIRTIO_PCI_CAP_CFG_DATA, UINT32_MAX);
}

static bool virtio_pci_add_vendor_caps(VirtIOPCIProxy *p, char **errp);

/* In QEMU's order, so the list reads 0x98 (MSI-X), 0x84, 0x70 ... 0x40
 * (MSI-X alone at 0x40 with disable-modern=on). */
static bool virtio_pci_add_caps(VirtIOPCIProxy *p, const VirtIOPCIInfo *info,
                                char **errp)
{
    if (p->modern && !virtio_pci_add_vendor_caps(p, errp)) {
        return false;
    }
    /* BAR 1: the table at 0, the PBA at 0x800 (QEMU's exclusive MSI-X BAR);
     * none with vectors=0. */
    if (p->vectors == 0) {
        return true;
    }
    return msix_init_exclusive_bar(&p->pci, &p->msix, p->vectors,
                                   VIRTIO_PCI_MSIX_BAR, info->msix_name,
                                   p->msix_table, p->msix_pba, errp);
}

static bool virtio_pci_add_vendor_caps(VirtIOPCIProxy *p, char **errp)
{
    if (!virtio_pci_add_cap(p, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_CAP_SIZE,
                            VIRTIO_PCI_COMMON_ADDR, VIRTIO_PCI_REGION_SIZE, NULL, errp) ||
        !virtio_pci_add_cap(p, VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_CAP_SIZE,
                            VIRTIO_PCI_ISR_ADDR, VIRTIO_PCI_REGION_SIZE, NULL, errp) ||
        !virtio_pci_add_cap(p, VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_CAP_SIZE,
                            VIRTIO_PCI_DEVICE_ADDR, VIRTIO_PCI_REGION_SIZE, NULL, errp) ||
        !virtio_pci_add_cap(p, VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_CAP_EXT_SIZE,
                            VIRTIO_PCI_NOTIFY_ADDR, VIRTIO_PCI_REGION_SIZE, NULL, errp) ||
        !virtio_pci_add_cap(p, VIRTIO_PCI_CAP_PCI_CFG, VIRTIO_PCI_CAP_EXT_SIZE,
                            0, 0, &p->cfg_cap, errp)) {
        return false;
    }
    virtio_pci_open_cfg_cap(p);
    return true;
}

/* The expansion ROM BAR sizes as QEMU's (the option ROM it maps is not
 * here: the BAR decodes nothing). */
static void virtio_pci_rom_bar(VirtIOPCIProxy *p)
{
    if (p->rom_size) {
        uint32_t size = (uint32_t)p->rom_size * 1024;
        pci_set_long(p->pci.wmask + PCI_ROM_ADDRESS, ~(size - 1) | 1u);
    }
}

/* Behind a PCIe port QEMU 7.2 makes the function an endpoint: an Express
 * capability with FLR, the error reporting enables and link control's
 * CCC and ES writable, then power management (D0-D3hot, PM 1.2), both
 * before the virtio capabilities, so these sit at 0x40 and 0x7c. */
bool virtio_pci_express_init(VirtIOPCIProxy *p, char **errp)
{
    PCIDevice *d = &p->pci;
    uint8_t exp = pcie_add_capability(d, PCI_EXP_TYPE_ENDPOINT, 0, 0, errp);
    uint8_t pm = exp ? pci_add_capability(d, PCI_CAP_ID_PM, 0, PCI_PM_SIZEOF, errp) : 0;

    if (!pm) {
        return false;
    }
    pci_set_long(d->config + exp + PCI_EXP_DEVCAP,
                 pci_get_long(d->config + exp + PCI_EXP_DEVCAP) | PCI_EXP_DEVCAP_FLR);
    pci_set_word(d->wmask + exp + PCI_EXP_DEVCTL,
                 PCI_EXP_DEVCTL_ERR_BITS | PCI_EXP_DEVCTL_BCR_FLR);
    pci_set_word(d->wmask + exp + PCI_EXP_LNKCTL, PCI_EXP_LNKCTL_CCC | PCI_EXP_LNKCTL_ES);
    pci_set_word(d->config + pm + PCI_PM_PMC, 0x3);
    pci_set_word(d->wmask + pm + PCI_PM_CTRL, PCI_PM_CTRL_STATE_MASK);
    p->express = true;
    return true;
}

/* What a reset clears of the two (DEVCTL2 is kept, as in QEMU 7.2). */
static void virtio_pci_express_reset(VirtIOPCIProxy *p)
{
    PCIDevice *d = &p->pci;
    uint8_t pm = pci_find_capability(d, PCI_CAP_ID_PM);

    pci_set_word(d->config + d->exp_cap + PCI_EXP_DEVCTL, 0);
    pci_set_word(d->config + d->exp_cap + PCI_EXP_LNKCTL, 0);
    if (pm) {
        pci_set_word(d->config + pm + PCI_PM_CTRL, 0);
    }
}

bool virtio_pci_config_init(VirtIOPCIProxy *p, const VirtIOPCIInfo *info,
                            char **errp)
{
    p->rom_size = info->rom_size_kib;
    p->pci.config_read = virtio_pci_config_read;
    p->pci.config_write = virtio_pci_config_write;
    if (!virtio_pci_add_caps(p, info, errp)) {
        return false;
    }
    virtio_pci_rom_bar(p);
    return true;
}

void virtio_pci_config_reset(VirtIOPCIProxy *p)
{
    pci_set_long(p->pci.config + PCI_ROM_ADDRESS, 0);
    if (p->express) {
        virtio_pci_express_reset(p);
    }
    p->vdev->disabled = !(p->pci.config[PCI_COMMAND] & PCI_COMMAND_MASTER);
}

/* SPDX-License-Identifier: MIT */
/*
 * PCI-to-PCI bridges (type 1 header) and the PCI Express capability: the
 * secondary bus, bus numbers, the I/O, memory and prefetchable windows as
 * aliases in the parent bus (PCI-to-PCI Bridge Architecture 1.2, sections
 * 3.2.5.3-3.2.5.10, 3.2.5.18), secondary bus reset; the PCIe capability
 * version 2 (PCI Express Base 4.0, section 7.5.3). Masks and reset values
 * follow QEMU 7.2. Left out: VGA and ISA forwarding (the VGA enable bit
 * is stored and does nothing), 32-bit I/O windows (QEMU's are 16-bit).
 */
#include "emu/pci.h"

#include <string.h>

#include "emu/log.h"

/* Window granularity (PCI-to-PCI Bridge 1.2, 3.2.5.6 and 3.2.5.8) */
#define PCI_BRIDGE_IO_GRAN   0xfffu
#define PCI_BRIDGE_MEM_GRAN  0xfffffu
#define PCI_BRIDGE_IO_SPACE  0x100000000ull   /* QEMU's pci_bridge_io: 4 GiB */

/* PCIe capability fields (PCIe Base 4.0, 7.5.3.3-7.5.3.18) */
#define PCI_EXP_FLAGS_TYPE_SHIFT 4
#define PCI_EXP_DEVCAP_RBER      0x8000
#define PCI_EXP_LNKCAP_PN_SHIFT  24
#define PCI_EXP_LNKCAP_ASPMS_0S  0x0400
#define PCI_EXP_LNK_X1           0x0010     /* width x1, in LNKCAP and LNKSTA */
#define PCI_EXP_LNK_2_5GT        0x0001
#define PCI_EXP_DEVCAP2_EFF      0x00100000
#define PCI_EXP_DEVCAP2_EETLPP   0x00200000
#define PCI_EXP_DEVCTL2_EETLPPB  0x8000

/* Recursion caps: a bus tree is set-up sized; these only bound bugs. */
#define PCI_BRIDGE_MAX_DEPTH 32

/* ---------------------------------------------------------------------- */
/* Windows                                                                 */

static uint64_t pci_bridge_io_base(const PCIDevice *d, unsigned reg)
{
    return (uint64_t)(d->config[reg] & PCI_IO_RANGE_MASK) << 8;
}

static uint64_t pci_bridge_mem_base(const PCIDevice *d, unsigned reg)
{
    return (uint64_t)(pci_get_word(d->config + reg) & PCI_MEMORY_RANGE_MASK) << 16;
}

/* The prefetchable window is 64-bit when its type bits say so (3.2.5.9). */
static uint64_t pci_bridge_pref_base(const PCIDevice *d, unsigned reg,
                                     unsigned upper)
{
    uint64_t v = pci_bridge_mem_base(d, reg);

    if (pci_get_word(d->config + reg) & PCI_PREF_RANGE_TYPE_64) {
        v |= (uint64_t)pci_get_long(d->config + upper) << 32;
    }
    return v;
}

/* An alias of [base, limit] of the secondary space at base in the parent,
 * empty while decoding is off or base > limit (QEMU's size 0). */
static void pci_bridge_set_window(MemoryRegion *win, uint64_t base,
                                  uint64_t limit, bool on)
{
    uint64_t size = on && limit >= base ? limit - base + 1 : 0;

    mr_set_size(win, size);
    mr_set_alias_offset(win, base);
    mr_set_address(win, base);
}

static void pci_bridge_update_windows(PCIBridge *br)
{
    const PCIDevice *d = &br->dev;
    uint16_t cmd = pci_get_word(d->config + PCI_COMMAND);
    bool mem_on = cmd & PCI_COMMAND_MEMORY;

    pci_bridge_set_window(&br->win_io, pci_bridge_io_base(d, PCI_IO_BASE),
                          pci_bridge_io_base(d, PCI_IO_LIMIT) | PCI_BRIDGE_IO_GRAN,
                          cmd & PCI_COMMAND_IO);
    pci_bridge_set_window(&br->win_mem, pci_bridge_mem_base(d, PCI_MEMORY_BASE),
                          pci_bridge_mem_base(d, PCI_MEMORY_LIMIT) |
                          PCI_BRIDGE_MEM_GRAN, mem_on);
    pci_bridge_set_window(&br->win_pref,
                          pci_bridge_pref_base(d, PCI_PREF_MEMORY_BASE,
                                               PCI_PREF_BASE_UPPER32),
                          pci_bridge_pref_base(d, PCI_PREF_MEMORY_LIMIT,
                                               PCI_PREF_LIMIT_UPPER32) |
                          PCI_BRIDGE_MEM_GRAN, mem_on);
}

/* ---------------------------------------------------------------------- */
/* Secondary bus reset                                                     */

/* Every function on bus and behind it back to its power-on state, as
 * QEMU's bus_cold_reset of the secondary bus (3.2.5.18). */
static void pci_bus_reset_tree(PCIBus *bus, unsigned depth)
{
    if (depth > PCI_BRIDGE_MAX_DEPTH) {
        emu_bug("PCI bus tree deeper than %d", PCI_BRIDGE_MAX_DEPTH);
    }
    for (PCIBus *c = bus->child; c; c = c->sibling) {
        pci_bus_reset_tree(c, depth + 1);
    }
    for (int devfn = 0; devfn < 256; devfn++) {
        PCIDevice *d = bus->devices[devfn];
        if (d && d->obj.type->reset) {
            object_touch(&d->obj);
            d->obj.type->reset(&d->obj);
        }
    }
}

/* ---------------------------------------------------------------------- */
/* Config space                                                            */

static bool pci_bridge_overlaps(uint32_t addr, unsigned len, uint32_t start,
                                uint32_t size)
{
    return addr < start + size && start < addr + len;
}

void pci_bridge_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                             unsigned len)
{
    PCIBridge *br = (PCIBridge *)d;
    uint16_t oldctl = pci_get_word(d->config + PCI_BRIDGE_CONTROL);

    pci_default_write_config(d, addr, val, len);
    if (pci_bridge_overlaps(addr, len, PCI_COMMAND, 2) ||
        pci_bridge_overlaps(addr, len, PCI_IO_BASE, 2) ||
        pci_bridge_overlaps(addr, len, PCI_MEMORY_BASE, 20)) {
        pci_bridge_update_windows(br);
    }
    uint16_t newctl = pci_get_word(d->config + PCI_BRIDGE_CONTROL);
    if ((oldctl ^ newctl) & newctl & PCI_BRIDGE_CTL_BUS_RESET) {
        pci_bus_reset_tree(&br->sec_bus, 0);
    }
}

/* QEMU 7.2's pci_init_mask_bridge. */
static void pci_bridge_init_masks(PCIDevice *d)
{
    memset(d->wmask + PCI_PRIMARY_BUS, 0xff, 4);
    d->wmask[PCI_IO_BASE] = PCI_IO_RANGE_MASK;
    d->wmask[PCI_IO_LIMIT] = PCI_IO_RANGE_MASK;
    pci_set_word(d->wmask + PCI_MEMORY_BASE, PCI_MEMORY_RANGE_MASK);
    pci_set_word(d->wmask + PCI_MEMORY_LIMIT, PCI_MEMORY_RANGE_MASK);
    pci_set_word(d->wmask + PCI_PREF_MEMORY_BASE, PCI_MEMORY_RANGE_MASK);
    pci_set_word(d->wmask + PCI_PREF_MEMORY_LIMIT, PCI_MEMORY_RANGE_MASK);
    memset(d->wmask + PCI_PREF_BASE_UPPER32, 0xff, 8);
    pci_set_word(d->config + PCI_PREF_MEMORY_BASE, PCI_PREF_RANGE_TYPE_64);
    pci_set_word(d->config + PCI_PREF_MEMORY_LIMIT, PCI_PREF_RANGE_TYPE_64);
    pci_set_word(d->wmask + PCI_BRIDGE_CONTROL, PCI_BRIDGE_CTL_WMASK);
    pci_set_word(d->w1cmask + PCI_SEC_STATUS, PCI_STATUS_W1C_BITS);
}

void pci_bridge_reset(PCIBridge *br)
{
    uint8_t *c = br->dev.config;

    pci_device_reset(&br->dev);
    memset(c + PCI_PRIMARY_BUS, 0, 4);
    c[PCI_IO_BASE] &= ~PCI_IO_RANGE_MASK;
    c[PCI_IO_LIMIT] &= ~PCI_IO_RANGE_MASK;
    pci_set_word(c + PCI_MEMORY_BASE, 0);
    pci_set_word(c + PCI_MEMORY_LIMIT, 0);
    pci_set_word(c + PCI_PREF_MEMORY_BASE, PCI_PREF_RANGE_TYPE_64);
    pci_set_word(c + PCI_PREF_MEMORY_LIMIT, PCI_PREF_RANGE_TYPE_64);
    memset(c + PCI_PREF_BASE_UPPER32, 0, 8);
    pci_set_word(c + PCI_SEC_STATUS,
                 pci_get_word(c + PCI_SEC_STATUS) & ~PCI_STATUS_W1C_BITS);
    pci_set_word(c + PCI_BRIDGE_CONTROL, 0);
    pci_bridge_update_windows(br);
}

static void pci_bridge_init_windows(PCIBridge *br, PCIBus *parent)
{
    Object *o = &br->dev.obj;

    mr_init_container(&br->sec_mem, o, "pci_bridge_pci", MR_SIZE_MAX);
    mr_init_container(&br->sec_io, o, "pci_bridge_io", PCI_BRIDGE_IO_SPACE);
    mr_init_alias(&br->win_io, o, "pci_bridge_io", &br->sec_io, 0, 0);
    mr_init_alias(&br->win_mem, o, "pci_bridge_mem", &br->sec_mem, 0, 0);
    mr_init_alias(&br->win_pref, o, "pci_bridge_pref_mem", &br->sec_mem, 0, 0);
    mr_set_rendered_in(&br->sec_mem, parent->mem);
    mr_set_rendered_in(&br->sec_io, parent->io);
    /* QEMU's order: where windows overlap, the last added wins. */
    mr_add_subregion_overlap(parent->mem, 0, &br->win_pref, 1);
    mr_add_subregion_overlap(parent->mem, 0, &br->win_mem, 1);
    mr_add_subregion_overlap(parent->io, 0, &br->win_io, 1);
}

void pci_bridge_init(PCIBridge *br, bool sec_express)
{
    PCIDevice *d = &br->dev;
    PCIBus *parent = d->bus;
    PCIBus *sec = &br->sec_bus;

    pci_bridge_init_masks(d);
    pci_bridge_init_windows(br, parent);
    pci_bus_init(sec, parent->owner, &br->sec_mem, &br->sec_io, parent->dma_as);
    sec->name = d->obj.name;
    sec->express = sec_express;
    sec->parent_dev = d;
    /* QEMU lists the newest child first; lookups by number follow it. */
    sec->sibling = parent->child;
    parent->child = sec;
    d->config_write = pci_bridge_write_config;
}

/* ---------------------------------------------------------------------- */
/* PCI Express capability                                                  */

uint8_t pcie_add_capability(PCIDevice *d, uint8_t type, uint8_t offset,
                            uint8_t port, char **errp)
{
    if (!d->ext) {
        emu_bug("%s: a PCIe capability on a conventional function",
                object_type_name(&d->obj));
    }
    uint8_t pos = pci_add_capability(d, PCI_CAP_ID_EXP, offset,
                                     PCI_EXP_VER2_SIZEOF, errp);
    if (!pos) {
        return 0;
    }
    uint8_t *cap = d->config + pos;
    d->exp_cap = pos;
    pci_set_word(cap + PCI_EXP_FLAGS,
                 (type << PCI_EXP_FLAGS_TYPE_SHIFT) | PCI_EXP_FLAGS_VERS2);
    pci_set_long(cap + PCI_EXP_DEVCAP, PCI_EXP_DEVCAP_RBER);
    pci_set_long(cap + PCI_EXP_LNKCAP, (uint32_t)port << PCI_EXP_LNKCAP_PN_SHIFT |
                 PCI_EXP_LNKCAP_ASPMS_0S | PCI_EXP_LNK_X1 | PCI_EXP_LNK_2_5GT);
    pci_set_word(cap + PCI_EXP_LNKSTA, PCI_EXP_LNK_X1 | PCI_EXP_LNK_2_5GT);
    pci_set_long(cap + PCI_EXP_DEVCAP2,
                 PCI_EXP_DEVCAP2_EFF | PCI_EXP_DEVCAP2_EETLPP);
    pci_set_word(d->wmask + pos + PCI_EXP_DEVCTL2, PCI_EXP_DEVCTL2_EETLPPB);
    /* QEMU's x-pcie-extcap-init: a read-only null header at 0x100. */
    memset(d->ext->wmask, 0, 4);
    return pos;
}

/* Header: id in 15:0, version in 19:16, next in 31:20 (PCIe 4.0, 7.6.3).
 * New ones go after the last of the list, which starts at 0x100. */
void pcie_add_ext_capability(PCIDevice *d, uint16_t cap_id, uint8_t ver,
                             uint16_t offset, uint16_t size)
{
    if (!d->ext || offset < PCI_CONFIG_SPACE_SIZE || (offset & 3) ||
        offset + size > PCIE_CONFIG_SPACE_SIZE) {
        emu_bug("%s: extended capability 0x%x at 0x%x",
                object_type_name(&d->obj), cap_id, offset);
    }
    uint8_t *ext = d->ext->config;
    uint32_t header = cap_id | (uint32_t)(ver & 0xf) << 16;
    if (offset != PCI_CONFIG_SPACE_SIZE) {
        unsigned pos = PCI_CONFIG_SPACE_SIZE;
        for (unsigned i = 0; i < PCIE_EXT_SPACE_SIZE / 4; i++) {
            uint32_t h = pci_get_long(ext + pos - PCI_CONFIG_SPACE_SIZE);
            unsigned next = h >> 20;
            if (next < PCI_CONFIG_SPACE_SIZE) {
                pci_set_long(ext + pos - PCI_CONFIG_SPACE_SIZE,
                             h | (uint32_t)offset << 20);
                break;
            }
            pos = next;
        }
    }
    pci_set_long(ext + offset - PCI_CONFIG_SPACE_SIZE, header);
    memset(d->ext->wmask + offset - PCI_CONFIG_SPACE_SIZE, 0, size);
}

/* SPDX-License-Identifier: MIT */
/*
 * PCI core: configuration space with write masks, BAR sizing and mapping,
 * capability lists, INTx as a wire-OR per bus IRQ, and configuration
 * mechanism #1 decoding (PCI Local Bus Specification 3.0, sections 3.2.2.3.2,
 * 6.1, 6.2.5 and 6.7). Masks and reset behaviour follow QEMU 7.2; see pci.h.
 */
#include "emu/pci.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "emu/dma.h"
#include "emu/log.h"
#include "emu/msi.h"

/* Command bits software may write, as QEMU 7.2 gives a type-0 function. */
#define PCI_COMMAND_WMASK (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | \
                           PCI_COMMAND_MASTER | PCI_COMMAND_SERR | \
                           PCI_COMMAND_INTX_DISABLE)

/* Mechanism #1 CONFIG_ADDRESS fields (PCI 3.0 section 3.2.2.3.2). */
#define PCI_CF8_ENABLE   0x80000000u
#define PCI_CF8_BUS(a)   (((a) >> 16) & 0xff)
#define PCI_CF8_DEVFN(a) (((a) >> 8) & 0xff)
#define PCI_CF8_REG(a)   ((a) & 0xff)

/* QEMU's default subsystem IDs (Red Hat / Qumranet, QEMU). */
#define PCI_DEFAULT_SUBVENDOR 0x1af4
#define PCI_DEFAULT_SUBDEVICE 0x1100

/* Limits */
#define PCI_CAP_WALK_MAX ((PCI_CONFIG_SPACE_SIZE - PCI_CONFIG_HEADER_SIZE) / 4)
#define PCI_IO_SPACE_SIZE 0x10000u
#define PCI_IO_BAR_MIN 4u
#define PCI_MEM_BAR_MIN 16u

const TypeInfo pci_device_type = {
    .name = "pci-device",
    .parent = "device",
    .desc = "a function on the PCI bus (abstract)",
};

static void pci_set_error(char **errp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void pci_set_error(char **errp, const char *fmt, ...)
{
    va_list ap;

    if (!errp) {
        return;
    }
    va_start(ap, fmt);
    *errp = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

static uint32_t pci_ones(unsigned len)
{
    return len >= 4 ? UINT32_MAX : (1u << (len * 8)) - 1;
}

/* Does [addr, addr + len) touch [start, start + size)? */
static bool pci_ranges_overlap(uint32_t addr, unsigned len, uint32_t start,
                               uint32_t size)
{
    return addr < start + size && start < addr + len;
}

static unsigned pci_bar_reg(int bar)
{
    return PCI_BASE_ADDRESS_0 + 4 * bar;
}

static bool pci_bar_is_64(const PCIBAR *b)
{
    return !(b->type & PCI_BASE_ADDRESS_SPACE_IO) &&
           (b->type & PCI_BASE_ADDRESS_MEM_TYPE_64);
}

/* ---------------------------------------------------------------------- */
/* Bus and registration                                                    */

void pci_bus_init(PCIBus *bus, Object *owner, MemoryRegion *mem, MemoryRegion *io,
                  AddressSpace *dma_as)
{
    memset(bus, 0, sizeof(*bus));
    bus->owner = owner;
    bus->name = "pci.0";
    bus->devices = g_new0(PCIDevice *, 256);
    bus->mem = mem;
    bus->io = io;
    bus->dma_as = dma_as;
}

void pci_bus_set_irqs(PCIBus *bus, PCIMapIRQ map_irq, PCISetIRQ set_irq,
                      void *opaque, Object *irq_owner)
{
    bus->irq_owner = irq_owner;
    bus->map_irq = map_irq;
    bus->set_irq = set_irq;
    bus->irq_opaque = opaque;
}

void pci_device_init(PCIDevice *d)
{
    d->devfn = -1;
    d->irq_counted = -1;
    for (int i = 0; i < PCI_NUM_BARS; i++) {
        d->bars[i].addr = PCI_BAR_UNMAPPED;
    }
}

/* The masks QEMU 7.2 gives a type-0 header; 0x40-0xff all writable. */
static void pci_init_masks(PCIDevice *d)
{
    memset(d->wmask, 0, sizeof(d->wmask));
    memset(d->w1cmask, 0, sizeof(d->w1cmask));
    memset(d->used, 0, sizeof(d->used));
    pci_set_word(d->wmask + PCI_COMMAND, PCI_COMMAND_WMASK);
    d->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    d->wmask[PCI_INTERRUPT_LINE] = 0xff;
    memset(d->wmask + PCI_CONFIG_HEADER_SIZE, 0xff,
           PCI_CONFIG_SPACE_SIZE - PCI_CONFIG_HEADER_SIZE);
    pci_set_word(d->w1cmask + PCI_STATUS, PCI_STATUS_W1C_BITS);
}

/* Depth-first over the bus tree; every bus is a bridge's, so the walk is
 * as long as the machine's list of devices (set-up sized, not guest's). */
PCIBus *pci_bus_find(PCIBus *root, const char *name)
{
    if (!root) {
        return NULL;
    }
    if (root->name && strcmp(root->name, name) == 0) {
        return root;
    }
    for (PCIBus *c = root->child; c; c = c->sibling) {
        PCIBus *found = pci_bus_find(c, name);
        if (found) {
            return found;
        }
    }
    return NULL;
}

/* Whether bridge br forwards cycles for bus nr (PCI-to-PCI Bridge 1.2,
 * 3.2.5.3-5): not while it holds its secondary bus in reset. */
static bool pci_bridge_forwards(const PCIDevice *br, unsigned nr)
{
    if (pci_get_word(br->config + PCI_BRIDGE_CONTROL) & PCI_BRIDGE_CTL_BUS_RESET) {
        return false;
    }
    return br->config[PCI_SECONDARY_BUS] <= nr &&
           nr <= br->config[PCI_SUBORDINATE_BUS];
}

/* As QEMU 7.2's pci_find_bus_nr: a secondary bus answers to its number
 * before a sibling's range is looked at; the depth is the tree's. */
PCIBus *pci_bus_by_number(PCIBus *root, unsigned nr)
{
    PCIBus *bus = root;

    if (nr == 0) {
        return root;
    }
    for (unsigned depth = 0; bus && depth < 256; depth++) {
        PCIBus *next = NULL;
        for (PCIBus *c = bus->child; c; c = c->sibling) {
            if (c->parent_dev->config[PCI_SECONDARY_BUS] == nr) {
                return c;
            }
            if (pci_bridge_forwards(c->parent_dev, nr)) {
                next = c;
                break;
            }
        }
        bus = next;
    }
    return NULL;
}

static int pci_bus_free_slot(const PCIBus *bus)
{
    for (int devfn = 0; devfn < 256; devfn += 8) {
        if (!bus->devices[devfn]) {
            return devfn;
        }
    }
    return -1;
}

bool pci_device_register(PCIBus *bus, PCIDevice *d, char **errp)
{
    const char *name = object_type_name(&d->obj);
    int devfn = d->devfn;

    if (devfn < 0) {
        devfn = pci_bus_free_slot(bus);
        if (devfn < 0) {
            pci_set_error(errp, "PCI: no slot/function available for %s, "
                          "all in use", name);
            return false;
        }
    } else if (devfn > 255) {
        pci_set_error(errp, "PCI: devfn 0x%x out of range for %s", devfn, name);
        return false;
    } else if (bus->devices[devfn]) {
        pci_set_error(errp, "PCI: slot %d function %d not available for %s, "
                      "in use by %s", PCI_SLOT(devfn), PCI_FUNC(devfn), name,
                      object_type_name(&bus->devices[devfn]->obj));
        return false;
    }
    d->devfn = devfn;
    d->bus = bus;
    bus->devices[devfn] = d;
    pci_init_masks(d);
    pci_set_word(d->config + PCI_SUBSYSTEM_VENDOR_ID, PCI_DEFAULT_SUBVENDOR);
    pci_set_word(d->config + PCI_SUBSYSTEM_ID, PCI_DEFAULT_SUBDEVICE);
    return true;
}

void pci_register_bar(PCIDevice *d, int bar, uint8_t type, MemoryRegion *mr)
{
    bool is_io = type & PCI_BASE_ADDRESS_SPACE_IO;
    bool is_64 = !is_io && (type & PCI_BASE_ADDRESS_MEM_TYPE_64);
    uint64_t size = mr->size;
    unsigned reg = pci_bar_reg(bar);

    if (bar < 0 || bar + (is_64 ? 1 : 0) >= PCI_NUM_BARS) {
        emu_bug("%s: BAR %d out of range", object_type_name(&d->obj), bar);
    }
    if (size & (size - 1) || size < (is_io ? PCI_IO_BAR_MIN : PCI_MEM_BAR_MIN) ||
        (!is_64 && size > UINT32_MAX / 2 + 1)) {
        emu_bug("%s: BAR %d size 0x%" PRIx64 " invalid",
                object_type_name(&d->obj), bar, size);
    }
    if (d->bars[bar].size || (is_64 && d->bars[bar + 1].size) ||
        (bar > 0 && pci_bar_is_64(&d->bars[bar - 1]))) {
        emu_bug("%s: BAR %d registered twice", object_type_name(&d->obj), bar);
    }
    d->bars[bar] = (PCIBAR){ .size = size, .type = type, .mr = mr,
                             .addr = PCI_BAR_UNMAPPED };
    /* The address bits below the size and the type bits are read-only. */
    uint64_t wmask = ~(size - 1) & ~(uint64_t)(is_io ? 0x3 : 0xf);
    pci_set_long(d->wmask + reg, (uint32_t)wmask);
    pci_set_long(d->config + reg, type);
    if (is_64) {
        pci_set_long(d->wmask + reg + 4, (uint32_t)(wmask >> 32));
        pci_set_long(d->config + reg + 4, 0);
    }
}

static void pci_set_ids(PCIDevice *d, const PCIDeviceInfo *info)
{
    uint8_t *c = d->config;

    pci_set_word(c + PCI_VENDOR_ID, info->vendor_id);
    pci_set_word(c + PCI_DEVICE_ID, info->device_id);
    c[PCI_REVISION_ID] = info->revision;
    c[PCI_CLASS_PROG] = info->prog_if;
    pci_set_word(c + PCI_CLASS_DEVICE, info->class_id);
    if (info->subsystem_vendor_id) {
        pci_set_word(c + PCI_SUBSYSTEM_VENDOR_ID, info->subsystem_vendor_id);
    }
    if (info->subsystem_id) {
        pci_set_word(c + PCI_SUBSYSTEM_ID, info->subsystem_id);
    }
    c[PCI_HEADER_TYPE] = info->header_type |
                         (d->multifunction ? PCI_HEADER_TYPE_MULTI_FUNCTION : 0);
    pci_set_word(c + PCI_STATUS, pci_get_word(c + PCI_STATUS) | info->status);
    c[PCI_INTERRUPT_PIN] = info->interrupt_pin;
}

/* 0x100-0xfff: all writable as QEMU's wmask for PCIe, in the snapshot. */
static void pci_init_express(PCIDevice *d)
{
    d->ext = g_new0(PCIExpressSpace, 1);
    memset(d->ext->wmask, 0xff, PCIE_EXT_SPACE_SIZE);
    object_add_state(&d->obj, "pcie-config", d->ext->config,
                     PCIE_EXT_SPACE_SIZE, NULL);
}

bool pci_realize_common(PCIDevice *d, PCIBus *bus, const PCIDeviceInfo *info,
                        const PCIBARInfo *bars, char **errp)
{
    if (!bus) {
        pci_set_error(errp, "%s: the machine has no PCI bus",
                      object_type_name(&d->obj));
        return false;
    }
    if (d->bus_name) {
        PCIBus *named = pci_bus_find(bus, d->bus_name);
        if (!named) {
            pci_set_error(errp, "%s: Bus '%s' not found",
                          object_type_name(&d->obj), d->bus_name);
            return false;
        }
        bus = named;
    }
    if (info->interrupt_pin > PCI_NUM_PINS) {
        emu_bug("%s: interrupt pin %u", object_type_name(&d->obj),
                info->interrupt_pin);
    }
    if (!pci_device_register(bus, d, errp)) {
        return false;
    }
    pci_set_ids(d, info);
    if (info->express && !d->ext) {
        pci_init_express(d);
    }
    for (unsigned i = 0; bars && bars[i].mr && i < PCI_NUM_BARS; i++) {
        pci_register_bar(d, bars[i].bar, bars[i].type, bars[i].mr);
    }
    return true;
}

/* ---------------------------------------------------------------------- */
/* BAR mapping                                                             */

static uint64_t pci_bar_raw(const PCIDevice *d, int bar)
{
    unsigned reg = pci_bar_reg(bar);
    uint64_t v = pci_get_long(d->config + reg);

    if (pci_bar_is_64(&d->bars[bar])) {
        v |= (uint64_t)pci_get_long(d->config + reg + 4) << 32;
    }
    return v;
}

/*
 * Where BAR `bar` decodes now, or PCI_BAR_UNMAPPED: decoding must be on in
 * the command register, and as QEMU 7.2 an address of 0, a range that wraps
 * or reaches the top of its space (what BAR sizing leaves) is not mapped.
 */
static uint64_t pci_bar_address(const PCIDevice *d, int bar)
{
    const PCIBAR *b = &d->bars[bar];
    uint16_t cmd = pci_get_word(d->config + PCI_COMMAND);
    bool is_io = b->type & PCI_BASE_ADDRESS_SPACE_IO;
    uint64_t limit;

    if (is_io) {
        if (!(cmd & PCI_COMMAND_IO)) {
            return PCI_BAR_UNMAPPED;
        }
        limit = PCI_IO_SPACE_SIZE - 1;
    } else {
        if (!(cmd & PCI_COMMAND_MEMORY)) {
            return PCI_BAR_UNMAPPED;
        }
        limit = pci_bar_is_64(b) ? UINT64_MAX - 1 : UINT32_MAX - 1;
    }
    uint64_t addr = pci_bar_raw(d, bar) & ~(b->size - 1);
    if (addr == 0 || addr > limit || b->size - 1 > limit - addr) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

static MemoryRegion *pci_bar_container(const PCIDevice *d, int bar)
{
    if (!d->bus) {
        return NULL;
    }
    return (d->bars[bar].type & PCI_BASE_ADDRESS_SPACE_IO) ? d->bus->io
                                                          : d->bus->mem;
}

static void pci_update_mappings(PCIDevice *d)
{
    for (int i = 0; i < PCI_NUM_BARS; i++) {
        PCIBAR *b = &d->bars[i];
        MemoryRegion *container = pci_bar_container(d, i);
        if (!b->size || !container) {
            continue;
        }
        uint64_t addr = pci_bar_address(d, i);
        if (addr == b->addr) {
            continue;
        }
        if (b->addr != PCI_BAR_UNMAPPED) {
            mr_del_subregion(container, b->mr);
        }
        if (addr != PCI_BAR_UNMAPPED) {
            mr_add_subregion_overlap(container, addr, b->mr, 1);
        }
        b->addr = addr;
    }
}

/* ---------------------------------------------------------------------- */
/* INTx                                                                    */

static bool pci_intx_disabled(const PCIDevice *d)
{
    return pci_get_word(d->config + PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE;
}

/* The standard swizzle of a bridge's secondary bus (PCI-to-PCI Bridge
 * 1.2, 9.1): INTx of slot s arrives as INT((x + s) mod 4) of the bridge. */
static int pci_swizzle(PCIDevice *d, int pin)
{
    return (pin + PCI_SLOT(d->devfn)) % PCI_NUM_PINS;
}

/* The root bus a function's INTx reaches: *top is the function on it and
 * *pin its pin there, swizzled through the bridges (as QEMU 7.2). */
static PCIBus *pci_intx_root(PCIDevice *d, PCIDevice **top, int *pin)
{
    PCIBus *bus = d->bus;

    *pin = d->config[PCI_INTERRUPT_PIN] - 1;
    for (unsigned depth = 0; bus && bus->parent_dev && depth < 256; depth++) {
        *pin = pci_swizzle(d, *pin);
        d = bus->parent_dev;
        bus = d->bus;
    }
    *top = d;
    if (!bus || bus->parent_dev || !bus->map_irq || !bus->set_irq) {
        return NULL;
    }
    return bus;
}

/* The bus IRQ the function's INTx maps to on its root bus now, or -1. */
static int pci_intx_route(PCIDevice *d, PCIBus **root)
{
    PCIDevice *top;
    int pin;

    *root = pci_intx_root(d, &top, &pin);
    if (!*root) {
        return -1;
    }
    int n = (*root)->map_irq(top, pin);
    if (n < 0 || n >= PCI_BUS_MAX_IRQS) {
        emu_bug("PCI map_irq gave bus IRQ %d", n);
    }
    return n;
}

static void pci_bus_count_irq(PCIBus *bus, int n, int delta)
{
    object_touch(bus->owner);
    object_touch(bus->irq_owner);
    bus->irq_count[n] += delta;
    if (bus->irq_count[n] < 0) {
        emu_bug("PCI bus IRQ %d count went negative", n);
    }
    bus->set_irq(bus->irq_opaque, n, bus->irq_count[n] != 0);
}

/* A level raised (+1) is counted on the bus IRQ its route gives now, and
 * lowered (-1) from the one it was counted on: the route may have changed
 * in between (ICH9's DnIR registers are the guest's). */
static void pci_change_irq_level(PCIDevice *d, int delta)
{
    PCIBus *root;
    int n;

    if (delta < 0) {
        PCIDevice *top;
        int pin;
        root = pci_intx_root(d, &top, &pin);
        n = d->irq_counted;
        d->irq_counted = -1;
    } else {
        n = pci_intx_route(d, &root);
        d->irq_counted = n;
    }
    if (root && n >= 0) {
        pci_bus_count_irq(root, n, delta);
    }
}

static void pci_bus_reroute(PCIBus *bus, unsigned depth)
{
    for (unsigned devfn = 0; devfn < 256; devfn++) {
        PCIDevice *d = bus->devices[devfn];
        PCIBus *root;
        if (!d || d->irq_counted < 0) {
            continue;
        }
        int n = pci_intx_route(d, &root);
        if (n != d->irq_counted && n >= 0) {
            object_touch(&d->obj);
            pci_bus_count_irq(root, d->irq_counted, -1);
            d->irq_counted = n;
            pci_bus_count_irq(root, n, 1);
        }
    }
    for (PCIBus *c = bus->child; c && depth < 256; c = c->sibling) {
        pci_bus_reroute(c, depth + 1);
    }
}

void pci_bus_intx_rerouted(PCIBus *root)
{
    pci_bus_reroute(root, 0);
}

void pci_set_irq(PCIDevice *d, int level)
{
    uint8_t pin = d->config[PCI_INTERRUPT_PIN];

    if (pin < 1 || pin > PCI_NUM_PINS) {
        emu_bug("%s: pci_set_irq without an interrupt pin",
                object_type_name(&d->obj));
    }
    level = level != 0;
    if (level == d->irq_state) {
        return;
    }
    object_touch(&d->obj);
    d->irq_state = level;
    if (level) {
        d->config[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
    } else {
        d->config[PCI_STATUS] &= ~PCI_STATUS_INTERRUPT;
    }
    if (!pci_intx_disabled(d)) {
        pci_change_irq_level(d, level ? 1 : -1);
    }
}

/* After a command write: a pin held high follows INTX_DISABLE. */
static void pci_update_intx_disable(PCIDevice *d, bool was_disabled)
{
    bool disabled = pci_intx_disabled(d);

    if (disabled != was_disabled && d->irq_state) {
        pci_change_irq_level(d, disabled ? -1 : 1);
    }
}

/* ---------------------------------------------------------------------- */
/* Config space access                                                     */

/* Cuts [addr, addr + len) at limit; 0 if outside. */
static unsigned pci_config_len(uint32_t addr, unsigned len, unsigned limit)
{
    if (len == 0 || len > 4) {
        emu_bug("PCI config access of %u bytes", len);
    }
    if (addr >= limit) {
        return 0;
    }
    return MIN(len, limit - addr);
}

uint32_t pci_default_read_config(PCIDevice *d, uint32_t addr, unsigned len)
{
    uint32_t val = 0;

    len = pci_config_len(addr, len, pci_config_size(d));
    for (unsigned i = 0; i < len; i++) {
        val |= (uint32_t)*pci_config_ptr(d, addr + i) << (8 * i);
    }
    return val;
}

/* One byte through the write and write-1-to-clear masks. */
static void pci_write_config_byte(PCIDevice *d, unsigned off, uint8_t byte)
{
    uint8_t *c = pci_config_ptr(d, off);
    uint8_t wm, w1c;

    if (off < PCI_CONFIG_SPACE_SIZE) {
        wm = d->wmask[off];
        w1c = d->w1cmask[off];
    } else {
        wm = d->ext->wmask[off - PCI_CONFIG_SPACE_SIZE];
        w1c = d->ext->w1cmask[off - PCI_CONFIG_SPACE_SIZE];
    }
    *c = (*c & ~wm) | (byte & wm);
    *c &= ~(byte & w1c);
}

void pci_default_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                              unsigned len)
{
    bool was_disabled = pci_intx_disabled(d);

    len = pci_config_len(addr, len, pci_config_size(d));
    for (unsigned i = 0; i < len; i++) {
        pci_write_config_byte(d, addr + i, val >> (8 * i));
    }
    bool cmd = pci_ranges_overlap(addr, len, PCI_COMMAND, 2);
    if (cmd || pci_ranges_overlap(addr, len, PCI_BASE_ADDRESS_0,
                                  4 * PCI_NUM_BARS)) {
        pci_update_mappings(d);
    }
    /* Either command byte counts (QEMU 7.2 only looks at the low one). */
    if (cmd) {
        pci_update_intx_disable(d, was_disabled);
    }
    msi_write_config(d, addr, len);
    msix_write_config(d, addr, len);
}

/* The access as QEMU's pci_host_config_read_common, limit included. */
static uint32_t pci_config_read_limit(PCIDevice *d, uint32_t addr,
                                      unsigned len, unsigned limit)
{
    unsigned n = pci_config_len(addr, len, limit);

    if (n == 0) {
        return pci_ones(len);
    }
    if (!object_enter(&d->obj, "config read")) {
        return pci_ones(len);
    }
    uint32_t val = d->config_read ? d->config_read(d, addr, n)
                                  : pci_default_read_config(d, addr, n);
    object_leave(&d->obj);
    return val;
}

static void pci_config_write_limit(PCIDevice *d, uint32_t addr, uint32_t val,
                                   unsigned len, unsigned limit)
{
    unsigned n = pci_config_len(addr, len, limit);

    if (n == 0) {
        return;
    }
    val &= pci_ones(n);
    if (!object_enter(&d->obj, "config write")) {
        return;
    }
    if (d->config_write) {
        d->config_write(d, addr, val, n);
    } else {
        pci_default_write_config(d, addr, val, n);
    }
    object_leave(&d->obj);
}

uint32_t pci_config_read(PCIDevice *d, uint32_t addr, unsigned len)
{
    return pci_config_read_limit(d, addr, len, pci_config_size(d));
}

void pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len)
{
    pci_config_write_limit(d, addr, val, len, pci_config_size(d));
}

static PCIDevice *pci_find_device(PCIBus *root, unsigned bus_nr, unsigned devfn)
{
    PCIBus *bus = pci_bus_by_number(root, bus_nr);

    return bus ? bus->devices[devfn] : NULL;
}

static PCIDevice *pci_host_find(PCIBus *bus, uint32_t cf8)
{
    if (!(cf8 & PCI_CF8_ENABLE)) {
        return NULL;
    }
    return pci_find_device(bus, PCI_CF8_BUS(cf8), PCI_CF8_DEVFN(cf8));
}

/* The register is the whole low byte: QEMU does not clear bits 1:0. */
uint32_t pci_host_config_read(PCIBus *bus, uint32_t cf8, unsigned len)
{
    PCIDevice *d = pci_host_find(bus, cf8);

    if (!d) {
        return pci_ones(len);
    }
    return pci_config_read_limit(d, PCI_CF8_REG(cf8), len,
                                 PCI_CONFIG_SPACE_SIZE);
}

void pci_host_config_write(PCIBus *bus, uint32_t cf8, uint32_t val, unsigned len)
{
    PCIDevice *d = pci_host_find(bus, cf8);

    if (d) {
        pci_config_write_limit(d, PCI_CF8_REG(cf8), val, len,
                               PCI_CONFIG_SPACE_SIZE);
    }
}

/* ECAM field decode (PCIe Base 4.0 section 7.2.2, table 7-1). */
#define PCIE_ECAM_BUS(off)   (((off) >> 20) & 0xff)
#define PCIE_ECAM_DEVFN(off) (((off) >> 12) & 0xff)
#define PCIE_ECAM_REG(off)   ((off) & 0xfff)

/* What an ECAM access may reach of d: its config space, but only the
 * first 256 bytes on a conventional bus (QEMU's pci_adjust_config_limit). */
static unsigned pci_ecam_limit(const PCIDevice *d)
{
    unsigned limit = pci_config_size(d);

    return d->bus->express ? limit : MIN(limit, PCI_CONFIG_SPACE_SIZE);
}

/* Absent, or past the limit: all ones, whatever the width (QEMU's ~0). */
uint32_t pci_ecam_read(PCIBus *root, uint32_t off, unsigned len)
{
    PCIDevice *d = pci_find_device(root, PCIE_ECAM_BUS(off), PCIE_ECAM_DEVFN(off));
    unsigned reg = PCIE_ECAM_REG(off);

    if (!d || reg >= pci_ecam_limit(d)) {
        return pci_ones(len);
    }
    return pci_config_read_limit(d, reg, len, pci_ecam_limit(d));
}

void pci_ecam_write(PCIBus *root, uint32_t off, uint32_t val, unsigned len)
{
    PCIDevice *d = pci_find_device(root, PCIE_ECAM_BUS(off), PCIE_ECAM_DEVFN(off));

    if (d) {
        pci_config_write_limit(d, PCIE_ECAM_REG(off), val, len,
                               pci_ecam_limit(d));
    }
}

/* ---------------------------------------------------------------------- */
/* Reset                                                                   */

/* As QEMU 7.2's PCI reset: writable and W1C header bits cleared. */
void pci_device_reset(PCIDevice *d)
{
    if (d->irq_state) {
        pci_set_irq(d, 0);
    }
    uint16_t cmd_clear = pci_get_word(d->wmask + PCI_COMMAND) |
                         pci_get_word(d->w1cmask + PCI_COMMAND);
    uint16_t sts_clear = pci_get_word(d->wmask + PCI_STATUS) |
                         pci_get_word(d->w1cmask + PCI_STATUS);
    pci_set_word(d->config + PCI_COMMAND,
                 pci_get_word(d->config + PCI_COMMAND) & ~cmd_clear);
    pci_set_word(d->config + PCI_STATUS,
                 pci_get_word(d->config + PCI_STATUS) & ~sts_clear);
    d->config[PCI_INTERRUPT_LINE] &= ~(d->wmask[PCI_INTERRUPT_LINE] |
                                       d->w1cmask[PCI_INTERRUPT_LINE]);
    d->config[PCI_CACHE_LINE_SIZE] = 0;
    for (int i = 0; i < PCI_NUM_BARS; i++) {
        const PCIBAR *b = &d->bars[i];
        if (b->size) {
            pci_set_long(d->config + pci_bar_reg(i), b->type);
            if (pci_bar_is_64(b)) {
                pci_set_long(d->config + pci_bar_reg(i) + 4, 0);
            }
        }
    }
    pci_update_mappings(d);
    msi_reset(d);
    msix_reset(d);
}

/* ---------------------------------------------------------------------- */
/* Capabilities                                                            */

static bool pci_space_free(const PCIDevice *d, unsigned off, unsigned size)
{
    for (unsigned i = off; i < off + size; i++) {
        if (d->used[i]) {
            return false;
        }
    }
    return true;
}

static unsigned pci_find_space(const PCIDevice *d, unsigned size)
{
    for (unsigned off = PCI_CONFIG_HEADER_SIZE;
         off + size <= PCI_CONFIG_SPACE_SIZE; off += 4) {
        if (pci_space_free(d, off, size)) {
            return off;
        }
    }
    return 0;
}

uint8_t pci_add_capability(PCIDevice *d, uint8_t cap_id, uint8_t offset,
                           uint8_t size, char **errp)
{
    const char *name = object_type_name(&d->obj);
    unsigned off = offset;

    if (size < 2) {
        pci_set_error(errp, "%s: capability 0x%x of %u bytes is too small",
                      name, cap_id, size);
        return 0;
    }
    if (off == 0) {
        off = pci_find_space(d, size);
        if (off == 0) {
            pci_set_error(errp, "%s: no room for capability 0x%x (%u bytes)",
                          name, cap_id, size);
            return 0;
        }
    } else if (off < PCI_CONFIG_HEADER_SIZE || (off & 3) ||
               off + size > PCI_CONFIG_SPACE_SIZE ||
               !pci_space_free(d, off, size)) {
        pci_set_error(errp, "%s: capability 0x%x cannot go at 0x%x "
                      "(%u bytes): outside the device area or overlapping",
                      name, cap_id, off, size);
        return 0;
    }
    d->config[off] = cap_id;
    d->config[off + 1] = d->config[PCI_CAPABILITY_LIST];
    d->config[PCI_CAPABILITY_LIST] = off;
    d->config[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
    /* Claimed and read-only by default; the device opens what it needs. */
    memset(d->used + off, 0xff, size);
    memset(d->wmask + off, 0, size);
    memset(d->w1cmask + off, 0, size);
    return off;
}

uint8_t pci_find_capability(const PCIDevice *d, uint8_t cap_id)
{
    if (!(d->config[PCI_STATUS] & PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    unsigned ptr = d->config[PCI_CAPABILITY_LIST] & ~3u;
    for (unsigned i = 0; i < PCI_CAP_WALK_MAX && ptr >= PCI_CONFIG_HEADER_SIZE;
         i++) {
        if (d->config[ptr] == cap_id) {
            return ptr;
        }
        ptr = d->config[ptr + 1] & ~3u;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Bus-master DMA                                                          */

static AddressSpace *pci_dma_as(PCIDevice *d)
{
    if (!d->bus || !d->bus->dma_as) {
        emu_bug("%s: DMA without a bus", object_type_name(&d->obj));
    }
    /* A bridge forwards its secondary bus's cycles upstream only while its
     * own bus master bit is set (PCI-to-PCI Bridge 1.2, 3.2.5.1). */
    const PCIDevice *m = d;
    for (unsigned depth = 0; m && depth < 256; depth++) {
        if (!(pci_get_word(m->config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
            guest_error("pci %02x.%x (%s): DMA while bus mastering is off%s",
                        PCI_SLOT(d->devfn), PCI_FUNC(d->devfn),
                        object_type_name(&d->obj),
                        m == d ? "" : " on a bridge in front of it");
            return NULL;
        }
        m = m->bus ? m->bus->parent_dev : NULL;
    }
    return d->bus->dma_as;
}

MemTxResult pci_dma_read(PCIDevice *d, uint64_t addr, void *buf, uint64_t len)
{
    AddressSpace *as = pci_dma_as(d);

    if (!as) {
        memset(buf, 0, len);
        return MEMTX_DECODE_ERROR;
    }
    return dma_read(as, addr, buf, len);
}

MemTxResult pci_dma_write(PCIDevice *d, uint64_t addr, const void *buf,
                          uint64_t len)
{
    AddressSpace *as = pci_dma_as(d);

    if (!as) {
        return MEMTX_DECODE_ERROR;
    }
    return dma_write(as, addr, buf, len);
}

static MemTxResult pci_sg_dma(void *opaque, uint64_t addr, void *buf,
                              uint64_t len, bool is_write)
{
    PCIDevice *d = opaque;

    return is_write ? pci_dma_write(d, addr, buf, len)
                    : pci_dma_read(d, addr, buf, len);
}

size_t pci_sg_read(PCIDevice *d, const SGList *sg, uint64_t off, void *buf,
                   size_t len)
{
    return sg_copy(sg, off, buf, len, false, pci_sg_dma, d);
}

size_t pci_sg_write(PCIDevice *d, const SGList *sg, uint64_t off,
                    const void *buf, size_t len)
{
    return sg_copy(sg, off, (void *)buf, len, true, pci_sg_dma, d);
}

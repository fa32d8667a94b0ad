/* SPDX-License-Identifier: MIT */
/*
 * MSI and MSI-X for PCI functions (PCI Local Bus 3.0 sections 6.8.1-6.8.3),
 * after QEMU 7.2's hw/pci/msi.c and msix.c; see msi.h.
 */
#include "emu/msi.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "emu/log.h"

/* The high byte of MSI-X Message Control: what the driver writes. */
#define MSIX_CONTROL_HI    (PCI_MSIX_FLAGS + 1)
#define  MSIX_ENABLE_HI    (PCI_MSIX_FLAGS_ENABLE >> 8)
#define  MSIX_MASKALL_HI   (PCI_MSIX_FLAGS_MASKALL >> 8)
#define MSIX_EXCLUSIVE_BAR_SIZE 4096u

static void msi_set_error(char **errp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void msi_set_error(char **errp, const char *fmt, ...)
{
    va_list ap;

    if (!errp) {
        return;
    }
    va_start(ap, fmt);
    *errp = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

static bool msi_ranges_overlap(uint32_t addr, unsigned len, uint32_t start,
                               unsigned size)
{
    return addr < start + size && start < addr + len;
}

/* The message: 4 bytes of data, little-endian, to addr by bus mastering. */
static void msi_send_message(PCIDevice *d, uint64_t addr, uint32_t data)
{
    uint8_t buf[4];

    st_le32(buf, data);
    pci_dma_write(d, addr, buf, sizeof(buf));
}

/* ---------------------------------------------------------------------- */
/* MSI: the layout follows from the read-only bits of Message Control      */

static uint16_t msi_flags(const PCIDevice *d)
{
    return pci_get_word(d->config + d->msi_cap + PCI_MSI_FLAGS);
}

static bool msi_is_64(uint16_t flags)
{
    return flags & PCI_MSI_FLAGS_64BIT;
}

static unsigned msi_data_off(const PCIDevice *d, uint16_t flags)
{
    return d->msi_cap + (msi_is_64(flags) ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32);
}

static unsigned msi_mask_off(const PCIDevice *d, uint16_t flags)
{
    return d->msi_cap + (msi_is_64(flags) ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);
}

static unsigned msi_pending_off(const PCIDevice *d, uint16_t flags)
{
    return d->msi_cap + (msi_is_64(flags) ? PCI_MSI_PENDING_64 : PCI_MSI_PENDING_32);
}

/* QEMU's msi_cap_sizeof. */
static unsigned msi_cap_size(uint16_t flags)
{
    unsigned size = msi_is_64(flags) ? 0x0e : 0x0a;

    return (flags & PCI_MSI_FLAGS_MASKBIT) ? size + 0x0a : size;
}

static unsigned msi_log_capable(uint16_t flags)
{
    return (flags & PCI_MSI_FLAGS_QMASK) >> 1;
}

/* Vectors enabled: Multiple Message Enable, at most the capable ones. */
static unsigned msi_nr_enabled(uint16_t flags)
{
    unsigned log = (flags & PCI_MSI_FLAGS_QSIZE) >> 4;

    return 1u << MIN(log, msi_log_capable(flags));
}

static unsigned msi_log2(unsigned n)
{
    return (unsigned)__builtin_ctz(n);
}

bool msi_init(PCIDevice *d, uint8_t offset, unsigned nvectors, bool is_64,
              bool per_vector_mask, char **errp)
{
    if (nvectors == 0 || nvectors > PCI_MSI_VECTORS_MAX ||
        (nvectors & (nvectors - 1))) {
        msi_set_error(errp, "%s: MSI with %u vectors (1, 2, 4, ... 32)",
                      object_type_name(&d->obj), nvectors);
        return false;
    }
    uint16_t flags = (uint16_t)(msi_log2(nvectors) << 1);
    flags |= (is_64 ? PCI_MSI_FLAGS_64BIT : 0) |
             (per_vector_mask ? PCI_MSI_FLAGS_MASKBIT : 0);
    uint8_t cap = pci_add_capability(d, PCI_CAP_ID_MSI, offset,
                                     msi_cap_size(flags), errp);
    if (!cap) {
        return false;
    }
    d->msi_cap = cap;
    pci_set_word(d->config + cap + PCI_MSI_FLAGS, flags);
    pci_set_word(d->wmask + cap + PCI_MSI_FLAGS,
                 PCI_MSI_FLAGS_QSIZE | PCI_MSI_FLAGS_ENABLE);
    pci_set_long(d->wmask + cap + PCI_MSI_ADDRESS_LO, 0xfffffffc);
    if (is_64) {
        pci_set_long(d->wmask + cap + PCI_MSI_ADDRESS_HI, 0xffffffff);
    }
    pci_set_word(d->wmask + msi_data_off(d, flags), 0xffff);
    if (per_vector_mask) {
        pci_set_long(d->wmask + msi_mask_off(d, flags),
                     0xffffffffu >> (PCI_MSI_VECTORS_MAX - nvectors));
    }
    return true;
}

bool msi_enabled(const PCIDevice *d)
{
    return d->msi_cap && (msi_flags(d) & PCI_MSI_FLAGS_ENABLE);
}

static bool msi_vector_masked(const PCIDevice *d, uint16_t flags, unsigned v)
{
    return (flags & PCI_MSI_FLAGS_MASKBIT) &&
           (pci_get_long(d->config + msi_mask_off(d, flags)) & (1u << v));
}

static void msi_set_pending(PCIDevice *d, uint16_t flags, unsigned v, bool on)
{
    uint8_t *p = d->config + msi_pending_off(d, flags);
    uint32_t bits = pci_get_long(p);

    pci_set_long(p, on ? bits | (1u << v) : bits & ~(1u << v));
}

static void msi_send(PCIDevice *d, uint16_t flags, unsigned v)
{
    uint64_t addr = pci_get_long(d->config + d->msi_cap + PCI_MSI_ADDRESS_LO);
    uint32_t data = pci_get_word(d->config + msi_data_off(d, flags));
    unsigned n = msi_nr_enabled(flags);

    if (msi_is_64(flags)) {
        addr |= (uint64_t)pci_get_long(d->config + d->msi_cap +
                                       PCI_MSI_ADDRESS_HI) << 32;
    }
    data = (data & ~(n - 1)) | v;
    msi_send_message(d, addr, data);
}

void msi_notify(PCIDevice *d, unsigned vector)
{
    if (!d->msi_cap) {
        emu_bug("%s: msi_notify without an MSI capability",
                object_type_name(&d->obj));
    }
    uint16_t flags = msi_flags(d);
    if (vector >= (1u << msi_log_capable(flags))) {
        emu_bug("%s: MSI vector %u of %u", object_type_name(&d->obj), vector,
                1u << msi_log_capable(flags));
    }
    if (!(flags & PCI_MSI_FLAGS_ENABLE)) {
        return;
    }
    vector &= msi_nr_enabled(flags) - 1;
    if (msi_vector_masked(d, flags, vector)) {
        msi_set_pending(d, flags, vector, true);
        return;
    }
    msi_send(d, flags, vector);
}

/* Multiple Message Enable above Multiple Message Capable is not legal
 * (section 6.8.1.3); as QEMU, it reads back clamped. */
static uint16_t msi_clamp_enabled(PCIDevice *d, uint16_t flags)
{
    unsigned log = (flags & PCI_MSI_FLAGS_QSIZE) >> 4;

    if (log > msi_log_capable(flags)) {
        flags = (flags & ~PCI_MSI_FLAGS_QSIZE) | (msi_log_capable(flags) << 4);
        pci_set_word(d->config + d->msi_cap + PCI_MSI_FLAGS, flags);
    }
    return flags;
}

/* Pending bits of vectors not enabled are dropped; unmasked pending
 * vectors are sent. */
static void msi_flush_pending(PCIDevice *d, uint16_t flags)
{
    unsigned n = msi_nr_enabled(flags);
    uint32_t pending = pci_get_long(d->config + msi_pending_off(d, flags));

    pending &= 0xffffffffu >> (PCI_MSI_VECTORS_MAX - n);
    pci_set_long(d->config + msi_pending_off(d, flags), pending);
    for (unsigned v = 0; v < n; v++) {
        if ((pending & (1u << v)) && !msi_vector_masked(d, flags, v)) {
            msi_set_pending(d, flags, v, false);
            msi_send(d, flags, v);
        }
    }
}

void msi_write_config(PCIDevice *d, uint32_t addr, unsigned len)
{
    if (!d->msi_cap) {
        return;
    }
    uint16_t flags = msi_flags(d);
    if (!msi_ranges_overlap(addr, len, d->msi_cap, msi_cap_size(flags)) ||
        !(flags & PCI_MSI_FLAGS_ENABLE)) {
        return;
    }
    /* MSI on: INTx is not used (section 6.8.3.3). */
    if (d->irq_state) {
        pci_set_irq(d, 0);
    }
    flags = msi_clamp_enabled(d, flags);
    if (flags & PCI_MSI_FLAGS_MASKBIT) {
        msi_flush_pending(d, flags);
    }
}

void msi_reset(PCIDevice *d)
{
    if (!d->msi_cap) {
        return;
    }
    uint16_t flags = msi_flags(d) & ~(PCI_MSI_FLAGS_QSIZE | PCI_MSI_FLAGS_ENABLE);

    pci_set_word(d->config + d->msi_cap + PCI_MSI_FLAGS, flags);
    memset(d->config + d->msi_cap + PCI_MSI_ADDRESS_LO, 0,
           msi_cap_size(flags) - PCI_MSI_ADDRESS_LO);
}

/* ---------------------------------------------------------------------- */
/* MSI-X                                                                   */

static uint8_t msix_control(const PCIDevice *d)
{
    return d->config[d->msix->cap + MSIX_CONTROL_HI];
}

bool msix_enabled(const PCIDevice *d)
{
    return d->msix && (msix_control(d) & MSIX_ENABLE_HI);
}

static void msix_update_function_masked(PCIDevice *d)
{
    d->msix->function_masked = !msix_enabled(d) ||
                               (msix_control(d) & MSIX_MASKALL_HI);
}

static uint8_t *msix_entry(const PCIDevice *d, unsigned v)
{
    return d->msix->table + v * PCI_MSIX_ENTRY_SIZE;
}

static bool msix_vector_masked(const PCIDevice *d, unsigned v, bool fmask)
{
    return fmask || (msix_entry(d, v)[PCI_MSIX_ENTRY_CTRL] & PCI_MSIX_ENTRY_MASKBIT);
}

bool msix_is_masked(const PCIDevice *d, unsigned vector)
{
    return msix_vector_masked(d, vector, d->msix->function_masked);
}

bool msix_is_pending(const PCIDevice *d, unsigned vector)
{
    return d->msix->pba[vector / 8] & (1u << (vector % 8));
}

static void msix_set_pending(PCIDevice *d, unsigned v, bool on)
{
    uint8_t *b = &d->msix->pba[v / 8];

    *b = on ? *b | (1u << (v % 8)) : *b & ~(1u << (v % 8));
}

static void msix_check_vector(const PCIDevice *d, unsigned v)
{
    if (!d->msix || v >= d->msix->nvectors) {
        emu_bug("%s: MSI-X vector %u of %u", object_type_name(&d->obj), v,
                d->msix ? d->msix->nvectors : 0);
    }
}

void msix_clear_pending(PCIDevice *d, unsigned vector)
{
    msix_check_vector(d, vector);
    msix_set_pending(d, vector, false);
}

static void msix_send(PCIDevice *d, unsigned v)
{
    const uint8_t *e = msix_entry(d, v);

    msi_send_message(d, ld_le64(e + PCI_MSIX_ENTRY_ADDR),
                     ld_le32(e + PCI_MSIX_ENTRY_DATA));
}

void msix_notify(PCIDevice *d, unsigned vector)
{
    msix_check_vector(d, vector);
    if (msix_is_masked(d, vector)) {
        msix_set_pending(d, vector, true);
        return;
    }
    msix_send(d, vector);
}

/* Unmasking a vector sends what is pending on it. */
static void msix_handle_mask_update(PCIDevice *d, unsigned v, bool was_masked)
{
    if (was_masked && !msix_is_masked(d, v) && msix_is_pending(d, v)) {
        msix_set_pending(d, v, false);
        msix_send(d, v);
    }
}

/* QEMU's msix_write_config: enabling turns INTx off; a change of the
 * function mask is a mask update of every vector. */
void msix_write_config(PCIDevice *d, uint32_t addr, unsigned len)
{
    if (!d->msix || !msi_ranges_overlap(addr, len, d->msix->cap + MSIX_CONTROL_HI, 1)) {
        return;
    }
    bool was_masked = d->msix->function_masked;
    msix_update_function_masked(d);
    if (!msix_enabled(d)) {
        return;
    }
    if (d->irq_state) {
        pci_set_irq(d, 0);
    }
    if (d->msix->function_masked == was_masked) {
        return;
    }
    for (unsigned v = 0; v < d->msix->nvectors; v++) {
        msix_handle_mask_update(d, v, msix_vector_masked(d, v, was_masked));
    }
}

void msix_reset(PCIDevice *d)
{
    PCIMSIX *x = d->msix;

    if (!x) {
        return;
    }
    d->config[x->cap + MSIX_CONTROL_HI] &= ~(MSIX_ENABLE_HI | MSIX_MASKALL_HI);
    memset(x->table, 0, PCI_MSIX_TABLE_SIZE(x->nvectors));
    memset(x->pba, 0, PCI_MSIX_PBA_SIZE(x->nvectors));
    for (unsigned v = 0; v < x->nvectors; v++) {
        msix_entry(d, v)[PCI_MSIX_ENTRY_CTRL] = PCI_MSIX_ENTRY_MASKBIT;
    }
    msix_update_function_masked(d);
}

/* The table and the PBA: dwords, 4- or 8-byte accesses (section 6.8.2). */
static uint64_t msix_table_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIDevice *d = opaque;

    return ld_le32(d->msix->table + (addr & ~3ull));
}

static void msix_table_write(void *opaque, uint64_t addr, uint64_t val,
                             unsigned size)
{
    PCIDevice *d = opaque;
    unsigned v = addr / PCI_MSIX_ENTRY_SIZE;
    bool was_masked = msix_is_masked(d, v);

    st_le32(d->msix->table + (addr & ~3ull), val);
    msix_handle_mask_update(d, v, was_masked);
}

static uint64_t msix_pba_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIDevice *d = opaque;

    return ld_le32(d->msix->pba + (addr & ~3ull));
}

/* The PBA is read-only. */
static void msix_pba_write(void *opaque, uint64_t addr, uint64_t val,
                           unsigned size)
{
}

static const MemoryRegionOps msix_table_ops = {
    .read = msix_table_read,
    .write = msix_table_write,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .max_access_size = 4 },
};

static const MemoryRegionOps msix_pba_ops = {
    .read = msix_pba_read,
    .write = msix_pba_write,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .max_access_size = 4 },
};

/* The BAR's container, if [off, off + size) fits in it, 8-byte aligned. */
static MemoryRegion *msix_bar_region(PCIDevice *d, const char *what, int bar,
                                     uint32_t off, uint64_t size, char **errp)
{
    MemoryRegion *mr = bar >= 0 && bar < PCI_NUM_BARS ? d->bars[bar].mr : NULL;

    if (!mr || mr->kind != MR_KIND_CONTAINER) {
        msi_set_error(errp, "%s: MSI-X %s in BAR %d: not a registered "
                      "container", object_type_name(&d->obj), what, bar);
        return NULL;
    }
    if ((off & PCI_MSIX_BIR) || off > mr->size || size > mr->size - off) {
        msi_set_error(errp, "%s: MSI-X %s at 0x%x (0x%" PRIx64 " "
                      "bytes) does not fit BAR %d", object_type_name(&d->obj),
                      what, off, size, bar);
        return NULL;
    }
    return mr;
}

static bool msix_check_layout(PCIDevice *d, const PCIMSIXLayout *l, char **errp)
{
    uint64_t table_size = PCI_MSIX_TABLE_SIZE((uint64_t)l->nvectors);
    uint64_t pba_size = PCI_MSIX_PBA_SIZE((uint64_t)l->nvectors);

    if (l->nvectors == 0 || l->nvectors > PCI_MSIX_VECTORS_MAX) {
        msi_set_error(errp, "%s: MSI-X with %u vectors (1 to %u)",
                      object_type_name(&d->obj), l->nvectors,
                      PCI_MSIX_VECTORS_MAX);
        return false;
    }
    if (l->table_bar == l->pba_bar &&
        msi_ranges_overlap(l->table_offset, table_size, l->pba_offset, pba_size)) {
        msi_set_error(errp, "%s: MSI-X table and PBA overlap",
                      object_type_name(&d->obj));
        return false;
    }
    return msix_bar_region(d, "table", l->table_bar, l->table_offset, table_size, errp) &&
           msix_bar_region(d, "PBA", l->pba_bar, l->pba_offset, pba_size, errp);
}

static void msix_map(PCIDevice *d, PCIMSIX *x, const PCIMSIXLayout *l)
{
    Object *owner = &d->obj;

    mr_init_io(&x->table_mr, owner, &msix_table_ops, d, "msix-table",
               PCI_MSIX_TABLE_SIZE(l->nvectors));
    mr_init_io(&x->pba_mr, owner, &msix_pba_ops, d, "msix-pba",
               PCI_MSIX_PBA_SIZE(l->nvectors));
    mr_add_subregion(d->bars[l->table_bar].mr, l->table_offset, &x->table_mr);
    mr_add_subregion(d->bars[l->pba_bar].mr, l->pba_offset, &x->pba_mr);
}

bool msix_init(PCIDevice *d, PCIMSIX *x, const PCIMSIXLayout *layout,
               uint8_t *table, uint8_t *pba, char **errp)
{
    if (!msix_check_layout(d, layout, errp)) {
        return false;
    }
    uint8_t cap = pci_add_capability(d, PCI_CAP_ID_MSIX, layout->cap_offset,
                                     PCI_MSIX_CAP_SIZE, errp);
    if (!cap) {
        return false;
    }
    x->cap = cap;
    x->nvectors = layout->nvectors;
    x->table = table;
    x->pba = pba;
    d->msix = x;
    pci_set_word(d->config + cap + PCI_MSIX_FLAGS, layout->nvectors - 1);
    pci_set_long(d->config + cap + PCI_MSIX_TABLE,
                 layout->table_offset | layout->table_bar);
    pci_set_long(d->config + cap + PCI_MSIX_PBA,
                 layout->pba_offset | layout->pba_bar);
    d->wmask[cap + MSIX_CONTROL_HI] = MSIX_ENABLE_HI | MSIX_MASKALL_HI;
    msix_map(d, x, layout);
    msix_reset(d);
    return true;
}

bool msix_init_exclusive_bar(PCIDevice *d, PCIMSIX *x, unsigned nvectors,
                             int bar, const char *name, uint8_t *table,
                             uint8_t *pba, char **errp)
{
    uint32_t size = MSIX_EXCLUSIVE_BAR_SIZE;
    uint32_t pba_off = size / 2;

    if (nvectors > PCI_MSIX_VECTORS_MAX) {
        nvectors = 0;           /* msix_init says why */
    }
    pba_off = MAX(pba_off, PCI_MSIX_TABLE_SIZE(nvectors));
    while (size < pba_off + PCI_MSIX_PBA_SIZE(nvectors)) {
        size *= 2;
    }
    const PCIMSIXLayout layout = { .nvectors = nvectors, .table_bar = bar,
                                   .pba_bar = bar, .pba_offset = pba_off };
    mr_init_container(&x->bar, &d->obj, name, size);
    pci_register_bar(d, bar, 0, &x->bar);
    return msix_init(d, x, &layout, table, pba, errp);
}

/* ---------------------------------------------------------------------- */
/* Interrupt sink log                                                      */

void msi_log_record(MSILog *log, uint64_t addr, uint32_t data)
{
    unsigned i = log->count % MSI_LOG_LEN;

    log->addr[i] = addr;
    log->data[i] = data;
    log->count++;
}

bool msi_log_get(const MSILog *log, unsigned back, uint64_t *addr,
                 uint32_t *data)
{
    if (back >= MSI_LOG_LEN || back >= log->count) {
        return false;
    }
    unsigned i = (log->count - 1 - back) % MSI_LOG_LEN;
    *addr = log->addr[i];
    *data = log->data[i];
    return true;
}

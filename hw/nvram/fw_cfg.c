/* SPDX-License-Identifier: MIT */
/*
 * QEMU firmware configuration device (fw_cfg), I/O port variant, after
 * QEMU's docs/specs/fw_cfg.txt: a 16-bit selector, an 8-bit data port and
 * the DMA interface (a big-endian address register pointing at an access
 * structure in guest memory). Items are read-only to the guest: data-port
 * writes are ignored and DMA writes fail, as in QEMU 7.2. No select or read
 * callbacks: the board adds fixed data at set-up.
 */
#include "hw/nvram/fw_cfg.h"

#include <inttypes.h>
#include <string.h>

#include "emu/dma.h"
#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"

/* "fwcfg" region: a 16-bit write at 0 selects, byte reads at 0 or 1 give data */
#define FW_CFG_IO_SELECTOR  0
#define FW_CFG_IO_DATA      1
#define FW_CFG_IO_SIZE      2

/* "fwcfg.dma" region: the address register, most significant half first */
#define FW_CFG_DMA_ADDR_HI  0
#define FW_CFG_DMA_ADDR_LO  4
#define FW_CFG_DMA_IO_SIZE  8

/* Selector bits (spec, "Selector (Control) Register") */
#define FW_CFG_WRITE_CHANNEL 0x4000
#define FW_CFG_ENTRY_MASK    0x3fff
#define FW_CFG_INVALID       0xffff

/* FW_CFG_ID feature bits */
#define FW_CFG_VERSION      0x01
#define FW_CFG_VERSION_DMA  0x02

/* DMA access structure: control, length (BE32), address (BE64) */
#define FW_CFG_DMA_CTL_ERROR  0x01
#define FW_CFG_DMA_CTL_READ   0x02
#define FW_CFG_DMA_CTL_SKIP   0x04
#define FW_CFG_DMA_CTL_SELECT 0x08
#define FW_CFG_DMA_CTL_WRITE  0x10
#define FW_CFG_DMA_ACCESS_LEN 16

/* File directory: BE32 count, then entries of BE32 size, BE16 select,
 * 16 reserved bits and the name */
#define FW_CFG_DIR_ENTRY_LEN  64
#define FW_CFG_DIR_NAME       8

/* Limits */
#define FW_CFG_MAX_ENTRY      (FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS)
#define FW_CFG_DIR_LEN        (4 + FW_CFG_FILE_SLOTS * FW_CFG_DIR_ENTRY_LEN)
#define FW_CFG_ZERO_CHUNK     4096

/* What the DMA address register reads as: "QEMU CFG", big-endian. */
static const char fw_cfg_dma_signature[FW_CFG_DMA_IO_SIZE] = "QEMU CFG";
/* Source of the zeros a DMA read stores past the end of an item. */
static const uint8_t fw_cfg_zeros[FW_CFG_ZERO_CHUNK];

typedef struct FWCfgItem {
    uint8_t *data;          /* g_malloc'd at set-up; NULL when absent */
    uint32_t len;
} FWCfgItem;

typedef struct FWCfgState {
    Object obj;
    /* Properties */
    uint32_t iobase;
    uint32_t dma_iobase;
    bool dma_enabled;
    /* Guest-visible state */
    uint16_t cur_key;       /* as selected; FW_CFG_INVALID when out of range */
    uint32_t cur_offset;    /* into the selected item, at most its length */
    uint64_t dma_addr;      /* address register, cleared by each transfer */
    /* Items [generic / arch-local][key & FW_CFG_ENTRY_MASK], set-up only */
    FWCfgItem items[2][FW_CFG_MAX_ENTRY];
    uint32_t nr_files;
    /* Wiring */
    AddressSpace *dma_as;
    MemoryRegion io;
    MemoryRegion dma;
} FWCfgState;

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

static FWCfgState *fw_cfg_cast(Object *obj)
{
    if (!obj || !object_is_a(obj, TYPE_FW_CFG_IO)) {
        emu_bug("fw_cfg: %s is not a %s", obj ? object_type_name(obj) : "NULL",
                TYPE_FW_CFG_IO);
    }
    return (FWCfgState *)obj;
}

static void fw_cfg_st_be(uint8_t *p, uint64_t val, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        p[i] = (uint8_t)(val >> (8 * (n - 1 - i)));
    }
}

static uint64_t fw_cfg_ld_be(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* The item a key names, or NULL when the key is out of range. */
static FWCfgItem *fw_cfg_item(FWCfgState *s, uint16_t key)
{
    unsigned idx = key & FW_CFG_ENTRY_MASK;
    if (idx >= FW_CFG_MAX_ENTRY) {
        return NULL;
    }
    return &s->items[(key & FW_CFG_ARCH_LOCAL) ? 1 : 0][idx];
}

/* Bytes of the selected item left from the current offset (0 if none). */
static uint32_t fw_cfg_avail(FWCfgState *s)
{
    const FWCfgItem *it = fw_cfg_item(s, s->cur_key);
    if (!it || !it->data || s->cur_offset >= it->len) {
        return 0;
    }
    return it->len - s->cur_offset;
}

static const uint8_t *fw_cfg_cur_data(FWCfgState *s)
{
    return fw_cfg_item(s, s->cur_key)->data + s->cur_offset;
}

/* Spec: a selector write picks an item and rewinds the data offset. The
 * write-channel bit (14) selects the same item; writes are ignored anyway. */
static void fw_cfg_select(FWCfgState *s, uint16_t key)
{
    s->cur_offset = 0;
    s->cur_key = fw_cfg_item(s, key) ? key : FW_CFG_INVALID;
}

/* One byte from the data port; 0 past the end or with nothing selected. */
static uint8_t fw_cfg_data_read(FWCfgState *s)
{
    if (fw_cfg_avail(s) == 0) {
        return 0;
    }
    uint8_t val = fw_cfg_cur_data(s)[0];
    s->cur_offset++;
    return val;
}

/* ---------------------------------------------------------------------- */
/* DMA (spec, "Guest-side DMA Interface")                                  */

/* Stores len zeros at addr, a chunk at a time; false on a bus error. The
 * length is the guest's (up to 4 GiB): the machine's DMA budget ends the
 * loop with a bus error long before that. */
static bool fw_cfg_dma_zero(FWCfgState *s, uint64_t addr, uint64_t len)
{
    while (len > 0) {
        uint64_t n = MIN(len, (uint64_t)FW_CFG_ZERO_CHUNK);
        if (dma_write(s->dma_as, addr, fw_cfg_zeros, n) != MEMTX_OK) {
            return false;
        }
        addr += n;
        len -= n;
    }
    return true;
}

/* Read: the rest of the item, then zeros up to length (the spec's 32-bit
 * length, as QEMU: no other limit than what the bus accepts). */
static uint32_t fw_cfg_dma_read_item(FWCfgState *s, uint32_t length,
                                     uint64_t addr)
{
    uint32_t n = MIN(length, fw_cfg_avail(s));

    if (n > 0) {
        MemTxResult res = dma_write(s->dma_as, addr, fw_cfg_cur_data(s), n);
        s->cur_offset += n;
        if (res != MEMTX_OK) {
            return FW_CFG_DMA_CTL_ERROR;
        }
    }
    if (!fw_cfg_dma_zero(s, addr + n, length - n)) {
        return FW_CFG_DMA_CTL_ERROR;
    }
    return 0;
}

/* Write: no item is writable (QEMU 7.2), so any byte to write fails; the
 * offset still moves over the part that lies inside the item. */
static uint32_t fw_cfg_dma_write_item(FWCfgState *s, uint32_t length)
{
    if (length == 0) {
        return 0;
    }
    guest_error("fw_cfg: dma write to key 0x%04x refused", s->cur_key);
    s->cur_offset += MIN(length, fw_cfg_avail(s));
    return FW_CFG_DMA_CTL_ERROR;
}

/* Runs one access; returns the control word to store back (0: success).
 * Read wins over write, write over skip; none of them: nothing to do. */
static uint32_t fw_cfg_dma_run(FWCfgState *s, uint32_t control,
                               uint32_t length, uint64_t addr)
{
    if (control & FW_CFG_DMA_CTL_SELECT) {
        fw_cfg_select(s, control >> 16);
    }
    if (control & FW_CFG_DMA_CTL_READ) {
        return fw_cfg_dma_read_item(s, length, addr);
    }
    if (control & FW_CFG_DMA_CTL_WRITE) {
        return fw_cfg_dma_write_item(s, length);
    }
    if (control & FW_CFG_DMA_CTL_SKIP) {
        s->cur_offset += MIN(length, fw_cfg_avail(s));
    }
    return 0;
}

/* Triggered by a write of the low half: fetch, run, store the control word. */
static void fw_cfg_dma_transfer(FWCfgState *s)
{
    uint64_t desc = s->dma_addr;
    uint8_t dma_access[FW_CFG_DMA_ACCESS_LEN];
    uint8_t status[4];
    uint32_t control;

    s->dma_addr = 0;
    if (dma_read(s->dma_as, desc, dma_access, sizeof(dma_access)) != MEMTX_OK) {
        guest_error("fw_cfg: dma access structure at 0x%" PRIx64
                    " unreadable", desc);
        control = FW_CFG_DMA_CTL_ERROR;
    } else {
        control = fw_cfg_dma_run(s, (uint32_t)fw_cfg_ld_be(dma_access, 4),
                                 (uint32_t)fw_cfg_ld_be(dma_access + 4, 4),
                                 fw_cfg_ld_be(dma_access + 8, 8));
    }
    fw_cfg_st_be(status, control, sizeof(status));
    dma_write(s->dma_as, desc, status, sizeof(status));
}

/* ---------------------------------------------------------------------- */
/* Register access                                                         */

static uint64_t fw_cfg_io_read(void *opaque, uint64_t addr, unsigned size)
{
    FWCfgState *s = opaque;

    if (size != 1) {
        /* QEMU accepts only byte reads here; others read 0. */
        guest_error("fw_cfg: %u-byte read at offset %" PRIu64 " refused",
                    size, addr);
        return 0;
    }
    switch (addr) {
    case FW_CFG_IO_SELECTOR:  /* QEMU decodes byte reads of both ports */
    case FW_CFG_IO_DATA:
        return fw_cfg_data_read(s);
    default:
        guest_error("fw_cfg: read at bad offset %" PRIu64, addr);
        return 0;
    }
}

static void fw_cfg_io_write(void *opaque, uint64_t addr, uint64_t val,
                            unsigned size)
{
    FWCfgState *s = opaque;

    switch (addr) {
    case FW_CFG_IO_SELECTOR:
        if (size == 2) {
            fw_cfg_select(s, (uint16_t)val);
            return;
        }
        /* A byte here is a data write, as at the data port. */
        /* fall through */
    case FW_CFG_IO_DATA:
        guest_error("fw_cfg: data write 0x%" PRIx64 " ignored", val);
        return;
    default:
        guest_error("fw_cfg: write at bad offset %" PRIu64, addr);
        return;
    }
}

/* Reads give the signature bytes [addr, addr + size), in address order. */
static uint64_t fw_cfg_dma_io_read(void *opaque, uint64_t addr, unsigned size)
{
    uint64_t val = 0;

    for (unsigned i = 0; i < size && addr + i < FW_CFG_DMA_IO_SIZE; i++) {
        val |= (uint64_t)(uint8_t)fw_cfg_dma_signature[addr + i] << (8 * i);
    }
    return val;
}

/* The register is big-endian: the guest's byte order is the value's. */
static void fw_cfg_dma_io_write(void *opaque, uint64_t addr, uint64_t val,
                                unsigned size)
{
    FWCfgState *s = opaque;
    uint8_t bytes[8];

    for (unsigned i = 0; i < size && i < sizeof(bytes); i++) {
        bytes[i] = (uint8_t)(val >> (8 * i));
    }
    uint64_t be = fw_cfg_ld_be(bytes, MIN(size, (unsigned)sizeof(bytes)));

    switch (addr) {
    case FW_CFG_DMA_ADDR_HI:
        if (size == 4) {
            s->dma_addr = be << 32;
            return;
        }
        if (size == 8) {
            s->dma_addr = be;
            fw_cfg_dma_transfer(s);
            return;
        }
        break;
    case FW_CFG_DMA_ADDR_LO:
        if (size == 4) {
            s->dma_addr |= be;
            fw_cfg_dma_transfer(s);
            return;
        }
        break;
    default:
        break;
    }
    guest_error("fw_cfg: %u-byte dma register write at offset %" PRIu64
                " ignored", size, addr);
}

/* ---------------------------------------------------------------------- */
/* Reset, ops, set-up                                                      */

/* QEMU selects the signature at reset, so the data port reads "QEMU". */
static void fw_cfg_reset(Object *obj)
{
    FWCfgState *s = fw_cfg_cast(obj);

    fw_cfg_select(s, FW_CFG_SIGNATURE);
    s->dma_addr = 0;
}

static const MemoryRegionOps fw_cfg_io_ops = {
    .read = fw_cfg_io_read,
    .write = fw_cfg_io_write,
    .valid = { .min_access_size = 1, .max_access_size = 2 },
    .impl = { .min_access_size = 1, .max_access_size = 2 },
};

static const MemoryRegionOps fw_cfg_dma_ops = {
    .read = fw_cfg_dma_io_read,
    .write = fw_cfg_dma_io_write,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

/* Stores a copy of data as the item at key (set-up only). */
static void fw_cfg_set_item(FWCfgState *s, uint16_t key, const void *data,
                            size_t len)
{
    FWCfgItem *it = fw_cfg_item(s, key);

    if (!it || (key & FW_CFG_WRITE_CHANNEL)) {
        emu_bug("fw_cfg: key 0x%04x out of range", key);
    }
    if (it->data) {
        emu_bug("fw_cfg: key 0x%04x added twice", key);
    }
    if (len > UINT32_MAX) {
        emu_bug("fw_cfg: item 0x%04x too large", key);
    }
    /* An empty item still gets a buffer: "present" means data != NULL. */
    it->data = g_malloc0(MAX(len, (size_t)1));
    if (len > 0) {
        memcpy(it->data, data, len);
    }
    it->len = (uint32_t)len;
}

void fw_cfg_add_bytes(Object *fw, uint16_t key, const void *data, size_t len)
{
    /* Generic keys from FW_CFG_FILE_FIRST on belong to the directory. */
    if (!(key & FW_CFG_ARCH_LOCAL) && (key & FW_CFG_ENTRY_MASK) >= FW_CFG_FILE_FIRST) {
        emu_bug("fw_cfg: key 0x%04x is a file slot; use fw_cfg_add_file", key);
    }
    fw_cfg_set_item(fw_cfg_cast(fw), key, data, len);
}

void fw_cfg_add_i16(Object *fw, uint16_t key, uint16_t val)
{
    uint8_t b[2] = { (uint8_t)val, (uint8_t)(val >> 8) };
    fw_cfg_add_bytes(fw, key, b, sizeof(b));
}

void fw_cfg_add_i32(Object *fw, uint16_t key, uint32_t val)
{
    uint8_t b[4];
    for (unsigned i = 0; i < sizeof(b); i++) {
        b[i] = (uint8_t)(val >> (8 * i));
    }
    fw_cfg_add_bytes(fw, key, b, sizeof(b));
}

void fw_cfg_add_i64(Object *fw, uint16_t key, uint64_t val)
{
    uint8_t b[8];
    for (unsigned i = 0; i < sizeof(b); i++) {
        b[i] = (uint8_t)(val >> (8 * i));
    }
    fw_cfg_add_bytes(fw, key, b, sizeof(b));
}

static uint8_t *fw_cfg_dir_entry(uint8_t *dir, uint32_t i)
{
    return dir + 4 + i * FW_CFG_DIR_ENTRY_LEN;
}

static const char *fw_cfg_dir_name(uint8_t *dir, uint32_t i)
{
    return (const char *)fw_cfg_dir_entry(dir, i) + FW_CFG_DIR_NAME;
}

/* The directory, created with room for every slot on the first file. */
static uint8_t *fw_cfg_dir(FWCfgState *s)
{
    FWCfgItem *it = &s->items[0][FW_CFG_FILE_DIR];
    if (!it->data) {
        it->data = g_malloc0(FW_CFG_DIR_LEN);
        it->len = FW_CFG_DIR_LEN;
    }
    return it->data;
}

/* Opens slot idx by moving the files after it (and their items) down one. */
static void fw_cfg_dir_open_slot(FWCfgState *s, uint8_t *dir, uint32_t idx)
{
    for (uint32_t i = s->nr_files; i > idx; i--) {
        uint8_t *e = fw_cfg_dir_entry(dir, i);
        memcpy(e, fw_cfg_dir_entry(dir, i - 1), FW_CFG_DIR_ENTRY_LEN);
        fw_cfg_st_be(e + 4, FW_CFG_FILE_FIRST + i, 2);
        s->items[0][FW_CFG_FILE_FIRST + i] = s->items[0][FW_CFG_FILE_FIRST + i - 1];
    }
    memset(fw_cfg_dir_entry(dir, idx), 0, FW_CFG_DIR_ENTRY_LEN);
    s->items[0][FW_CFG_FILE_FIRST + idx] = (FWCfgItem){ NULL, 0 };
}

void fw_cfg_add_file(Object *fw, const char *name, const void *data, size_t len)
{
    FWCfgState *s = fw_cfg_cast(fw);
    uint8_t *dir = fw_cfg_dir(s);
    char fname[FW_CFG_MAX_FILE_PATH];
    uint32_t idx = s->nr_files;

    if (s->nr_files >= FW_CFG_FILE_SLOTS) {
        emu_bug("fw_cfg: no free file slot for %s", name);
    }
    g_strlcpy(fname, name, sizeof(fname));
    for (uint32_t i = 0; i < s->nr_files; i++) {
        if (strcmp(fname, fw_cfg_dir_name(dir, i)) == 0) {
            emu_bug("fw_cfg: duplicate file name %s", fname);
        }
    }
    /* Insertion sort by name (strcmp), as QEMU for machines after 2.4. */
    while (idx > 0 && strcmp(fname, fw_cfg_dir_name(dir, idx - 1)) < 0) {
        idx--;
    }
    fw_cfg_dir_open_slot(s, dir, idx);
    fw_cfg_set_item(s, FW_CFG_FILE_FIRST + idx, data, len);

    uint8_t *e = fw_cfg_dir_entry(dir, idx);
    fw_cfg_st_be(e, len, 4);
    fw_cfg_st_be(e + 4, FW_CFG_FILE_FIRST + idx, 2);
    memcpy(e + FW_CFG_DIR_NAME, fname, strlen(fname) + 1);
    s->nr_files++;
    fw_cfg_st_be(dir, s->nr_files, 4);
}

static void fw_cfg_init(Object *obj)
{
    FWCfgState *s = (FWCfgState *)obj;

    s->iobase = 0x510;
    s->dma_iobase = 0x514;
    s->dma_enabled = true;
    s->cur_key = FW_CFG_INVALID;
}

static bool fw_cfg_realize(Object *obj, Machine *m, char **errp)
{
    FWCfgState *s = (FWCfgState *)obj;
    uint32_t id = FW_CFG_VERSION;

    if (s->iobase > 0x10000 - FW_CFG_IO_SIZE ||
        (s->dma_enabled && s->dma_iobase > 0x10000 - FW_CFG_DMA_IO_SIZE)) {
        *errp = g_strdup_printf("fw_cfg_io: iobase 0x%" PRIx32 " or dma_iobase 0x%"
                                PRIx32 " out of the I/O space",
                                s->iobase, s->dma_iobase);
        return false;
    }
    s->dma_as = &m->as_mem;
    mr_init_io(&s->io, obj, &fw_cfg_io_ops, s, "fwcfg", FW_CFG_IO_SIZE);
    mr_add_subregion(&m->sysio, s->iobase, &s->io);
    if (s->dma_enabled) {
        mr_init_io(&s->dma, obj, &fw_cfg_dma_ops, s, "fwcfg.dma",
                   FW_CFG_DMA_IO_SIZE);
        mr_add_subregion(&m->sysio, s->dma_iobase, &s->dma);
        id |= FW_CFG_VERSION_DMA;
    }
    fw_cfg_set_item(s, FW_CFG_SIGNATURE, "QEMU", 4);
    fw_cfg_add_i32(obj, FW_CFG_ID, id);
    return true;
}

static const Property fw_cfg_props[] = {
    { "iobase", PROP_U32, offsetof(FWCfgState, iobase),
      "selector port; the data port is the next one (0x510)" },
    { "dma_iobase", PROP_U32, offsetof(FWCfgState, dma_iobase),
      "DMA address register, 8 ports (0x514)" },
    { "dma_enabled", PROP_BOOL, offsetof(FWCfgState, dma_enabled),
      "offer the DMA interface (on)" },
    { .name = NULL },
};

const TypeInfo fw_cfg_io_type = {
    .name = TYPE_FW_CFG_IO,
    .parent = "isa-device",
    .desc = "QEMU firmware configuration device, I/O ports",
    OBJECT_INSTANCE(FWCfgState),
    .user_creatable = false,
    .props = fw_cfg_props,
    .init = fw_cfg_init,
    .realize = fw_cfg_realize,
    .reset = fw_cfg_reset,
};

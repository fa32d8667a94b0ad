/* SPDX-License-Identifier: MIT */
/*
 * Memory regions, address spaces and dispatch; see memory.h. The semantics
 * follow QEMU 7.2's memory API (valid/impl access sizes, the piecewise
 * read/write loop), plus a per-owner re-entrancy guard. Flattening lives in
 * memory-flat.c, `info mtree` in memory-print.c.
 */
#include "emu/memory.h"

#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "emu/memory-internal.h"

#define BITS_PER_LONG (sizeof(unsigned long) * 8)

/* Used for an I/O region initialised without ops: reads 0, drops writes. */
static const MemoryRegionOps mr_null_ops;

/* ---------------------------------------------------------------------- */
/* Initialisation                                                          */

static void mr_init_common(MemoryRegion *mr, Object *owner, const char *name,
                           uint64_t size, MemoryRegionKind kind)
{
    memset(mr, 0, sizeof(*mr));
    mr->kind = kind;
    mr->name = name;
    mr->owner = owner;
    mr->size = size;
    mr->enabled = true;
    if (owner) {
        MemoryRegion **link = &owner->regions;
        while (*link) {
            link = &(*link)->owner_next;
        }
        *link = mr;
    }
}

void mr_init_container(MemoryRegion *mr, Object *owner, const char *name,
                       uint64_t size)
{
    mr_init_common(mr, owner, name, size, MR_KIND_CONTAINER);
}

static unsigned size_or(unsigned v, unsigned dflt);

/* The access sizes (bits 1, 2, 4, 8) the callbacks take as they come: valid
 * for the region and made as one callback of that size (io_call neither
 * splits nor widens them). io_access calls those directly. */
static uint8_t io_direct_sizes(const MemoryRegionOps *ops)
{
    uint8_t sizes = 0;
    for (unsigned size = 1; size <= 8; size *= 2) {
        if (size >= size_or(ops->valid.min_access_size, 1) &&
            size <= size_or(ops->valid.max_access_size, 4) &&
            size >= MIN(size_or(ops->impl.min_access_size, 1), 8u) &&
            size <= MIN(size_or(ops->impl.max_access_size, 4), 8u)) {
            sizes |= (uint8_t)size;
        }
    }
    return sizes;
}

void mr_init_io(MemoryRegion *mr, Object *owner, const MemoryRegionOps *ops,
                void *opaque, const char *name, uint64_t size)
{
    mr_init_common(mr, owner, name, size, MR_KIND_IO);
    mr->ops = ops ? ops : &mr_null_ops;
    mr->opaque = opaque;
    mr->io_direct_sizes = io_direct_sizes(mr->ops);
}

static size_t mr_pages_for(uint64_t size)
{
    return (size_t)(size >> EMU_PAGE_BITS) + ((size & (EMU_PAGE_SIZE - 1)) != 0);
}

static void mr_init_backed(MemoryRegion *mr, Object *owner, const char *name,
                           uint64_t size, MemoryRegionKind kind)
{
    mr_init_common(mr, owner, name, size, kind);
    if (size > SIZE_MAX / 2) {
        emu_bug("region %s: RAM size 0x%" PRIx64 " too large", name, size);
    }
    size_t longs = (mr_pages_for(size) + BITS_PER_LONG - 1) / BITS_PER_LONG;
    /* Straight from the kernel: zero pages that stay unmapped until
     * written (malloc might touch them, e.g. under MALLOC_PERTURB_), so an
     * untouched guest costs nothing to fork or snapshot. */
    void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        emu_bug("region %s: cannot map 0x%" PRIx64 " bytes of RAM", name, size);
    }
    mr->ram = p;
    mr->dirty = g_malloc0(sizeof(DirtyLog) + (longs ? longs : 1) * sizeof(unsigned long));
}

void mr_free_backing(MemoryRegion *mr)
{
    if (mr->ram) {
        munmap(mr->ram, mr->size ? mr->size : 1);
        mr->ram = NULL;
    }
    g_free(mr->dirty);
    mr->dirty = NULL;
}

void mr_init_ram(MemoryRegion *mr, Object *owner, const char *name, uint64_t size)
{
    mr_init_backed(mr, owner, name, size, MR_KIND_RAM);
}

void mr_init_rom(MemoryRegion *mr, Object *owner, const char *name, uint64_t size)
{
    mr_init_backed(mr, owner, name, size, MR_KIND_ROM);
}

void mr_init_alias(MemoryRegion *mr, Object *owner, const char *name,
                   MemoryRegion *target, uint64_t offset, uint64_t size)
{
    mr_init_common(mr, owner, name, size, MR_KIND_ALIAS);
    mr->alias = target;
    mr->alias_offset = offset;
}

/* ---------------------------------------------------------------------- */
/* Topology                                                                */

/* Every address space rooted at mr or above it must re-flatten; a
 * detached root passes the change on to where its aliases are. */
static void mr_topology_changed(MemoryRegion *mr)
{
    for (unsigned depth = 0; mr; depth++) {
        if (depth > MR_MAX_DEPTH) {
            emu_bug("region nesting deeper than %d", MR_MAX_DEPTH);
        }
        if (mr->as) {
            mr->as->dirty = true;
        }
        mr = mr->container ? mr->container : mr->rendered_in;
    }
}

void mr_set_rendered_in(MemoryRegion *root, MemoryRegion *view)
{
    root->rendered_in = view;
}

/* A region struct about to change: a snapshot tracks it by itself (it may
 * sit in another object's instance, as the i440FX's PAM aliases of the host
 * bridge do); else its owner is touched. */
static void mr_touch(MemoryRegion *mr)
{
    if (!mr->track) {
        object_touch(mr->owner);
    } else if (!mr->track->touched) {
        mr->track->first_touch(mr->track);
    }
}

/* The link that holds the sibling after prev: the container's list head,
 * or prev's next_sibling. Its region is touched. */
static MemoryRegion **mr_link_after(MemoryRegion *container, MemoryRegion *prev)
{
    MemoryRegion *holder = prev ? prev : container;
    mr_touch(holder);
    return prev ? &prev->next_sibling : &container->subregions;
}

/* Insert before the first sibling of lower or equal priority (QEMU order).
 * Link and unlink touch the holder of the link they rewrite; their callers
 * have touched sub, whose fields they change too. */
static void mr_link_subregion(MemoryRegion *container, MemoryRegion *sub)
{
    MemoryRegion *prev = NULL;
    for (MemoryRegion *cur = container->subregions;
         cur && cur->priority > sub->priority; cur = cur->next_sibling) {
        prev = cur;
    }
    MemoryRegion **link = mr_link_after(container, prev);
    sub->next_sibling = *link;
    *link = sub;
}

static void mr_unlink_subregion(MemoryRegion *container, MemoryRegion *sub)
{
    MemoryRegion *prev = NULL, *cur = container->subregions;
    for (; cur && cur != sub; cur = cur->next_sibling) {
        prev = cur;
    }
    if (!cur) {
        emu_bug("region %s not found in %s", sub->name, container->name);
    }
    *mr_link_after(container, prev) = sub->next_sibling;
    sub->next_sibling = NULL;
}

void mr_add_subregion_overlap(MemoryRegion *container, uint64_t offset,
                              MemoryRegion *sub, int priority)
{
    if (sub->container) {
        emu_bug("region %s is already in %s", sub->name, sub->container->name);
    }
    for (MemoryRegion *up = container; up; up = up->container) {
        if (up == sub) {
            emu_bug("region %s would contain itself", sub->name);
        }
    }
    mr_touch(sub);
    sub->container = container;
    sub->addr = offset;
    sub->priority = priority;
    mr_link_subregion(container, sub);
    mr_topology_changed(container);
}

void mr_add_subregion(MemoryRegion *container, uint64_t offset,
                      MemoryRegion *sub)
{
    mr_add_subregion_overlap(container, offset, sub, 0);
}

void mr_del_subregion(MemoryRegion *container, MemoryRegion *sub)
{
    if (sub->container != container) {
        emu_bug("region %s is not in %s", sub->name, container->name);
    }
    mr_touch(sub);
    mr_unlink_subregion(container, sub);
    sub->container = NULL;
    mr_topology_changed(container);
}

void mr_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled == enabled) {
        return;
    }
    mr_touch(mr);
    mr->enabled = enabled;
    mr_topology_changed(mr);
}

/* As QEMU: a moved region is re-added, so it wins ties with its equals. */
void mr_set_address(MemoryRegion *mr, uint64_t addr)
{
    MemoryRegion *container = mr->container;

    if (mr->addr == addr) {
        return;
    }
    mr_touch(mr);
    if (!container) {
        mr->addr = addr;
        mr_topology_changed(mr);
        return;
    }
    mr_unlink_subregion(container, mr);
    mr->addr = addr;
    mr_link_subregion(container, mr);
    mr_topology_changed(container);
}

void mr_set_alias_offset(MemoryRegion *mr, uint64_t offset)
{
    if (mr->alias_offset == offset) {
        return;
    }
    mr_touch(mr);
    mr->alias_offset = offset;
    mr_topology_changed(mr);
}

/* As QEMU's memory_region_set_size; RAM and ROM keep their backing size. */
void mr_set_size(MemoryRegion *mr, uint64_t size)
{
    if (mr->kind == MR_KIND_RAM || mr->kind == MR_KIND_ROM) {
        emu_bug("region %s: RAM cannot change size", mr->name);
    }
    if (mr->size == size) {
        return;
    }
    mr_touch(mr);
    mr->size = size;
    mr_topology_changed(mr);
}

bool mr_is_mapped(const MemoryRegion *mr)
{
    return mr->container != NULL;
}

/* ---------------------------------------------------------------------- */
/* RAM backing and dirty pages                                             */

uint8_t *mr_ram_ptr(MemoryRegion *mr)
{
    return mr->ram;
}

size_t mr_nr_pages(const MemoryRegion *mr)
{
    if (mr->kind != MR_KIND_RAM && mr->kind != MR_KIND_ROM) {
        return 0;
    }
    return mr_pages_for(mr->size);
}

bool mr_page_dirty(const MemoryRegion *mr, uint64_t page)
{
    if (!mr->dirty || page >= mr_nr_pages(mr)) {
        return false;
    }
    return (mr->dirty->bits[page / BITS_PER_LONG] >> (page % BITS_PER_LONG)) & 1;
}

void mr_clear_dirty(MemoryRegion *mr)
{
    size_t longs = (mr_nr_pages(mr) + BITS_PER_LONG - 1) / BITS_PER_LONG;
    if (mr->dirty) {
        memset(mr->dirty->bits, 0, longs * sizeof(unsigned long));
        mr->dirty->lo = mr->dirty->hi = 0;
    }
}

size_t mr_drain_dirty(MemoryRegion *mr, void (*fn)(void *opaque, uint64_t page),
                      void *opaque)
{
    DirtyLog *log = mr->dirty;
    size_t pages = 0;
    if (!log) {
        return 0;
    }
    for (size_t w = log->lo; w < log->hi; w++) {
        unsigned long word = log->bits[w];
        log->bits[w] = 0;
        for (; word; word &= word - 1) {
            fn(opaque, w * BITS_PER_LONG + __builtin_ctzl(word));
            pages++;
        }
    }
    log->lo = log->hi = 0;
    return pages;
}

/* Marks the pages of [off, off + len) of a RAM region; len > 0. */
static void mr_mark_dirty(MemoryRegion *mr, uint64_t off, uint64_t len)
{
    DirtyLog *log = mr->dirty;
    uint64_t first = off >> EMU_PAGE_BITS;
    uint64_t last = (off + len - 1) >> EMU_PAGE_BITS;
    for (uint64_t p = first; p <= last; p++) {
        log->bits[p / BITS_PER_LONG] |= 1ul << (p % BITS_PER_LONG);
    }
    size_t lo = first / BITS_PER_LONG, hi = last / BITS_PER_LONG + 1;
    if (log->lo == log->hi) {
        log->lo = lo;
        log->hi = hi;
    } else {
        log->lo = MIN(log->lo, lo);
        log->hi = MAX(log->hi, hi);
    }
}

void mr_ram_write(MemoryRegion *mr, uint64_t off, const void *buf, uint64_t len)
{
    if (mr->kind != MR_KIND_RAM || off > mr->size || len > mr->size - off) {
        emu_bug("region %s: RAM write of 0x%" PRIx64 " bytes at 0x%" PRIx64
                " outside it", mr->name, len, off);
    }
    if (len == 0) {
        return;
    }
    if (buf) {
        memcpy(mr->ram + off, buf, len);
    } else {
        memset(mr->ram + off, 0, len);
    }
    mr_mark_dirty(mr, off, len);
}

/* ---------------------------------------------------------------------- */
/* Address spaces                                                          */

void as_init(AddressSpace *as, MemoryRegion *root, const char *name)
{
    as->name = name;
    as->root = root;
    as->dirty = true;
    as->ranges = NULL;
    as->nr_ranges = 0;
    as->cap_ranges = 0;
    as->generation = 0;
    as->dma_read_hook = NULL;
    as->dma_read_hook_opaque = NULL;
    as->dma_budget = NULL;
    if (root) {
        root->as = as;
    }
}

/* ---------------------------------------------------------------------- */
/* Dispatch to I/O callbacks                                               */

static unsigned size_or(unsigned v, unsigned dflt)
{
    return v ? v : dflt;
}

/* QEMU's memory_region_access_valid (without `accepts`). */
static bool io_access_valid(const MemoryRegion *mr, uint64_t addr,
                            unsigned size, bool is_write)
{
    const MemoryAccessSizes *v = &mr->ops->valid;
    const char *why = NULL;

    if (!v->unaligned && (addr & (size - 1))) {
        why = "unaligned";
    } else if (size < size_or(v->min_access_size, 1) ||
               size > size_or(v->max_access_size, 4)) {
        why = "invalid size";
    }
    if (why) {
        guest_error("invalid %s at 0x%" PRIx64 ", size %u, region '%s': %s",
                    is_write ? "write" : "read", addr, size, mr->name, why);
        return false;
    }
    return true;
}

static uint64_t mask_bytes(unsigned n)
{
    return n >= 8 ? UINT64_MAX : (UINT64_C(1) << (n * 8)) - 1;
}

/*
 * QEMU's access_with_adjusted_size, little-endian: callbacks of
 * clamp(size, impl.min, impl.max) bytes at addr + i, combined by byte lane.
 */
static void io_call(MemoryRegion *mr, uint64_t addr, uint64_t *val,
                    unsigned size, bool is_write)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned amin = MIN(size_or(ops->impl.min_access_size, 1), 8u);
    unsigned amax = MIN(size_or(ops->impl.max_access_size, 4), 8u);
    unsigned asize = MAX(MIN(size, amax), amin);
    uint64_t mask = mask_bytes(asize);

    if (!is_write) {
        *val = 0;
    }
    for (unsigned i = 0; i < size; i += asize) {
        unsigned shift = i * 8;
        if (is_write) {
            if (ops->write) {
                ops->write(mr->opaque, addr + i, (*val >> shift) & mask, asize);
            }
        } else if (ops->read) {
            *val |= (ops->read(mr->opaque, addr + i, asize) & mask) << shift;
        }
    }
}

/* One access of `size` bytes at offset addr of an I/O region. */
static MemTxResult io_access(MemoryRegion *mr, uint64_t addr, uint64_t *val,
                             unsigned size, bool is_write)
{
    Object *owner = mr->owner;
    /* Most accesses: a size the callbacks take as it is, aligned (or the
     * region takes unaligned ones): valid, one callback, no split. */
    bool direct = (mr->io_direct_sizes & size) &&
                  (mr->ops->valid.unaligned || !(addr & (size - 1)));

    if (!direct && !io_access_valid(mr, addr, size, is_write)) {
        if (!is_write) {
            *val = 0;
        }
        return MEMTX_DECODE_ERROR;
    }
    if (object_entered(owner)) {
        /* A device's DMA (or MSI) reaching its own registers: a bus error. */
        guest_refusal("re-entrant %s at 0x%" PRIx64 " of region '%s' refused",
                      is_write ? "write" : "read", addr, mr->name);
        if (!is_write) {
            *val = 0;
        }
        return MEMTX_ERROR;
    }
    object_enter(owner, "access");
    if (!direct) {
        io_call(mr, addr, val, size, is_write);
    } else if (is_write) {
        if (mr->ops->write) {
            mr->ops->write(mr->opaque, addr, *val & mask_bytes(size), size);
        }
    } else {
        *val = mr->ops->read ? mr->ops->read(mr->opaque, addr, size) & mask_bytes(size) : 0;
    }
    object_leave(owner);
    return MEMTX_OK;
}

/*
 * QEMU's memory_access_size: the longest single access at offset off, at
 * most len bytes: a power of two, at most max (and 8), and unless the
 * callbacks take unaligned accesses, at most the alignment of off.
 */
static unsigned access_piece_len(uint64_t max, bool unaligned, uint64_t off,
                                 uint64_t len)
{
    if (!unaligned) {
        uint64_t align = off & -off;
        if (align != 0 && align < max) {
            max = align;
        }
    }
    len = MIN(len, max);
    /* The largest power of two not above it (len >= 1). */
    return len >= 8 ? 8 : len >= 4 ? 4 : len >= 2 ? 2 : 1;
}

static unsigned io_piece_len(const MemoryRegion *mr, uint64_t off, uint64_t len)
{
    const MemoryRegionOps *ops = mr->ops;
    return access_piece_len(size_or(ops->valid.max_access_size, 4),
                            ops->impl.unaligned, off, len);
}

/* ---------------------------------------------------------------------- */
/* Byte-buffer access                                                      */

static MemTxResult tx_worst(MemTxResult a, MemTxResult b)
{
    return a > b ? a : b;
}

/*
 * Finds what lies at addr: copies its range into *fr and returns true, or
 * returns false with *gap the number of unassigned bytes from addr (>= 1).
 */
static bool as_piece(AddressSpace *as, uint64_t addr, FlatRange *fr,
                     uint64_t *gap)
{
    as_update(as);
    /* Consecutive accesses mostly hit the same range: try it first. */
    size_t idx = as->last_hit;
    if (idx < as->nr_ranges && as->ranges[idx].start <= addr &&
        addr - as->ranges[idx].start < as->ranges[idx].size) {
        *fr = as->ranges[idx];
        return true;
    }
    idx = flat_first_after(as, addr);
    if (idx < as->nr_ranges && as->ranges[idx].start <= addr) {
        as->last_hit = idx;
        *fr = as->ranges[idx];
        return true;
    }
    /* The last byte of the space is never mapped: at least 1 byte. */
    uint64_t end = idx < as->nr_ranges ? as->ranges[idx].start : UINT64_MAX;
    *gap = end > addr ? end - addr : 1;
    return false;
}

/*
 * Unassigned bytes at addr. QEMU treats them as an I/O region that rejects
 * every access, in pieces of up to 4 aligned bytes that may run over the
 * start of the next region (whose bytes then read 0 too). A run of whole
 * 4-byte pieces inside the gap is taken at once.
 */
static uint64_t unassigned_piece_len(uint64_t addr, uint64_t len, uint64_t gap)
{
    uint64_t n = access_piece_len(4, false, addr, len);
    uint64_t run = MIN(len, gap);
    if (n == 4 && run >= 4) {
        n = run & ~(uint64_t)3;
    }
    return n;
}

/* One piece of an I/O region at offset off: one dispatched access. */
static unsigned io_rw_piece(MemoryRegion *mr, uint64_t off, uint8_t *buf,
                            uint64_t len, bool is_write, MemTxResult *res)
{
    unsigned n = io_piece_len(mr, off, len);
    uint64_t val = is_write ? ld_le_n(buf, n) : 0;
    *res = tx_worst(*res, io_access(mr, off, &val, n, is_write));
    if (!is_write) {
        st_le_n(buf, n, val);
    }
    return n;
}

/*
 * One piece of a transfer at addr, at most len bytes: returns its length
 * and accumulates the result. QEMU's flatview_read/write_continue body:
 * RAM pieces end where their range ends; an I/O piece is one access at
 * the region's offset, sized by memory_access_size only, so it may run past
 * the range (inl 0xcf8 is one access to 0xcf8 although 0xcf9 is another
 * region's).
 */
static uint64_t as_rw_piece(AddressSpace *as, uint64_t addr, uint8_t *buf,
                            uint64_t len, bool is_write, MemTxResult *res)
{
    FlatRange fr;
    uint64_t l;

    if (!as_piece(as, addr, &fr, &l)) {
        l = unassigned_piece_len(addr, len, l);
        if (!is_write) {
            memset(buf, 0, l);
        }
        *res = tx_worst(*res, MEMTX_DECODE_ERROR);
        return l;
    }
    uint64_t off = fr.offset_in_mr + (addr - fr.start);
    MemoryRegion *mr = fr.mr;

    if (mr->kind == MR_KIND_IO) {
        return io_rw_piece(mr, off, buf, len, is_write, res);
    }
    l = MIN(len, fr.size - (addr - fr.start));
    if (!is_write) {
        memcpy(buf, mr->ram + off, l);
    } else if (mr->kind == MR_KIND_RAM) {
        memcpy(mr->ram + off, buf, l);
        mr_mark_dirty(mr, off, l);
    } else {
        /* ROM: QEMU rejects the write as an invalid access. */
        guest_error("write to ROM '%s' at 0x%" PRIx64 " ignored", mr->name, off);
        *res = tx_worst(*res, MEMTX_DECODE_ERROR);
    }
    return l;
}

static MemTxResult as_rw(AddressSpace *as, uint64_t addr, uint8_t *buf,
                         uint64_t len, bool is_write)
{
    MemTxResult res = MEMTX_OK;
    while (len > 0) {
        uint64_t l = as_rw_piece(as, addr, buf, len, is_write, &res);
        addr += l;
        buf += l;
        len -= l;
    }
    return res;
}

MemTxResult as_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len)
{
    return as_rw(as, addr, buf, len, false);
}

MemTxResult as_write(AddressSpace *as, uint64_t addr, const void *buf,
                     uint64_t len)
{
    /* The buffer is only read on a write. */
    return as_rw(as, addr, (uint8_t *)buf, len, true);
}

uint64_t as_read_val(AddressSpace *as, uint64_t addr, unsigned size,
                     MemTxResult *res)
{
    uint8_t buf[8] = { 0 };
    if (size > sizeof(buf)) {
        emu_bug("as_read_val: size %u", size);
    }
    MemTxResult r = as_read(as, addr, buf, size);
    if (res) {
        *res = r;
    }
    return ld_le_n(buf, size);
}

void as_write_val(AddressSpace *as, uint64_t addr, uint64_t val, unsigned size,
                  MemTxResult *res)
{
    uint8_t buf[8];
    if (size > sizeof(buf)) {
        emu_bug("as_write_val: size %u", size);
    }
    st_le_n(buf, size, val);
    MemTxResult r = as_write(as, addr, buf, size);
    if (res) {
        *res = r;
    }
}

/* The offset of addr in fr's region, when an access of size bytes there is
 * one dispatched I/O piece (what as_rw_piece would make of it). */
static bool range_io_piece(const FlatRange *fr, uint64_t addr, unsigned size,
                           uint64_t *off)
{
    const MemoryRegion *mr = fr->mr;
    if (mr->kind != MR_KIND_IO) {
        return false;
    }
    *off = fr->offset_in_mr + (addr - fr->start);
    /* A size the callbacks take, aligned: one piece without working it out. */
    return ((mr->io_direct_sizes & size) && !(*off & (size - 1))) ||
           io_piece_len(mr, *off, size) == size;
}

uint64_t as_range_read_val(AddressSpace *as, const FlatRange *fr, uint64_t addr,
                           unsigned size)
{
    uint64_t off, val;
    if (!range_io_piece(fr, addr, size, &off)) {
        return as_read_val(as, addr, size, NULL);
    }
    io_access(fr->mr, off, &val, size, false);
    return val & mask_bytes(size);
}

void as_range_write_val(AddressSpace *as, const FlatRange *fr, uint64_t addr,
                        uint64_t val, unsigned size)
{
    uint64_t off;
    if (!range_io_piece(fr, addr, size, &off)) {
        as_write_val(as, addr, val, size, NULL);
        return;
    }
    val &= mask_bytes(size);
    io_access(fr->mr, off, &val, size, true);
}

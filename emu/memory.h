/* SPDX-License-Identifier: MIT */
/*
 * Memory regions and address spaces, after QEMU's memory API.
 *
 * A region is RAM, ROM, I/O (callbacks), a container of subregions, or an
 * alias into part of another region. Subregions have an offset in their
 * container and a priority; higher priority wins where siblings overlap, and
 * among equal priorities the one added last wins (as in QEMU). An address
 * space has a root region; it is flattened lazily into sorted ranges, and
 * every access binary-searches them.
 *
 * Access sizes: ops->valid says what the guest may do (an invalid access is
 * dropped: reads give 0, as QEMU's unassigned_mem_read), ops->impl says what
 * the callbacks handle; the core splits a wide access into several narrower
 * ones, or widens a narrow one, little-endian, as QEMU 7.2 does. A zero min
 * means 1, a zero max means 4.
 *
 * Unassigned addresses read 0 and ignore writes. (The pc board makes its I/O
 * root an I/O region that reads all ones, as QEMU's.)
 *
 * Re-entrancy: a region access enters its owner (object_enter); while the
 * owner is inside any callback (a region access, its PCI config, a timer, a
 * bottom half, a backend delivery), an access to one of its regions is
 * refused (reads 0, MEMTX_ERROR, guest_refusal). This stops a device's DMA
 * or MSI from re-entering its own registers, whatever started it.
 *
 * Regions are embedded in device instances and initialised at realize; the
 * core allocates only at set-up (RAM backing, dirty bitmaps) and when a
 * flattened view outgrows its capacity.
 */
#ifndef EMU_MEMORY_H
#define EMU_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "emu/object.h"

#define EMU_PAGE_BITS 12
#define EMU_PAGE_SIZE (1u << EMU_PAGE_BITS)

/* Size of a region covering a whole 64-bit space (its last byte excluded). */
#define MR_SIZE_MAX UINT64_MAX

typedef enum MemTxResult {
    MEMTX_OK = 0,
    MEMTX_ERROR = 1,          /* device refused, or re-entrancy */
    MEMTX_DECODE_ERROR = 2,   /* nothing there, or invalid size/alignment */
} MemTxResult;

typedef struct MemoryAccessSizes {
    unsigned min_access_size;   /* 0 means 1 */
    unsigned max_access_size;   /* 0 means 4 */
    bool unaligned;
} MemoryAccessSizes;

typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, uint64_t addr, unsigned size);
    void (*write)(void *opaque, uint64_t addr, uint64_t data, unsigned size);
    MemoryAccessSizes valid;
    MemoryAccessSizes impl;
} MemoryRegionOps;

typedef enum MemoryRegionKind {
    MR_KIND_NONE = 0,
    MR_KIND_RAM,
    MR_KIND_ROM,       /* reads like RAM; guest writes are ignored */
    MR_KIND_IO,
    MR_KIND_CONTAINER,
    MR_KIND_ALIAS,
} MemoryRegionKind;

typedef struct AddressSpace AddressSpace;
typedef struct DMABudget DMABudget;

/* The dirty pages of a RAM region: one bit per page, and the span of words
 * that may have bits set, so that draining it costs what was dirtied rather
 * than the size of RAM. */
typedef struct DirtyLog {
    size_t lo, hi;                  /* words [lo, hi) may be non-zero */
    unsigned long bits[];
} DirtyLog;

struct MemoryRegion {
    MemoryRegionKind kind;
    const char *name;
    Object *owner;                  /* may be NULL */
    ObjectTrack *track;             /* set by a snapshot: see mr_touch */
    MemoryRegion *owner_next;       /* next region of the same owner */
    uint64_t size;
    /* Placement in the parent container. */
    MemoryRegion *container;
    uint64_t addr;
    int priority;
    bool enabled;
    MemoryRegion *subregions;       /* highest priority first */
    MemoryRegion *next_sibling;
    /* I/O */
    const MemoryRegionOps *ops;
    void *opaque;
    uint8_t io_direct_sizes;        /* mr_init_io: see io_access */
    /* RAM / ROM: host backing, one dirty bit per page */
    uint8_t *ram;
    DirtyLog *dirty;
    /* Alias */
    MemoryRegion *alias;
    uint64_t alias_offset;
    /* Set on a root region by as_init. */
    AddressSpace *as;
    /* A container in no address space, seen only through aliases (a PCI
     * bridge's secondary bus space): the region whose tree holds those
     * aliases, so that a change inside re-flattens it (mr_set_rendered_in). */
    MemoryRegion *rendered_in;
};

typedef struct FlatRange {
    uint64_t start;
    uint64_t size;
    MemoryRegion *mr;          /* a RAM, ROM or I/O leaf, never a container */
    uint64_t offset_in_mr;     /* address of `start` inside mr */
} FlatRange;

typedef void (*DMAReadHook)(void *opaque, AddressSpace *as, uint64_t addr,
                            uint64_t len);

struct AddressSpace {
    const char *name;
    MemoryRegion *root;
    bool dirty;                /* topology changed since last flatten */
    FlatRange *ranges;
    size_t nr_ranges;
    size_t cap_ranges;
    uint64_t generation;       /* bumped each time the ranges are rebuilt */
    size_t last_hit;           /* lookup cache: the range found last */
    /* Called by dma_read before it reads guest RAM (see dma.h). */
    DMAReadHook dma_read_hook;
    void *dma_read_hook_opaque;
    /* What dma_read/dma_write charge (see dma.h); NULL: unbounded. */
    DMABudget *dma_budget;
};

/* Initialisation (set-up only). Names must outlive the region. */
void mr_init_container(MemoryRegion *mr, Object *owner, const char *name,
                       uint64_t size);
void mr_init_io(MemoryRegion *mr, Object *owner, const MemoryRegionOps *ops,
                void *opaque, const char *name, uint64_t size);
void mr_init_ram(MemoryRegion *mr, Object *owner, const char *name, uint64_t size);
void mr_init_rom(MemoryRegion *mr, Object *owner, const char *name, uint64_t size);
void mr_init_alias(MemoryRegion *mr, Object *owner, const char *name,
                   MemoryRegion *target, uint64_t offset, uint64_t size);

/* Topology: any of these may run while an input runs (BAR moves, PAM). */
void mr_add_subregion(MemoryRegion *container, uint64_t offset,
                      MemoryRegion *sub);
void mr_add_subregion_overlap(MemoryRegion *container, uint64_t offset,
                              MemoryRegion *sub, int priority);
void mr_del_subregion(MemoryRegion *container, MemoryRegion *sub);
void mr_set_enabled(MemoryRegion *mr, bool enabled);
void mr_set_address(MemoryRegion *mr, uint64_t addr);
void mr_set_alias_offset(MemoryRegion *mr, uint64_t offset);
/* I/O, container and alias regions only (a bridge window, an ECAM or TSEG
 * size the guest picks); a size of 0 decodes nothing. */
void mr_set_size(MemoryRegion *mr, uint64_t size);
bool mr_is_mapped(const MemoryRegion *mr);
/* Set-up only: root, a container outside any address space, is shown
 * through aliases that live in view's tree (QEMU re-renders every view on
 * each change; here the change walks on from root to view). */
void mr_set_rendered_in(MemoryRegion *root, MemoryRegion *view);

/* Host backing of a RAM/ROM region, for set-up code (loading ROM contents).
 * Writes through it bypass dirty tracking: load guest RAM with as_write
 * instead, or the snapshot will take those pages for zeros. */
uint8_t *mr_ram_ptr(MemoryRegion *mr);
/* Writes into a RAM region that is no guest memory (a backend's overlay)
 * with dirty tracking, so a snapshot restores what changed. The range
 * must lie inside the region (emu_bug otherwise). A NULL buf writes zeros. */
void mr_ram_write(MemoryRegion *mr, uint64_t off, const void *buf, uint64_t len);
/* Releases the backing and bitmap of a RAM/ROM region (tests, tear-down). */
void mr_free_backing(MemoryRegion *mr);
/* Dirty-page bitmap of a RAM region (writes through emu/ set it). */
bool mr_page_dirty(const MemoryRegion *mr, uint64_t page);
void mr_clear_dirty(MemoryRegion *mr);
/* Calls fn for each page dirtied since the last clear, in page order, and
 * clears them; returns how many there were. */
size_t mr_drain_dirty(MemoryRegion *mr, void (*fn)(void *opaque, uint64_t page),
                      void *opaque);
size_t mr_nr_pages(const MemoryRegion *mr);

/* Address spaces. */
void as_init(AddressSpace *as, MemoryRegion *root, const char *name);
/* Re-flatten now if the topology changed. Dispatch calls it itself, on
 * every access: inline, the check only. */
void as_update_flatten(AddressSpace *as);
static inline void as_update(AddressSpace *as)
{
    if (as->dirty) {
        as_update_flatten(as);
    }
}
const FlatRange *as_ranges(AddressSpace *as, size_t *count);
const FlatRange *as_lookup(AddressSpace *as, uint64_t addr);

/*
 * Byte-buffer access, split at range boundaries and into accesses the
 * regions accept (QEMU's flatview_read/write). Values are little-endian.
 * The result is the worst of the pieces; unassigned pieces read 0.
 */
MemTxResult as_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len);
MemTxResult as_write(AddressSpace *as, uint64_t addr, const void *buf,
                     uint64_t len);
/* One access of 1, 2, 4 or 8 bytes; what qtest's inb/readl etc. do. */
uint64_t as_read_val(AddressSpace *as, uint64_t addr, unsigned size,
                     MemTxResult *res);
void as_write_val(AddressSpace *as, uint64_t addr, uint64_t val, unsigned size,
                  MemTxResult *res);
/*
 * The same two, at an addr already found in fr: a range of as_ranges(as)
 * since the last change of the map (as_update, same generation). An
 * access that is one call of an I/O region's callbacks goes straight to
 * it; any other takes the general path. The fuzzer's ops pick a range,
 * then access it: the lookup would only find that range again.
 */
uint64_t as_range_read_val(AddressSpace *as, const FlatRange *fr, uint64_t addr,
                           unsigned size);
void as_range_write_val(AddressSpace *as, const FlatRange *fr, uint64_t addr,
                        uint64_t val, unsigned size);

/*
 * `info mtree`, as QEMU's monitor prints it: "address-space: NAME", then
 * the enabled regions as a tree,
 *   "  0000000000000000-000000000000ffff (prio 0, i/o): io"
 * aliases as "alias NAME @TARGET START-END". Flags as QEMU's options:
 * MTREE_FLAT (-f) the flattened ranges instead, MTREE_OWNER (-o) each
 * region's owner as " owner:{dev path=/machine/...}", MTREE_DISABLED (-D)
 * disabled regions too, marked " [disabled]".
 */
#define MTREE_FLAT     1u
#define MTREE_OWNER    2u
#define MTREE_DISABLED 4u
void as_print_mtree(AddressSpace *as, GString *out, unsigned flags);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Flattening: an address space's region tree rendered into sorted,
 * non-overlapping ranges, as QEMU 7.2 renders a FlatView (subregions in
 * priority order before their container, aliases followed, neighbours
 * merged). Rebuilt lazily when the topology changed; see memory.h.
 */
#include "emu/memory.h"

#include <string.h>

#include "emu/log.h"
#include "emu/memory-internal.h"

/* Flattening works in 128-bit arithmetic: alias bases may go below zero. */
__extension__ typedef __int128 Int128;

static bool mr_is_leaf_kind(MemoryRegionKind kind)
{
    return kind == MR_KIND_RAM || kind == MR_KIND_ROM || kind == MR_KIND_IO;
}

static void flat_insert_at(AddressSpace *as, size_t idx, uint64_t start,
                           uint64_t end, MemoryRegion *mr, uint64_t offset)
{
    if (as->nr_ranges == as->cap_ranges) {
        as->cap_ranges = as->cap_ranges ? as->cap_ranges * 2 : 16;
        as->ranges = g_realloc_n(as->ranges, as->cap_ranges, sizeof(FlatRange));
    }
    memmove(&as->ranges[idx + 1], &as->ranges[idx],
            (as->nr_ranges - idx) * sizeof(FlatRange));
    as->ranges[idx] = (FlatRange){
        .start = start, .size = end - start, .mr = mr, .offset_in_mr = offset,
    };
    as->nr_ranges++;
}

/* Index of the first range that ends after addr (nr_ranges if none). */
size_t flat_first_after(const AddressSpace *as, uint64_t addr)
{
    size_t lo = 0, hi = as->nr_ranges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const FlatRange *fr = &as->ranges[mid];
        if (fr->start + fr->size <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/*
 * Fill the parts of [start, end) not yet covered with mr, whose byte 0 is
 * at `base`: what was rendered first (higher priority) stays.
 */
static void flat_fill_gaps(AddressSpace *as, uint64_t start, uint64_t end,
                           MemoryRegion *mr, Int128 base)
{
    size_t idx = flat_first_after(as, start);
    uint64_t cur = start;

    while (cur < end) {
        if (idx < as->nr_ranges && as->ranges[idx].start <= cur) {
            const FlatRange *fr = &as->ranges[idx++];
            cur = fr->start + fr->size;
            continue;
        }
        uint64_t gap_end = end;
        if (idx < as->nr_ranges && as->ranges[idx].start < end) {
            gap_end = as->ranges[idx].start;
        }
        flat_insert_at(as, idx++, cur, gap_end, mr, (uint64_t)(cur - base));
        cur = gap_end;
    }
}

/* QEMU's render_memory_region: subregions first, then the region itself. */
static void flat_render(AddressSpace *as, MemoryRegion *mr, Int128 base,
                        Int128 clip_start, Int128 clip_end, unsigned depth)
{
    if (depth > MR_MAX_DEPTH) {
        emu_bug("region nesting deeper than %d at %s", MR_MAX_DEPTH, mr->name);
    }
    if (!mr->enabled) {
        return;
    }
    base += mr->addr;
    Int128 start = base > clip_start ? base : clip_start;
    Int128 end = base + (Int128)mr->size;
    end = end < clip_end ? end : clip_end;
    if (start >= end) {
        return;
    }
    if (mr->kind == MR_KIND_ALIAS) {
        if (mr->alias) {
            Int128 target_base =
                base - (Int128)mr->alias->addr - (Int128)mr->alias_offset;
            flat_render(as, mr->alias, target_base, start, end, depth + 1);
        }
        return;
    }
    for (MemoryRegion *sub = mr->subregions; sub; sub = sub->next_sibling) {
        flat_render(as, sub, base, start, end, depth + 1);
    }
    if (mr_is_leaf_kind(mr->kind)) {
        flat_fill_gaps(as, (uint64_t)start, (uint64_t)end, mr, base);
    }
}

/* Merge neighbours of the same region whose offsets continue. */
static void flat_simplify(AddressSpace *as)
{
    size_t out = 0;
    for (size_t i = 0; i < as->nr_ranges; i++) {
        FlatRange *fr = &as->ranges[i];
        if (out > 0) {
            FlatRange *prev = &as->ranges[out - 1];
            if (prev->mr == fr->mr && prev->start + prev->size == fr->start &&
                prev->offset_in_mr + prev->size == fr->offset_in_mr) {
                prev->size += fr->size;
                continue;
            }
        }
        as->ranges[out++] = *fr;
    }
    as->nr_ranges = out;
}

void as_update_flatten(AddressSpace *as)
{
    as->nr_ranges = 0;
    if (as->root) {
        flat_render(as, as->root, 0, 0, (Int128)UINT64_MAX, 0);
    }
    flat_simplify(as);
    as->dirty = false;
    as->generation++;
}
const FlatRange *as_ranges(AddressSpace *as, size_t *count)
{
    as_update(as);
    if (count) {
        *count = as->nr_ranges;
    }
    return as->ranges;
}

const FlatRange *as_lookup(AddressSpace *as, uint64_t addr)
{
    as_update(as);
    size_t idx = flat_first_after(as, addr);
    if (idx < as->nr_ranges && as->ranges[idx].start <= addr) {
        return &as->ranges[idx];
    }
    return NULL;
}

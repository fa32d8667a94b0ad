/* SPDX-License-Identifier: MIT */
/*
 * `info mtree`: an address space's region tree, or its flattened ranges,
 * printed as QEMU 7.2's monitor prints them; see memory.h.
 */
#include "emu/memory.h"

#include <inttypes.h>
#include <string.h>

#include "emu/log.h"
#include "emu/memory-internal.h"

static const char *mr_kind_name(const MemoryRegion *mr)
{
    for (unsigned depth = 0; mr && mr->kind == MR_KIND_ALIAS &&
         depth < MR_MAX_DEPTH; depth++) {
        mr = mr->alias;
    }
    if (!mr) {
        return "i/o";
    }
    switch (mr->kind) {
    case MR_KIND_RAM:
        return "ram";
    case MR_KIND_ROM:
        return "rom";
    default:
        return "i/o";
    }
}

/* Last byte of [start, start + size); MR_SIZE_MAX counts as 2^64. */
static uint64_t mtree_last(uint64_t start, uint64_t size)
{
    if (size == 0) {
        return start;
    }
    return start + (size == MR_SIZE_MAX ? UINT64_MAX : size - 1);
}

/* QEMU's -o form: a device by its id if it has one, else by its path. */
static void mtree_owner(const MemoryRegion *mr, unsigned flags, GString *out)
{
    const Object *o = mr->owner;
    if (!(flags & MTREE_OWNER) || !o) {
        return;
    }
    bool dev = object_is_a(o, "device");
    if (dev && o->parent && o->parent->name &&
        strcmp(o->parent->name, "peripheral") == 0) {
        g_string_append_printf(out, " owner:{dev id=%s}", o->name);
        return;
    }
    char *path = object_get_path(o);
    g_string_append_printf(out, " owner:{%s path=%s}", dev ? "dev" : "obj", path);
    g_free(path);
}

static void mtree_line(const MemoryRegion *mr, uint64_t start, unsigned level,
                       unsigned flags, GString *out)
{
    for (unsigned i = 0; i < level; i++) {
        g_string_append(out, "  ");
    }
    g_string_append_printf(out, "%016" PRIx64 "-%016" PRIx64 " (prio %d, %s): ",
                           start, mtree_last(start, mr->size), mr->priority,
                           mr_kind_name(mr));
    if (mr->kind == MR_KIND_ALIAS) {
        g_string_append_printf(out, "alias %s @%s %016" PRIx64 "-%016" PRIx64,
                               mr->name,
                               mr->alias ? mr->alias->name : "(null)",
                               mr->alias_offset,
                               mtree_last(mr->alias_offset, mr->size));
    } else {
        g_string_append(out, mr->name ? mr->name : "(null)");
    }
    if (!mr->enabled) {
        g_string_append(out, " [disabled]");
    }
    mtree_owner(mr, flags, out);
    g_string_append_c(out, '\n');
}

/* QEMU prints siblings by address, then by descending priority (stable). */
static bool mtree_before(const MemoryRegion *a, const MemoryRegion *b)
{
    return a->addr < b->addr ||
           (a->addr == b->addr && a->priority > b->priority);
}

static void mtree_print_mr(const MemoryRegion *mr, uint64_t base,
                           unsigned level, unsigned flags, GString *out)
{
    uint64_t start = base + mr->addr;
    size_t n = 0;

    if (level > MR_MAX_DEPTH) {
        emu_bug("region nesting deeper than %d", MR_MAX_DEPTH);
    }
    if (!mr->enabled && !(flags & MTREE_DISABLED)) {
        return;
    }
    mtree_line(mr, start, level, flags, out);
    for (const MemoryRegion *s = mr->subregions; s; s = s->next_sibling) {
        n++;
    }
    const MemoryRegion **subs = g_new(const MemoryRegion *, n ? n : 1);
    n = 0;
    for (const MemoryRegion *s = mr->subregions; s; s = s->next_sibling) {
        size_t i = n++;
        while (i > 0 && mtree_before(s, subs[i - 1])) {
            subs[i] = subs[i - 1];
            i--;
        }
        subs[i] = s;
    }
    for (size_t i = 0; i < n; i++) {
        mtree_print_mr(subs[i], start, level + 1, flags, out);
    }
    g_free(subs);
}

static void mtree_print_flat(AddressSpace *as, unsigned flags, GString *out)
{
    const char *root = as->root && as->root->name ? as->root->name : "(none)";
    size_t n;
    const FlatRange *fr = as_ranges(as, &n);

    g_string_append_printf(out, "FlatView\n AS \"%s\", root: %s\n"
                           " Root memory region: %s\n", as->name, root, root);
    if (n == 0) {
        g_string_append(out, "  No rendered FlatView\n");
    }
    for (size_t i = 0; i < n; i++, fr++) {
        const MemoryRegion *mr = fr->mr;
        /* A range ending at the excluded last byte reaches the top. */
        uint64_t end = fr->start + fr->size;
        uint64_t last = end == UINT64_MAX ? UINT64_MAX : end - 1;
        g_string_append_printf(out, "  %016" PRIx64 "-%016" PRIx64
                               " (prio %d, %s): %s", fr->start, last,
                               mr->priority,
                               mr_kind_name(mr), mr->name ? mr->name : "(null)");
        if (fr->offset_in_mr) {
            g_string_append_printf(out, " @%016" PRIx64, fr->offset_in_mr);
        }
        mtree_owner(mr, flags, out);
        g_string_append_c(out, '\n');
    }
}

void as_print_mtree(AddressSpace *as, GString *out, unsigned flags)
{
    if (flags & MTREE_FLAT) {
        mtree_print_flat(as, flags, out);
    } else {
        g_string_append_printf(out, "address-space: %s\n", as->name);
        if (as->root) {
            mtree_print_mr(as->root, 0, 1, flags, out);
        }
    }
    g_string_append_c(out, '\n');
}

/* SPDX-License-Identifier: MIT */
/* In-process machine snapshots; see snapshot.h. */
#include "emu/snapshot.h"

#include <string.h>

#include "emu/log.h"

typedef struct Blob {
    void *ptr;
    size_t size;
    void *copy;
    Object *owner;
} Blob;

/* Guest RAM is mostly untouched when the snapshot is taken. Every write to
 * RAM sets its dirty bit from the start, so the pages dirty at the take are
 * the only ones with content: only those are copied (nothing else is even
 * read, which would map it), and a dirtied page without a copy goes back to
 * zeros. That keeps the snapshot small and a fork of the process cheap. */
typedef struct RamSave {
    MemoryRegion *mr;
    uint8_t **pages;        /* per page: its saved content, or NULL if zero */
} RamSave;

typedef struct FlatSave {
    AddressSpace *as;
    FlatRange *ranges;
    size_t nr;
} FlatSave;

struct Snapshot {
    Machine *m;
    Machine machine_copy;
    GArray *blobs;          /* Blob */
    GArray *rams;           /* RamSave */
    FlatSave flat[2];
    SnapshotStats stats;
};

static bool snapshot_covers(const Snapshot *s, const void *p)
{
    const uint8_t *b = p;
    const uint8_t *m = (const uint8_t *)s->m;
    if (b >= m && b < m + sizeof(Machine)) {
        return true;
    }
    for (guint i = 0; i < s->blobs->len; i++) {
        const Blob *blob = &g_array_index(s->blobs, Blob, i);
        if (b >= (const uint8_t *)blob->ptr && b < (const uint8_t *)blob->ptr + blob->size) {
            return true;
        }
    }
    return false;
}

static void snapshot_add_owned(Snapshot *s, void *ptr, size_t size, Object *owner)
{
    Blob b = { ptr, size, g_memdup2(ptr, size), owner };
    g_array_append_val(s->blobs, b);
    s->stats.state_bytes += size;
}

void snapshot_add_blob(Snapshot *s, void *ptr, size_t size)
{
    snapshot_add_owned(s, ptr, size, NULL);
}

static int snapshot_add_object(Object *obj, void *opaque)
{
    Snapshot *s = opaque;
    size_t size = obj->type->instance_size;
    bool embedded = obj == &s->m->obj || obj == &s->m->root;
    if (!embedded && size >= sizeof(Object) && !object_is_a(obj, "container")) {
        snapshot_add_owned(s, obj, size, obj);
    }
    return 0;
}

static void snapshot_save_ram(Snapshot *s, MemoryRegion *mr)
{
    size_t n = mr_nr_pages(mr);
    RamSave r = { mr, g_new0(uint8_t *, n) };
    for (size_t page = 0; page < n; page++) {
        uint64_t off = (uint64_t)page << EMU_PAGE_BITS;
        size_t len = MIN(EMU_PAGE_SIZE, mr->size - off);
        if (mr_page_dirty(mr, page)) {
            r.pages[page] = g_memdup2(mr->ram + off, len);
            s->stats.ram_bytes += len;
        }
    }
    g_array_append_val(s->rams, r);
    mr_clear_dirty(mr);
}

/* Regions outside every instance (the board's RAM aliases, say). */
static int snapshot_add_regions(Object *obj, void *opaque)
{
    Snapshot *s = opaque;
    for (MemoryRegion *mr = obj->regions; mr; mr = mr->owner_next) {
        if (mr->kind == MR_KIND_RAM) {
            snapshot_save_ram(s, mr);
        }
        if (!snapshot_covers(s, mr)) {
            snapshot_add_owned(s, mr, sizeof(*mr), obj);
        }
    }
    return 0;
}

static void snapshot_save_flat(FlatSave *f, AddressSpace *as)
{
    as_update(as);
    f->as = as;
    f->nr = as->nr_ranges;
    f->ranges = g_memdup2(as->ranges, f->nr * sizeof(FlatRange));
}

Snapshot *snapshot_take(Machine *m)
{
    Snapshot *s = g_new0(Snapshot, 1);
    s->m = m;
    s->blobs = g_array_new(FALSE, FALSE, sizeof(Blob));
    s->rams = g_array_new(FALSE, FALSE, sizeof(RamSave));
    snapshot_save_flat(&s->flat[0], &m->as_mem);
    snapshot_save_flat(&s->flat[1], &m->as_io);
    object_foreach_recursive(&m->root, snapshot_add_object, s);
    object_foreach_recursive(&m->root, snapshot_add_regions, s);
    s->machine_copy = *m;
    s->stats.state_bytes += sizeof(Machine);
    return s;
}

static void snapshot_restore_page(void *opaque, uint64_t page)
{
    RamSave *r = opaque;
    uint64_t off = page << EMU_PAGE_BITS;
    size_t len = MIN(EMU_PAGE_SIZE, r->mr->size - off);
    if (r->pages[page]) {
        memcpy(r->mr->ram + off, r->pages[page], len);
    } else {
        memset(r->mr->ram + off, 0, len);
    }
}

/* The flattened view is kept unless the topology changed since the take. */
static bool snapshot_flat_changed(const FlatSave *f)
{
    const AddressSpace *as = f->as;
    return as->dirty || as->nr_ranges != f->nr ||
           memcmp(as->ranges, f->ranges, f->nr * sizeof(FlatRange)) != 0;
}

size_t snapshot_restore(Snapshot *s)
{
    Machine *m = s->m;
    bool changed[2] = { snapshot_flat_changed(&s->flat[0]),
                        snapshot_flat_changed(&s->flat[1]) };
    AddressSpace as_mem = m->as_mem, as_io = m->as_io;
    *m = s->machine_copy;
    m->as_mem = as_mem;          /* their range arrays may have moved */
    m->as_io = as_io;
    for (guint i = 0; i < s->blobs->len; i++) {
        const Blob *b = &g_array_index(s->blobs, Blob, i);
        memcpy(b->ptr, b->copy, b->size);
    }
    for (int i = 0; i < 2; i++) {
        if (changed[i]) {
            s->flat[i].as->dirty = true;
            s->stats.reflattens++;
        }
    }
    size_t pages = 0;
    for (guint i = 0; i < s->rams->len; i++) {
        RamSave *r = &g_array_index(s->rams, RamSave, i);
        pages += mr_drain_dirty(r->mr, snapshot_restore_page, r);
    }
    s->stats.restores++;
    s->stats.pages_restored += pages;
    return pages;
}

const SnapshotStats *snapshot_stats(const Snapshot *s)
{
    return &s->stats;
}

void snapshot_diff(Snapshot *s,
                   void (*fn)(void *opaque, Object *owner, size_t offset, size_t size),
                   void *opaque)
{
    for (guint i = 0; i < s->blobs->len; i++) {
        const Blob *b = &g_array_index(s->blobs, Blob, i);
        const uint8_t *now = b->ptr, *then = b->copy;
        for (size_t off = 0; off < b->size;) {
            if (now[off] == then[off]) {
                off++;
                continue;
            }
            size_t end = off;
            while (end < b->size && now[end] != then[end]) {
                end++;
            }
            fn(opaque, b->owner, off, end - off);
            off = end;
        }
    }
}

void snapshot_foreach_state(Snapshot *s,
                            void (*fn)(void *opaque, Object *owner, const void *ptr,
                                       size_t size, uint64_t where),
                            void *opaque)
{
    fn(opaque, NULL, &s->m->clock.now, sizeof(s->m->clock.now), 0);
    for (guint i = 0; i < s->blobs->len; i++) {
        const Blob *b = &g_array_index(s->blobs, Blob, i);
        fn(opaque, b->owner, b->ptr, b->size, i);
    }
    for (guint i = 0; i < s->rams->len; i++) {
        MemoryRegion *mr = g_array_index(s->rams, RamSave, i).mr;
        for (size_t page = 0; page < mr_nr_pages(mr); page++) {
            if (mr_page_dirty(mr, page)) {
                uint64_t off = (uint64_t)page << EMU_PAGE_BITS;
                fn(opaque, mr->owner, mr->ram + off, MIN(EMU_PAGE_SIZE, mr->size - off),
                   off);
            }
        }
    }
}

void snapshot_free(Snapshot *s)
{
    for (guint i = 0; i < s->blobs->len; i++) {
        g_free(g_array_index(s->blobs, Blob, i).copy);
    }
    for (guint i = 0; i < s->rams->len; i++) {
        RamSave *r = &g_array_index(s->rams, RamSave, i);
        for (size_t page = 0; page < mr_nr_pages(r->mr); page++) {
            g_free(r->pages[page]);
        }
        g_free(r->pages);
    }
    g_free(s->flat[0].ranges);
    g_free(s->flat[1].ranges);
    g_array_free(s->blobs, TRUE);
    g_array_free(s->rams, TRUE);
    g_free(s);
}

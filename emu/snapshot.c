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
    const char *state;      /* object_add_state's or snapshot_add_blob's name */
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
    size_t nr_ranges;
} FlatSave;

/* The blobs of one object's instance (less the region structs in it), or
 * of one region struct: copied back only if touched since the last restore. */
typedef struct Track {
    ObjectTrack base;       /* first: what the object or region points to */
    Snapshot *s;
    guint first, count;     /* in s->blobs */
    Object *obj;            /* the object tracked, or NULL */
    MemoryRegion *mr;       /* the region tracked, or NULL */
} Track;

struct Snapshot {
    Machine *m;
    Machine machine_copy;
    GArray *blobs;          /* Blob, grouped by owner (tracks) */
    GArray *extra;          /* Blob: snapshot_add_blob, copied every time */
    GArray *rams;           /* RamSave */
    FlatSave flat[2];
    Track *tracks;
    guint nr_tracks;
    Track **touched;        /* touched since the last restore */
    guint nr_touched;
    SnapshotStats stats;
};

static bool snapshot_in_machine(const Snapshot *s, const void *p)
{
    const uint8_t *b = p, *m = (const uint8_t *)s->m;
    return b >= m && b < m + sizeof(Machine);
}

/*
 * What the take lists before the copies are made: each object instance and
 * each region (outside the machine struct) is one unit of tracking. A
 * region struct is its own unit even inside an instance: only the memory
 * API changes it, so a PAM switch copies back the aliases that moved and a
 * config access to the i440FX does not copy back its 52 aliases.
 */
typedef struct Unit {
    void *ptr;
    size_t size;
    Object *owner;          /* for reports: the object, or the region's */
    MemoryRegion *mr;       /* a region's unit, else NULL */
} Unit;

static void snapshot_unit(GArray *units, void *ptr, size_t size, Object *owner,
                          MemoryRegion *mr)
{
    Unit u = { ptr, size, owner, mr };
    g_array_append_val(units, u);
}

void snapshot_add_blob(Snapshot *s, const char *name, void *ptr, size_t size)
{
    Blob b = { ptr, size, g_memdup2(ptr, size), NULL, name };
    g_array_append_val(s->extra, b);
    s->stats.state_bytes += size;
}

typedef struct TakeCtx {
    Snapshot *s;
    GArray *units;
} TakeCtx;

static int snapshot_add_object(Object *obj, void *opaque)
{
    TakeCtx *c = opaque;
    size_t size = obj->type->instance_size;
    bool embedded = obj == &c->s->m->obj || obj == &c->s->m->root;
    if (!embedded && size >= sizeof(Object) && !object_is_a(obj, "container")) {
        snapshot_unit(c->units, obj, size, obj, NULL);
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

static int snapshot_add_regions(Object *obj, void *opaque)
{
    TakeCtx *c = opaque;
    for (MemoryRegion *mr = obj->regions; mr; mr = mr->owner_next) {
        if (mr->kind == MR_KIND_RAM) {
            snapshot_save_ram(c->s, mr);
        }
        if (!snapshot_in_machine(c->s, mr)) {
            snapshot_unit(c->units, mr, sizeof(*mr), obj, mr);
        }
    }
    return 0;
}

static gint snapshot_cmp_units(gconstpointer a, gconstpointer b)
{
    uintptr_t x = (uintptr_t)((const Unit *)a)->ptr, y = (uintptr_t)((const Unit *)b)->ptr;
    return x < y ? -1 : x > y;
}

static void snapshot_blob(Snapshot *s, void *ptr, size_t size, Object *owner,
                          const char *state)
{
    if (size) {
        Blob b = { ptr, size, NULL, owner, state };
        g_array_append_val(s->blobs, b);
        s->stats.state_bytes += size;
    }
}

/* The object's state outside its instance: what is live at the take. */
static void snapshot_object_states(Snapshot *s, Object *obj)
{
    for (ObjectState *st = obj->states; st; st = st->next) {
        size_t live = st->live ? MIN(st->live(obj), st->size) : st->size;
        snapshot_blob(s, st->ptr, live, obj, st->name);
    }
}

static void snapshot_first_touch(ObjectTrack *ot)
{
    Track *t = (Track *)ot;
    t->base.touched = true;
    t->s->touched[t->s->nr_touched++] = t;
}

/* One track per unit; an instance's blobs skip the region structs inside
 * it (units sorted by address, so those follow their instance). */
static void snapshot_make_tracks(Snapshot *s, GArray *units)
{
    g_array_sort(units, snapshot_cmp_units);
    s->nr_tracks = units->len;
    s->tracks = g_new0(Track, s->nr_tracks);
    s->touched = g_new0(Track *, s->nr_tracks);
    for (guint i = 0; i < units->len; i++) {
        const Unit *u = &g_array_index(units, Unit, i);
        Track *t = &s->tracks[i];
        t->base.first_touch = snapshot_first_touch;
        t->s = s;
        t->first = s->blobs->len;
        if (u->mr) {
            snapshot_blob(s, u->ptr, u->size, u->owner, NULL);
            t->mr = u->mr;
            u->mr->track = &t->base;
        } else {
            uint8_t *at = u->ptr, *end = at + u->size;
            for (guint j = i + 1; j < units->len; j++) {
                const Unit *in = &g_array_index(units, Unit, j);
                uint8_t *p = in->ptr;
                if (p >= end) {
                    break;
                }
                if (in->mr && p + in->size <= end) {
                    snapshot_blob(s, at, p - at, u->owner, NULL);
                    at = p + in->size;
                }
            }
            snapshot_blob(s, at, end - at, u->owner, NULL);
            snapshot_object_states(s, u->owner);
            t->obj = u->owner;
            u->owner->track = &t->base;
        }
        t->count = s->blobs->len - t->first;
    }
}

static void snapshot_save_flat(FlatSave *f, AddressSpace *as)
{
    as_update(as);
    f->as = as;
    f->nr_ranges = as->nr_ranges;
    f->ranges = g_memdup2(as->ranges, f->nr_ranges * sizeof(FlatRange));
}

Snapshot *snapshot_take(Machine *m)
{
    Snapshot *s = g_new0(Snapshot, 1);
    s->m = m;
    s->blobs = g_array_new(FALSE, FALSE, sizeof(Blob));
    s->extra = g_array_new(FALSE, FALSE, sizeof(Blob));
    s->rams = g_array_new(FALSE, FALSE, sizeof(RamSave));
    snapshot_save_flat(&s->flat[0], &m->as_mem);
    snapshot_save_flat(&s->flat[1], &m->as_io);
    TakeCtx c = { s, g_array_new(FALSE, FALSE, sizeof(Unit)) };
    object_foreach_recursive(&m->root, snapshot_add_object, &c);
    object_foreach_recursive(&m->root, snapshot_add_regions, &c);
    snapshot_make_tracks(s, c.units);
    g_array_free(c.units, TRUE);
    for (guint i = 0; i < s->blobs->len; i++) {
        Blob *b = &g_array_index(s->blobs, Blob, i);
        b->copy = g_memdup2(b->ptr, b->size);
    }
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

static size_t snapshot_copy_back(const GArray *blobs, guint first, guint count)
{
    size_t bytes = 0;
    for (guint i = first; i < first + count; i++) {
        const Blob *b = &g_array_index(blobs, Blob, i);
        memcpy(b->ptr, b->copy, b->size);
        bytes += b->size;
    }
    return bytes;
}

/* The flattened view is kept unless the topology changed since the take. */
static bool snapshot_flat_changed(const FlatSave *f)
{
    const AddressSpace *as = f->as;
    return as->dirty || as->nr_ranges != f->nr_ranges ||
           memcmp(as->ranges, f->ranges, f->nr_ranges * sizeof(FlatRange)) != 0;
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
    size_t bytes = sizeof(Machine) + snapshot_copy_back(s->extra, 0, s->extra->len);
    for (guint i = 0; i < s->nr_touched; i++) {
        Track *t = s->touched[i];
        bytes += snapshot_copy_back(s->blobs, t->first, t->count);
        t->base.touched = false;
    }
    s->stats.objects_restored += s->nr_touched;
    s->nr_touched = 0;
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
    s->stats.bytes_restored += bytes;
    return pages;
}

const SnapshotStats *snapshot_stats(const Snapshot *s)
{
    return &s->stats;
}

char *snapshot_describe(const SnapshotDiffAt *at)
{
    char *path = at->owner ? object_get_path(at->owner) : g_strdup("(harness)");
    const char *ctype = at->owner ? at->owner->type->instance_type : NULL;
    char *where = at->state ? g_strdup_printf("state '%s'", at->state)
                  : ctype   ? g_strdup_printf("instance (%s)", ctype)
                            : g_strdup("instance");
    char *line = g_strdup_printf("%s (%s) %s bytes 0x%zx..0x%zx", path,
                                 at->owner ? object_type_name(at->owner) : "-",
                                 where, at->offset, at->offset + at->size - 1);
    g_free(path);
    g_free(where);
    return line;
}

/* Calls fn for each run of bytes of b that differs from its copy. */
static size_t blob_diff(const Blob *b, SnapshotDiffFn fn, void *opaque)
{
    /* Offsets count from the instance's start, or the state's. */
    size_t base = b->owner && !b->state ? (size_t)((uint8_t *)b->ptr - (uint8_t *)b->owner)
                                        : 0;
    const uint8_t *now = b->ptr, *then = b->copy;
    size_t runs = 0;
    for (size_t off = 0; off < b->size;) {
        if (now[off] == then[off]) {
            off++;
            continue;
        }
        size_t end = off;
        while (end < b->size && now[end] != then[end]) {
            end++;
        }
        SnapshotDiffAt at = { b->owner, b->state, base + off, end - off };
        fn(opaque, &at);
        runs++;
        off = end;
    }
    return runs;
}

void snapshot_diff(Snapshot *s, SnapshotDiffFn fn, void *opaque)
{
    for (guint i = 0; i < s->blobs->len; i++) {
        blob_diff(&g_array_index(s->blobs, Blob, i), fn, opaque);
    }
    for (guint i = 0; i < s->extra->len; i++) {
        blob_diff(&g_array_index(s->extra, Blob, i), fn, opaque);
    }
}

size_t snapshot_check_untouched(Snapshot *s, SnapshotDiffFn fn, void *opaque)
{
    size_t runs = 0;
    for (guint t = 0; t < s->nr_tracks; t++) {
        const Track *track = &s->tracks[t];
        for (guint i = track->first; !track->base.touched && i < track->first + track->count;
             i++) {
            runs += blob_diff(&g_array_index(s->blobs, Blob, i), fn, opaque);
        }
    }
    return runs;
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
    for (guint i = 0; i < s->extra->len; i++) {
        const Blob *b = &g_array_index(s->extra, Blob, i);
        fn(opaque, NULL, b->ptr, b->size, s->blobs->len + i);
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

static void blobs_free(GArray *blobs)
{
    for (guint i = 0; i < blobs->len; i++) {
        g_free(g_array_index(blobs, Blob, i).copy);
    }
    g_array_free(blobs, TRUE);
}

void snapshot_free(Snapshot *s)
{
    for (guint t = 0; t < s->nr_tracks; t++) {
        if (s->tracks[t].obj) {
            s->tracks[t].obj->track = NULL;
        } else {
            s->tracks[t].mr->track = NULL;
        }
    }
    blobs_free(s->blobs);
    blobs_free(s->extra);
    for (guint i = 0; i < s->rams->len; i++) {
        RamSave *r = &g_array_index(s->rams, RamSave, i);
        for (size_t page = 0; page < mr_nr_pages(r->mr); page++) {
            g_free(r->pages[page]);
        }
        g_free(r->pages);
    }
    g_free(s->flat[0].ranges);
    g_free(s->flat[1].ranges);
    g_array_free(s->rams, TRUE);
    g_free(s->tracks);
    g_free(s->touched);
    g_free(s);
}

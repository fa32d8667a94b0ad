/* SPDX-License-Identifier: MIT */
/*
 * Objects: types, instances and the named tree that `info qom-tree` prints.
 *
 * A type is a const TypeInfo; an instance embeds Object as its first member
 * and is allocated once (object_new) at set-up. Types live in one explicit
 * table given to type_register_table() (hw/devices.c); there are no
 * constructors. Properties are a static table of name, kind and offset into
 * the instance, set from "-device driver,prop=val" strings before realize.
 */
#ifndef EMU_OBJECT_H
#define EMU_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

typedef struct Object Object;
typedef struct Machine Machine;
typedef struct MemoryRegion MemoryRegion;

typedef enum PropKind {
    PROP_U8,
    PROP_U16,
    PROP_U32,
    PROP_U64,      /* also accepts size suffixes k, M, G */
    PROP_I32,
    PROP_BOOL,     /* on/off, true/false, yes/no, 1/0 */
    PROP_STR,      /* stored as g_strdup'd char * (a default too: the previous
                      value is freed when set again) */
    PROP_PCI_DEVFN /* int32_t: "SLOT" or "SLOT.FN" in hex, as QEMU's addr= */
} PropKind;

typedef struct Property {
    const char *name;
    PropKind kind;
    size_t offset;        /* offsetof(instance, field) */
    const char *desc;     /* one line, for "-device DRIVER,help" */
} Property;

/* In a TypeInfo: the instance's size and C type name (leak reports name
 * the field from it: tools/field-of). */
#define OBJECT_INSTANCE(T) .instance_size = sizeof(T), .instance_type = #T

typedef struct TypeInfo {
    const char *name;         /* QEMU's driver name, e.g. "isa-serial" */
    const char *alias;        /* QEMU's other name for -device, or NULL
                                 ("virtio-net" for virtio-net-pci) */
    const char *parent;       /* parent type name or NULL; object_is_a walks it */
    const char *desc;         /* one line, for "-device help" */
    size_t instance_size;     /* 0: abstract type, cannot be created */
    const char *instance_type; /* the C type of the instance, for reports */
    bool user_creatable;      /* may be given with -device */
    const Property *props;    /* NULL or terminated by { .name = NULL } */
    /* Set defaults of properties and fields; runs before properties. */
    void (*init)(Object *obj);
    /* Build regions, timers, IRQs; map into the machine. Set-up only. */
    bool (*realize)(Object *obj, Machine *m, char **errp);
    /* Put every guest-visible field back to its power-on value. */
    void (*reset)(Object *obj);
} TypeInfo;

/*
 * Change tracking, for snapshots that copy back only what an input changed.
 * The core calls object_touch(obj) before it runs anything that may change
 * obj's instance: an access to one of its regions, a level on an IRQ it
 * owns, its timers and bottom halves, its PCI config space, the memory API
 * on its regions. A device whose code changes another object's instance
 * (not through those) touches that object itself. emu/snapshot.c installs
 * the hook; without a snapshot object_touch does nothing.
 */
typedef struct ObjectTrack ObjectTrack;

/*
 * State a device keeps outside its instance (a buffer allocated at realize,
 * too large to copy back with every restore): registered with
 * object_add_state, it belongs to the object's snapshot unit, copied back
 * when the object was touched and compared by the leak checks, under its
 * name. live(obj), if given, says how many bytes from the start hold state
 * now (a frame being assembled, a queue's used part); the snapshot keeps
 * those of the take, which the restored instance then describes again.
 */
typedef size_t (*ObjectLiveBytes)(const Object *obj);
typedef struct ObjectState ObjectState;
struct ObjectState {
    const char *name;
    void *ptr;
    size_t size;
    ObjectLiveBytes live;
    ObjectState *next;
};
struct ObjectTrack {
    bool touched;                           /* since the last restore */
    void (*first_touch)(ObjectTrack *t);    /* records it, sets touched */
};

struct Object {
    const TypeInfo *type;
    char *name;                 /* name as a child in the tree */
    Object *parent;
    Object *first_child;
    Object *last_child;
    Object *next_sibling;
    MemoryRegion *regions;      /* regions this object owns (mr->owner_next) */
    bool realized;
    bool entered_;              /* private to emu/: see object_enter */
    ObjectTrack *track;         /* set by a snapshot, else NULL */
    ObjectState *states;        /* object_add_state, set-up only */
};

static inline void object_touch(Object *obj)
{
    if (obj && obj->track && !obj->track->touched) {
        obj->track->first_touch(obj->track);
    }
}

/*
 * Re-entrancy, a core guarantee (DESIGN section 2, rule 5). Every path by
 * which the core runs device code goes through object_enter/object_leave:
 * region accesses (port I/O, MMIO, and so DMA and MSI that land on a
 * region), PCI config accesses, timers, bottom halves and backend callbacks
 * (net receive, block completion). While a device is entered, a second
 * entry is refused: object_enter returns false, having logged and traced the
 * refusal (guest_refusal, with `what`); the caller then does nothing, as a
 * bus error would. A device never sets or tests the flag itself.
 */
bool object_enter_refused(Object *obj, const char *what);
static inline bool object_enter(Object *obj, const char *what)
{
    if (!obj) {
        return true;
    }
    if (obj->entered_) {
        return object_enter_refused(obj, what);
    }
    object_touch(obj);
    obj->entered_ = true;
    return true;
}

static inline void object_leave(Object *obj)
{
    if (obj) {
        obj->entered_ = false;
    }
}
/* Set-up only (realize). name: a static string. live may be NULL. */
void object_add_state(Object *obj, const char *name, void *ptr, size_t size,
                      ObjectLiveBytes live);

/* Whether obj is inside one of those callbacks now (for tests). */
static inline bool object_entered(const Object *obj)
{
    return obj && obj->entered_;
}

/* The type table; must stay valid for the life of the process. */
void type_register_table(const TypeInfo *const *types);
const TypeInfo *type_lookup(const char *name);
/* A -device driver name: a type's name, else its alias (NULL: neither). */
const TypeInfo *type_lookup_driver(const char *name);
/* Calls fn for every registered type, in table order. */
void type_foreach(void (*fn)(const TypeInfo *t, void *opaque), void *opaque);
bool type_is_a(const TypeInfo *t, const char *name);

/* Allocates instance_size bytes (zeroed), sets type, runs init. */
Object *object_new(const TypeInfo *type);
Object *object_new_by_name(const char *type_name);
/* For a container or a statically embedded object: set type, name nothing. */
void object_initialize(Object *obj, const TypeInfo *type);
/* Container type ("container"), always registered. */
Object *object_new_container(void);

void object_add_child(Object *parent, const char *name, Object *child);
/* Adds as NAME[N] with the first free N, like QEMU's "device[N]". */
void object_add_child_indexed(Object *parent, const char *prefix, Object *child);
Object *object_find_child(Object *parent, const char *name);
/* Absolute path from the tree root, e.g. "/machine/unattached/device[3]". */
char *object_get_path(const Object *obj);  /* g_free the result */
Object *object_resolve(Object *root, const char *path);
const char *object_type_name(const Object *obj);
bool object_is_a(const Object *obj, const char *type_name);

/* Depth-first, parent before children; stops when fn returns non-zero. */
int object_foreach_recursive(Object *root, int (*fn)(Object *obj, void *opaque),
                             void *opaque);

/* Property access. Errors are one line, without a trailing newline. */
const Property *object_find_prop(const Object *obj, const char *name);
bool object_set_prop(Object *obj, const char *name, const char *value, char **errp);
/* "-device DRIVER,help": one line per property. */
void object_print_props(const TypeInfo *t, GString *out);

/* `info qom-tree`: "/name (type)" lines, two spaces per level, regions last. */
void object_print_tree(Object *root, GString *out);

#endif

/* SPDX-License-Identifier: MIT */
/* Types, instances, properties and the object tree; see object.h. */
#include "emu/object.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"

static const TypeInfo container_type = {
    .name = "container",
    .desc = "a folder in the object tree",
    OBJECT_INSTANCE(Object),
};

static const TypeInfo device_type = {
    .name = "device",
    .desc = "a device (abstract)",
};

static const TypeInfo *const builtin_types[] = {
    &container_type,
    &device_type,
    &machine_type,
    NULL,
};

/* Process-wide and read-only once set: the type table is code, not state. */
static const TypeInfo *const *registered_types;

void type_register_table(const TypeInfo *const *types)
{
    registered_types = types;
}

static const TypeInfo *type_lookup_in(const TypeInfo *const *table,
                                      const char *name)
{
    for (size_t i = 0; table && table[i]; i++) {
        if (strcmp(table[i]->name, name) == 0) {
            return table[i];
        }
    }
    return NULL;
}

const TypeInfo *type_lookup(const char *name)
{
    const TypeInfo *t = type_lookup_in(builtin_types, name);
    return t ? t : type_lookup_in(registered_types, name);
}

const TypeInfo *type_lookup_driver(const char *name)
{
    const TypeInfo *t = type_lookup(name);
    for (size_t i = 0; !t && registered_types && registered_types[i]; i++) {
        const char *alias = registered_types[i]->alias;
        if (alias && strcmp(alias, name) == 0) {
            t = registered_types[i];
        }
    }
    return t;
}

void type_foreach(void (*fn)(const TypeInfo *t, void *opaque), void *opaque)
{
    for (size_t i = 0; registered_types && registered_types[i]; i++) {
        fn(registered_types[i], opaque);
    }
}

bool type_is_a(const TypeInfo *t, const char *name)
{
    /* Bounded: a cycle in the parent chain would be a table bug. */
    for (int depth = 0; t && depth < 16; depth++) {
        if (strcmp(t->name, name) == 0) {
            return true;
        }
        t = t->parent ? type_lookup(t->parent) : NULL;
    }
    return false;
}

void object_initialize(Object *obj, const TypeInfo *type)
{
    memset(obj, 0, sizeof(*obj));
    obj->type = type;
}

Object *object_new(const TypeInfo *type)
{
    if (type->instance_size < sizeof(Object)) {
        emu_bug("type %s is abstract", type->name);
    }
    Object *obj = g_malloc0(type->instance_size);
    obj->type = type;
    if (type->init) {
        type->init(obj);
    }
    return obj;
}

Object *object_new_by_name(const char *type_name)
{
    const TypeInfo *t = type_lookup(type_name);
    return t && t->instance_size >= sizeof(Object) ? object_new(t) : NULL;
}

Object *object_new_container(void)
{
    return object_new(&container_type);
}

void object_add_child(Object *parent, const char *name, Object *child)
{
    if (object_find_child(parent, name)) {
        emu_bug("object %s already has a child %s", parent->name, name);
    }
    child->name = g_strdup(name);
    child->parent = parent;
    child->next_sibling = NULL;
    if (parent->last_child) {
        parent->last_child->next_sibling = child;
    } else {
        parent->first_child = child;
    }
    parent->last_child = child;
}

void object_add_child_indexed(Object *parent, const char *prefix, Object *child)
{
    for (unsigned n = 0;; n++) {
        char *name = g_strdup_printf("%s[%u]", prefix, n);
        if (!object_find_child(parent, name)) {
            object_add_child(parent, name, child);
            g_free(name);
            return;
        }
        g_free(name);
    }
}

Object *object_find_child(Object *parent, const char *name)
{
    for (Object *c = parent->first_child; c; c = c->next_sibling) {
        if (strcmp(c->name, name) == 0) {
            return c;
        }
    }
    return NULL;
}

char *object_get_path(const Object *obj)
{
    if (!obj->parent) {
        return g_strdup(obj->name && *obj->name ? obj->name : "/");
    }
    GPtrArray *parts = g_ptr_array_new();
    for (const Object *o = obj; o->parent; o = o->parent) {
        g_ptr_array_add(parts, o->name);
    }
    GString *path = g_string_new(NULL);
    for (guint i = parts->len; i > 0; i--) {
        g_string_append_c(path, '/');
        g_string_append(path, g_ptr_array_index(parts, i - 1));
    }
    g_ptr_array_free(parts, TRUE);
    return g_string_free(path, FALSE);
}

Object *object_resolve(Object *root, const char *path)
{
    char **parts = g_strsplit(path, "/", -1);
    Object *o = root;
    for (int i = 0; parts[i] && o; i++) {
        if (*parts[i]) {
            o = object_find_child(o, parts[i]);
        }
    }
    g_strfreev(parts);
    return o;
}

const char *object_type_name(const Object *obj)
{
    return obj->type->name;
}

bool object_is_a(const Object *obj, const char *type_name)
{
    return type_is_a(obj->type, type_name);
}

int object_foreach_recursive(Object *root, int (*fn)(Object *obj, void *opaque),
                             void *opaque)
{
    int ret = fn(root, opaque);
    for (Object *c = root->first_child; c && !ret; c = c->next_sibling) {
        ret = object_foreach_recursive(c, fn, opaque);
    }
    return ret;
}

/* Properties */

const Property *object_find_prop(const Object *obj, const char *name)
{
    for (const TypeInfo *t = obj->type; t; t = t->parent ? type_lookup(t->parent) : NULL) {
        for (const Property *p = t->props; p && p->name; p++) {
            if (strcmp(p->name, name) == 0) {
                return p;
            }
        }
    }
    return NULL;
}

static bool prop_parse_u64(const char *value, bool suffixes, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*value || *value == '-') {
        return false;
    }
    uint64_t v = strtoull(value, &end, 0);
    if (errno) {
        return false;
    }
    if (suffixes && *end) {
        unsigned shift = 0;
        switch (*end) {
        case 'k': case 'K': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        case 'T': case 't': shift = 40; break;
        default: return false;
        }
        if (end[1] || v > (UINT64_MAX >> shift)) {
            return false;
        }
        v <<= shift;
        end++;
    }
    *out = v;
    return *end == '\0';
}

static bool prop_parse_bool(const char *value, bool *out)
{
    static const char *const yes[] = { "on", "true", "yes", "1" };
    static const char *const no[] = { "off", "false", "no", "0" };
    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (strcmp(value, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(value, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* "SLOT" or "SLOT.FN", hex, as QEMU's PCI addr= property. */
static bool prop_parse_devfn(const char *value, int32_t *out)
{
    char *end;
    unsigned long slot = strtoul(value, &end, 16);
    unsigned long fn = 0;
    if (end == value || slot > 0x1f) {
        return false;
    }
    if (*end == '.') {
        const char *f = end + 1;
        fn = strtoul(f, &end, 16);
        if (end == f || fn > 7) {
            return false;
        }
    }
    if (*end) {
        return false;
    }
    *out = (int32_t)((slot << 3) | fn);
    return true;
}

static bool prop_store_uint(void *field, PropKind kind, uint64_t v)
{
    switch (kind) {
    case PROP_U8:
        if (v > UINT8_MAX) {
            return false;
        }
        *(uint8_t *)field = v;
        return true;
    case PROP_U16:
        if (v > UINT16_MAX) {
            return false;
        }
        *(uint16_t *)field = v;
        return true;
    case PROP_U32:
        if (v > UINT32_MAX) {
            return false;
        }
        *(uint32_t *)field = v;
        return true;
    case PROP_I32:
        if (v > INT32_MAX) {
            return false;
        }
        *(int32_t *)field = (int32_t)v;
        return true;
    default:
        *(uint64_t *)field = v;
        return true;
    }
}

static bool prop_set_field(void *field, PropKind kind, const char *value)
{
    uint64_t v;
    switch (kind) {
    case PROP_BOOL:
        return prop_parse_bool(value, field);
    case PROP_STR:
        g_free(*(char **)field);
        *(char **)field = g_strdup(value);
        return true;
    case PROP_PCI_DEVFN:
        return prop_parse_devfn(value, field);
    case PROP_U64:
        return prop_parse_u64(value, true, &v) && prop_store_uint(field, kind, v);
    default:
        return prop_parse_u64(value, false, &v) && prop_store_uint(field, kind, v);
    }
}

bool object_set_prop(Object *obj, const char *name, const char *value, char **errp)
{
    const Property *p = object_find_prop(obj, name);
    if (!p) {
        *errp = g_strdup_printf("'%s' has no property '%s' (try %s,help)",
                                object_type_name(obj), name, object_type_name(obj));
        return false;
    }
    if (!prop_set_field((char *)obj + p->offset, p->kind, value)) {
        *errp = g_strdup_printf("%s: invalid value '%s' for property '%s'",
                                object_type_name(obj), value, name);
        return false;
    }
    return true;
}

static const char *prop_kind_name(PropKind kind)
{
    static const char *const names[] = {
        [PROP_U8] = "uint8", [PROP_U16] = "uint16", [PROP_U32] = "uint32",
        [PROP_U64] = "size", [PROP_I32] = "int32", [PROP_BOOL] = "bool",
        [PROP_STR] = "str", [PROP_PCI_DEVFN] = "pci-devfn",
    };
    return names[kind];
}

void object_print_props(const TypeInfo *t, GString *out)
{
    g_string_append_printf(out, "%s options:\n", t->name);
    for (; t; t = t->parent ? type_lookup(t->parent) : NULL) {
        for (const Property *p = t->props; p && p->name; p++) {
            g_string_append_printf(out, "  %s=<%s>%s%s\n", p->name,
                                   prop_kind_name(p->kind),
                                   p->desc ? " - " : "", p->desc ? p->desc : "");
        }
    }
}

/* info qom-tree: children and regions sorted by name, as QEMU prints them;
 * regions are named NAME[N], numbered per owner and name. */

typedef struct QomEntry {
    char *name;
    const char *type;
    Object *obj;        /* NULL for a region */
} QomEntry;

static gint qom_entry_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(((const QomEntry *)a)->name, ((const QomEntry *)b)->name);
}

static GArray *object_tree_entries(Object *obj)
{
    GArray *entries = g_array_new(FALSE, FALSE, sizeof(QomEntry));
    for (Object *c = obj->first_child; c; c = c->next_sibling) {
        QomEntry e = { g_strdup(c->name), object_type_name(c), c };
        g_array_append_val(entries, e);
    }
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (MemoryRegion *mr = obj->regions; mr; mr = mr->owner_next) {
        const char *name = mr->name ? mr->name : "anonymous";
        guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, name));
        g_hash_table_insert(seen, (gpointer)name, GUINT_TO_POINTER(n + 1));
        QomEntry e = { g_strdup_printf("%s[%u]", name, n), "memory-region", NULL };
        g_array_append_val(entries, e);
    }
    g_hash_table_destroy(seen);
    g_array_sort(entries, qom_entry_cmp);
    return entries;
}

static void object_print_node(Object *obj, const char *name, GString *out, int depth)
{
    g_string_append_printf(out, "%*s/%s (%s)\n", depth * 2, "", name,
                           object_type_name(obj));
    GArray *entries = object_tree_entries(obj);
    for (guint i = 0; i < entries->len; i++) {
        QomEntry *e = &g_array_index(entries, QomEntry, i);
        if (e->obj) {
            object_print_node(e->obj, e->name, out, depth + 1);
        } else {
            g_string_append_printf(out, "%*s/%s (%s)\n", (depth + 1) * 2, "",
                                   e->name, e->type);
        }
        g_free(e->name);
    }
    g_array_free(entries, TRUE);
}

void object_print_tree(Object *root, GString *out)
{
    object_print_node(root, root->name ? root->name : "", out, 0);
}

/* object_enter's refusal (object.h): logged and traced; false. */
bool object_enter_refused(Object *obj, const char *what)
{
    guest_refusal("re-entrant %s into '%s' (%s) refused", what,
                  obj->name ? obj->name : "?", object_type_name(obj));
    return false;
}

void object_add_state(Object *obj, const char *name, void *ptr, size_t size,
                      ObjectLiveBytes live)
{
    ObjectState *st = g_new0(ObjectState, 1);
    *st = (ObjectState){ name, ptr, size, live, obj->states };
    obj->states = st;
}

/* SPDX-License-Identifier: MIT */
/* Machine lifecycle: create, realize in order, reset; see machine.h. */
#include "emu/machine.h"

#include <string.h>

#include "emu/log.h"

const TypeInfo machine_type = {
    .name = "machine",
    .desc = "the machine: address spaces, clock and devices",
};

void machine_config_init(MachineConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->devices = g_ptr_array_new_with_free_func(g_free);
    cfg->chardevs = g_ptr_array_new_with_free_func(g_free);
    cfg->netdevs = g_ptr_array_new_with_free_func(g_free);
    cfg->drives = g_ptr_array_new_with_free_func(g_free);
    cfg->blockdevs = g_ptr_array_new_with_free_func(g_free);
}

void machine_config_free(MachineConfig *cfg)
{
    g_ptr_array_free(cfg->devices, TRUE);
    g_ptr_array_free(cfg->chardevs, TRUE);
    g_ptr_array_free(cfg->netdevs, TRUE);
    g_ptr_array_free(cfg->drives, TRUE);
    g_ptr_array_free(cfg->blockdevs, TRUE);
}

char **machine_split_opts(const char *optstr)
{
    GPtrArray *parts = g_ptr_array_new();
    GString *cur = g_string_new(NULL);
    for (const char *p = optstr; *p; p++) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(cur, ',');
            p++;
        } else if (*p == ',') {
            g_ptr_array_add(parts, g_string_free(cur, FALSE));
            cur = g_string_new(NULL);
        } else {
            g_string_append_c(cur, *p);
        }
    }
    g_ptr_array_add(parts, g_string_free(cur, FALSE));
    g_ptr_array_add(parts, NULL);
    return (char **)g_ptr_array_free(parts, FALSE);
}

static Object *machine_container(Object *parent, const char *name)
{
    Object *c = object_new_container();
    object_add_child(parent, name, c);
    return c;
}

static void machine_init_core(Machine *m, const MachineConfig *cfg,
                              const BoardInfo *board)
{
    object_initialize(&m->root, type_lookup("container"));
    object_initialize(&m->obj, &machine_type);
    if (board->qom_type) {
        /* The machine's own type, as QEMU names it (pc-i440fx-...-machine). */
        TypeInfo *t = g_new0(TypeInfo, 1);
        *t = (TypeInfo){ .name = board->qom_type, .parent = "machine",
                         .desc = board->desc };
        m->obj.type = t;
    }
    object_add_child(&m->root, "machine", &m->obj);
    m->peripheral = machine_container(&m->obj, "peripheral");
    m->peripheral_anon = machine_container(&m->obj, "peripheral-anon");
    m->unattached = machine_container(&m->obj, "unattached");
    m->chardevs = machine_container(&m->root, "chardevs");
    m->netdevs = machine_container(&m->root, "netdevs");
    m->drives = machine_container(&m->root, "drives");
    m->board = board;
    m->config = cfg;
    m->ram_size = cfg->ram_size ? cfg->ram_size : MACHINE_DEFAULT_RAM;
    m->nodefaults = cfg->nodefaults;
    clock_init(&m->clock);
    mr_init_container(&m->sysmem, NULL, "system", MR_SIZE_MAX);
    as_init(&m->as_mem, &m->sysmem, "memory");
}

Object *machine_new_device(Machine *m, const char *type_name, Object *parent,
                           const char *name, char **errp)
{
    const TypeInfo *t = type_lookup(type_name);
    if (!t || t->instance_size < sizeof(Object)) {
        *errp = g_strdup_printf("'%s' is not a valid device model name",
                                type_name);
        return NULL;
    }
    Object *dev = object_new(t);
    if (parent && name) {
        object_add_child(parent, name, dev);
    } else {
        object_add_child_indexed(parent ? parent : m->unattached,
                                 name ? name : "device", dev);
    }
    return dev;
}

bool machine_realize_device(Machine *m, Object *dev, char **errp)
{
    if (m->nr_devices == MACHINE_MAX_DEVICES) {
        *errp = g_strdup_printf("too many devices (at most %d)",
                                MACHINE_MAX_DEVICES);
        return false;
    }
    if (dev->type->realize && !dev->type->realize(dev, m, errp)) {
        return false;
    }
    dev->realized = true;
    m->devices[m->nr_devices++] = dev;
    return true;
}

/* Sets every "prop=val" of opts[1..] on obj; "id" is taken by the caller. */
static bool machine_apply_opts(Object *obj, char **opts, char **errp)
{
    for (int i = 1; opts[i]; i++) {
        char *eq = strchr(opts[i], '=');
        if (!eq) {
            *errp = g_strdup_printf("%s: expected prop=value, got '%s'",
                                    object_type_name(obj), opts[i]);
            return false;
        }
        *eq = '\0';
        bool ok = strcmp(opts[i], "id") == 0 ||
                  object_set_prop(obj, opts[i], eq + 1, errp);
        *eq = '=';
        if (!ok) {
            return false;
        }
    }
    return true;
}

typedef struct BackendNames {
    const char *prefix;
    GString *out;
} BackendNames;

static void machine_backend_name(const TypeInfo *t, void *opaque)
{
    BackendNames *n = opaque;
    if (g_str_has_prefix(t->name, n->prefix) && t->instance_size >= sizeof(Object)) {
        g_string_append_printf(n->out, "%s%s", n->out->len ? ", " : "",
                               t->name + strlen(n->prefix));
    }
}

/* "null, file, stdio": the backends of a kind, for error messages. */
static void machine_backend_names(const char *kind, GString *out)
{
    char *prefix = g_strdup_printf("%s-", kind);
    BackendNames n = { prefix, out };
    type_foreach(machine_backend_name, &n);
    g_free(prefix);
}

static const char *machine_opt_id(char **opts)
{
    for (int i = 1; opts[i]; i++) {
        if (g_str_has_prefix(opts[i], "id=")) {
            return opts[i] + 3;
        }
    }
    return NULL;
}

Object *machine_device_add(Machine *m, const char *optstr, char **errp)
{
    char **opts = machine_split_opts(optstr);
    const TypeInfo *t = type_lookup_driver(opts[0]);
    const char *id = machine_opt_id(opts);
    Object *dev = NULL;
    if (!t || t->instance_size < sizeof(Object)) {
        *errp = g_strdup_printf("'%s' is not a valid device model name "
                                "(-device help lists them)", opts[0]);
    } else if (!t->user_creatable) {
        /* QEMU: "Parameter 'driver' expects a pluggable device type". */
        *errp = g_strdup_printf("-device %s: not a pluggable device type: the "
                                "board makes it (-device help lists those "
                                "-device takes)", opts[0]);
    } else if (id && object_find_child(m->peripheral, id)) {
        *errp = g_strdup_printf("duplicate device id '%s'", id);
    } else {
        dev = object_new(t);
        if (id) {
            object_add_child(m->peripheral, id, dev);
        } else {
            object_add_child_indexed(m->peripheral_anon, "device", dev);
        }
        if (!machine_apply_opts(dev, opts, errp) ||
            !machine_realize_device(m, dev, errp)) {
            dev = NULL;   /* a failed machine is thrown away whole */
        }
    }
    g_strfreev(opts);
    return dev;
}

/* A backend ("-chardev", "-netdev"): type KIND-BACKEND, child ID of folder. */
static Object *machine_backend_add(Machine *m, const char *kind, Object *folder,
                                   const char *optstr, char **errp)
{
    char **opts = machine_split_opts(optstr);
    char *type_name = g_strdup_printf("%s-%s", kind, opts[0]);
    const TypeInfo *t = type_lookup(type_name);
    const char *id = machine_opt_id(opts);
    Object *b = NULL;
    if (!t || t->instance_size < sizeof(Object) || !type_is_a(t, kind)) {
        GString *names = g_string_new(NULL);
        machine_backend_names(kind, names);
        *errp = g_strdup_printf("-%s: unknown backend '%s' (%s)", kind, opts[0],
                                names->str);
        g_string_free(names, TRUE);
    } else if (!id || !*id) {
        *errp = g_strdup_printf("-%s %s: an id= is required", kind, opts[0]);
    } else if (object_find_child(folder, id)) {
        *errp = g_strdup_printf("-%s: duplicate id '%s'", kind, id);
    } else {
        b = object_new(t);
        object_add_child(folder, id, b);
        bool ok = object_find_prop(b, "id") ? object_set_prop(b, "id", id, errp) : true;
        if (!ok || !machine_apply_opts(b, opts, errp) ||
            (t->realize && !t->realize(b, m, errp))) {
            b = NULL;
        } else {
            b->realized = true;
        }
    }
    g_free(type_name);
    g_strfreev(opts);
    return b;
}

Object *machine_chardev_add(Machine *m, const char *optstr, char **errp)
{
    return machine_backend_add(m, "chardev", m->chardevs, optstr, errp);
}

Object *machine_find_chardev(Machine *m, const char *id)
{
    return object_find_child(m->chardevs, id);
}

Object *machine_netdev_add(Machine *m, const char *optstr, char **errp)
{
    return machine_backend_add(m, "netdev", m->netdevs, optstr, errp);
}

Object *machine_find_netdev(Machine *m, const char *id)
{
    return object_find_child(m->netdevs, id);
}

/* Every key of opts[1..] is a property of t, or *errp lists them all. */
static bool machine_drive_check_keys(const TypeInfo *t, const char *what, char **opts,
                                     char **errp)
{
    for (int i = 1; opts[i]; i++) {
        g_autofree char *key = g_strndup(opts[i], strcspn(opts[i], "="));
        bool known = false;
        for (const Property *p = t->props; p && p->name && !known; p++) {
            known = strcmp(p->name, key) == 0;
        }
        if (!known) {
            GString *names = g_string_new(NULL);
            for (const Property *p = t->props; p && p->name; p++) {
                g_string_append_printf(names, "%s%s", names->len ? ", " : "", p->name);
            }
            *errp = g_strdup_printf("-%s: unknown option '%s' (options: %s)", what, key,
                                    names->str);
            g_string_free(names, TRUE);
            return false;
        }
    }
    return true;
}

/* A block backend: every option is key=value, the name comes from idkey
 * ("id" for -drive, "node-name" for -blockdev). */
static Object *machine_drive_new(Machine *m, const char *what, const char *idkey,
                                 const char *optstr, char **errp)
{
    g_autofree char *with_type = g_strdup_printf("drive,%s", optstr);
    char **opts = machine_split_opts(with_type);
    g_autofree char *prefix = g_strdup_printf("%s=", idkey);
    const char *id = NULL;
    for (int i = 1; opts[i]; i++) {
        if (g_str_has_prefix(opts[i], prefix)) {
            id = opts[i] + strlen(prefix);
        }
    }
    Object *b = NULL;
    const TypeInfo *t = type_lookup("drive");
    if (!t) {
        emu_bug("no block backend type registered");
    }
    if (!machine_drive_check_keys(t, what, opts, errp)) {
        /* *errp says which */
    } else if (!id || !*id) {
        *errp = g_strdup_printf("-%s %s: %s= is required", what, optstr, idkey);
    } else if (object_find_child(m->drives, id)) {
        *errp = g_strdup_printf("-%s: duplicate %s '%s'", what, idkey, id);
    } else {
        b = object_new(t);
        object_add_child(m->drives, id, b);
        if (!object_set_prop(b, "id", id, errp) ||
            !machine_apply_opts(b, opts, errp) ||
            (t->realize && !t->realize(b, m, errp))) {
            b = NULL;
        } else {
            b->realized = true;
        }
    }
    g_strfreev(opts);
    return b;
}

Object *machine_drive_add(Machine *m, const char *optstr, char **errp)
{
    return machine_drive_new(m, "drive", "id", optstr, errp);
}

Object *machine_blockdev_add(Machine *m, const char *optstr, char **errp)
{
    return machine_drive_new(m, "blockdev", "node-name", optstr, errp);
}

Object *machine_find_drive(Machine *m, const char *id)
{
    return object_find_child(m->drives, id);
}

static const BoardInfo *machine_find_board(const BoardInfo *boards,
                                           const char *name, char **errp)
{
    if (!name) {
        return &boards[0];
    }
    for (const BoardInfo *b = boards; b->name; b++) {
        if (strcmp(b->name, name) == 0) {
            return b;
        }
    }
    *errp = g_strdup_printf("unsupported machine type '%s' (-M help lists them)",
                            name);
    return NULL;
}

Machine *machine_create(const MachineConfig *cfg, const BoardInfo *boards,
                        char **errp)
{
    const BoardInfo *board = machine_find_board(boards, cfg->board, errp);
    if (!board) {
        return NULL;
    }
    Machine *m = g_new0(Machine, 1);
    machine_init_core(m, cfg, board);
    for (guint i = 0; i < cfg->chardevs->len; i++) {
        if (!machine_chardev_add(m, g_ptr_array_index(cfg->chardevs, i), errp)) {
            return NULL;
        }
    }
    for (guint i = 0; i < cfg->netdevs->len; i++) {
        if (!machine_netdev_add(m, g_ptr_array_index(cfg->netdevs, i), errp)) {
            return NULL;
        }
    }
    for (guint i = 0; i < cfg->drives->len; i++) {
        if (!machine_drive_add(m, g_ptr_array_index(cfg->drives, i), errp)) {
            return NULL;
        }
    }
    for (guint i = 0; i < cfg->blockdevs->len; i++) {
        if (!machine_blockdev_add(m, g_ptr_array_index(cfg->blockdevs, i), errp)) {
            return NULL;
        }
    }
    if (!board->init(m, errp)) {
        return NULL;
    }
    for (guint i = 0; i < cfg->devices->len; i++) {
        if (!machine_device_add(m, g_ptr_array_index(cfg->devices, i), errp)) {
            return NULL;
        }
    }
    if (board->late_init && !board->late_init(m, errp)) {
        return NULL;
    }
    dma_budget_init(&m->dma_budget, cfg->dma_budget);
    dma_set_budget(&m->as_mem, &m->dma_budget);
    dma_set_budget(&m->as_io, &m->dma_budget);
    machine_reset(m);
    return m;
}

void machine_reset(Machine *m)
{
    for (unsigned i = 0; i < m->nr_devices; i++) {
        Object *dev = m->devices[i];
        if (dev->type->reset) {
            object_touch(dev);
            dev->type->reset(dev);
        }
    }
}

void machine_request_reset(Machine *m)
{
    m->reset_requested = true;
}

bool machine_settle_pending(Machine *m)
{
    clock_run_bhs(&m->clock);
    if (!m->reset_requested) {
        return false;
    }
    m->reset_requested = false;
    m->resets++;
    machine_reset(m);
    clock_run_bhs(&m->clock);
    return true;
}

void machine_info_mtree(Machine *m, GString *out, unsigned flags)
{
    as_print_mtree(&m->as_mem, out, flags);
    as_print_mtree(&m->as_io, out, flags);
}

void machine_info_qom_tree(Machine *m, GString *out)
{
    object_print_tree(&m->obj, out);
}

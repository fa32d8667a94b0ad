/* SPDX-License-Identifier: MIT */
/*
 * The devices on an IDE bus, as QEMU's -device ide-hd and ide-cd: a
 * drive (drive=ID), where it sits (bus=ide.N, unit=0|1) and its identity
 * strings. The device's state lives in the controller (the IDEBus of
 * ide.h), which its accesses enter; this object only says where it is.
 * Without bus=, QEMU 7.2 picks the IDE bus created last (pc: ide.1,
 * q35: the ICH9 AHCI's ide.5, port 5) and on it unit 0, or 1 when 0 is
 * taken; it does not look further when that bus is full.
 */
#include "hw/ide/ide.h"

#include <string.h>

#include "emu/log.h"
#include "hw/devices.h"

typedef struct IDEDevice {
    Object obj;
    char *drive;
    char *bus;
    int32_t unit;               /* -1: the first free one */
    char *serial;
    char *model;
    BlockBackend *blk;
} IDEDevice;

static void ide_dev_init(Object *obj)
{
    IDEDevice *d = (IDEDevice *)obj;

    d->unit = -1;
}

static bool ide_dev_pick_unit(IDEDevice *d, IDEBus *bus, const char *bus_name,
                              char **errp)
{
    const char *type = object_type_name(&d->obj);

    if (d->unit == -1) {
        d->unit = bus->drive[0].kind == IDE_NONE ? 0 : 1;
        if (d->unit >= (int32_t)bus->units || bus->drive[d->unit].kind != IDE_NONE) {
            *errp = g_strdup_printf("%s: no free unit on IDE bus '%s' (it takes %u)",
                                    type, bus_name, bus->units);
            return false;
        }
    }
    if (d->unit < 0 || d->unit >= (int32_t)bus->units) {
        *errp = g_strdup_printf("%s: unit=%d: bus supports only %u units", type, d->unit,
                                bus->units);
        return false;
    }
    if (bus->drive[d->unit].kind != IDE_NONE) {
        *errp = g_strdup_printf("%s: IDE unit %d is in use", type, d->unit);
        return false;
    }
    return true;
}

/* The bus= one, or QEMU's default; an error names what is missing. */
static IDEBus *ide_dev_find_bus(IDEDevice *d, Machine *m, Object **ctrl,
                                const char **name, char **errp)
{
    IDEBus *bus;

    if (d->bus) {
        *name = d->bus;
        bus = ide_bus_lookup(m, d->bus, ctrl);
    } else {
        bus = ide_bus_default(m, ctrl, name);
    }
    if (!bus) {
        *errp = d->bus ? g_strdup_printf("%s: no IDE bus '%s' on this machine",
                                         object_type_name(&d->obj), d->bus)
                       : g_strdup_printf("%s: no IDE bus on this machine",
                                         object_type_name(&d->obj));
    }
    return bus;
}

static bool ide_dev_realize_kind(Object *obj, Machine *m, IDEKind kind, char **errp)
{
    IDEDevice *d = (IDEDevice *)obj;
    const char *bus_name = NULL;
    Object *ctrl = NULL;
    IDEBus *bus = ide_dev_find_bus(d, m, &ctrl, &bus_name, errp);

    if (!bus || !ide_dev_pick_unit(d, bus, bus_name, errp)) {
        return false;
    }
    if (d->drive) {
        d->blk = blk_lookup(m, d->drive, errp);
        if (!d->blk || !blk_attach(d->blk, obj, errp)) {
            return false;
        }
    } else if (kind == IDE_HD) {
        *errp = g_strdup_printf("ide-hd: drive property not set");
        return false;
    }
    if (kind == IDE_HD && !d->blk->has_medium) {
        *errp = g_strdup_printf("ide-hd: drive '%s' has no medium", d->drive);
        return false;
    }
    object_touch(ctrl);
    ide_drive_attach(bus, d->unit, kind, d->blk, d->serial, d->model);
    return true;
}

static bool ide_hd_realize(Object *obj, Machine *m, char **errp)
{
    return ide_dev_realize_kind(obj, m, IDE_HD, errp);
}

static bool ide_cd_realize(Object *obj, Machine *m, char **errp)
{
    return ide_dev_realize_kind(obj, m, IDE_CD, errp);
}

static const Property ide_dev_props[] = {
    { "drive", PROP_STR, offsetof(IDEDevice, drive), "id of the -drive" },
    { "bus", PROP_STR, offsetof(IDEDevice, bus),
      "IDE bus (default: the last made, as QEMU)" },
    { "unit", PROP_I32, offsetof(IDEDevice, unit), "0 (master) or 1 (slave); default: first free" },
    { "serial", PROP_STR, offsetof(IDEDevice, serial), "serial number (default QM0000n)" },
    { "model", PROP_STR, offsetof(IDEDevice, model), "model string" },
    { .name = NULL },
};

const TypeInfo ide_hd_type = {
    .name = TYPE_IDE_HD,
    .desc = "storage: IDE hard disk (ATA)",
    OBJECT_INSTANCE(IDEDevice),
    .user_creatable = true,
    .props = ide_dev_props,
    .init = ide_dev_init,
    .realize = ide_hd_realize,
};

const TypeInfo ide_cd_type = {
    .name = TYPE_IDE_CD,
    .desc = "storage: IDE CD/DVD-ROM (ATAPI)",
    OBJECT_INSTANCE(IDEDevice),
    .user_creatable = true,
    .props = ide_dev_props,
    .init = ide_dev_init,
    .realize = ide_cd_realize,
};

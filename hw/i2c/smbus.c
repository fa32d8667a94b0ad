/* SPDX-License-Identifier: MIT */
/*
 * An SMBus segment and its devices (see smbus.h): a bus object with the
 * device of each 7-bit address, and the primitives a host controller calls.
 */
#include "hw/i2c/smbus.h"

#include "emu/log.h"
#include "hw/devices.h"

/* SMBus 2.0 appendix C: 0x00-0x07 and 0x78-0x7f are reserved addresses. */
#define SMBUS_ADDR_FIRST 0x08
#define SMBUS_ADDR_LAST  0x77

SMBusBus *smbus_bus_new(Object *controller)
{
    SMBusBus *bus = (SMBusBus *)object_new_by_name(TYPE_SMBUS_BUS);

    object_add_child(controller, "i2c", &bus->obj);
    return bus;
}

static int smbus_find_cb(Object *obj, void *opaque)
{
    if (object_is_a(obj, TYPE_SMBUS_BUS)) {
        *(SMBusBus **)opaque = (SMBusBus *)obj;
        return 1;
    }
    return 0;
}

SMBusBus *smbus_bus_find(Machine *m)
{
    SMBusBus *bus = NULL;

    object_foreach_recursive(&m->obj, smbus_find_cb, &bus);
    return bus;
}

bool smbus_attach(SMBusBus *bus, SMBusDevice *d, char **errp)
{
    if (d->address < SMBUS_ADDR_FIRST || d->address > SMBUS_ADDR_LAST) {
        *errp = g_strdup_printf("%s: address 0x%x is reserved or out of range (0x%x-0x%x)",
                                object_type_name(&d->obj), d->address, SMBUS_ADDR_FIRST,
                                SMBUS_ADDR_LAST);
        return false;
    }
    if (bus->dev[d->address]) {
        *errp = g_strdup_printf("%s: SMBus address 0x%x is taken", object_type_name(&d->obj),
                                d->address);
        return false;
    }
    if (!d->ops || !d->ops->write || !d->ops->read) {
        emu_bug("%s: an SMBus device without write/read", object_type_name(&d->obj));
    }
    bus->dev[d->address] = d;
    return true;
}

SMBusDevice *smbus_lookup(SMBusBus *bus, uint8_t addr)
{
    return addr < SMBUS_ADDRS ? bus->dev[addr] : NULL;
}

void smbus_dev_quick(SMBusDevice *d, bool read)
{
    if (d->ops->quick) {
        object_touch(&d->obj);
        d->ops->quick(d, read);
    }
}

void smbus_dev_write(SMBusDevice *d, const uint8_t *buf, unsigned len)
{
    object_touch(&d->obj);
    d->ops->write(d, buf, len);
}

uint8_t smbus_dev_read(SMBusDevice *d)
{
    object_touch(&d->obj);
    return d->ops->read(d);
}

const TypeInfo smbus_bus_type = {
    .name = TYPE_SMBUS_BUS,
    .desc = "an SMBus segment under its host controller",
    OBJECT_INSTANCE(SMBusBus),
};

const TypeInfo smbus_device_type = {
    .name = TYPE_SMBUS_DEVICE,
    .parent = "device",
    .desc = "a device on an SMBus (abstract)",
};

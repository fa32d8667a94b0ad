/* SPDX-License-Identifier: MIT */
/*
 * A 256-byte serial EEPROM on the SMBus, as QEMU's smbus-eeprom (the pc
 * board's eight SPD EEPROMs at 0x50-0x57, zeros as QEMU 7.2 fills them
 * when it has no SPD data). The 8-bit word address is the command byte of
 * a write; the bytes after it are stored from there, and reads go on from
 * where the address points, both wrapping at 256 (a 24C02's "random read"
 * and "sequential read"; its page-write limit and write protection are left
 * out, as in QEMU). Reset restores the contents the board gave it.
 */
#include "hw/i2c/smbus-eeprom.h"

#include <string.h>

#include "hw/devices.h"
#include "hw/i2c/smbus.h"

typedef struct SMBusEEPROM {
    SMBusDevice smbus;
    uint8_t data[SMBUS_EEPROM_SIZE];
    uint8_t offset;                     /* the word address, wraps at 256 */
    uint8_t init[SMBUS_EEPROM_SIZE];    /* what reset restores */
} SMBusEEPROM;

static void smbus_eeprom_write(SMBusDevice *d, const uint8_t *buf, unsigned len)
{
    SMBusEEPROM *s = (SMBusEEPROM *)d;

    s->offset = buf[0];
    for (unsigned i = 1; i < len; i++) {
        s->data[s->offset++] = buf[i];
    }
}

static uint8_t smbus_eeprom_read(SMBusDevice *d)
{
    SMBusEEPROM *s = (SMBusEEPROM *)d;

    return s->data[s->offset++];
}

static const SMBusDeviceOps smbus_eeprom_ops = {
    .write = smbus_eeprom_write,
    .read = smbus_eeprom_read,
};

void smbus_eeprom_set_contents(Object *obj, const uint8_t *buf, size_t len)
{
    SMBusEEPROM *s = (SMBusEEPROM *)obj;

    memset(s->init, 0, sizeof(s->init));
    memcpy(s->init, buf, MIN(len, sizeof(s->init)));
    memcpy(s->data, s->init, sizeof(s->data));
}

static void smbus_eeprom_reset(Object *obj)
{
    SMBusEEPROM *s = (SMBusEEPROM *)obj;

    memcpy(s->data, s->init, sizeof(s->data));
    s->offset = 0;
}

static void smbus_eeprom_init(Object *obj)
{
    SMBusEEPROM *s = (SMBusEEPROM *)obj;

    s->smbus.ops = &smbus_eeprom_ops;
    s->smbus.address = SMBUS_EEPROM_DEFAULT_ADDR;
}

static bool smbus_eeprom_realize(Object *obj, Machine *m, char **errp)
{
    SMBusEEPROM *s = (SMBusEEPROM *)obj;
    SMBusBus *bus = smbus_bus_find(m);

    if (!bus) {
        *errp = g_strdup("smbus-eeprom: the machine has no SMBus");
        return false;
    }
    return smbus_attach(bus, &s->smbus, errp);
}

static const Property smbus_eeprom_props[] = {
    SMBUS_DEVICE_PROP_ADDRESS(SMBusEEPROM),
    {.name = NULL},
};

const TypeInfo smbus_eeprom_type = {
    .name = TYPE_SMBUS_EEPROM,
    .parent = TYPE_SMBUS_DEVICE,
    .desc = "256-byte EEPROM on the SMBus (the board's SPD EEPROMs)",
    OBJECT_INSTANCE(SMBusEEPROM),
    .user_creatable = false,    /* as in QEMU 7.2: the board makes them */
    .props = smbus_eeprom_props,
    .init = smbus_eeprom_init,
    .realize = smbus_eeprom_realize,
    .reset = smbus_eeprom_reset,
};

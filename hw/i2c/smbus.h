/* SPDX-License-Identifier: MIT */
/*
 * An SMBus (System Management Bus 2.0) segment: a bus object ("i2c-bus",
 * QEMU's name) under its host controller, and the devices on it, each at a
 * 7-bit address. A host controller builds the protocols (quick, byte, byte
 * and word data, block) from three primitives on the addressed device: a
 * quick command, a write transaction (the bytes after the address byte),
 * and the bytes of a read transaction one by one. A device answers every
 * byte it is asked for; the host decides how many it reads.
 *
 * Devices keep their state in their instance; these calls touch the device
 * (object_touch) before they run its code, so the snapshot restores it.
 */
#ifndef HW_I2C_SMBUS_H
#define HW_I2C_SMBUS_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/machine.h"
#include "emu/object.h"

#define TYPE_SMBUS_BUS "i2c-bus"
#define TYPE_SMBUS_DEVICE "smbus-device"    /* abstract */

#define SMBUS_ADDRS 128                     /* 7-bit addresses */
#define SMBUS_BLOCK_MAX 32                  /* SMBus 2.0 section 5.5.7 */

typedef struct SMBusDevice SMBusDevice;

typedef struct SMBusDeviceOps {
    /* A quick command (the R/W bit is the data); may be NULL. */
    void (*quick)(SMBusDevice *d, bool read);
    /* A write transaction: len (>= 1) bytes, the command byte first. */
    void (*write)(SMBusDevice *d, const uint8_t *buf, unsigned len);
    /* The next byte of a read transaction. */
    uint8_t (*read)(SMBusDevice *d);
} SMBusDeviceOps;

/* The first member of an SMBus device's instance. */
struct SMBusDevice {
    Object obj;
    uint32_t address;                       /* property "address" */
    const SMBusDeviceOps *ops;              /* set by the type's init */
};

typedef struct SMBusBus {
    Object obj;
    SMBusDevice *dev[SMBUS_ADDRS];          /* set-up only */
} SMBusBus;

/* Property table entry for "address" (a device's Property list). */
#define SMBUS_DEVICE_PROP_ADDRESS(State) \
    { "address", PROP_U32, offsetof(State, smbus.address), \
      "7-bit SMBus address (0x08-0x77)" }

/* Set-up. A new bus, a child "i2c" of its controller as in QEMU's tree. */
SMBusBus *smbus_bus_new(Object *controller);
/* The machine's first SMBus, or NULL. */
SMBusBus *smbus_bus_find(Machine *m);
/* From a device's realize: attaches d at its address; false with *errp
 * when the address is out of range or taken. */
bool smbus_attach(SMBusBus *bus, SMBusDevice *d, char **errp);

/* The device answering addr, or NULL (nobody acknowledges). */
SMBusDevice *smbus_lookup(SMBusBus *bus, uint8_t addr);
void smbus_dev_quick(SMBusDevice *d, bool read);
void smbus_dev_write(SMBusDevice *d, const uint8_t *buf, unsigned len);
uint8_t smbus_dev_read(SMBusDevice *d);

#endif

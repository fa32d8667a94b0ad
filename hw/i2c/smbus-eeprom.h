/* SPDX-License-Identifier: MIT */
/*
 * smbus-eeprom: a 256-byte EEPROM on the machine's SMBus at its "address"
 * (default 0x50). Not creatable with -device (QEMU 7.2's rule); the board
 * makes them and may give their contents before reset.
 */
#ifndef HW_I2C_SMBUS_EEPROM_H
#define HW_I2C_SMBUS_EEPROM_H

#include <stddef.h>
#include <stdint.h>

#include "emu/object.h"

#define TYPE_SMBUS_EEPROM "smbus-eeprom"
#define SMBUS_EEPROM_SIZE 256
#define SMBUS_EEPROM_DEFAULT_ADDR 0x50

/* Set-up only: the contents reset restores (len bytes, zeros after). */
void smbus_eeprom_set_contents(Object *obj, const uint8_t *buf, size_t len);

#endif

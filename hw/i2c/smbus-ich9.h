/* SPDX-License-Identifier: MIT */
#ifndef HW_I2C_SMBUS_ICH9_H
#define HW_I2C_SMBUS_ICH9_H

#include <stdbool.h>

#include "emu/object.h"

#define TYPE_ICH9_SMB "ICH9-SMB"
#define TYPE_SMBUS_EEPROM "smbus-eeprom"

/* Puts a realized smbus-eeprom at 7-bit address addr (0x50-0x57). */
bool ich9_smb_attach_eeprom(Object *smb, Object *eeprom, unsigned addr);

#endif

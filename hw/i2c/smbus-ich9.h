/* SPDX-License-Identifier: MIT */
#ifndef HW_I2C_SMBUS_ICH9_H
#define HW_I2C_SMBUS_ICH9_H

/* The ICH9 SMBus function (1f.3 on q35), with its SMBus segment "i2c". */
#define TYPE_ICH9_SMB "ICH9-SMB"

#endif

/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"

const TypeInfo isa_serial_type = {
    .name = "isa-serial",
    .parent = "isa-device",
    .instance_size = sizeof(Object),
};

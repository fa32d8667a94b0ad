/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"

const TypeInfo port92_type = {
    .name = "port92",
    .parent = "isa-device",
    .instance_size = sizeof(Object),
};

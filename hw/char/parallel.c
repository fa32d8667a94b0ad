/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"

const TypeInfo isa_parallel_type = {
    .name = "isa-parallel",
    .parent = "isa-device",
    .instance_size = sizeof(Object),
};

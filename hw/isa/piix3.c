/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"

const TypeInfo piix3_type = {
    .name = "PIIX3",
    .parent = "pci-device",
    .instance_size = sizeof(Object),
};

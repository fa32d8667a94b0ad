/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"
const TypeInfo e1000_type = { .name = "e1000", .parent = "pci-device" };

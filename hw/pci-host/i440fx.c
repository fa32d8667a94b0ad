/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"
#include "hw/pci-host/i440fx.h"
PCIBus *i440fx_bus(Object *host) { (void)host; return NULL; }
const TypeInfo i440fx_type = { .name = "i440FX", .parent = "pci-device", .instance_size = sizeof(PCIDevice) };
const TypeInfo i440fx_pcihost_type = {
    .name = "i440FX-pcihost",
    .parent = "device",
    .instance_size = sizeof(Object),
};

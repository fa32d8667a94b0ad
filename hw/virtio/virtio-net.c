/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"
const TypeInfo virtio_net_pci_type = { .name = "virtio-net-pci", .parent = "pci-device" };

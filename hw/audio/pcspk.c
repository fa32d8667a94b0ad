/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"
#include "hw/audio/pcspk.h"
void pcspk_set_pit(Object *spk, Object *pit) { (void)spk; (void)pit; }
const TypeInfo pcspk_type = {
    .name = "isa-pcspk",
    .parent = "isa-device",
    .instance_size = sizeof(Object),
};

/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"
#include "hw/timer/i8254.h"
void i8254_set_gate(Object *pit, int channel, int level) { (void)pit; (void)channel; (void)level; }
int i8254_get_gate(Object *pit, int channel) { (void)pit; (void)channel; return 0; }
int i8254_get_out(Object *pit, int channel) { (void)pit; (void)channel; return 0; }
const TypeInfo i8254_type = {
    .name = "isa-pit",
    .parent = "isa-device",
    .instance_size = sizeof(Object),
};

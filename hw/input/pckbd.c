/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"
#include "hw/input/i8042.h"
void i8042_kbd_put(Object *kbc, uint8_t byte) { (void)kbc; (void)byte; }
void i8042_aux_put(Object *kbc, uint8_t byte) { (void)kbc; (void)byte; }
int i8042_a20(Object *kbc) { (void)kbc; return 1; }
const TypeInfo i8042_type = {
    .name = "i8042",
    .parent = "isa-device",
    .instance_size = sizeof(Object),
};

/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"
#include "hw/intc/i8259.h"
IRQ *i8259_input(Object *pic, int n) { (void)pic; (void)n; return NULL; }
void i8259_set_output(Object *pic, IRQ *out) { (void)pic; (void)out; }
int i8259_output_level(Object *pic) { (void)pic; return 0; }
int i8259_intack(Object *master, Object *slave) { (void)master; (void)slave; return 0; }
const TypeInfo i8259_type = {
    .name = "isa-i8259",
    .parent = "isa-device",
    .instance_size = sizeof(Object),
};

/* SPDX-License-Identifier: MIT */
#ifndef HW_INPUT_I8042_H
#define HW_INPUT_I8042_H

#include <stdint.h>

#include "emu/object.h"

/* Ports 0x60/0x64, IRQ 1 (keyboard) and 12 (aux). */
#define TYPE_I8042 "i8042"

/* Host side: put a scancode / mouse byte into the device's queue. */
void i8042_kbd_put(Object *kbc, uint8_t byte);
void i8042_aux_put(Object *kbc, uint8_t byte);
/* A20 gate as driven by the output port (bit 1). */
int i8042_a20(Object *kbc);

#endif

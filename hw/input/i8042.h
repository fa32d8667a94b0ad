/* SPDX-License-Identifier: MIT */
#ifndef HW_INPUT_I8042_H
#define HW_INPUT_I8042_H

#include <stdint.h>

#include "emu/object.h"

/*
 * Ports 0x60/0x64, IRQ 1 (keyboard) and 12 (aux). Properties as QEMU's:
 * kbd-irq (1), mouse-irq (12), kbd-throttle (off).
 */
#define TYPE_I8042 "i8042"

/*
 * Host side: the keyboard sends a byte of its scancode set (dropped while
 * scanning is disabled; translated to set 1 if the command byte asks), the
 * mouse sends a packet byte (dropped unless reporting is enabled).
 */
void i8042_kbd_put(Object *kbc, uint8_t byte);
void i8042_aux_put(Object *kbc, uint8_t byte);
/* A20 gate as driven by the output port (bit 1). */
int i8042_a20(Object *kbc);
/* System resets the guest requested (pulse of output port bit 0). */

#endif

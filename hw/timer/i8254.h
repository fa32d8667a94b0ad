/* SPDX-License-Identifier: MIT */
#ifndef HW_TIMER_I8254_H
#define HW_TIMER_I8254_H

#include "emu/object.h"

/* Properties: iobase (0x40), irq (0). Channel 0 drives ISA IRQ irq. */
#define TYPE_I8254 "isa-pit"
#define I8254_FREQ 1193182

void i8254_set_gate(Object *pit, int channel, int level);
int i8254_get_gate(Object *pit, int channel);
/* Output of a channel at the current virtual time. */
int i8254_get_out(Object *pit, int channel);

#endif

/* SPDX-License-Identifier: MIT */
#ifndef HW_INTC_I8259_H
#define HW_INTC_I8259_H

#include "emu/irq.h"
#include "emu/object.h"

/* Properties: iobase (0x20), elcr_addr (0x4d0), elcr_mask (0xf8), master (on). */
#define TYPE_I8259 "isa-i8259"

/* Input pin n (0..7) of one PIC. */
IRQ *i8259_input(Object *pic, int n);
/* Where the INT output goes (slave: master's pin 2; master: the CPU). */
void i8259_set_output(Object *pic, IRQ *out);
/* Level of the INT output now (for tests and a future CPU). */
int i8259_output_level(Object *pic);
/* Interrupt acknowledge cycle on the master (cascading through the slave):
 * returns the vector, as a CPU's INTA would. */
int i8259_intack(Object *master, Object *slave);

#endif

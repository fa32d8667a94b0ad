/* SPDX-License-Identifier: MIT */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

/* isa-serial properties: index (0..3: 0x3f8/4, 0x2f8/3, 0x3e8/4, 0x2e8/3),
 * iobase, irq (override the index), chardev (id). */
#define TYPE_ISA_SERIAL "isa-serial"

#endif

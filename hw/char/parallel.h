/* SPDX-License-Identifier: MIT */
#ifndef HW_CHAR_PARALLEL_H
#define HW_CHAR_PARALLEL_H

/* isa-parallel properties: index (0..2: 0x378/7, 0x278/7, 0x3bc/7), iobase,
 * irq, chardev (id). */
#define TYPE_ISA_PARALLEL "isa-parallel"

#endif

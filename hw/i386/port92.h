/* SPDX-License-Identifier: MIT */
#ifndef HW_I386_PORT92_H
#define HW_I386_PORT92_H

#include "emu/object.h"

/* System control port A at 0x92 (fast A20 gate, fast reset). */
#define TYPE_PORT92 "port92"

/* A20 gate as driven by bit 1. */
int port92_a20(Object *port92);
/* Fast resets the guest requested (bit 0 written from 0 to 1). */

#endif

/* SPDX-License-Identifier: MIT */
#ifndef HW_ISA_PIIX3_H
#define HW_ISA_PIIX3_H

#include <stdbool.h>

#include "emu/object.h"

/* The PCI-to-ISA bridge at 01.0: PIRQ routing onto m->isa_irq[] (the PICs
 * must exist before it is realized) and the reset control register 0xcf9. */
#define TYPE_PIIX3 "PIIX3"

/* True once the guest asked for a hard reset through port 0xcf9 (there is
 * no CPU to reset; the board may act on it). Cleared by reset. */

#endif

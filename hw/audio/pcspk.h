/* SPDX-License-Identifier: MIT */
#ifndef HW_AUDIO_PCSPK_H
#define HW_AUDIO_PCSPK_H

#include "emu/object.h"

/* Port 0x61 (NMI status and control): speaker gate/data, PIT channel 2
 * output, refresh toggle. Property: iobase (0x61). */
#define TYPE_PCSPK "isa-pcspk"

/* Must be called before realize. */
void pcspk_set_pit(Object *spk, Object *pit);

#endif

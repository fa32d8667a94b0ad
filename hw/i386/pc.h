/* SPDX-License-Identifier: MIT */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "emu/machine.h"

/* Below-4G RAM ends here when guest RAM is larger (QEMU 7.2 pc, gigabyte
 * aligned); the rest goes above 4 GiB. */
#define PC_LOWMEM_LIMIT 0xe0000000ull
#define PC_LOWMEM_SPLIT 0xc0000000ull

bool pc_machine_init(Machine *m, char **errp);
bool pc_machine_late_init(Machine *m, char **errp);

#endif

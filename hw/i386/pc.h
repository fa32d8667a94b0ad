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

/* The pieces q35 (hw/i386/q35.c) shares with pc, in the order QEMU 7.2's
 * boards create them. */
uint64_t pc_ram_below_4g(const Machine *m);
void pc_io_init(Machine *m);
void pc_memory_init(Machine *m);
/* A board device (parent NULL: /machine/unattached), props, realized. */
Object *pc_device(Machine *m, const char *type, Object *parent,
                  const char *name, const char *const *props, char **errp);
bool pc_pics_init(Machine *m, char **errp);
bool pc_dma_init(Machine *m, char **errp);
bool pc_timers_init(Machine *m, char **errp);
bool pc_fw_cfg_init(Machine *m, char **errp);
bool pc_defaults_init(Machine *m, char **errp);
bool pc_msi_sink_init(Machine *m, char **errp);

bool q35_machine_init(Machine *m, char **errp);
bool q35_machine_late_init(Machine *m, char **errp);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * PIIX4 function 3 ("PIIX4_PM", QEMU's name): power management and the
 * SMBus host at 01.3 of QEMU's pc. Its SCI (and the SMBus interrupt, when
 * SMBHSTCFG selects IRQ 9) drive ISA IRQ 9; the APM ports 0xb2/0xb3 and
 * QEMU's GPE0 block at 0xafe0 are fixed, the PM block (64 bytes at PMBA,
 * enabled by PMREGMISC) and the SMBus registers (16 bytes at SMBBA,
 * enabled by SMBHSTCFG) move with their configuration registers.
 */
#ifndef HW_ACPI_PIIX4_H
#define HW_ACPI_PIIX4_H

#include <stdbool.h>

#include "emu/machine.h"
#include "emu/object.h"

#define TYPE_PIIX4_PM "PIIX4_PM"

/* The pc board's set-up: the function at 01.3 and the eight SPD EEPROMs
 * (0x50-0x57) on its SMBus, as QEMU 7.2's pc has them with -nodefaults. */
bool piix4_pm_board_init(Machine *m, char **errp);
/* After the -device devices (QEMU's machine-ready notifier): the device
 * resource bytes that say which legacy ports (0x378, 0x3f8, 0x2f8) exist. */
void piix4_pm_machine_ready(Machine *m);

#endif

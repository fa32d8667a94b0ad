/* SPDX-License-Identifier: MIT */
#ifndef HW_ISA_LPC_ICH9_H
#define HW_ISA_LPC_ICH9_H

#include "emu/machine.h"
#include "emu/irq.h"
#include "emu/object.h"

/* ICH9 LPC bridge at 00:1f.0 (q35). Realize takes m->pci_bus's PCI
 * interrupts (map_irq/set_irq) and m->isa_irq, as PIIX3 does on pc. */
#define TYPE_ICH9_LPC "ICH9-LPC"
#define ICH9_LPC_RCRB_SIZE 0x4000

/* Set-up: the I/O APIC pins 16-23 PIRQ[A-H] drive (and the SCI, with
 * SCI_IRQ_SEL 4-7, pins 20-23). */
void ich9_lpc_connect_apic(Object *lpc, IRQ *const pins[8]);

/* Once the board's devices are there: the LPC decode bits of the legacy
 * ports present (QEMU's machine-ready notifier). */
void ich9_lpc_machine_ready(Object *lpc, Machine *m);

#endif

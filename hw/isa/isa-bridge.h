/* SPDX-License-Identifier: MIT */
/*
 * What the pc and q35 PCI-to-ISA bridges (PIIX3, ICH9 LPC) share: the
 * reset control register at I/O port 0xcf9, and driving ISA IRQ lines
 * from routed PCI interrupts without lowering a line an ISA device holds.
 */
#ifndef HW_ISA_ISA_BRIDGE_H
#define HW_ISA_ISA_BRIDGE_H

#include "emu/irq.h"
#include "emu/machine.h"
#include "emu/memory.h"

#define ISA_BRIDGE_RST_PORT     0xcf9
#define  ISA_BRIDGE_RST_CPU     0x04    /* 1: reset now (PIIX3 RCPU, ICH9 CPU_RST) */

/* The reset control register: a write with bit 2 set asks the machine for
 * a reset and is not kept; otherwise the bits of `keep` are kept and read
 * back (PIIX3 datasheet 2.3.1: SRST; ICH9 datasheet 13.7.5: SYS_RST,
 * FULL_RST). Embedded in the bridge's instance. */
typedef struct IsaResetControl {
    uint8_t value;
    uint8_t keep;
    Machine *machine;
    MemoryRegion io;
} IsaResetControl;

/* Set-up only: maps the register at 0xcf9 of the machine's I/O space. */
void isa_reset_control_init(IsaResetControl *rc, Object *owner, Machine *m,
                            const char *name, uint8_t keep);
static inline void isa_reset_control_reset(IsaResetControl *rc)
{
    rc->value = 0;
}

/* ISA IRQ n at level, from a bridge whose routed interrupts it ORs into
 * `level`; *driven has bit n while the bridge holds the line high. A line
 * is the bridge's only while it holds it: it never lowers a line an ISA
 * device drives (QEMU 7.2 drives every routed line on a route change,
 * clearing e.g. the serial port's IRQ 4 at the PIC). */
static inline void isa_bridge_drive(IRQ *line, uint16_t *driven, int n, int level)
{
    uint16_t bit = 1u << n;

    if (level || (*driven & bit)) {
        irq_set(line, level);
        *driven = level ? *driven | bit : *driven & ~bit;
    }
}

#endif

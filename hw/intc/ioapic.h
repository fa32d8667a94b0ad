/* SPDX-License-Identifier: MIT */
/*
 * I/O APIC (82093AA) as QEMU 7.2's pc has it: version 0x20, 24 pins, the
 * EOI register at 0x40. The board maps it at IOAPIC_BASE, feeds its pins
 * (ioapic_input) and may give it the PICs for ExtINT entries. An interrupt
 * it sends is a 4-byte message write to the 0xfee00000 window (QEMU's
 * ioapic_service: address and data as an MSI encodes them), where the
 * interrupt sink (hw/intc/msi-sink.c) records it.
 */
#ifndef HW_INTC_IOAPIC_H
#define HW_INTC_IOAPIC_H

#include "emu/irq.h"
#include "emu/object.h"

#define TYPE_IOAPIC "ioapic"
#define IOAPIC_BASE 0xfec00000ull
#define IOAPIC_NUM_PINS 24

/* Input pin n (0..23). Levels: 1 asserted, whatever the entry's polarity. */
IRQ *ioapic_input(Object *ioapic, int n);
/* The PICs an ExtINT entry acknowledges for its vector (set-up only). */
void ioapic_connect_pic(Object *ioapic, Object *master, Object *slave);

#endif

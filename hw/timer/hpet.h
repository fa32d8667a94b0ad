/* SPDX-License-Identifier: MIT */
/*
 * HPET event timer block (IA-PC HPET specification 1.0a) as QEMU 7.2's pc
 * has it: 3 timers, a 64-bit main counter of 10 ns ticks, legacy
 * replacement routing. The board maps it at HPET_BASE, gives it the GSI
 * lines its timers route to (hpet_connect_gsi) and passes the PIT's and
 * the RTC's interrupts through it (hpet_legacy_input): while the legacy
 * replacement route is on, those two are cut off and timers 0 and 1 take
 * IRQ 0 and IRQ 8.
 */
#ifndef HW_TIMER_HPET_H
#define HW_TIMER_HPET_H

#include "emu/irq.h"
#include "emu/object.h"

/* Properties: timers (3..32, default 3), hpet-intcap (the routes timers
 * may take, bit n for GSI n; pc: 0x4), msi (FSB delivery, default off). */
#define TYPE_HPET "hpet"
#define HPET_BASE 0xfed00000ull
#define HPET_NUM_IRQ_ROUTES 32

#define HPET_LEGACY_PIT 0
#define HPET_LEGACY_RTC 1

/* Set-up only: the line GSI n (0..31) drives; unconnected routes go nowhere. */
void hpet_connect_gsi(Object *hpet, int n, IRQ *line);
/* The input the PIT (HPET_LEGACY_PIT) or the RTC (HPET_LEGACY_RTC) drives
 * instead of its ISA IRQ. */
IRQ *hpet_legacy_input(Object *hpet, int n);

#endif

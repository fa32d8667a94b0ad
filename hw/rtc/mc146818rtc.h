/* SPDX-License-Identifier: MIT */
#ifndef HW_RTC_MC146818RTC_H
#define HW_RTC_MC146818RTC_H

#include <stdint.h>

#include "emu/object.h"

/*
 * Properties: iobase (0x70), irq (8), base_year (2000: as QEMU's pc, the
 * century byte 0x32 holds the century and base_year 2000 counts as 0; other
 * values are added to the year as in QEMU), start ("2000-01-01T00:00:00",
 * the fixed power-on date; the clock is start + virtual time).
 */
#define TYPE_MC146818 "mc146818rtc"

/* CMOS layout the board fills (IBM PC/AT). */
#define MC146818_NVRAM_SIZE 128
#define MC146818_CENTURY 0x32

/*
 * Board set-up of NVRAM bytes (memory size etc.). The board's bytes form
 * the power-on image: device reset restores them (and drops what the guest
 * wrote), so every reset gives the same CMOS. Addresses >= 128 are ignored.
 */
void mc146818_set_cmos(Object *rtc, unsigned addr, uint8_t val);
uint8_t mc146818_get_cmos(Object *rtc, unsigned addr);

#endif

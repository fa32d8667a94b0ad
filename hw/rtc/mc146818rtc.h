/* SPDX-License-Identifier: MIT */
#ifndef HW_RTC_MC146818RTC_H
#define HW_RTC_MC146818RTC_H

#include <stdint.h>

#include "emu/object.h"

/* Properties: iobase (0x70), irq (8), base_year (1980 as QEMU's pc uses 2000
 * via the century byte), start ("2000-01-01T00:00:00", the fixed power-on
 * date; deterministic). */
#define TYPE_MC146818 "mc146818rtc"

/* Board set-up of NVRAM bytes (memory size etc.), kept across reset. */
void mc146818_set_cmos(Object *rtc, unsigned addr, uint8_t val);
uint8_t mc146818_get_cmos(Object *rtc, unsigned addr);

#endif

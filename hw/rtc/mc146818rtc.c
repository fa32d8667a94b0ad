/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"
#include "hw/rtc/mc146818rtc.h"
void mc146818_set_cmos(Object *rtc, unsigned addr, uint8_t val) { (void)rtc; (void)addr; (void)val; }
uint8_t mc146818_get_cmos(Object *rtc, unsigned addr) { (void)rtc; (void)addr; return 0; }
const TypeInfo mc146818_type = {
    .name = "mc146818rtc",
    .parent = "isa-device",
    .instance_size = sizeof(Object),
};

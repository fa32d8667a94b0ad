/* SPDX-License-Identifier: MIT */
/* The table of device types and boards; see devices.h. */
#include "hw/devices.h"

#include "emu/pci.h"

#include "hw/i386/pc.h"

const TypeInfo isa_device_type = {
    .name = "isa-device",
    .parent = "device",
    .desc = "a device on the ISA bus (abstract)",
};

#define HW_LIST_TYPE(t) &t,
const TypeInfo *const hw_types[] = {
    HW_TYPES(HW_LIST_TYPE)
    HW_TEST_TYPES(HW_LIST_TYPE)
    NULL,
};

const BoardInfo hw_boards[] = {
    { "pc", "Standard PC (i440FX + PIIX, 1996)", "pc-i440fx-machine",
      pc_machine_init, pc_machine_late_init },
    { "q35", "Standard PC (Q35 + ICH9, 2009)", "pc-q35-7.2-machine",
      q35_machine_init, q35_machine_late_init },
    { NULL, NULL, NULL, NULL, NULL },
};

void hw_register_types(void)
{
    type_register_table(hw_types);
}

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

const TypeInfo *const hw_types[] = {
    &isa_device_type,
    &pci_device_type,
    &chardev_type,
    &chardev_null_type,
    &chardev_file_type,
    &chardev_stdio_type,
    &i440fx_pcihost_type,
    &i440fx_type,
    &piix3_type,
    &i8259_type,
    &msi_sink_type,
    &i8254_type,
    &pcspk_type,
    &mc146818_type,
    &isa_serial_type,
    &isa_parallel_type,
    &i8257_type,
    &i8042_type,
    &port92_type,
    &fw_cfg_io_type,
    &netdev_type,
    &netdev_null_type,
    &netdev_loopback_type,
    &netdev_user_type,
    &e1000_type,
    &virtio_net_pci_type,
#ifdef EMU_CRASHTEST
    &crashtest_type,
#endif
    NULL,
};

const BoardInfo hw_boards[] = {
    { "pc", "Standard PC (i440FX + PIIX, 1996)", "pc-i440fx-machine",
      pc_machine_init },
    { NULL, NULL, NULL, NULL },
};

void hw_register_types(void)
{
    type_register_table(hw_types);
}

/* SPDX-License-Identifier: MIT */
/*
 * The one explicit table of device types and boards (no constructors, no
 * linker sets). Adding a device: export its TypeInfo, add it to hw_types[]
 * in devices.c.
 */
#ifndef HW_DEVICES_H
#define HW_DEVICES_H

#include "emu/machine.h"
#include "emu/object.h"

extern const TypeInfo *const hw_types[];   /* NULL-terminated */
extern const BoardInfo hw_boards[];        /* terminated by { .name = NULL } */

/* type_register_table(hw_types), once per process. */
void hw_register_types(void);

/* Device types, by file. */
extern const TypeInfo pci_device_type;          /* emu/pci.c */
extern const TypeInfo isa_device_type;          /* hw/devices.c */
extern const TypeInfo chardev_type;             /* hw/backend/chardev.c */
extern const TypeInfo chardev_null_type;
extern const TypeInfo chardev_file_type;
extern const TypeInfo chardev_stdio_type;
extern const TypeInfo i440fx_pcihost_type;      /* hw/pci-host/i440fx.c */
extern const TypeInfo i440fx_type;
extern const TypeInfo piix3_type;               /* hw/isa/piix3.c */
extern const TypeInfo i8259_type;               /* hw/intc/i8259.c */
extern const TypeInfo msi_sink_type;            /* hw/intc/msi-sink.c */
extern const TypeInfo i8254_type;               /* hw/timer/i8254.c */
extern const TypeInfo pcspk_type;               /* hw/audio/pcspk.c */
extern const TypeInfo mc146818_type;            /* hw/rtc/mc146818rtc.c */
extern const TypeInfo isa_serial_type;          /* hw/char/serial-isa.c */
extern const TypeInfo isa_parallel_type;        /* hw/char/parallel.c */
extern const TypeInfo i8257_type;               /* hw/dma/i8257.c */
extern const TypeInfo i8042_type;               /* hw/input/pckbd.c */
extern const TypeInfo port92_type;              /* hw/i386/port92.c */
extern const TypeInfo fw_cfg_io_type;           /* hw/nvram/fw_cfg.c */
extern const TypeInfo netdev_type;              /* hw/backend/net.c */
extern const TypeInfo netdev_null_type;
extern const TypeInfo netdev_loopback_type;
extern const TypeInfo netdev_user_type;
extern const TypeInfo e1000_type;               /* hw/net/e1000.c */
extern const TypeInfo virtio_net_pci_type;      /* hw/virtio/virtio-net.c */

#ifdef EMU_CRASHTEST
extern const TypeInfo crashtest_type;           /* hw/misc/crashtest.c (-Dcrashtest) */
#endif

#endif

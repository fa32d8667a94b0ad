/* SPDX-License-Identifier: MIT */
/*
 * The one explicit table of device types and boards (no constructors, no
 * linker sets). Adding a device: define its `const TypeInfo NAME_type` and
 * add one line X(NAME_type) to HW_TYPES below.
 */
#ifndef HW_DEVICES_H
#define HW_DEVICES_H

#include "emu/machine.h"
#include "emu/object.h"

extern const TypeInfo *const hw_types[];   /* NULL-terminated */
extern const BoardInfo hw_boards[];        /* terminated by { .name = NULL } */

/* type_register_table(hw_types), once per process. */
void hw_register_types(void);

/*
 * The table: one line per type, in registration order (a parent before its
 * children), with the file that defines it. HW_TYPES declares each type
 * here and lists it in hw_types[] (devices.c); a new device adds its line.
 */
#define HW_TYPES(X) \
    X(isa_device_type)          /* hw/devices.c */ \
    X(pci_device_type)          /* emu/pci.c */ \
    X(chardev_type)             /* hw/backend/chardev.c */ \
    X(chardev_null_type) \
    X(chardev_file_type) \
    X(chardev_stdio_type) \
    X(i440fx_pcihost_type)      /* hw/pci-host/i440fx.c */ \
    X(i440fx_type) \
    X(piix3_type)               /* hw/isa/piix3.c */ \
    X(piix4_pm_type)            /* hw/acpi/piix4.c */ \
    X(smbus_bus_type)           /* hw/i2c/smbus.c */ \
    X(smbus_device_type) \
    X(smbus_eeprom_type)        /* hw/i2c/smbus-eeprom.c */ \
    X(i8259_type)               /* hw/intc/i8259.c */ \
    X(msi_sink_type)            /* hw/intc/msi-sink.c */ \
    X(ioapic_type)              /* hw/intc/ioapic.c */ \
    X(i8254_type)               /* hw/timer/i8254.c */ \
    X(hpet_type)                /* hw/timer/hpet.c */ \
    X(pcspk_type)               /* hw/audio/pcspk.c */ \
    X(mc146818_type)            /* hw/rtc/mc146818rtc.c */ \
    X(isa_serial_type)          /* hw/char/serial-isa.c */ \
    X(isa_parallel_type)        /* hw/char/parallel.c */ \
    X(i8257_type)               /* hw/dma/i8257.c */ \
    X(isa_fdc_type)             /* hw/block/fdc.c */ \
    X(floppy_bus_type)          /* hw/block/fdc-drive.c */ \
    X(floppy_type) \
    X(i8042_type)               /* hw/input/pckbd.c */ \
    X(port92_type)              /* hw/i386/port92.c */ \
    X(fw_cfg_io_type)           /* hw/nvram/fw_cfg.c */ \
    X(netdev_type)              /* hw/backend/net.c */ \
    X(netdev_null_type) \
    X(netdev_loopback_type) \
    X(netdev_user_type) \
    X(drive_type)               /* hw/backend/block.c */ \
    X(e1000_type)               /* hw/net/e1000.c */ \
    X(virtio_net_pci_type)      /* hw/virtio/virtio-net.c */ \
    X(virtio_blk_pci_type)      /* hw/virtio/virtio-blk.c */ \
    X(virtio_serial_pci_type)   /* hw/virtio/virtio-serial.c */ \
    X(virtconsole_type) \
    X(virtserialport_type) \
    X(virtio_scsi_pci_type)     /* hw/virtio/virtio-scsi.c */ \
    X(virtio_rng_pci_type)      /* hw/virtio/virtio-rng.c */ \
    X(virtio_balloon_pci_type)  /* hw/virtio/virtio-balloon.c */ \
    X(virtio_mouse_pci_type)    /* hw/virtio/virtio-input.c */ \
    X(virtio_keyboard_pci_type) \
    X(virtio_tablet_pci_type) \
    X(ide_bus_type)             /* hw/ide/piix.c */ \
    X(piix3_ide_type) \
    X(ide_hd_type)              /* hw/ide/ide-dev.c */ \
    X(ide_cd_type) \
    X(ich9_ahci_type)           /* hw/ide/ahci.c */ \
    X(sdhci_pci_type)           /* hw/sd/sdhci-pci.c */ \
    X(sd_card_type)             /* hw/sd/sd.c */ \
    X(scsi_bus_type)            /* hw/scsi/scsi-bus.c */ \
    X(scsi_hd_type)             /* hw/scsi/scsi-disk.c */ \
    X(scsi_cd_type)

/* Test-only types, in builds configured with -Dcrashtest=true. */
#ifdef EMU_CRASHTEST
#define HW_TEST_TYPES(X) \
    X(crashtest_type)           /* hw/misc/crashtest.c */
#else
#define HW_TEST_TYPES(X)
#endif

#define HW_DECLARE_TYPE(t) extern const TypeInfo t;
HW_TYPES(HW_DECLARE_TYPE)
HW_TEST_TYPES(HW_DECLARE_TYPE)

#endif

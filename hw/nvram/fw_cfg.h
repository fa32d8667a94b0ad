/* SPDX-License-Identifier: MIT */
#ifndef HW_NVRAM_FW_CFG_H
#define HW_NVRAM_FW_CFG_H

#include <stddef.h>
#include <stdint.h>

#include "emu/object.h"

/* QEMU firmware configuration device, I/O variant: selector 0x510 (16-bit),
 * data 0x511, DMA address 0x514 (big-endian 64-bit). Properties: iobase,
 * dma_iobase, dma_enabled (on). */
#define TYPE_FW_CFG_IO "fw_cfg_io"

#define FW_CFG_SIGNATURE   0x00
#define FW_CFG_ID          0x01
#define FW_CFG_UUID        0x02
#define FW_CFG_RAM_SIZE    0x03
#define FW_CFG_NOGRAPHIC   0x04
#define FW_CFG_NB_CPUS     0x05
#define FW_CFG_MACHINE_ID  0x06
#define FW_CFG_KERNEL_ADDR 0x07
#define FW_CFG_KERNEL_SIZE 0x08
#define FW_CFG_KERNEL_CMDLINE 0x09
#define FW_CFG_INITRD_ADDR 0x0a
#define FW_CFG_INITRD_SIZE 0x0b
#define FW_CFG_BOOT_DEVICE 0x0c
#define FW_CFG_NUMA        0x0d
#define FW_CFG_BOOT_MENU   0x0e
#define FW_CFG_MAX_CPUS    0x0f
#define FW_CFG_FILE_DIR    0x19
#define FW_CFG_FILE_FIRST  0x20
#define FW_CFG_ARCH_LOCAL  0x8000

/* x86 architecture-local keys (QEMU's hw/i386/fw_cfg.h). */
#define FW_CFG_ACPI_TABLES    (FW_CFG_ARCH_LOCAL + 0)
#define FW_CFG_SMBIOS_ENTRIES (FW_CFG_ARCH_LOCAL + 1)
#define FW_CFG_IRQ0_OVERRIDE  (FW_CFG_ARCH_LOCAL + 2)
#define FW_CFG_E820_TABLE     (FW_CFG_ARCH_LOCAL + 3)
#define FW_CFG_HPET           (FW_CFG_ARCH_LOCAL + 4)

/* File directory: 32 slots (QEMU's x-file-slots default), names of at most
 * 55 characters plus NUL (longer names are cut, as QEMU does). */
#define FW_CFG_FILE_SLOTS    32
#define FW_CFG_MAX_FILE_PATH 56

/*
 * Set-up only (the data is copied; adding a key twice, a key out of range,
 * a duplicate file name or more than FW_CFG_FILE_SLOTS files is a board bug).
 * May be called before or after realize; realize adds the signature and ID.
 */
void fw_cfg_add_bytes(Object *fw, uint16_t key, const void *data, size_t len);
/* Integers are stored little-endian, as QEMU's fw_cfg_add_iNN. */
void fw_cfg_add_i16(Object *fw, uint16_t key, uint16_t val);
void fw_cfg_add_i32(Object *fw, uint16_t key, uint32_t val);
void fw_cfg_add_i64(Object *fw, uint16_t key, uint64_t val);
/* Adds a named file to the directory, sorted by name as QEMU does (strcmp;
 * the selectors 0x20.. follow the sorted order). */
void fw_cfg_add_file(Object *fw, const char *name, const void *data, size_t len);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Intel 82078 floppy disk controller, as QEMU's "isa-fdc" (ports 0x3f1-0x3f5
 * and 0x3f7, IRQ 6, ISA DMA channel 2), and its drives, QEMU's "floppy"
 * devices on the controller's floppy bus:
 *   -device floppy[,drive=ID][,drive-type=144|288|120|none|auto][,unit=N]
 * A floppy without drive= is a drive with no disk in it. Drives are created
 * after the board (after the controller): each attaches itself to the first
 * isa-fdc of the machine, at its unit or the first free one.
 */
#ifndef HW_BLOCK_FDC_H
#define HW_BLOCK_FDC_H

#include <stdint.h>

#include "emu/object.h"

#define TYPE_ISA_FDC "isa-fdc"
#define TYPE_FLOPPY "floppy"

/* Drive types, as QEMU's FloppyDriveType. */
typedef enum FdcDriveType {
    FDC_DRIVE_144,      /* 3.5" 1.44 MB */
    FDC_DRIVE_288,      /* 3.5" 2.88 MB */
    FDC_DRIVE_120,      /* 5.25" 1.2 MB */
    FDC_DRIVE_NONE,
    FDC_DRIVE_AUTO,     /* a property value only: resolved at realize */
} FdcDriveType;

/* The drive types of units 0 and 1, for the board's CMOS bytes (QEMU's
 * pc_cmos_init_floppy), read once the -device drives have attached. */
void fdc_drive_types(Object *fdc, FdcDriveType *a, FdcDriveType *b);

/* CMOS register 0x10 nibble of a drive type (0: none). */
uint8_t fdc_cmos_type(FdcDriveType t);

#endif

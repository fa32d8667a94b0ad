/* SPDX-License-Identifier: MIT */
/*
 * The PIIX4 SMBus host controller (82371AB datasheet, order 290562,
 * section 7.3 "SMBus I/O registers" and 11.5.4.1), embedded in its PCI
 * function's instance: a 16-byte I/O region ("pm-smbus") the owner maps at
 * SMBBA, the host's protocols run from a bottom half on the SMBus segment
 * below it, and an interrupt output the owner routes.
 */
#ifndef HW_I2C_PM_SMBUS_H
#define HW_I2C_PM_SMBUS_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "hw/i2c/smbus.h"

#define PM_SMBUS_IO_LEN 16

/* Host status bits (SMBHSTSTS) */
#define PM_SMBUS_STS_HOST_BUSY 0x01
#define PM_SMBUS_STS_INTER     0x02
#define PM_SMBUS_STS_DEV_ERR   0x04
#define PM_SMBUS_STS_BUS_ERR   0x08
#define PM_SMBUS_STS_FAILED    0x10

typedef void (*PMSMBusIRQ)(void *opaque, bool level);

typedef struct PMSMBus {
    /* Host interface */
    uint8_t hst_sts;
    uint8_t hst_cnt;            /* START is not stored: it reads 0 */
    uint8_t hst_cmd;
    uint8_t hst_add;
    uint8_t hst_dat0;
    uint8_t hst_dat1;
    uint8_t blk[SMBUS_BLOCK_MAX];
    uint8_t blk_index;          /* 0-31: the next SMBBLKDAT byte */
    /* Slave interface: registers only (nothing on this bus masters). */
    uint8_t slv_sts;
    uint8_t slv_cnt;
    uint8_t shdw_cmd;
    uint16_t slv_evt;
    bool irq;                   /* the interrupt output now */
    /* Wiring */
    BH bh;                      /* runs the started transaction */
    MemoryRegion io;
    SMBusBus *bus;
    PMSMBusIRQ set_irq;
    void *opaque;
} PMSMBus;

/* Realize: the region and bottom half owned by owner, the bus "i2c" its
 * child; set_irq(opaque, level) on each change of the interrupt output. */
void pm_smbus_init(PMSMBus *s, Object *owner, Clock *clock, PMSMBusIRQ set_irq,
                   void *opaque);
/* Power-on values, the pending transaction dropped, the output low. */
void pm_smbus_reset(PMSMBus *s);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The SMBus host controller engine of the Intel south bridges: PIIX4's
 * (82371AB datasheet, order 290562, section 7.3 "SMBus I/O registers" and
 * 11.5.4.1) and ICH9's (order 319973, section 17.2), which share the host
 * registers and protocols. Embedded in its PCI function's instance: an I/O
 * region ("pm-smbus") the owner maps, the protocols run on the SMBus
 * segment below it, an interrupt output the owner routes. What differs
 * between the two is a parameter: the register layout (PIIX4's 16 ports
 * with its slave registers, ICH9's 64 with AUX_CTL) and when a started
 * command completes.
 */
#ifndef HW_I2C_PM_SMBUS_H
#define HW_I2C_PM_SMBUS_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "hw/i2c/smbus.h"

/* Host status bits (SMBHSTSTS / HST_STS) */
#define PM_SMBUS_STS_HOST_BUSY 0x01
#define PM_SMBUS_STS_INTER     0x02
#define PM_SMBUS_STS_DEV_ERR   0x04
#define PM_SMBUS_STS_BUS_ERR   0x08
#define PM_SMBUS_STS_FAILED    0x10

typedef enum PMSMBusLayout {
    /* 16 ports: host registers, the block array, the slave interface
     * (SMBSLVSTS at 1, SMBSLVCNT, SMBSHDWCMD, SMBSLVEVT, SMBSLVDAT at 8-0xd)
     * as registers only; HST_CNT keeps bits 4:0. */
    PM_SMBUS_PIIX4,
    /* 64 ports: host registers, the 32-byte block buffer, AUX_CTL at 0xd;
     * HST_CNT keeps all but START, and INUSE_STS/BYTE_DONE clear by 1. */
    PM_SMBUS_ICH9,
} PMSMBusLayout;

typedef enum PMSMBusTiming {
    /* From a bottom half after the access that set START; HOST_BUSY reads
     * 1 until then (PIIX4). */
    PM_SMBUS_RUN_BH,
    /* At once with INTREN; polled, at the first HST_STS read after START,
     * which still reads HOST_BUSY (QEMU 7.2's i801 as i2c-i801 polls it). */
    PM_SMBUS_RUN_AT_POLL,
} PMSMBusTiming;

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
    uint8_t aux_ctl;            /* ICH9 */
    /* PIIX4's slave interface: registers only (nothing here masters). */
    uint8_t slv_sts;
    uint8_t slv_cnt;
    uint8_t shdw_cmd;
    uint16_t slv_evt;
    bool run_at_poll;           /* PM_SMBUS_RUN_AT_POLL: started, not run */
    bool host_off;              /* the owner's host enable is clear */
    bool irq;                   /* the interrupt output now */
    /* Wiring */
    PMSMBusLayout layout;
    PMSMBusTiming timing;
    BH bh;                      /* PM_SMBUS_RUN_BH: runs the started command */
    MemoryRegion io;
    SMBusBus *bus;
    PMSMBusIRQ set_irq;
    void *opaque;
} PMSMBus;

/* Realize: the region and bottom half owned by owner, the bus "i2c" its
 * child; set_irq(opaque, level) on each change of the interrupt output. */
void pm_smbus_init(PMSMBus *s, Object *owner, Clock *clock, PMSMBusLayout layout,
                   PMSMBusTiming timing, PMSMBusIRQ set_irq, void *opaque);
/* Power-on values, the pending command dropped, the output low. */
void pm_smbus_reset(PMSMBus *s);
/* The owner's host enable (ICH9 HOSTC.HST_EN): START is refused while
 * it is clear. On (false) from init. */
void pm_smbus_set_host_off(PMSMBus *s, bool off);

#endif
